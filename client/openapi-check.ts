// The OpenAPI lookups kubectl (1.29+) makes before `create -f`/`replace -f` with
// --validate=strict|warn: the /openapi/v3 root once per run, then each object's group-version
// document, to learn whether the server validates fields itself (fieldValidation on PATCH).
// Hash-addressed documents the server marks immutable are kept on disk, as kubectl's HTTP
// cache keeps them. A server that cannot validate fields itself gets kubectl's fallback under
// --validate=strict: the object is checked against /openapi/v2 before it is sent (kubectl
// fetches that document as protobuf; kapi reads its JSON form).

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RestClient } from "./transport.ts";
import type { Definitions } from "./openapi-validate.ts";

type Obj = Record<string, unknown>;

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
  private v2?: Promise<Definitions | Error>;

  constructor(
    private readonly rest: RestClient,
    private readonly cacheDir?: string,
  ) {}

  /**
   * Makes kubectl's requests for one object; throws ValidationError when OpenAPI is unavailable
   * or, under strict validation on a server without fieldValidation, when the object does not
   * match its schema.
   */
  async check(object: Obj, source: string, strict: boolean): Promise<void> {
    const apiVersion = String(object.apiVersion ?? "");
    const kind = String(object.kind ?? "");
    const root = await (this.root ??= this.fetchRoot());
    if (root instanceof Error) {
      const v2 = await this.fetchV2();
      if (v2 instanceof Error) {
        throw new ValidationError(
          `error validating ${JSON.stringify(source)}: error validating data: failed to download openapi: ${v2.message}; if you choose to ignore these errors, turn validation off with --validate=false`,
        );
      }
      if (strict) await this.clientSide(v2, object, source);
      return;
    }
    const key = apiVersion.includes("/") ? `apis/${apiVersion}` : `api/${apiVersion}`;
    const url = root[key];
    let doc: Obj | undefined;
    if (url) {
      if (!this.docs.has(url)) this.docs.set(url, this.fetchDoc(url));
      doc = await this.docs.get(url);
    }
    if (doc && supportsFieldValidation(doc, apiVersion, kind)) return;
    const v2 = await this.fetchV2();
    if (strict && !(v2 instanceof Error)) await this.clientSide(v2, object, source);
  }

  private async clientSide(definitions: Definitions, object: Obj, source: string): Promise<void> {
    const { validateAgainstV2 } = await import("./openapi-validate.ts");
    const errors = validateAgainstV2(definitions, object);
    if (errors.length === 0) return;
    const data = errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;
    throw new ValidationError(`error validating ${JSON.stringify(source)}: error validating data: ${data}; if you choose to ignore these errors, turn validation off with --validate=false`);
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

  private fetchV2(): Promise<Definitions | Error> {
    return (this.v2 ??= this.rest.requestJson<{ definitions?: Definitions }>({ path: "/openapi/v2", accept: "application/json", discovery: true }).then(
      (doc) => doc.definitions ?? {},
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
