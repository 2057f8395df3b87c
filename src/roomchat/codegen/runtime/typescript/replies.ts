/**
 * Request/reply correlation: every request carries a fresh `ref`, and the reply that echoes it
 * goes to the request's caller instead of the stream.
 */
import { RequestTimeoutError } from "./base-errors.js";

interface Pending<M> {
  resolve: (message: M) => void;
  reject: (error: Error) => void;
}

/**
 * The requests of one client that wait for their reply, by `ref`. Refs are unique to the client
 * (a random prefix and a count), across reconnections; the probe a connection opens with takes
 * its ref from the same count.
 */
export class Replies<M> {
  private readonly pending = new Map<string, Pending<M>>();
  private readonly refPrefix = Math.random().toString(36).slice(2, 10);
  private refCount = 0;

  /** A fresh `ref` for the probe that opens a connection. */
  probeRef(): string {
    return `${this.refPrefix}-open-${++this.refCount}`;
  }

  /**
   * Send `message` with a fresh `ref` (by `send`) and resolve with the reply that echoes it.
   * Rejects with `RequestTimeoutError` when no reply comes within `timeoutMs` (sending
   * included), and with what `failAll` is given when the connection drops first.
   */
  async exchange<C extends object>(
    message: C | Record<string, unknown>,
    send: (frame: C | Record<string, unknown>) => Promise<void>,
    timeoutMs: number,
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
      await send({ ...message, ref });
      return await reply;
    } finally {
      clearTimeout(timer);
      this.pending.delete(ref);
    }
  }

  /** Hand `message` to the request `ref` if it still waits; `false` if none does. */
  answer(ref: string, message: M): boolean {
    const waiter = this.pending.get(ref);
    if (!waiter) return false;
    this.pending.delete(ref);
    waiter.resolve(message);
    return true;
  }

  /** Every waiting request rejects with `error` (the connection it was sent on is gone). */
  failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
