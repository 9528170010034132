#!/usr/bin/env bash
# Provides promtool for the chart's alert-rule unit tests (PrometheusRuleTest runs
# `promtool test rules`), built from the Prometheus Go module through the Go module proxy (no other
# download is possible on our CI).
#
# Prometheus 3.x releases are tagged v0.3xx.y on the Go module path (3.16.0 is v0.316.0).
# The binary goes to ${PROMTOOL_DIR:-$HOME/.cache/dbbinding-promtool}/<version>/promtool, where
# the test looks for it (or at $PROMTOOL). A second run finds it and takes a second.
set -euo pipefail
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROMETHEUS_MODULE_VERSION="${PROMETHEUS_MODULE_VERSION:-v0.316.0}"
dest="${PROMTOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-promtool}/${PROMETHEUS_MODULE_VERSION}"
work="${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-promtool-build"

if [ -x "$dest/promtool" ] && "$dest/promtool" --version >/dev/null 2>&1; then
  echo "promtool: $(dbb_first_line "$dest/promtool" --version) already in $dest"
  exit 0
fi
command -v go >/dev/null || { echo "promtool: Go is needed to build promtool" >&2; exit 1; }

echo "promtool: building github.com/prometheus/prometheus/cmd/promtool@${PROMETHEUS_MODULE_VERSION} into $dest (a few minutes)"
mkdir -p "$dest" "$work"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
cd "$work"
cat > go.mod <<MOD
module dbbinding.io/promtool-binary

go 1.24

require github.com/prometheus/prometheus ${PROMETHEUS_MODULE_VERSION}
MOD
rm -f go.sum
go mod download github.com/prometheus/prometheus
# The module's own go.mod may ask for a newer go line; let the go command settle the graph.
go get "github.com/prometheus/prometheus/cmd/promtool@${PROMETHEUS_MODULE_VERSION}"
# The module tag v0.316.0 is Prometheus 3.16.0: say so in `promtool --version`.
minor="${PROMETHEUS_MODULE_VERSION#v0.}"; minor="${minor%%.*}"
release="${minor:0:1}.$((10#${minor:1})).${PROMETHEUS_MODULE_VERSION##*.}"
# remove_all_sd: no service-discovery plugins (AWS, Azure, GCE, Kubernetes, ... SDKs), which
# `promtool test rules` never uses and which are most of the build's time.
go build -trimpath -tags remove_all_sd -ldflags "-s -w -X github.com/prometheus/common/version.Version=${release}" \
  -o "$dest/promtool.tmp" github.com/prometheus/prometheus/cmd/promtool
mv "$dest/promtool.tmp" "$dest/promtool"
dbb_first_line "$dest/promtool" --version
echo "promtool: done"
