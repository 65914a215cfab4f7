// The service-account controllers kube-controller-manager runs, in one loop:
// - every active namespace gets a `default` ServiceAccount (recreated if deleted);
// - every active namespace gets the `kube-root-ca.crt` ConfigMap holding the cluster CA
//   (restored if edited or deleted);
// - Secrets of type `kubernetes.io/service-account-token` annotated with an account name get
//   a legacy token, `ca.crt` and `namespace` filled in; those whose account is gone (or was
//   replaced by one with another uid) are deleted, as are an account's tokens when it goes.
import type { Watcher } from "../../store/index.ts";
import { authenticationOf } from "../auth/authn/context.ts";
import { typePrefix } from "../registry/object-store.ts";
import { decodeObject } from "../registry/stored-form.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";
import type { Controller } from "./namespace.ts";
import type { ControllerDeps } from "./index.ts";
import { CONTROLLER_WATCH_BUFFER } from "./informer.ts";

const tokenType = "kubernetes.io/service-account-token";
const nameAnnotation = "kubernetes.io/service-account.name";
const uidAnnotation = "kubernetes.io/service-account.uid";
const rootCaName = "kube-root-ca.crt";
const rootCaDescription =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

/** Starts the default-account, root-CA publisher and legacy-token loops. */
export function startServiceAccountsController(deps: ControllerDeps, retryMs = 500): Controller {
  const { store, catalog, writer, reader } = deps;
  const types = {
    namespaces: catalog.lookup("", "v1", "namespaces")!,
    serviceaccounts: catalog.lookup("", "v1", "serviceaccounts")!,
    configmaps: catalog.lookup("", "v1", "configmaps")!,
    secrets: catalog.lookup("", "v1", "secrets")!,
  };
  const auth = authenticationOf(catalog);
  const caPem = auth.caPem;
  const queue = new Set<string>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let running = false;
  let stopped = false;

  function enqueue(task: string): void {
    if (stopped) return;
    queue.add(task);
    void drain();
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    while (queue.size && !stopped) {
      const task = queue.values().next().value as string;
      queue.delete(task);
      try {
        await sync(task);
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 404 || code === 403 || stopped) continue;
        if (code !== 409) console.error(`service-account controller: ${task.replaceAll("\n", " ")}:`, (err as Error).message);
        const timer = setTimeout(() => {
          timers.delete(timer);
          enqueue(task);
        }, retryMs);
        timers.add(timer);
      }
    }
    running = false;
  }

  async function sync(task: string): Promise<void> {
    const [kind, namespace, name, uid] = task.split("\n");
    if (kind === "namespace") return syncNamespace(namespace);
    if (kind === "secret") return syncSecret(namespace, name);
    if (kind === "account-deleted") return deleteTokensOf(namespace, name, uid);
  }

  async function syncNamespace(name: string): Promise<void> {
    const ns = await reader.get(types.namespaces, "", name);
    if (ns.metadata.deletionTimestamp || ns.status?.phase === "Terminating") return;
    if (!(await reader.getKv(types.serviceaccounts, name, "default"))) {
      await createIgnoringExists(types.serviceaccounts, name, { metadata: { name: "default" } });
    }
    if (caPem) await publishRootCa(name, caPem);
  }

  async function publishRootCa(namespace: string, pem: string): Promise<void> {
    const kv = await reader.getKv(types.configmaps, namespace, rootCaName);
    if (!kv) {
      await createIgnoringExists(types.configmaps, namespace, {
        metadata: { name: rootCaName, annotations: { "kubernetes.io/description": rootCaDescription } },
        data: { "ca.crt": pem },
      });
      return;
    }
    const cm = decodeObject(types.configmaps, kv);
    const annotations = cm.metadata.annotations ?? {};
    const dataOk = Object.keys(cm.data ?? {}).length === 1 && cm.data?.["ca.crt"] === pem;
    if (dataOk && annotations["kubernetes.io/description"] === rootCaDescription) return;
    cm.metadata.annotations = { ...annotations, "kubernetes.io/description": rootCaDescription };
    cm.data = { "ca.crt": pem };
    await writer.update(types.configmaps, namespace, rootCaName, cm);
  }

  async function syncSecret(namespace: string, name: string): Promise<void> {
    const kv = await reader.getKv(types.secrets, namespace, name);
    if (!kv) return;
    const secret = decodeObject(types.secrets, kv);
    const annotations = secret.metadata.annotations ?? {};
    const accountName = annotations[nameAnnotation];
    if (secret.type !== tokenType || !accountName || secret.metadata.deletionTimestamp) return;
    const accountKv = await reader.getKv(types.serviceaccounts, namespace, accountName);
    const account = accountKv ? decodeObject(types.serviceaccounts, accountKv) : undefined;
    if (!account || (annotations[uidAnnotation] && annotations[uidAnnotation] !== account.metadata.uid)) {
      await writer.delete(types.secrets, namespace, name, { preconditions: { uid: secret.metadata.uid } });
      return;
    }
    const data: Record<string, string> = { ...(secret.data ?? {}) };
    const wantCa = caPem ? base64(caPem) : undefined;
    const needsToken = !data.token;
    const needsCa = wantCa !== undefined && data["ca.crt"] !== wantCa;
    const needsNamespace = !data.namespace;
    if (!needsToken && !needsCa && !needsNamespace && annotations[uidAnnotation] === account.metadata.uid) return;
    if (needsToken) data.token = base64(await auth.serviceAccounts.issueLegacy(account, name));
    if (wantCa !== undefined) data["ca.crt"] = wantCa;
    if (needsNamespace) data.namespace = base64(namespace);
    secret.metadata.annotations = { ...annotations, [nameAnnotation]: accountName, [uidAnnotation]: account.metadata.uid };
    secret.data = data;
    await writer.update(types.secrets, namespace, name, secret);
  }

  async function deleteTokensOf(namespace: string, accountName: string, accountUid: string): Promise<void> {
    const secrets = await reader.list(types.secrets, namespace, {});
    for (const secret of secrets.items) {
      const annotations = secret.metadata.annotations ?? {};
      if (secret.type !== tokenType || annotations[nameAnnotation] !== accountName) continue;
      if (annotations[uidAnnotation] && annotations[uidAnnotation] !== accountUid) continue;
      await writer.delete(types.secrets, namespace, secret.metadata.name, { preconditions: { uid: secret.metadata.uid } }).catch((err) => {
        if ((err as { code?: number }).code !== 404) throw err;
      });
    }
  }

  async function createIgnoringExists(t: ResourceType, namespace: string, obj: Record<string, any>): Promise<void> {
    await writer.create(t, namespace, obj as KubeObject).catch((err) => {
      if ((err as { code?: number }).code !== 409) throw err;
    });
  }

  const watchers: Watcher[] = [];
  function follow(t: ResourceType, onEvent: (type: string, obj: KubeObject) => void): void {
    const watcher = store.watch(typePrefix(t), { fromRevision: 0, bufferSize: CONTROLLER_WATCH_BUFFER });
    watchers.push(watcher);
    (async () => {
      try {
        for await (const event of watcher) onEvent(event.type, decodeObject(t, event.kv));
      } catch (err) {
        if (!stopped) console.error("service-account controller watch ended:", (err as Error).message);
      }
    })();
  }

  follow(types.namespaces, (type, ns) => {
    if (type !== "DELETED") enqueue(`namespace\n${ns.metadata.name}`);
  });
  follow(types.serviceaccounts, (type, sa) => {
    if (type !== "DELETED") return;
    if (sa.metadata.name === "default") enqueue(`namespace\n${sa.metadata.namespace}`);
    enqueue(`account-deleted\n${sa.metadata.namespace}\n${sa.metadata.name}\n${sa.metadata.uid}`);
  });
  follow(types.configmaps, (type, cm) => {
    if (cm.metadata.name === rootCaName && type !== "ADDED") enqueue(`namespace\n${cm.metadata.namespace}`);
  });
  follow(types.secrets, (type, secret) => {
    if (type !== "DELETED" && secret.type === tokenType) enqueue(`secret\n${secret.metadata.namespace}\n${secret.metadata.name}`);
  });
  (async () => {
    for (const ns of (await reader.list(types.namespaces, "", {})).items) enqueue(`namespace\n${ns.metadata.name}`);
    for (const secret of (await reader.list(types.secrets, "", {})).items) {
      if (secret.type === tokenType) enqueue(`secret\n${secret.metadata.namespace}\n${secret.metadata.name}`);
    }
  })().catch((err) => {
    if (!stopped) console.error("service-account controller: initial list failed:", (err as Error).message);
  });

  return {
    stop() {
      stopped = true;
      for (const watcher of watchers) watcher.close();
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
