/** Wraps DER bytes in a PEM block with 64-column base64 lines. */
export function derToPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The DER bytes of every PEM block with the given label, in order. */
export function pemBlocks(pem: string, label: string): Buffer[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`, "g");
  return Array.from(pem.matchAll(pattern), (m) => Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
}

/** The DER bytes of the first PEM block with the given label; throws when there is none. */
export function pemToDer(pem: string, label = "CERTIFICATE"): Buffer {
  const [first] = pemBlocks(pem, label);
  if (!first) throw new Error(`no PEM block "${label}" found`);
  return first;
}
