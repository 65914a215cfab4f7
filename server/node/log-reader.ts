// Reads a CRI-format container log the way the kubelet serves it: the last N records,
// records since a time, optional timestamps, a byte limit, and following a live file until
// its container ends or the reader goes away.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { formatRfc3339Nano, isLive, timestampMs, watchLogFile } from "./log-file.ts";

/** What the client asked for (PodLogOptions, already validated). */
export interface LogReadOptions {
  follow?: boolean;
  tailLines?: number;
  /** Records stamped before this time (ms since the epoch) are skipped. */
  sinceMs?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

const chunkBytes = 64 * 1024;
const maxBytesPerPull = 1024 * 1024;
const newline = 0x0a;

/** The log at `path` as a byte stream (empty when there is no such file). */
export function readLogStream(path: string, options: LogReadOptions): ReadableStream<Uint8Array> {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
  } catch {
    return new ReadableStream({ start: (controller) => controller.close() });
  }
  let offset = options.tailLines === undefined ? 0 : tailOffset(fd, options.tailLines);
  let rest = Buffer.alloc(0);
  let remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;
  let wake: (() => void) | undefined;
  let finished = false;
  const unsubscribe = options.follow ? watchLogFile(path, () => wake?.()) : undefined;

  function finish(): void {
    if (finished) return;
    finished = true;
    unsubscribe?.();
    wake?.();
    closeSync(fd!);
  }

  /** Formats every complete record appended since the last call. */
  function readAvailable(): Buffer {
    const out: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.allocUnsafe(chunkBytes);
    while (total < maxBytesPerPull) {
      const n = readSync(fd!, buffer, 0, chunkBytes, offset);
      if (n <= 0) break;
      offset += n;
      rest = Buffer.concat([rest, buffer.subarray(0, n)]);
      for (let nl = rest.indexOf(newline); nl >= 0; nl = rest.indexOf(newline)) {
        const formatted = formatRecord(rest.subarray(0, nl), options);
        rest = rest.subarray(nl + 1);
        if (formatted) {
          out.push(formatted);
          total += formatted.length;
        }
      }
      rest = Buffer.from(rest);
    }
    return Buffer.concat(out);
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (!finished) {
          const data = readAvailable();
          if (data.length) {
            const part = data.length > remaining ? data.subarray(0, remaining) : data;
            remaining -= part.length;
            controller.enqueue(new Uint8Array(part));
            if (remaining <= 0) break;
            return;
          }
          if (!options.follow || !isLive(path)) break;
          // Appends and the close arrive in later event-loop turns, so none can be missed here.
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        const cancelled = finished;
        finish();
        if (!cancelled) controller.close();
      },
      cancel: finish,
    },
    new CountQueuingStrategy({ highWaterMark: 1 }),
  );
}

/** One record as the client sees it, or undefined when it is skipped or malformed. */
function formatRecord(line: Buffer, options: LogReadOptions): Buffer | undefined {
  const first = line.indexOf(0x20);
  const second = first < 0 ? -1 : line.indexOf(0x20, first + 1);
  const third = second < 0 ? -1 : line.indexOf(0x20, second + 1);
  if (third < 0) return undefined;
  const timestamp = line.subarray(0, first).toString();
  if (options.sinceMs !== undefined && timestampMs(timestamp) < options.sinceMs) return undefined;
  const partial = line.subarray(second + 1, third).toString() === "P";
  const parts: Buffer[] = [];
  if (options.timestamps) parts.push(Buffer.from(`${formatRfc3339Nano(timestamp)} `));
  parts.push(line.subarray(third + 1));
  if (!partial) parts.push(Buffer.from("\n"));
  return Buffer.concat(parts);
}

/** The byte offset where the last `lines` records start. */
function tailOffset(fd: number, lines: number): number {
  const size = fstatSync(fd).size;
  if (lines <= 0) return size;
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let end = size - 1; // the final newline ends the last record; it does not start one
  let found = 0;
  while (end > 0) {
    const start = Math.max(0, end - chunkBytes);
    const n = readSync(fd, buffer, 0, end - start, start);
    for (let i = n - 1; i >= 0; i--) {
      if (buffer[i] === newline && ++found === lines) return start + i + 1;
    }
    end = start;
  }
  return 0;
}
