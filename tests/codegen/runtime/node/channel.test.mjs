// The TypeScript client runtime (src/roomchat/codegen/runtime/typescript), compiled by the
// pinned tsc, on its own against a real `ws` server on loopback that each test scripts. Run by
// tests/codegen/runtime/test_typescript_runtime.py: `node --test channel.test.mjs` with
// RUNTIME_DIST (the compiled runtime) and WS_MODULE (the `ws` package's ES module) set.
//
// The runtime is given a made-up channel, not roomchat's: what it does must not depend on the
// spec it is generated for. Server frames are `note` (a broadcast), `answer` and `problem`
// (replies); `hello` is the probe; close code 4401 ends the client.
import assert from "node:assert/strict";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const dist = process.env.RUNTIME_DIST;
const load = (name) => import(pathToFileURL(`${dist}/${name}.js`).href);
const { ChannelClient, UnknownMessage } = await load("channel");
const { delays } = await load("backoff");
const {
  ClientClosedError,
  ClientError,
  ConnectionFailedError,
  ConnectionLostError,
  RequestTimeoutError,
  ServerClosedError,
  UnexpectedFrameError,
} = await load("base-errors");
const { WebSocket, WebSocketServer } = await import(pathToFileURL(process.env.WS_MODULE).href);

const FAST = { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 20 };

class NotWelcomeError extends ServerClosedError {
  constructor(reason) {
    super(4401, reason);
  }
}

class ProblemError extends ClientError {
  constructor(problem) {
    super(problem.why);
    this.why = problem.why;
  }
}

function toySpec(probeAction = "hello") {
  return {
    serverActions: ["note", "answer", "problem"],
    replyActions: ["answer", "problem"],
    refusals: new Map([[4401, NotWelcomeError]]),
    probeAction,
    replyError: (reply) => (reply.action === "problem" ? new ProblemError(reply) : null),
  };
}

function client(url, options = {}, spec = toySpec()) {
  return new ChannelClient(url, spec, {
    webSocket: WebSocket,
    reconnect: FAST,
    openTimeoutMs: 2000,
    ...options,
  });
}

/** The server's side of one connection: the frames it receives, one per `next()`. */
function peer(socket) {
  const queue = [];
  const waiting = [];
  socket.on("message", (data, isBinary) => {
    const frame = isBinary ? data : data.toString();
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  return {
    socket,
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))),
    send: (frame) => socket.send(JSON.stringify(frame)),
    close: (code, reason) => socket.close(code, reason),
  };
}

/** Read until the client's `hello` and answer it, as a server that takes the client. */
async function answerProbe(connection, seen = []) {
  for (;;) {
    const hello = JSON.parse(await connection.next());
    seen.push(hello);
    if (hello.action === "hello") return connection.send({ action: "answer", value: 0, ref: hello.ref });
  }
}

/** Answer the probe, double every `ask`, turn `fail` into a problem, echo `say`. */
async function standard(connection) {
  for (;;) {
    const request = JSON.parse(await connection.next());
    const ref = request.ref;
    if (request.action === "hello") connection.send({ action: "answer", value: 0, ref });
    if (request.action === "ask") connection.send({ action: "answer", value: request.value * 2, ref });
    if (request.action === "fail") connection.send({ action: "problem", why: "no thanks", ref });
    if (request.action === "say") connection.send({ action: "note", text: request.text });
  }
}

/** A `ws` server on 127.0.0.1 that runs `handler(connection, server)` for each connection. */
async function toyServer(handler, port = 0) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port });
  await once(wss, "listening");
  const server = { port: wss.address().port, connections: 0, closeCodes: [] };
  server.url = `ws://127.0.0.1:${server.port}/toy`;
  wss.on("connection", (socket) => {
    server.connections++;
    socket.on("close", (code) => server.closeCodes.push(code));
    handler(peer(socket), server).catch(() => undefined);
  });
  server.stop = () =>
    new Promise((resolve) => {
      for (const socket of wss.clients) socket.close(1001, "stopping");
      wss.close(() => resolve());
    });
  return server;
}

async function withServer(handler, body) {
  const server = await toyServer(handler);
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

// -- opening -------------------------------------------------------------------------------

test("connect waits for the probe and keeps what came before it", () =>
  withServer(
    async (connection) => {
      connection.send({ action: "note", text: "welcome" });
      await standard(connection);
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      assert.equal(toy.connected, true);
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "welcome" });
      toy.close();
    },
  ));

