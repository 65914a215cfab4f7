// GET pods/{name}/log through the API: options, streaming, and the errors upstream gives.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { containerStatus, podBody, shell, startNodeServer, type NodeServer } from "./in-process-node.ts";

let s: NodeServer;
const pods = "/api/v1/namespaces/default/pods";
beforeAll(async () => {
  s = await startNodeServer("process");
  await s.create(pods, podBody("lines", [shell("c", "for i in 1 2 3 4 5; do echo line-$i; done; sleep 0.2; echo oops >&2")], { restartPolicy: "Never" }));
  await s.create(pods, podBody("two", [shell("a", "echo from-a; sleep 3600"), shell("b", "echo from-b; sleep 3600")]));
  await s.waitFor(`${pods}/lines`, (p) => p.status.phase === "Succeeded");
  await s.waitFor(`${pods}/two`, (p) => p.status.phase === "Running");
});
afterAll(async () => {
  await s.stop();
});

const text = async (query: string, name = "lines") => {
  const res = await s.request("GET", `${pods}/${name}/log${query}`);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
};

describe("options", () => {
  test("the whole log, stdout and stderr interleaved, as text/plain", async () => {
    expect(await text("")).toEqual({ status: 200, type: "text/plain", body: "line-1\nline-2\nline-3\nline-4\nline-5\noops\n" });
  });

  test("tailLines, limitBytes and timestamps", async () => {
    expect((await text("?tailLines=2")).body).toBe("line-5\noops\n");
    expect((await text("?tailLines=0")).body).toBe("");
    expect((await text("?tailLines=100")).body).toBe("line-1\nline-2\nline-3\nline-4\nline-5\noops\n");
    expect((await text("?limitBytes=10")).body).toBe("line-1\nlin");
    const stamped = (await text("?timestamps=true&tailLines=1")).body;
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z oops\n$/);
  });

  test("sinceTime and sinceSeconds filter by record time", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
    expect((await text(`?sinceTime=${future}`)).body).toBe("");
    expect((await text("?sinceTime=2000-01-01T00:00:00Z")).body).toContain("line-1\n");
    expect((await text("?sinceSeconds=3600")).body).toContain("oops\n");
  });

  test("follow streams new output and ends when the container exits", async () => {
    await s.create(pods, podBody("slow", [shell("c", "echo first; sleep 0.5; echo second")], { restartPolicy: "Never" }));
    await s.waitFor(`${pods}/slow`, (p) => containerStatus(p, "c")?.state?.running || p.status.phase === "Succeeded");
    const res = await s.request("GET", `${pods}/slow/log?follow=true`);
    expect(res.headers.get("content-type")).toBe("text/plain");
    // The body ends only once the container has exited, so both lines are in it.
    expect(await res.text()).toBe("first\nsecond\n");
  });

  test("a named container of a multi-container pod", async () => {
    expect((await text("?container=b", "two")).body).toBe("from-b\n");
  });
});

describe("errors as upstream", () => {
  test("several containers and no name: 400 listing them", async () => {
    const res = await s.json("GET", `${pods}/two/log`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: "Status", reason: "BadRequest", message: "a container name must be specified for pod two, choose one of: [a b]" });
  });

  test("an unknown container, no previous run, a missing pod", async () => {
    expect((await s.json("GET", `${pods}/two/log?container=zz`)).body.message).toBe("container zz is not valid for pod two");
    const previous = await s.json("GET", `${pods}/two/log?container=a&previous=true`);
    expect(previous.status).toBe(400);
    expect(previous.body.message).toBe('previous terminated container "a" in pod "two" not found');
    const missing = await s.json("GET", `${pods}/nope/log`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('pods "nope" not found');
  });

  test("invalid options are 422 PodLogOptions errors", async () => {
    const res = await s.json("GET", `${pods}/lines/log?tailLines=-1&limitBytes=0`);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('PodLogOptions "lines" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]');
    const both = await s.json("GET", `${pods}/lines/log?sinceSeconds=10&sinceTime=2020-01-01T00:00:00Z`);
    expect(both.status).toBe(422);
    expect(both.body.message).toContain("at most one of `sinceTime` or `sinceSeconds` may be specified");
  });

  test("a pod not scheduled yet has an empty log", async () => {
    await s.create(pods, podBody("unscheduled", [shell("c", "echo x")], { schedulerName: "someone-else" }));
    expect(await text("", "unscheduled")).toEqual({ status: 200, type: "text/plain", body: "" });
  });
});
