import { TokenRefresher } from "./refreshing.js";
/** A client's greeting, token refresh and renewed requests, across its connections. */
export class Session {
    spec;
    credentials;
    inbox;
    request;
    greeting = null;
    refresher = new TokenRefresher();
    renewed = new Map();
    constructor(spec, credentials, inbox, request) {
        this.spec = spec;
        this.credentials = credentials;
        this.inbox = inbox;
        this.request = request;
    }
    /**
     * A message (or an odd frame's error) for the stream; the greeting is kept instead, and plans
     * the token's refresh.
     */
    push(item) {
        const greetingAction = this.spec.greetingAction;
        if (!("message" in item) || !greetingAction || actionOf(item.message) !== greetingAction) {
            this.inbox.push(item);
            return;
        }
        const greeting = item.message; // its action is the greeting's: a server message
        this.greeting = greeting;
        const expiry = this.spec.tokenExpiry;
        if (expiry && this.credentials.provider) {
            this.refresher.plan(expiry(greeting), () => this.refresh());
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
