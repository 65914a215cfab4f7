import { describe, expect, spyOn, test } from "bun:test";
import { parseTokenFile, tokenFileAuthenticator } from "./token-file.ts";

describe("token file (kube-apiserver CSV)", () => {
  const cases: { name: string; text: string; tokens: Record<string, { name: string; uid: string; groups: string[] }> }[] = [
    { name: "three columns", text: "t1,alice,u1\n", tokens: { t1: { name: "alice", uid: "u1", groups: [] } } },
    { name: "a quoted group list", text: 't1,alice,u1,"a,b,c"\n', tokens: { t1: { name: "alice", uid: "u1", groups: ["a", "b", "c"] } } },
    { name: "one unquoted group, extra columns ignored", text: "t1,alice,u1,ops,ignored\n", tokens: { t1: { name: "alice", uid: "u1", groups: ["ops"] } } },
    { name: "CRLF, blank lines and no final newline", text: "t1,alice,u1\r\n\r\nt2,bob,u2", tokens: { t1: { name: "alice", uid: "u1", groups: [] }, t2: { name: "bob", uid: "u2", groups: [] } } },
    { name: "escaped quotes in a field", text: 't1,"al""ice",u1\n', tokens: { t1: { name: 'al"ice', uid: "u1", groups: [] } } },
    { name: "a later duplicate wins", text: "t1,alice,u1\nt1,bob,u2\n", tokens: { t1: { name: "bob", uid: "u2", groups: [] } } },
    { name: "an empty token is skipped", text: ",alice,u1\nt2,bob,u2\n", tokens: { t2: { name: "bob", uid: "u2", groups: [] } } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const warn = spyOn(console, "warn").mockImplementation(() => {});
      expect(Object.fromEntries(parseTokenFile(c.text, "tokens.csv"))).toEqual(c.tokens);
      warn.mockRestore();
    });
  }

  test("fewer than three columns stops the server from starting", () => {
    expect(() => parseTokenFile("t1,alice\n", "/etc/tokens.csv")).toThrow("token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2");
  });

  test("a bare quote is a parse error", () => {
    expect(() => parseTokenFile('t1,al"ice,u1\n', "tokens.csv")).toThrow('bare " in non-quoted-field');
  });

  test("the authenticator answers only for the API audiences", async () => {
    const authenticate = tokenFileAuthenticator(parseTokenFile("t1,alice,u1,ops\n"), ["api"]);
    expect(await authenticate("t1", ["api"])).toEqual({ user: { name: "alice", uid: "u1", groups: ["ops"] }, audiences: ["api"] });
    expect(await authenticate("t1", ["vault"])).toBeNull();
    expect(await authenticate("t2", ["api"])).toBeNull();
  });
});
