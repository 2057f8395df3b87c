/**
 * Opening a connection to a channel, and opening it again after it drops.
 *
 * A new connection is confirmed by one request round trip when the channel has a request without
 * payload (`ChannelSpec.probeAction`), so that a connection the server refuses right after the
 * handshake, with a close code of the spec, fails while opening, typed.
 */
import { type ReconnectPolicy } from "./backoff.js";
import { type ChannelSpec } from "./frames.js";
import type { Inbox } from "./inbox.js";
/** What the client needs to open a socket: the browser's `WebSocket`, Node ≥ 22's, or `ws`'s. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;
/** How to open a connection to one channel. */
export interface Opening<M> {
    readonly url: string;
    readonly webSocket: WebSocketConstructor;
    readonly openTimeoutMs: number;
    readonly spec: ChannelSpec<M>;
    /** A fresh `ref` for the probe. */
    readonly probeRef: () => string;
    /** Where what arrives before the probe's answer goes (an odd frame as its error). */
    readonly inbox: Pick<Inbox<M>, "push">;
}
/**
 * Open a socket offering the subprotocols `offered` (and confirm it with the probe), then hand it
 * to `onOpen`. Rejects with `ConnectionFailedError` (also when the server selected a subprotocol
 * the spec does not offer), or the server's refusal.
 *
 * A server may select no subprotocol (one older than the spec's opt-in) and browsers accept
 * that, but the `ws` package fails such a handshake; the socket is then opened again offering
 * none, as a client of the older protocol.
 */
export declare function openSocket<M>(how: Opening<M>, offered: readonly string[], onOpen: (socket: WebSocket) => void): Promise<void>;
/**
 * Open again with `open`, after each delay of `policy` in turn (`sleep` waits it out), until
 * `stopped()`. Rejects with the server's refusal at once, and with `ConnectionFailedError` (the
 * last failure's cause, the number of attempts) once the policy gives up.
 */
export declare function reopen(url: string, policy: ReconnectPolicy, open: () => Promise<void>, sleep: (ms: number) => Promise<void>, stopped: () => boolean): Promise<void>;
