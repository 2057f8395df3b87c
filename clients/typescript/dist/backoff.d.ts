/**
 * Delays between reconnection attempts: jittered exponential backoff, bounded.
 *
 * Attempt `n` (from 0) waits `min(maxDelayMs, initialDelayMs * multiplier ** n)`, less a random
 * share of up to `jitter` of it, so clients dropped together do not return together.
 * `maxAttempts: null` retries forever. Pass `reconnect: null` to a client to turn it off.
 */
export interface ReconnectPolicy {
    initialDelayMs: number;
    maxDelayMs: number;
    multiplier: number;
    maxAttempts: number | null;
    jitter: number;
}
export declare const DEFAULT_RECONNECT: Readonly<ReconnectPolicy>;
/** The wait before each attempt, in milliseconds. */
export declare function delays(policy: ReconnectPolicy, random?: () => number): Generator<number, void, undefined>;
