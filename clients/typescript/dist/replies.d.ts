/**
 * The requests of one client that wait for their reply, by `ref`. Refs are unique to the client
 * (a random prefix and a count), across reconnections; the probe a connection opens with takes
 * its ref from the same count.
 */
export declare class Replies<M> {
    private readonly pending;
    private readonly refPrefix;
    private refCount;
    /** A fresh `ref` for the probe that opens a connection. */
    probeRef(): string;
    /**
     * Send `message` with a fresh `ref` (by `send`) and resolve with the reply that echoes it.
     * Rejects with `RequestTimeoutError` when no reply comes within `timeoutMs` (sending
     * included), and with what `failAll` is given when the connection drops first.
     */
    exchange<C extends object>(message: C | Record<string, unknown>, send: (frame: C | Record<string, unknown>) => Promise<void>, timeoutMs: number): Promise<M>;
    /** Hand `message` to the request `ref` if it still waits; `false` if none does. */
    answer(ref: string, message: M): boolean;
    /** Every waiting request rejects with `error` (the connection it was sent on is gone). */
    failAll(error: Error): void;
}
