# shellcheck shell=bash
# Sourced by e2e/node.sh: the node's configuration files, written from the templates in
# e2e/node/templates/ into $STATE.
#
#   containerd.toml  containerd, its state and runc's under $STATE
#   cni.conflist     the pods' bridge $BRIDGE on $POD_CIDR
#   kubelet.yaml     the kubelet, for this machine's cgroups
#   kube-proxy.yaml  kube-proxy in iptables mode, touching no host setting
#   Corefile         CoreDNS, cluster names only
#   kubeconfig.yaml  a kubeconfig of a client certificate (e2e/node/pki.sh)
#   kube-dns.yaml    the kube-dns Service and its endpoint, CoreDNS on the node's address

# The variables a template may name, as ${NAME}. Nothing else in a template is expanded (no
# command, no other variable: rendering needs nothing beyond bash), and a template that names
# another stops the node, naming the template.
TEMPLATE_VARS=(STATE NODE_NAME NODE_IP API_PORT BRIDGE POD_CIDR DNS_SERVICE_IP)

# render TEMPLATE [NAME=VALUE...]: e2e/node/templates/TEMPLATE with each ${NAME} of TEMPLATE_VARS
# and of the pairs given replaced by its value.
render() {
  local template="$1" file="$REPO/e2e/node/templates/$1" text="" name pair
  shift
  [ -f "$file" ] || die templates "no template $file"
  # (read -d '' keeps the file to its last byte and returns 1 at its end.)
  IFS= read -r -d '' text <"$file" || true
  for name in "${TEMPLATE_VARS[@]}"; do
    text="${text//"\${$name}"/"${!name}"}"
  done
  for pair in "$@"; do
    text="${text//"\${${pair%%=*}}"/"${pair#*=}"}"
  done
  [[ "$text" != *"\${"* ]] ||
    die templates "$template names a variable other than ${TEMPLATE_VARS[*]} ${*%%=*}"
  printf '%s' "$text"
}

configs() {
  mkdir -p "$STATE/cni/net.d" "$STATE/kubelet" "$STATE/pod-logs" "$STATE/coredns"
  render containerd.toml > "$STATE/containerd/config.toml"
  # Pods on a bridge of their own; no masquerading: nothing leaves this machine.
  render cni.conflist > "$STATE/cni/net.d/10-dbbinding-e2e.conflist"
  render kubelet.yaml > "$STATE/kubelet/config.yaml"
  # Host-network pods (none here) and the kubelet would read this; cluster pods get CoreDNS.
  echo "nameserver $DNS_SERVICE_IP" > "$STATE/resolv.conf"
  render kube-proxy.yaml > "$STATE/kube-proxy.yaml"
  # Cluster names only: no forward plugin, so nothing is ever asked of another server.
  render Corefile > "$STATE/coredns/Corefile"
}
