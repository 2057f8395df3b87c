// Copied from src/roomchat/codegen/runtime/typescript/opening.ts by `roomchat generate`.
// DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
/**
 * Opening a connection to a channel, and opening it again after it drops.
 *
 * A new connection is confirmed by one request round trip when the channel has a request without
 * payload (`ChannelSpec.probeAction`), so that a connection the server refuses right after the
 * handshake, with a close code of the spec, fails while opening, typed.
 */
import { delays } from "./backoff.js";
import { ConnectionFailedError, ConnectionLostError, ServerClosedError } from "./base-errors.js";
import { selectionProblem } from "./credentials.js";
import { readFrame, refusal } from "./frames.js";
/**
 * Open a socket offering the subprotocols `offered` (and confirm it with the probe), then hand it
 * to `onOpen`. Rejects with `ConnectionFailedError` (also when the server selected a subprotocol
 * the spec does not offer), or the server's refusal.
 *
 * A server may select no subprotocol (one older than the spec's opt-in) and browsers accept
 * that, but the `ws` package fails such a handshake; the socket is then opened again offering
 * none, as a client of the older protocol.
 */
export async function openSocket(how, offered, onOpen) {
    try {
        await openOnce(how, offered, onOpen);
    }
    catch (error) {
        if (!(error instanceof NoneSelected))
            throw error;
        await openOnce(how, [], onOpen);
    }
}
/** The server selected no subprotocol, and the WebSocket implementation failed for it. */
class NoneSelected extends Error {
}
function openOnce(how, offered, onOpen) {
    const { url, spec, inbox } = how;
    return new Promise((resolve, reject) => {
        let socket;
        try {
            socket = offered.length ? new how.webSocket(url, [...offered]) : new how.webSocket(url);
        }
        catch (error) {
            // The error may quote the offer, and the offer may hold a token.
            const quotes = offered.some((entry) => String(error).includes(entry));
            reject(new ConnectionFailedError(url, quotes ? new Error("invalid subprotocols") : error));
            return;
        }
        let settled = false;
        const settle = (error) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
            if (error !== null) {
                socket.close();
                reject(error);
                return;
            }
            // Taken over at once, not after `await`: `ws` dispatches the frames read along with
            // the probe's answer right after it, and they must find the connection's handlers.
            onOpen(socket);
            resolve();
        };
        const timer = setTimeout(() => settle(new ConnectionFailedError(url, new Error(`no answer within ${how.openTimeoutMs} ms`))), how.openTimeoutMs);
        const probeAction = spec.probeAction;
        const selected = () => {
            const problem = selectionProblem(spec, socket.protocol);
            return problem === null ? null : new ConnectionFailedError(url, new Error(problem));
        };
        if (probeAction === null) {
            socket.onopen = () => settle(selected());
        }
        else {
            // One request round trip, so that a connection the server refuses right after the
            // handshake (with a close code of the spec) fails here, typed.
            const probe = how.probeRef();
            socket.onopen = () => {
                const problem = selected();
                if (problem)
                    settle(problem);
                else
                    socket.send(JSON.stringify({ action: probeAction, ref: probe }));
            };
            socket.onmessage = (event) => {
                const read = readFrame(spec, event.data);
                if (read instanceof Error)
                    inbox.push({ error: read });
                else if (read.answers === probe)
                    settle(null);
                else
                    inbox.push({ message: read.message });
            };
        }
        let noneSelected = false;
        socket.onerror = (event) => {
            // A close event follows, with the code; `ws` says why a handshake failed only here.
            const message = event.message;
            noneSelected = offered.length > 0 && message === "Server sent no subprotocol";
        };
        socket.onclose = (event) => {
            settle(noneSelected
                ? new NoneSelected()
                : (refusal(spec, event.code, event.reason) ??
                    new ConnectionFailedError(url, new ConnectionLostError(event.code, event.reason))));
        };
    });
}
/**
 * Open again with `open`, after each delay of `policy` in turn (`sleep` waits it out), until
 * `stopped()`. Rejects with the server's refusal at once, and with `ConnectionFailedError` (the
 * last failure's cause, the number of attempts) once the policy gives up.
 */
export async function reopen(url, policy, open, sleep, stopped) {
    let attempts = 0;
    let cause = null;
    for (const delay of delays(policy)) {
        await sleep(delay);
        if (stopped())
            return;
        attempts++;
        try {
            return await open();
        }
        catch (error) {
            if (error instanceof ServerClosedError)
                throw error;
            cause = error instanceof ConnectionFailedError ? error.cause : error;
        }
    }
    throw new ConnectionFailedError(url, cause, attempts);
}
