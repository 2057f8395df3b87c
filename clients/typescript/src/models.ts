// roomchat client: models.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.

/**
 * A room's name, as decoded from the URL: 1 to 100 characters, not all whitespace,
 * no control characters.
 *
 * Constraints: min length: 1, max length: 100, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$".
 */
export type RoomName = string;

/**
 * A client-chosen correlation id, echoed on replies.
 *
 * Constraints: min length: 1, max length: 64.
 */
export type Ref = string;

/**
 * Version of the correlation envelope; present whenever `ref` is.
 *
 * Constraints: integer.
 */
export type EnvelopeVersion = 1;

export interface RoomChatPayload {
  /**
   * The text to post, 1 to 4000 characters.
   *
   * Constraints: min length: 1, max length: 4000.
   */
  message: string;
}

/**
 * A chat message a client posts to its room.
 */
export interface RoomChatMessage {
  action: "room_chat";
  payload: RoomChatPayload;
  /**
   * The frame's correlation id; `null` is the same as leaving it out.
   */
  ref?: Ref | null;
}

/**
 * Asks the server to answer with `pong`.
 */
export interface PingMessage {
  action: "ping";
  /**
   * Constraints: default: null.
   */
  payload?: null;
  /**
   * The frame's correlation id; `null` is the same as leaving it out.
   */
  ref?: Ref | null;
}

export interface RoomNotificationPayload {
  /**
   * The text shown to members: `💬 <text>` for chat, `🚪 Someone joined room '<room_name>'`
   * or `👋 Someone left room '<room_name>'` for notices.
   */
  message: string;
  room_name: RoomName;
}

/**
 * A chat message or a join/leave notice delivered to members of a room.
 */
export interface RoomNotificationMessage {
  action: "room_notification";
  payload: RoomNotificationPayload;
}

/**
 * The answer to `ping`.
 */
export interface PongMessage {
  action: "pong";
  /**
   * Constraints: default: null.
   */
  payload?: null;
  ref?: Ref;
  version?: EnvelopeVersion;
}

/**
 * Why a frame was refused.
 *
 * * `invalid_json`: the text frame is not valid JSON, or nests arrays and objects
 *   deeper than the server parses.
 * * `binary_frame`: the frame is binary; only text frames are accepted.
 * * `unknown_action`: `action` is missing, not a string, or not one the server accepts.
 * * `invalid_message`: the frame is not a JSON object, or does not match the schema of
 *   its action (missing, extra or wrong-typed fields); see `details`. A frame, or its
 *   `payload`, with more than 16 fields (no client message has more than 3) is refused
 *   whole before its fields are checked: `details` then holds one entry of type
 *   `too_many_fields`, located at the frame (`""`) or at `payload`.
 * * `internal_error`: the server failed while handling a valid frame.
 * * `message_too_long`: the chat text is longer than this server's configured limit
 *   (at most the schema's 4000 characters); nothing was broadcast.
 * * `rate_limited`: the connection sent frames faster than its rate limit; this frame
 *   was dropped. Slow down: a client that keeps it up is closed with `4429`.
 * * `layer_unavailable`: the channel layer (Redis) cannot be reached, so the chat text
 *   was not delivered (retry later); or, sent unprompted, the room has just become
 *   unreachable and broadcasts may be lost until it is back.
 */
export type ErrorReason =
  | "invalid_json"
  | "binary_frame"
  | "unknown_action"
  | "invalid_message"
  | "internal_error"
  | "message_too_long"
  | "rate_limited"
  | "layer_unavailable";

/**
 * One problem with one field of a refused frame.
 */
export interface ErrorDetail {
  /**
   * Dotted path of the offending field (`payload.message`); empty for the whole frame.
   */
  location: string;
  /**
   * What is wrong, for people.
   */
  problem: string;
  /**
   * A machine-readable kind of problem (`missing`, `string_type`, `extra_forbidden`…;
   * `too_many_fields` for an object refused whole; `more_problems` for the entry that
   * counts the problems not listed).
   */
  type: string;
}

export interface ErrorPayload {
  reason: ErrorReason;
  /**
   * What went wrong, for people.
   */
  message: string;
  /**
   * The offending fields when the frame failed validation; empty otherwise. At most 10
   * problems are listed; when there were more, an 11th entry says how many were left
   * out (`type` `more_problems`, `location` empty, `problem`
   * `<N> more problems not listed`).
   *
   * Constraints: max items: 11.
   */
  details: Array<ErrorDetail>;
}

/**
 * Why the server refused a frame. The connection stays open.
 */
export interface ErrorMessage {
  action: "error";
  payload: ErrorPayload;
  ref?: Ref;
  version?: EnvelopeVersion;
}

/**
 * Any frame a client may send.
 */
export type ClientMessage = RoomChatMessage | PingMessage;

/**
 * Any frame the server may send.
 */
export type ServerMessage = PongMessage | RoomNotificationMessage | ErrorMessage;

/**
 * Any frame on the room channel, in either direction.
 */
export type RoomChatFrame = ClientMessage | ServerMessage;

/** The `action` of every message a client may send. */
export const CLIENT_ACTIONS = ["room_chat", "ping"] as const;

/** The `action` of every message the server may send. */
export const SERVER_ACTIONS = ["pong", "room_notification", "error"] as const;
