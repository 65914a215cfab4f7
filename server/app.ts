// The request pipeline, as kube-apiserver chains it: request-info, authentication,
// impersonation, authorization, then the handler. Every failure leaves as a Status.
import { pathNotFound } from "../api/status.ts";
import { versionInfo } from "../api/build-info.ts";
import { parseRequestInfo } from "./request-info.ts";
import type { Authenticate } from "./auth/authenticator.ts";
import type { Authorize } from "./auth/authorizer.ts";
import { impersonate } from "./auth/impersonation.ts";
import { discoveryResponse } from "./discovery.ts";
import { handleResource, type HandlerContext } from "./handlers/resource.ts";
import { errorResponse, jsonResponse } from "./http/respond.ts";
import { healthResponse, type HealthCheck } from "./health.ts";

/** What the listener knows about the connection a request arrived on. */
export interface ConnectionInfo {
  remoteAddress: string;
  peerCertificate?: { commonName: string; organizations: string[] };
  /** Why a certificate the client presented was not trusted (unknown CA, expired, …). */
  peerCertificateError?: string;
}

/** Everything the app needs from the running server. */
export interface AppDeps extends HandlerContext {
  serverAddress: string;
  healthChecks: HealthCheck[];
  authenticate: Authenticate;
  authorize: Authorize;
}

/** The app: a fetch-style handler usable in-process (tests) and behind the TLS listener. */
export interface App {
  fetch(request: Request, conn?: ConnectionInfo): Promise<Response>;
}

/** Builds the request pipeline over the server's dependencies. */
export function createApp(deps: AppDeps): App {
  return {
    async fetch(request: Request, conn: ConnectionInfo = { remoteAddress: "" }): Promise<Response> {
      try {
        const url = new URL(request.url);
        const info = parseRequestInfo(request.method, url.pathname, url.searchParams);
        const user = await impersonate(request, await deps.authenticate(request, conn), deps.authorize);
        await deps.authorize(user, info);
        if (info.isResourceRequest) return await handleResource(deps, info, request, url.searchParams, user);
        return await nonResource(deps, url, request);
      } catch (err) {
        return errorResponse(err);
      }
    },
  };
}

async function nonResource(deps: AppDeps, url: URL, request: Request): Promise<Response> {
  const path = url.pathname;
  const health = healthResponse(path, url.searchParams, deps.healthChecks);
  if (health) return health;
  if (path === "/version" || path === "/version/") return jsonResponse(200, serverVersionInfo());
  const discovery = discoveryResponse(deps.catalog, path, request, deps.serverAddress);
  if (discovery) return discovery;
  if (path.startsWith("/openapi/")) {
    // The OpenAPI documents are built on the first request for them, and so is their code loaded.
    const { openAPIResponse } = await import("./openapi/handler.ts");
    const openapi = openAPIResponse(deps.catalog, url, request);
    if (openapi) return openapi;
  }
  if (path === "/") return jsonResponse(200, { paths: rootPaths(deps) });
  throw pathNotFound();
}

/** The /version document, shaped like kube-apiserver's (with the 1.31+ emulation fields). */
export function serverVersionInfo() {
  const info = versionInfo();
  return {
    major: info.major,
    minor: info.minor,
    emulationMajor: info.major,
    emulationMinor: info.minor,
    minCompatibilityMajor: info.major,
    minCompatibilityMinor: String(Number(info.minor) - 1),
    gitVersion: info.gitVersion,
    gitCommit: info.gitCommit,
    gitTreeState: info.gitTreeState,
    buildDate: info.buildDate,
    goVersion: info.goVersion,
    compiler: info.compiler,
    platform: info.platform,
  };
}

function rootPaths(deps: AppDeps): string[] {
  const paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version"];
  for (const { group, versions } of deps.catalog.groupVersions()) {
    if (!group) continue;
    paths.push(`/apis/${group}`, ...versions.map((v) => `/apis/${group}/${v}`));
  }
  for (const check of deps.healthChecks) paths.push(`/healthz/${check.name}`, `/livez/${check.name}`, `/readyz/${check.name}`);
  return paths.sort();
}
