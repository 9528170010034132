#!/usr/bin/env bash
# A Docker engine for the tests, apart from the machine's own networking: Debian's dockerd in a
# network namespace of its own, with its own data root, exec root and socket. Its bridge and
# iptables rules live in that namespace only; the host gets one veth pair to reach it (host side
# 10.216.0.1, engine side 10.216.0.2) and nothing else. No registry is reached: the images it runs
# are the real node's (e2e/node.sh builds them with buildah from Debian packages), loaded into it.
#
#   e2e/docker.sh up      install docker.io if missing (Debian's service is never started), start
#                         the engine, load the images; prints the environment to reach it
#   e2e/docker.sh down    stop it and remove every process, mount, interface, namespace and file
#                         of it (the images' buildah cache stays, as with e2e/node.sh down)
#   e2e/docker.sh env     the environment to reach it: DOCKER_HOST and Testcontainers' settings
#   e2e/docker.sh test    up, the compose check (e2e/docker/compose-check.sh) and the
#                         Testcontainers tests, down
#
# Needs root. (Not `ip netns exec`: its fresh /sys hides the cgroup mounts dockerd needs; the
# engine is started with nsenter --net into the namespace instead.)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=.ci/lib.sh
. "$REPO/.ci/lib.sh"

NETNS=dbbinding-docker
NETNS_PATH=/var/run/netns/$NETNS
HOST_IF=dbbdock0            # the host's end of the veth pair
ENGINE_IF=dbbdock1          # the engine namespace's end
HOST_IP=10.216.0.1
ENGINE_IP=10.216.0.2
DOCKER_STATE="${DOCKER_STATE:-/var/lib/dbbinding-docker}"
DOCKER_RUN=/run/dbbinding-docker
SOCK="$DOCKER_RUN/docker.sock"
# The images it gets, as the real node builds them, under the names users' files default to.
STAND_INS=(
  "localhost/postgres:e2e postgres:18-alpine"
  "localhost/dbbinding:e2e dbbinding:local"
)

log() { echo "docker: $*" >&2; }
# die WHAT WHY [LOG]: one line saying what failed and why, then the log's tail (as e2e/node.sh's).
die() {
  echo "docker: FAILED: $1: $2" >&2
  if [ -n "${3:-}" ] && [ -f "$3" ]; then
    echo "--- last lines of $3" >&2
    tail -n 30 "$3" >&2
  fi
  exit 1
}

# The images, built as the real node builds them (cached: seconds when e2e/node.sh built them).
STATE="$DOCKER_RUN"
# shellcheck source=e2e/node/images.sh
. "$REPO/e2e/node/images.sh"

engine_env() {
  # Testcontainers: the engine's socket; mapped ports are reached at the engine's address; Ryuk
  # (its reaper, an image from Docker Hub) cannot be pulled here: down removes every container.
  echo "export DOCKER_HOST=unix://$SOCK"
  echo "export TESTCONTAINERS_HOST_OVERRIDE=$ENGINE_IP"
  echo "export TESTCONTAINERS_RYUK_DISABLED=true"
  echo "export TEST_POSTGRES_IMAGE=postgres:18-alpine"
}

dock() { docker -H "unix://$SOCK" "$@"; }

install_engine() {
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ "$(dpkg-query -W -f='${Status}' docker.io 2>/dev/null)" != "install ok installed" ]; then
    # Debian's maintainer scripts would start the system's dockerd (with the host's iptables):
    # policy-rc.d forbids it for the time of the install.
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' > "$policy"
      chmod +x "$policy"
      made_policy=yes
    fi
    dbb_apt_install "${TMPDIR:-/tmp}/dbbinding-docker-apt.log" "${DBB_DOCKER_PACKAGES[@]}" || {
      [ -z "$made_policy" ] || rm -f "$policy"
      die apt-get "could not install ${DBB_DOCKER_PACKAGES[*]}"
    }
    [ -z "$made_policy" ] || rm -f "$policy"
  fi
  # buildah and mmdebstrap build the images, as for the real node.
  dbb_apt_install "${TMPDIR:-/tmp}/dbbinding-docker-apt.log" buildah mmdebstrap ||
    die apt-get "could not install buildah and mmdebstrap"
  command -v dockerd >/dev/null || die dockerd "not on the PATH after installing docker.io"
  command -v docker >/dev/null || die docker "no docker client on the PATH"
}

network_up() {
  ip netns add "$NETNS"
  ip link add "$HOST_IF" type veth peer name "$ENGINE_IF"
  ip link set "$ENGINE_IF" netns "$NETNS"
  ip addr add "$HOST_IP/30" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  ip -n "$NETNS" addr add "$ENGINE_IP/30" dev "$ENGINE_IF"
  ip -n "$NETNS" link set "$ENGINE_IF" up
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" route add default via "$HOST_IP"
}