test("the probe is the spec's request and its answer is not in the stream", () => {
  const seen = [];
  return withServer(
    async (connection) => {
      await answerProbe(connection, seen);
      await standard(connection);
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      assert.equal(seen.length, 1);
      assert.equal(seen[0].action, "hello");
      assert.equal(typeof seen[0].ref, "string");
      await toy.sendRaw(JSON.stringify({ action: "say", text: "after" }));
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "after" });
      toy.close();
    },
  );
});

test("without a probe the client is connected after the handshake", () => {
  const seen = [];
  return withServer(
    async (connection) => {
      for (;;) {
        seen.push(await connection.next());
        connection.send({ action: "note", text: "got it" });
      }
    },
    async (server) => {
      const toy = client(server.url, {}, toySpec(null));
      await toy.connect();
      await toy.send({ action: "say", text: "first" });
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "got it" });
      assert.deepEqual(seen, ['{"action":"say","text":"first"}']);
      toy.close();
    },
  );
});

test("no server is a connection failure", async () => {
  const server = await toyServer(standard);
  await server.stop();
  await assert.rejects(client(server.url).connect(), (error) => {
    assert.ok(error instanceof ConnectionFailedError);
    assert.equal(error.attempts, 1);
    return true;
  });
});

test("a refusal while opening throws its error and is never retried", () =>
  withServer(
    async (connection) => connection.close(4401, "not you"),
    async (server) => {
      const states = [];
      const toy = client(server.url, { onState: (state) => states.push(state) });
      await assert.rejects(toy.connect(), (error) => {
        assert.ok(error instanceof NotWelcomeError);
        assert.equal(error.code, 4401);
        assert.equal(error.reason, "not you");
        return true;
      });
      await sleep(200);
      assert.equal(server.connections, 1);
      assert.deepEqual(states, ["connecting", "closed"]);
    },
  ));

test("a close code the spec does not name while opening is a connection failure", () =>
  withServer(
    async (connection) => connection.close(4999, "odd"),
    async (server) => {
      await assert.rejects(client(server.url).connect(), (error) => {
        assert.ok(error instanceof ConnectionFailedError);
        assert.ok(error.cause instanceof ConnectionLostError);
        assert.equal(error.cause.code, 4999);
        assert.equal(error.cause.reason, "odd");
        return true;
      });
    },
  ));

// -- requests ------------------------------------------------------------------------------

test("replies find their request by ref in any order", () =>
  withServer(
    async (connection) => {
      await answerProbe(connection);
      const first = JSON.parse(await connection.next());
      const second = JSON.parse(await connection.next());
      // A frame that is not a reply never answers a request, even carrying its ref.
      connection.send({ action: "note", text: "not an answer", ref: first.ref });
      connection.send({ action: "answer", value: -1, ref: "nobody's" });
      connection.send({ action: "answer", value: second.value, ref: second.ref });
      connection.send({ action: "answer", value: first.value, ref: first.ref });
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      const [one, two] = await Promise.all([
        toy.request({ action: "ask", value: 1 }),
        toy.request({ action: "ask", value: 2 }),
      ]);
      assert.equal(one.value, 1);
      assert.equal(two.value, 2);
      assert.notEqual(one.ref, two.ref);
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "not an answer", ref: one.ref });
      assert.deepEqual(await toy.receive(5000), { action: "answer", value: -1, ref: "nobody's" });
      toy.close();
    },
  ));

test("an error reply throws the error the spec makes of it", () =>
  withServer(standard, async (server) => {
    const toy = client(server.url);
    await toy.connect();
    await assert.rejects(toy.request({ action: "fail" }), (error) => {
      assert.ok(error instanceof ProblemError);
      assert.equal(error.why, "no thanks");
      return true;
    });
    assert.equal((await toy.request({ action: "ask", value: 21 })).value, 42);
    toy.close();
  }));

test("a request without a reply times out and a late reply is streamed", () =>
  withServer(
    async (connection) => {
      await answerProbe(connection);
      const ask = JSON.parse(await connection.next());
      await sleep(300);
      connection.send({ action: "answer", value: 7, ref: ask.ref });
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      await assert.rejects(toy.request({ action: "ask", value: 7 }, 100), (error) => {
        assert.ok(error instanceof RequestTimeoutError);
        assert.equal(error.action, "ask");
        assert.equal(error.timeoutMs, 100);
        return true;
      });
      const late = await toy.receive(5000);
      assert.equal(late.action, "answer");
      assert.equal(late.value, 7);
      toy.close();
    },
  ));

