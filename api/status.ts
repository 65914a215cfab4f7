// The Kubernetes `Status` error model shared by both halves: the server raises StatusError
// with the upstream reason, code and message wording; the client parses bodies back into it.

/** One cause of an Invalid (or other) failure, as in metav1.StatusCause. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** metav1.StatusDetails. `kind` holds the resource (plural) for most reasons, the Kind for Invalid. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A metav1.Status object as it travels on the wire. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group plus a resource (plural) or kind, e.g. {group: "apps", resource: "deployments"}. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** An error that is exactly one Kubernetes Status. */
export class StatusError extends Error {
  readonly status: Status;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = "StatusError";
    this.status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
    if (details) this.status.details = details;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? "";
  }

  /** Rebuilds a StatusError from a Status body (client side), or returns null if it is not one. */
  static fromStatus(body: unknown, fallbackCode = 0): StatusError | null {
    if (!body || typeof body !== "object") return null;
    const s = body as Partial<Status>;
    if (s.kind !== "Status") return null;
    return new StatusError(s.code ?? fallbackCode, s.reason ?? "", s.message ?? "", s.details);
  }
}

/** `pods` or `deployments.apps`, the way upstream messages name a resource. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function details(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { kind: gr.resource };
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  return d;
}

/** 404 `pods "x" not found`. */
export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, "NotFound", `${qualifiedResource(gr)} "${name}" not found`, details(gr, name));
}

/** 404 for a path that names nothing the server serves. */
export function pathNotFound(): StatusError {
  return new StatusError(404, "NotFound", "the server could not find the requested resource", {});
}

/** 409 `pods "x" already exists`. */
export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, "AlreadyExists", `${qualifiedResource(gr)} "${name}" already exists`, details(gr, name));
}

/** 409 Conflict with the upstream optimistic-concurrency wording (or a custom cause). */
export function conflict(gr: GroupResource, name: string, cause?: string): StatusError {
  const why = cause ?? "the object has been modified; please apply your changes to the latest version and try again";
  return new StatusError(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, details(gr, name));
}

/** One field error, in the shape validation code builds before calling invalid(). */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  /** The value as upstream prints it, when Go's formatting differs from JSON (e.g. `[]string{"x"}`). */
  valueText?: string;
  detail?: string;
}

export type FieldErrorType =
  | "FieldValueInvalid"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueForbidden"
  | "FieldValueNotSupported"
  | "FieldValueTooLong"
  | "FieldValueTypeInvalid"
  | "FieldValueNotFound";

/** Renders a field error's message the way field.Error.ErrorBody does (without the field path). */
export function fieldErrorBody(e: FieldError): string {
  const detail = e.detail ? `: ${e.detail}` : "";
  if (e.valueText !== undefined) e = { ...e, value: undefined };
  const value = (v: unknown) => e.valueText ?? formatValue(v);
  switch (e.type) {
    case "FieldValueRequired":
      return `Required value${detail}`;
    case "FieldValueForbidden":
      return `Forbidden${detail}`;
    case "FieldValueTooLong":
      return `Too long${detail}`;
    case "FieldValueNotSupported":
      return `Unsupported value: ${value(e.value)}${detail}`;
    case "FieldValueDuplicate":
      return `Duplicate value: ${value(e.value)}${detail}`;
    case "FieldValueNotFound":
      return `Not found: ${value(e.value)}${detail}`;
    case "FieldValueTypeInvalid":
      return `Invalid value: ${value(e.value)}${detail}`;
    default:
      return `Invalid value: ${value(e.value)}${detail}`;
  }
}

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** 422 `Pod "x" is invalid: [a: ..., b: ...]` with one cause per field error. */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const messages = errors.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const joined = messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const causes = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  const d: StatusDetails = { name, kind, causes };
  if (group) d.group = group;
  return new StatusError(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${joined}`, d);
}

/** 400 with a free-form message. */
export function badRequest(message: string): StatusError {
  return new StatusError(400, "BadRequest", message);
}

/** 403 `pods "x" is forbidden: <why>` (`pods is forbidden: …` without a name). */
export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return new StatusError(403, "Forbidden", `${subject} is forbidden: ${why}`, details(gr, name));
}

/** 401 Unauthorized. */
export function unauthorized(message = "Unauthorized"): StatusError {
  return new StatusError(401, "Unauthorized", message);
}

/** 405 for a verb the resource does not implement. */
export function methodNotAllowed(verb: string, gr: GroupResource): StatusError {
  return new StatusError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`, {
    group: gr.group || undefined,
    kind: gr.resource,
  });
}

/** 406 when no acceptable response media type exists. */
export function notAcceptable(accepted: string[]): StatusError {
  return new StatusError(406, "NotAcceptable", `only the following media types are accepted: ${accepted.join(", ")}`);
}

/** 415 for a request body in a format the server cannot decode. */
export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return new StatusError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    { causes: [{ reason: "UnexpectedServerResponse", message: contentType }] },
  );
}

/** 413 for bodies above the server's limit. */
export function requestEntityTooLarge(limitBytes: number): StatusError {
  return new StatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limitBytes}`);
}

/** 410 Expired for a resourceVersion older than the compacted window. */
export function resourceExpired(message: string): StatusError {
  return new StatusError(410, "Expired", message);
}

/** 410 for a continue token whose snapshot has been compacted away. */
export function continueExpired(): StatusError {
  return resourceExpired(
    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
  );
}

/** 500 Internal error, worded as upstream. */
export function internalError(cause: string): StatusError {
  return new StatusError(500, "InternalError", `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });
}

/** 504 when a request outlives its timeout. */
export function timeoutError(message: string): StatusError {
  return new StatusError(504, "Timeout", message);
}

/** 503 while the server is shutting down or not ready. */
export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, "ServiceUnavailable", message);
}
