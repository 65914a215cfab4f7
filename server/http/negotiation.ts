// Accept and Content-Type negotiation: which representation a client wants back, and
// which body encodings the server can read.
import { notAcceptable, StatusError, unsupportedMediaType } from "../../api/status.ts";

/** The response shapes kapi can produce. */
export type OutputKind = "json" | "yaml" | "protobuf" | "table" | "partial" | "discovery-v2" | "discovery-v2beta1";

/** A chosen response representation. */
export interface Output {
  kind: OutputKind;
  /** Table / PartialObjectMetadata API version (v1 or v1beta1). */
  version: string;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

/** Splits an Accept header into media ranges ordered by preference (q, then position). */
export function parseAccept(header: string | null): MediaRange[] {
  if (!header) return [{ type: "*/*", params: {}, q: 1 }];
  const ranges = header.split(",").map((part, index) => {
    const [type, ...rawParams] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, "");
    }
    const q = params.q !== undefined ? Number(params.q) : 1;
    return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, index };
  });
  return ranges.filter((r) => r.type && r.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
}

const acceptedTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

/**
 * Picks the representation for a resource response (object, list or watch). `list` says
 * whether the response is a list, which decides between PartialObjectMetadata and its List.
 */
export function negotiateOutput(header: string | null, opts: { allowTable: boolean; list?: boolean }): Output {
  for (const range of parseAccept(header)) {
    const as = range.params.as;
    const isJson = range.type === "application/json" || range.type === "*/*" || range.type === "application/*";
    if (as) {
      if (range.type !== "application/json" || range.params.g !== "meta.k8s.io") continue;
      const version = range.params.v;
      if (version !== "v1" && version !== "v1beta1") continue;
      if (as === "Table" && opts.allowTable) return { kind: "table", version };
      if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") {
        if (opts.list !== undefined && (as === "PartialObjectMetadataList") !== opts.list) {
          const what = opts.list ? "PartialObjectMetadata, but the requested object is a list" : "PartialObjectMetadataList, but the requested object is not a list";
          throw new StatusError(406, "NotAcceptable", `you requested ${what}`);
        }
        return { kind: "partial", version };
      }
      continue;
    }
    if (isJson) return { kind: "json", version: "" };
    if (range.type === "application/yaml") return { kind: "yaml", version: "" };
    if (range.type === "application/vnd.kubernetes.protobuf") return { kind: "protobuf", version: "" };
  }
  throw notAcceptable(acceptedTypes);
}

/** Picks the discovery document format for /api and /apis. */
export function negotiateDiscovery(header: string | null): Output {
  for (const range of parseAccept(header)) {
    if (range.params.as === "APIGroupDiscoveryList" && range.params.g === "apidiscovery.k8s.io") {
      if (range.params.v === "v2") return { kind: "discovery-v2", version: "v2" };
      if (range.params.v === "v2beta1") return { kind: "discovery-v2beta1", version: "v2beta1" };
      continue;
    }
    if (range.params.as) continue;
    if (["application/json", "*/*", "application/*"].includes(range.type)) return { kind: "json", version: "" };
    if (range.type === "application/yaml") return { kind: "yaml", version: "" };
  }
  throw notAcceptable(["application/json", "application/yaml"]);
}

/** The body formats a request may use, by media type. */
export type BodyFormat = "json" | "yaml" | "protobuf" | "json-patch" | "merge-patch" | "strategic-merge-patch" | "apply-patch";

const bodyFormats: Record<string, BodyFormat> = {
  "application/json": "json",
  "application/yaml": "yaml",
  "application/vnd.kubernetes.protobuf": "protobuf",
};

const patchFormats: Record<string, BodyFormat> = {
  "application/json-patch+json": "json-patch",
  "application/merge-patch+json": "merge-patch",
  "application/strategic-merge-patch+json": "strategic-merge-patch",
  "application/apply-patch+yaml": "apply-patch",
};

/** The format of a create/update body; a missing Content-Type counts as JSON, as upstream. */
export function bodyFormat(contentType: string | null): BodyFormat {
  const type = mediaType(contentType);
  if (!type) return "json";
  const format = bodyFormats[type];
  if (!format) throw unsupportedMediaType(type, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
  return format;
}

/** The patch type of a PATCH body. */
export function patchFormat(contentType: string | null): BodyFormat {
  const type = mediaType(contentType);
  const format = patchFormats[type];
  if (!format) throw unsupportedMediaType(type, Object.keys(patchFormats));
  return format;
}

function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}
