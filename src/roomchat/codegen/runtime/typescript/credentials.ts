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
export class Credentials {
  readonly provider: TokenProvider | null;

  constructor(
    private readonly spec: ChannelSpec<unknown>,
    private readonly token: string | null,
    tokenProvider: TokenProvider | null,
  ) {
    if (token !== null && tokenProvider !== null) {
      throw new TypeError("pass either token or tokenProvider, not both");
    }
    if ((token !== null || tokenProvider !== null) && !spec.tokenSubprotocolPrefix) {
      throw new TypeError("this channel takes no token");
    }
    this.provider = tokenProvider;
  }

  /** What to offer on a new connection (the provider is called each time). */
  async subprotocols(): Promise<string[]> {
    const offered = [...(this.spec.subprotocols ?? [])];
    const token = this.provider ? await this.provider() : this.token;
    const prefix = this.spec.tokenSubprotocolPrefix;
    if (token !== null && prefix) offered.push(prefix + token);
    return offered;
  }

  /** Whether a close with `code` is worth a new connection with a fresh token. */
  renews(code: number): boolean {
    return this.provider !== null && (this.spec.renewals ?? []).includes(code);
  }
}

/**
 * Why the subprotocol the server selected (`""`: none) is not acceptable, or `null` if it is.
 * The server may select one the channel offers to opt in, or none (an older server).
 */
export function selectionProblem<M>(spec: ChannelSpec<M>, selected: string): string | null {
  if (selected === "" || (spec.subprotocols ?? []).includes(selected)) return null;
  return "the server selected a subprotocol the client does not speak";
}
