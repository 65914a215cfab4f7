import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatRfc3339Nano, openLogFile, timestampMs } from "./log-file.ts";
import { readLogStream } from "./log-reader.ts";

const dir = mkdtempSync(join(tmpdir(), "kapi-log-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (s: string) => new TextEncoder().encode(s);
const read = (path: string, options = {}) => new Response(readLogStream(path, options)).text();

describe("log files", () => {
  test("records are CRI lines; unterminated output is kept until its newline or the close", () => {
    const path = join(dir, "cri.log");
    const log = openLogFile(path);
    log.write("stdout", bytes("hel"));
    log.write("stdout", bytes("lo\nwor"));
    log.write("stderr", bytes("err\n"));
    log.close();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines.map((l) => l.split(" ").slice(1).join(" "))).toEqual(["stdout F hello", "stderr F err", "stdout F wor"]);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
  });

  test("a very long line is split into partial records that read back as one line", async () => {
    const path = join(dir, "long.log");
    const log = openLogFile(path);
    const long = "x".repeat(40_000);
    log.write("stdout", bytes(`${long}\n`));
    log.close();
    const tags = readFileSync(path, "utf8").trim().split("\n").map((l) => l.split(" ")[2]);
    expect(tags).toEqual(["P", "P", "F"]);
    expect(await read(path)).toBe(`${long}\n`);
  });

  test("Go's RFC3339Nano trims trailing zeros", () => {
    expect(formatRfc3339Nano("2024-05-01T10:00:00.120000000Z")).toBe("2024-05-01T10:00:00.12Z");
    expect(formatRfc3339Nano("2024-05-01T10:00:00.000000000Z")).toBe("2024-05-01T10:00:00Z");
    expect(timestampMs("2024-05-01T10:00:00.000500000Z")).toBe(Date.parse("2024-05-01T10:00:00Z") + 0.5);
  });
});

describe("reading", () => {
  const path = join(dir, "fixed.log");
  writeFileSync(
    path,
    ["2024-05-01T10:00:00.000000001Z stdout F one", "2024-05-01T10:00:01.5Z stderr F two", "2024-05-01T10:00:02Z stdout P thr", "2024-05-01T10:00:02.1Z stdout F ee", ""].join("\n"),
  );

  test("everything, tail, since, timestamps and a byte limit", async () => {
    expect(await read(path)).toBe("one\ntwo\nthree\n");
    expect(await read(path, { tailLines: 1 })).toBe("ee\n");
    expect(await read(path, { tailLines: 3 })).toBe("two\nthree\n");
    expect(await read(path, { sinceMs: Date.parse("2024-05-01T10:00:01Z") })).toBe("two\nthree\n");
    expect(await read(path, { timestamps: true, tailLines: 3 })).toBe("2024-05-01T10:00:01.5Z two\n2024-05-01T10:00:02Z thr2024-05-01T10:00:02.1Z ee\n");
    expect(await read(path, { limitBytes: 6 })).toBe("one\ntw");
    expect(await read(join(dir, "absent.log"))).toBe("");
  });

  test("follow returns what is there, then new records, and ends when the file is closed", async () => {
    const live = join(dir, "live.log");
    const log = openLogFile(live);
    log.write("stdout", bytes("first\n"));
    const reader = readLogStream(live, { follow: true }).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe("first\n");
    const next = reader.read();
    log.write("stdout", bytes("second\n"));
    expect(decoder.decode((await next).value)).toBe("second\n");
    log.write("stdout", bytes("last"));
    log.close();
    expect(decoder.decode((await reader.read()).value)).toBe("last\n");
    expect((await reader.read()).done).toBe(true);
  });

  test("tail finds line starts across read chunks", async () => {
    const big = join(dir, "big.log");
    const log = openLogFile(big);
    for (let i = 0; i < 5_000; i++) log.write("stdout", bytes(`line ${i} ${"-".repeat(40)}\n`));
    log.close();
    expect(await read(big, { tailLines: 2 })).toBe(`line 4998 ${"-".repeat(40)}\nline 4999 ${"-".repeat(40)}\n`);
    expect((await read(big, { tailLines: 3000 })).split("\n").length).toBe(3001);
  });
});
