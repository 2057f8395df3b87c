/**
 * Everything that can go wrong, as errors a caller can tell apart with `instanceof`.
 *
 * The connection's own errors come from the runtime (`base-errors.ts`); the spec adds one
 * `ServerClosedError` per close code that ends the client, and `ServerError`.
 */
import { ClientError, ServerClosedError } from "./base-errors.js";
import type { ErrorMessage, ErrorDetail, ErrorReason } from "./models.js";
export { ClientClosedError, ClientError, ConnectionFailedError, ConnectionLostError, RequestTimeoutError, ServerClosedError, UnexpectedFrameError, } from "./base-errors.js";
/**
 * The room name in the URL breaks the rules of the `room_name` parameter. (close code 4400)
 */
export declare class InvalidRoomNameError extends ServerClosedError {
    static readonly code = 4400;
    constructor(reason: string);
}
/**
 * Token mode: the client presented no valid token (none offered, malformed, forged,
 * signed with an algorithm the server does not use, `alg: none`, a required claim
 * missing), a token in the query string, or `refresh_token` with an invalid token or
 * one for another user. The reason says which, never repeating the token. Do not
 * retry with the same token. (close code 4401)
 */
export declare class UnauthorizedError extends ServerClosedError {
    static readonly code = 4401;
    constructor(reason: string);
}
/**
 * The `Origin` header names a site the server does not allow (cross-site WebSocket
 * hijacking protection). The connection never joined the room. (close code 4403)
 */
export declare class OriginNotAllowedError extends ServerClosedError {
    static readonly code = 4403;
    constructor(reason: string);
}
/**
 * Token mode: the token's `rooms` claim does not grant this room (at connect, or in a
 * token sent with `refresh_token`). The connection never joined, or has left, the
 * room. (close code 4404)
 */
export declare class RoomNotAllowedError extends ServerClosedError {
    static readonly code = 4404;
    constructor(reason: string);
}
/**
 * The client stopped reading and its send buffer overflowed. It has left the room
 * (the others were told). Frames already written to the connection arrive before
 * this close; those still waiting in the send buffer were dropped. (close code 4408)
 */
export declare class SlowConsumerError extends ServerClosedError {
    static readonly code = 4408;
    constructor(reason: string);
}
/**
 * The room already holds the most connections this server process accepts. (close code 4409)
 */
export declare class RoomFullError extends ServerClosedError {
    static readonly code = 4409;
    constructor(reason: string);
}
/**
 * The client sent no frame (a `ping` counts; WebSocket control frames do not) for
 * longer than the server's idle timeout, a setting that is off by default. It has left
 * the room (the others were told). Reconnect when there is something to say, or send
 * `ping` more often than the timeout to stay. (close code 4410)
 */
export declare class IdleTimeoutError extends ServerClosedError {
    static readonly code = 4410;
    constructor(reason: string);
}
/**
 * Token mode: the token presented at connect had expired, or the connection's token
 * expired and no fresh one came through `refresh_token` in time. Get a new token and
 * reconnect. (close code 4419)
 */
export declare class TokenExpiredError extends ServerClosedError {
    static readonly code = 4419;
    constructor(reason: string);
}
/**
 * The `name` query parameter breaks the `DisplayName` rules (1 to 40 characters, not
 * all whitespace, no control characters). The connection never joined the room. (close code 4422)
 */
export declare class InvalidDisplayNameError extends ServerClosedError {
    static readonly code = 4422;
    constructor(reason: string);
}
/**
 * The `history`, `epoch` or `offset` query parameters break their rules (`history` an
 * integer from 0 to 100, `offset` a non-negative integer, `epoch` and `offset` both or
 * neither). The connection never joined the room. (close code 4423)
 */
export declare class InvalidHistoryRequestError extends ServerClosedError {
    static readonly code = 4423;
    constructor(reason: string);
}
/**
 * The client kept sending frames faster than its rate limit allowed. (close code 4429)
 */
export declare class TooManyMessagesError extends ServerClosedError {
    static readonly code = 4429;
    constructor(reason: string);
}
/**
 * The client's address (the peer's, or one forwarded by a proxy the server trusts)
 * already holds the most connections the server process allows one client, in all
 * rooms or in this room (the reason says which). It never joined the room. (close code 4430)
 */
export declare class TooManyConnectionsError extends ServerClosedError {
    static readonly code = 4430;
    constructor(reason: string);
}
/**
 * The server process already holds the most connections it accepts. (close code 4503)
 */
export declare class ServerFullError extends ServerClosedError {
    static readonly code = 4503;
    constructor(reason: string);
}
/** The close codes that end the client (never retried), each with its error. */
export declare const REFUSALS: ReadonlyMap<number, new (reason: string) => ServerClosedError>;
/** The server answered a request with an `error` frame. */
export declare class ServerError extends ClientError {
    readonly frame: ErrorMessage;
    readonly reason: ErrorReason;
    readonly details: ErrorDetail[];
    constructor(frame: ErrorMessage);
}
