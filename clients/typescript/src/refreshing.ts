// Copied from src/roomchat/codegen/runtime/typescript/refreshing.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * Refreshing a connection's token before it expires, so the server does not close it.
 *
 * A fresh token is asked for some time before the expiry: `REFRESH_LEAD_MS`, or a third of the
 * token's remaining lifetime when that is shorter. The refresh answers with the new expiry,
 * and the next refresh is planned from it.
 */

export const REFRESH_LEAD_MS = 30_000;
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Hands the server a fresh token; resolves with the new expiry (Unix seconds), or `null`. */
export type Refresh = () => Promise<number | null>;

/** How long to wait before refreshing a token that expires at `expiresAt` (Unix seconds). */
export function refreshDelayMs(
  expiresAt: number,
  nowMs: number,
  leadMs: number = REFRESH_LEAD_MS,
): number {
  const remaining = expiresAt * 1000 - nowMs;
  return Math.max(0, remaining - Math.min(leadMs, remaining / 3));
}

/** At most one planned refresh; a new plan (a new connection's) replaces the last. */
export class TokenRefresher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(readonly leadMs: number = REFRESH_LEAD_MS) {}

  /** Refresh before `expiresAt`, then before each expiry the refresh answers with. */
  plan(expiresAt: number | null, refresh: Refresh): void {
    this.cancel();
    if (expiresAt === null) return;
    const generation = this.generation;
    const delayMs = refreshDelayMs(expiresAt, Date.now(), this.leadMs);
    if (delayMs > LONGEST_TIMER_MS) {
      // A longer timer fires at once (its delay is a 32-bit count): plan again later instead.
      this.timer = setTimeout(() => this.plan(expiresAt, refresh), LONGEST_TIMER_MS);
      return;
    }
    const refreshed = (next: number | null): void => {
      if (generation === this.generation) this.plan(next, refresh);
    };
    // On failure: the connection went (a new one plans again), the server refused the token
    // (it closes the connection and says why) or the provider failed (the token expires, and
    // the next connection asks the provider again).
    this.timer = setTimeout(() => refresh().then(refreshed, () => undefined), delayMs);
  }

  cancel(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
