// Watch events are written to every watcher's socket, ~1,000 writes per event in the fan-out
// bench. Bun's node:net socket wraps a native socket (`_handle`) in a Writable; going through
// the Writable (write, _write, the nextTick callback) cost ~1.5 of the ~17 µs each write took
// there. While nothing waits in the Writable, the bytes can go to the native socket directly.
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
  const { writableLength, _handle: handle } = socket as unknown as HandleSocket;
  if (writableLength === 0 && typeof handle?.write === "function") {
    const written = handle.write(data);
    if (written === data.byteLength) return true;
    // The native socket sends what it took; the Writable queues the rest behind it.
    if (written > 0) data = data.subarray(written);
  }
  socket.write(data, sent);
  return false;
}
