# shellcheck shell=bash
# Sourced by e2e/node/scenario.sh (the real node) and e2e/kind.sh: the checks of the readiness
# gate that both run, written once. The caller defines kc (kubectl for its cluster).

# gated_pod NAMESPACE NAME: creates a pod that asks for a gate (the dbbinding.io/binding label,
# no readiness gate of its own) and prints the readiness gates the API server stored: what the
# webhook added. Its image is the example app's; the pod need never start.
gated_pod() {
  kc -n "$1" create -o jsonpath='{.spec.readinessGates[*].conditionType}' -f - <<POD
apiVersion: v1
kind: Pod
metadata:
  name: $2
  labels: {dbbinding.io/binding: orders}
spec:
  containers:
  - {name: app, image: ${GATED_POD_IMAGE:-localhost/app:e2e}, imagePullPolicy: IfNotPresent}
POD
}

# without_gate: the manifests on stdin with every hand-written dbbinding.io/ready readiness gate
# taken out (the webhook is to add it).
without_gate() {
  sed -e '/^ *readinessGates:$/d' -e '/^ *- conditionType: dbbinding.io\/ready$/d'
}

# opt_in NAMESPACE: creates the namespace, labelled for gate injection.
opt_in() {
  kc create namespace "$1" >/dev/null
  kc label namespace "$1" dbbinding.io/inject-gates=enabled >/dev/null
}
