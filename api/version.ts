// Version facts both halves report.

/** kapi's own release. */
export const kapiVersion = "0.1.0";

/** The Kubernetes API version kapi serves and speaks (kube-apiserver 1.33 behaviour). */
export const kubeMajor = "1";
export const kubeMinor = "33";

/** `v1.33.0+kapi.0.1.0`-style gitVersion, as /version and `kapi version` report it. */
export const gitVersion = `v${kubeMajor}.${kubeMinor}.0+kapi.${kapiVersion}`;
