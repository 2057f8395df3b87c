/**
 * The stream of decoded server messages a client's iteration reads, and where each frame of a
 * connection goes: to the request it answers, or to that stream.
 */
import { RequestTimeoutError } from "./base-errors.js";
import { type ChannelSpec, readFrame, UnknownMessage } from "./frames.js";
import type { Replies } from "./replies.js";

type Item<M> = { message: M | UnknownMessage } | { error: Error } | { end: true };

/** Messages and errors in arrival order, then the end for every later read; one reader at a time. */
export class Inbox<M> {
  private readonly items: Item<M>[] = [];
  private readonly readers: Array<(item: Item<M>) => void> = [];
  private final: Item<M> | null = null;

  /** A message to yield, or an error (an odd frame's) to throw once. */
  push(item: { message: M | UnknownMessage } | { error: Error }): void {
    this.deliver(item);
  }

  /** After what is queued, every read throws `error`, or ends (`null`). */
  end(error: Error | null): void {
    this.final = error ? { error } : { end: true };
    this.deliver(this.final);
  }

  /**
   * The next message (`null` at the end); throws the next error. Rejects with a
   * `RequestTimeoutError` when nothing comes within `timeoutMs`.
   */
  async read(timeoutMs?: number): Promise<{ value: M | UnknownMessage } | null> {
    const item = await this.next(timeoutMs);
    if (item === this.final) this.items.unshift(item); // every later read ends, or throws, too
    if ("end" in item) return null;
    if ("error" in item) throw item.error;
    return { value: item.message };
  }

  private deliver(item: Item<M>): void {
    const reader = this.readers.shift();
    if (reader) reader(item);
    else this.items.push(item);
  }

  private next(timeoutMs?: number): Promise<Item<M>> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    return new Promise<Item<M>>((resolve, reject) => {
      const reader = (item: Item<M>): void => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.readers.splice(this.readers.indexOf(reader), 1);
              reject(new RequestTimeoutError("receive", timeoutMs));
            }, timeoutMs);
      this.readers.push(reader);
    });
  }
}

/**
 * Hand over one frame of an open connection: a reply to the request waiting for it, any other
 * message, and an `UnexpectedFrameError` for an odd frame, to `inbox`.
 */
export function handleFrame<M>(
  data: unknown,
  spec: ChannelSpec<M>,
  replies: Replies<M>,
  inbox: Pick<Inbox<M>, "push">,
): void {
  const read = readFrame(spec, data);
  if (read instanceof Error) return inbox.push({ error: read });
  if (read.answers !== null && replies.answer(read.answers, read.message)) return;
  inbox.push({ message: read.message });
}
