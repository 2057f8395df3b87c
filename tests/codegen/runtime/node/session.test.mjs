// The TypeScript client runtime's handshake and session, compiled by the pinned tsc, against
// real `ws` servers on loopback: the subprotocols it offers (a token among them, fetched afresh
// for every connection), what it accepts the server selecting, the greeting it keeps, the close
// codes a fresh token cures, refreshing the token before it expires, and requests renewed on
// every new connection. Run by tests/codegen/runtime/test_typescript_runtime.py with
// RUNTIME_DIST and WS_MODULE set, as channel.test.mjs is.
//
// The channel is made up: `toy.v1` is the opt-in subprotocol, `toy.token.<token>` carries a
// token, `greet` is the greeting (with the token's expiry), `renew` hands over a fresh token
// (answered by `renewed`), `watch` is renewed on reconnect, and 4419 is cured by a fresh token.
import assert from "node:assert/strict";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const dist = process.env.RUNTIME_DIST;
const load = (name) => import(pathToFileURL(`${dist}/${name}.js`).href);
const { ChannelClient } = await load("channel");
const { refreshDelayMs } = await load("refreshing");
const { ConnectionFailedError, ServerClosedError } = await load("base-errors");
const { WebSocket, WebSocketServer } = await import(pathToFileURL(process.env.WS_MODULE).href);

const FAST = { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 20 };
const OPT_IN = "toy.v1";
const PREFIX = "toy.token.";

class NotWelcomeError extends ServerClosedError {
  constructor(reason) {
    super(4401, reason);
  }
}

class ExpiredError extends ServerClosedError {
  constructor(reason) {
    super(4419, reason);
  }
}

const toySpec = {
  serverActions: ["note", "answer", "greet", "renewed"],
  replyActions: ["answer", "renewed"],
  refusals: new Map([
    [4401, NotWelcomeError],
    [4419, ExpiredError],
  ]),
  probeAction: "hello",
  replyError: () => null,
  subprotocols: [OPT_IN],
  tokenSubprotocolPrefix: PREFIX,
  greetingAction: "greet",
  renewals: [4419],
  tokenExpiry: (message) =>
    message.action === "greet" || message.action === "renewed" ? (message.expires ?? null) : null,
  refreshFrame: (token) => ({ action: "renew", token }),
  renewedActions: ["watch"],
};

function client(url, options = {}) {
  return new ChannelClient(url, toySpec, { webSocket: WebSocket, reconnect: FAST, openTimeoutMs: 2000, ...options });
}

const optIn = (protocols) => (protocols.has(OPT_IN) ? OPT_IN : false);

/** A `ws` server; `handler(socket, seen, server)` runs per connection, `seen` records it. */
async function toyServer(handler, handleProtocols = optIn) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols });
  await once(wss, "listening");
  const server = { url: `ws://127.0.0.1:${wss.address().port}/toy`, connections: [] };
  wss.on("connection", (socket, request) => {
    const offered = (request.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const seen = { offered, path: request.url, frames: [] };
    server.connections.push(seen);
    socket.on("message", (data) => seen.frames.push(JSON.parse(data.toString())));
    handler(socket, seen, server);
  });
  server.stop = () =>
    new Promise((resolve) => {
      for (const socket of wss.clients) socket.close(1001, "stopping");
      wss.close(() => resolve());
    });
  return server;
}

/** Answer `hello` and `watch` (with the number of connections so far) and `renew`. */
function serveRequests(socket, seen, server) {
  socket.on("message", (data) => {
    const request = JSON.parse(data.toString());
    const ref = request.ref;
    if (request.action === "hello" || request.action === "watch") {
      socket.send(JSON.stringify({ action: "answer", value: server.connections.length, ref }));
    }
    if (request.action === "renew") {
      socket.send(JSON.stringify({ action: "renewed", expires: 2 ** 40, ref }));
    }
  });
}

