import { describe, expect, test } from "bun:test";
import { parseSimpleYaml } from "./simple-yaml.ts";
import { parseYamlDocument } from "./yaml.ts";

const kubectlStyle = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ+/=
    server: https://127.0.0.1:6443
    insecure-skip-tls-verify: true
  name: kind-kind
- cluster:
    server: https://[::1]:6443
    tls-server-name: kubernetes
  name: other
contexts:
- context:
    cluster: kind-kind
    namespace: "team-a"
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate: /home/me/.kube/admin.crt
    client-key: admin.key
    exec:
      apiVersion: client.authentication.k8s.io/v1
      args:
      - token
      - --cluster=kind
      command: aws-iam-authenticator
      env: []
      interactiveMode: Never
      provideClusterInfo: false
`;

const kapiStyle = `apiVersion: v1
kind: Config
clusters:
- name: kapi
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: QUJD
users:
- name: kapi-admin
  user:
    client-certificate-data: QUJD
    client-key-data: REVG
contexts:
- name: kapi
  context:
    cluster: kapi
    user: kapi-admin
    namespace: default
current-context: kapi
`;

describe("parseSimpleYaml agrees with the full parser", () => {
  test.each([
    ["kubectl's layout", kubectlStyle],
    ["kapi's layout", kapiStyle],
    ["CRLF line ends", kapiStyle.replaceAll("\n", "\r\n")],
    ["an empty value is null", "a:\nb: x\n"],
    ["nested sequences of strings", "a:\n  - x\n  - --flag=z\nb: ''\n"],
  ])("%s", (_, text) => {
    const simple = parseSimpleYaml(text);
    expect(simple).not.toBeUndefined();
    expect(simple).toEqual(parseYamlDocument(text) as never);
  });
});

describe("anything outside the subset is left to the full parser", () => {
  test.each([
    ["YAML 1.1 booleans", "a: y\n"],
    ["on/off", "a: on\n"],
    ["numbers", "a: 123\n"],
    ["octal", "a: 0755\n"],
    ["comments", "# hi\na: b\n"],
    ["trailing comments", "a: b # c\n"],
    ["flow collections", "a: [x, y]\n"],
    ["anchors and aliases", "a: &x b\nc: *x\n"],
    ["block scalars", "a: |\n  text\n"],
    ["escapes in double quotes", 'a: "x\\ny"\n'],
    ["duplicate keys", "a: b\na: c\n"],
    ["merge keys", "a:\n  <<: {}\n"],
    ["tabs", "a:\tb\n"],
    ["documents", "---\na: b\n"],
    ["a bare scalar document", "hello\n"],
    ["mis-indented lines", "a:\n    b: c\n  d: e\n"],
    ["tags", "a: !!str 1\n"],
    ["a leading dash that is a number", "a: -1\n"],
    ["a plain scalar with a colon and space", "a: b: c\n"],
  ])("%s", (_, text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });
});
