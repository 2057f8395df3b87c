/**
 * What the client's life cycle waits on: callers waiting for the connection to open, and the
 * pause before a reconnection attempt, which the client's end cuts short.
 */
import { ConnectionLostError } from "./base-errors.js";

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Callers of `waitConnected()`, until the connection opens or the client ends. */
export class ConnectWaiters {
  private readonly waiters = new Set<Waiter>();

  /** Resolves once `resolveAll` is called; rejects after `timeoutMs`, or with `rejectAll`'s. */
  wait(timeoutMs: number): Promise<void> {
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
        this.waiters.delete(waiter);
        reject(new ConnectionLostError(null, `not reconnected within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The connection is open. */
  resolveAll(): void {
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }

  /** The client has ended, with `error`. */
  rejectAll(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }
}

/** The pause before a reconnection attempt; `cut()` ends it at once. */
export class Pause {
  private wake: (() => void) | null = null;

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  cut(): void {
    this.wake?.();
  }
}
