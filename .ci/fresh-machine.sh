#!/usr/bin/env bash
# A rehearsal of CI on a machine as it comes new: puts this machine back into its new state as far
# as the project is concerned, then runs the README's test command (.ci/run) from a clean clone,
# so that an install step that only a warm machine had is found here and not in CI.
#
#   sudo .ci/fresh-machine.sh --remove-what-the-project-installed [--runs N] [--reset-only]
#
# It removes, without asking again:
#   - the real node and its state (e2e/node.sh purge: processes, mounts, interfaces, iptables
#     chains, /var/lib/dbbinding-e2e, ~/.cache/dbbinding-e2e, /var/tmp/buildah-cache), and the
#     test Docker engine (e2e/docker.sh down)
#   - the Debian packages the project's scripts install (DBB_NODE_PACKAGES, DBB_CI_PACKAGES and
#     DBB_DOCKER_PACKAGES in .ci/lib.sh) and the dependencies apt pulled in for them (autoremove)
#   - the binaries and caches the build fills: ~/.kubeapitest, ~/.cache/dbbinding-*, Go's build
#     and module caches, ~/.m2 (Maven's repository and wrapper), the embedded PostgreSQL's
#     unpacked binaries in the temporary directory
# Then it clones HEAD of this checkout into a new directory and runs .ci/run there N times (1 by
# default), printing each run's result and time, and the time of each of its parts.
set -euo pipefail
# (Everything below runs from main, which bash reads whole before it starts: a script that edits
# this file while it runs, a git checkout say, cannot change what this run does.)
main() {
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=.ci/lib.sh
. "$here/.ci/lib.sh"

confirm="" runs=1 reset_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --remove-what-the-project-installed) confirm=yes ;;
    --runs) runs="$2"; shift ;;
    --reset-only) reset_only=yes ;;
    *) echo "fresh-machine: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$confirm" ]; then
  echo "fresh-machine: this uninstalls Debian packages (${DBB_NODE_PACKAGES[*]} ${DBB_CI_PACKAGES[*]} ${DBB_DOCKER_PACKAGES[*]}) and deletes caches; run it with --remove-what-the-project-installed if you mean it" >&2
  exit 2
fi
[ "$(id -u)" = 0 ] || { echo "fresh-machine: needs root (it removes Debian packages)" >&2; exit 1; }

log() { echo "fresh-machine: $*" >&2; }

reset_machine() {
  local t0=$SECONDS
  log "taking the real node down and removing its caches"
  bash "$here/e2e/node.sh" purge >/dev/null
  bash "$here/e2e/docker.sh" down >/dev/null
  local installed=() p
  for p in "${DBB_NODE_PACKAGES[@]}" "${DBB_CI_PACKAGES[@]}" "${DBB_DOCKER_PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ]; then installed+=("$p"); fi
  done
  if [ ${#installed[@]} -gt 0 ]; then
    log "removing ${installed[*]} and what apt installed for them"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${installed[@]}" >/dev/null
  fi
  DEBIAN_FRONTEND=noninteractive apt-get autoremove --purge -y -qq >/dev/null
  log "removing the built binaries and the build caches"
  if command -v go >/dev/null; then
    go clean -modcache 2>/dev/null || true
    go clean -cache 2>/dev/null || true
  fi
  rm -rf "$HOME/.kubeapitest" "$HOME"/.cache/dbbinding-* "$HOME/.m2" "${TMPDIR:-/tmp}/embedded-pg" \
    "${TMPDIR:-/tmp}"/dbbinding-*.log
  local left=()
  for p in "${DBB_NODE_PACKAGES[@]}" "${DBB_CI_PACKAGES[@]}" "${DBB_DOCKER_PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ]; then left+=("$p"); fi
  done
  [ ${#left[@]} -eq 0 ] || { log "FAILED: still installed: ${left[*]}"; exit 1; }
  for c in iptables containerd runc buildah mmdebstrap shellcheck dockerd; do
    if command -v "$c" >/dev/null; then log "FAILED: $c is still on the PATH"; exit 1; fi
  done
  log "the machine is as new for the project ($((SECONDS - t0)) s)"
}

reset_machine
[ -z "$reset_only" ] || exit 0

clone="$(mktemp -d /tmp/dbbinding-fresh.XXXXXX)"
git -c safe.directory="$here" clone -q --no-hardlinks "$here" "$clone/dbbinding"
log "clean clone of $(git -c safe.directory="$here" -C "$here" rev-parse --short HEAD) in $clone/dbbinding"
failed=0
for run in $(seq 1 "$runs"); do
  t0=$SECONDS
  log "run $run of $runs: bash .ci/run (output in $clone/run-$run.log)"
  if (cd "$clone/dbbinding" && bash .ci/run) >"$clone/run-$run.log" 2>&1; then
    result=passed
  else
    result=FAILED
    failed=1
  fi
  log "run $run: $result in $((SECONDS - t0)) s"
  grep -E '^ci: took: |^node: .*(passed|failed)|^node: images: .* built|^node: up in |^docker: (Testcontainers: [0-9]|every check)|Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' \
    "$clone/run-$run.log" | grep -v ' -- in ' >&2 || true
  if [ "$result" = FAILED ]; then
    log "last lines of run $run:"
    tail -n 40 "$clone/run-$run.log" >&2
    break
  fi
done
exit $failed
}

main "$@"
