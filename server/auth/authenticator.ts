// Authentication: turns a request's credentials into a UserInfo. Client certificates that
// chain to the cluster CA are accepted; requests without credentials are anonymous unless
// anonymous auth is off (401).
import { unauthorized } from "../../api/status.ts";
import type { ConnectionInfo } from "../app.ts";
import type { Store } from "../../store/index.ts";
import type { Catalog } from "../registry/catalog.ts";
import type { CoreOptions } from "../index.ts";
import { anonymousUser, userFromCertificate, type UserInfo } from "./user.ts";

/** Options for the authenticator chain. */
export interface AuthenticatorOptions {
  anonymousAuth: boolean;
  store?: Store;
  catalog?: Catalog;
  options?: CoreOptions;
}

/** Resolves the caller of a request; throws a 401 Status when credentials are invalid. */
export type Authenticate = (request: Request, conn: ConnectionInfo) => Promise<UserInfo>;

/** Builds the authenticator chain. */
export function createAuthenticator(opts: AuthenticatorOptions): Authenticate {
  return async (_request, conn) => {
    if (conn.peerCertificate) return userFromCertificate(conn.peerCertificate.commonName, conn.peerCertificate.organizations);
    if (!opts.anonymousAuth) throw unauthorized();
    return anonymousUser;
  };
}
