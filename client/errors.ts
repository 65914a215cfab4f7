// Client-side errors and how the CLI words them. Server errors are api/status.ts StatusErrors,
// parsed from Status bodies or synthesised from bare HTTP codes the way client-go does, so
// `kapi` prints what kubectl prints for the same response.

import { StatusError } from "../api/status.ts";

/** A kubeconfig or flag-combination problem. `bare` messages are printed without `error: `. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly bare = false,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/** The server could not be reached; the message is the complete line kubectl would print. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "ConnectionError";
  }
}

/** One problem is `error: <it>`; several are listed under `Error in configuration:`. */
export function configurationInvalid(problems: string[]): ConfigError {
  if (problems.length === 1) return new ConfigError(problems[0]!);
  return new ConfigError(`Error in configuration: \n${problems.map((p) => `* ${p}`).join("\n")}`, true);
}

/** Go's wording for a failed file operation: `open /x: no such file or directory`. */
export function goFileError(op: string, path: string, err: unknown): string {
  const code = (err as { code?: string })?.code;
  const why: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EISDIR: "is a directory",
    ENOTDIR: "not a directory",
  };
  if (code === "EISDIR") return `read ${path}: is a directory`;
  return `${op} ${path}: ${why[code ?? ""] ?? (err as Error)?.message ?? String(err)}`;
}

/** What the request was about, for the `(get pods x)` suffix client-go adds to bare errors. */
export interface ErrorSubject {
  verb: string;
  resource?: string;
  name?: string;
}

const MAX_SERVER_MESSAGE = 2048;

/**
 * Turns a non-2xx response into a StatusError: the Status body when there is one, otherwise a
 * Status synthesised from the code with client-go's reasons and messages.
 */
export function responseError(code: number, body: string, contentType: string | null, subject: ErrorSubject): StatusError {
  const status = parseStatus(body);
  if (status) return status.code ? status : new StatusError(code, status.reason, status.message, status.status.details);
  const isText = !contentType || contentType.toLowerCase().startsWith("text/");
  const serverMessage = isText ? body.slice(0, MAX_SERVER_MESSAGE).trim() : "unknown";
  let [reason, message] = genericReason(code, subject.verb, serverMessage);
  if (subject.resource) {
    const what = subject.name ? `${subject.resource} ${subject.name}` : subject.resource;
    message = `${message} (${subject.verb.toLowerCase()} ${what})`;
  }
  return new StatusError(code, reason, message, { causes: [{ reason: "UnexpectedServerResponse", message: serverMessage }] });
}

function parseStatus(body: string): StatusError | null {
  if (!body.trimStart().startsWith("{")) return null;
  try {
    return StatusError.fromStatus(JSON.parse(body));
  } catch {
    return null;
  }
}

function genericReason(code: number, verb: string, serverMessage: string): [string, string] {
  switch (code) {
    case 409:
      return [verb === "POST" ? "AlreadyExists" : "Conflict", "the server reported a conflict"];
    case 404:
      return ["NotFound", "the server could not find the requested resource"];
    case 400:
      return ["BadRequest", "the server rejected our request for an unknown reason"];
    case 401:
      return ["Unauthorized", "the server has asked for the client to provide credentials"];
    case 403:
      return ["Forbidden", serverMessage];
    case 406:
      return [
        "NotAcceptable",
        !serverMessage || serverMessage === "unknown" ? "the server was unable to respond with a content type that the client supports" : serverMessage,
      ];
    case 415:
      return ["UnsupportedMediaType", serverMessage];
    case 405:
      return ["MethodNotAllowed", "the server does not allow this method on the requested resource"];
    case 422:
      return ["Invalid", "the server rejected our request due to an error in our request"];
    case 503:
      return ["ServiceUnavailable", "the server is currently unable to handle the request"];
    case 504:
      return ["Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"];
    case 429:
      return ["TooManyRequests", "the server has received too many requests and has asked us to try again later"];
  }
  if (code >= 500) return ["InternalError", `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`];
  return ["", `the server responded with the status code ${code} but did not return more information`];
}

/** The line(s) kubectl prints for an error before exiting 1, without a trailing newline. */
export function describeError(err: unknown): string {
  if (err instanceof StatusError) return describeStatusError(err);
  if (err instanceof ConnectionError) return err.message;
  if (err instanceof ConfigError && err.bare) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith("error: ") ? message : `error: ${message}`;
}

function describeStatusError(err: StatusError): string {
  const { reason, message, details } = err.status;
  if (reason === "Unauthorized") return `error: You must be logged in to the server (${message})`;
  if (reason === "Invalid" && details?.causes?.length) {
    const subject = details.kind || details.name ? `The ${details.kind ?? ""} ${JSON.stringify(details.name ?? "")} is invalid` : "The request is invalid";
    const lines = details.causes.map((c) => `${c.field ?? ""}: ${c.message ?? ""}`);
    return lines.length === 1 ? `${subject}: ${lines[0]}` : `${subject}: \n${lines.map((l) => `* ${l}`).join("\n")}`;
  }
  return reason ? `Error from server (${reason}): ${message}` : `Error from server: ${message}`;
}
