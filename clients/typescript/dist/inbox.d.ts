import { type ChannelSpec, UnknownMessage } from "./frames.js";
import type { Replies } from "./replies.js";
/** Messages and errors in arrival order, then the end for every later read; one reader at a time. */
export declare class Inbox<M> {
    private readonly items;
    private readonly readers;
    private final;
    /** A message to yield, or an error (an odd frame's) to throw once. */
    push(item: {
        message: M | UnknownMessage;
    } | {
        error: Error;
    }): void;
    /** After what is queued, every read throws `error`, or ends (`null`). */
    end(error: Error | null): void;
    /**
     * The next message (`null` at the end); throws the next error. Rejects with a
     * `RequestTimeoutError` when nothing comes within `timeoutMs`.
     */
    read(timeoutMs?: number): Promise<{
        value: M | UnknownMessage;
    } | null>;
    private deliver;
    private next;
}
/**
 * Hand over one frame of an open connection: a reply to the request waiting for it, any other
 * message, and an `UnexpectedFrameError` for an odd frame, to `inbox`.
 */
export declare function handleFrame<M>(data: unknown, spec: ChannelSpec<M>, replies: Replies<M>, inbox: Pick<Inbox<M>, "push">): void;
