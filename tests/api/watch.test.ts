// Watch: resourceVersion semantics, event order, selectors entering/leaving, one-object
// watches, initial events + bookmarks, timeouts, Table events and 410 on compacted revisions.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, openWatch } from "./helpers.ts";

let s: InProcessServer;
const merge = { "content-type": "application/merge-patch+json" };
let nsCounter = 0;

/** A fresh namespace per test, so that watches see only that test's objects. */
async function freshNamespace(): Promise<string> {
  const name = `watch-${++nsCounter}`;
  const res = await s.json("POST", "/api/v1/namespaces", { body: { metadata: { name } } });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return `/api/v1/namespaces/${name}/configmaps`;
}

async function currentRv(path: string): Promise<string> {
  return (await s.json("GET", path)).body.metadata.resourceVersion;
}

beforeAll(async () => {
  s = await startInProcessServer({ bookmarkIntervalMs: 100 });
});
afterAll(async () => {
  await s.close();
});

describe("event stream", () => {
  test("ADDED, MODIFIED and DELETED arrive in order with kind, apiVersion and rising resourceVersions", async () => {
    const cms = await freshNamespace();
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${await currentRv(cms)}`);
    try {
      expect(watch.response.headers.get("content-type")).toStartWith("application/json");
      await s.json("POST", cms, { body: configMap("w") });
      await s.json("PATCH", `${cms}/w`, { body: { data: { k: "2" } }, headers: merge });
      await s.json("DELETE", `${cms}/w`);
      const events = await watch.take(3);
      expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
      for (const e of events) {
        expect(e.object.kind).toBe("ConfigMap");
        expect(e.object.apiVersion).toBe("v1");
        expect(e.object.metadata.name).toBe("w");
      }
      expect(events[1].object.data).toEqual({ k: "2" });
      const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
      expect(rvs[0]).toBeLessThan(rvs[1]);
      expect(rvs[1]).toBeLessThan(rvs[2]);
    } finally {
      await watch.close();
    }
  });

  test("resourceVersion=N replays exactly the events after N", async () => {
    const cms = await freshNamespace();
    const a = (await s.json("POST", cms, { body: configMap("a") })).body;
    await s.json("POST", cms, { body: configMap("b") });
    await s.json("PATCH", `${cms}/a`, { body: { data: { k: "2" } }, headers: merge });
    await s.json("DELETE", `${cms}/b`);
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${a.metadata.resourceVersion}`);
    try {
      const events = await watch.take(3);
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED b", "MODIFIED a", "DELETED b"]);
    } finally {
      await watch.close();
    }
  });

  test("resourceVersion unset or 0 starts with a synthetic ADDED per existing object", async () => {
    const cms = await freshNamespace();
    await s.json("POST", cms, { body: configMap("one") });
    await s.json("POST", cms, { body: configMap("two") });
    for (const query of ["watch=true", "watch=true&resourceVersion=0"]) {
      const watch = await openWatch(s, `${cms}?${query}`);
      try {
        const initial = await watch.take(2);
        expect(initial.map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual(["ADDED one", "ADDED two"]);
        await s.json("PATCH", `${cms}/one`, { body: { data: { k: query } }, headers: merge });
        const next = await watch.next();
        expect(next?.type).toBe("MODIFIED");
        expect(next?.object.data).toEqual({ k: query });
      } finally {
        await watch.close();
      }
    }
  });

  test("the deprecated /watch/ path prefix is a watch", async () => {
    const cms = await freshNamespace();
    await s.json("POST", cms, { body: configMap("legacy") });
    const watch = await openWatch(s, cms.replace("/api/v1/", "/api/v1/watch/"));
    try {
      const ev = await watch.next();
      expect(ev?.type).toBe("ADDED");
      expect(ev?.object.metadata.name).toBe("legacy");
    } finally {
      await watch.close();
    }
  });

  test("a watch across namespaces sees objects from every namespace", async () => {
    const first = await freshNamespace();
    const second = await freshNamespace();
    const watch = await openWatch(s, `/api/v1/configmaps?watch=true&resourceVersion=${await currentRv(first)}&labelSelector=xns%3Dyes`);
    try {
      await s.json("POST", first, { body: configMap("in-first", { labels: { xns: "yes" } }) });
      await s.json("POST", second, { body: configMap("in-second", { labels: { xns: "yes" } }) });
      const events = await watch.take(2);
      expect(events.map((e) => `${e.object.metadata.namespace}/${e.object.metadata.name}`)).toEqual([
        `${first.split("/")[4]}/in-first`,
        `${second.split("/")[4]}/in-second`,
      ]);
    } finally {
      await watch.close();
    }
  });
});

