// Copied from src/roomchat/codegen/runtime/typescript/backoff.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
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

export const DEFAULT_RECONNECT: Readonly<ReconnectPolicy> = Object.freeze({
  initialDelayMs: 250,
  maxDelayMs: 5000,
  multiplier: 2,
  maxAttempts: 8,
  jitter: 0.5,
});

/** The wait before each attempt, in milliseconds. */
export function* delays(
  policy: ReconnectPolicy,
  random: () => number = Math.random,
): Generator<number, void, undefined> {
  if (policy.initialDelayMs < 0 || policy.maxDelayMs < policy.initialDelayMs) {
    throw new RangeError("need 0 <= initialDelayMs <= maxDelayMs");
  }
  if (policy.multiplier < 1) throw new RangeError("multiplier must be at least 1");
  if (policy.jitter < 0 || policy.jitter > 1)
    throw new RangeError("jitter must be between 0 and 1");
  for (let attempt = 0; policy.maxAttempts === null || attempt < policy.maxAttempts; attempt++) {
    const ceiling = Math.min(
      policy.maxDelayMs,
      policy.initialDelayMs * policy.multiplier ** attempt,
    );
    yield ceiling * (1 - policy.jitter * random());
  }
}
