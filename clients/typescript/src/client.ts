// roomchat client: client.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
import { DEFAULT_RECONNECT, delays, type ReconnectPolicy } from "./backoff.js";
import {
  ClientClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  REFUSALS,
  RequestTimeoutError,
  ServerClosedError,
  ServerError,
  UnexpectedFrameError,
} from "./errors.js";
import {
  SERVER_ACTIONS,
  type ClientMessage,
  type PongMessage,
  type ServerMessage,
} from "./models.js";

/** The channel's address; each `{parameter}` is filled in percent-encoded. */
export const PATH_TEMPLATE = "/ws/room/{room_name}";

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
export function channelUrl(baseUrl: string, parameters: RoomChatClientParameters): string {
  let path = PATH_TEMPLATE;
  path = path.replace("{room_name}", encodeURIComponent(parameters.roomName));
  return baseUrl.replace(/\/+$/, "") + path;
}

type Item = { message: ServerMessage } | { error: Error } | { end: true };

interface Pending {
  resolve: (message: ServerMessage) => void;
  reject: (error: Error) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Messages and errors in arrival order, for one reader at a time. */
class Inbox {
  private readonly items: Item[] = [];
  private readonly readers: Array<(item: Item) => void> = [];

  push(item: Item): void {
    const reader = this.readers.shift();
    if (reader) reader(item);
    else this.items.push(item);
  }

  unshift(item: Item): void {
    this.items.unshift(item);
  }

  next(timeoutMs?: number): Promise<Item> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    return new Promise<Item>((resolve, reject) => {
      const reader = (item: Item): void => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.readers.splice(this.readers.indexOf(reader), 1);
              reject(new RequestTimeoutError("receive", timeoutMs));
            }, timeoutMs);
      this.readers.push(reader);
    });
  }
}

function isServerMessage(value: unknown): value is ServerMessage {
  if (typeof value !== "object" || value === null) return false;
  const action = (value as { action?: unknown }).action;
  return typeof action === "string" && (SERVER_ACTIONS as readonly string[]).includes(action);
}

function refusalFor(code: number, reason: string): ServerClosedError | null {
  const refusal = REFUSALS.get(code);
  return refusal ? new refusal(reason) : null;
}

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
export class RoomChatClient implements AsyncIterable<ServerMessage> {
  readonly url: string;
  /** How many times the client has reconnected. */
  reconnects = 0;
  readonly requestTimeoutMs: number;
  readonly openTimeoutMs: number;
  private readonly policy: ReconnectPolicy | null;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly onState: (state: ConnectionState, error?: Error) => void;
  private readonly inbox = new Inbox();
  private readonly pending = new Map<string, Pending>();
  private readonly connectWaiters = new Set<Waiter>();
  private readonly refPrefix = Math.random().toString(36).slice(2, 10);
  private refCount = 0;
  private socket: WebSocket | null = null;
  private started = false;
  private end: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(baseUrl: string, options: RoomChatClientOptions) {
    this.url = channelUrl(baseUrl, options);
    this.policy = options.reconnect === null ? null : { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.openTimeoutMs = options.openTimeoutMs ?? 10_000;
    const implementation = options.webSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!implementation) {
      throw new TypeError("no global WebSocket here: pass options.webSocket (e.g. the `ws` package's)");
    }
    this.WebSocketImpl = implementation;
    this.onState = options.onState ?? (() => undefined);
  }

  /** Whether a connection is open right now. */
  get connected(): boolean {
    return this.socket !== null;
  }

  /** Open the connection; rejects with `ConnectionFailedError` or the server's refusal. */
  async connect(): Promise<void> {
    if (this.started) throw new Error("connect() may be called once");
    this.started = true;
    this.onState("connecting");
    try {
      this.attach(await this.open());
    } catch (error) {
      this.finish(error as Error);
      throw error;
    }
  }

