/**
 * `RoomChatClient`: the `/ws/room/{room_name}` channel as a typed client.
 *
 * The connection itself (reconnecting, replies by `ref`, close codes) is the runtime's
 * `ChannelClient`; this module adds what the spec says: the address, the messages, the
 * operations and the facts the runtime is given (`CHANNEL_SPEC`).
 */
import { ChannelClient, type ChannelClientOptions } from "./channel.js";
import { type ClientMessage, type HistoryMessage, type PongMessage, type PresenceMessage, type TokenRefreshedMessage, type ServerMessage, type WelcomePayload, type RecoveryPayload, type Offset } from "./models.js";
export type { ConnectionState, TokenProvider, WebSocketConstructor } from "./channel.js";
export { UnknownMessage } from "./channel.js";
/** The channel's address; each `{parameter}` is filled in percent-encoded. */
export declare const PATH_TEMPLATE = "/ws/room/{room_name}";
/** The channel's path parameters. */
export interface RoomChatClientParameters {
    /**
     * The room's name: 1 to 100 Unicode characters (code points) after percent-decoding, at least one
     * of them not whitespace, none of them a control character (U+0000–U+001F, U+007F–U+009F).
     * Spaces, `/`, punctuation and any script are allowed. Anything else closes the connection with
     * code 4400.
     */
    roomName: string;
}
/** The handshake's query parameters: each is sent when given, checked against the spec first. */
export interface RoomChatClientQuery {
    /**
     * A member's name as shown to others: 1 to 40 characters, not all whitespace, no control
     * characters.
     */
    name?: string;
    /**
     * How many of the room's last chats to send, in a `history` frame, on joining.
     */
    history?: number;
}
/** The path parameters, the query, and how to connect (see `ChannelClientOptions`). */
export interface RoomChatClientOptions extends RoomChatClientParameters, RoomChatClientQuery, ChannelClientOptions {
}
/**
 * The channel's address under `baseUrl` (`ws://host:port`), every parameter percent-encoded as
 * one path segment (`encodeURIComponent`), and the query parameters that are given, each checked
 * against the spec (a `RangeError` when one breaks its rules).
 */
export declare function channelUrl(baseUrl: string, parameters: RoomChatClientParameters & RoomChatClientQuery): string;
/**
 * One connection to the room channel, kept open across server restarts.
 *
 * One chat room. Every connection to the same room name shares it.
 *
 * `for await (const message of client)` yields every frame the server sends (a
 * `ServerMessage`, or an `UnknownMessage` for an `action` this version of the spec does not
 * name); replies to `request()` go to their caller instead. When the connection
 * drops, the client reconnects following `reconnect` and the iteration goes on; when it gives
 * up, or the server refuses the connection with a close code the spec declares, the iteration
 * throws the typed error. `request()` rejects with `ServerError` when the reply is an
 * `error` frame.
 *
 * Every connection offers the subprotocol `roomchat.v1` (the richer frames; a server
 * that selects none, an older one, still works).
 *
 * `name`, `history` travel in the handshake's query, checked against the spec before
 * connecting (a `RangeError` otherwise); `history` only in the first connection's, not when
 * reconnecting.
 *
 * The client keeps its `position`: the `epoch` and `offset` of the last chat it was given (or
 * that the `welcome` stated). Whenever it reconnects it presents them (query), and the server
 * sends the chats it missed, then `recovery` (also kept as `recovery`). The iteration yields each
 * chat once and in order: one at or before the position, in the same epoch, is dropped.
 * `recovered: false` means nothing was replayed (the position was outside the room's history, or
 * from another epoch): what was sent meanwhile is a gap the application may refetch with
 * `getHistory()`.
 *
 * A `token`, or a `tokenProvider` (an async function returning one, called for every new
 * connection), is offered as the subprotocol `roomchat.token.<token>`, never in the URL.
 * When the server closes with `4419` (an expired token), a client with a provider
 * reconnects with a fresh token; one with a fixed `token` ends with the typed error.
 * With a provider, the token is refreshed (`refreshToken`) before the expiry the server
 * announces, so the connection is not closed for it.
 *
 * `welcome` is who the latest connection is, as the server's `welcome` said.
 *
 * `watchPresence()` holds for as long as the client lives: it is asked again
 * on every new connection, and the answer then comes through the iteration.
 */
