// Copied from src/roomchat/codegen/runtime/typescript/frames.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * Frames: what the runtime knows of a channel (`ChannelSpec`), and what a server frame holds.
 *
 * Frames are JSON objects; a client frame sent with `request()` carries a fresh `ref`, and a
 * reply echoes it in its own `ref`. A frame whose `action` the client does not know (a newer
 * server's message) is an `UnknownMessage`, and the stream goes on.
 */
import { UnexpectedFrameError } from "./base-errors.js";
/**
 * A server message whose `action` this client does not know: a newer server's. Yielded like any
 * message, so a client keeps working against a server that has learnt to say more. Tell it apart
 * with `instanceof UnknownMessage` (or `message.kind === "unknown"` once it is narrowed); `raw` is
 * the whole frame, as parsed JSON.
 */
export class UnknownMessage {
    action;
    raw;
    kind = "unknown";
    constructor(action, raw) {
        this.action = action;
        this.raw = raw;
    }
}
/**
 * The message a frame holds and the `ref` of the request it answers, if any. A frame with an
 * `action` the spec does not name is an `UnknownMessage`, answering nothing. A frame that is
 * not a JSON object with a string `action` is an `UnexpectedFrameError` (returned: the
 * connection goes on).
 */
export function readFrame(spec, data) {
    if (typeof data !== "string")
        return new UnexpectedFrameError(data, "not a text frame");
    let value;
    try {
        value = JSON.parse(data);
    }
    catch {
        return new UnexpectedFrameError(data, "not JSON");
    }
    const frame = typeof value === "object" && value !== null && !Array.isArray(value)
        ? value
        : {};
    if (typeof frame.action !== "string") {
        return new UnexpectedFrameError(data, "not a message: no action");
    }
    if (!spec.serverActions.includes(frame.action)) {
        const raw = value;
        return { message: new UnknownMessage(frame.action, raw), answers: null };
    }
    const answers = typeof frame.ref === "string" && spec.replyActions.includes(frame.action) ? frame.ref : null;
    return { message: value, answers };
}
/** The error a close with `code` ends the client with, or `null`: a dropped connection. */
export function refusal(spec, code, reason) {
    const refused = spec.refusals.get(code);
    return refused ? new refused(reason) : null;
}
