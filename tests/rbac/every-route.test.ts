// Every route the catalog serves (each verb of each resource, watch, every subresource) and
// the non-resource paths refuse a caller without credentials (401 when anonymous auth is off,
// 403 for system:anonymous otherwise) and an authenticated caller without bindings (403 with
// kube-apiserver's exact message).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type Caller, type InProcessServer } from "../support/in-process.ts";
import { defaultCatalog } from "../../server/registry/catalog.ts";
import { verbsOf, type ResourceType } from "../../server/registry/resource-type.ts";
import { caller } from "./helpers.ts";

interface Route {
  method: string;
  path: string;
  /** The message a refused caller gets, with USER standing for the user name. */
  message: string;
}

const ns = "routes";
const methods: Record<string, string> = { get: "GET", list: "GET", watch: "GET", create: "POST", update: "PUT", patch: "PATCH", delete: "DELETE", deletecollection: "DELETE" };

/** The routes of one type, with the Forbidden message each must produce. */
function routesOf(t: ResourceType): Route[] {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  const scoped = t.namespaced ? `${base}/namespaces/${ns}/${t.resource}` : `${base}/${t.resource}`;
  const qualified = t.group ? `${t.resource}.${t.group}` : t.resource;
  const scope = t.namespaced ? ` in the namespace "${ns}"` : t.resource === "namespaces" ? ` in the namespace "x"` : " at the cluster scope";
  const why = (verb: string, resource: string, s = scope) => `User "USER" cannot ${verb} resource "${resource}" in API group "${t.group}"${s}`;
  const routes: Route[] = [];
  for (const verb of verbsOf(t)) {
    const collection = verb === "list" || verb === "watch" || verb === "create" || verb === "deletecollection";
    const query = verb === "watch" ? "?watch=true" : "";
    if (collection) {
      const collectionScope = t.namespaced ? scope : " at the cluster scope";
      routes.push({ method: methods[verb], path: `${scoped}${query}`, message: `${qualified} is forbidden: ${why(verb, t.resource, collectionScope)}` });
      if (t.namespaced && (verb === "list" || verb === "watch")) {
        routes.push({ method: "GET", path: `${base}/${t.resource}${query}`, message: `${qualified} is forbidden: ${why(verb, t.resource, " at the cluster scope")}` });
      }
    } else {
      routes.push({ method: methods[verb], path: `${scoped}/x`, message: `${qualified} "x" is forbidden: ${why(verb, t.resource)}` });
    }
  }
  for (const sub of t.subresources) {
    for (const verb of sub.verbs) {
      routes.push({ method: methods[verb], path: `${scoped}/x/${sub.name}`, message: `${qualified} "x" is forbidden: ${why(verb, `${t.resource}/${sub.name}`)}` });
    }
  }
  return routes;
}

const resourceRoutes = defaultCatalog().types.flatMap(routesOf);
const nonResourcePaths = ["/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/openapi/v2", "/openapi/v3", "/", "/metrics", "/healthz/ping", "/livez/etcd", "/readyz/shutdown"];

let s: InProcessServer;
let closed: InProcessServer;

beforeAll(async () => {
  s = await startInProcessServer();
  closed = await startInProcessServer(undefined, { anonymousAuth: false });
});
afterAll(async () => {
  await s.close();
  await closed.close();
});

async function send(server: InProcessServer, route: { method: string; path: string }, as: Caller) {
  const hasBody = route.method === "POST" || route.method === "PUT" || route.method === "PATCH";
  const headers: Record<string, string> = route.method === "PATCH" ? { "content-type": "application/merge-patch+json" } : {};
  const res = await server.request(route.method, route.path, { as, body: hasBody ? {} : undefined, headers });
  return { status: res.status, body: (await res.json()) as any };
}

describe("resource routes", () => {
  test("the catalog yields routes for every verb, watch and subresource (log, status, scale, binding, token)", () => {
    const paths = resourceRoutes.map((r) => `${r.method} ${r.path}`);
    for (const wanted of [
      `GET /api/v1/namespaces/${ns}/pods?watch=true`,
      `GET /api/v1/pods?watch=true`,
      `GET /api/v1/namespaces/${ns}/pods/x/log`,
      `PUT /api/v1/namespaces/${ns}/pods/x/status`,
      `POST /api/v1/namespaces/${ns}/pods/x/binding`,
      `PATCH /apis/apps/v1/namespaces/${ns}/deployments/x/scale`,
      `POST /api/v1/namespaces/${ns}/serviceaccounts/x/token`,
      `PUT /api/v1/namespaces/x/finalize`,
      "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    ]) {
      expect(paths).toContain(wanted);
    }
  });

  test("an authenticated caller without bindings gets 403 with upstream's message on every route", async () => {
    for (const route of resourceRoutes) {
      // SelfSubject* reviews and SelfSubjectReview are granted to every authenticated user by system:basic-user.
      if (/\/(selfsubjectaccessreviews|selfsubjectrulesreviews|selfsubjectreviews)$/.test(route.path)) continue;
      const res = await send(s, route, caller("nobody"));
      expect({ route: `${route.method} ${route.path}`, status: res.status, message: res.body.message }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
        message: route.message.replace("USER", "nobody"),
      });
    }
  });

  test("system:anonymous gets 403 on every route, the self-reviews included", async () => {
    for (const route of resourceRoutes) {
      const res = await send(s, route, "anonymous");
      expect({ route: `${route.method} ${route.path}`, status: res.status, message: res.body.message }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
        message: route.message.replace("USER", "system:anonymous"),
      });
    }
  });

  test("with anonymous auth off, a request without credentials gets 401 on every route", async () => {
    for (const route of resourceRoutes) {
      const res = await send(closed, route, "anonymous");
      expect({ route: `${route.method} ${route.path}`, status: res.status, reason: res.body.reason }).toEqual({ route: `${route.method} ${route.path}`, status: 401, reason: "Unauthorized" });
    }
  });
});

describe("non-resource paths", () => {
  test("discovery, OpenAPI and the root refuse anonymous callers; metrics and individual checks refuse any unbound user", async () => {
    for (const path of nonResourcePaths) {
      const anonymous = await send(s, { method: "GET", path }, "anonymous");
      expect({ path, status: anonymous.status, message: anonymous.body.message }).toEqual({ path, status: 403, message: `forbidden: User "system:anonymous" cannot get path "${path}"` });
      expect({ path, status: (await send(closed, { method: "GET", path }, "anonymous")).status }).toEqual({ path, status: 401 });
    }
    for (const path of ["/", "/metrics", "/healthz/ping", "/livez/etcd", "/readyz/shutdown"]) {
      const user = await send(s, { method: "GET", path }, caller("nobody"));
      expect({ path, status: user.status, message: user.body.message }).toEqual({ path, status: 403, message: `forbidden: User "nobody" cannot get path "${path}"` });
    }
  });

  test("writes to non-resource paths are refused with their verb", async () => {
    const res = await send(s, { method: "POST", path: "/version" }, caller("nobody"));
    expect(res.body.message).toBe('forbidden: User "nobody" cannot post path "/version"');
  });
});
