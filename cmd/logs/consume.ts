// Reading pods/log streams: one after another, or all at once when following several. Each
// line goes to stdout as soon as it is complete (optionally behind `[pod/NAME/CONTAINER] `),
// so lines of different streams never mix.

import type { RestClient } from "../../client/transport.ts";
import { responseError } from "../../client/errors.ts";
import { writeStdout } from "../../client/stdio.ts";
import type { LogRequest } from "./targets.ts";

/** How streams are read and printed. */
export interface ConsumeOptions {
  parallel: boolean;
  prefix: boolean;
  /** Print a failing stream's error and go on instead of stopping. */
  ignoreErrors: boolean;
}

const NEWLINE = 0x0a;

/** Reads every request's log to stdout; throws the first error unless errors are ignored. */
export async function consume(client: RestClient, requests: LogRequest[], query: [string, string][], opts: ConsumeOptions): Promise<void> {
  const stop = new AbortController();
  const one = async (r: LogRequest) => {
    try {
      await stream(client, r, query, opts.prefix ? `[pod/${r.pod}/${r.container}] ` : "", stop.signal);
    } catch (err) {
      if (isBrokenPipe(err)) {
        stop.abort();
        return;
      }
      if (!opts.ignoreErrors) throw err;
      writeStdout(`error: ${(err as Error).message}\n`);
    }
  };
  if (!opts.parallel) {
    for (const r of requests) await one(r);
    return;
  }
  try {
    await Promise.all(requests.map(one));
  } finally {
    // The other streams would keep the process alive after a failure.
    stop.abort();
  }
}

async function stream(client: RestClient, r: LogRequest, query: [string, string][], prefix: string, signal: AbortSignal): Promise<void> {
  const response = await client.request({
    path: `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/log`,
    query: Object.fromEntries([["container", r.container], ...query]),
    signal,
  });
  if (response.status < 200 || response.status > 299) {
    throw responseError(response.status, await response.text(), response.headers.get("content-type"), { verb: "GET" });
  }
  if (!response.body) return;
  const head = new TextEncoder().encode(prefix);
  let pending = new Uint8Array(0);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      let data = pending.length ? concat(pending, chunk) : chunk;
      let end: number;
      while ((end = data.indexOf(NEWLINE)) >= 0) {
        writeLine(head, data.subarray(0, end + 1));
        data = data.subarray(end + 1);
      }
      pending = data.slice();
    }
  } catch (err) {
    if (signal.aborted) return;
    if ((err as Error)?.name === "TimeoutError") throw new Error("net/http: request canceled (Client.Timeout or context cancellation while reading body)");
    throw err;
  }
  if (pending.length) writeLine(head, pending);
}

function writeLine(prefix: Uint8Array, line: Uint8Array): void {
  writeStdout(prefix.length ? concat(prefix, line) : line);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function isBrokenPipe(err: unknown): boolean {
  return (err as { code?: string })?.code === "EPIPE";
}
