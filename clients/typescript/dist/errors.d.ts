import type { ErrorMessage, ErrorDetail, ErrorReason } from "./models.js";
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
/** The room name in the URL breaks the rules of the `room_name` parameter. (close code 4400) */
export declare class InvalidRoomNameError extends ServerClosedError {
    static readonly code = 4400;
    constructor(reason: string);
}
/** The `Origin` header names a site the server does not allow (cross-site WebSocket
hijacking protection). The connection never joined the room. (close code 4403) */
export declare class OriginNotAllowedError extends ServerClosedError {
    static readonly code = 4403;
    constructor(reason: string);
}
/** The client stopped reading and its send buffer overflowed. It has left the room
(the others were told). Frames already written to the connection arrive before
this close; those still waiting in the send buffer were dropped. (close code 4408) */
export declare class SlowConsumerError extends ServerClosedError {
    static readonly code = 4408;
    constructor(reason: string);
}
/** The room already holds the most connections this server process accepts. (close code 4409) */
export declare class RoomFullError extends ServerClosedError {
    static readonly code = 4409;
    constructor(reason: string);
}
/** The client sent no frame (a `ping` counts; WebSocket control frames do not) for
longer than the server's idle timeout, a setting that is off by default. It has left
the room (the others were told). Reconnect when there is something to say, or send
`ping` more often than the timeout to stay. (close code 4410) */
export declare class IdleTimeoutError extends ServerClosedError {
    static readonly code = 4410;
    constructor(reason: string);
}
/** The client kept sending frames faster than its rate limit allowed. (close code 4429) */
export declare class TooManyMessagesError extends ServerClosedError {
    static readonly code = 4429;
    constructor(reason: string);
}
/** The server process already holds the most connections it accepts. (close code 4503) */
export declare class ServerFullError extends ServerClosedError {
    static readonly code = 4503;
    constructor(reason: string);
}
/** The close codes that mean "refused": never retried. */
export declare const REFUSALS: ReadonlyMap<number, new (reason: string) => ServerClosedError>;
/** The server answered a request with an `error` frame. */
export declare class ServerError extends ClientError {
    readonly frame: ErrorMessage;
    readonly reason: ErrorReason;
    readonly details: ErrorDetail[];
    constructor(frame: ErrorMessage);
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
