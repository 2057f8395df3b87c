// The compiled TypeScript client against a live server in token mode, run by
// tests/clients/test_token_clients.py: `node tokens.mjs <ws-url> <secret>` mints HS256 tokens
// with the server's secret, prints one line per check and exits 0 when all hold.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import {
  RoomChatClient,
  RoomNotAllowedError,
  TokenExpiredError,
  UnauthorizedError,
} from "../../../clients/typescript/dist/index.js";

const [url, secret] = process.argv.slice(2);
const webSocket = globalThis.WebSocket ?? (await import("../../../clients/typescript/node_modules/ws/wrapper.mjs")).WebSocket;
const fast = { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 20 };
const room = `tokens ${Math.random().toString(36).slice(2, 8)}`;

const base64url = (data) => Buffer.from(data).toString("base64url");

function token({ sub = "ann", name = "Ann", ttl = 3600, rooms } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, name, iat: now, exp: now + ttl, ...(rooms ? { rooms } : {}) };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

function providerOf(...makers) {
  const handed = [];
  const provider = async () => {
    handed.push(makers[Math.min(handed.length, makers.length - 1)]());
    return handed.at(-1);
  };
  return { provider, handed };
}

function client(options) {
  return new RoomChatClient(url, { roomName: room, webSocket, reconnect: fast, ...options });
}

function ok(check) {
  console.log(`ok ${check}`);
}

const named = providerOf(() => token({ sub: "ann-1", name: "Ann" }));
const ann = client({ tokenProvider: named.provider });
await ann.connect();
assert.deepEqual(ann.welcome.user, { id: "ann-1", name: "Ann" });
assert.equal(typeof ann.welcome.token_expires_at, "number");
const roster = (await ann.getPresence()).payload;
assert.deepEqual(roster.members.map((m) => [m.id, m.name]), [["ann-1", "Ann"]]);
assert.equal(named.handed.length, 1);
ann.close();
ok("the provider's token names the user");

for (const [options, error] of [
  [{}, UnauthorizedError],
  [{ token: "not.a.jwt" }, UnauthorizedError],
  [{ token: token({ rooms: ["elsewhere"] }) }, RoomNotAllowedError],
  [{ token: token({ ttl: -10 }) }, TokenExpiredError],
]) {
  await assert.rejects(client(options).connect(), error);
}
ok("refusals end the client with their typed errors");

const refreshing = providerOf(() => token({ ttl: 3 }), () => token({ ttl: 3600 }));
const bob = client({ tokenProvider: refreshing.provider });
await bob.connect();
await sleep(4500); // past the first token's expiry
assert.equal(bob.connected, true);
assert.equal(bob.reconnects, 0);
assert.equal(refreshing.handed.length, 2);
assert.equal((await bob.ping()).action, "pong");
bob.close();
ok("the token is refreshed before it expires");

const renewing = providerOf(() => token({ ttl: 2 }), () => token({ ttl: -10 }), () => token({ ttl: 3600 }));
const cyd = client({ tokenProvider: renewing.provider });
await cyd.connect();
const first = cyd.welcome.connection_id;
for (let waited = 0; cyd.reconnects < 1; waited += 50) {
  assert.ok(waited < 10_000, "no reconnection");
  await sleep(50);
}
await cyd.waitConnected(10_000);
assert.equal(renewing.handed.length, 3);
assert.notEqual(cyd.welcome.connection_id, first);
assert.equal((await cyd.ping()).action, "pong");
cyd.close();
ok("an expired token is replaced from the provider");
process.exit(0);
