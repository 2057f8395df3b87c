// Copied from src/roomchat/codegen/runtime/typescript/recovery.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * Where a client stands in a channel's numbered messages, kept across its connections.
 *
 * A channel may number its messages (an `epoch` and an `offset` per message, the offset
 * increasing within its epoch). The client keeps the last position it was given: the greeting
 * states where a connection starts, a recovery message where a recovery ended, and each numbered
 * message moves it on. A new connection presents it in the handshake's query, so the server can
 * send what was missed; a numbered message at or before the position, in the same epoch, was
 * already handed to the application and is dropped, so none is handed over twice.
 */
/** A client's position, and what the query of its next connection holds. */
export class Place {
    spec;
    position = null;
    /** The message that ended the latest connection's recovery, if it recovered. */
    recovery = null;
    connections = 0;
    firstConnectionOnly;
    constructor(spec, firstConnectionOnly = []) {
        this.spec = spec;
        this.firstConnectionOnly = new Set(firstConnectionOnly);
    }
    /**
     * `url` for the next connection: from the second one on, without the parameters that ask for
     * something on joining, and with the position when there is one.
     */
    url(url) {
        this.connections++;
        this.recovery = null;
        const spec = this.spec;
        if (!spec)
            return url;
        const dropped = new Set([spec.epochParameter, spec.offsetParameter]);
        if (this.connections > 1)
            for (const name of this.firstConnectionOnly)
                dropped.add(name);
        const added = [];
        if (this.position) {
            const [epoch, offset] = this.position;
            added.push([spec.epochParameter, epoch], [spec.offsetParameter, String(offset)]);
        }
        return withQuery(url, dropped, added);
    }
    /**
     * Note the position `message` states or carries; `false` for a numbered message the
     * application already has (at or before the position, in the same epoch).
     */
    admit(message) {
        const spec = this.spec;
        if (!spec)
            return true;
        const stated = spec.stated(message);
        if (stated) {
            this.position = stated;
            if (message.action === spec.recoveryAction)
                this.recovery = message;
            return true;
        }
        const numbered = spec.numbered(message);
        if (!numbered)
            return true;
        if (this.position && numbered[0] === this.position[0] && numbered[1] <= this.position[1]) {
            return false;
        }
        this.position = numbered;
        return true;
    }
}
/**
 * `url` without the query parameters named in `dropped` or `added`, then with `added` (each
 * percent-encoded with `encodeURIComponent`).
 */
export function withQuery(url, dropped, added) {
    const at = url.indexOf("?");
    const base = at < 0 ? url : url.slice(0, at);
    const query = at < 0 ? "" : url.slice(at + 1);
    const names = new Set([...dropped, ...added.map(([name]) => name)]);
    const parts = query
        .split("&")
        .filter((part) => part !== "" && !names.has(part.split("=", 1)[0]));
    for (const [name, value] of added) {
        parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    }
    return base + (parts.length ? `?${parts.join("&")}` : "");
}
