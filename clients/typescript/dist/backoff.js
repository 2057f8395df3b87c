export const DEFAULT_RECONNECT = Object.freeze({
    initialDelayMs: 250,
    maxDelayMs: 5000,
    multiplier: 2,
    maxAttempts: 8,
    jitter: 0.5,
});
/** The wait before each attempt, in milliseconds. */
export function* delays(policy, random = Math.random) {
    if (policy.initialDelayMs < 0 || policy.maxDelayMs < policy.initialDelayMs) {
        throw new RangeError("need 0 <= initialDelayMs <= maxDelayMs");
    }
    if (policy.multiplier < 1)
        throw new RangeError("multiplier must be at least 1");
    if (policy.jitter < 0 || policy.jitter > 1)
        throw new RangeError("jitter must be between 0 and 1");
    for (let attempt = 0; policy.maxAttempts === null || attempt < policy.maxAttempts; attempt++) {
        const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** attempt);
        yield ceiling * (1 - policy.jitter * random());
    }
}
