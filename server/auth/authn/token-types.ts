// Shared shapes of the bearer-token authenticators.
import type { UserInfo } from "../user.ts";

/** A token that was recognised and accepted, and the audiences it was accepted for. */
export interface TokenResponse {
  user: UserInfo;
  audiences: string[];
}

/**
 * A token that was recognised but rejected. The message is what TokenReview reports in
 * `status.error`; request authentication only ever answers 401 "Unauthorized".
 */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenError";
  }
}

/** Authenticates one bearer token for the given audiences; null when the token is unknown. */
export type TokenAuthenticator = (token: string, audiences: string[]) => Promise<TokenResponse | null>;
