import { type ReconnectPolicy } from "./backoff.js";
import { type ClientMessage, type PongMessage, type ServerMessage } from "./models.js";
/** The channel's address; each `{parameter}` is filled in percent-encoded. */
export declare const PATH_TEMPLATE = "/ws/room/{room_name}";
/** What the client needs to open a socket: the browser's `WebSocket`, Node ≥ 22's, or `ws`'s. */
export type WebSocketConstructor = new (url: string) => WebSocket;
/** Where the connection stands; `closed` is final. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";
/** The channel's path parameters. */
export interface RoomChatClientParameters {
    /** The room's name: 1 to 100 Unicode characters (code points) after percent-decoding, at least one of them not whitespace, none of them a control character (U+0000–U+001F, U+007F–U+009F). Spaces, `/`, punctuation and any script are allowed. Anything else closes the connection with code 4400. */
    roomName: string;
}
export interface RoomChatClientOptions extends RoomChatClientParameters {
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
 * The channel's address under `baseUrl` (`ws://host:port`), every parameter percent-encoded as
 * one path segment (`encodeURIComponent`).
 */
export declare function channelUrl(baseUrl: string, parameters: RoomChatClientParameters): string;
/**
 * One connection to the room channel, kept open across server restarts.
 *
 * One chat room. Every connection to the same room name shares it.
 *
 * `for await (const message of client)` yields every frame the server sends (a
 * `ServerMessage`); replies to `request()` go to their caller instead. When the connection
 * drops, the client reconnects following `reconnect` and the iteration goes on; when it gives
 * up, or the server refuses the connection with a close code the spec declares, the iteration
 * throws the typed error.
 */
export declare class RoomChatClient implements AsyncIterable<ServerMessage> {
    readonly url: string;
    /** How many times the client has reconnected. */
    reconnects: number;
    readonly requestTimeoutMs: number;
    readonly openTimeoutMs: number;
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
    constructor(baseUrl: string, options: RoomChatClientOptions);
    /** Whether a connection is open right now. */
    get connected(): boolean;
    /** Open the connection; rejects with `ConnectionFailedError` or the server's refusal. */
    connect(): Promise<void>;
    /** Close the connection and stop reconnecting; iteration then ends. */
    close(): void;
    /** Resolve once connected; reject with the reason if the client has given up. */
    waitConnected(timeoutMs?: number): Promise<void>;
    [Symbol.asyncIterator](): AsyncGenerator<ServerMessage, void, undefined>;
    /** The next server message (what one step of `for await` yields). */
    receive(timeoutMs?: number): Promise<ServerMessage>;
    private unwrap;
    /** Send one frame: a client message, or any object sent as JSON as it is. */
    send(message: ClientMessage | Record<string, unknown>): Promise<void>;
    /** Send a text frame exactly as given (the server answers anything odd with an error). */
    sendRaw(data: string): Promise<void>;
    /**
     * Send `message` with a fresh `ref` and resolve with the reply that echoes it.
     *
     * Rejects with `ServerError` when the reply is an `error` frame, `RequestTimeoutError`
     * when none comes within `timeoutMs`, `ConnectionLostError` when the connection drops first.
     */
    request(message: ClientMessage | Record<string, unknown>, timeoutMs?: number): Promise<ServerMessage>;
    /**
     * A client posts a chat message to the room it is connected to.
     *
     * The server broadcasts the text as a `room_notification` whose message is `💬 ` followed
     * by the text, to every member of the room, the sender included (see
     * `sendRoomBroadcast`). A frame that does not match the schema gets an `error` reply
     * instead and nothing is broadcast.
     *
     * The text's schema allows up to 4000 characters: that is the default limit and the
     * ceiling of the setting. A server configured with a smaller limit answers a longer text
     * with `message_too_long` (nothing is broadcast); a text over 4000 characters breaks the
     * schema and gets `invalid_message`. When the channel layer (Redis) is unreachable the
     * text cannot be delivered and the sender gets `layer_unavailable`, carrying the chat's
     * `ref`. On the Redis layers a chat is handed to Redis while the sender's next frame is
     * read, so that error can come after the answers to frames sent later.
     * @param message The text to post, 1 to 4000 characters.
     */
    sendRoomChat(message: string): Promise<void>;
    /**
     * A client checks that the connection is alive.
     */
    ping(timeoutMs?: number): Promise<PongMessage>;
    private setState;
    private open;
    private attach;
    private lost;
    private sleep;
    private parse;
    private deliver;
    private failPending;
    /** The client will not (re)connect any more: say why, once. */
    private finish;
}
