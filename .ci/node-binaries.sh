#!/usr/bin/env bash
# Provides what e2e/node.sh needs beyond .ci/kube-binaries.sh to run a real node: kubelet,
# kube-controller-manager, kube-scheduler and kube-proxy (from the k8s.io/kubernetes Go module,
# built exactly as kube-binaries.sh builds kube-apiserver), CoreDNS and the helm CLI (from their
# Go modules) and the pause binary of the pod sandbox (gcc -static from the C file inside the
# k8s.io/kubernetes module). Everything comes through the Go module proxy; nothing else is
# downloaded.
#
# They go beside kube-apiserver, etcd and kubectl in
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<version>-linux-amd64/
# A second run finds them and takes a second; building takes about 8 minutes on 2 cores.
set -euo pipefail
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KUBE_VERSION="${KUBE_VERSION:-1.34.4}"
COREDNS_VERSION="${COREDNS_VERSION:-1.14.7}"
HELM_VERSION="${HELM_VERSION:-3.19.5}"
dest="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${KUBE_VERSION}-linux-amd64"
work="${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-kube-build"

k8s_bins=(kubelet kube-controller-manager kube-scheduler kube-proxy)

have_k8s() {
  local b
  for b in "${k8s_bins[@]}"; do
    [ -x "$dest/$b" ] && [ "$("$dest/$b" --version 2>/dev/null)" = "Kubernetes v${KUBE_VERSION}" ] || return 1
  done
}
have_pause() { [ -x "$dest/pause" ] && [ -f "$dest/pause.version" ] && grep -qx "v${KUBE_VERSION}" "$dest/pause.version"; }
# (Output captured first: with pipefail, a reader that closes the pipe early (grep -q, head)
# would fail the check by timing; see dbb_first_line in lib.sh.)
have_coredns() { [ -x "$dest/coredns" ] && [[ "$("$dest/coredns" -version 2>/dev/null)" == "CoreDNS-${COREDNS_VERSION}"* ]]; }
have_helm() { [ -x "$dest/helm" ] && [[ "$("$dest/helm" version --short 2>/dev/null)" == "v${HELM_VERSION}"* ]]; }

if have_k8s && have_pause && have_coredns && have_helm; then
  echo "node-binaries: ${k8s_bins[*]} and pause v${KUBE_VERSION}, CoreDNS ${COREDNS_VERSION}, helm v${HELM_VERSION} already in $dest"
  exit 0
fi
command -v go >/dev/null || { echo "node-binaries: Go is needed to build the Kubernetes node binaries" >&2; exit 1; }
mkdir -p "$dest"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

minor="${KUBE_VERSION#*.}"; minor="${minor%%.*}"
patch="${KUBE_VERSION##*.}"

# The k8s.io/kubernetes module as a dependency: its staging modules (k8s.io/api, client-go, ...)
# are replaced by ./staging paths in its own go.mod; a consumer points each at its published
# v0.x.y instead (the same as .ci/kube-binaries.sh).
k8s_module() {
  mkdir -p "$work/k8s-node"
  cd "$work/k8s-node"
  cat > go.mod <<MOD
module dbbinding.io/kube-node-binaries

go 1.24
MOD
  local k8s_mod
  k8s_mod="$(go mod download -json "k8s.io/kubernetes@v${KUBE_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
  {
    echo "require k8s.io/kubernetes v${KUBE_VERSION}"
    echo "replace ("
    grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging/src/k8s.io/[a-z0-9-]+' "$k8s_mod" |
      awk -v v="v0.${minor}.${patch}" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } >> go.mod
  go mod download k8s.io/kubernetes
}

if ! have_k8s || ! have_pause; then
  echo "node-binaries: building ${k8s_bins[*]} and pause v${KUBE_VERSION} into $dest (about 4 minutes)"
  k8s_module
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${KUBE_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/client-go/pkg/version.gitVersion=v${KUBE_VERSION} -X k8s.io/component-base/version.gitTreeState=clean"
  for b in "${k8s_bins[@]}"; do
    go build -trimpath -ldflags "$ldflags" -o "$dest/$b" "k8s.io/kubernetes/cmd/$b"
  done
  # The pod sandbox's process: reaps zombies and waits for a signal.
  src="$(go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"
  command -v gcc >/dev/null || { echo "node-binaries: gcc is needed to build the pause binary" >&2; exit 1; }
  gcc -Os -Wall -Werror -static -DVERSION="v${KUBE_VERSION}-dbbinding" -o "$dest/pause" "$src"
  strip "$dest/pause"
  echo "v${KUBE_VERSION}" > "$dest/pause.version"
fi

if ! have_coredns; then
  echo "node-binaries: building CoreDNS ${COREDNS_VERSION} (about 3 minutes)"
  mkdir -p "$work/coredns" && cd "$work/coredns"
  cat > go.mod <<MOD
module dbbinding.io/coredns-binary

go 1.25.0

require github.com/coredns/coredns v${COREDNS_VERSION}
MOD
  go build -trimpath -ldflags "-s -w" -o "$dest/coredns" github.com/coredns/coredns
fi

if ! have_helm; then
  echo "node-binaries: building helm v${HELM_VERSION} (about 2 minutes)"
  mkdir -p "$work/helm" && cd "$work/helm"
  cat > go.mod <<MOD
module dbbinding.io/helm-binary

go 1.24.0

require helm.sh/helm/v3 v${HELM_VERSION}
MOD
  go build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v${HELM_VERSION}" \
    -o "$dest/helm" helm.sh/helm/v3/cmd/helm
fi

for check in have_k8s have_pause have_coredns have_helm; do
  $check || { echo "node-binaries: $check failed after the build: a binary does not report its expected version" >&2; exit 1; }
done
"$dest/kubelet" --version
dbb_first_line "$dest/coredns" -version
"$dest/helm" version --short
echo "node-binaries: done"
