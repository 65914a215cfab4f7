import { isIPv4, isIPv6 } from "node:net";

/** The 4- or 16-byte form of an IP literal (brackets allowed around IPv6), or undefined. */
export function ipToBytes(text: string): Buffer | undefined {
  const ip = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  if (!isIPv6(ip) || ip.includes("%")) return undefined;
  let head = ip;
  let tailV4: number[] = [];
  const lastColon = ip.lastIndexOf(":");
  if (ip.slice(lastColon + 1).includes(".")) {
    tailV4 = ip.slice(lastColon + 1).split(".").map(Number);
    head = ip.slice(0, lastColon + 1) + "0:0";
  }
  const [left, right] = head.split("::") as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").filter((g) => g !== "") : []);
  const leftGroups = parse(left);
  const rightGroups = parse(right);
  const fill = right === undefined ? [] : Array(8 - leftGroups.length - rightGroups.length).fill("0");
  const groups = [...leftGroups, ...fill, ...rightGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  if (tailV4.length === 4) Buffer.from(tailV4).copy(bytes, 12);
  return bytes;
}

/** Formats 4 or 16 address bytes (IPv6 in RFC 5952 compressed form). */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  if (bytes.length !== 16) return Buffer.from(bytes).toString("hex");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLength).join(":");
}
