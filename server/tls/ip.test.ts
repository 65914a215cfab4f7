import { expect, test } from "bun:test";
import { bytesToIp, ipToBytes } from "./ip.ts";

test("IP literals convert to SAN bytes and back", () => {
  expect(ipToBytes("10.0.0.1")!.toString("hex")).toBe("0a000001");
  expect(ipToBytes("::1")!.toString("hex")).toBe("00000000000000000000000000000001");
  expect(ipToBytes("[fe80::1:2]")!.toString("hex")).toBe("fe800000000000000000000000010002");
  expect(ipToBytes("::ffff:192.0.2.1")!.toString("hex")).toBe("00000000000000000000ffffc0000201");
  expect(ipToBytes("2001:db8::")!.toString("hex")).toBe("20010db8000000000000000000000000");
  expect(ipToBytes("1:2:3:4:5:6:7:8")!.toString("hex")).toBe("00010002000300040005000600070008");
  for (const bad of ["localhost", "1.2.3", "fe80::1%eth0", "", "1::2::3"]) expect(ipToBytes(bad)).toBeUndefined();
  for (const ip of ["::1", "::", "fe80::1:2", "2001:db8::", "1:0:0:2::3", "1:2:3:4:5:6:7:8", "127.0.0.1"]) {
    expect(bytesToIp(ipToBytes(ip)!)).toBe(ip);
  }
});
