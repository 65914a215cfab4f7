// Table and PartialObjectMetadata representations (server-side printing for kubectl get).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, deployment, pod } from "./helpers.ts";

let s: InProcessServer;
const pods = "/api/v1/namespaces/default/pods";
const cms = "/api/v1/namespaces/default/configmaps";
const tableV1 = { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" };
const tableV1beta1 = { accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io" };
// What kubectl get sends.
const kubectlAccept = { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json" };
const partialList = { accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io" };
const partialOne = { accept: "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io" };

beforeAll(async () => {
  s = await startInProcessServer();
  await s.json("POST", pods, { body: pod("t-pod-a", { app: "t" }) });
  await s.json("POST", pods, { body: pod("t-pod-b", { app: "t" }) });
  await s.json("POST", cms, { body: configMap("t-cm", { data: { a: "1", b: "2", c: "3" } }) });
});
afterAll(async () => {
  await s.close();
});

const names = (cols: any[]) => cols.map((c) => c.name);

describe("Table", () => {
  test("a pod list as Table v1 has kube-apiserver's pod columns and one row per pod", async () => {
    const { status, body, headers } = await s.json("GET", pods, { headers: tableV1 });
    expect(status).toBe(200);
    expect(headers.get("content-type")).toStartWith("application/json");
    expect(body.kind).toBe("Table");
    expect(body.apiVersion).toBe("meta.k8s.io/v1");
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(names(body.columnDefinitions)).toEqual(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"]);
    expect(body.columnDefinitions.map((c: any) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(body.columnDefinitions[0]).toMatchObject({ name: "Name", type: "string", format: "name" });
    expect(body.rows.length).toBe(2);
    const row = body.rows.find((r: any) => r.cells[0] === "t-pod-a");
    // printPod renders RESTARTS as a string ("0", or "3 (5m ago)").
    expect(row.cells.slice(0, 4)).toEqual(["t-pod-a", "0/1", "Pending", "0"]);
    expect(row.cells[6]).toBe("<none>");
    // Default includeObject=Metadata: the row embeds PartialObjectMetadata.
    expect(row.object.kind).toBe("PartialObjectMetadata");
    expect(row.object.apiVersion).toBe("meta.k8s.io/v1");
    expect(row.object.metadata.name).toBe("t-pod-a");
    expect(row.object.spec).toBeUndefined();
  });

  test("configmaps: NAME DATA AGE", async () => {
    const { body } = await s.json("GET", cms, { headers: tableV1 });
    expect(names(body.columnDefinitions)).toEqual(["Name", "Data", "Age"]);
    const row = body.rows.find((r: any) => r.cells[0] === "t-cm");
    expect(row.cells[1]).toBe(3);
    expect(row.cells[2]).toMatch(/^\d+s$/);
  });

  test("deployments: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR", async () => {
    await s.json("POST", "/apis/apps/v1/namespaces/default/deployments", { body: deployment("t-dep", 3) });
    const { body } = await s.json("GET", "/apis/apps/v1/namespaces/default/deployments", { headers: tableV1 });
    expect(names(body.columnDefinitions)).toEqual(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"]);
    expect(body.rows[0].cells.slice(0, 4)).toEqual(["t-dep", "0/3", 0, 0]);
    expect(body.rows[0].cells.slice(5)).toEqual(["web", "nginx:1.27", "app=t-dep"]);
  });

  test("a single GET as Table has one row", async () => {
    const { status, body } = await s.json("GET", `${pods}/t-pod-b`, { headers: tableV1 });
    expect(status).toBe(200);
    expect(body.kind).toBe("Table");
    expect(body.rows.length).toBe(1);
    expect(body.rows[0].cells[0]).toBe("t-pod-b");
  });

  test("includeObject=None omits the row object; Object embeds the full object", async () => {
    const none = await s.json("GET", `${pods}?includeObject=None`, { headers: tableV1 });
    expect(none.status).toBe(200);
    for (const row of none.body.rows) expect(row.object ?? null).toBeNull();
    const full = await s.json("GET", `${pods}?includeObject=Object`, { headers: tableV1 });
    const row = full.body.rows.find((r: any) => r.cells[0] === "t-pod-a");
    expect(row.object.kind).toBe("Pod");
    expect(row.object.apiVersion).toBe("v1");
    expect(row.object.spec.containers[0].image).toBe("nginx:1.27");
  });

  test("Table v1beta1 is served too", async () => {
    const { body } = await s.json("GET", pods, { headers: tableV1beta1 });
    expect(body.kind).toBe("Table");
    expect(body.apiVersion).toBe("meta.k8s.io/v1beta1");
    expect(body.rows[0].object.apiVersion).toBe("meta.k8s.io/v1beta1");
  });

  test("kubectl's Accept list picks Table v1", async () => {
    const { body } = await s.json("GET", pods, { headers: kubectlAccept });
    expect(body.kind).toBe("Table");
    expect(body.apiVersion).toBe("meta.k8s.io/v1");
  });

  test("limit and continue carry over to the Table's metadata", async () => {
    const first = await s.json("GET", `${pods}?limit=1`, { headers: tableV1 });
    expect(first.body.rows.length).toBe(1);
    expect(first.body.metadata.continue).toBeString();
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const rest = await s.json("GET", `${pods}?limit=1&continue=${encodeURIComponent(first.body.metadata.continue)}`, { headers: tableV1 });
    expect(rest.body.rows.length).toBe(1);
    expect(rest.body.rows[0].cells[0]).not.toBe(first.body.rows[0].cells[0]);
  });

  test("an unsupported includeObject → 400 with ValidateTableOptions' wording", async () => {
    const { status, body } = await s.json("GET", `${pods}?includeObject=Everything`, { headers: tableV1 });
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    // handlers/response.go optionsForTransform: "Unable to convert to Table as requested: <field error>".
    expect(body.message).toStartWith("Unable to convert to Table as requested: includeObject: Invalid value: ");
    expect(body.message).toEndWith("must be 'Metadata', 'Object', 'None', or empty");
  });

  test("a create with a Table Accept stores the object and answers a one-row Table", async () => {
    // RequestScope.AllowsMediaTypeTransform allows Table on every endpoint with a TableConvertor,
    // and the create handler ends in transformResponseObject.
    const res = await s.json("POST", cms, { body: configMap("t-write"), headers: tableV1 });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe("Table");
    expect(res.body.rows[0].cells[0]).toBe("t-write");
    expect((await s.json("GET", `${cms}/t-write`)).status).toBe(200);
  });
});

describe("PartialObjectMetadata", () => {
  test("a list as PartialObjectMetadataList", async () => {
    const { status, body } = await s.json("GET", pods, { headers: partialList });
    expect(status).toBe(200);
    expect(body.kind).toBe("PartialObjectMetadataList");
    expect(body.apiVersion).toBe("meta.k8s.io/v1");
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(body.items.length).toBe(2);
    for (const item of body.items) {
      expect(item.kind).toBe("PartialObjectMetadata");
      expect(item.apiVersion).toBe("meta.k8s.io/v1");
      expect(Object.keys(item).sort()).toEqual(["apiVersion", "kind", "metadata"]);
      expect(item.metadata.labels).toEqual({ app: "t" });
    }
  });

  test("a single object as PartialObjectMetadata", async () => {
    const { status, body } = await s.json("GET", `${cms}/t-cm`, { headers: partialOne });
    expect(status).toBe(200);
    expect(body.kind).toBe("PartialObjectMetadata");
    expect(body.apiVersion).toBe("meta.k8s.io/v1");
    expect(body.metadata.name).toBe("t-cm");
    expect(body.data).toBeUndefined();
  });

  test("PartialObjectMetadata for a list (or the List form for one object) → 406", async () => {
    // handlers/response.go: "you requested PartialObjectMetadata, but the requested object is a list".
    const forList = await s.json("GET", pods, { headers: partialOne });
    expect(forList.status).toBe(406);
    expect(forList.body.reason).toBe("NotAcceptable");
    const forOne = await s.json("GET", `${cms}/t-cm`, { headers: partialList });
    expect(forOne.status).toBe(406);
    expect(forOne.body.reason).toBe("NotAcceptable");
  });
});
