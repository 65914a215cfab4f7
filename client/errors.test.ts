import { expect, test } from "bun:test";
import { StatusError } from "../api/status.ts";
import { ConfigError, ConnectionError, configurationInvalid, describeError, responseError, type ErrorSubject } from "./errors.ts";

const get = { verb: "GET" };

function line(code: number, body: string, contentType: string | null = "text/plain", subject: ErrorSubject = get): string {
  return describeError(responseError(code, body, contentType, subject));
}

test("a Status body is taken as the error", () => {
  const body = JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: 'pods "x" not found', reason: "NotFound", code: 404, details: { name: "x", kind: "pods" } });
  const err = responseError(404, body, "application/json", get);
  expect(err).toBeInstanceOf(StatusError);
  expect(err.status.details).toEqual({ name: "x", kind: "pods" });
  expect(describeError(err)).toBe('Error from server (NotFound): pods "x" not found');
});

test("bare responses get client-go's reasons and messages (as kubectl 1.32 prints them)", () => {
  expect(line(400, "x")).toBe("Error from server (BadRequest): the server rejected our request for an unknown reason");
  expect(line(401, "x")).toBe("error: You must be logged in to the server (the server has asked for the client to provide credentials)");
  expect(line(403, "some text body")).toBe("Error from server (Forbidden): some text body");
  expect(line(403, '{"a":1}', "application/json")).toBe("Error from server (Forbidden): unknown");
  expect(line(404, "")).toBe("Error from server (NotFound): the server could not find the requested resource");
  expect(line(405, "")).toBe("Error from server (MethodNotAllowed): the server does not allow this method on the requested resource");
  expect(line(406, "")).toBe("Error from server (NotAcceptable): the server was unable to respond with a content type that the client supports");
  expect(line(409, "")).toBe("Error from server (Conflict): the server reported a conflict");
  expect(line(409, "", null, { verb: "POST" })).toBe("Error from server (AlreadyExists): the server reported a conflict");
  expect(line(415, "some text body")).toBe("Error from server (UnsupportedMediaType): some text body");
  expect(line(422, "some text body")).toBe("The request is invalid: : some text body");
  expect(line(429, "")).toBe("Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later");
  expect(line(500, "oops plain")).toBe('Error from server (InternalError): an error on the server ("oops plain") has prevented the request from succeeding');
  expect(line(502, "", null)).toBe('Error from server (InternalError): an error on the server ("") has prevented the request from succeeding');
  expect(line(503, "")).toBe("Error from server (ServiceUnavailable): the server is currently unable to handle the request");
  expect(line(504, "")).toBe("Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request");
  expect(line(418, "")).toBe("Error from server: the server responded with the status code 418 but did not return more information");
});

test("long text bodies are cut at 2048 characters", () => {
  const err = responseError(500, "y".repeat(3000), "text/plain", get);
  expect(err.status.details?.causes?.[0]?.message).toHaveLength(2048);
});

test("the object is named when the caller says what it asked for", () => {
  expect(line(404, "", null, { verb: "GET", resource: "pods", name: "x" })).toBe(
    "Error from server (NotFound): the server could not find the requested resource (get pods x)",
  );
});

test("Invalid with causes lists them", () => {
  const one = new StatusError(422, "Invalid", "x", { kind: "Pod", name: "p", causes: [{ field: "spec.containers", message: "Required value" }] });
  expect(describeError(one)).toBe('The Pod "p" is invalid: spec.containers: Required value');
  const two = new StatusError(422, "Invalid", "x", { kind: "Pod", name: "p", causes: [{ field: "a", message: "b" }, { field: "c", message: "d" }] });
  expect(describeError(two)).toBe('The Pod "p" is invalid: \n* a: b\n* c: d');
});

test("other errors", () => {
  expect(describeError(new ConnectionError("The connection to the server h:1 was refused - did you specify the right host or port?", "ECONNREFUSED"))).toBe(
    "The connection to the server h:1 was refused - did you specify the right host or port?",
  );
  expect(describeError(new ConfigError('context "x" does not exist'))).toBe('error: context "x" does not exist');
  expect(describeError(configurationInvalid(["a", "b"]))).toBe("Error in configuration: \n* a\n* b");
  expect(describeError(configurationInvalid(["a"]))).toBe("error: a");
  expect(describeError(new Error("boom"))).toBe("error: boom");
});
