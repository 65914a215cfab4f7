// authentication types (filled in by the authentication work).
import type { ResourceType } from "../resource-type.ts";

/** The authentication types this server serves. */
export const authenticationTypes: ResourceType[] = [];
