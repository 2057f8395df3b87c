// Copied from src/roomchat/codegen/runtime/typescript/base-errors.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * The errors of the connection itself, whatever the channel: every one a `ClientError`.
 *
 * `errors.ts` adds the spec's own: one `ServerClosedError` per close code that ends the
 * client, and the error a request's error reply throws.
 */
/** Base of every error this package throws. */
export class ClientError extends Error {
    constructor(message) {
        super(message);
        this.name = new.target.name;
    }
}
/** The client could not connect (or reconnect) to the server. */
export class ConnectionFailedError extends ClientError {
    url;
    cause;
    attempts;
    constructor(url, cause, attempts = 1) {
        super(`could not connect to ${url} (tried ${attempts === 1 ? "once" : `${attempts} times`}): ${describe(cause)}`);
        this.url = url;
        this.cause = cause;
        this.attempts = attempts;
    }
}
/** The connection closed and the client does not reconnect (or a request was cut off). */
export class ConnectionLostError extends ClientError {
    code;
    reason;
    constructor(code, reason) {
        super(`connection lost (code ${code}${reason ? `: ${reason}` : ""})`);
        this.code = code;
        this.reason = reason;
    }
}
/** The client was closed by its owner. */
export class ClientClosedError extends ClientError {
    constructor() {
        super("the client was closed");
    }
}
/** The server refused the connection with a close code the spec declares. */
export class ServerClosedError extends ClientError {
    code;
    reason;
    constructor(code, reason) {
        super(`server closed the connection with ${code}: ${reason}`);
        this.code = code;
        this.reason = reason;
    }
}
/** No reply to a request came in time. */
export class RequestTimeoutError extends ClientError {
    action;
    timeoutMs;
    constructor(action, timeoutMs) {
        super(`no reply to "${action}" within ${timeoutMs} ms`);
        this.action = action;
        this.timeoutMs = timeoutMs;
    }
}
/** The server sent something the spec does not declare. */
export class UnexpectedFrameError extends ClientError {
    frame;
    constructor(frame, problem) {
        super(`unexpected frame from the server (${problem}): ${String(frame).slice(0, 200)}`);
        this.frame = frame;
    }
}
function describe(cause) {
    if (cause instanceof Error)
        return cause.message;
    return String(cause);
}
