#!/usr/bin/env bash
# Provides kube-apiserver, etcd and kubectl for fabric8's kube-api-test in offline mode, built
# from their Go modules through the Go module proxy (no other download is possible on our CI).
#
# kube-api-test (io.fabric8:kube-api-test) looks for the three binaries in
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}
# and, with KUBE_API_TEST_OFFLINE_MODE=true (the tests set it), never downloads anything.
#
# A second run finds the binaries and takes a second. Building takes about 5 minutes on 2 cores.
set -euo pipefail
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KUBE_VERSION="${KUBE_VERSION:-1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.4}"
dest="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${KUBE_VERSION}-linux-amd64"
work="${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-kube-build"

have() {
  [ -x "$dest/kube-apiserver" ] && [ -x "$dest/etcd" ] && [ -x "$dest/kubectl" ] &&
    [[ "$("$dest/kube-apiserver" --version 2>/dev/null)" == *"v${KUBE_VERSION}"* ]] &&
    "$dest/etcd" --version >/dev/null 2>&1
}

if have; then
  echo "kube-binaries: kube-apiserver, etcd and kubectl v${KUBE_VERSION} already in $dest"
  exit 0
fi
command -v go >/dev/null || { echo "kube-binaries: Go is needed to build the Kubernetes test binaries" >&2; exit 1; }

echo "kube-binaries: building kube-apiserver, kubectl v${KUBE_VERSION} and etcd v${ETCD_VERSION} into $dest (about 5 minutes)"
mkdir -p "$dest" "$work/k8s" "$work/etcd"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

# Kubernetes: its staging modules (k8s.io/api, client-go, ...) are replaced by ./staging paths in
# k8s.io/kubernetes' own go.mod; a consumer must point each at its published v0.x.y instead.
minor="${KUBE_VERSION#*.}"; minor="${minor%%.*}"
patch="${KUBE_VERSION##*.}"
staging_version="v0.${minor}.${patch}"
cd "$work/k8s"
cat > go.mod <<MOD
module dbbinding.io/kube-binaries

go 1.24
MOD
k8s_mod="$(go mod download -json "k8s.io/kubernetes@v${KUBE_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
{
  echo "require k8s.io/kubernetes v${KUBE_VERSION}"
  echo "replace ("
  grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging/src/k8s.io/[a-z0-9-]+' "$k8s_mod" |
    awk -v v="$staging_version" '{print "\t" $1 " => " $1 " " v}'
  echo ")"
} >> go.mod
go mod download k8s.io/kubernetes

ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${KUBE_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/client-go/pkg/version.gitVersion=v${KUBE_VERSION} -X k8s.io/component-base/version.gitTreeState=clean"
go build -trimpath -ldflags "$ldflags" -o "$dest/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
go build -trimpath -ldflags "$ldflags" -o "$dest/kubectl" k8s.io/kubernetes/cmd/kubectl

# etcd: the server module's root package is etcd's main.
cd "$work/etcd"
cat > go.mod <<MOD
module dbbinding.io/etcd-binary

go 1.24

require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}
MOD
go build -trimpath -ldflags "-s -w" -o "$dest/etcd" go.etcd.io/etcd/server/v3

if ! have; then
  echo "kube-binaries: the binaries were built but do not report v${KUBE_VERSION}" >&2
  exit 1
fi
"$dest/kube-apiserver" --version
dbb_first_line "$dest/etcd" --version
echo "kube-binaries: done"
