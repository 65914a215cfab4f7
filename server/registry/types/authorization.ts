// authorization types (filled in by the authorization work).
import type { ResourceType } from "../resource-type.ts";

/** The authorization types this server serves. */
export const authorizationTypes: ResourceType[] = [];
