// The TypeScript client runtime's recovery, compiled by the pinned tsc, against real `ws`
// servers on loopback: the position it keeps (from the greeting, each numbered message, the end
// of a recovery), the query it presents on every reconnect, the parameters sent on the first
// connection only, and each numbered message handed over once, in order. Run by
// tests/codegen/runtime/test_typescript_runtime.py with RUNTIME_DIST and WS_MODULE set.
//
// The channel is made up, as in test_python_runtime_recovery.py: `greet` states where a
// connection starts, `item` is numbered, `caught_up` ends a recovery, `note` is not numbered;
// `hello` is the probe; `last` is a query parameter for the first connection only.
import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const dist = process.env.RUNTIME_DIST;
const load = (name) => import(pathToFileURL(`${dist}/${name}.js`).href);
const { ChannelClient } = await load("channel");
const { Place, withQuery } = await load("recovery");
const { WebSocket, WebSocketServer } = await import(pathToFileURL(process.env.WS_MODULE).href);

const FAST = { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 50 };

const position = (message) =>
  message.epoch !== undefined && message.offset !== undefined ? [message.epoch, message.offset] : null;

const RECOVERY = {
  epochParameter: "epoch",
  offsetParameter: "offset",
  recoveryAction: "caught_up",
  stated: (message) =>
    message.action === "greet" || message.action === "caught_up" ? position(message) : null,
  numbered: (message) => (message.action === "item" ? position(message) : null),
};

function toySpec(recovery = RECOVERY) {
  return {
    serverActions: ["greet", "item", "caught_up", "note", "answer"],
    replyActions: ["answer"],
    refusals: new Map(),
    probeAction: "hello",
    replyError: () => null,
    greetingAction: "greet",
    recovery,
    firstConnectionQuery: ["last"],
  };
}

const send = (socket, frame) => socket.send(JSON.stringify(frame));

/**
 * A server that greets, replays what a presented position missed (`overlap` already delivered
 * ones too, as a careless server might) then `caught_up`, then sends two new items and drops
 * the connection (connections after `drops` stay open). Two more are said while the client is
 * away.
 */
async function toyServer(log) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(wss, "listening");
  const item = (offset) => ({ action: "item", text: log.items[offset - 1], epoch: log.epoch, offset });
  wss.on("connection", (socket, request) => {
    const query = Object.fromEntries(new URL(request.url, "ws://x").searchParams);
    log.queries.push(query);
    log.onConnection?.(log);
    if (query.epoch !== undefined) {
      const offset = Number(query.offset);
      const same = query.epoch === log.epoch;
      send(socket, { action: "greet", epoch: log.epoch, offset: same ? offset : log.items.length });
      if (same) {
        for (let missed = Math.max(1, offset + 1 - log.overlap); missed <= log.items.length; missed++) {
          send(socket, item(missed));
        }
      }
      send(socket, { action: "caught_up", recovered: same, epoch: log.epoch, offset: log.items.length });
    } else {
      send(socket, { action: "greet", epoch: log.epoch, offset: log.items.length });
    }
    socket.once("message", (data) => {
      const hello = JSON.parse(data.toString());
      send(socket, { action: "answer", ref: hello.ref });
      send(socket, { action: "note", text: "not numbered" });
      for (let i = 0; i < 2; i++) {
        log.items.push(`chat ${log.items.length + 1}`);
        send(socket, item(log.items.length));
      }
      if (log.queries.length > log.drops) return;
      log.items.push(`chat ${log.items.length + 1}`, `chat ${log.items.length + 2}`);
      socket.terminate();
    });
  });
  const port = wss.address().port;
  return {
    url: `ws://127.0.0.1:${port}/toy?name=ann&last=3`,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close(() => resolve());
      }),
  };
}

function newLog(fields = {}) {
  return { epoch: "e1", items: [], queries: [], overlap: 0, drops: 1000, ...fields };
}

async function collect(toy, count) {
  const got = [];
  for await (const message of toy) {
    got.push(message);
    if (got.filter((each) => each.action === "item").length === count) return got;
  }
  return got;
}

async function withClient(log, spec, body) {
  const server = await toyServer(log);
  const toy = new ChannelClient(server.url, spec, {
    webSocket: WebSocket,
    reconnect: FAST,
    openTimeoutMs: 2000,
  });
  try {
    await toy.connect();
    await body(toy);
  } finally {
    toy.close();
    await server.stop();
  }
}

