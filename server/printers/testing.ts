// Fixtures shared by the printer tests: a fixed clock and timestamps relative to it.

/** The clock every printer test uses. */
export const NOW = new Date("2024-06-01T12:00:00Z");

/** An RFC 3339 timestamp `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** Object metadata created `seconds` before NOW. */
export function meta(name: string, seconds = 600, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, namespace: "default", uid: `uid-${name}`, creationTimestamp: ago(seconds), ...extra };
}
