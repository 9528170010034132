#!/usr/bin/env bash
# Provides the Go-built linters of .ci/run's "workflows and chart docs" part, built from their Go
# modules through the Go module proxy (no other download is possible on our CI), as promtool.sh
# builds promtool:
#   actionlint  lints .github/workflows (github.com/rhysd/actionlint)
#   helm-docs   writes helm/dbbinding/README.md from values.yaml's `# --` comments and
#               README.md.gotmpl (github.com/norwoodj/helm-docs)
#
#   bash .ci/go-tools.sh                 builds what is missing, prints each tool's version
#   bash .ci/go-tools.sh TOOL [ARG...]   the same for TOOL alone (messages on stderr), then runs
#                                        it: bash .ci/go-tools.sh actionlint -version
#
# Each binary goes to ${DBB_TOOLS_DIR:-$HOME/.cache/dbbinding-tools}/<tool>-<version>/<tool>.
# A second run finds them and takes a second; building both takes about a minute on 2 cores.
set -euo pipefail
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
# The newest the proxy serves (go list -m -versions github.com/norwoodj/helm-docs).
HELM_DOCS_VERSION="${HELM_DOCS_VERSION:-v1.14.2}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}"
tools="${DBB_TOOLS_DIR:-$cache/dbbinding-tools}"
work="$cache/dbbinding-go-tools-build"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

# tool_* NAME: the module, the package of the command, the version, and the -ldflags -X that
# makes `--version` name the version (built as a dependency, the binary cannot know it itself).
tool_module() {
  case "$1" in
    actionlint) echo github.com/rhysd/actionlint ;;
    helm-docs) echo github.com/norwoodj/helm-docs ;;
    *) return 1 ;;
  esac
}
tool_package() {
  case "$1" in
    actionlint) echo github.com/rhysd/actionlint/cmd/actionlint ;;
    helm-docs) echo github.com/norwoodj/helm-docs/cmd/helm-docs ;;
  esac
}
tool_version() {
  case "$1" in
    actionlint) echo "$ACTIONLINT_VERSION" ;;
    helm-docs) echo "$HELM_DOCS_VERSION" ;;
  esac
}
tool_version_flag() {
  case "$1" in
    actionlint) echo "-X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}" ;;
    helm-docs) echo "-X main.version=${HELM_DOCS_VERSION#v}" ;;
  esac
}
tool_bin() { echo "$tools/$1-$(tool_version "$1")/$1"; }
# The first line of `TOOL -version` / `TOOL --version`: "v1.7.12", "helm-docs version 1.14.2".
tool_reported_version() {
  case "$1" in
    actionlint) dbb_first_line "$(tool_bin "$1")" -version ;;
    helm-docs) dbb_first_line "$(tool_bin "$1")" --version ;;
  esac
}
have() {
  local v reported
  v="$(tool_version "$1")"
  [ -x "$(tool_bin "$1")" ] || return 1
  reported="$(tool_reported_version "$1" 2>/dev/null)" || return 1
  [[ "$reported" == *"${v#v}" ]]
}

build() {
  local name="$1" module version package dest
  module="$(tool_module "$name")"
  version="$(tool_version "$name")"
  package="$(tool_package "$name")"
  dest="$(dirname "$(tool_bin "$name")")"
  command -v go >/dev/null || { echo "go-tools: Go is needed to build $name" >&2; return 1; }
  echo "go-tools: building ${package}@${version} into $dest" >&2
  mkdir -p "$dest" "$work/$name" || return 1
  # (Each step checks its own status: the caller's || turns errexit off in here. go -C, not cd:
  # in the TOOL mode the tool runs in the caller's directory.)
  cat > "$work/$name/go.mod" <<MOD || return 1
module dbbinding.io/${name}-binary

go 1.24

require ${module} ${version}
MOD
  rm -f "$work/$name/go.sum"
  go -C "$work/$name" mod download "$module" >&2 || return 1
  # The module's own go.mod may ask for a newer go line; let the go command settle the graph.
  go -C "$work/$name" get "${package}@${version}" >&2 || return 1
  go -C "$work/$name" build -trimpath -ldflags "-s -w $(tool_version_flag "$name")" \
    -o "$dest/$name.tmp" "$package" >&2 || return 1
  mv "$dest/$name.tmp" "$dest/$name"
}

ensure() {
  local t0=$SECONDS
  have "$1" && return 0
  build "$1" || { echo "go-tools: FAILED: building $(tool_package "$1")@$(tool_version "$1")" >&2; return 1; }
  have "$1" || { echo "go-tools: FAILED: $(tool_bin "$1") does not report version $(tool_version "$1")" >&2; return 1; }
  echo "go-tools: $1 $(tool_version "$1") built in $((SECONDS - t0)) s" >&2
}

if [ $# -gt 0 ]; then
  tool_module "$1" >/dev/null || { echo "go-tools: unknown tool '$1' (actionlint or helm-docs)" >&2; exit 2; }
  ensure "$1"
  bin="$(tool_bin "$1")"
  shift
  exec "$bin" "$@"
fi

for name in actionlint helm-docs; do
  ensure "$name"
  echo "go-tools: $name $(tool_version "$name") in $(dirname "$(tool_bin "$name")")"
done
