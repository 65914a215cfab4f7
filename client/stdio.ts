// Synchronous, exact writes to stdout and stderr. Bun's process.stdout/stderr streams cost
// ~15 ms to initialise on first use, a third of a CLI command's budget; writeSync on the
// file descriptor costs nothing and keeps output ordered.

import { writeSync } from "node:fs";

/** Writes all of `data` to stdout. */
export function writeStdout(data: string | Uint8Array): void {
  writeFully(1, data);
}

/** Writes all of `data` to stderr. */
export function writeStderr(data: string | Uint8Array): void {
  writeFully(2, data);
}

function writeFully(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  let offset = 0;
  while (offset < bytes.byteLength) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      // A non-blocking pipe inherited from the parent: wait for the reader.
      if ((err as { code?: string }).code !== "EAGAIN") throw err;
      Bun.sleepSync(1);
    }
  }
}
