// The order in which kubectl prefers pods when it must pick one to read logs from: scheduled
// before unscheduled, running before unknown before pending, ready before not ready, ready
// for longer, more restarts, then older.

/** The parts of a Pod the choice looks at. */
export interface Pod {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string; annotations?: Record<string, string> };
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string }[];
    ephemeralContainers?: { name: string }[];
  };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
}

const PHASE_RANK: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };

/** A sort comparator: negative when `a` is the better pod to read. */
export function byLogging(a: Pod, b: Pod): number {
  const nodeA = a.spec?.nodeName ?? "";
  const nodeB = b.spec?.nodeName ?? "";
  if (nodeA !== nodeB && (nodeA === "" || nodeB === "")) return nodeA ? -1 : 1;
  const phaseA = PHASE_RANK[a.status?.phase ?? ""] ?? 0;
  const phaseB = PHASE_RANK[b.status?.phase ?? ""] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = readySince(a);
  const readyB = readySince(b);
  if ((readyA !== undefined) !== (readyB !== undefined)) return readyA !== undefined ? -1 : 1;
  if (readyA !== undefined && readyB !== undefined && readyA !== readyB) return earlierFirst(readyA, readyB);
  const restartsA = maxRestarts(a);
  const restartsB = maxRestarts(b);
  if (restartsA !== restartsB) return restartsB - restartsA;
  const createdA = time(a.metadata?.creationTimestamp);
  const createdB = time(b.metadata?.creationTimestamp);
  if (createdA !== createdB) return earlierFirst(createdA, createdB);
  return 0;
}

// Ready time, 0 when ready without a transition time; undefined when not ready.
function readySince(p: Pod): number | undefined {
  const ready = p.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.status === "True" ? time(ready.lastTransitionTime) : undefined;
}

// Earlier times first; a missing time (0) last.
function earlierFirst(a: number, b: number): number {
  if (a === 0 || b === 0) return a === 0 ? 1 : -1;
  return a - b;
}

function maxRestarts(p: Pod): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
}

function time(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
}
