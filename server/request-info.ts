// Parses a request path and method into what the rest of the pipeline needs to know,
// the way kube-apiserver's RequestInfoFactory does: resource vs non-resource, API group and
// version, namespace, resource, name, subresource and the Kubernetes verb.

/** Everything the filters and handlers learn from the URL and method. */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const namespaceSubresources = new Set(["status", "finalize"]);

/** Derives RequestInfo from an HTTP method, a URL path and its query. */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    parts: [],
  };
  const segments = path.replace(/^\/+/, "").replace(/\/+$/, "").split("/").filter((s) => s !== "");
  if (segments.length < 1) return info;
  const prefix = segments[0];
  if (prefix !== "api" && prefix !== "apis") return info;
  info.apiPrefix = prefix;
  let rest = segments.slice(1);
  if (prefix === "apis") {
    if (rest.length < 1) return info;
    info.apiGroup = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info;
  info.apiVersion = rest[0];
  rest = rest.slice(1);
  if (rest.length < 1) return info;

  info.isResourceRequest = true;
  info.verb = verbFor(method);

  // The deprecated /watch/ path prefix turns a GET into a watch.
  if (rest[0] === "watch") {
    rest = rest.slice(1);
    info.verb = "watch";
  }

  if (rest[0] === "namespaces") {
    if (rest.length > 1) {
      info.namespace = rest[1];
      // /namespaces/{ns} and /namespaces/{ns}/{status|finalize} address the namespace itself.
      if (rest.length > 2 && !namespaceSubresources.has(rest[2])) rest = rest.slice(2);
    }
  }
  info.parts = rest;
  if (rest.length >= 3) info.subresource = rest[2];
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 1) info.resource = rest[0];

  if (!info.name && info.verb === "get") info.verb = "list";
  if (!info.name && info.verb === "delete") info.verb = "deletecollection";
  if ((info.verb === "list" || info.verb === "get") && queryBool(query, "watch")) info.verb = "watch";
  return info;
}

function verbFor(method: string): string {
  switch (method.toUpperCase()) {
    case "POST":
      return "create";
    case "GET":
    case "HEAD":
      return "get";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return "delete";
    default:
      return method.toLowerCase();
  }
}

/**
 * A boolean query parameter as kube-apiserver converts it: false only when absent, "0" or
 * "false" (any case); every other value, "True" and "" included, is true.
 */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  return value !== "0" && value.toLowerCase() !== "false";
}
