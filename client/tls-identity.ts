// Server-certificate name checking with Go's crypto/x509 rules (what kubectl applies): SANs
// only, never the Common Name; `*` only as the whole left-most label; IPs only against IP
// SANs. Written here rather than taken from node:tls because importing node:tls costs ~15 ms
// of start-up, and because the failure must be worded as Go words it.

/** The part of a peer certificate the check needs (node's `subjectaltname` format). */
export interface PeerNames {
  subjectaltname?: string;
}

/** Returns Go's error text when `host` is not covered by the certificate, else undefined. */
export function verifyHostname(host: string, cert: PeerNames): string | undefined {
  const sans = (cert.subjectaltname ?? "").split(/,\s*/).filter(Boolean);
  const dnsNames = sans.filter((s) => s.startsWith("DNS:")).map((s) => s.slice(4));
  const ips = sans.filter((s) => s.startsWith("IP Address:")).map((s) => s.slice(11));
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  const hostIp = canonicalIp(bare);
  if (hostIp) {
    if (ips.some((ip) => canonicalIp(ip) === hostIp)) return undefined;
    if (ips.length === 0) return `x509: cannot validate certificate for ${bare} because it doesn't contain any IP SANs`;
    return `x509: certificate is valid for ${ips.join(", ")}, not ${bare}`;
  }
  if (dnsNames.some((pattern) => matchHostname(pattern, bare))) return undefined;
  if (dnsNames.length === 0) return "x509: certificate relies on legacy Common Name field, use SANs instead";
  return `x509: certificate is valid for ${dnsNames.join(", ")}, not ${bare}`;
}

function matchHostname(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().split(".");
  const h = host.toLowerCase().replace(/\.$/, "").split(".");
  if (p.length !== h.length || pattern === "" || host === "") return false;
  return p.every((part, i) => (i === 0 && part === "*" && h[0] !== "") || part === h[i]);
}

/** IPv4 dotted quad or IPv6 as eight lower-case hex groups; undefined for anything else. */
export function canonicalIp(s: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split(".").map(Number);
    return parts.every((n) => n <= 255) ? parts.join(".") : undefined;
  }
  if (!s.includes(":") || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const q = v4[1]!.split(".").map(Number);
    if (q.some((n) => n > 255)) return undefined;
    text = `${text.slice(0, v4.index)}${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  if (halves.length === 1 ? head.length !== 8 : head.length + rest.length > 7) return undefined;
  const groups = [...head, ...Array<string>(8 - head.length - rest.length).fill("0"), ...rest];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16).toString(16)).join(":");
}
