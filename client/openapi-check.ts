// The OpenAPI lookups kubectl (1.29+) makes before `create -f`/`replace -f` with
// --validate=strict|warn: the /openapi/v3 root once per run, then each object's group-version
// document, to learn whether the server validates fields itself (fieldValidation on PATCH).
// Hash-addressed documents the server marks immutable are kept on disk, as kubectl's HTTP
// cache keeps them. Client-side schema validation (for servers without fieldValidation) is
// not done.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RestClient } from "./transport.ts";

type Obj = Record<string, unknown>;

const V2_ACCEPT = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

/** A failure kubectl reports as `error validating "<source>": …`. */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValidationError";
  }
}

/** Per-invocation OpenAPI state for validating objects before they are sent. */
export class OpenApiCheck {
  private root?: Promise<Record<string, string> | Error>;
  private readonly docs = new Map<string, Promise<Obj | undefined>>();
  private v2?: Promise<Error | undefined>;

  constructor(
    private readonly rest: RestClient,
    private readonly cacheDir?: string,
  ) {}

  /** Makes kubectl's requests for one object; throws ValidationError when OpenAPI is unavailable. */
  async check(apiVersion: string, kind: string, source: string): Promise<void> {
    const root = await (this.root ??= this.fetchRoot());
    if (root instanceof Error) {
      const v2 = await this.fetchV2();
      if (v2) {
        throw new ValidationError(
          `error validating ${JSON.stringify(source)}: error validating data: failed to download openapi: ${v2.message}; if you choose to ignore these errors, turn validation off with --validate=false`,
        );
      }
      return;
    }
    const key = apiVersion.includes("/") ? `apis/${apiVersion}` : `api/${apiVersion}`;
    const url = root[key];
    let doc: Obj | undefined;
    if (url) {
      if (!this.docs.has(url)) this.docs.set(url, this.fetchDoc(url));
      doc = await this.docs.get(url);
    }
    if (!doc || !supportsFieldValidation(doc, apiVersion, kind)) await this.fetchV2();
  }

  private async fetchRoot(): Promise<Record<string, string> | Error> {
    try {
      const body = await this.rest.requestJson<{ paths?: Record<string, { serverRelativeURL?: string }> }>({ path: "/openapi/v3", discovery: true });
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(body.paths ?? {})) if (v?.serverRelativeURL) out[k] = v.serverRelativeURL;
      return out;
    } catch (err) {
      return err as Error;
    }
  }

  private fetchV2(): Promise<Error | undefined> {
    return (this.v2 ??= this.rest.requestText({ path: "/openapi/v2", accept: V2_ACCEPT, discovery: true }).then(
      () => undefined,
      (err: Error) => err,
    ));
  }

  private async fetchDoc(url: string): Promise<Obj | undefined> {
    const file = this.cacheDir ? join(this.cacheDir, "kapi-openapi", createHash("sha256").update(this.rest.config.server + url).digest("hex")) : undefined;
    if (file) {
      try {
        return JSON.parse(readFileSync(file, "utf8")) as Obj;
      } catch {
        // not cached yet
      }
    }
    try {
      const res = await this.rest.requestText({ path: url, accept: "application/json", discovery: true });
      if (file && /\bimmutable\b/.test(res.headers.get("cache-control") ?? "")) {
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileSync(file, res.body);
      }
      return JSON.parse(res.body) as Obj;
    } catch {
      return undefined;
    }
  }
}

// A PATCH operation for the GVK that takes the fieldValidation query parameter.
function supportsFieldValidation(doc: Obj, apiVersion: string, kind: string): boolean {
  const slash = apiVersion.indexOf("/");
  const group = slash >= 0 ? apiVersion.slice(0, slash) : "";
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Obj>)) {
    const patch = item?.patch as Obj | undefined;
    const gvk = patch?.["x-kubernetes-group-version-kind"] as Obj | undefined;
    if (!gvk || gvk.group !== group || gvk.version !== version || gvk.kind !== kind) continue;
    const params = [...((patch!.parameters as Obj[] | undefined) ?? []), ...((item.parameters as Obj[] | undefined) ?? [])];
    if (params.some((p) => p.name === "fieldValidation" || String(p.$ref ?? "").includes("fieldValidation"))) return true;
  }
  return false;
}
