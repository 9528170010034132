#!/usr/bin/env bash
# Provides Docker Compose for e2e/docker.sh's compose check, built from its Go module through the
# Go module proxy (the machine's docker client has no compose plugin, and nothing else can be
# downloaded). It goes to ${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-tools/compose-<version>/
# docker-compose (a standalone `docker-compose`, which takes the same commands as
# `docker compose`); a second run finds it and takes a second.
set -euo pipefail
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMPOSE_VERSION="${COMPOSE_VERSION:-v5.6.0}"
dest="${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-tools/compose-${COMPOSE_VERSION}"
work="${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-compose-build"

have() { [ -x "$dest/docker-compose" ] && [[ "$("$dest/docker-compose" version 2>/dev/null)" == *"${COMPOSE_VERSION#v}"* ]]; }
if have; then
  echo "compose: $(dbb_first_line "$dest/docker-compose" version) already in $dest"
  exit 0
fi
command -v go >/dev/null || { echo "compose: Go is needed to build Docker Compose" >&2; exit 1; }
echo "compose: building github.com/docker/compose/v5 ${COMPOSE_VERSION} into $dest"
mkdir -p "$dest" "$work"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
cd "$work"
cat > go.mod <<MOD
module dbbinding.io/compose-binary

go 1.24
MOD
rm -f go.sum
go get "github.com/docker/compose/v5/cmd@${COMPOSE_VERSION}"
go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v5/internal.Version=${COMPOSE_VERSION}" \
  -o "$dest/docker-compose.tmp" github.com/docker/compose/v5/cmd
mv "$dest/docker-compose.tmp" "$dest/docker-compose"
have || { echo "compose: the binary does not report ${COMPOSE_VERSION}: $("$dest/docker-compose" version 2>&1)" >&2; exit 1; }
echo "compose: $(dbb_first_line "$dest/docker-compose" version)"
