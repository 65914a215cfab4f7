// /healthz, /livez and /readyz with named checks, `?verbose`, `?exclude=` and per-check paths.
import { completeResponse } from "./http/direct-body.ts";

/** One named health check; `check` throws or returns false when unhealthy. */
export interface HealthCheck {
  name: string;
  check: () => boolean;
  /** Only part of /readyz (e.g. shutdown), not /livez or /healthz. */
  readinessOnly?: boolean;
}

const endpoints = ["healthz", "livez", "readyz"];

/** The response for a health path, or null when the path is not one. */
export function healthResponse(path: string, query: URLSearchParams, checks: HealthCheck[]): Response | null {
  const [, endpoint, single, extra] = path.split("/");
  if (!endpoints.includes(endpoint) || extra !== undefined) return null;
  const applicable = checks.filter((c) => endpoint === "readyz" || !c.readinessOnly);
  if (single) {
    const check = applicable.find((c) => c.name === single);
    if (!check) return null;
    return passes(check) ? text(200, "ok") : text(500, `internal server error: ${check.name} check failed`);
  }
  const excluded = new Set(query.getAll("exclude"));
  const lines: string[] = [];
  let healthy = true;
  for (const check of applicable) {
    if (excluded.has(check.name)) {
      lines.push(`[+]${check.name} excluded: ok`);
      continue;
    }
    const ok = passes(check);
    healthy &&= ok;
    lines.push(ok ? `[+]${check.name} ok` : `[-]${check.name} failed: reason withheld`);
  }
  if (healthy && !query.has("verbose")) return text(200, "ok");
  lines.push(healthy ? `${endpoint} check passed` : `${endpoint} check failed`);
  return text(healthy ? 200 : 500, lines.join("\n") + "\n");
}

function passes(check: HealthCheck): boolean {
  try {
    return check.check();
  } catch {
    return false;
  }
}

function text(status: number, body: string): Response {
  return completeResponse(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } });
}
