import { expect, test } from "bun:test";
import { validateAgainstV2, type Definitions } from "./openapi-validate.ts";

// A hand-made slice of an OpenAPI v2 document (the real one is checked against kubectl in
// tests/real-apiserver).
const defs: Definitions = {
  "io.example.v1.Widget": {
    properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { $ref: "#/definitions/io.example.v1.Meta" }, spec: { $ref: "#/definitions/io.example.v1.WidgetSpec" } },
    "x-kubernetes-group-version-kind": [{ group: "example.io", version: "v1", kind: "Widget" }],
  },
  "io.example.v1.Meta": { properties: { name: { type: "string" }, labels: { type: "object", additionalProperties: { type: "string" } } } },
  "io.example.v1.WidgetSpec": {
    required: ["size"],
    properties: { size: { type: "integer" }, enabled: { type: "boolean" }, parts: { type: "array", items: { $ref: "#/definitions/io.example.v1.Part" } } },
  },
  "io.example.v1.Part": { required: ["name"], properties: { name: { type: "string" } } },
};

const widget = (spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: "example.io/v1", kind: "Widget", metadata: { name: "w" }, spec, ...extra });

test("a valid object and an unknown kind give no errors", () => {
  expect(validateAgainstV2(defs, widget({ size: 3, enabled: true, parts: [{ name: "a" }] }))).toEqual([]);
  expect(validateAgainstV2(defs, { apiVersion: "example.io/v2", kind: "Widget", bogus: 1 })).toEqual([]);
});

test("unknown and missing required fields name the object path and the schema", () => {
  expect(validateAgainstV2(defs, widget({ size: 1, parts: [{ nam: "a" }] }, { bogus: true }))).toEqual([
    'ValidationError(Widget): unknown field "bogus" in io.example.v1.Widget',
    'ValidationError(Widget.spec.parts[0]): missing required field "name" in io.example.v1.Part',
    'ValidationError(Widget.spec.parts[0]): unknown field "nam" in io.example.v1.Part',
  ]);
});

test("wrong shapes: strings take anything, numbers take numbers, maps and arrays must be maps and arrays", () => {
  expect(validateAgainstV2(defs, widget({ size: "big", enabled: 1, parts: {} }, { metadata: { name: 5, labels: "x" } }))).toEqual([
    'ValidationError(Widget.metadata.labels): invalid type for io.example.v1.Meta.labels: got "string", expected "map"',
    'ValidationError(Widget.spec.enabled): invalid type for io.example.v1.WidgetSpec.enabled: got "integer", expected "boolean"',
    'ValidationError(Widget.spec.parts): invalid type for io.example.v1.WidgetSpec.parts: got "map", expected "array"',
    'ValidationError(Widget.spec.size): invalid type for io.example.v1.WidgetSpec.size: got "string", expected "integer"',
  ]);
  expect(validateAgainstV2(defs, widget([]))).toEqual(['ValidationError(Widget.spec): invalid type for io.example.v1.WidgetSpec: got "array", expected "map"']);
});
