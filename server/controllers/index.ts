// Every controller the server runs, started together and stopped together.
import type { Store } from "../../store/index.ts";
import type { Catalog } from "../registry/catalog.ts";
import type { ObjectWriter } from "../registry/object-writer.ts";
import type { ObjectReader } from "../registry/object-store.ts";
import type { CoreOptions } from "../index.ts";
import { startGarbageCollector } from "./garbage-collector.ts";
import { startNamespaceController, type Controller } from "./namespace.ts";
import { startServiceAccountsController } from "./service-accounts.ts";

/** What controllers get from the server. */
export interface ControllerDeps {
  store: Store;
  catalog: Catalog;
  writer: ObjectWriter;
  reader: ObjectReader;
  options: CoreOptions;
}

/** Starts all controllers. */
export function startControllers(deps: ControllerDeps): Controller[] {
  return [
    startNamespaceController(deps.store, deps.catalog, deps.writer),
    startGarbageCollector(deps.store, deps.catalog, deps.writer),
    startServiceAccountsController(deps),
  ];
}

export type { Controller };
