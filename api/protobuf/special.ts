// Well-known types whose JSON form differs from their message form: times, durations,
// quantities, int-or-string, raw JSON and string lists.
import type { SpecialKind } from "../schema/types.ts";
import { ProtoReader, ProtoWriter, ProtobufError, WireType } from "./wire.ts";

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** Decodes a special message's bytes into its JSON value (undefined for a zero time). */
export function decodeSpecial(kind: SpecialKind, bytes: Uint8Array): unknown {
  const r = new ProtoReader(bytes);
  switch (kind) {
    case "time":
    case "microtime": {
      if (bytes.length === 0) return undefined;
      let seconds = 0;
      let nanos = 0;
      while (!r.done()) {
        const [field, wire] = r.tag();
        if (field === 1 && wire === WireType.varint) seconds = r.int64();
        else if (field === 2 && wire === WireType.varint) nanos = r.int32();
        else r.skip(wire);
      }
      return formatTime(seconds, nanos, kind === "microtime");
    }
    case "duration":
      return formatDuration(singleVarint(r));
    case "quantity":
    case "raw":
    case "fields": {
      let value: Uint8Array = new Uint8Array();
      while (!r.done()) {
        const [field, wire] = r.tag();
        if (field === 1 && wire === WireType.bytes) value = r.bytes();
        else r.skip(wire);
      }
      if (kind === "quantity") return utf8.decode(value);
      if (value.length === 0) return kind === "fields" ? {} : undefined;
      try {
        return JSON.parse(utf8.decode(value));
      } catch {
        throw new ProtobufError(`embedded ${kind === "raw" ? "object" : "fields"} is not JSON`);
      }
    }
    case "intorstring": {
      let type = 0;
      let intVal = 0;
      let strVal = "";
      while (!r.done()) {
        const [field, wire] = r.tag();
        if (field === 1 && wire === WireType.varint) type = r.int64();
        else if (field === 2 && wire === WireType.varint) intVal = r.int32();
        else if (field === 3 && wire === WireType.bytes) strVal = r.string();
        else r.skip(wire);
      }
      return type === 1 ? strVal : intVal;
    }
    case "stringlist": {
      const items: string[] = [];
      while (!r.done()) {
        const [field, wire] = r.tag();
        if (field === 1 && wire === WireType.bytes) items.push(r.string());
        else r.skip(wire);
      }
      return items;
    }
  }
}

/** Encodes a special JSON value into its message bytes. */
export function encodeSpecial(kind: SpecialKind, value: unknown): Uint8Array {
  const w = new ProtoWriter();
  switch (kind) {
    case "time":
    case "microtime": {
      const [seconds, nanos] = parseTime(String(value));
      if (seconds !== 0) w.tag(1, WireType.varint).varint(seconds);
      if (nanos !== 0) w.tag(2, WireType.varint).varint(nanos);
      break;
    }
    case "duration":
      w.tag(1, WireType.varint).varint(parseDuration(String(value)));
      break;
    case "quantity":
      w.tag(1, WireType.bytes).string(String(value));
      break;
    case "raw":
    case "fields":
      w.tag(1, WireType.bytes).bytes(utf8Encoder.encode(JSON.stringify(value)));
      break;
    case "intorstring":
      if (typeof value === "string") w.tag(1, WireType.varint).varint(1).tag(3, WireType.bytes).string(value);
      else w.tag(1, WireType.varint).varint(0).tag(2, WireType.varint).varint(Number(value));
      break;
    case "stringlist":
      for (const item of Array.isArray(value) ? value : []) w.tag(1, WireType.bytes).string(String(item));
      break;
  }
  return w.finish();
}

function singleVarint(r: ProtoReader): number {
  let value = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.varint) value = r.int64();
    else r.skip(wire);
  }
  return value;
}

/** RFC 3339 in UTC: whole seconds (metav1.Time) or six fraction digits (metav1.MicroTime). */
export function formatTime(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!micro) return `${iso}Z`;
  return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z`;
}

/** Seconds since the epoch and nanoseconds of an RFC 3339 time. */
export function parseTime(text: string): [number, number] {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ProtobufError(`invalid time ${JSON.stringify(text)}`);
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? "";
  return [Math.floor(ms / 1000), Number((fraction + "000000000").slice(0, 9))];
}

const units: [string, number][] = [
  ["h", 3600e9],
  ["m", 60e9],
  ["s", 1e9],
  ["ms", 1e6],
  ["us", 1e3],
  ["µs", 1e3],
  ["ns", 1],
];

/** A Go duration string (1h2m3s, 1.5s, 300ms) from nanoseconds. */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return "0s";
  const sign = nanos < 0 ? "-" : "";
  let n = Math.abs(nanos);
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ["ns", 1] : n < 1e6 ? ["µs", 1e3] : ["ms", 1e6];
    return `${sign}${trimNumber(n / size)}${unit}`;
  }
  let out = "";
  const hours = Math.floor(n / 3600e9);
  n -= hours * 3600e9;
  const minutes = Math.floor(n / 60e9);
  n -= minutes * 60e9;
  if (hours) out += `${hours}h`;
  if (hours || minutes) out += `${minutes}m`;
  return `${sign}${out}${trimNumber(n / 1e9)}s`;
}

function trimNumber(n: number): string {
  return String(Number(n.toFixed(9)));
}

/** Nanoseconds of a Go duration string. */
export function parseDuration(text: string): number {
  const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:h|m|s|ms|us|µs|ns))+$/.exec(text);
  if (!match && text !== "0") throw new ProtobufError(`invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(part[1]) * units.find(([u]) => u === part[2])![1];
  }
  return Math.round(text.startsWith("-") ? -total : total);
}
