// Writes a pod's status through pods/status as the kubelet's status manager does: changes
// are coalesced (one write in flight per pod), unchanged statuses are not written, and a
// conflict re-reads the pod and rebuilds the status on top of it.
import type { KubeObject } from "../registry/resource-type.ts";
import { jsonEqual } from "../registry/strategies/common.ts";
import type { NodeContext } from "./context.ts";

/** A pod's status writer. */
export interface StatusReporter {
  /** Something changed: write the status soon. */
  changed(): void;
  /** Resolves when every change so far is written. */
  flush(): Promise<void>;
  /** No more writes (the pod is gone or the server stops). */
  close(): void;
}

/**
 * `current()` and `replace()` give the worker's latest pod; `build(pod)` the status to report
 * for it.
 */
export function createStatusReporter(
  ctx: NodeContext,
  current: () => KubeObject,
  replace: (pod: KubeObject) => void,
  build: (pod: KubeObject) => Record<string, any>,
): StatusReporter {
  let dirty = false;
  let closed = false;
  let writing: Promise<void> | undefined;

  async function write(): Promise<void> {
    while (dirty && !closed) {
      dirty = false;
      let pod = current();
      for (let attempt = 0; attempt < 10 && !closed; attempt++) {
        const status = build(pod);
        if (jsonEqual(status, pod.status)) break;
        const { namespace, name } = pod.metadata;
        try {
          replace(await ctx.writer.update(ctx.pods, namespace, name, { ...pod, status }, { subresource: "status" }));
          break;
        } catch (err) {
          const code = (err as { code?: number }).code;
          if (code === 404) return;
          if (code !== 409) {
            if (!closed) console.error(`node: status of pod ${namespace}/${name}:`, (err as Error).message);
            return;
          }
          pod = await ctx.writer.reader.get(ctx.pods, namespace, name).catch(() => pod);
          replace(pod);
        }
      }
    }
  }

  function start(): Promise<void> {
    writing ??= write().finally(() => (writing = undefined));
    return writing;
  }

  return {
    changed() {
      dirty = true;
      queueMicrotask(() => void start());
    },
    async flush() {
      while ((dirty && !closed) || writing) await start();
    },
    close() {
      closed = true;
    },
  };
}
