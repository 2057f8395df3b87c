/**
 * Who the client says it is on each new connection: the subprotocols it offers, a token among
 * them, and whether the subprotocol the server selected is one it may select.
 *
 * A token is either fixed (`token`) or fetched afresh for every connection by an async
 * `tokenProvider`; it travels as a subprotocol, never in the URL, so it stays out of the logs
 * that record URLs (and a browser can send it: it sets no other handshake header).
 */
import type { ChannelSpec } from "./frames.js";
/** Returns a token; called for every new connection, and before the token expires. */
export type TokenProvider = () => Promise<string>;
/** A client's token (fixed, from a provider, or none) as the channel offers it. */
export declare class Credentials {
    private readonly spec;
    private readonly token;
    readonly provider: TokenProvider | null;
    constructor(spec: ChannelSpec<unknown>, token: string | null, tokenProvider: TokenProvider | null);
    /** What to offer on a new connection (the provider is called each time). */
    subprotocols(): Promise<string[]>;
    /** Whether a close with `code` is worth a new connection with a fresh token. */
    renews(code: number): boolean;
}
/**
 * Why the subprotocol the server selected (`""`: none) is not acceptable, or `null` if it is.
 * The server may select one the channel offers to opt in, or none (an older server).
 */
export declare function selectionProblem<M>(spec: ChannelSpec<M>, selected: string): string | null;
