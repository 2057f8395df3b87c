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
/** The room name in the URL breaks the rules of the `room_name` parameter. (close code 4400) */
export class InvalidRoomNameError extends ServerClosedError {
    static code = 4400;
    constructor(reason) {
        super(4400, reason);
    }
}
/** The `Origin` header names a site the server does not allow (cross-site WebSocket
hijacking protection). The connection never joined the room. (close code 4403) */
export class OriginNotAllowedError extends ServerClosedError {
    static code = 4403;
    constructor(reason) {
        super(4403, reason);
    }
}
/** The client stopped reading and its send buffer overflowed. It has left the room
(the others were told). Frames already written to the connection arrive before
this close; those still waiting in the send buffer were dropped. (close code 4408) */
export class SlowConsumerError extends ServerClosedError {
    static code = 4408;
    constructor(reason) {
        super(4408, reason);
    }
}
/** The room already holds the most connections this server process accepts. (close code 4409) */
export class RoomFullError extends ServerClosedError {
    static code = 4409;
    constructor(reason) {
        super(4409, reason);
    }
}
/** The client sent no frame (a `ping` counts; WebSocket control frames do not) for
longer than the server's idle timeout, a setting that is off by default. It has left
the room (the others were told). Reconnect when there is something to say, or send
`ping` more often than the timeout to stay. (close code 4410) */
export class IdleTimeoutError extends ServerClosedError {
    static code = 4410;
    constructor(reason) {
        super(4410, reason);
    }
}
/** The client kept sending frames faster than its rate limit allowed. (close code 4429) */
export class TooManyMessagesError extends ServerClosedError {
    static code = 4429;
    constructor(reason) {
        super(4429, reason);
    }
}
/** The server process already holds the most connections it accepts. (close code 4503) */
export class ServerFullError extends ServerClosedError {
    static code = 4503;
    constructor(reason) {
        super(4503, reason);
    }
}
/** The close codes that mean "refused": never retried. */
export const REFUSALS = new Map([
    [4400, InvalidRoomNameError],
    [4403, OriginNotAllowedError],
    [4408, SlowConsumerError],
    [4409, RoomFullError],
    [4410, IdleTimeoutError],
    [4429, TooManyMessagesError],
    [4503, ServerFullError],
]);
/** The server answered a request with an `error` frame. */
export class ServerError extends ClientError {
    frame;
    reason;
    details;
    constructor(frame) {
        super(`${frame.payload.reason}: ${frame.payload.message}`);
        this.frame = frame;
        this.reason = frame.payload.reason;
        this.details = frame.payload.details;
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
