// The authenticated identity every request carries after the authentication filter.

/** user.Info: who made the request. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The identity of requests that present no credentials. */
export const anonymousUser: UserInfo = { name: "system:anonymous", groups: ["system:unauthenticated"] };

/** A user from a client certificate: CN is the name, each O a group. */
export function userFromCertificate(commonName: string, organizations: string[]): UserInfo {
  const groups = [...organizations];
  if (!groups.includes("system:authenticated")) groups.push("system:authenticated");
  return { name: commonName, groups };
}
