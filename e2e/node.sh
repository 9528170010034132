#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, no Docker and no registry: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy, CoreDNS, containerd and
# kubelet as plain processes, pods on a CNI bridge, images built with buildah from this
# repository and from Debian packages. Needs root (namespaces, cgroups, iptables, mounts).
#
#   e2e/node.sh up      install what is missing, start the node, build and load the images;
#                       prints one line with the kubeconfig's path
#   e2e/node.sh down    stop everything and remove every process, mount, interface, iptables
#                       chain and file of the node (the caches below stay)
#   e2e/node.sh purge   down, then remove the caches too: ~/.cache/dbbinding-e2e (Debian root
#                       file systems and .debs, buildah's layers) and /var/tmp/buildah-cache
#                       (the Dockerfile's Maven cache mount)
#   e2e/node.sh test    up, the scenario of e2e/node/scenario.sh, down; exit 0 only if every
#                       check held; on failure prints pods, Events, binding and the failing
#                       component's log tail
#
# Traffic stays on this machine: the node's address is on a dummy interface, pods live on a
# bridge of their own, forwarding out of that bridge to anything else is dropped, and CoreDNS
# answers cluster names only (it forwards nothing).
#
# This file starts and waits for the components; the rest is sourced, a file a concern:
#
#   e2e/node/pki.sh        the node's CA, the components' certificates and kubeconfigs
#   e2e/node/config.sh     the configuration files, rendered from e2e/node/templates/
#   e2e/node/network.sh    the node's interface, the pods' firewall chain, kernel settings; their removal
#   e2e/node/images.sh     the images, built with buildah and imported into containerd
#   e2e/node/down.sh       down: every process, mount, interface, chain and file of the node removed
#   e2e/node/scenario.sh   test's checks; what they read of the cluster in e2e/node/observers.sh, the
#                          figures and bench/RESULTS.md's node section in e2e/node/results.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

STATE="${E2E_STATE:-/var/lib/dbbinding-e2e}"
KUBE_VERSION="${KUBE_VERSION:-1.34.4}"
KUBE_BIN="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${KUBE_VERSION}-linux-amd64"
NODE_NAME=dbbinding-e2e
NODE_IP=10.213.0.1            # on the dummy interface $NODE_IF
NODE_IF=dbbe2e-node
BRIDGE=dbbe2e0
POD_CIDR=10.214.0.0/24
SERVICE_CIDR=10.215.0.0/24
API_SERVICE_IP=10.215.0.1
DNS_SERVICE_IP=10.215.0.10
API_PORT=16443
ETCD_PORT=32379
FW_CHAIN=DBBINDING-E2E
KUBECONFIG_PATH="$STATE/admin.kubeconfig"
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy coredns)

# A command missing on this machine is reported in one line naming its Debian package.
# shellcheck source=.ci/lib.sh
. "$REPO/.ci/lib.sh"

