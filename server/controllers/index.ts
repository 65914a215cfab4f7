// Every controller the server runs, started together and stopped together.
import type { Store } from "../../store/index.ts";
import type { Catalog } from "../registry/catalog.ts";
import type { ObjectWriter } from "../registry/object-writer.ts";
import type { ObjectReader } from "../registry/object-store.ts";
import type { CoreOptions } from "../index.ts";
import { startGarbageCollector } from "./garbage-collector.ts";
import { startNamespaceController, type Controller } from "./namespace.ts";
import { startServiceAccountsController } from "./service-accounts.ts";
import { startClusterRoleAggregationController } from "./clusterrole-aggregation.ts";
import { startEventTtlController } from "./events.ts";

/** What controllers get from the server. */
export interface ControllerDeps {
  store: Store;
  catalog: Catalog;
  writer: ObjectWriter;
  reader: ObjectReader;
  options: CoreOptions;
}

/**
 * Starts all controllers. The scheduler, the workload controllers and the node run when the
 * server has a runtime (`kapi serve` defaults to `process`); with none (unset or `none`) the
 * server is API-only, as envtest is, and does not even load them.
 */
export async function startControllers(deps: ControllerDeps): Promise<Controller[]> {
  const controllers = [
    startNamespaceController(deps.store, deps.catalog, deps.writer),
    startGarbageCollector(deps.store, deps.catalog, deps.writer),
    startServiceAccountsController(deps),
    startClusterRoleAggregationController(deps),
    startEventTtlController(deps.store, deps.catalog, deps.writer),
  ];
  if (deps.options.runtime && deps.options.runtime !== "none") {
    const { startWorkloads } = await import("./workloads.ts");
    controllers.push(...startWorkloads(deps));
  }
  return controllers;
}

export type { Controller };
