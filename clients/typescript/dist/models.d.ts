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
     * or `👋 Someone left room '<room_name>'` for notices (a connection that opted in
     * reads the user's name instead of `Someone`).
     */
    message: string;
    room_name: RoomName;
    kind?: NoticeKind;
    user?: User;
    offset?: Offset;
    epoch?: Epoch;
    time?: ServerTime;
}
/**
 * A chat's place in its room's history, from 1, strictly increasing per room.
 *
 * Constraints: integer, minimum: 1.
 */
export type Offset = number;
/**
 * Which history of a room an offset belongs to: it changes whenever the room's history
 * was lost or reset. Empty when the room has kept nothing.
 *
 * Constraints: max length: 64.
 */
export type Epoch = string;
/**
 * When the server took the chat, in milliseconds since the Unix epoch.
 *
 * Constraints: integer, minimum: 0.
 */
export type ServerTime = number;
/**
 * One chat the room kept.
 */
export interface HistoryEntry {
    offset: Offset;
    time: ServerTime;
    /**
     * The text as posted, without the `💬 ` prefix.
     */
    text: string;
    author: User;
}
/**
 * Chats a room kept, oldest first: also the body of
 * `GET /api/rooms/{room_name}/history`.
 */
export interface HistoryPayload {
    room: RoomName;
    epoch: Epoch;
    /**
     * Constraints: max items: 100.
     */
    messages: Array<HistoryEntry>;
}
/**
 * The answer to `get_history`, or the last chats sent on joining.
 */
export interface HistoryMessage {
    action: "history";
    payload: HistoryPayload;
    ref?: Ref;
    version?: EnvelopeVersion;
}
export interface GetHistoryPayload {
    /**
     * Only chats with a smaller offset; the newest kept when left out.
     */
    before?: Offset | null;
    /**
     * At most this many chats, 1 to 100; `null` or left out, 50.
     */
    limit?: number | null;
}
/**
 * Asks for the room's last chats, or those before an offset.
 */
export interface GetHistoryMessage {
    action: "get_history";
    payload: GetHistoryPayload;
    /**
     * The frame's correlation id; `null` is the same as leaving it out.
     */
    ref?: Ref | null;
}
export interface RecoveryPayload {
    /**
     * Whether the client now has every chat up to `offset`, each once.
     */
    recovered: boolean;
    epoch: Epoch;
    /**
     * The offset of the last chat sent to the client (replayed or live); when not
     * recovered, the room's latest offset (0 when it has kept nothing).
     *
     * Constraints: integer, minimum: 0.
     */
    offset: number;
    /**
     * How many chats were sent before this frame, replayed and posted meanwhile alike
     * (`offset` minus the presented offset; 0 when not recovered).
     *
     * Constraints: integer, minimum: 0.
     */
    replayed: number;
}
/**
 * Whether a reconnecting client got every chat it missed.
 */
export interface RecoveryMessage {
    action: "recovery";
    payload: RecoveryPayload;
}
/**
 * What a `room_notification` is about: a chat message, or a connection that joined or
 * left. Sent only to connections that opted in (`roomchat.v1`).
 */
export type NoticeKind = "chat" | "joined" | "left";
/**
 * A member's name as shown to others: 1 to 40 characters, not all whitespace, no
 * control characters.
 *
 * Constraints: min length: 1, max length: 40, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$".
 */
export type DisplayName = string;
/**
 * A user's id: the token's `sub` in token mode, `guest-<connection id>` in open mode.
 *
 * Constraints: min length: 1, max length: 128.
 */
export type UserId = string;
/**
 * One connection's id, unique across server processes.
 *
 * Constraints: min length: 1, max length: 64.
 */
export type ConnectionId = string;
/**
 * A user as other members see it.
 */
export interface User {
    id: UserId;
    name: DisplayName;
}
/**
 * A user present in a room, with how many connections it has there.
 */
export interface Member {
    id: UserId;
    name: DisplayName;
    /**
     * Constraints: integer, minimum: 1.
     */
    connections: number;
}
/**
 * A room's presence: also the body of `GET /api/rooms/{room_name}/presence`.
 */
