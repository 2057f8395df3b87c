// Copied from src/roomchat/codegen/runtime/typescript/channel.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
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
import { DEFAULT_RECONNECT, delays } from "./backoff.js";
import { ClientClosedError, ConnectionFailedError, ConnectionLostError, RequestTimeoutError, ServerClosedError, UnexpectedFrameError, } from "./base-errors.js";
/**
 * A server message whose `action` this client does not know: a newer server's. Yielded like any
 * message, so a client keeps working against a server that has learnt to say more. Tell it apart
 * with `instanceof UnknownMessage` (or `message.kind === "unknown"` once it is narrowed); `raw` is
 * the whole frame, as parsed JSON.
 */
export class UnknownMessage {
    action;
    raw;
    kind = "unknown";
    constructor(action, raw) {
        this.action = action;
        this.raw = raw;
    }
}
/** Messages and errors in arrival order, for one reader at a time. */
class Inbox {
    items = [];
    readers = [];
    push(item) {
        const reader = this.readers.shift();
        if (reader)
            reader(item);
        else
            this.items.push(item);
    }
    unshift(item) {
        this.items.unshift(item);
    }
    next(timeoutMs) {
        const item = this.items.shift();
        if (item)
            return Promise.resolve(item);
        return new Promise((resolve, reject) => {
            const reader = (item) => {
                clearTimeout(timer);
                resolve(item);
            };
            const timer = timeoutMs === undefined
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
export class ChannelClient {
    url;
    /** How many times the client has reconnected. */
    reconnects = 0;
    requestTimeoutMs;
    openTimeoutMs;
    spec;
    policy;
    WebSocketImpl;
    onState;
    inbox = new Inbox();
    pending = new Map();
    connectWaiters = new Set();
    refPrefix = Math.random().toString(36).slice(2, 10);
    refCount = 0;
    socket = null;
    started = false;
    end = null;
    wake = null;
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
        this.WebSocketImpl = implementation;
        this.onState = options.onState ?? (() => undefined);
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
            await this.open((socket) => this.attach(socket));
        }
        catch (error) {
            this.finish(error);
            throw error;
        }
    }
    /** Close the connection and stop reconnecting; iteration then ends. */
    close() {
        this.finish(new ClientClosedError(), true);
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
        return new Promise((resolve, reject) => {
            const waiter = {
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
    async *[Symbol.asyncIterator]() {
        for (;;) {
            const item = await this.inbox.next();
            const message = this.unwrap(item);
            if (message === null)
                return;
            yield message.value;
        }
    }
    /** The next server message (what one step of `for await` yields). */
    async receive(timeoutMs) {
        const message = this.unwrap(await this.inbox.next(timeoutMs));
        if (message === null)
            throw this.end ?? new ClientClosedError();
        return message.value;
    }
    unwrap(item) {
        if ("end" in item) {
            this.inbox.unshift(item); // every later read ends too
            return null;
        }
        if ("error" in item) {
            if (item.error === this.end)
                this.inbox.unshift(item); // every later read throws it too
            throw item.error;
        }
        return { value: item.message };
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
        const ref = `${this.refPrefix}-${++this.refCount}`;
        const action = String(message.action);
        let timer;
        const reply = new Promise((resolve, reject) => {
            this.pending.set(ref, { resolve, reject });
            timer = setTimeout(() => reject(new RequestTimeoutError(action, timeoutMs)), timeoutMs);
        });
        reply.catch(() => undefined); // rejected before it is awaited is not "unhandled"
        try {
            await this.send({ ...message, ref });
            const answer = await reply;
            const error = this.spec.replyError(answer);
            if (error)
                throw error;
            return answer;
        }
        finally {
            clearTimeout(timer);
            this.pending.delete(ref);
        }
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
    /** Open a socket (and confirm it with the probe), then hand it to `onOpen`. */
    open(onOpen) {
        return new Promise((resolve, reject) => {
            let socket;
            try {
                socket = new this.WebSocketImpl(this.url);
            }
            catch (error) {
                reject(new ConnectionFailedError(this.url, error));
                return;
            }
            let settled = false;
            const settle = (error) => {
                if (settled)
                    return;
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
            const timer = setTimeout(() => settle(new ConnectionFailedError(this.url, new Error(`no answer within ${this.openTimeoutMs} ms`))), this.openTimeoutMs);
            const probeAction = this.spec.probeAction;
            if (probeAction === null) {
                socket.onopen = () => settle(null);
            }
            else {
                // One request round trip, so that a connection the server refuses right after the
                // handshake (with a close code of the spec) fails here, typed.
                const probe = `${this.refPrefix}-open-${++this.refCount}`;
                socket.onopen = () => socket.send(JSON.stringify({ action: probeAction, ref: probe }));
                socket.onmessage = (event) => {
                    const read = this.read(event.data);
                    if (read === null)
                        return;
                    if (read.answers === probe)
                        settle(null);
                    else
                        this.inbox.push({ message: read.message });
                };
            }
            socket.onerror = () => undefined; // a close event follows, with the code
            socket.onclose = (event) => {
                const refusal = this.refusal(event.code, event.reason);
                settle(refusal ??
                    new ConnectionFailedError(this.url, new ConnectionLostError(event.code, event.reason)));
            };
        });
    }
    attach(socket) {
        if (this.end) {
            socket.close(1000);
            return;
        }
        this.socket = socket;
        socket.onmessage = (event) => {
            const read = this.read(event.data);
            if (read !== null)
                this.deliver(read);
        };
        socket.onerror = () => undefined;
        socket.onclose = (event) => {
            void this.lost(socket, event.code, event.reason);
        };
        for (const waiter of this.connectWaiters)
            waiter.resolve();
        this.connectWaiters.clear();
        this.setState("open");
    }
    async lost(socket, code, reason) {
        if (this.socket !== socket)
            return;
        this.socket = null;
        this.failPending(new ConnectionLostError(code, reason));
        const refusal = this.refusal(code, reason);
        if (refusal)
            return this.finish(refusal);
        if (this.policy === null)
            return this.finish(new ConnectionLostError(code, reason));
        this.setState("reconnecting", new ConnectionLostError(code, reason));
        let attempts = 0;
        let cause = null;
        for (const delay of delays(this.policy)) {
            await this.sleep(delay);
            if (this.end)
                return;
            attempts++;
            try {
                return await this.open((socket) => {
                    this.reconnects++;
                    this.attach(socket);
                });
            }
            catch (error) {
                if (error instanceof ServerClosedError)
                    return this.finish(error);
                cause = error instanceof ConnectionFailedError ? error.cause : error;
            }
        }
        this.finish(new ConnectionFailedError(this.url, cause, attempts));
    }
    sleep(ms) {
        return new Promise((resolve) => {
            const timer = setTimeout(done, ms);
            function done() {
                clearTimeout(timer);
                resolve();
            }
            this.wake = done;
        });
    }
    refusal(code, reason) {
        const refusal = this.spec.refusals.get(code);
        return refusal ? new refusal(reason) : null;
    }
    /**
     * The message a frame holds and the `ref` of the request it answers, if any. A frame with an
     * `action` the spec does not name is an `UnknownMessage`, answering nothing. A frame that is
     * not a JSON object with a string `action` is put in the inbox as an `UnexpectedFrameError`
     * (the connection goes on), and `null` returned.
     */
    read(data) {
        if (typeof data !== "string") {
            this.inbox.push({ error: new UnexpectedFrameError(data, "not a text frame") });
            return null;
        }
        let value;
        try {
            value = JSON.parse(data);
        }
        catch {
            this.inbox.push({ error: new UnexpectedFrameError(data, "not JSON") });
            return null;
        }
        const frame = typeof value === "object" && value !== null && !Array.isArray(value)
            ? value
            : {};
        if (typeof frame.action !== "string") {
            this.inbox.push({ error: new UnexpectedFrameError(data, "not a message: no action") });
            return null;
        }
        if (!this.spec.serverActions.includes(frame.action)) {
            const raw = value;
            return { message: new UnknownMessage(frame.action, raw), answers: null };
        }
        const answers = typeof frame.ref === "string" && this.spec.replyActions.includes(frame.action)
            ? frame.ref
            : null;
        return { message: value, answers };
    }
    deliver(read) {
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
    failPending(error) {
        for (const waiter of this.pending.values())
            waiter.reject(error);
        this.pending.clear();
    }
    /** The client will not (re)connect any more: say why, once. */
    finish(error, clean = false) {
        if (this.end)
            return;
        this.end = error;
        this.failPending(error);
        for (const waiter of this.connectWaiters)
            waiter.reject(error);
        this.connectWaiters.clear();
        this.wake?.();
        this.inbox.push(clean ? { end: true } : { error });
        this.setState("closed", clean ? undefined : error);
    }
}
