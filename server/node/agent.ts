// The node agent (the kubelet's pod loop): watches the pods bound to this node and gives
// each one a worker, keyed by uid so a pod deleted and created again under the same name
// is a new pod.
import type { Store } from "../../store/index.ts";
import { startInformer } from "../controllers/informer.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import type { NodeContext } from "./context.ts";
import { createPodWorker, type PodWorker } from "./pod-worker.ts";

/** A running agent. */
export interface NodeAgent {
  stop(): Promise<void>;
}

/** Starts running the pods bound to `ctx.nodeName`. */
export function startNodeAgent(store: Store, ctx: NodeContext): NodeAgent {
  const workers = new Map<string, PodWorker>();
  ctx.runtime.reapOrphans?.(ctx.podsDir);

  function remove(pod: KubeObject): void {
    const worker = workers.get(pod.metadata.uid);
    if (!worker) return;
    workers.delete(pod.metadata.uid);
    void worker.removed();
  }

  const informer = startInformer(
    store,
    ctx.pods,
    (event, pod, old) => {
      if (old && old.metadata.uid !== pod.metadata.uid) remove(old);
      if (event === "DELETED") return remove(pod);
      let worker = workers.get(pod.metadata.uid);
      if (!worker) workers.set(pod.metadata.uid, (worker = createPodWorker(ctx, pod)));
      worker.update(pod);
    },
    { filter: (pod) => pod.spec?.nodeName === ctx.nodeName },
  );

  return {
    async stop() {
      informer.stop();
      await Promise.all([...workers.values()].map((w) => w.shutdown()));
      workers.clear();
    },
  };
}
