// The pod the benchmarks create: realistic (~2 KB), with labels, annotations, two containers,
// env, resources, ports, probes and volumes; `i` varies names, labels and images.

/** A realistic pod of about 2 KB: labels, annotations, two containers with env, resources, ports. */
export function podBody(i: number, namespace = "bench"): string {
  const name = `bench-pod-${i}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace,
      labels: {
        app: `bench-app-${i % 20}`,
        tier: i % 3 === 0 ? "frontend" : "backend",
        "app.kubernetes.io/name": "bench",
        "app.kubernetes.io/instance": `bench-${i % 50}`,
        "app.kubernetes.io/version": "1.4.2",
        "pod-template-hash": (0x5f3c9a1 + i * 7919).toString(16).slice(-10),
      },
      annotations: {
        "kubectl.kubernetes.io/default-container": "app",
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9102",
        "bench.kapi.dev/description": `pod ${i} of the kapi server benchmark, with an annotation long enough to be realistic`,
      },
    },
    spec: {
      containers: [
        {
          name: "app",
          image: `registry.example.com/team/bench-app:v1.${i % 40}.0`,
          command: ["/app/server"],
          args: ["--listen=:8080", "--metrics=:9102", "--log-level=info"],
          env: [
            { name: "POD_INDEX", value: String(i) },
            { name: "LOG_FORMAT", value: "json" },
            { name: "DATABASE_URL", value: "postgres://bench:bench@db.bench.svc.cluster.local:5432/bench" },
            { name: "CACHE_TTL_SECONDS", value: "300" },
          ],
          ports: [
            { name: "http", containerPort: 8080, protocol: "TCP" },
            { name: "metrics", containerPort: 9102, protocol: "TCP" },
          ],
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
          readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 },
          volumeMounts: [
            { name: "config", mountPath: "/etc/bench", readOnly: true },
            { name: "logs", mountPath: "/var/log/app" },
          ],
          imagePullPolicy: "IfNotPresent",
        },
        {
          name: "sidecar",
          image: "registry.example.com/infra/log-shipper:2.3.1",
          args: ["--input=/var/log/app", "--output=stdout"],
          env: [
            { name: "SHIPPER_BUFFER", value: "8MiB" },
            { name: "SHIPPER_NODE", value: "bench-node" },
          ],
          ports: [{ name: "admin", containerPort: 2020, protocol: "TCP" }],
          resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        },
      ],
      volumes: [
        { name: "config", configMap: { name: "bench-config" } },
        { name: "logs", emptyDir: {} },
      ],
      nodeSelector: { "kubernetes.io/os": "linux" },
      tolerations: [{ key: "bench.kapi.dev/dedicated", operator: "Equal", value: "bench", effect: "NoSchedule" }],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      serviceAccountName: "default",
    },
  });
}
