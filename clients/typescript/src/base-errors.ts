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
    super(
      `could not connect to ${url} (tried ${attempts === 1 ? "once" : `${attempts} times`}): ${describe(cause)}`,
    );
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
