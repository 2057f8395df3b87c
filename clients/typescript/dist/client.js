// roomchat client: client.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
/**
 * `RoomChatClient`: the `/ws/room/{room_name}` channel as a typed client.
 *
 * The connection itself (reconnecting, replies by `ref`, close codes) is the runtime's
 * `ChannelClient`; this module adds what the spec says: the address, the messages, the
 * operations and the facts the runtime is given (`CHANNEL_SPEC`).
 */
import { ChannelClient } from "./channel.js";
import { REFUSALS, ServerError, UnexpectedFrameError } from "./errors.js";
import { SERVER_ACTIONS, } from "./models.js";
export { UnknownMessage } from "./channel.js";
/** The channel's address; each `{parameter}` is filled in percent-encoded. */
export const PATH_TEMPLATE = "/ws/room/{room_name}";
/**
 * The channel's address under `baseUrl` (`ws://host:port`), every parameter percent-encoded as
 * one path segment (`encodeURIComponent`).
 */
export function channelUrl(baseUrl, parameters) {
    let path = PATH_TEMPLATE;
    path = path.replace("{room_name}", encodeURIComponent(parameters.roomName));
    return baseUrl.replace(/\/+$/, "") + path;
}
const CHANNEL_SPEC = {
    serverActions: SERVER_ACTIONS,
    replyActions: ["pong", "presence", "token_refreshed", "error"],
    refusals: REFUSALS,
    probeAction: "ping",
    replyError: (reply) => (reply.action === "error" ? new ServerError(reply) : null),
};
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
 */
export class RoomChatClient extends ChannelClient {
    constructor(baseUrl, options) {
        super(channelUrl(baseUrl, options), CHANNEL_SPEC, options);
    }
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
    async sendRoomChat(message) {
        await this.send({ action: "room_chat", payload: { message } });
    }
    /**
     * A client checks that the connection is alive.
     */
    async ping(timeoutMs) {
        const reply = await this.request({ action: "ping" }, timeoutMs);
        if (reply.action !== "pong") {
            throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to ping");
        }
        return reply;
    }
    /**
     * A client asks who is in its room, on every server process.
     *
     * Answered with `presence`: the room's connections, users and members (id, name, number
     * of connections), sorted by name then id. Any client may ask.
     */
    async getPresence(timeoutMs) {
        const reply = await this.request({ action: "get_presence" }, timeoutMs);
        if (reply.action !== "presence") {
            throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to get_presence");
        }
        return reply;
    }
    /**
     * A client asks to be told whenever a user arrives in or leaves its room.
     *
     * Answered with `presence` (the room as it is now); from then on, for as long as the
     * connection lasts, the client receives `presence_changed` when a user's first
     * connection arrives and when its last one leaves. Asking again only answers again.
     */
    async watchPresence(timeoutMs) {
        const reply = await this.request({ action: "watch_presence" }, timeoutMs);
        if (reply.action !== "presence") {
            throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to watch_presence");
        }
        return reply;
    }
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
    async refreshToken(token, timeoutMs) {
        const reply = await this.request({ action: "refresh_token", payload: { token } }, timeoutMs);
        if (reply.action !== "token_refreshed") {
            throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to refresh_token");
        }
        return reply;
    }
}
