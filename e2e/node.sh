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

# shellcheck source=e2e/node/images.sh
. "$REPO/e2e/node/images.sh"

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
    die node-binaries "building kubelet, kube-controller-manager, kube-scheduler, kube-proxy, CoreDNS, helm or pause failed" "$STATE/logs/node-binaries.log"
}

# --- certificates and configuration -------------------------------------------------------

pki() {
  local d="$STATE/pki"
  mkdir -p "$d"
  cd "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=dbbinding-e2e-ca 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  cert apiserver "/CN=kube-apiserver" \
    "subjectAltName=IP:$NODE_IP,IP:$API_SERVICE_IP,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=admin" "extendedKeyUsage=clientAuth"
  cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "extendedKeyUsage=clientAuth,serverAuth
subjectAltName=IP:$NODE_IP,DNS:$NODE_NAME"
  cert controller-manager "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
  cert scheduler "/CN=system:kube-scheduler" "extendedKeyUsage=clientAuth"
  cert proxy "/CN=system:kube-proxy" "extendedKeyUsage=clientAuth"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
  cd - >/dev/null
  for who in admin kubelet controller-manager scheduler proxy; do
    kubeconfig "$who" > "$STATE/$who.kubeconfig"
  done
}

# cert NAME SUBJECT EXTENSIONS: a key and a certificate signed by the node's CA.
cert() {
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

kubeconfig() {
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $NODE_NAME
  cluster: {server: "https://$NODE_IP:$API_PORT", certificate-authority: "$STATE/pki/ca.crt"}
users:
- name: $1
  user: {client-certificate: "$STATE/pki/$1.crt", client-key: "$STATE/pki/$1.key"}
contexts:
- name: $NODE_NAME
  context: {cluster: $NODE_NAME, user: $1}
current-context: $NODE_NAME
EOF
}

configs() {
  mkdir -p "$STATE/cni/net.d" "$STATE/kubelet" "$STATE/pod-logs" "$STATE/coredns"
  cat > "$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
[grpc]
  address = "$STATE/containerd/containerd.sock"
[ttrpc]
  address = "$STATE/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/pause:e2e"
  # This VM forbids lowering oom_score_adj: without this every sandbox fails to start.
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$STATE/runc"
EOF
  # Pods on a bridge of their own; no masquerading: nothing leaves this machine.
  cat > "$STATE/cni/net.d/10-dbbinding-e2e.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "dbbinding-e2e",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]],
               "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$STATE/cni/ipam"}
    }
  ]
}
EOF
  cat > "$STATE/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
healthzBindAddress: 127.0.0.1
healthzPort: 10248
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: "$STATE/pki/ca.crt"}
authorization: {mode: AlwaysAllow}
tlsCertFile: "$STATE/pki/kubelet.crt"
tlsPrivateKeyFile: "$STATE/pki/kubelet.key"
clusterDomain: cluster.local
clusterDNS: [$DNS_SERVICE_IP]
resolvConf: "$STATE/resolv.conf"
podLogsDir: "$STATE/pod-logs"
# This machine: cgroup v1 with a hybrid layout, no systemd, no swap accounting.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
# A test node: never collect the preloaded images (they cannot be pulled again).
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
syncFrequency: 10s
fileCheckFrequency: 10s
nodeStatusUpdateFrequency: 5s
EOF
  # Host-network pods (none here) and the kubelet would read this; cluster pods get CoreDNS.
  echo "nameserver $DNS_SERVICE_IP" > "$STATE/resolv.conf"
  cat > "$STATE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
clientConnection: {kubeconfig: "$STATE/proxy.kubeconfig"}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# Touch no host setting: no conntrack sysctls, no route_localnet for localhost NodePorts.
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {localhostNodePorts: false}
EOF
  # Cluster names only: no forward plugin, so nothing is ever asked of another server.
  cat > "$STATE/coredns/Corefile" <<EOF
.:53 {
    bind $NODE_IP
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $STATE/admin.kubeconfig $NODE_NAME
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
}
EOF
}

# --- network ------------------------------------------------------------------------------

# sysctl_save KEY: remembers its value for down to restore (once, so a second up keeps the first).
sysctl_save() {
  local key="$1" file="/proc/sys/${1//.//}"
  [ -f "$file" ] || return 0
  [ -f "$STATE/sysctl.saved" ] && grep -q "^$key=" "$STATE/sysctl.saved" && return 0
  echo "$key=$(cat "$file")" >> "$STATE/sysctl.saved"
}
sysctl_set() {
  sysctl_save "$1"
  echo "$2" > "/proc/sys/${1//.//}"
}

