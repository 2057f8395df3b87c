// roomchat client: errors.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
import type { ErrorMessage, ErrorDetail, ErrorReason } from "./models.js";

/** Base of every error this package throws. */
export class ClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The client could not connect (or reconnect) to the server. */
export class ConnectionFailedError extends ClientError {
  constructor(
    readonly url: string,
    readonly cause: unknown,
    readonly attempts: number = 1,
  ) {
    super(`could not connect to ${url} (tried ${attempts === 1 ? "once" : `${attempts} times`}): ${describe(cause)}`);
  }
}

/** The connection closed and the client does not reconnect (or a request was cut off). */
export class ConnectionLostError extends ClientError {
  constructor(
    readonly code: number | null,
    readonly reason: string,
  ) {
    super(`connection lost (code ${code}${reason ? `: ${reason}` : ""})`);
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
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`server closed the connection with ${code}: ${reason}`);
  }
}

/** The room name in the URL breaks the rules of the `room_name` parameter. (close code 4400) */
export class InvalidRoomNameError extends ServerClosedError {
  static readonly code = 4400;

  constructor(reason: string) {
    super(4400, reason);
  }
}

/** The `Origin` header names a site the server does not allow (cross-site WebSocket
hijacking protection). The connection never joined the room. (close code 4403) */
export class OriginNotAllowedError extends ServerClosedError {
  static readonly code = 4403;

  constructor(reason: string) {
    super(4403, reason);
  }
}

/** The client stopped reading and its send buffer overflowed. It has left the room
(the others were told). Frames already written to the connection arrive before
this close; those still waiting in the send buffer were dropped. (close code 4408) */
export class SlowConsumerError extends ServerClosedError {
  static readonly code = 4408;

  constructor(reason: string) {
    super(4408, reason);
  }
}

/** The room already holds the most connections this server process accepts. (close code 4409) */
export class RoomFullError extends ServerClosedError {
  static readonly code = 4409;

  constructor(reason: string) {
    super(4409, reason);
  }
}

/** The client sent no frame (a `ping` counts; WebSocket control frames do not) for
longer than the server's idle timeout, a setting that is off by default. It has left
the room (the others were told). Reconnect when there is something to say, or send
`ping` more often than the timeout to stay. (close code 4410) */
export class IdleTimeoutError extends ServerClosedError {
  static readonly code = 4410;

  constructor(reason: string) {
    super(4410, reason);
  }
}

/** The client kept sending frames faster than its rate limit allowed. (close code 4429) */
export class TooManyMessagesError extends ServerClosedError {
  static readonly code = 4429;

  constructor(reason: string) {
    super(4429, reason);
  }
}

/** The server process already holds the most connections it accepts. (close code 4503) */
export class ServerFullError extends ServerClosedError {
  static readonly code = 4503;

  constructor(reason: string) {
    super(4503, reason);
  }
}

/** The close codes that mean "refused": never retried. */
export const REFUSALS: ReadonlyMap<number, new (reason: string) => ServerClosedError> = new Map<
  number,
  new (reason: string) => ServerClosedError
>([
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
  readonly reason: ErrorReason;
  readonly details: ErrorDetail[];

  constructor(readonly frame: ErrorMessage) {
    super(`${frame.payload.reason}: ${frame.payload.message}`);
    this.reason = frame.payload.reason;
    this.details = frame.payload.details;
  }
}

/** No reply to a request came in time. */
export class RequestTimeoutError extends ClientError {
  constructor(
    readonly action: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply to "${action}" within ${timeoutMs} ms`);
  }
}

/** The server sent something the spec does not declare. */
export class UnexpectedFrameError extends ClientError {
  constructor(
    readonly frame: unknown,
    problem: string,
  ) {
    super(`unexpected frame from the server (${problem}): ${String(frame).slice(0, 200)}`);
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
