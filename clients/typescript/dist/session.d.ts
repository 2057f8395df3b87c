/**
 * What outlives one connection of a client: who it says it is (`credentials`), what the server
 * greeted its latest connection with, the refresh of its token, and the requests sent again on
 * every new connection (`ChannelSpec.renewedActions`: subscriptions).
 */
import type { Credentials } from "./credentials.js";
import type { ChannelSpec, UnknownMessage } from "./frames.js";
import type { Inbox } from "./inbox.js";
import { TokenRefresher } from "./refreshing.js";
/** What a connection hands on: a message, or an odd frame's error. */
export type Delivery<M> = {
    message: M | UnknownMessage;
} | {
    error: Error;
};
/** A client's greeting, token refresh and renewed requests, across its connections. */
export declare class Session<M> {
    private readonly spec;
    readonly credentials: Credentials;
    private readonly inbox;
    private readonly request;
    greeting: M | null;
    readonly refresher: TokenRefresher;
    private readonly renewed;
    constructor(spec: ChannelSpec<M>, credentials: Credentials, inbox: Pick<Inbox<M>, "push">, request: (frame: Record<string, unknown>) => Promise<M>);
    /**
     * A message (or an odd frame's error) for the stream; the greeting is kept instead, and plans
     * the token's refresh.
     */
    push(item: Delivery<M>): void;
    /** A request was answered: remember it if it is to be sent on every connection. */
    answered(frame: Record<string, unknown>): void;
    /** Send the remembered requests on a new connection; their answers go to the stream. */
    renew(socket: WebSocket, freshRef: () => string): void;
    /** Hand the server a fresh token; the new expiry. */
    private refresh;
}
