// Copied from src/roomchat/codegen/runtime/typescript/session.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * What outlives one connection of a client: who it says it is (`credentials`), what the server
 * greeted its latest connection with, the refresh of its token, the requests sent again on every
 * new connection (`ChannelSpec.renewedActions`: subscriptions), and its position in the channel's
 * numbered messages (`place`).
 */
import { ConnectionFailedError, ServerClosedError } from "./base-errors.js";
import { UnknownMessage } from "./frames.js";
import { openSocket } from "./opening.js";
import { Place } from "./recovery.js";
import { TokenRefresher } from "./refreshing.js";
/** A client's greeting, token refresh, renewed requests and position, across its connections. */
export class Session {
    spec;
    credentials;
    inbox;
    request;
    greeting = null;
    refresher = new TokenRefresher();
    place;
    renewed = new Map();
    constructor(spec, credentials, inbox, request) {
        this.spec = spec;
        this.credentials = credentials;
        this.inbox = inbox;
        this.request = request;
        this.place = new Place(spec.recovery ?? null, spec.firstConnectionQuery ?? []);
    }
    /**
     * A message (or an odd frame's error) for the stream, unless it is a numbered message the
     * stream already had; the greeting is kept instead, and plans the token's refresh.
     */
    push(item) {
        if (!("message" in item) || item.message instanceof UnknownMessage) {
            this.inbox.push(item);
            return;
        }
        const greetingAction = this.spec.greetingAction;
        if (!greetingAction || actionOf(item.message) !== greetingAction) {
            if (this.place.admit(item.message))
                this.inbox.push(item);
            return;
        }
        const greeting = item.message;
        this.greeting = greeting;
        this.place.admit(greeting);
        const expiry = this.spec.tokenExpiry;
        if (expiry && this.credentials.provider) {
            this.refresher.plan(expiry(greeting), () => this.refresh());
        }
    }
    /**
     * Open a socket as `opening` says, at the address for the next connection (see `place`),
     * offering what the credentials offer (the provider is asked each time). When not `first`, a
     * close a fresh token may cure is a failure worth retrying (`ConnectionFailedError`), not a
     * refusal.
     */
    async open(opening, onOpen, first = false) {
        let offered;
        try {
            offered = await this.credentials.subprotocols();
        }
        catch (error) {
            throw new ConnectionFailedError(opening.url, error); // the token provider's own failure
        }
        try {
            await openSocket({ ...opening, url: this.place.url(opening.url) }, offered, onOpen);
        }
        catch (error) {
            const renewable = error instanceof ServerClosedError && this.credentials.renews(error.code);
            throw renewable && !first ? new ConnectionFailedError(opening.url, error) : error;
        }
    }
    /** A request was answered: remember it if it is to be sent on every connection. */
    answered(frame) {
        const action = frame.action;
        if (typeof action === "string" && (this.spec.renewedActions ?? []).includes(action)) {
            this.renewed.set(action, frame);
        }
    }
    /** Send the remembered requests on a new connection; their answers go to the stream. */
    renew(socket, freshRef) {
        for (const frame of this.renewed.values()) {
            socket.send(JSON.stringify({ ...frame, ref: freshRef() }));
        }
    }
    /** Hand the server a fresh token; the new expiry. */
    async refresh() {
        const provider = this.credentials.provider;
        const frame = this.spec.refreshFrame;
        const expiry = this.spec.tokenExpiry;
        if (!provider || !frame || !expiry)
            return null;
        return expiry(await this.request(frame(await provider())));
    }
}
function actionOf(message) {
    return typeof message === "object" && message !== null
        ? message.action
        : undefined;
}
