// Summarises a `bun --cpu-prof` .cpuprofile by sample counts (the .md that Bun writes weights
// functions by time deltas, which lumps idle gaps onto whatever ran last):
//   bun bench/support/cpuprofile-summary.ts FILE.cpuprofile [TOP=30] [FILTER]
// prints the top functions by self samples, and by inclusive samples (only frames whose
// location contains FILTER, e.g. "file://" for the project's own code).

export {};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, topArg, filter] = process.argv.slice(2);
if (!file) {
  console.error("usage: bun bench/support/cpuprofile-summary.ts FILE.cpuprofile [TOP] [FILTER]");
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(await Bun.file(file).text()) as { nodes: ProfileNode[]; samples: number[] };
const root = process.cwd() + "/";
const nodes = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  nodes.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}
const label = (node: ProfileNode) => `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(root, "")}:${node.callFrame.lineNumber}`;

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let busy = 0;
for (const id of profile.samples) {
  const node = nodes.get(id)!;
  const own = label(node);
  if (/^\((idle|program|root|garbage collector)\)/.test(own)) continue;
  busy++;
  self.set(own, (self.get(own) ?? 0) + 1);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const frame = label(nodes.get(cur)!);
    if (seen.has(frame)) continue;
    seen.add(frame);
    inclusive.set(frame, (inclusive.get(frame) ?? 0) + 1);
  }
}

function print(title: string, counts: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [frame, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * n) / busy).toFixed(1).padStart(5)}% ${String(n).padStart(7)}  ${frame}`);
  }
}
console.log(`${busy} busy samples`);
print("self samples", self);
print(`inclusive samples${filter ? ` (frames matching "${filter}")` : ""}`, new Map([...inclusive].filter(([frame]) => !filter || frame.includes(filter))));