export interface PresencePayload {
    room: RoomName;
    /**
     * Connections to the room, on every server process.
     *
     * Constraints: integer, minimum: 0.
     */
    connections: number;
    /**
     * Distinct users among them (the number of `members`).
     *
     * Constraints: integer, minimum: 0.
     */
    users: number;
    /**
     * Every user in the room, sorted by name, then id.
     */
    members: Array<Member>;
}
/**
 * Asks who is in the room.
 */
export interface GetPresenceMessage {
    action: "get_presence";
    /**
     * Constraints: default: null.
     */
    payload?: null;
    /**
     * The frame's correlation id; `null` is the same as leaving it out.
     */
    ref?: Ref | null;
}
/**
 * Asks for presence now and for every user-level change from now on.
 */
export interface WatchPresenceMessage {
    action: "watch_presence";
    /**
     * Constraints: default: null.
     */
    payload?: null;
    /**
     * The frame's correlation id; `null` is the same as leaving it out.
     */
    ref?: Ref | null;
}
export interface RefreshTokenPayload {
    /**
     * A fresh JWT for the same user.
     *
     * Constraints: min length: 1, max length: 8192.
     */
    token: string;
}
/**
 * Replaces the connection's token before it expires (token mode).
 */
export interface RefreshTokenMessage {
    action: "refresh_token";
    payload: RefreshTokenPayload;
    /**
     * The frame's correlation id; `null` is the same as leaving it out.
     */
    ref?: Ref | null;
}
/**
 * The answer to `get_presence` and `watch_presence`.
 */
export interface PresenceMessage {
    action: "presence";
    payload: PresencePayload;
    ref?: Ref;
    version?: EnvelopeVersion;
}
/**
 * `joined`: the user's first connection to the room arrived; `left`: its last one left.
 */
export type PresenceEvent = "joined" | "left";
export interface PresenceChangedPayload {
    room_name: RoomName;
    event: PresenceEvent;
    user: User;
}
/**
 * A user arrived in the room or left it.
 */
export interface PresenceChangedMessage {
    action: "presence_changed";
    payload: PresenceChangedPayload;
}
export interface WelcomePayload {
    connection_id: ConnectionId;
    room_name: RoomName;
    user: User;
    /**
     * When the token expires (Unix seconds); `null` in open mode.
     */
    token_expires_at: number | null;
    epoch?: Epoch;
    /**
     * With history on: where this connection's chats start. Every chat of the room
     * with a greater offset (in this `epoch`) reaches the connection, each once and in
     * order (the replayed ones first, when it recovered); none at or before it does,
     * except in a `history` frame. The client's position from here on.
     *
     * Constraints: integer, minimum: 0.
     */
    offset?: number;
}
/**
 * Who this connection is; the first frame of a connection that opted in.
 */
export interface WelcomeMessage {
    action: "welcome";
    payload: WelcomePayload;
}
export interface TokenRefreshedPayload {
    /**
     * When the new token expires (Unix seconds).
     *
     * Constraints: integer.
     */
    expires_at: number;
}
/**
 * The answer to `refresh_token` with a valid token.
 */
export interface TokenRefreshedMessage {
    action: "token_refreshed";
    payload: TokenRefreshedPayload;
    ref?: Ref;
    version?: EnvelopeVersion;
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
export type ErrorReason = "invalid_json" | "binary_frame" | "unknown_action" | "invalid_message" | "internal_error" | "message_too_long" | "rate_limited" | "layer_unavailable";
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
export type ClientMessage = RoomChatMessage | PingMessage | GetPresenceMessage | WatchPresenceMessage | RefreshTokenMessage | GetHistoryMessage;
/**
 * Any frame the server may send.
 */
export type ServerMessage = PongMessage | PresenceMessage | TokenRefreshedMessage | WelcomeMessage | PresenceChangedMessage | HistoryMessage | RecoveryMessage | RoomNotificationMessage | ErrorMessage;
/**
 * Any frame on the room channel, in either direction.
 */
export type RoomChatFrame = ClientMessage | ServerMessage;
/** The `action` of every message a client may send. */
export declare const CLIENT_ACTIONS: readonly ["room_chat", "ping", "get_presence", "watch_presence", "refresh_token", "get_history"];
/** The `action` of every message the server may send. */
export declare const SERVER_ACTIONS: readonly ["pong", "presence", "token_refreshed", "welcome", "presence_changed", "history", "recovery", "room_notification", "error"];
