/** Callers of `waitConnected()`, until the connection opens or the client ends. */
export declare class ConnectWaiters {
    private readonly waiters;
    /** Resolves once `resolveAll` is called; rejects after `timeoutMs`, or with `rejectAll`'s. */
    wait(timeoutMs: number): Promise<void>;
    /** The connection is open. */
    resolveAll(): void;
    /** The client has ended, with `error`. */
    rejectAll(error: Error): void;
}
/** The pause before a reconnection attempt; `cut()` ends it at once. */
export declare class Pause {
    private wake;
    sleep(ms: number): Promise<void>;
    cut(): void;
}
