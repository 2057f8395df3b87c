// Copied from src/roomchat/codegen/runtime/typescript/inbox.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * The stream of decoded server messages a client's iteration reads, and where each frame of a
 * connection goes: to the request it answers, or to that stream.
 */
import { RequestTimeoutError } from "./base-errors.js";
import { readFrame } from "./frames.js";
/** Messages and errors in arrival order, then the end for every later read; one reader at a time. */
export class Inbox {
    items = [];
    readers = [];
    final = null;
    /** A message to yield, or an error (an odd frame's) to throw once. */
    push(item) {
        this.deliver(item);
    }
    /** After what is queued, every read throws `error`, or ends (`null`). */
    end(error) {
        this.final = error ? { error } : { end: true };
        this.deliver(this.final);
    }
    /**
     * The next message (`null` at the end); throws the next error. Rejects with a
     * `RequestTimeoutError` when nothing comes within `timeoutMs`.
     */
    async read(timeoutMs) {
        const item = await this.next(timeoutMs);
        if (item === this.final)
            this.items.unshift(item); // every later read ends, or throws, too
        if ("end" in item)
            return null;
        if ("error" in item)
            throw item.error;
        return { value: item.message };
    }
    deliver(item) {
        const reader = this.readers.shift();
        if (reader)
            reader(item);
        else
            this.items.push(item);
    }
    next(timeoutMs) {
        const item = this.items.shift();
        if (item)
            return Promise.resolve(item);
        return new Promise((resolve, reject) => {
            const reader = (item) => {
                clearTimeout(timer);
                resolve(item);
            };
            const timer = timeoutMs === undefined
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
export function handleFrame(data, spec, replies, inbox) {
    const read = readFrame(spec, data);
    if (read instanceof Error)
        return inbox.push({ error: read });
    if (read.answers !== null && replies.answer(read.answers, read.message))
        return;
    inbox.push({ message: read.message });
}