describe("fan-out", () => {
  test("a write is answered before its event goes out to the watchers", async () => {
    const cms = await freshNamespace();
    const rv = await currentRv(cms);
    const watches = await Promise.all([1, 2, 3].map(() => openWatch(s, `${cms}?watch=true&resourceVersion=${rv}`)));
    try {
      const order: string[] = [];
      const delivered = watches.map((w, i) => w.next().then((e) => order.push(`watcher ${i + 1}: ${e?.type}`)));
      const written = s.json("POST", cms, { body: configMap("first") }).then((r) => order.push(`writer: ${r.status}`));
      await Promise.all([written, ...delivered]);
      expect(order).toEqual(["writer: 201", "watcher 1: ADDED", "watcher 2: ADDED", "watcher 3: ADDED"]);
    } finally {
      for (const w of watches) await w.close();
    }
  });

  test("a client that goes away before its event is handed out gets nothing, and nothing fails", async () => {
    const cms = await freshNamespace();
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${await currentRv(cms)}`);
    const reading = watch.next().catch(() => null);
    const errors: unknown[] = [];
    const logError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      // Answered before the fan-out: the watcher's event is still waiting when the client leaves.
      const created = await s.request("POST", cms, { body: configMap("left") });
      expect(created.status).toBe(201);
      await watch.close();
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      console.error = logError;
    }
    expect(errors).toEqual([]);
    expect(await reading).toBeNull();
  });
});

describe("selectors on watches", () => {
  test("labelSelector: leaving the selector is DELETED, entering it is ADDED", async () => {
    const cms = await freshNamespace();
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${await currentRv(cms)}&labelSelector=app%3Dweb`);
    try {
      await s.json("POST", cms, { body: configMap("other", { labels: { app: "db" } }) });
      await s.json("POST", cms, { body: configMap("sel", { labels: { app: "web" } }) });
      await s.json("PATCH", `${cms}/sel`, { body: { metadata: { labels: { app: "db" } } }, headers: merge });
      await s.json("PATCH", `${cms}/other`, { body: { metadata: { labels: { app: "web" } } }, headers: merge });
      await s.json("PATCH", `${cms}/other`, { body: { data: { k: "x" } }, headers: merge });
      const events = await watch.take(4);
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED sel", "DELETED sel", "ADDED other", "MODIFIED other"]);
      // The DELETED object is the last state that matched, at the revision of the change.
      expect(events[1].object.metadata.labels).toEqual({ app: "web" });
    } finally {
      await watch.close();
    }
  });

  test("fieldSelector metadata.name watches one object", async () => {
    const cms = await freshNamespace();
    await s.json("POST", cms, { body: configMap("target") });
    const watch = await openWatch(s, `${cms}?watch=true&fieldSelector=metadata.name%3Dtarget`);
    try {
      expect((await watch.next())?.type).toBe("ADDED");
      await s.json("POST", cms, { body: configMap("bystander") });
      await s.json("PATCH", `${cms}/bystander`, { body: { data: { k: "b" } }, headers: merge });
      await s.json("PATCH", `${cms}/target`, { body: { data: { k: "t" } }, headers: merge });
      await s.json("DELETE", `${cms}/target`);
      const events = await watch.take(2);
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["MODIFIED target", "DELETED target"]);
    } finally {
      await watch.close();
    }
  });
});

