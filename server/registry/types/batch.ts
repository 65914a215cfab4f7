// batch types (filled in by the batch work).
import type { ResourceType } from "../resource-type.ts";

/** The batch types this server serves. */
export const batchTypes: ResourceType[] = [];
