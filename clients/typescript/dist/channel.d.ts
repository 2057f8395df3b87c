/**
 * `ChannelClient`: one WebSocket connection to a channel, kept open across server restarts.
 *
 * Everything here holds for any channel: opening the connection (confirmed by one request
 * round trip when the channel has a request without payload), reconnecting with backoff,
 * matching replies to requests by `ref`, turning close codes into typed errors, offering
 * subprotocols (a token among them) and keeping a token fresh. What it must know about the
 * channel comes from the generated client as a `ChannelSpec`: which frames the server sends,
 * which of them answer requests, which close codes end the client, which replies are errors,
 * and what a connection offers and is greeted with.
 *
 * This module is the client's life cycle (connecting, open, reconnecting, closed) and what a user
 * calls; `frames` reads frames, `opening` opens a connection and reopens it, `replies` matches
 * replies by `ref`, `inbox` is the stream of messages the iteration reads, `waiting` what the
 * life cycle waits on, `session` what outlives a connection (credentials, greeting, token
 * refresh, renewed requests, position).
 */
import { type ReconnectPolicy } from "./backoff.js";
import { type TokenProvider } from "./credentials.js";
import { type ChannelSpec, type UnknownMessage } from "./frames.js";
import { type WebSocketConstructor } from "./opening.js";
export type { TokenProvider } from "./credentials.js";
export { type ChannelSpec, UnknownMessage } from "./frames.js";
export type { WebSocketConstructor } from "./opening.js";
/** Where the connection stands; `closed` is final. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";
/** How a client connects, whatever the channel. */
export interface ChannelClientOptions {
    /** Reconnect with jittered exponential backoff (the default); `null` turns it off. */
    reconnect?: Partial<ReconnectPolicy> | null;
    /** How long `request()` and the typed requests wait for their reply (default 10 000). */
    requestTimeoutMs?: number;
    /** How long opening a connection may take (default 10 000). */
    openTimeoutMs?: number;
    /** The WebSocket implementation; defaults to `globalThis.WebSocket`. */
    webSocket?: WebSocketConstructor;
    /** Called whenever the connection state changes; `error` says why it closed. */
    onState?: (state: ConnectionState, error?: Error) => void;
    /** A token, offered as a subprotocol (never in the URL) on every connection. */
    token?: string;
    /**
     * Returns a token; called for every new connection (and, when the server announces when
     * the token expires, before it does, to refresh it). Pass this or `token`, not both.
     */
    tokenProvider?: TokenProvider;
}
/**
 * One connection to a channel, kept open across server restarts.
 *
 * `for await (const message of client)` yields every message the server sends (an
 * `UnknownMessage` for an `action` the spec does not name); replies to `request()` go to their
 * caller instead. When the connection drops, the client reconnects
 * following `reconnect` and the iteration goes on; when it gives up, or the server closes with
 * a code of `spec.refusals`, the iteration throws the typed error.
 *
 * A `token`, or a `tokenProvider` called for each new connection, is offered as a subprotocol;
 * with a provider, a close of `spec.renewals` (an expired token) reconnects with a fresh token,
 * and the token is refreshed before the expiry the server announces. `greeting` is what the
 * server greeted the latest connection with. With `spec.recovery`, it presents its `position` on
 * reconnecting and yields each numbered message once (see `recovery`).
 */
export declare class ChannelClient<M, C extends object> implements AsyncIterable<M | UnknownMessage> {
    readonly url: string;
    /** How many times the client has reconnected. */
    reconnects: number;
    readonly requestTimeoutMs: number;
    readonly openTimeoutMs: number;
    private readonly spec;
    private readonly policy;
    private readonly opening;
    private readonly onState;
    private readonly inbox;
    private readonly replies;
    private readonly connectWaiters;
    private readonly pause;
    private readonly session;
    private socket;
    private started;
    private end;
    constructor(url: string, spec: ChannelSpec<M>, options?: ChannelClientOptions);
    /** What the server greeted the latest connection with (`spec.greetingAction`), if anything. */
    get greeting(): M | null;
    /** The last position (epoch, offset) the client was given; `null` before any. */
    get position(): readonly [epoch: string, offset: number] | null;
    /** What ended the latest connection's recovery; `null` when it did not recover. */
    get recoveryMessage(): M | null;
    /** Whether a connection is open right now. */
    get connected(): boolean;
    /** Open the connection; rejects with `ConnectionFailedError` or the server's refusal. */
    connect(): Promise<void>;
    /** Close the connection and stop reconnecting; iteration then ends. */
    close(): void;
    /** Resolve once connected; reject with the reason if the client has given up. */
    waitConnected(timeoutMs?: number): Promise<void>;
    [Symbol.asyncIterator](): AsyncGenerator<M | UnknownMessage, void, undefined>;
    /** The next server message (what one step of `for await` yields). */
    receive(timeoutMs?: number): Promise<M | UnknownMessage>;
    /** Send one frame: a client message, or any object sent as JSON as it is. */
    send(message: C | Record<string, unknown>): Promise<void>;
    /** Send a text frame exactly as given (the server answers anything odd with an error). */
    sendRaw(data: string): Promise<void>;
    /**
     * Send `message` with a fresh `ref` and resolve with the reply that echoes it.
     *
     * Rejects with the error the spec makes of an error reply (see `ChannelSpec.replyError`),
     * `RequestTimeoutError` when no reply comes within `timeoutMs`, `ConnectionLostError` when
     * the connection drops first.
     */
    request(message: C | Record<string, unknown>, timeoutMs?: number): Promise<M>;
    private setState;
    private attach;
    private lost;
    /** The client will not (re)connect any more: say why, once. */
    private finish;
}
