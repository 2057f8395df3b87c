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
import { DEFAULT_RECONNECT, delays, type ReconnectPolicy } from "./backoff.js";
import {
  ClientClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  RequestTimeoutError,
  ServerClosedError,
  UnexpectedFrameError,
} from "./base-errors.js";

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
export class UnknownMessage {
  readonly kind = "unknown";

  constructor(
    readonly action: string,
    readonly raw: Readonly<Record<string, unknown>>,
  ) {}
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

type Item<M> = { message: M | UnknownMessage } | { error: Error } | { end: true };

/** A server message, and the `ref` of the request it answers (`null`: none). */
type Read<M> = { message: M; answers: string | null } | { message: UnknownMessage; answers: null };

interface Pending<M> {
  resolve: (message: M) => void;
  reject: (error: Error) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Messages and errors in arrival order, for one reader at a time. */
class Inbox<M> {
  private readonly items: Item<M>[] = [];
  private readonly readers: Array<(item: Item<M>) => void> = [];

  push(item: Item<M>): void {
    const reader = this.readers.shift();
    if (reader) reader(item);
    else this.items.push(item);
  }

  unshift(item: Item<M>): void {
    this.items.unshift(item);
  }

  next(timeoutMs?: number): Promise<Item<M>> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    return new Promise<Item<M>>((resolve, reject) => {
      const reader = (item: Item<M>): void => {
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

/**
 * One connection to a channel, kept open across server restarts.
 *
 * `for await (const message of client)` yields every message the server sends (an
 * `UnknownMessage` for an `action` the spec does not name); replies to `request()` go to their
 * caller instead. When the connection drops, the client reconnects
 * following `reconnect` and the iteration goes on; when it gives up, or the server closes with
 * a code of `spec.refusals`, the iteration throws the typed error.
 */
export class ChannelClient<M, C extends object> implements AsyncIterable<M | UnknownMessage> {
  readonly url: string;
  /** How many times the client has reconnected. */
  reconnects = 0;
  readonly requestTimeoutMs: number;
  readonly openTimeoutMs: number;
  private readonly spec: ChannelSpec<M>;
  private readonly policy: ReconnectPolicy | null;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly onState: (state: ConnectionState, error?: Error) => void;
  private readonly inbox = new Inbox<M>();
  private readonly pending = new Map<string, Pending<M>>();
  private readonly connectWaiters = new Set<Waiter>();
  private readonly refPrefix = Math.random().toString(36).slice(2, 10);
  private refCount = 0;
  private socket: WebSocket | null = null;
  private started = false;
  private end: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(url: string, spec: ChannelSpec<M>, options: ChannelClientOptions = {}) {
    this.url = url;
    this.spec = spec;
    this.policy =
      options.reconnect === null ? null : { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.openTimeoutMs = options.openTimeoutMs ?? 10_000;
    const implementation =
      options.webSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!implementation) {
      throw new TypeError(
        "no global WebSocket here: pass options.webSocket (e.g. the `ws` package's)",
      );
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
    this.setState("connecting");
    try {
      await this.open((socket) => this.attach(socket));
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

  async *[Symbol.asyncIterator](): AsyncGenerator<M | UnknownMessage, void, undefined> {
    for (;;) {
      const item = await this.inbox.next();
      const message = this.unwrap(item);
      if (message === null) return;
      yield message.value;
    }
  }

  /** The next server message (what one step of `for await` yields). */
  async receive(timeoutMs?: number): Promise<M | UnknownMessage> {
    const message = this.unwrap(await this.inbox.next(timeoutMs));
    if (message === null) throw this.end ?? new ClientClosedError();
    return message.value;
  }

  private unwrap(item: Item<M>): { value: M | UnknownMessage } | null {
    if ("end" in item) {
      this.inbox.unshift(item); // every later read ends too
      return null;
    }
    if ("error" in item) {
      if (item.error === this.end) this.inbox.unshift(item); // every later read throws it too
      throw item.error;
    }
    return { value: item.message };
  }

  // -- sending ---------------------------------------------------------------------------

  /** Send one frame: a client message, or any object sent as JSON as it is. */
  async send(message: C | Record<string, unknown>): Promise<void> {
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
   * Rejects with the error the spec makes of an error reply (see `ChannelSpec.replyError`),
   * `RequestTimeoutError` when no reply comes within `timeoutMs`, `ConnectionLostError` when
   * the connection drops first.
   */
  async request(
    message: C | Record<string, unknown>,
    timeoutMs: number = this.requestTimeoutMs,
  ): Promise<M> {
    const ref = `${this.refPrefix}-${++this.refCount}`;
    const action = String((message as { action?: unknown }).action);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<M>((resolve, reject) => {
      this.pending.set(ref, { resolve, reject });
      timer = setTimeout(() => reject(new RequestTimeoutError(action, timeoutMs)), timeoutMs);
    });
    reply.catch(() => undefined); // rejected before it is awaited is not "unhandled"
    try {
      await this.send({ ...message, ref });
      const answer = await reply;
      const error = this.spec.replyError(answer);
      if (error) throw error;
      return answer;
    } finally {
      clearTimeout(timer);
      this.pending.delete(ref);
    }
  }

  // -- the connection --------------------------------------------------------------------

  private setState(state: ConnectionState, error?: Error): void {
    try {
      this.onState(state, error);
    } catch {
      // A failing listener must not break the connection.
    }
  }

  /** Open a socket (and confirm it with the probe), then hand it to `onOpen`. */
  private open(onOpen: (socket: WebSocket) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
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
        if (error !== null) {
          socket.close();
          reject(error);
          return;
        }
        // Taken over at once, not after `await`: `ws` dispatches the frames read along with
        // the probe's answer right after it, and they must find the connection's handlers.
        onOpen(socket);
        resolve();
      };
      const timer = setTimeout(
        () =>
          settle(
            new ConnectionFailedError(
              this.url,
              new Error(`no answer within ${this.openTimeoutMs} ms`),
            ),
          ),
        this.openTimeoutMs,
      );
      const probeAction = this.spec.probeAction;
      if (probeAction === null) {
        socket.onopen = () => settle(null);
      } else {
        // One request round trip, so that a connection the server refuses right after the
        // handshake (with a close code of the spec) fails here, typed.
        const probe = `${this.refPrefix}-open-${++this.refCount}`;
        socket.onopen = () => socket.send(JSON.stringify({ action: probeAction, ref: probe }));
        socket.onmessage = (event: MessageEvent) => {
          const read = this.read(event.data);
          if (read === null) return;
          if (read.answers === probe) settle(null);
          else this.inbox.push({ message: read.message });
        };
      }
      socket.onerror = () => undefined; // a close event follows, with the code
      socket.onclose = (event: CloseEvent) => {
        const refusal = this.refusal(event.code, event.reason);
        settle(
          refusal ??
            new ConnectionFailedError(this.url, new ConnectionLostError(event.code, event.reason)),
        );
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
      const read = this.read(event.data);
      if (read !== null) this.deliver(read);
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
    const refusal = this.refusal(code, reason);
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
        return await this.open((socket) => {
          this.reconnects++;
          this.attach(socket);
        });
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

  private refusal(code: number, reason: string): ServerClosedError | null {
    const refusal = this.spec.refusals.get(code);
    return refusal ? new refusal(reason) : null;
  }

  /**
   * The message a frame holds and the `ref` of the request it answers, if any. A frame with an
   * `action` the spec does not name is an `UnknownMessage`, answering nothing. A frame that is
   * not a JSON object with a string `action` is put in the inbox as an `UnexpectedFrameError`
   * (the connection goes on), and `null` returned.
   */
  private read(data: unknown): Read<M> | null {
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
    const frame =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as { action?: unknown; ref?: unknown })
        : {};
    if (typeof frame.action !== "string") {
      this.inbox.push({ error: new UnexpectedFrameError(data, "not a message: no action") });
      return null;
    }
    if (!this.spec.serverActions.includes(frame.action)) {
      const raw = value as Record<string, unknown>;
      return { message: new UnknownMessage(frame.action, raw), answers: null };
    }
    const answers =
      typeof frame.ref === "string" && this.spec.replyActions.includes(frame.action)
        ? frame.ref
        : null;
    return { message: value as M, answers };
  }

  private deliver(read: Read<M>): void {
    if (read.answers !== null) {
      const waiter = this.pending.get(read.answers);
      if (waiter) {
        this.pending.delete(read.answers);
        waiter.resolve(read.message);
        return;
      }
    }
    this.inbox.push({ message: read.message });
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
