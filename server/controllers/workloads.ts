// What runs pods: the scheduler, the workload controllers and the built-in node. Loaded only
// by servers with a runtime.
import type { ControllerDeps } from "./index.ts";
import type { Controller } from "./namespace.ts";
import { startScheduler } from "./scheduler.ts";
import { startReplicaSetController } from "./replicaset.ts";
import { startDeploymentController } from "./deployment.ts";
import { startJobController } from "./job.ts";
import { startCronJobController } from "./cronjob.ts";
import { startNode } from "../node/index.ts";

/** Starts the scheduler, the workload controllers and the node. */
export function startWorkloads(deps: ControllerDeps): Controller[] {
  return [startScheduler(deps), startReplicaSetController(deps), startDeploymentController(deps), startJobController(deps), startCronJobController(deps), startNode(deps)];
}
