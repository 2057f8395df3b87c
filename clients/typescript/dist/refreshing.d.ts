/**
 * Refreshing a connection's token before it expires, so the server does not close it.
 *
 * A fresh token is asked for some time before the expiry: `REFRESH_LEAD_MS`, or a third of the
 * token's remaining lifetime when that is shorter. The refresh answers with the new expiry,
 * and the next refresh is planned from it.
 */
export declare const REFRESH_LEAD_MS = 30000;
/** Hands the server a fresh token; resolves with the new expiry (Unix seconds), or `null`. */
export type Refresh = () => Promise<number | null>;
/** How long to wait before refreshing a token that expires at `expiresAt` (Unix seconds). */
export declare function refreshDelayMs(expiresAt: number, nowMs: number, leadMs?: number): number;
/** At most one planned refresh; a new plan (a new connection's) replaces the last. */
export declare class TokenRefresher {
    readonly leadMs: number;
    private timer;
    private generation;
    constructor(leadMs?: number);
    /** Refresh before `expiresAt`, then before each expiry the refresh answers with. */
    plan(expiresAt: number | null, refresh: Refresh): void;
    cancel(): void;
}
