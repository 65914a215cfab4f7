import { expect, test } from "bun:test";
import { canonicalIp, verifyHostname } from "./tls-identity.ts";

const cert = { subjectaltname: "IP Address:127.0.0.1, DNS:localhost, DNS:*.example.com, IP Address:0:0:0:0:0:0:0:1" };

test("names covered by the SANs pass", () => {
  for (const host of ["127.0.0.1", "::1", "[::1]", "localhost", "LOCALHOST.", "a.example.com"]) {
    expect(verifyHostname(host, cert)).toBeUndefined();
  }
});

test("a wildcard covers exactly one left-most label", () => {
  expect(verifyHostname("example.com", cert)).toBe("x509: certificate is valid for localhost, *.example.com, not example.com");
  expect(verifyHostname("a.b.example.com", cert)).toBe("x509: certificate is valid for localhost, *.example.com, not a.b.example.com");
});

test("IPs are only checked against IP SANs, names only against DNS SANs", () => {
  expect(verifyHostname("10.0.0.1", cert)).toBe("x509: certificate is valid for 127.0.0.1, 0:0:0:0:0:0:0:1, not 10.0.0.1");
  expect(verifyHostname("10.0.0.1", { subjectaltname: "DNS:10.0.0.1" })).toBe(
    "x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs",
  );
  expect(verifyHostname("localhost", { subjectaltname: "IP Address:127.0.0.1" })).toBe(
    "x509: certificate relies on legacy Common Name field, use SANs instead",
  );
  expect(verifyHostname("x", {})).toBe("x509: certificate relies on legacy Common Name field, use SANs instead");
});

test("canonicalIp", () => {
  expect(canonicalIp("::1")).toBe("0:0:0:0:0:0:0:1");
  expect(canonicalIp("fe80::1:2")).toBe("fe80:0:0:0:0:0:1:2");
  expect(canonicalIp("::ffff:1.2.3.4")).toBe("0:0:0:0:0:ffff:102:304");
  expect(canonicalIp("1.2.3.4")).toBe("1.2.3.4");
  for (const bad of ["1.2.3.256", "a::b::c", "1:2:3:4:5:6:7:8:9", "localhost", "1:2"]) expect(canonicalIp(bad)).toBeUndefined();
});
