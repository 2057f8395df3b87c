// roomchat client: errors.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
/**
 * Everything that can go wrong, as errors a caller can tell apart with `instanceof`.
 *
 * The connection's own errors come from the runtime (`base-errors.ts`); the spec adds one
 * `ServerClosedError` per close code that ends the client, and `ServerError`.
 */
import { ClientError, ServerClosedError } from "./base-errors.js";
export { ClientClosedError, ClientError, ConnectionFailedError, ConnectionLostError, RequestTimeoutError, ServerClosedError, UnexpectedFrameError, } from "./base-errors.js";
/**
 * The room name in the URL breaks the rules of the `room_name` parameter. (close code 4400)
 */
export class InvalidRoomNameError extends ServerClosedError {
    static code = 4400;
    constructor(reason) {
        super(4400, reason);
    }
}
/**
 * Token mode: the client presented no valid token (none offered, malformed, forged,
 * signed with an algorithm the server does not use, `alg: none`, a required claim
 * missing), a token in the query string, or `refresh_token` with an invalid token or
 * one for another user. The reason says which, never repeating the token. Do not
 * retry with the same token. (close code 4401)
 */
export class UnauthorizedError extends ServerClosedError {
    static code = 4401;
    constructor(reason) {
        super(4401, reason);
    }
}
/**
 * The `Origin` header names a site the server does not allow (cross-site WebSocket
 * hijacking protection). The connection never joined the room. (close code 4403)
 */
export class OriginNotAllowedError extends ServerClosedError {
    static code = 4403;
    constructor(reason) {
        super(4403, reason);
    }
}
/**
 * Token mode: the token's `rooms` claim does not grant this room (at connect, or in a
 * token sent with `refresh_token`). The connection never joined, or has left, the
 * room. (close code 4404)
 */
export class RoomNotAllowedError extends ServerClosedError {
    static code = 4404;
    constructor(reason) {
        super(4404, reason);
    }
}
/**
 * The client stopped reading and its send buffer overflowed. It has left the room
 * (the others were told). Frames already written to the connection arrive before
 * this close; those still waiting in the send buffer were dropped. (close code 4408)
 */
export class SlowConsumerError extends ServerClosedError {
    static code = 4408;
    constructor(reason) {
        super(4408, reason);
    }
}
/**
 * The room already holds the most connections this server process accepts. (close code 4409)
 */
export class RoomFullError extends ServerClosedError {
    static code = 4409;
    constructor(reason) {
        super(4409, reason);
    }
}
/**
 * The client sent no frame (a `ping` counts; WebSocket control frames do not) for
 * longer than the server's idle timeout, a setting that is off by default. It has left
 * the room (the others were told). Reconnect when there is something to say, or send
 * `ping` more often than the timeout to stay. (close code 4410)
 */
export class IdleTimeoutError extends ServerClosedError {
    static code = 4410;
    constructor(reason) {
        super(4410, reason);
    }
}
/**
 * Token mode: the token presented at connect had expired, or the connection's token
 * expired and no fresh one came through `refresh_token` in time. Get a new token and
 * reconnect. (close code 4419)
 */
export class TokenExpiredError extends ServerClosedError {
    static code = 4419;
    constructor(reason) {
        super(4419, reason);
    }
}
/**
 * The `name` query parameter breaks the `DisplayName` rules (1 to 40 characters, not
 * all whitespace, no control characters). The connection never joined the room. (close code 4422)
 */
export class InvalidDisplayNameError extends ServerClosedError {
    static code = 4422;
    constructor(reason) {
        super(4422, reason);
    }
}
/**
 * The `history`, `epoch` or `offset` query parameters break their rules (`history` an
 * integer from 0 to 100, `offset` a non-negative integer, `epoch` and `offset` both or
 * neither). The connection never joined the room. (close code 4423)
 */
export class InvalidHistoryRequestError extends ServerClosedError {
    static code = 4423;
    constructor(reason) {
        super(4423, reason);
    }
}
/**
 * The client kept sending frames faster than its rate limit allowed. (close code 4429)
 */
export class TooManyMessagesError extends ServerClosedError {
    static code = 4429;
    constructor(reason) {
        super(4429, reason);
    }
}
/**
 * The client's address (the peer's, or one forwarded by a proxy the server trusts)
 * already holds the most connections the server process allows one client, in all
 * rooms or in this room (the reason says which). It never joined the room. (close code 4430)
 */
export class TooManyConnectionsError extends ServerClosedError {
    static code = 4430;
    constructor(reason) {
        super(4430, reason);
    }
}
/**
 * The server process already holds the most connections it accepts. (close code 4503)
 */
export class ServerFullError extends ServerClosedError {
    static code = 4503;
    constructor(reason) {
        super(4503, reason);
    }
}
/** The close codes that end the client (never retried), each with its error. */
export const REFUSALS = new Map([
    [4400, InvalidRoomNameError],
    [4401, UnauthorizedError],
    [4403, OriginNotAllowedError],
    [4404, RoomNotAllowedError],
    [4408, SlowConsumerError],
    [4409, RoomFullError],
    [4410, IdleTimeoutError],
    [4419, TokenExpiredError],
    [4422, InvalidDisplayNameError],
    [4423, InvalidHistoryRequestError],
    [4429, TooManyMessagesError],
    [4430, TooManyConnectionsError],
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
