// Copied from src/roomchat/codegen/runtime/typescript/frames.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * Frames: what the runtime knows of a channel (`ChannelSpec`), and what a server frame holds.
 *
 * Frames are JSON objects; a client frame sent with `request()` carries a fresh `ref`, and a
 * reply echoes it in its own `ref`. A frame whose `action` the client does not know (a newer
 * server's message) is an `UnknownMessage`, and the stream goes on.
 */
import { type ServerClosedError, UnexpectedFrameError } from "./base-errors.js";
import type { RecoverySpec } from "./recovery.js";

/**
 * A server message whose `action` this client does not know: a newer server's. Yielded like any
 * message, so a client keeps working against a server that has learnt to say more. Tell it apart
 * with `instanceof UnknownMessage` (or `message.kind === "unknown"` once it is narrowed); `raw` is
 * the whole frame, as parsed JSON.
 */
export class UnknownMessage {
  readonly kind = "unknown";

  constructor(
    readonly action: string,
    readonly raw: Readonly<Record<string, unknown>>,
  ) {}
}

/** What the runtime needs to know about a channel; the generated client states it. */
export interface ChannelSpec<M> {
  /** The `action` of every message the server may send; another is an `UnknownMessage`. */
  readonly serverActions: readonly string[];
  /** The `action` of every server message that answers a request (echoing its `ref`). */
  readonly replyActions: readonly string[];
  /**
   * The close codes that end the client, never retried, each with its error (given the close
   * reason). Any other close is a dropped connection: the client reconnects.
   */
  readonly refusals: ReadonlyMap<number, new (reason: string) => ServerClosedError>;
  /**
   * A request without payload sent on every new connection, so that a connection the server
   * closes right after the handshake fails while opening; `null` for none.
   */
  readonly probeAction: string | null;
  /** The error a reply stands for (the spec's error frame), or `null` for an answer. */
  readonly replyError: (reply: M) => Error | null;
  /**
   * The WebSocket subprotocols offered on every connection; the server may select one of them
   * or none (a server that selects none still gets a working client).
   */
  readonly subprotocols?: readonly string[];
  /** A token travels as one more subprotocol: this prefix followed by the token. */
  readonly tokenSubprotocolPrefix?: string | null;
  /**
   * The `action` of the message that tells a new connection who it is: kept as the client's
   * `greeting` (the latest connection's) instead of going to the stream.
   */
  readonly greetingAction?: string | null;
  /**
   * Close codes of `refusals` after which a fresh token may succeed: a client with a token
   * provider reconnects with a fresh token; one with a fixed token ends.
   */
  readonly renewals?: readonly number[];
  /**
   * When the connection's token expires (Unix seconds), read from the greeting or from the
   * answer to `refreshFrame`; `null`: no expiry.
   */
  readonly tokenExpiry?: ((message: M) => number | null) | null;
  /** The request that hands the server a fresh token before the current one expires. */
  readonly refreshFrame?: ((token: string) => Record<string, unknown>) | null;
  /**
   * Requests that hold for as long as a connection lasts (a subscription): sent again on every
   * new connection, their answers then going to the stream.
   */
  readonly renewedActions?: readonly string[];
  /**
   * How the client keeps its position in the channel's numbered messages and presents it when
   * it reconnects; `null`: the channel numbers none.
   */
  readonly recovery?: RecoverySpec<M> | null;
  /**
   * Query parameters that ask for something on joining: sent on the first connection only (a
   * reconnecting client recovers what it missed instead).
   */
  readonly firstConnectionQuery?: readonly string[];
}

/** A server message, and the `ref` of the request it answers (`null`: none). */
export type Read<M> =
  { message: M; answers: string | null } | { message: UnknownMessage; answers: null };

/**
 * The message a frame holds and the `ref` of the request it answers, if any. A frame with an
 * `action` the spec does not name is an `UnknownMessage`, answering nothing. A frame that is
 * not a JSON object with a string `action` is an `UnexpectedFrameError` (returned: the
 * connection goes on).
 */
export function readFrame<M>(spec: ChannelSpec<M>, data: unknown): Read<M> | UnexpectedFrameError {
  if (typeof data !== "string") return new UnexpectedFrameError(data, "not a text frame");
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return new UnexpectedFrameError(data, "not JSON");
  }
  const frame =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as { action?: unknown; ref?: unknown })
      : {};
  if (typeof frame.action !== "string") {
    return new UnexpectedFrameError(data, "not a message: no action");
  }
  if (!spec.serverActions.includes(frame.action)) {
    const raw = value as Record<string, unknown>;
    return { message: new UnknownMessage(frame.action, raw), answers: null };
  }
  const answers =
    typeof frame.ref === "string" && spec.replyActions.includes(frame.action) ? frame.ref : null;
  return { message: value as M, answers };
}

/** The error a close with `code` ends the client with, or `null`: a dropped connection. */
export function refusal<M>(
  spec: ChannelSpec<M>,
  code: number,
  reason: string,
): ServerClosedError | null {
  const refused = spec.refusals.get(code);
  return refused ? new refused(reason) : null;
}
