// Copied from src/roomchat/codegen/runtime/typescript/session.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * What outlives one connection of a client: who it says it is (`credentials`), what the server
 * greeted its latest connection with, the refresh of its token, the requests sent again on every
 * new connection (`ChannelSpec.renewedActions`: subscriptions), and its position in the channel's
 * numbered messages (`place`).
 */
import { ConnectionFailedError, ServerClosedError } from "./base-errors.js";
import type { Credentials } from "./credentials.js";
import { type ChannelSpec, UnknownMessage } from "./frames.js";
import type { Inbox } from "./inbox.js";
import { type Opening, openSocket } from "./opening.js";
import { Place } from "./recovery.js";
import { TokenRefresher } from "./refreshing.js";

/** What a connection hands on: a message, or an odd frame's error. */
export type Delivery<M> = { message: M | UnknownMessage } | { error: Error };

/** A client's greeting, token refresh, renewed requests and position, across its connections. */
export class Session<M> {
  greeting: M | null = null;
  readonly refresher = new TokenRefresher();
  readonly place: Place<M>;
  private readonly renewed = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly spec: ChannelSpec<M>,
    readonly credentials: Credentials,
    private readonly inbox: Pick<Inbox<M>, "push">,
    private readonly request: (frame: Record<string, unknown>) => Promise<M>,
  ) {
    this.place = new Place(spec.recovery ?? null, spec.firstConnectionQuery ?? []);
  }

  /**
   * A message (or an odd frame's error) for the stream, unless it is a numbered message the
   * stream already had; the greeting is kept instead, and plans the token's refresh.
   */
  push(item: Delivery<M>): void {
    if (!("message" in item) || item.message instanceof UnknownMessage) {
      this.inbox.push(item);
      return;
    }
    const greetingAction = this.spec.greetingAction;
    if (!greetingAction || actionOf(item.message) !== greetingAction) {
      if (this.place.admit(item.message)) this.inbox.push(item);
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
  async open(
    opening: Opening<M>,
    onOpen: (socket: WebSocket) => void,
    first = false,
  ): Promise<void> {
    let offered: string[];
    try {
      offered = await this.credentials.subprotocols();
    } catch (error) {
      throw new ConnectionFailedError(opening.url, error); // the token provider's own failure
    }
    try {
      await openSocket({ ...opening, url: this.place.url(opening.url) }, offered, onOpen);
    } catch (error) {
      const renewable = error instanceof ServerClosedError && this.credentials.renews(error.code);
      throw renewable && !first ? new ConnectionFailedError(opening.url, error) : error;
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
