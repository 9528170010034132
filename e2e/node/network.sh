# shellcheck shell=bash
# Sourced by e2e/node.sh: the node's network and the kernel settings it changes.
#
# The node's address $NODE_IP is on a dummy interface $NODE_IF; pods live on the bridge $BRIDGE
# (the CNI configuration, e2e/node/templates/cni.conflist); the chain $FW_CHAIN lets them reach
# each other, the node and Services, and drops anything else they send. network_down removes all
# of it, kube-proxy's and the kubelet's iptables chains included, and sysctl_restore puts back
# every kernel setting the node changed.

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
sysctl_restore() {
  [ -f "$STATE/sysctl.saved" ] || return 0
  local key value
  while IFS='=' read -r key value; do
    echo "$value" > "/proc/sys/${key//.//}" 2>/dev/null || true
  done < "$STATE/sysctl.saved"
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

# kube-proxy's chains, then ours, then the network namespaces, veths and interfaces. (On a machine
# that never ran the node, iptables and conntrack may be missing: then nothing of theirs can be
# left either.)
network_down() {
  if [ -x "$KUBE_BIN/kube-proxy" ] && have iptables && [[ "$(iptables -t nat -S 2>/dev/null)" == *KUBE-* ]]; then
    "$KUBE_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  fi
  # What kube-proxy's cleanup leaves: the kubelet's canary and firewall chains, IPv6 too.
  local ipt table chain ns link
  for ipt in iptables ip6tables; do
    have "$ipt" || continue
    for table in filter nat mangle; do
      for chain in $(kube_chains "$ipt" "$table"); do
        $ipt -t "$table" -F "$chain" 2>/dev/null || true
      done
      $ipt -t "$table" -S 2>/dev/null | awk '$1 == "-A" && / -j KUBE-/' | sed 's/^-A/-D/' |
        while read -r rule; do eval $ipt -t "$table" "$rule" 2>/dev/null || true; done
      for chain in $(kube_chains "$ipt" "$table"); do
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
}

# kube_chains IPTABLES TABLE: the KUBE- chains of that table.
kube_chains() {
  "$1" -t "$2" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'
}