test("a request cut off by a dropped connection fails with ConnectionLostError", () =>
  withServer(
    async (connection) => {
      await answerProbe(connection);
      await connection.next();
      connection.close(1011, "gone");
    },
    async (server) => {
      const toy = client(server.url, { reconnect: null });
      await toy.connect();
      await assert.rejects(toy.request({ action: "ask", value: 1 }), (error) => {
        assert.ok(error instanceof ConnectionLostError);
        assert.equal(error.code, 1011);
        assert.equal(error.reason, "gone");
        return true;
      });
    },
  ));

test("send writes objects and raw frames as given", () => {
  const seen = [];
  return withServer(
    async (connection) => {
      await answerProbe(connection);
      for (;;) {
        seen.push(await connection.next());
        if (seen.length === 2) connection.send({ action: "note", text: "done" });
      }
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      await toy.send({ action: "say", text: "café" });
      await toy.sendRaw("not json");
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "done" });
      assert.deepEqual(seen, ['{"action":"say","text":"café"}', "not json"]);
      toy.close();
    },
  );
});

// -- frames the spec does not declare ------------------------------------------------------

test("frames that are not messages are UnexpectedFrameErrors and the stream goes on", () => {
  const odd = ["not json", "[1,2]", JSON.stringify({ text: "no action" }), Buffer.from([0xff, 0xfe])];
  return withServer(
    async (connection) => {
      await answerProbe(connection);
      for (const frame of odd) connection.socket.send(frame);
      connection.send({ action: "note", text: "still here" });
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      for (const frame of odd) {
        await assert.rejects(toy.receive(5000), (error) => {
          assert.ok(error instanceof UnexpectedFrameError);
          if (typeof frame === "string") assert.equal(error.frame, frame);
          else assert.match(error.message, /not a text frame/);
          return true;
        });
      }
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "still here" });
      assert.equal(toy.connected, true);
      toy.close();
    },
  );
});

test("an unknown action is an UnknownMessage in the stream, and answers no request", () =>
  withServer(
    async (connection) => {
      await answerProbe(connection);
      const ask = JSON.parse(await connection.next());
      connection.send({ action: "typing", payload: { who: "ann" }, ref: ask.ref });
      connection.send({ action: "note", text: "then this", extra: { nested: true } });
      connection.send({ action: "answer", value: ask.value * 2, ref: ask.ref });
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      const answer = await toy.request({ action: "ask", value: 4 }, 5000);
      assert.equal(answer.value, 8);
      const unknown = await toy.receive(5000);
      assert.ok(unknown instanceof UnknownMessage);
      assert.equal(unknown.kind, "unknown");
      assert.equal(unknown.action, "typing");
      assert.deepEqual(unknown.raw, { action: "typing", payload: { who: "ann" }, ref: answer.ref });
      // Unknown fields stay in the message: nothing refuses them.
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "then this", extra: { nested: true } });
      toy.close();
    },
  ));

test("iterating goes on past unknown actions", () =>
  withServer(
    async (connection) => {
      await answerProbe(connection);
      connection.send({ action: "mystery" });
      connection.send({ action: "note", text: "one" });
      connection.send({ action: "other", payload: [1, 2] });
      connection.send({ action: "note", text: "two" });
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      const seen = [];
      for await (const message of toy) {
        seen.push(message instanceof UnknownMessage ? `unknown ${message.action}` : message.text);
        if (seen.length === 4) break;
      }
      assert.deepEqual(seen, ["unknown mystery", "one", "unknown other", "two"]);
      toy.close();
    },
  ));

// -- dropped connections -------------------------------------------------------------------

test("a dropped connection is reopened and the stream goes on", () =>
  withServer(
    async (connection, server) => {
      await answerProbe(connection);
      if (server.connections === 1) {
        connection.send({ action: "note", text: "first" });
        connection.close(1012, "restarting");
      } else {
        connection.send({ action: "note", text: "second" });
        await standard(connection);
      }
    },
    async (server) => {
      const states = [];
      const toy = client(server.url, { onState: (state) => states.push(state) });
      await toy.connect();
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "first" });
      assert.deepEqual(await toy.receive(5000), { action: "note", text: "second" });
      assert.equal(toy.reconnects, 1);
      assert.equal((await toy.request({ action: "ask", value: 5 })).value, 10);
      assert.equal(server.connections, 2);
      assert.deepEqual(states, ["connecting", "open", "reconnecting", "open"]);
      toy.close();
    },
  ));

