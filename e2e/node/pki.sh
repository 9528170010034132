# shellcheck shell=bash
# Sourced by e2e/node.sh: the node's certificates, in $STATE/pki, and a kubeconfig for each
# client of the API server, in $STATE. A CA of the node's own, valid for two days; every key and
# certificate is new at each `up`.

pki() {
  mkdir -p "$STATE/pki"
  (cd "$STATE/pki" || exit 1; keys_and_certificates)
  for who in admin kubelet controller-manager scheduler proxy; do
    kubeconfig "$who" > "$STATE/$who.kubeconfig"
  done
}

# The CA, the service accounts' signing key, and a key and certificate for each component, in the
# current directory.
keys_and_certificates() {
  local san
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=dbbinding-e2e-ca \
    2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  san="subjectAltName=IP:$NODE_IP,IP:$API_SERVICE_IP,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default"
  san+=",DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert apiserver "/CN=kube-apiserver" "$san"
  cert admin "/O=system:masters/CN=admin" "extendedKeyUsage=clientAuth"
  cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "extendedKeyUsage=clientAuth,serverAuth
subjectAltName=IP:$NODE_IP,DNS:$NODE_NAME"
  cert controller-manager "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
  cert scheduler "/CN=system:kube-scheduler" "extendedKeyUsage=clientAuth"
  cert proxy "/CN=system:kube-proxy" "extendedKeyUsage=clientAuth"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
}

# cert NAME SUBJECT EXTENSIONS: a key and a certificate signed by the node's CA.
cert() {
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile "$1.ext" \
    -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

# kubeconfig CLIENT: the kubeconfig of CLIENT's certificate for the node's API server.
kubeconfig() { render kubeconfig.yaml CLIENT="$1"; }
