import type { Credentials } from "./credentials.js";
import { type ChannelSpec, UnknownMessage } from "./frames.js";
import type { Inbox } from "./inbox.js";
import { type Opening } from "./opening.js";
import { Place } from "./recovery.js";
import { TokenRefresher } from "./refreshing.js";
/** What a connection hands on: a message, or an odd frame's error. */
export type Delivery<M> = {
    message: M | UnknownMessage;
} | {
    error: Error;
};
/** A client's greeting, token refresh, renewed requests and position, across its connections. */
export declare class Session<M> {
    private readonly spec;
    readonly credentials: Credentials;
    private readonly inbox;
    private readonly request;
    greeting: M | null;
    readonly refresher: TokenRefresher;
    readonly place: Place<M>;
    private readonly renewed;
    constructor(spec: ChannelSpec<M>, credentials: Credentials, inbox: Pick<Inbox<M>, "push">, request: (frame: Record<string, unknown>) => Promise<M>);
    /**
     * A message (or an odd frame's error) for the stream, unless it is a numbered message the
     * stream already had; the greeting is kept instead, and plans the token's refresh.
     */
    push(item: Delivery<M>): void;
    /**
     * Open a socket as `opening` says, at the address for the next connection (see `place`),
     * offering what the credentials offer (the provider is asked each time). When not `first`, a
     * close a fresh token may cure is a failure worth retrying (`ConnectionFailedError`), not a
     * refusal.
     */
    open(opening: Opening<M>, onOpen: (socket: WebSocket) => void, first?: boolean): Promise<void>;
    /** A request was answered: remember it if it is to be sent on every connection. */
    answered(frame: Record<string, unknown>): void;
    /** Send the remembered requests on a new connection; their answers go to the stream. */
    renew(socket: WebSocket, freshRef: () => string): void;
    /** Hand the server a fresh token; the new expiry. */
    private refresh;
}
