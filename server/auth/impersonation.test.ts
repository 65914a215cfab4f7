import { describe, expect, test } from "bun:test";
import { StatusError } from "../../api/status.ts";
import type { RequestInfo } from "../request-info.ts";
import { impersonate } from "./impersonation.ts";
import type { UserInfo } from "./user.ts";

const bob: UserInfo = { name: "bob", groups: ["devs", "system:authenticated"] };

/** An authorizer that allows impersonating everything except the listed resources. */
function denying(...resources: string[]) {
  const seen: RequestInfo[] = [];
  const authorize = async (_user: UserInfo, info: RequestInfo) => {
    seen.push(info);
    if (resources.includes(info.resource)) throw new StatusError(403, "Forbidden", "denied");
  };
  return { authorize, seen };
}

function request(headers: [string, string][]): Request {
  return new Request("https://kapi/api/v1/pods", { headers });
}

describe("impersonation: who the request acts as", () => {
  test("no impersonation headers: the authenticated user, nothing asked of the authorizer", async () => {
    const { authorize, seen } = denying();
    expect(await impersonate(request([]), bob, authorize)).toBe(bob);
    expect(seen).toEqual([]);
  });

  const cases: { name: string; headers: [string, string][]; user: UserInfo }[] = [
    { name: "a user gets system:authenticated", headers: [["Impersonate-User", "alice"]], user: { name: "alice", groups: ["system:authenticated"] } },
    {
      name: "a service account gets its groups",
      headers: [["Impersonate-User", "system:serviceaccount:ci:builder"]],
      user: { name: "system:serviceaccount:ci:builder", groups: ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"] },
    },
    {
      name: "given groups replace a service account's groups",
      headers: [
        ["Impersonate-User", "system:serviceaccount:ci:builder"],
        ["Impersonate-Group", "ops"],
      ],
      user: { name: "system:serviceaccount:ci:builder", groups: ["ops", "system:authenticated"] },
    },
    {
      name: "repeated groups, uid and extras (keys lower-cased and percent-decoded)",
      headers: [
        ["Impersonate-User", "alice"],
        ["Impersonate-Group", "devs"],
        ["Impersonate-Group", "ops"],
        ["Impersonate-Uid", "1234"],
        ["Impersonate-Extra-Scopes", "view"],
        ["Impersonate-Extra-Scopes", "edit"],
        ["Impersonate-Extra-Example.com%2fReason", "on call"],
      ],
      user: { name: "alice", uid: "1234", groups: ["devs", "ops", "system:authenticated"], extra: { scopes: ["view", "edit"], "example.com/reason": ["on call"] } },
    },
    {
      name: "system:authenticated is not added twice",
      headers: [
        ["Impersonate-User", "alice"],
        ["Impersonate-Group", "system:authenticated"],
      ],
      user: { name: "alice", groups: ["system:authenticated"] },
    },
    {
      name: "nor when system:unauthenticated was asked for",
      headers: [
        ["Impersonate-User", "alice"],
        ["Impersonate-Group", "system:unauthenticated"],
      ],
      user: { name: "alice", groups: ["system:unauthenticated"] },
    },
    { name: "system:anonymous gets system:unauthenticated", headers: [["Impersonate-User", "system:anonymous"]], user: { name: "system:anonymous", groups: ["system:unauthenticated"] } },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      expect(await impersonate(request(c.headers), bob, denying().authorize)).toEqual(c.user);
    });
  }

  test("each target is authorized with verb impersonate, in upstream's order and attributes", async () => {
    const { authorize, seen } = denying();
    const headers: [string, string][] = [
      ["Impersonate-Uid", "1234"],
      ["Impersonate-Extra-Scopes", "view"],
      ["Impersonate-Group", "devs"],
      ["Impersonate-User", "system:serviceaccount:ci:builder"],
    ];
    await impersonate(request(headers), bob, authorize);
    const attrs = seen.map((i) => [i.verb, i.apiGroup, i.resource, i.subresource, i.namespace, i.name]);
    expect(attrs).toEqual([
      ["impersonate", "", "serviceaccounts", "", "ci", "builder"],
      ["impersonate", "", "groups", "", "", "devs"],
      ["impersonate", "authentication.k8s.io", "userextras", "scopes", "", "view"],
      ["impersonate", "authentication.k8s.io", "uids", "", "", "1234"],
    ]);
  });
});

describe("impersonation refused", () => {
  const denials: { name: string; denied: string; headers: [string, string][]; message: string }[] = [
    {
      name: "users",
      denied: "users",
      headers: [["Impersonate-User", "alice"]],
      message: 'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    },
    {
      name: "service accounts (in their namespace)",
      denied: "serviceaccounts",
      headers: [["Impersonate-User", "system:serviceaccount:ci:builder"]],
      message: 'serviceaccounts "builder" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ci"',
    },
    {
      name: "groups",
      denied: "groups",
      headers: [
        ["Impersonate-User", "alice"],
        ["Impersonate-Group", "system:masters"],
      ],
      message: 'groups "system:masters" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope',
    },
    {
      name: "uids",
      denied: "uids",
      headers: [
        ["Impersonate-User", "alice"],
        ["Impersonate-Uid", "1234"],
      ],
      message: 'uids.authentication.k8s.io "1234" is forbidden: User "bob" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
    },
    {
      name: "user extras",
      denied: "userextras",
      headers: [
        ["Impersonate-User", "alice"],
        ["Impersonate-Extra-Scopes", "view"],
      ],
      message: 'userextras.authentication.k8s.io "view" is forbidden: User "bob" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
    },
  ];
  for (const d of denials) {
    test(`${d.name} → 403 with upstream wording`, async () => {
      const err = await impersonate(request(d.headers), bob, denying(d.denied).authorize).catch((e) => e);
      expect(err).toBeInstanceOf(StatusError);
      expect(err.status).toMatchObject({ code: 403, reason: "Forbidden", message: d.message });
    });
  }

  test("groups, uid or extras without a user → 400", async () => {
    const headers: [string, string][] = [
      ["Impersonate-Group", "devs"],
      ["Impersonate-Uid", "1234"],
    ];
    const err = await impersonate(request(headers), bob, denying().authorize).catch((e) => e);
    expect(err.status).toMatchObject({ code: 400, reason: "BadRequest", message: "requested [{Group  devs    } {UID  1234  authentication.k8s.io/v1  }] without impersonating a user" });
  });
});