test("the client comes back when the server does", async () => {
  const first = await toyServer(standard);
  const toy = client(first.url, { reconnect: { ...FAST, maxAttempts: null } });
  await toy.connect();
  await first.stop();
  await until(() => !toy.connected, "the drop");
  await assert.rejects(toy.waitConnected(50), /not reconnected within 50 ms/);
  const second = await toyServer(standard, first.port);
  try {
    await toy.waitConnected(5000);
    assert.equal(toy.reconnects, 1);
    await toy.sendRaw(JSON.stringify({ action: "say", text: "back" }));
    assert.deepEqual(await toy.receive(5000), { action: "note", text: "back" });
  } finally {
    toy.close();
    await second.stop();
  }
});

test("a refusal while connected ends the client with its error", () =>
  withServer(
    async (connection) => {
      await answerProbe(connection);
      connection.close(4401, "bye for good");
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      await assert.rejects(toy.receive(5000), /bye for good/);
      // It stays the answer: the stream, sends and waiting all throw it, nothing is retried.
      await assert.rejects(toy.receive(5000), NotWelcomeError);
      await assert.rejects(toy.send({ action: "ask", value: 1 }), NotWelcomeError);
      await assert.rejects(toy.waitConnected(), NotWelcomeError);
      await sleep(200);
      assert.equal(server.connections, 1);
      assert.equal(toy.reconnects, 0);
    },
  ));

test("a refusal while reconnecting ends the client with its error", () =>
  withServer(
    async (connection, server) => {
      if (server.connections === 1) {
        await answerProbe(connection);
        connection.close(1001, "going away");
      } else {
        connection.close(4401, "full now");
      }
    },
    async (server) => {
      const toy = client(server.url);
      await toy.connect();
      await assert.rejects(toy.receive(5000), (error) => {
        assert.ok(error instanceof NotWelcomeError);
        assert.equal(error.reason, "full now");
        return true;
      });
      assert.equal(toy.reconnects, 0);
      assert.equal(server.connections, 2);
    },
  ));

test("reconnecting gives up after the policy's attempts", async () => {
  const server = await toyServer(standard);
  const toy = client(server.url, { reconnect: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 3 } });
  await toy.connect();
  await server.stop();
  await assert.rejects(toy.receive(5000), (error) => {
    assert.ok(error instanceof ConnectionFailedError);
    assert.equal(error.attempts, 3);
    return true;
  });
});

test("without reconnect a drop ends the stream with ConnectionLostError", () =>
  withServer(
    async (connection) => {
      await answerProbe(connection);
      connection.close(1001, "bye");
    },
    async (server) => {
      const toy = client(server.url, { reconnect: null });
      await toy.connect();
      await assert.rejects(
        (async () => {
          for await (const message of toy) assert.fail(`unexpected ${JSON.stringify(message)}`);
        })(),
        (error) => {
          assert.ok(error instanceof ConnectionLostError);
          assert.equal(error.code, 1001);
          assert.equal(error.reason, "bye");
          return true;
        },
      );
      assert.equal(server.connections, 1);
    },
  ));

// -- closing -------------------------------------------------------------------------------

test("close ends the stream cleanly and later sends fail", () =>
  withServer(standard, async (server) => {
    const toy = client(server.url);
    await toy.connect();
    toy.close();
    const rest = [];
    for await (const message of toy) rest.push(message);
    assert.deepEqual(rest, []);
    await assert.rejects(toy.send({ action: "ask", value: 1 }), ClientClosedError);
    await until(() => server.closeCodes.length > 0, "the close");
    assert.deepEqual(server.closeCodes, [1000]);
  }));

test("backoff is bounded, jittered and exponential", () => {
  const policy = { initialDelayMs: 1000, maxDelayMs: 4000, multiplier: 2, maxAttempts: 5, jitter: 0.5 };
  const waits = [...delays(policy)];
  assert.equal(waits.length, 5);
  [1000, 2000, 4000, 4000, 4000].forEach((ceiling, index) => {
    assert.ok(ceiling / 2 <= waits[index] && waits[index] <= ceiling, `${waits[index]} for ${ceiling}`);
  });
  assert.deepEqual([...delays({ ...policy, jitter: 0, maxAttempts: 3 })], [1000, 2000, 4000]);
  assert.throws(() => [...delays({ ...policy, jitter: 2 })], RangeError);
});
