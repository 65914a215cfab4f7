// Runs the same command with real kubectl and with kapi against one recording server and
// puts the results side by side, normalised so they can be compared with toEqual: object
// names that must differ between the two runs, the program name, klog prefixes, and request
// bodies reduced to their content (JSON from kapi vs protobuf from kubectl ≥1.32).
import type { Kubectl } from "./kubectl.ts";
import { apiRequests, type Recorded, type RecordedRequest, type RecordingServer } from "./recording-server.ts";

/** What one run looks like after normalisation. */
export interface Normalised {
  code: number;
  stdout: string;
  stderr: string;
  /** `METHOD /path?query` of each non-discovery request. */
  requests: string[];
  /** Each non-discovery request's body content (nulls dropped), or undefined. */
  bodies: unknown[];
  raw: Recorded;
}

let counter = 0;

/**
 * Runs `args` with kubectl and then kapi. Each `@` in the arguments (and stdin) becomes a
 * name unique to the run (`k<id>x` for kubectl, `a<id>x` for kapi; `opts.id` picks the id,
 * for objects prepared beforehand); it is turned back into `@` in everything compared.
 */
export async function runBoth(
  srv: RecordingServer,
  k: Kubectl,
  args: string[],
  opts: { stdin?: string; env?: Record<string, string>; id?: number } = {},
): Promise<{ kubectl: Normalised; kapi: Normalised }> {
  const id = opts.id ?? ++counter;
  const one = async (who: "kubectl" | "kapi") => {
    const token = `${who === "kubectl" ? "k" : "a"}${id}x`;
    const fill = (s: string) => s.replaceAll("@", token);
    const argv = args.map(fill);
    const stdin = opts.stdin === undefined ? undefined : fill(opts.stdin);
    const r = who === "kubectl" ? await srv.kubectl(k, argv, stdin, opts.env) : await srv.kapi(argv, stdin, opts.env);
    return normalise(r, token);
  };
  const kubectl = await one("kubectl");
  const kapi = await one("kapi");
  return { kubectl, kapi };
}

/** Normalises one run; `token` is the run's unique name part. */
export function normalise(r: Recorded, token: string): Normalised {
  const text = (s: string) =>
    s
      .replaceAll(token, "@")
      .replace(/^[IWE]\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ [^\]]+\] /gm, "LOG ")
      .replace(/'kubectl(\.[\d.]+)? /g, "'kapi ");
  const api = apiRequests(r.requests);
  return {
    code: r.code,
    stdout: text(r.stdout),
    stderr: text(r.stderr),
    // Watches start from the (run-specific) resourceVersion, with a random timeout.
    requests: api.map((q) =>
      `${q.method} ${q.url}`
        .replaceAll(token, "@")
        .replace(/resourceVersion=[1-9]\d*/, "resourceVersion=RV")
        .replace(/timeoutSeconds=(\d+)/, (_, n) => `timeoutSeconds=${Number(n) >= 300 && Number(n) < 600 ? "300..600" : n}`),
    ),
    bodies: api.map((q) => (q.json === undefined ? undefined : content(JSON.parse(JSON.stringify(q.json).replaceAll(token, "@"))))),
    raw: r,
  };
}

/** A body without null values or empty objects left behind by them (protobuf has no nulls). */
export function content(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(content);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] = content(v);
  }
  return out;
}

/** The request bodies exactly as sent (for byte-level comparison with kubectl ≤1.31's JSON). */
export function sentBodies(requests: RecordedRequest[], token?: string): string[] {
  return apiRequests(requests).map((q) => (token ? q.body.replaceAll(token, "@") : q.body));
}
