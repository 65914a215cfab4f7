// Container log files in the CRI format the kubelet reads: one record per line,
// `<RFC3339Nano time> <stdout|stderr> <F|P> <content>`, where P marks a partial line that
// continues in the next record. Files being written are "live": readers that follow them
// are woken on every append and when the container ends.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** An open log file of one container run. */
export interface LogFile {
  write(stream: "stdout" | "stderr", chunk: Uint8Array): void;
  /** Writes any unterminated line and ends the file (followers stop). */
  close(): void;
}

interface Live {
  listeners: Set<() => void>;
}

// Longer lines are split into partial records, as container runtimes do.
const maxRecordBytes = 16 * 1024;
const live = new Map<string, Live>();
const newline = 0x0a;

/** Opens (creating or appending to) the log file at `path`. */
export function openLogFile(path: string): LogFile {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "a");
  const entry: Live = { listeners: new Set() };
  live.set(path, entry);
  const pending: Record<string, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  let open = true;

  function append(records: Buffer[]): void {
    if (!records.length) return;
    writeSync(fd, Buffer.concat(records));
    for (const notify of [...entry.listeners]) notify();
  }

  function record(stream: string, tag: "F" | "P", content: Buffer): Buffer {
    return Buffer.concat([Buffer.from(`${criTimestamp()} ${stream} ${tag} `), content, Buffer.from("\n")]);
  }

  return {
    write(stream, chunk) {
      if (!open) return;
      let data = Buffer.concat([pending[stream], Buffer.from(chunk)]);
      const records: Buffer[] = [];
      for (let nl = data.indexOf(newline); nl >= 0; nl = data.indexOf(newline)) {
        let line = data.subarray(0, nl);
        for (; line.length > maxRecordBytes; line = line.subarray(maxRecordBytes)) records.push(record(stream, "P", line.subarray(0, maxRecordBytes)));
        records.push(record(stream, "F", line));
        data = data.subarray(nl + 1);
      }
      while (data.length >= maxRecordBytes) {
        records.push(record(stream, "P", data.subarray(0, maxRecordBytes)));
        data = data.subarray(maxRecordBytes);
      }
      pending[stream] = Buffer.from(data);
      append(records);
    },
    close() {
      if (!open) return;
      const rest = (["stdout", "stderr"] as const).filter((s) => pending[s].length).map((s) => record(s, "F", pending[s]));
      append(rest);
      open = false;
      closeSync(fd);
      live.delete(path);
      for (const notify of [...entry.listeners]) notify();
    },
  };
}

/**
 * Calls `listener` on every append to a live file and once when it closes. Returns the
 * unsubscribe function, or undefined when the file is not being written.
 */
export function watchLogFile(path: string, listener: () => void): (() => void) | undefined {
  const entry = live.get(path);
  if (!entry) return undefined;
  entry.listeners.add(listener);
  return () => entry.listeners.delete(listener);
}

/** Whether a container is still writing the file. */
export function isLive(path: string): boolean {
  return live.has(path);
}

let lastMs = 0;
let subMs = 0;

/** Now as RFC 3339 with nine fractional digits; a counter in the sub-millisecond digits keeps records of one millisecond ordered. */
export function criTimestamp(now = Date.now()): string {
  if (now === lastMs) subMs = Math.min(subMs + 1, 999_999);
  else {
    lastMs = now;
    subMs = 0;
  }
  const iso = new Date(now).toISOString();
  return `${iso.slice(0, 23)}${String(subMs).padStart(6, "0")}Z`;
}

/** Go's RFC3339Nano rendering: trailing zeros of the fraction dropped (and the dot if none remain). */
export function formatRfc3339Nano(timestamp: string): string {
  return timestamp.replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : "Z"));
}

/** Milliseconds since the epoch, with the sub-millisecond part as a fraction. */
export function timestampMs(timestamp: string): number {
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!match) return Number.NaN;
  const whole = Date.parse(match[1] + match[3]);
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return whole + fraction;
}