up() {
  [ "$(id -u)" = 0 ] || { echo "docker: needs root (a network namespace, mounts)" >&2; exit 1; }
  install_engine
  down quiet
  mkdir -p "$DOCKER_STATE/data" "$DOCKER_RUN/logs"
  # dockerd makes /run/docker whatever its exec root, and ip netns makes /run/netns: down removes
  # what was not there before.
  [ -e /run/docker ] || touch "$DOCKER_STATE/made-run-docker"
  [ -e /run/netns ] || touch "$DOCKER_STATE/made-run-netns"
  network_up
  log "starting dockerd in network namespace $NETNS (socket $SOCK)"
  # (Forwarding inside the namespace is the namespace's own setting: dockerd turns it on there.)
  nsenter --net="$NETNS_PATH" setsid dockerd \
    --data-root "$DOCKER_STATE/data" --exec-root "$DOCKER_RUN/exec" --pidfile "$DOCKER_RUN/dockerd.pid" \
    -H "unix://$SOCK" --storage-driver overlay2 --exec-opt native.cgroupdriver=cgroupfs \
    --bip 10.217.0.1/24 --default-address-pool base=10.218.0.0/16,size=24 \
    --log-level warn >"$DOCKER_RUN/dockerd.log" 2>&1 < /dev/null &
  local deadline=$((SECONDS + 60))
  until dock version >/dev/null 2>&1; do
    [ -f "$DOCKER_RUN/dockerd.pid" ] && ! kill -0 "$(cat "$DOCKER_RUN/dockerd.pid")" 2>/dev/null &&
      die dockerd "exited" "$DOCKER_RUN/dockerd.log"
    [ $SECONDS -lt $deadline ] || die dockerd "no answer within 60 s" "$DOCKER_RUN/dockerd.log"
    sleep 0.5
  done
  log "engine $(dock version --format '{{.Server.Version}}') up; loading the stand-in images"
  load_images
  engine_env
}

# The real node's images (buildah, from Debian packages and the Dockerfile; cached) under the
# names the compose file and Testcontainers use by default.
load_images() {
  local pair from to tar
  mkdir -p "$E2E_CACHE"
  build_postgres
  build_dbbinding
  for pair in "${STAND_INS[@]}"; do
    from="${pair% *}" to="${pair#* }"
    tar="$DOCKER_RUN/image.tar"
    bh push --quiet "$from" "docker-archive:$tar:$to" >/dev/null 2>"$DOCKER_RUN/push.log" ||
      die images "buildah could not export $from" "$DOCKER_RUN/push.log"
    dock load -q -i "$tar" >/dev/null || die images "docker load of $to failed"
    rm -f "$tar"
  done
}

our_pids() { pgrep -f -- "$DOCKER_RUN/" || true; }

down() {
  local quiet="${1:-}" pid
  if [ -S "$SOCK" ] && command -v docker >/dev/null; then
    # Containers first, so that their mounts and network endpoints go with them.
    dock ps -aq 2>/dev/null | while read -r c; do dock rm -f -v "$c" >/dev/null 2>&1 || true; done
  fi
  for pid in $(our_pids); do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do [ -z "$(our_pids)" ] && break; sleep 0.25; done
  for pid in $(our_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  awk -v s="$DOCKER_STATE" -v r="$DOCKER_RUN" '$2 ~ "^"s || $2 ~ "^"r {print $2}' /proc/self/mounts |
    sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  ip link delete "$HOST_IF" 2>/dev/null || true
  if [ -e "$NETNS_PATH" ]; then ip netns delete "$NETNS" 2>/dev/null || true; fi
  if [ -f "$DOCKER_STATE/made-run-docker" ]; then rm -rf /run/docker; fi
  if [ -f "$DOCKER_STATE/made-run-netns" ]; then rmdir /run/netns 2>/dev/null || true; fi
  rm -rf "$DOCKER_STATE" "$DOCKER_RUN"
  [ -n "$quiet" ] || log "down: no process, mount, interface, namespace or file of the engine left"
}

# Sourced, it only defines the functions.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0
case "${1:-}" in
  up) up ;;
  down) down ;;
  env) engine_env ;;
  test)
    trap 'down quiet' EXIT
    t0=$SECONDS
    up >/dev/null
    eval "$(engine_env)"
    # shellcheck source=e2e/docker/compose-check.sh
    . "$REPO/e2e/docker/compose-check.sh"
    compose_check
    testcontainers_tests
    log "every check held in $((SECONDS - t0)) s"
    ;;
  *)
    echo "usage: e2e/docker.sh up | down | env | test" >&2
    exit 2
    ;;
esac
