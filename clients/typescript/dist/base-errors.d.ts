/**
 * The errors of the connection itself, whatever the channel: every one a `ClientError`.
 *
 * `errors.ts` adds the spec's own: one `ServerClosedError` per close code that ends the
 * client, and the error a request's error reply throws.
 */
/** Base of every error this package throws. */
export declare class ClientError extends Error {
    constructor(message: string);
}
/** The client could not connect (or reconnect) to the server. */
export declare class ConnectionFailedError extends ClientError {
    readonly url: string;
    readonly cause: unknown;
    readonly attempts: number;
    constructor(url: string, cause: unknown, attempts?: number);
}
/** The connection closed and the client does not reconnect (or a request was cut off). */
export declare class ConnectionLostError extends ClientError {
    readonly code: number | null;
    readonly reason: string;
    constructor(code: number | null, reason: string);
}
/** The client was closed by its owner. */
export declare class ClientClosedError extends ClientError {
    constructor();
}
/** The server refused the connection with a close code the spec declares. */
export declare class ServerClosedError extends ClientError {
    readonly code: number;
    readonly reason: string;
    constructor(code: number, reason: string);
}
/** No reply to a request came in time. */
export declare class RequestTimeoutError extends ClientError {
    readonly action: string;
    readonly timeoutMs: number;
    constructor(action: string, timeoutMs: number);
}
/** The server sent something the spec does not declare. */
export declare class UnexpectedFrameError extends ClientError {
    readonly frame: unknown;
    constructor(frame: unknown, problem: string);
}
