// roomchat client: client.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
import { DEFAULT_RECONNECT, delays } from "./backoff.js";
import { ClientClosedError, ConnectionFailedError, ConnectionLostError, REFUSALS, RequestTimeoutError, ServerClosedError, ServerError, UnexpectedFrameError, } from "./errors.js";
import { SERVER_ACTIONS, } from "./models.js";
/** The channel's address; each `{parameter}` is filled in percent-encoded. */
export const PATH_TEMPLATE = "/ws/room/{room_name}";
/**
 * The channel's address under `baseUrl` (`ws://host:port`), every parameter percent-encoded as
 * one path segment (`encodeURIComponent`).
 */
export function channelUrl(baseUrl, parameters) {
    let path = PATH_TEMPLATE;
    path = path.replace("{room_name}", encodeURIComponent(parameters.roomName));
    return baseUrl.replace(/\/+$/, "") + path;
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
function isServerMessage(value) {
    if (typeof value !== "object" || value === null)
        return false;
    const action = value.action;
    return typeof action === "string" && SERVER_ACTIONS.includes(action);
}
function refusalFor(code, reason) {
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
export class RoomChatClient {
    url;
    /** How many times the client has reconnected. */
    reconnects = 0;
    requestTimeoutMs;
    openTimeoutMs;
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
    constructor(baseUrl, options) {
        this.url = channelUrl(baseUrl, options);
        this.policy = options.reconnect === null ? null : { ...DEFAULT_RECONNECT, ...options.reconnect };
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
        this.onState("connecting");
        try {
            this.attach(await this.open());
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
            yield message;
        }
    }
    /** The next server message (what one step of `for await` yields). */
    async receive(timeoutMs) {
        const message = this.unwrap(await this.inbox.next(timeoutMs));
        if (message === null)
            throw this.end ?? new ClientClosedError();
        return message;
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
        return item.message;
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
     * Rejects with `ServerError` when the reply is an `error` frame, `RequestTimeoutError`
     * when none comes within `timeoutMs`, `ConnectionLostError` when the connection drops first.
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
            if (answer.action === "error")
                throw new ServerError(answer);
            return answer;
        }
        finally {
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
    async sendRoomChat(message) {
        await this.send({ action: "room_chat", payload: { message: message, } });
    }
    /**
     * A client checks that the connection is alive.
     */
    async ping(timeoutMs) {
        const reply = await this.request({ action: "ping" }, timeoutMs);
        if (reply.action !== "pong") {
            throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to ping");
        }
        return reply;
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
    open() {
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
                if (error === null) {
                    resolve(socket);
                }
                else {
                    socket.close();
                    reject(error);
                }
            };
            const timer = setTimeout(() => settle(new ConnectionFailedError(this.url, new Error(`no answer within ${this.openTimeoutMs} ms`))), this.openTimeoutMs);
            // One `ping` round trip, so that a connection the server refuses right
            // after the handshake (a close code of the spec) fails here, typed.
            const probe = `${this.refPrefix}-open-${++this.refCount}`;
            socket.onopen = () => socket.send(JSON.stringify({ action: "ping", ref: probe }));
            socket.onmessage = (event) => {
                const message = this.parse(event.data);
                if (message === null)
                    return;
                if ("ref" in message && message.ref === probe)
                    settle(null);
                else
                    this.inbox.push({ message });
            };
            socket.onerror = () => undefined; // a close event follows, with the code
            socket.onclose = (event) => {
                const refusal = refusalFor(event.code, event.reason);
                settle(refusal ?? new ConnectionFailedError(this.url, new ConnectionLostError(event.code, event.reason)));
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
            const message = this.parse(event.data);
            if (message !== null)
                this.deliver(message);
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
        const refusal = refusalFor(code, reason);
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
                const reopened = await this.open();
                this.reconnects++;
                return this.attach(reopened);
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
    parse(data) {
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
        if (isServerMessage(value))
            return value;
        this.inbox.push({ error: new UnexpectedFrameError(data, "not a message the spec declares") });
        return null;
    }
    deliver(message) {
        const ref = "ref" in message ? message.ref : undefined;
        const waiter = ref === undefined ? undefined : this.pending.get(ref);
        if (waiter) {
            this.pending.delete(ref);
            waiter.resolve(message);
        }
        else {
            this.inbox.push({ message });
        }
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
