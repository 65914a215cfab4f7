// Serves /openapi/v2 (JSON or gnostic protobuf) and /openapi/v3 (root index and one document
// per group-version), with ETags and the immutable ?hash= URLs kubectl caches.
import { pathNotFound } from "../../api/status.ts";
import type { Catalog } from "../registry/catalog.ts";
import { contentHash, openAPIDocuments, type OpenAPIDocuments } from "./documents.ts";
import { encodeGnosticDocument } from "./gnostic.ts";
import { completeResponse } from "../http/direct-body.ts";

/** The protobuf media type of the v2 document; the "@" form kubectl sends is not valid in a response. */
export const v2ProtobufType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/** Serves an OpenAPI path, or returns undefined for other paths. */
export function openAPIResponse(catalog: Catalog, url: URL, request: Request): Response | undefined {
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "/openapi/v2") return v2Response(openAPIDocuments(catalog), request);
  if (path === "/openapi/v3") {
    const root = openAPIDocuments(catalog).v3Root;
    return cached(request, root.body, root.hash, "application/json", false);
  }
  if (!path.startsWith("/openapi/v3/")) return undefined;
  const doc = openAPIDocuments(catalog).v3.get(path.slice("/openapi/v3/".length));
  if (!doc) throw pathNotFound();
  const hash = url.searchParams.get("hash");
  if (hash && hash !== doc.hash) {
    return new Response(null, { status: 301, headers: { location: `${url.pathname}?hash=${doc.hash}`, "cache-control": "no-cache, private" } });
  }
  return cached(request, doc.body, doc.hash, "application/json", hash === doc.hash);
}

function v2Response(docs: OpenAPIDocuments, request: Request): Response {
  const accept = request.headers.get("accept") ?? "";
  if (!accept.includes("com.github.proto-openapi.spec.v2")) return cached(request, docs.v2.body, docs.v2.hash, "application/json", false);
  if (!docs.v2Protobuf) {
    const body = encodeGnosticDocument(JSON.parse(docs.v2.body));
    docs.v2Protobuf = { body, hash: contentHash(body) };
  }
  return cached(request, docs.v2Protobuf.body, docs.v2Protobuf.hash, v2ProtobufType, false);
}

function cached(request: Request, body: string | Uint8Array, hash: string, contentType: string, immutable: boolean): Response {
  const etag = `"${hash}"`;
  const headers: Record<string, string> = {
    etag,
    vary: "Accept",
    "cache-control": immutable ? "public, immutable" : "no-cache, private",
  };
  if (immutable) headers.expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
  const match = request.headers.get("if-none-match");
  if (match && match.split(",").some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers });
  return completeResponse(body, { status: 200, headers: { ...headers, "content-type": contentType } });
}
