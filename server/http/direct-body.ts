// Response bodies the TLS listener can hand to the socket itself instead of pumping them
// through a ReadableStream: complete bodies (the bytes are known when the Response is made)
// and pushed streams (watch events). In-process callers read the same Responses as ordinary
// Fetch responses; only the listener looks these up.

/** A body the producer writes into; `backlog()` is how many writes the client has not taken yet. */
export interface PushSink {
  write(chunk: Uint8Array): void;
  backlog(): number;
  end(): void;
  /** The client is too far behind: end the response without waiting for it to take what is queued. */
  drop(): void;
}

/** A streamed body that starts producing when a sink is attached, once. */
export interface PushBody {
  attach(sink: PushSink): void;
  /** The client went away (or the server is closing): stop producing. */
  cancel(): void;
}

/**
 * A large body produced piece by piece as the client takes it (a list read page by page):
 * `next()` gives the next parts, null at the end; it rejects when the body cannot be
 * finished, and the response is then cut off rather than ended as if complete.
 */
export interface PulledBody {
  next(): Promise<BodyParts | null>;
  /** The client went away (or the server is closing): stop producing. */
  cancel(): void;
}

import { encodeParts, type BodyParts } from "./compression.ts";

const completeBodies = new WeakMap<Response, BodyParts>();
const pushBodies = new WeakMap<Response, PushBody>();
const pulledBodies = new WeakMap<Response, PulledBody>();

/**
 * A Response whose whole body is `body`. String parts (a list's items) are joined only if the
 * Response is read as a stream; the listener encodes them without joining.
 */
export function completeResponse(body: BodyParts, init: ResponseInit): Response {
  const response = new Response(typeof body === "string" || body instanceof Uint8Array ? body : joinedLazily(body), init);
  completeBodies.set(response, body);
  return response;
}

/** A stream that produces nothing before it is read (no read-ahead: high-water mark 0). */
function onDemand(source: { pull(controller: ReadableStreamDefaultController<Uint8Array>): void | Promise<void>; cancel?(): void }): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(source, new CountQueuingStrategy({ highWaterMark: 0 }));
}

function joinedLazily(parts: readonly string[]): ReadableStream<Uint8Array> {
  return onDemand({
    pull(controller) {
      controller.enqueue(encodeParts(parts));
      controller.close();
    },
  });
}

/** The body of a Response made by {@link completeResponse}. */
export function completeBodyOf(response: Response): BodyParts | undefined {
  return completeBodies.get(response);
}

/**
 * A streaming Response fed by `body`. Read as a ReadableStream, the body starts on the first
 * read; the listener instead attaches a sink that writes to the connection directly.
 */
export function pushResponse(body: PushBody, init: ResponseInit): Response {
  let attached = false;
  const stream = onDemand({
    pull(controller) {
      if (attached) return;
      attached = true;
      let open = true;
      const end = () => {
        if (!open) return;
        open = false;
        try {
          controller.close();
        } catch {
          // already cancelled by the reader
        }
      };
      body.attach({ write: (chunk) => open && controller.enqueue(chunk), backlog: () => -(controller.desiredSize ?? 0), end, drop: end });
    },
    cancel: () => body.cancel(),
  });
  const response = new Response(stream, init);
  pushBodies.set(response, body);
  return response;
}

/** The producer of a Response made by {@link pushResponse}. */
export function pushBodyOf(response: Response): PushBody | undefined {
  return pushBodies.get(response);
}

/**
 * A Response whose body `body` produces on demand. Read as a ReadableStream, each read pulls
 * the next parts; the listener pulls them itself, as fast as the connection drains.
 */
export function pulledResponse(body: PulledBody, init: ResponseInit): Response {
  const stream = onDemand({
    async pull(controller) {
      const parts = await body.next();
      if (parts === null) controller.close();
      else controller.enqueue(encodeParts(parts));
    },
    cancel: () => body.cancel(),
  });
  const response = new Response(stream, init);
  pulledBodies.set(response, body);
  return response;
}

/** The producer of a Response made by {@link pulledResponse}. */
export function pulledBodyOf(response: Response): PulledBody | undefined {
  return pulledBodies.get(response);
}
