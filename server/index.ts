// `kapi serve`: opens the store, loads or creates the PKI, bootstraps the cluster objects,
// starts the controllers and the HTTPS listener, and writes the admin kubeconfig.
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { openSqliteStore, type Store } from "../store/index.ts";
import { createApp, type App } from "./app.ts";
import { defaultCatalog } from "./registry/catalog.ts";
import { ObjectReader } from "./registry/object-store.ts";
import { ObjectWriter } from "./registry/object-writer.ts";
import { WatchHub, type WatchSettings } from "./handlers/watch.ts";
import { serviceAllocator } from "./allocator.ts";
import { namespaceLifecycle } from "./namespace-guard.ts";
import { bootstrap } from "./bootstrap.ts";
import { startControllers } from "./controllers/index.ts";
import { runtimeNames } from "./node/runtime-names.ts";
import { createAuthenticator } from "./auth/authenticator.ts";
import { createAuthentication } from "./auth/authn/context.ts";
import { createAuthorizer } from "./auth/authorizer.ts";
import { startRbac } from "./auth/rbac/index.ts";
import { loadOrCreatePki } from "./tls/pki.ts";
import { startTlsListener } from "./tls/listener.ts";
import { writeAdminKubeconfig } from "./tls/kubeconfig.ts";

/** Options of `kapi serve`. */
export interface ServeOptions {
  dataDir: string;
  address: string;
  port: number;
  tlsSans: string[];
  runtime?: string;
  anonymousAuth?: boolean;
  tokenAuthFile?: string;
  nodeName?: string;
  /** Print the how-to-connect banner (the CLI does; tests do not). */
  quiet?: boolean;
  watch?: Partial<WatchSettings>;
}

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  close(): Promise<void>;
}

/** The in-process core of a server: store, app and controllers, with no listener. */
export interface ServerCore {
  app: App;
  store: Store;
  watches: WatchHub;
  close(): Promise<void>;
}

/** Options of the in-process server core. */
export interface CoreOptions {
  /** Where keys and node files live; in-memory tests pass a temporary directory. */
  dataDir?: string;
  anonymousAuth?: boolean;
  tokenAuthFile?: string;
  /** The built-in node's name (the host name, lower-cased, by default). */
  nodeName?: string;
  /** `process` or `simulated`: runs the scheduler, workload controllers and node; unset or `none`: API only. */
  runtime?: string;
  serverAddress: string;
  endpoint: { ip: string; port: number };
  /** The cluster CA (PEM), published to pods and service-account tokens. */
  caPem?: string;
  watch?: Partial<WatchSettings>;
}

/** Builds the API server over a store (used by startServer and by in-process tests). */
export async function createServerCore(store: Store, opts: CoreOptions): Promise<ServerCore> {
  const catalog = defaultCatalog();
  const reader = new ObjectReader(store);
  const writer = new ObjectWriter(store, serviceAllocator(catalog, reader), namespaceLifecycle(catalog, reader));
  const watches = new WatchHub(store, opts.watch);
  await bootstrap(catalog, writer, opts.endpoint);
  createAuthentication(catalog, writer, opts);
  const rbac = await startRbac(store, catalog, writer);
  const options = { ...opts, nodeName: opts.nodeName ?? hostname().toLowerCase() };
  const controllers = await startControllers({ store, catalog, writer, reader, options });
  let ready = true;
  const app = createApp({
    catalog,
    reader,
    writer,
    watches,
    serverAddress: opts.serverAddress,
    authenticate: createAuthenticator({ anonymousAuth: opts.anonymousAuth ?? true, store, catalog, options: opts }),
    authorize: createAuthorizer(rbac),
    healthChecks: [
      { name: "ping", check: () => true },
      { name: "log", check: () => true },
      { name: "etcd", check: () => ready },
      { name: "poststarthook/bootstrap-controller", check: () => true },
      { name: "shutdown", check: () => ready, readinessOnly: true },
    ],
  });
  return {
    app,
    store,
    watches,
    async close() {
      ready = false;
      await Promise.all(controllers.map((c) => c.stop()));
      rbac.stop();
      watches.closeAll();
    },
  };
}

/** Starts `kapi serve` and resolves once it is ready to serve. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const runtime = options.runtime ?? "process";
  if (![...runtimeNames, "none"].includes(runtime)) throw new Error(`unknown runtime "${runtime}" (supported: ${[...runtimeNames, "none"].join(", ")})`);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const store = await openSqliteStore(join(options.dataDir, "kapi.db"));
  const pki = loadOrCreatePki(options.dataDir, { sans: options.tlsSans });
  let core: ServerCore | undefined;
  const listener = await startTlsListener({
    address: options.address,
    port: options.port,
    pki,
    fetch: (request, conn) => (core ? core.app.fetch(request, conn) : new Response("starting", { status: 503 })),
  });
  const host = options.address === "0.0.0.0" || options.address === "::" ? "127.0.0.1" : options.address;
  core = await createServerCore(store, {
    dataDir: options.dataDir,
    anonymousAuth: options.anonymousAuth,
    tokenAuthFile: options.tokenAuthFile,
    nodeName: options.nodeName,
    runtime,
    caPem: pki.ca.certPem,
    serverAddress: `${host}:${listener.port}`,
    endpoint: { ip: host.includes(":") ? "127.0.0.1" : host, port: listener.port },
    watch: options.watch,
  });
  const kubeconfigPath = join(options.dataDir, "admin.kubeconfig");
  writeAdminKubeconfig(kubeconfigPath, { serverUrl: listener.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
  if (!options.quiet) {
    console.log(`kapi serving on ${listener.url}`);
    console.log(`admin kubeconfig: ${kubeconfigPath}`);
    console.log(`  export KUBECONFIG=${kubeconfigPath}`);
    console.log(`  kubectl get namespaces`);
  }
  return {
    url: listener.url,
    port: listener.port,
    kubeconfigPath,
    async close() {
      await core?.close();
      await listener.close();
      await store.close();
    },
  };
}
