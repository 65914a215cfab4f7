// The authentication services of one server: its service-account signing key and token
// authenticators. Resource types, custom handlers and controllers are shared module-level
// definitions, so the per-server services are found through the server's catalog.
import type { Catalog } from "../../registry/catalog.ts";
import type { ObjectReader } from "../../registry/object-store.ts";
import type { ObjectWriter } from "../../registry/object-writer.ts";
import type { CoreOptions } from "../../index.ts";
import { loadOrCreateServiceAccountKey } from "./sa-key.ts";
import { serviceAccountTokens, type ServiceAccountTokens } from "./service-account-tokens.ts";
import type { MarkUsed, ObjectLookup } from "./service-account-claims.ts";
import { apiAudiences } from "./service-account-user.ts";
import { loadTokenFile, tokenFileAuthenticator } from "./token-file.ts";
import { tokenUnion } from "./bearer.ts";
import type { TokenAuthenticator, TokenResponse } from "./token-types.ts";

/** Everything authentication needs at request time. */
export interface Authentication {
  serviceAccounts: ServiceAccountTokens;
  /** Authenticates a bearer token for audiences (default: the API's); throws TokenError when rejected. */
  authenticateToken(token: string, audiences?: string[]): Promise<TokenResponse>;
  /** The cluster CA (PEM) published to namespaces and legacy token Secrets, when known. */
  caPem?: string;
}

const byCatalog = new WeakMap<Catalog, Authentication>();
const lastUsedLabel = "kubernetes.io/legacy-token-last-used";

/** Creates the services for a server (loads or creates the signing key, reads the token file). */
export function createAuthentication(catalog: Catalog, writer: ObjectWriter, options: Pick<CoreOptions, "dataDir" | "tokenAuthFile" | "caPem">): Authentication {
  const key = loadOrCreateServiceAccountKey(options.dataDir);
  const serviceAccounts = serviceAccountTokens(key, objectLookup(catalog, writer.reader), markUsed(catalog, writer));
  const authenticators: TokenAuthenticator[] = [];
  if (options.tokenAuthFile) authenticators.push(tokenFileAuthenticator(loadTokenFile(options.tokenAuthFile), apiAudiences));
  authenticators.push(serviceAccounts.authenticate);
  const union = tokenUnion(authenticators);
  const authentication: Authentication = {
    serviceAccounts,
    authenticateToken: (token, audiences = apiAudiences) => union(token, audiences),
    caPem: options.caPem,
  };
  byCatalog.set(catalog, authentication);
  return authentication;
}

/** The services created for the server that owns `catalog`. */
export function authenticationOf(catalog: Catalog): Authentication {
  const found = byCatalog.get(catalog);
  if (!found) throw new Error("authentication is not set up for this server");
  return found;
}

function objectLookup(catalog: Catalog, reader: ObjectReader): ObjectLookup {
  return (resource, namespace, name) => reader.get(catalog.lookup("", "v1", resource)!, namespace, name);
}

/** Labels a used legacy token Secret with today's date (UTC), at most once a day, as upstream tracks them. */
function markUsed(catalog: Catalog, writer: ObjectWriter): MarkUsed {
  const secrets = catalog.lookup("", "v1", "secrets")!;
  return async (secret) => {
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
    const lastUsed = secret.metadata.labels?.[lastUsedLabel];
    if (lastUsed === today || lastUsed === tomorrow) return;
    const labelled = { ...secret, metadata: { ...secret.metadata, labels: { ...secret.metadata.labels, [lastUsedLabel]: today } } };
    // A conflicting write only delays the label to the next use; authentication goes on.
    await writer.update(secrets, secret.metadata.namespace, secret.metadata.name, labelled).catch(() => {});
  };
}
