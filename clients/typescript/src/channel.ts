// Copied from src/roomchat/codegen/runtime/typescript/channel.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
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
import { DEFAULT_RECONNECT, type ReconnectPolicy } from "./backoff.js";
import { ClientClosedError, ConnectionLostError } from "./base-errors.js";
import { Credentials, type TokenProvider } from "./credentials.js";
import { type ChannelSpec, refusal, type UnknownMessage } from "./frames.js";
import { handleFrame, Inbox } from "./inbox.js";
import { type Opening, reopen, type WebSocketConstructor } from "./opening.js";
import { Replies } from "./replies.js";
import { Session } from "./session.js";
import { ConnectWaiters, Pause } from "./waiting.js";

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
export class ChannelClient<M, C extends object> implements AsyncIterable<M | UnknownMessage> {
  readonly url: string;
  /** How many times the client has reconnected. */
  reconnects = 0;
  readonly requestTimeoutMs: number;
  readonly openTimeoutMs: number;
  private readonly spec: ChannelSpec<M>;
  private readonly policy: ReconnectPolicy | null;
  private readonly opening: Opening<M>;
  private readonly onState: (state: ConnectionState, error?: Error) => void;
  private readonly inbox = new Inbox<M>();
  private readonly replies = new Replies<M>();
  private readonly connectWaiters = new ConnectWaiters();
  private readonly pause = new Pause();
  private readonly session: Session<M>;
  private socket: WebSocket | null = null;
  private started = false;
  private end: Error | null = null;

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
    const credentials = new Credentials(
      spec as ChannelSpec<unknown>,
      options.token ?? null,
      options.tokenProvider ?? null,
    );
    this.session = new Session(spec, credentials, this.inbox, (frame) => this.request(frame));
    this.opening = {
      url,
      webSocket: implementation,
      openTimeoutMs: this.openTimeoutMs,
      spec,
      probeRef: () => this.replies.probeRef(),
      inbox: this.session,
    };
    this.onState = options.onState ?? (() => undefined);
  }

  /** What the server greeted the latest connection with (`spec.greetingAction`), if anything. */
  get greeting(): M | null {
    return this.session.greeting;
  }

  /** The last position (epoch, offset) the client was given; `null` before any. */
  get position(): readonly [epoch: string, offset: number] | null {
    return this.session.place.position;
  }

  /** What ended the latest connection's recovery; `null` when it did not recover. */
  get recoveryMessage(): M | null {
    return this.session.place.recovery;
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
      await this.session.open(this.opening, (socket) => this.attach(socket), true);
    } catch (error) {
      this.finish(error as Error);
      throw error;
    }
  }

  /** Close the connection and stop reconnecting; iteration then ends. */
  close(): void {
    this.finish(new ClientClosedError(), true);
    this.session.refresher.cancel();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
  }

  /** Resolve once connected; reject with the reason if the client has given up. */
  waitConnected(timeoutMs: number = this.requestTimeoutMs): Promise<void> {
    if (this.end) return Promise.reject(this.end);
    if (this.socket) return Promise.resolve();
    return this.connectWaiters.wait(timeoutMs);
  }

  // -- receiving -------------------------------------------------------------------------

  async *[Symbol.asyncIterator](): AsyncGenerator<M | UnknownMessage, void, undefined> {
    for (;;) {
      const message = await this.inbox.read();
      if (message === null) return;
      yield message.value;
    }
  }

  /** The next server message (what one step of `for await` yields). */
  async receive(timeoutMs?: number): Promise<M | UnknownMessage> {
    const message = await this.inbox.read(timeoutMs);
    if (message === null) throw this.end ?? new ClientClosedError();
    return message.value;
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
    const answer = await this.replies.exchange(message, (frame) => this.send(frame), timeoutMs);
    const error = this.spec.replyError(answer);
    if (error) throw error;
    this.session.answered(message as Record<string, unknown>);
    return answer;
  }

  // -- the connection --------------------------------------------------------------------

  private setState(state: ConnectionState, error?: Error): void {
    try {
      this.onState(state, error);
    } catch {
      // A failing listener must not break the connection.
    }
  }

  private attach(socket: WebSocket): void {
    if (this.end) {
      socket.close(1000);
      return;
    }
    this.socket = socket;
    socket.onmessage = (event: MessageEvent) => {
      handleFrame(event.data, this.spec, this.replies, this.session);
    };
    socket.onerror = () => undefined;
    socket.onclose = (event: CloseEvent) => {
      void this.lost(socket, event.code, event.reason);
    };
    this.connectWaiters.resolveAll();
    this.setState("open");
  }

  private async lost(socket: WebSocket, code: number, reason: string): Promise<void> {
    if (this.socket !== socket) return;
    this.socket = null;
    this.session.refresher.cancel();
    this.replies.failAll(new ConnectionLostError(code, reason));
    const refused = refusal(this.spec, code, reason);
    const renewing = this.session.credentials.renews(code) && this.policy !== null;
    if (refused && !renewing) return this.finish(refused);
    if (this.policy === null) return this.finish(new ConnectionLostError(code, reason));
    this.setState("reconnecting", new ConnectionLostError(code, reason));
    const open = (): Promise<void> =>
      this.session.open(this.opening, (socket) => {
        this.reconnects++;
        this.attach(socket);
        this.session.renew(socket, () => this.replies.probeRef());
      });
    try {
      await reopen(
        this.url,
        this.policy,
        open,
        (ms) => this.pause.sleep(ms),
        () => this.end !== null,
      );
    } catch (error) {
      this.finish(error as Error);
    }
  }

  /** The client will not (re)connect any more: say why, once. */
  private finish(error: Error, clean = false): void {
    if (this.end) return;
    this.end = error;
    this.replies.failAll(error);
    this.connectWaiters.rejectAll(error);
    this.pause.cut();
    this.inbox.end(clean ? null : error);
    this.setState("closed", clean ? undefined : error);
  }
}
