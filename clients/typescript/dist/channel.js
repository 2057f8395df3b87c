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
import { DEFAULT_RECONNECT } from "./backoff.js";
import { ClientClosedError, ConnectionLostError } from "./base-errors.js";
import { Credentials } from "./credentials.js";
import { refusal } from "./frames.js";
import { handleFrame, Inbox } from "./inbox.js";
import { reopen } from "./opening.js";
import { Replies } from "./replies.js";
import { Session } from "./session.js";
import { ConnectWaiters, Pause } from "./waiting.js";
export { UnknownMessage } from "./frames.js";
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
export class ChannelClient {
    url;
    /** How many times the client has reconnected. */
    reconnects = 0;
    requestTimeoutMs;
    openTimeoutMs;
    spec;
    policy;
    opening;
    onState;
    inbox = new Inbox();
    replies = new Replies();
    connectWaiters = new ConnectWaiters();
    pause = new Pause();
    session;
    socket = null;
    started = false;
    end = null;
    constructor(url, spec, options = {}) {
        this.url = url;
        this.spec = spec;
        this.policy =
            options.reconnect === null ? null : { ...DEFAULT_RECONNECT, ...options.reconnect };
        this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
        this.openTimeoutMs = options.openTimeoutMs ?? 10_000;
        const implementation = options.webSocket ?? globalThis.WebSocket;
        if (!implementation) {
            throw new TypeError("no global WebSocket here: pass options.webSocket (e.g. the `ws` package's)");
        }
        const credentials = new Credentials(spec, options.token ?? null, options.tokenProvider ?? null);
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
    get greeting() {
        return this.session.greeting;
    }
    /** The last position (epoch, offset) the client was given; `null` before any. */
    get position() {
        return this.session.place.position;
    }
    /** What ended the latest connection's recovery; `null` when it did not recover. */
    get recoveryMessage() {
        return this.session.place.recovery;
    }
    /** Whether a connection is open right now. */
    get connected() {
        return this.socket !== null;
    }
    /** Open the connection; rejects with `ConnectionFailedError` or the server's refusal. */
    async connect() {
        if (this.started)
            throw new Error("connect() may be called once");
        this.started = true;
        this.setState("connecting");
        try {
            await this.session.open(this.opening, (socket) => this.attach(socket), true);
        }
        catch (error) {
            this.finish(error);
            throw error;
        }
    }
    /** Close the connection and stop reconnecting; iteration then ends. */
    close() {
        this.finish(new ClientClosedError(), true);
        this.session.refresher.cancel();
        const socket = this.socket;
        this.socket = null;
        socket?.close(1000);
    }
    /** Resolve once connected; reject with the reason if the client has given up. */
    waitConnected(timeoutMs = this.requestTimeoutMs) {
        if (this.end)
            return Promise.reject(this.end);
        if (this.socket)
            return Promise.resolve();
        return this.connectWaiters.wait(timeoutMs);
    }
    // -- receiving -------------------------------------------------------------------------
    async *[Symbol.asyncIterator]() {
        for (;;) {
            const message = await this.inbox.read();
            if (message === null)
                return;
            yield message.value;
        }
    }
    /** The next server message (what one step of `for await` yields). */
    async receive(timeoutMs) {
        const message = await this.inbox.read(timeoutMs);
        if (message === null)
            throw this.end ?? new ClientClosedError();
        return message.value;
    }
    // -- sending ---------------------------------------------------------------------------
    /** Send one frame: a client message, or any object sent as JSON as it is. */
    async send(message) {
        await this.sendRaw(JSON.stringify(message));
    }
    /** Send a text frame exactly as given (the server answers anything odd with an error). */
    async sendRaw(data) {
        await this.waitConnected();
        const socket = this.socket;
        if (!socket)
            throw this.end ?? new ConnectionLostError(null, "not connected");
        socket.send(data);
    }
    /**
     * Send `message` with a fresh `ref` and resolve with the reply that echoes it.
     *
     * Rejects with the error the spec makes of an error reply (see `ChannelSpec.replyError`),
     * `RequestTimeoutError` when no reply comes within `timeoutMs`, `ConnectionLostError` when
     * the connection drops first.
     */
    async request(message, timeoutMs = this.requestTimeoutMs) {
        const answer = await this.replies.exchange(message, (frame) => this.send(frame), timeoutMs);
        const error = this.spec.replyError(answer);
        if (error)
            throw error;
        this.session.answered(message);
        return answer;
    }
    // -- the connection --------------------------------------------------------------------
    setState(state, error) {
        try {
            this.onState(state, error);
        }
        catch {
            // A failing listener must not break the connection.
        }
    }
    attach(socket) {
        if (this.end) {
            socket.close(1000);
            return;
        }
        this.socket = socket;
        socket.onmessage = (event) => {
            handleFrame(event.data, this.spec, this.replies, this.session);
        };
        socket.onerror = () => undefined;
        socket.onclose = (event) => {
            void this.lost(socket, event.code, event.reason);
        };
        this.connectWaiters.resolveAll();
        this.setState("open");
    }
    async lost(socket, code, reason) {
        if (this.socket !== socket)
            return;
        this.socket = null;
        this.session.refresher.cancel();
        this.replies.failAll(new ConnectionLostError(code, reason));
        const refused = refusal(this.spec, code, reason);
        const renewing = this.session.credentials.renews(code) && this.policy !== null;
        if (refused && !renewing)
            return this.finish(refused);
        if (this.policy === null)
            return this.finish(new ConnectionLostError(code, reason));
        this.setState("reconnecting", new ConnectionLostError(code, reason));
        const open = () => this.session.open(this.opening, (socket) => {
            this.reconnects++;
            this.attach(socket);
            this.session.renew(socket, () => this.replies.probeRef());
        });
        try {
            await reopen(this.url, this.policy, open, (ms) => this.pause.sleep(ms), () => this.end !== null);
        }
        catch (error) {
            this.finish(error);
        }
    }
    /** The client will not (re)connect any more: say why, once. */
    finish(error, clean = false) {
        if (this.end)
            return;
        this.end = error;
        this.replies.failAll(error);
        this.connectWaiters.rejectAll(error);
        this.pause.cut();
        this.inbox.end(clean ? null : error);
        this.setState("closed", clean ? undefined : error);
    }
}
