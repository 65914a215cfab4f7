// Authentication: turns a request's credentials into a UserInfo, trying what kube-apiserver
// tries and in its order: a client certificate that chains to the cluster CA, then a bearer
// token (static token file, service-account JWTs). A request with no credentials is
// anonymous unless anonymous auth is off; presented credentials that fail are never
// anonymous: they get 401.
import { unauthorized } from "../../api/status.ts";
import type { ConnectionInfo } from "../app.ts";
import type { Store } from "../../store/index.ts";
import type { Catalog } from "../registry/catalog.ts";
import type { CoreOptions } from "../index.ts";
import { anonymousUser, type UserInfo } from "./user.ts";
import { authenticationOf } from "./authn/context.ts";
import { bearerToken } from "./authn/bearer.ts";
import { certificateUser } from "./authn/x509.ts";
import { TokenError } from "./authn/token-types.ts";

/** Options for the authenticator chain. */
export interface AuthenticatorOptions {
  anonymousAuth: boolean;
  store?: Store;
  /** The server's catalog, through which its authentication services (createAuthentication) are found. */
  catalog?: Catalog;
  options?: CoreOptions;
}

/** Resolves the caller of a request; throws a 401 Status when credentials are invalid. */
export type Authenticate = (request: Request, conn: ConnectionInfo) => Promise<UserInfo>;

/** Builds the authenticator chain. */
export function createAuthenticator(opts: AuthenticatorOptions): Authenticate {
  const services = opts.catalog ? authenticationOf(opts.catalog) : undefined;
  return async (request, conn) => {
    const certUser = certificateUser(conn);
    if (certUser) return withAuthenticatedGroup(certUser);
    const token = bearerToken(request);
    if (token !== undefined) {
      if (!services) throw unauthorized();
      try {
        return withAuthenticatedGroup((await services.authenticateToken(token)).user);
      } catch (err) {
        if (err instanceof TokenError) throw unauthorized();
        throw err;
      }
    }
    // As kube-apiserver's union of authenticators with anonymous as the fallback: a
    // certificate that failed verification is an authentication error, not anonymity.
    if (conn.peerCertificateError || !opts.anonymousAuth) throw unauthorized();
    return { ...anonymousUser, groups: [...anonymousUser.groups] };
  };
}

/** Adds system:authenticated to an authenticated user, as kube-apiserver's group adder does. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === anonymousUser.name) return user;
  if (user.groups.includes("system:authenticated") || user.groups.includes("system:unauthenticated")) return user;
  return { ...user, groups: [...user.groups, "system:authenticated"] };
}