async function withServer(handler, body, handleProtocols) {
  const server = await toyServer(handler, handleProtocols);
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

async function until(condition, what) {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function countingProvider() {
  const handed = [];
  const provider = async () => {
    handed.push(`tok-${handed.length + 1}`);
    return handed.at(-1);
  };
  return { provider, handed };
}

test("the opt-in and the token are offered as subprotocols, never in the URL", () =>
  withServer(serveRequests, async (server) => {
    const toy = client(server.url, { token: "abc.def.ghi" });
    await toy.connect();
    const [seen] = server.connections;
    assert.deepEqual(seen.offered, [OPT_IN, `${PREFIX}abc.def.ghi`]);
    assert.ok(!seen.path.includes("abc"));
    toy.close();
  }));

test("without a token the opt-in alone is offered, and a server may select none", () =>
  withServer(
    serveRequests,
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      assert.equal((await toy.request({ action: "watch" }, 5000)).action, "answer");
      assert.deepEqual(server.connections[0].offered, [OPT_IN]);
      toy.close();
    },
    () => false,
  ));

test("a server selecting what the client does not speak fails, without the token", () =>
  withServer(
    serveRequests,
    async (server) => {
      await assert.rejects(client(server.url, { token: "secret.token.value" }).connect(), (error) => {
        assert.ok(error instanceof ConnectionFailedError);
        assert.ok(!String(error).includes("secret"));
        assert.ok(!String(error.cause).includes("secret"));
        return true;
      });
    },
    (protocols) => [...protocols].at(-1),
  ));

test("the provider is called for every connection", () => {
  const { provider, handed } = countingProvider();
  return withServer(
    (socket, seen, server) => {
      if (server.connections.length === 1) {
        socket.on("message", (data) => {
          const request = JSON.parse(data.toString());
          socket.send(JSON.stringify({ action: "answer", value: 0, ref: request.ref }));
          socket.close(1012, "restarting");
        });
      } else serveRequests(socket, seen, server);
    },
    async (server) => {
      const toy = client(server.url, { tokenProvider: provider });
      await toy.connect();
      await until(() => toy.reconnects === 1, "a reconnection");
      assert.deepEqual(handed, ["tok-1", "tok-2"]);
      assert.deepEqual(
        server.connections.map((seen) => seen.offered.at(-1)),
        [`${PREFIX}tok-1`, `${PREFIX}tok-2`],
      );
      toy.close();
    },
  );
});

test("a token and a provider together are refused", () => {
  const { provider } = countingProvider();
  assert.throws(() => client("ws://127.0.0.1:9/toy", { token: "t", tokenProvider: provider }), /either/);
});

/** The first connection is greeted, then closed with 4419; later ones are served. */
function expireFirst(socket, seen, server) {
  const number = server.connections.length;
  socket.send(JSON.stringify({ action: "greet", who: number === 1 ? "first" : `number ${number}` }));
  if (number > 1) return serveRequests(socket, seen, server);
  socket.on("message", (data) => {
    const request = JSON.parse(data.toString());
    socket.send(JSON.stringify({ action: "answer", value: 0, ref: request.ref }));
    socket.close(4419, "token expired");
  });
}

test("an expired token is replaced from the provider, and the greeting follows", () => {
  const { provider, handed } = countingProvider();
  return withServer(expireFirst, async (server) => {
    const toy = client(server.url, { tokenProvider: provider });
    await toy.connect();
    assert.deepEqual(toy.greeting, { action: "greet", who: "first" });
    await until(() => toy.reconnects === 1, "a reconnection");
    assert.deepEqual(toy.greeting, { action: "greet", who: "number 2" });
    assert.deepEqual(handed, ["tok-1", "tok-2"]);
    // The greeting is kept, not streamed.
    const reply = await toy.request({ action: "watch" }, 5000);
    assert.equal(reply.value, 2);
    await assert.rejects(toy.receive(100), /no reply/);
    toy.close();
  });
});

test("an expired fixed token ends the client with the typed error", () =>
  withServer(expireFirst, async (server) => {
    const toy = client(server.url, { token: "fixed" });
    await toy.connect();
    await assert.rejects(toy.receive(5000), ExpiredError);
    assert.equal(server.connections.length, 1);
    toy.close();
  }));

test("the token is refreshed before the expiry the greeting announces", () => {
  const { provider, handed } = countingProvider();
  return withServer(
    (socket, seen, server) => {
      socket.send(JSON.stringify({ action: "greet", who: "ann", expires: Math.floor(Date.now() / 1000) + 2 }));
      serveRequests(socket, seen, server);
    },
    async (server) => {
      const toy = client(server.url, { tokenProvider: provider });
      await toy.connect();
      const [seen] = server.connections;
      await until(() => seen.frames.some((frame) => frame.action === "renew"), "a refresh");
      const renewals = seen.frames.filter((frame) => frame.action === "renew");
      assert.deepEqual(
        renewals.map((frame) => frame.token),
        ["tok-2"],
      );
      assert.deepEqual(handed, ["tok-1", "tok-2"]);
      await sleep(200);
      assert.equal(seen.frames.filter((frame) => frame.action === "renew").length, 1);
      toy.close();
    },
  );
});

test("renewed requests are sent again on a new connection, answered in the stream", () =>
  withServer(
    (socket, seen, server) => {
      if (server.connections.length > 1) return serveRequests(socket, seen, server);
      socket.on("message", (data) => {
        const request = JSON.parse(data.toString());
        socket.send(JSON.stringify({ action: "answer", value: 1, ref: request.ref }));
        if (request.action === "watch") socket.close(1012, "restarting");
      });
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      assert.equal((await toy.request({ action: "watch" }, 5000)).value, 1);
      const again = await toy.receive(5000);
      assert.equal(again.action, "answer");
      assert.equal(again.value, 2);
      await until(() => server.connections[1].frames.length === 2, "the renewed watch");
      assert.deepEqual(
        server.connections[1].frames.map((frame) => frame.action),
        ["hello", "watch"],
      );
      toy.close();
    },
  ));

test("refreshing comes thirty seconds early, or at two thirds of a short lifetime", () => {
  assert.equal(refreshDelayMs(1000, 100_000), 870_000);
  assert.equal(refreshDelayMs(130, 100_000), 20_000);
  assert.equal(refreshDelayMs(99, 100_000), 0);
});
