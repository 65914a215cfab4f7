/** Whether a kubeconfig proxy-url is a SOCKS5 proxy (which fetch cannot use directly). */
export function isSocks5(proxyUrl: string | undefined): boolean {
  return Boolean(proxyUrl && /^socks5h?:\/\//i.test(proxyUrl));
}
