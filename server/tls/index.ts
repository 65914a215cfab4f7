// Public surface of the TLS layer: certificates, the cluster PKI, kubeconfigs, the HTTPS listener.
export { parseCertificate, type CertificateInfo } from "./cert-info.ts";
export {
  renderAdminKubeconfig,
  renderKubeconfig,
  writeAdminKubeconfig,
  writeKubeconfig,
  type AdminKubeconfigSpec,
  type KubeconfigCredentials,
  type KubeconfigSpec,
} from "./kubeconfig.ts";
export {
  startTlsListener,
  type ConnectionFetch,
  type ConnectionInfo,
  type PeerCertificate,
  type TlsListener,
  type TlsListenerOptions,
} from "./listener.ts";
export { loadOrCreatePki, servingNames, type Pki, type PkiOptions } from "./pki.ts";
export {
  createCa,
  issueClientCert,
  issueServingCert,
  type CertKeyPair,
  type ClientCertSpec,
  type ServingCertSpec,
} from "./x509.ts";
