// Watch events are written to every watcher's socket, ~1,000 writes per event in the fan-out
// bench. Bun's node:net socket wraps a native socket (`_handle`) in a Writable; going through
// the Writable (write, _write, the nextTick callback) cost ~1.5 of the ~17 µs each write took
// there. While nothing waits in the Writable, the bytes can go to the native socket directly.
// What the native socket takes it has encrypted and sent or buffered by the time it returns,
// so a caller may reuse the memory the bytes were in.
import type { Sink } from "./direct-write.ts";

/** The parts of Bun's node:net socket used here; other runtimes have no usable `_handle`. */
interface HandleSocket {
  readonly writableLength?: number;
  readonly _handle?: { write?(data: Uint8Array): number } | null;
}

/**
 * Writes `data` to `socket`, in order with everything written before. Returns true when the
 * socket took all of it at once; otherwise the rest went through the Writable, which calls
 * `sent` when it has written it.
 */
export function writeToSocket(socket: Sink, data: Uint8Array, sent: () => void): boolean {
  const rest = writeNow(socket, data);
  if (rest === undefined) return true;
  socket.write(rest, sent);
  return false;
}

/**
 * As {@link writeToSocket} for bytes in memory the caller reuses once this returns: what the
 * socket does not take at once is copied before it is queued.
 */
export function writeReused(socket: Sink, data: Uint8Array): void {
  const rest = writeNow(socket, data);
  if (rest !== undefined) socket.write(Buffer.from(rest), () => {});
}

/** Writes what the native socket takes now; returns the rest (undefined when it took all). */
function writeNow(socket: Sink, data: Uint8Array): Uint8Array | undefined {
  const { writableLength, _handle: handle } = socket as unknown as HandleSocket;
  if (writableLength !== 0 || typeof handle?.write !== "function") return data;
  const written = handle.write(data);
  if (written === data.byteLength) return undefined;
  // The native socket sends what it took; the Writable queues the rest behind it.
  return written > 0 ? data.subarray(written) : data;
}