  /** Close the connection and stop reconnecting; iteration then ends. */
  close(): void {
    this.finish(new ClientClosedError(), true);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
  }

  /** Resolve once connected; reject with the reason if the client has given up. */
  waitConnected(timeoutMs: number = this.requestTimeoutMs): Promise<void> {
    if (this.end) return Promise.reject(this.end);
    if (this.socket) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.connectWaiters.delete(waiter);
        reject(new ConnectionLostError(null, `not reconnected within ${timeoutMs} ms`));
      }, timeoutMs);
      this.connectWaiters.add(waiter);
    });
  }

  // -- receiving -------------------------------------------------------------------------

  async *[Symbol.asyncIterator](): AsyncGenerator<ServerMessage, void, undefined> {
    for (;;) {
      const item = await this.inbox.next();
      const message = this.unwrap(item);
      if (message === null) return;
      yield message;
    }
  }

  /** The next server message (what one step of `for await` yields). */
  async receive(timeoutMs?: number): Promise<ServerMessage> {
    const message = this.unwrap(await this.inbox.next(timeoutMs));
    if (message === null) throw this.end ?? new ClientClosedError();
    return message;
  }

  private unwrap(item: Item): ServerMessage | null {
    if ("end" in item) {
      this.inbox.unshift(item); // every later read ends too
      return null;
    }
    if ("error" in item) {
      if (item.error === this.end) this.inbox.unshift(item); // every later read throws it too
      throw item.error;
    }
    return item.message;
  }

  // -- sending ---------------------------------------------------------------------------

  /** Send one frame: a client message, or any object sent as JSON as it is. */
  async send(message: ClientMessage | Record<string, unknown>): Promise<void> {
    await this.sendRaw(JSON.stringify(message));
  }

  /** Send a text frame exactly as given (the server answers anything odd with an error). */
  async sendRaw(data: string): Promise<void> {
    await this.waitConnected();
    const socket = this.socket;
    if (!socket) throw this.end ?? new ConnectionLostError(null, "not connected");
    socket.send(data);
  }

  /**
   * Send `message` with a fresh `ref` and resolve with the reply that echoes it.
   *
   * Rejects with `ServerError` when the reply is an `error` frame, `RequestTimeoutError`
   * when none comes within `timeoutMs`, `ConnectionLostError` when the connection drops first.
   */
  async request(
    message: ClientMessage | Record<string, unknown>,
    timeoutMs: number = this.requestTimeoutMs,
  ): Promise<ServerMessage> {
    const ref = `${this.refPrefix}-${++this.refCount}`;
    const action = String((message as { action?: unknown }).action);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<ServerMessage>((resolve, reject) => {
      this.pending.set(ref, { resolve, reject });
      timer = setTimeout(() => reject(new RequestTimeoutError(action, timeoutMs)), timeoutMs);
    });
    reply.catch(() => undefined); // rejected before it is awaited is not "unhandled"
    try {
      await this.send({ ...message, ref });
      const answer = await reply;
      if (answer.action === "error") throw new ServerError(answer);
      return answer;
    } finally {
      clearTimeout(timer);
      this.pending.delete(ref);
    }
  }

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
  async sendRoomChat(message: string): Promise<void> {
    await this.send({ action: "room_chat", payload: { message: message, } });
  }

  /**
   * A client checks that the connection is alive.
   */
  async ping(timeoutMs?: number): Promise<PongMessage> {
    const reply = await this.request(
      { action: "ping" },
      timeoutMs,
    );
    if (reply.action !== "pong") {
      throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to ping");
    }
    return reply;
  }

  // -- the connection --------------------------------------------------------------------

  private setState(state: ConnectionState, error?: Error): void {
    try {
      this.onState(state, error);
    } catch {
      // A failing listener must not break the connection.
    }
  }

  private open(): Promise<WebSocket> {
    return new Promise<WebSocket>((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new this.WebSocketImpl(this.url);
      } catch (error) {
        reject(new ConnectionFailedError(this.url, error));
        return;
      }
      let settled = false;
      const settle = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
        if (error === null) {
          resolve(socket);
        } else {
          socket.close();
          reject(error);
        }
      };
      const timer = setTimeout(
        () => settle(new ConnectionFailedError(this.url, new Error(`no answer within ${this.openTimeoutMs} ms`))),
        this.openTimeoutMs,
      );
      // One `ping` round trip, so that a connection the server refuses right
      // after the handshake (a close code of the spec) fails here, typed.
      const probe = `${this.refPrefix}-open-${++this.refCount}`;
      socket.onopen = () => socket.send(JSON.stringify({ action: "ping", ref: probe }));
      socket.onmessage = (event: MessageEvent) => {
        const message = this.parse(event.data);
        if (message === null) return;
        if ("ref" in message && message.ref === probe) settle(null);
        else this.inbox.push({ message });
      };
      socket.onerror = () => undefined; // a close event follows, with the code
      socket.onclose = (event: CloseEvent) => {
        const refusal = refusalFor(event.code, event.reason);
        settle(refusal ?? new ConnectionFailedError(this.url, new ConnectionLostError(event.code, event.reason)));
      };
    });
  }

  private attach(socket: WebSocket): void {
    if (this.end) {
      socket.close(1000);
      return;
    }
    this.socket = socket;
    socket.onmessage = (event: MessageEvent) => {
      const message = this.parse(event.data);
      if (message !== null) this.deliver(message);
    };
    socket.onerror = () => undefined;
    socket.onclose = (event: CloseEvent) => {
      void this.lost(socket, event.code, event.reason);
    };
    for (const waiter of this.connectWaiters) waiter.resolve();
    this.connectWaiters.clear();
    this.setState("open");
  }

  private async lost(socket: WebSocket, code: number, reason: string): Promise<void> {
    if (this.socket !== socket) return;
    this.socket = null;
    this.failPending(new ConnectionLostError(code, reason));
    const refusal = refusalFor(code, reason);
    if (refusal) return this.finish(refusal);
    if (this.policy === null) return this.finish(new ConnectionLostError(code, reason));
    this.setState("reconnecting", new ConnectionLostError(code, reason));
    let attempts = 0;
    let cause: unknown = null;
    for (const delay of delays(this.policy)) {
      await this.sleep(delay);
      if (this.end) return;
      attempts++;
      try {
        const reopened = await this.open();
        this.reconnects++;
        return this.attach(reopened);
      } catch (error) {
        if (error instanceof ServerClosedError) return this.finish(error);
        cause = error instanceof ConnectionFailedError ? error.cause : error;
      }
    }
    this.finish(new ConnectionFailedError(this.url, cause, attempts));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private parse(data: unknown): ServerMessage | null {
    if (typeof data !== "string") {
      this.inbox.push({ error: new UnexpectedFrameError(data, "not a text frame") });
      return null;
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      this.inbox.push({ error: new UnexpectedFrameError(data, "not JSON") });
      return null;
    }
    if (isServerMessage(value)) return value;
    this.inbox.push({ error: new UnexpectedFrameError(data, "not a message the spec declares") });
    return null;
  }

  private deliver(message: ServerMessage): void {
    const ref = "ref" in message ? message.ref : undefined;
    const waiter = ref === undefined ? undefined : this.pending.get(ref);
    if (waiter) {
      this.pending.delete(ref as string);
      waiter.resolve(message);
    } else {
      this.inbox.push({ message });
    }
  }

  private failPending(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /** The client will not (re)connect any more: say why, once. */
  private finish(error: Error, clean = false): void {
    if (this.end) return;
    this.end = error;
    this.failPending(error);
    for (const waiter of this.connectWaiters) waiter.reject(error);
    this.connectWaiters.clear();
    this.wake?.();
    this.inbox.push(clean ? { end: true } : { error });
    this.setState("closed", clean ? undefined : error);
  }
}
