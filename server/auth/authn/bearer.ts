// Bearer tokens: reading `Authorization: Bearer …` and trying each token authenticator in
// turn (static token file, then service-account JWTs), as kube-apiserver's token union does.
import { TokenError, type TokenAuthenticator, type TokenResponse } from "./token-types.ts";

/** The bearer token of a request, or undefined when it carries none (then it may be anonymous). */
export function bearerToken(request: Request): string | undefined {
  const header = (request.headers.get("authorization") ?? "").trim();
  if (!header) return undefined;
  const parts = header.split(" ");
  if (parts.length < 2 || parts[0].toLowerCase() !== "bearer") return undefined;
  // "Bearer  token" (two spaces) yields an empty token: treated as no credentials, like upstream.
  return parts[1] || undefined;
}

/**
 * Tries each authenticator; the first that accepts the token wins. When none does, throws a
 * TokenError with their reasons ("invalid bearer token" when no authenticator knew the token).
 */
export function tokenUnion(authenticators: TokenAuthenticator[]): (token: string, audiences: string[]) => Promise<TokenResponse> {
  return async (token, audiences) => {
    const errors: string[] = [];
    for (const authenticate of authenticators) {
      try {
        const response = await authenticate(token, audiences);
        if (response) return response;
      } catch (err) {
        if (!(err instanceof TokenError)) throw err;
        errors.push(err.message);
      }
    }
    if (!errors.length) throw new TokenError("invalid bearer token");
    throw new TokenError(errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`);
  };
}
