export * from "./models.js";
export * from "./errors.js";
export * from "./backoff.js";
export * from "./client.js";
