/**
 * `ChannelClient`: one WebSocket connection to a channel, kept open across server restarts.
 *
 * Everything here holds for any channel: opening the connection (confirmed by one request
 * round trip when the channel has a request without payload), reconnecting with backoff,
 * matching replies to requests by `ref`, and turning close codes into typed errors. What it
 * must know about the channel comes from the generated client as a `ChannelSpec`: which
 * frames the server sends, which of them answer requests, which close codes end the client,
 * and which replies are errors.
 *
 * Frames are JSON objects; a client frame sent with `request()` carries a fresh `ref`, and a
 * reply echoes it in its own `ref`. A frame whose `action` the client does not know (a newer
 * server's message) is handed over as an `UnknownMessage`, and the stream goes on.
 */
import { type ReconnectPolicy } from "./backoff.js";
import { ServerClosedError } from "./base-errors.js";
/** What the client needs to open a socket: the browser's `WebSocket`, Node ≥ 22's, or `ws`'s. */
export type WebSocketConstructor = new (url: string) => WebSocket;
/** Where the connection stands; `closed` is final. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";
/**
 * A server message whose `action` this client does not know: a newer server's. Yielded like any
 * message, so a client keeps working against a server that has learnt to say more. Tell it apart
 * with `instanceof UnknownMessage` (or `message.kind === "unknown"` once it is narrowed); `raw` is
 * the whole frame, as parsed JSON.
 */
export declare class UnknownMessage {
    readonly action: string;
    readonly raw: Readonly<Record<string, unknown>>;
    readonly kind = "unknown";
    constructor(action: string, raw: Readonly<Record<string, unknown>>);
}
/** What the runtime needs to know about a channel; the generated client states it. */
export interface ChannelSpec<M> {
    /** The `action` of every message the server may send; another is an `UnknownMessage`. */
    readonly serverActions: readonly string[];
    /** The `action` of every server message that answers a request (echoing its `ref`). */
    readonly replyActions: readonly string[];
    /**
     * The close codes that end the client, never retried, each with its error (given the close
     * reason). Any other close is a dropped connection: the client reconnects.
     */
    readonly refusals: ReadonlyMap<number, new (reason: string) => ServerClosedError>;
    /**
     * A request without payload sent on every new connection, so that a connection the server
     * closes right after the handshake fails while opening; `null` for none.
     */
    readonly probeAction: string | null;
    /** The error a reply stands for (the spec's error frame), or `null` for an answer. */
    readonly replyError: (reply: M) => Error | null;
}
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
}
/**
 * One connection to a channel, kept open across server restarts.
 *
 * `for await (const message of client)` yields every message the server sends (an
 * `UnknownMessage` for an `action` the spec does not name); replies to `request()` go to their
 * caller instead. When the connection drops, the client reconnects
 * following `reconnect` and the iteration goes on; when it gives up, or the server closes with
 * a code of `spec.refusals`, the iteration throws the typed error.
 */
export declare class ChannelClient<M, C extends object> implements AsyncIterable<M | UnknownMessage> {
    readonly url: string;
    /** How many times the client has reconnected. */
    reconnects: number;
    readonly requestTimeoutMs: number;
    readonly openTimeoutMs: number;
    private readonly spec;
    private readonly policy;
    private readonly WebSocketImpl;
    private readonly onState;
    private readonly inbox;
    private readonly pending;
    private readonly connectWaiters;
    private readonly refPrefix;
    private refCount;
    private socket;
    private started;
    private end;
    private wake;
    constructor(url: string, spec: ChannelSpec<M>, options?: ChannelClientOptions);
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
    private unwrap;
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
    /** Open a socket (and confirm it with the probe), then hand it to `onOpen`. */
    private open;
    private attach;
    private lost;
    private sleep;
    private refusal;
    /**
     * The message a frame holds and the `ref` of the request it answers, if any. A frame with an
     * `action` the spec does not name is an `UnknownMessage`, answering nothing. A frame that is
     * not a JSON object with a string `action` is put in the inbox as an `UnexpectedFrameError`
     * (the connection goes on), and `null` returned.
     */
    private read;
    private deliver;
    private failPending;
    /** The client will not (re)connect any more: say why, once. */
    private finish;
}