test("a reconnecting client presents its position and gets every item once", async () => {
  const log = newLog({ items: ["before 1", "before 2"], overlap: 3 });
  await withClient(log, toySpec(), async (toy) => {
    const got = await collect(toy, 10);
    const items = got.filter((message) => message.action === "item");
    assert.deepEqual(
      items.map((item) => item.offset),
      [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    assert.deepEqual(
      items.map((item) => item.text),
      items.map((item) => `chat ${item.offset}`),
    );
    const endings = got.filter((message) => message.action === "caught_up");
    assert.deepEqual(
      endings.map((end) => [end.recovered, end.offset]),
      [
        [true, 6],
        [true, 10],
      ],
    );
    assert.deepEqual(log.queries.slice(0, 3), [
      { name: "ann", last: "3" },
      { name: "ann", epoch: "e1", offset: "4" },
      { name: "ann", epoch: "e1", offset: "8" },
    ]);
    assert.deepEqual(toy.position, ["e1", 12]);
  });
});

test("the recovery ending is kept for the latest connection", async () => {
  const log = newLog({ drops: 1 });
  await withClient(log, toySpec(), async (toy) => {
    assert.equal(toy.recoveryMessage, null);
    const got = await collect(toy, 6);
    assert.deepEqual(toy.recoveryMessage, { action: "caught_up", recovered: true, epoch: "e1", offset: 4 });
    assert.equal(got.filter((message) => message.action === "note").length, 2);
  });
});

test("after an epoch change the new epoch's items are taken", async () => {
  const log = newLog({
    items: ["a", "b", "c", "d", "e"],
    onConnection: (log) => {
      if (log.queries.length === 2) {
        log.epoch = "e2";
        log.items = [];
      }
    },
  });
  await withClient(log, toySpec(), async (toy) => {
    const got = await collect(toy, 4);
    assert.deepEqual(
      got.filter((message) => message.action === "item").map((item) => [item.epoch, item.offset]),
      [
        ["e1", 6],
        ["e1", 7],
        ["e2", 1],
        ["e2", 2],
      ],
    );
    const [ending] = got.filter((message) => message.action === "caught_up");
    assert.deepEqual([ending.recovered, ending.epoch, ending.offset], [false, "e2", 0]);
    assert.deepEqual(log.queries[1], { name: "ann", epoch: "e1", offset: "7" });
  });
});

test("without recovery the address is the same on every connection", async () => {
  const log = newLog();
  await withClient(log, toySpec(null), async (toy) => {
    const got = await collect(toy, 4);
    assert.equal(got.filter((message) => message.action === "item").length, 4);
    assert.deepEqual(log.queries[0], { name: "ann", last: "3" });
    assert.deepEqual(log.queries[1], { name: "ann", last: "3" });
    assert.equal(toy.position, null);
  });
});

test("a numbered message at or before the position is dropped", () => {
  const place = new Place(RECOVERY);
  const item = (epoch, offset) => ({ action: "item", text: "x", epoch, offset });
  assert.equal(place.admit(item("e1", 5)), true);
  assert.equal(place.admit(item("e1", 5)), false);
  assert.equal(place.admit(item("e1", 2)), false);
  assert.equal(place.admit(item("e1", 7)), true);
  assert.equal(place.admit(item("e0", 1)), true);
  assert.deepEqual(place.position, ["e0", 1]);
  assert.equal(place.admit({ action: "item", text: "not numbered" }), true);
  assert.equal(place.admit({ action: "greet", epoch: "e3", offset: 10 }), true);
  assert.equal(place.admit(item("e3", 10)), false);
  assert.equal(place.admit({ action: "greet" }), true);
  assert.deepEqual(place.position, ["e3", 10]);
});

test("the query keeps what it does not manage", () => {
  assert.equal(
    withQuery("ws://h/r?name=Zo%C3%AB&epoch=old&offset=1", new Set(["last"]), []),
    "ws://h/r?name=Zo%C3%AB&epoch=old&offset=1",
  );
  assert.equal(
    withQuery("ws://h/r?epoch=old&name=a&offset=1", new Set(), [["epoch", "e 1"]]),
    "ws://h/r?name=a&offset=1&epoch=e%201",
  );
  assert.equal(withQuery("ws://h/r?last=3", new Set(["last"]), []), "ws://h/r");
  const place = new Place(RECOVERY, ["last"]);
  assert.equal(place.url("ws://h/r?last=3&epoch=forged&offset=9"), "ws://h/r?last=3");
  place.admit({ action: "item", text: "x", epoch: "é", offset: 3 });
  assert.equal(place.url("ws://h/r?last=3"), "ws://h/r?epoch=%C3%A9&offset=3");
});
