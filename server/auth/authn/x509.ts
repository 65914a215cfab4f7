// x509 client certificates. The TLS listener has already verified the chain against the
// cluster CA; the subject's CN is the user name and each O a group.
import type { ConnectionInfo } from "../../app.ts";
import type { UserInfo } from "../user.ts";

/** The user of a verified client certificate; null without one or when CN is empty. */
export function certificateUser(conn: ConnectionInfo): UserInfo | null {
  const cert = conn.peerCertificate;
  if (!cert || !cert.commonName) return null;
  return { name: cert.commonName, groups: [...cert.organizations] };
}
