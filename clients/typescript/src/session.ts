// Copied from src/roomchat/codegen/runtime/typescript/session.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
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
export type Delivery<M> = { message: M | UnknownMessage } | { error: Error };

/** A client's greeting, token refresh and renewed requests, across its connections. */
export class Session<M> {
  greeting: M | null = null;
  readonly refresher = new TokenRefresher();
  private readonly renewed = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly spec: ChannelSpec<M>,
    readonly credentials: Credentials,
    private readonly inbox: Pick<Inbox<M>, "push">,
    private readonly request: (frame: Record<string, unknown>) => Promise<M>,
  ) {}

  /**
   * A message (or an odd frame's error) for the stream; the greeting is kept instead, and plans
   * the token's refresh.
   */
  push(item: Delivery<M>): void {
    const greetingAction = this.spec.greetingAction;
    if (!("message" in item) || !greetingAction || actionOf(item.message) !== greetingAction) {
      this.inbox.push(item);
      return;
    }
    const greeting = item.message as M; // its action is the greeting's: a server message
    this.greeting = greeting;
    const expiry = this.spec.tokenExpiry;
    if (expiry && this.credentials.provider) {
      this.refresher.plan(expiry(greeting), () => this.refresh());
    }
  }

  /** A request was answered: remember it if it is to be sent on every connection. */
  answered(frame: Record<string, unknown>): void {
    const action = frame.action;
    if (typeof action === "string" && (this.spec.renewedActions ?? []).includes(action)) {
      this.renewed.set(action, frame);
    }
  }

  /** Send the remembered requests on a new connection; their answers go to the stream. */
  renew(socket: WebSocket, freshRef: () => string): void {
    for (const frame of this.renewed.values()) {
      socket.send(JSON.stringify({ ...frame, ref: freshRef() }));
    }
  }

  /** Hand the server a fresh token; the new expiry. */
  private async refresh(): Promise<number | null> {
    const provider = this.credentials.provider;
    const frame = this.spec.refreshFrame;
    const expiry = this.spec.tokenExpiry;
    if (!provider || !frame || !expiry) return null;
    return expiry(await this.request(frame(await provider())));
  }
}

function actionOf(message: unknown): unknown {
  return typeof message === "object" && message !== null
    ? (message as { action?: unknown }).action
    : undefined;
}
