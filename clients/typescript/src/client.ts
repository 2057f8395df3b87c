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
import { ChannelClient, type ChannelClientOptions, type ChannelSpec } from "./channel.js";
import { REFUSALS, ServerError, UnexpectedFrameError } from "./errors.js";
import {
  SERVER_ACTIONS,
  type ClientMessage,
  type HistoryMessage,
  type PongMessage,
  type PresenceMessage,
  type TokenRefreshedMessage,
  type ServerMessage,
  type WelcomePayload,
  type RecoveryPayload,
  type Offset,
} from "./models.js";
import type { Position } from "./recovery.js";
export type { ConnectionState, TokenProvider, WebSocketConstructor } from "./channel.js";
export { UnknownMessage } from "./channel.js";

/** The channel's address; each `{parameter}` is filled in percent-encoded. */
export const PATH_TEMPLATE = "/ws/room/{room_name}";

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
export interface RoomChatClientOptions
  extends RoomChatClientParameters, RoomChatClientQuery, ChannelClientOptions {}

interface QueryRules {
  integer?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

/** The rules of each query parameter, from its schema. */
const QUERY_RULES: ReadonlyArray<[keyof RoomChatClientQuery, string, QueryRules]> = [
  [
    "name",
    "name",
    {
      minLength: 1,
      maxLength: 40,
      pattern:
        "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$",
    },
  ],
  ["history", "history", { integer: true, minimum: 0, maximum: 100 }],
];

function checked(name: string, value: string | number, rules: QueryRules): string {
  const broken = typeof value === "number" ? brokenNumber(value, rules) : brokenText(value, rules);
  if (broken) throw new RangeError(`${name} breaks the spec's rules for it`);
  return String(value);
}

function brokenText(value: string, rules: QueryRules): boolean {
  const length = [...value].length; // in characters, as JSON Schema counts
  return (
    rules.integer === true ||
    (rules.minLength !== undefined && length < rules.minLength) ||
    (rules.maxLength !== undefined && length > rules.maxLength) ||
    (rules.pattern !== undefined && !new RegExp(rules.pattern, "u").test(value))
  );
}

function brokenNumber(value: number, rules: QueryRules): boolean {
  return (
    rules.integer !== true ||
    !Number.isSafeInteger(value) ||
    (rules.minimum !== undefined && value < rules.minimum) ||
    (rules.maximum !== undefined && value > rules.maximum)
  );
}

/**
 * The channel's address under `baseUrl` (`ws://host:port`), every parameter percent-encoded as
 * one path segment (`encodeURIComponent`), and the query parameters that are given, each checked
 * against the spec (a `RangeError` when one breaks its rules).
 */
export function channelUrl(
  baseUrl: string,
  parameters: RoomChatClientParameters & RoomChatClientQuery,
): string {
  let path = PATH_TEMPLATE;
  path = path.replace("{room_name}", encodeURIComponent(parameters.roomName));
  const query: string[] = [];
  for (const [key, name, rules] of QUERY_RULES) {
    const value = parameters[key];
    if (value !== undefined) {
      query.push(`${name}=${encodeURIComponent(checked(name, value, rules))}`);
    }
  }
  return baseUrl.replace(/\/+$/, "") + path + (query.length ? `?${query.join("&")}` : "");
}

const CHANNEL_SPEC: ChannelSpec<ServerMessage> = {
  serverActions: SERVER_ACTIONS,
  replyActions: ["pong", "presence", "token_refreshed", "history", "error"],
  refusals: REFUSALS,
  probeAction: "ping",
  replyError: (reply) => (reply.action === "error" ? new ServerError(reply) : null),
  subprotocols: ["roomchat.v1"],
  tokenSubprotocolPrefix: "roomchat.token.",
  greetingAction: "welcome",
  renewals: [4419],
  tokenExpiry: (message) => {
    if (message.action === "welcome") return message.payload.token_expires_at;
    if (message.action === "token_refreshed") return message.payload.expires_at;
    return null;
  },
  refreshFrame: (token) => ({ action: "refresh_token", payload: { token } }),
  renewedActions: ["watch_presence"],
  recovery: {
    epochParameter: "epoch",
    offsetParameter: "offset",
    recoveryAction: "recovery",
    stated: (message) => {
      if (message.action !== "welcome" && message.action !== "recovery") return null;
      return position(message.payload.epoch, message.payload.offset);
    },
    numbered: (message) =>
      message.action === "room_notification"
        ? position(message.payload.epoch, message.payload.offset)
        : null,
  },
  firstConnectionQuery: ["history"],
};

function position(epoch: string | undefined, offset: number | undefined): Position | null {
  return epoch !== undefined && offset !== undefined ? [epoch, offset] : null;
}
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
export class RoomChatClient extends ChannelClient<ServerMessage, ClientMessage> {
  constructor(baseUrl: string, options: RoomChatClientOptions) {
    super(channelUrl(baseUrl, options), CHANNEL_SPEC, options);
  }

  /**
   * Who the latest connection is (its id, its user, when its token expires), as the server's
   * `welcome` said; `null` before one came (a server older than this spec sends none).
   */
  get welcome(): WelcomePayload | null {
    const greeting = this.greeting;
    return greeting?.action === "welcome" ? greeting.payload : null;
  }

  /**
   * How the latest connection's recovery ended (`recovered`, the position, how many chats were
   * replayed); `null` when it did not recover (the first connection, or no position to present).
   */
  get recovery(): RecoveryPayload | null {
    const message = this.recoveryMessage;
    return message?.action === "recovery" ? message.payload : null;
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
  async sendRoomChat(message: string): Promise<void> {
    await this.send({ action: "room_chat", payload: { message } });
  }

  /**
   * A client checks that the connection is alive.
   */
  async ping(timeoutMs?: number): Promise<PongMessage> {
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
  async getPresence(timeoutMs?: number): Promise<PresenceMessage> {
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
  async watchPresence(timeoutMs?: number): Promise<PresenceMessage> {
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
  async refreshToken(token: string, timeoutMs?: number): Promise<TokenRefreshedMessage> {
    const reply = await this.request({ action: "refresh_token", payload: { token } }, timeoutMs);
    if (reply.action !== "token_refreshed") {
      throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to refresh_token");
    }
    return reply;
  }

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
  async getHistory(
    before?: Offset | null,
    limit?: number | null,
    timeoutMs?: number,
  ): Promise<HistoryMessage> {
    const reply = await this.request(
      { action: "get_history", payload: { before, limit } },
      timeoutMs,
    );
    if (reply.action !== "history") {
      throw new UnexpectedFrameError(JSON.stringify(reply), "not a reply to get_history");
    }
    return reply;
  }
}