describe("initial events, bookmarks and timeouts", () => {
  test("sendInitialEvents=true gives ADDED events then the initial-events-end BOOKMARK", async () => {
    const cms = await freshNamespace();
    await s.json("POST", cms, { body: configMap("i1") });
    await s.json("POST", cms, { body: configMap("i2") });
    const rv = await currentRv(cms);
    const watch = await openWatch(s, `${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    try {
      const events = await watch.take(3);
      expect(events.slice(0, 2).map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual(["ADDED i1", "ADDED i2"]);
      const bookmark = events[2];
      expect(bookmark.type).toBe("BOOKMARK");
      expect(bookmark.object.kind).toBe("ConfigMap");
      expect(bookmark.object.apiVersion).toBe("v1");
      expect(bookmark.object.metadata.annotations).toEqual({ "k8s.io/initial-events-end": "true" });
      expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    } finally {
      await watch.close();
    }
  });

  test("allowWatchBookmarks sends periodic BOOKMARK events without initial-events-end", async () => {
    const cms = await freshNamespace();
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${await currentRv(cms)}&allowWatchBookmarks=true`);
    try {
      const ev = await watch.next();
      expect(ev?.type).toBe("BOOKMARK");
      expect(ev?.object.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(ev?.object.metadata.annotations?.["k8s.io/initial-events-end"]).toBeUndefined();
    } finally {
      await watch.close();
    }
  });

  test("timeoutSeconds=1 ends the stream", async () => {
    const cms = await freshNamespace();
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${await currentRv(cms)}&timeoutSeconds=1`);
    const events = await watch.drain(5000);
    expect(events).toEqual([]);
  });

  test("sendInitialEvents without resourceVersionMatch → 422 Invalid ListOptions", async () => {
    const cms = await freshNamespace();
    const { status, body } = await s.json("GET", `${cms}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`);
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    expect(body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
  });

  test("resourceVersionMatch on a watch without sendInitialEvents → 422 Invalid ListOptions", async () => {
    const cms = await freshNamespace();
    const { status, body } = await s.json("GET", `${cms}?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan`);
    expect(status).toBe(422);
    expect(body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  });
});

describe("representations and expiry", () => {
  test("Accept as=Table gives Table objects in events", async () => {
    const cms = await freshNamespace();
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${await currentRv(cms)}`, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    try {
      await s.json("POST", cms, { body: configMap("tbl", { data: { a: "1", b: "2" } }) });
      const ev = await watch.next();
      expect(ev?.type).toBe("ADDED");
      expect(ev?.object.kind).toBe("Table");
      expect(ev?.object.apiVersion).toBe("meta.k8s.io/v1");
      expect(ev?.object.rows.length).toBe(1);
      expect(ev?.object.rows[0].cells[0]).toBe("tbl");
      expect(ev?.object.rows[0].cells[1]).toBe(2);
      expect(ev?.object.rows[0].object.kind).toBe("PartialObjectMetadata");
    } finally {
      await watch.close();
    }
  });

  test("a watch from a compacted revision gets an ERROR event with a 410 Expired Status", async () => {
    const cms = await freshNamespace();
    const old = (await s.json("POST", cms, { body: configMap("c") })).body.metadata.resourceVersion;
    for (let i = 0; i < 3; i++) await s.json("PATCH", `${cms}/c`, { body: { data: { k: String(i) } }, headers: merge });
    await s.core.store.compact(await s.core.store.currentRevision());
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${old}`);
    try {
      const ev = await watch.next();
      expect(ev?.type).toBe("ERROR");
      expect(ev?.object).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 });
      expect(ev?.object.message).toMatch(/too old resource version: \d+ \(\d+\)|The resourceVersion for the provided watch is too old\./);
      expect(await watch.next()).toBeNull();
    } finally {
      await watch.close();
    }
  });
});
