// Copied from src/roomchat/codegen/runtime/typescript/waiting.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * What the client's life cycle waits on: callers waiting for the connection to open, and the
 * pause before a reconnection attempt, which the client's end cuts short.
 */
import { ConnectionLostError } from "./base-errors.js";
/** Callers of `waitConnected()`, until the connection opens or the client ends. */
export class ConnectWaiters {
    waiters = new Set();
    /** Resolves once `resolveAll` is called; rejects after `timeoutMs`, or with `rejectAll`'s. */
    wait(timeoutMs) {
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
                this.waiters.delete(waiter);
                reject(new ConnectionLostError(null, `not reconnected within ${timeoutMs} ms`));
            }, timeoutMs);
            this.waiters.add(waiter);
        });
    }
    /** The connection is open. */
    resolveAll() {
        for (const waiter of this.waiters)
            waiter.resolve();
        this.waiters.clear();
    }
    /** The client has ended, with `error`. */
    rejectAll(error) {
        for (const waiter of this.waiters)
            waiter.reject(error);
        this.waiters.clear();
    }
}
/** The pause before a reconnection attempt; `cut()` ends it at once. */
export class Pause {
    wake = null;
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
    cut() {
        this.wake?.();
    }
}