export declare class RoomChatClient extends ChannelClient<ServerMessage, ClientMessage> {
    constructor(baseUrl: string, options: RoomChatClientOptions);
    /**
     * Who the latest connection is (its id, its user, when its token expires), as the server's
     * `welcome` said; `null` before one came (a server older than this spec sends none).
     */
    get welcome(): WelcomePayload | null;
    /**
     * How the latest connection's recovery ended (`recovered`, the position, how many chats were
     * replayed); `null` when it did not recover (the first connection, or no position to present).
     */
    get recovery(): RecoveryPayload | null;
    /**
     * A client posts a chat message to the room it is connected to.
     *
     * The server broadcasts the text as a `room_notification` whose message is `💬 ` followed
     * by the text, to every member of the room, the sender included (see
     * `sendRoomBroadcast`). A frame that does not match the schema gets an `error` reply
     * instead and nothing is broadcast.
     *
     * The text's schema allows up to 4000 characters: that is the default limit and the
     * ceiling of the setting. A server configured with a smaller limit answers a longer text
     * with `message_too_long` (nothing is broadcast); a text over 4000 characters breaks the
     * schema and gets `invalid_message`. When the channel layer (Redis) is unreachable the
     * text cannot be delivered and the sender gets `layer_unavailable`, carrying the chat's
     * `ref`. On the Redis layers a chat is handed to Redis while the sender's next frame is
     * read, so that error can come after the answers to frames sent later.
     *
     * @param message The text to post, 1 to 4000 characters.
     */
    sendRoomChat(message: string): Promise<void>;
    /**
     * A client checks that the connection is alive.
     */
    ping(timeoutMs?: number): Promise<PongMessage>;
    /**
     * A client asks who is in its room, on every server process.
     *
     * Answered with `presence`: the room's connections, users and members (id, name, number
     * of connections), sorted by name then id. Any client may ask.
     */
    getPresence(timeoutMs?: number): Promise<PresenceMessage>;
    /**
     * A client asks to be told whenever a user arrives in or leaves its room.
     *
     * Answered with `presence` (the room as it is now); from then on, for as long as the
     * connection lasts, the client receives `presence_changed` when a user's first
     * connection arrives and when its last one leaves. Asking again only answers again.
     */
    watchPresence(timeoutMs?: number): Promise<PresenceMessage>;
    /**
     * In token mode, a client replaces its connection's token before it expires.
     *
     * The new token is checked as at connect. A valid token for the same user (`sub`) that
     * still grants the room is answered with `token_refreshed`, and the connection now
     * closes at the new expiry. A token that is not valid closes the connection with `4401`
     * (`4419` when expired, `4404` when it does not grant the room), as does a token for
     * another user (`4401`). On a server in open mode the action is refused with
     * `unknown_action`.
     *
     * @param token A fresh JWT for the same user.
     */
    refreshToken(token: string, timeoutMs?: number): Promise<TokenRefreshedMessage>;
    /**
     * A client reads the room's last chats, or those before an offset.
     *
     * Answered with `history`: at most `limit` chats (50 by default, at most 100), oldest
     * first, the newest of them just before `before` when given (else the newest kept), and
     * the room's epoch. The chats are as posted (`text` without the `💬 ` prefix), with their
     * offset, time and author. A room that keeps no history (or a server with history off)
     * answers with no messages.
     *
     * @param before Only chats with a smaller offset; the newest kept when left out.
     * @param limit At most this many chats, 1 to 100; `null` or left out, 50.
     */
    getHistory(before?: Offset | null, limit?: number | null, timeoutMs?: number): Promise<HistoryMessage>;
}