network_up() {
  ip link add "$NODE_IF" type dummy 2>/dev/null || ip link add "$NODE_IF" type bridge ||
    die network "cannot create the node's interface $NODE_IF"
  ip addr add "$NODE_IP/32" dev "$NODE_IF"
  ip link set "$NODE_IF" up
  sysctl_set net.ipv4.ip_forward 1
  sysctl_set net.bridge.bridge-nf-call-iptables 1
  # Pods reach each other, the node and Services; anything else they send is dropped.
  iptables -N "$FW_CHAIN"
  iptables -A "$FW_CHAIN" -i "$BRIDGE" -o "$BRIDGE" -j RETURN
  iptables -A "$FW_CHAIN" -i "$BRIDGE" -j DROP
  iptables -A "$FW_CHAIN" -o "$BRIDGE" -j DROP
  iptables -I FORWARD 1 -j "$FW_CHAIN"
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
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
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
  for k in vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes; do
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
  kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  clusterIP: $DNS_SERVICE_IP
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
---
apiVersion: v1
kind: Endpoints
metadata:
  name: kube-dns
  namespace: kube-system
subsets:
- addresses: [{ip: $NODE_IP}]
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
EOF
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

# --- down ---------------------------------------------------------------------------------

# Every process whose command line names the state directory: ours, from this or a killed run.
our_pids() { pgrep -f -- "$STATE/" | grep -vx "$$" || true; }

down() {
  local quiet="${1:-}" pid c
  # Containers first, through runc's state (works with containerd already gone).
  # (On a machine that never ran the node, runc, iptables and conntrack may be missing: then
  # nothing of theirs can be left either.)
  if [ -d "$STATE/runc" ] && have runc; then
    for c in $(runc --root "$STATE/runc/k8s.io" list -q 2>/dev/null); do
      runc --root "$STATE/runc/k8s.io" kill "$c" KILL 2>/dev/null || true
    done
  fi
  for pid in $(our_pids); do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do [ -z "$(our_pids)" ] && break; sleep 0.25; done
  for pid in $(our_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  if [ -d "$STATE/runc" ] && have runc; then
    for c in $(runc --root "$STATE/runc/k8s.io" list -q 2>/dev/null); do
      runc --root "$STATE/runc/k8s.io" delete --force "$c" 2>/dev/null || true
    done
  fi
  # kube-proxy's chains, then ours, then the network namespaces, veths and interfaces.
  if [ -x "$KUBE_BIN/kube-proxy" ] && have iptables && [[ "$(iptables -t nat -S 2>/dev/null)" == *KUBE-* ]]; then
    "$KUBE_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  fi
  # What kube-proxy's cleanup leaves: the kubelet's canary and firewall chains, IPv6 too.
  local ipt table chain
  for ipt in iptables ip6tables; do
    have "$ipt" || continue
    for table in filter nat mangle; do
      for chain in $($ipt -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        $ipt -t "$table" -F "$chain" 2>/dev/null || true
      done
      $ipt -t "$table" -S 2>/dev/null | awk '$1 == "-A" && / -j KUBE-/' | sed 's/^-A/-D/' |
        while read -r rule; do eval $ipt -t "$table" "$rule" 2>/dev/null || true; done
      for chain in $($ipt -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        $ipt -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
  if have iptables; then
    while iptables -D FORWARD -j "$FW_CHAIN" 2>/dev/null; do :; done
    iptables -F "$FW_CHAIN" 2>/dev/null || true
    iptables -X "$FW_CHAIN" 2>/dev/null || true
  fi
  if have conntrack; then
    conntrack -D -s "$POD_CIDR" >/dev/null 2>&1 || true
    conntrack -D -d "$SERVICE_CIDR" >/dev/null 2>&1 || true
  fi
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^cni-' || true); do
    ip netns delete "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$link" 2>/dev/null || true
  done
  ip link delete "$BRIDGE" 2>/dev/null || true
  ip link delete "$NODE_IF" 2>/dev/null || true
  # Mounts: kubelet volumes, container root file systems, sandbox /dev/shm, buildah's layers.
  local ours_run=""
  [ -f "$STATE/made-run-containerd" ] && ours_run=/run/containerd
  awk -v s="$STATE" -v r="${ours_run:-/nonexistent}" \
    '$2 ~ "^"s || $2 ~ "^"r || $2 ~ "^/run/netns/cni-" || $2 ~ "^/var/run/netns/cni-" {print $2}' /proc/self/mounts |
    sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if [ -f "$STATE/sysctl.saved" ]; then
    while IFS='=' read -r key value; do echo "$value" > "/proc/sys/${key//.//}" 2>/dev/null || true; done < "$STATE/sysctl.saved"
  fi
  # Cgroups the kubelet and containerd made for the pods.
  for d in /sys/fs/cgroup/*/kubepods* /sys/fs/cgroup/*/k8s.io; do
    if [ -d "$d" ]; then find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
  done
  # The kubelet's links to the pods' logs (its directory is fixed).
  find /var/log/containers -maxdepth 1 -type l -lname "$STATE/*" -delete 2>/dev/null || true
  # (Each may be missing: a node that never ran a pod made neither.)
  if [ -f "$STATE/made-var-log-containers" ]; then rmdir /var/log/containers 2>/dev/null || true; fi
  if [ -f "$STATE/made-run-netns" ]; then rmdir /run/netns 2>/dev/null || true; fi
  rm -rf "$STATE" $ours_run /var/lib/cni/results 2>/dev/null || true
  rmdir /var/lib/cni 2>/dev/null || true
  [ -n "$quiet" ] || log "down: no process, mount, interface, iptables chain or file of the node left"
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