log() { echo "node: $*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
# die COMPONENT WHY [LOG]: one line saying which component failed and why, then its log tail.
die() {
  echo "node: FAILED: $1: $2" >&2
  if [ -n "${3:-}" ] && [ -f "$3" ]; then
    echo "--- last lines of $3" >&2
    tail -n 40 "$3" >&2
  fi
  [ "${MODE:-}" != test ] || echo "node: 0 passed, 1 failed (the node did not start)"
  exit 1
}
kc() { "$KUBE_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }
ctr_k8s() { ctr --address "$STATE/containerd/containerd.sock" -n k8s.io "$@"; }

# shellcheck source=e2e/node/pki.sh
. "$REPO/e2e/node/pki.sh"
# shellcheck source=e2e/node/config.sh
. "$REPO/e2e/node/config.sh"
# shellcheck source=e2e/node/images.sh
. "$REPO/e2e/node/images.sh"
# shellcheck source=e2e/node/network.sh
. "$REPO/e2e/node/network.sh"
# shellcheck source=e2e/node/down.sh
. "$REPO/e2e/node/down.sh"

# --- install ------------------------------------------------------------------------------

# The Debian packages the node needs (lib.sh lists those a new machine lacks). Installed
# before anything else runs, the clean-up of an earlier node included: it calls iptables and runc.
NODE_PACKAGES=("${DBB_NODE_PACKAGES[@]}" openssl curl)

install_packages() {
  dbb_apt_install "${TMPDIR:-/tmp}/dbbinding-e2e-apt.log" "${NODE_PACKAGES[@]}" ||
    die apt-get "could not install ${NODE_PACKAGES[*]}"
}

install_binaries() {
  bash "$REPO/.ci/kube-binaries.sh" >"$STATE/logs/kube-binaries.log" 2>&1 ||
    die kube-binaries "building kube-apiserver, etcd and kubectl failed" "$STATE/logs/kube-binaries.log"
  bash "$REPO/.ci/node-binaries.sh" >"$STATE/logs/node-binaries.log" 2>&1 ||
    die node-binaries \
      "building kubelet, kube-controller-manager, kube-scheduler, kube-proxy, CoreDNS, helm or pause failed" \
      "$STATE/logs/node-binaries.log"
}

# --- processes ----------------------------------------------------------------------------

# start NAME COMMAND...: runs it in the background with its log in $STATE/logs/NAME.log.
start() {
  local name="$1"
  shift
  setsid "$@" >"$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/$name"
  disown  # down ends it; the shell need not report that
}

alive() { [ -f "$STATE/pids/$1" ] && kill -0 "$(cat "$STATE/pids/$1")" 2>/dev/null; }

# wait_for COMPONENT SECONDS WHAT COMMAND...: until COMMAND succeeds; fails naming the component.
wait_for() {
  local component="$1" seconds="$2" what="$3" deadline
  shift 3
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    alive "$component" || die "$component" "exited while waiting for $what" "$STATE/logs/$component.log"
    [ $SECONDS -lt $deadline ] || die "$component" "$what not within ${seconds} s" "$STATE/logs/$component.log"
    sleep 0.5
  done
}

start_control_plane() {
  start etcd "$KUBE_BIN/etcd" --data-dir "$STATE/etcd" --name default \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "default=http://127.0.0.1:$((ETCD_PORT + 1))" --listen-metrics-urls "" \
    --unsafe-no-fsync --quota-backend-bytes 1073741824
  wait_for etcd 30 "etcd to answer" curl -sf "http://127.0.0.1:$ETCD_PORT/health"

  start kube-apiserver "$KUBE_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$API_PORT" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --client-ca-file "$STATE/pki/ca.crt" \
    --tls-cert-file "$STATE/pki/apiserver.crt" --tls-private-key-file "$STATE/pki/apiserver.key" \
    --kubelet-client-certificate "$STATE/pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$STATE/pki/apiserver-kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$STATE/pki/sa.pub" \
    --service-account-signing-key-file "$STATE/pki/sa.key" \
    --kubelet-preferred-address-types InternalIP \
    --authorization-mode Node,RBAC --allow-privileged=true \
    --enable-priority-and-fairness=false --profiling=false --v=1
  wait_for kube-apiserver 90 "/readyz" kc get --raw /readyz

  start kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
    --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --service-account-private-key-file "$STATE/pki/sa.key" --root-ca-file "$STATE/pki/ca.crt" \
    --use-service-account-credentials=true --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port 10257 --profiling=false \
    --node-monitor-grace-period 20s --v=1
  start kube-scheduler "$KUBE_BIN/kube-scheduler" \
    --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 10259 --profiling=false --v=1
}

start_node() {
  # The kubelet sets these kernel tunables for its own defaults; down puts them back.
  local k
  for k in vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys \
    kernel.keys.root_maxbytes; do
    sysctl_save "$k"
  done
  [ -e /var/log/containers ] || touch "$STATE/made-var-log-containers"
  [ -e /run/netns ] || touch "$STATE/made-run-netns"
  start containerd containerd --config "$STATE/containerd/config.toml"
  wait_for containerd 30 "its socket" ctr_k8s version
  start kubelet "$KUBE_BIN/kubelet" --config "$STATE/kubelet/config.yaml" \
    --kubeconfig "$STATE/kubelet.kubeconfig" --root-dir "$STATE/kubelet" \
    --container-runtime-endpoint "unix://$STATE/containerd/containerd.sock" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1
  start kube-proxy "$KUBE_BIN/kube-proxy" --config "$STATE/kube-proxy.yaml"
  start coredns "$KUBE_BIN/coredns" -conf "$STATE/coredns/Corefile"
  # CoreDNS runs on the node's address; the kube-dns Service points at it.
  render kube-dns.yaml | kc apply -f - >/dev/null
}

node_ready() {
  [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] &&
    [ -z "$(kc get node "$NODE_NAME" -o jsonpath='{.spec.taints}')" ]
}

up() {
  local t0=$SECONDS
  [ "$(id -u)" = 0 ] || { echo "node: needs root (namespaces, cgroups, iptables, mounts)" >&2; exit 1; }
  install_packages
  down quiet
  mkdir -p "$STATE/logs" "$STATE/pids" "$STATE/containerd"
  echo "$t0" > "$STATE/started"
  # /run/containerd is where containerd 1.6 puts its shims' sockets, whatever its state dir.
  [ -e /run/containerd ] || touch "$STATE/made-run-containerd"
  install_binaries
  pki
  configs
  network_up
  start_control_plane
  start_node
  wait_for kubelet 120 "the node $NODE_NAME Ready and untainted" node_ready
  for c in "${COMPONENTS[@]}"; do
    alive "$c" || die "$c" "is not running" "$STATE/logs/$c.log"
  done
  NODE_READY_SECONDS=$((SECONDS - t0))
  log "node $NODE_NAME Ready after $NODE_READY_SECONDS s"
  build_images
  UP_SECONDS=$((SECONDS - t0))
  printf 'NODE_READY_SECONDS=%s\nUP_SECONDS=%s\n' "$NODE_READY_SECONDS" "$UP_SECONDS" > "$STATE/up.times"
  printf '%s\n' "$IMAGE_SIZES" > "$STATE/image.sizes"
  log "up in $UP_SECONDS s (node Ready after $NODE_READY_SECONDS s); images: ${IMAGE_SIZES//$'\n'/ }"
  echo "kubeconfig: $KUBECONFIG_PATH"
}

# On the way out of a test: down, unless it failed with E2E_KEEP=1 (a failed node left up for a
# look; then e2e/node.sh down).
on_test_exit() {
  local rc=$?
  if [ $rc -ne 0 ] && [ "${E2E_KEEP:-}" = 1 ]; then
    log "kept the failed node: kubeconfig $KUBECONFIG_PATH"
  else
    down quiet
  fi
}

# Sourced (by a person working on one function), it only defines them.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0
MODE="${1:-}"
case "$MODE" in
  up) up ;;
  down) down ;;
  purge)
    down quiet
    awk -v c="$E2E_CACHE" '$2 ~ "^"c {print $2}' /proc/self/mounts | sort -r |
      while read -r m; do umount -l "$m" || true; done
    rm -rf "$E2E_CACHE" /var/tmp/buildah-cache
    log "purge: the node and its caches are gone"
    ;;
  test)
    test_t0=$SECONDS
    trap on_test_exit EXIT
    up
    # shellcheck source=e2e/node/scenario.sh
    . "$REPO/e2e/node/scenario.sh"
    scenario
    down quiet
    trap - EXIT
    write_results $((SECONDS - test_t0))
    echo "node: every check held; up, scenario and down took $((SECONDS - test_t0)) s"
    echo "node: $CHECKS_PASSED passed, 0 failed"
    ;;
  scenario)
    # The scenario alone, against a node that `up` started (for working on the scenario).
    [ -f "$KUBECONFIG_PATH" ] || { echo "node: no node is up (run e2e/node.sh up)" >&2; exit 1; }
    # shellcheck source=e2e/node/scenario.sh
    . "$REPO/e2e/node/scenario.sh"
    scenario
    ;;
  *)
    echo "usage: e2e/node.sh up | down | test | scenario | purge" >&2
    exit 2
    ;;
esac