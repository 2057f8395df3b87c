// Copied from src/roomchat/codegen/runtime/typescript/replies.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * Request/reply correlation: every request carries a fresh `ref`, and the reply that echoes it
 * goes to the request's caller instead of the stream.
 */
import { RequestTimeoutError } from "./base-errors.js";
/**
 * The requests of one client that wait for their reply, by `ref`. Refs are unique to the client
 * (a random prefix and a count), across reconnections; the probe a connection opens with takes
 * its ref from the same count.
 */
export class Replies {
    pending = new Map();
    refPrefix = Math.random().toString(36).slice(2, 10);
    refCount = 0;
    /** A fresh `ref` for the probe that opens a connection. */
    probeRef() {
        return `${this.refPrefix}-open-${++this.refCount}`;
    }
    /**
     * Send `message` with a fresh `ref` (by `send`) and resolve with the reply that echoes it.
     * Rejects with `RequestTimeoutError` when no reply comes within `timeoutMs` (sending
     * included), and with what `failAll` is given when the connection drops first.
     */
    async exchange(message, send, timeoutMs) {
        const ref = `${this.refPrefix}-${++this.refCount}`;
        const action = String(message.action);
        let timer;
        const reply = new Promise((resolve, reject) => {
            this.pending.set(ref, { resolve, reject });
            timer = setTimeout(() => reject(new RequestTimeoutError(action, timeoutMs)), timeoutMs);
        });
        reply.catch(() => undefined); // rejected before it is awaited is not "unhandled"
        try {
            await send({ ...message, ref });
            return await reply;
        }
        finally {
            clearTimeout(timer);
            this.pending.delete(ref);
        }
    }
    /** Hand `message` to the request `ref` if it still waits; `false` if none does. */
    answer(ref, message) {
        const waiter = this.pending.get(ref);
        if (!waiter)
            return false;
        this.pending.delete(ref);
        waiter.resolve(message);
        return true;
    }
    /** Every waiting request rejects with `error` (the connection it was sent on is gone). */
    failAll(error) {
        for (const waiter of this.pending.values())
            waiter.reject(error);
        this.pending.clear();
    }
}
