#!/usr/bin/env bash
# Builds a real kube-apiserver (v1.20, Debian bookworm's `kubernetes` source package) with
# Debian's Go 1.19, offline from Debian's archive, and installs it with etcd 3.4 beside it,
# so that the client half can be checked against a real server (tests/real-apiserver).
# The result is cached outside the repository: $KAPI_KUBE_DIR (default ~/.cache/kapi/kube-1.20).
# Needs root for apt-get. Takes about 6-10 minutes on 2 cores the first time.
set -euo pipefail
out="${KAPI_KUBE_DIR:-$HOME/.cache/kapi/kube-1.20}"
if [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ]; then
  echo "kube-apiserver already built in $out"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs "deb-src" /etc/apt/sources.list.d/ /etc/apt/sources.list; then
  cat > /etc/apt/sources.list.d/kapi-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
apt-get update -qq
apt-get install -y -qq dpkg-dev golang-1.19-go golang-github-modern-go-reflect2-dev etcd-server rsync >/dev/null

work=$(mktemp -d /tmp/kube-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source -qq kubernetes >/dev/null 2>&1 || apt-get source kubernetes
src=$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -1)
[ -n "$src" ] || { echo "kubernetes source not found" >&2; exit 1; }
# The vendored reflect2 crashes under Go >= 1.18 on the first CRD create; Debian's copy does not.
rm -rf "$src/vendor/github.com/modern-go/reflect2"
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "$src/vendor/github.com/modern-go/reflect2"

# GOPATH mode, as the 1.20 build expects; make runs the code generators (OpenAPI
# definitions) before compiling. The version comes from the package, not from git.
mkdir -p gopath/src/k8s.io
mv "$src" gopath/src/k8s.io/kubernetes
export GOPATH="$work/gopath" GO111MODULE=off GOPROXY=off CGO_ENABLED=0
export PATH="/usr/lib/go-1.19/bin:$PATH"
export KUBE_GIT_VERSION=v1.20.2 KUBE_GIT_TREE_STATE=clean KUBE_GIT_MAJOR=1 KUBE_GIT_MINOR=20
cd gopath/src/k8s.io/kubernetes
make WHAT=cmd/kube-apiserver
cp "$(find _output -type f -name kube-apiserver -perm -u+x | head -1)" "$work/kube-apiserver"

mkdir -p "$out"
install -m 0755 "$work/kube-apiserver" "$out/kube-apiserver"
ln -sf "$(command -v etcd)" "$out/etcd"
"$out/kube-apiserver" --version
