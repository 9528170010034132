#!/usr/bin/env bash
# End-to-end on a throwaway kind cluster: build the image and load it, install the chart, check
# that a pod created the moment `helm install --wait` returns gets its readiness gate, apply
# examples/kubernetes and wait until the binding is Ready and the example pods pass the
# dbbinding.io/ready gate, then run the example Deployment without its own gate in a namespace
# opted in to injection and check the webhook's gate holds and turns True. Prints what failed
# otherwise; always deletes the cluster.
#
#   e2e/kind.sh     needs a Docker engine, kind, kubectl and helm; exits non-zero naming the one
#                   that is missing (it never reports success having run nothing)
#
# The cluster's kubeconfig is a file of its own: your kubeconfig and its current context are left
# as they were. The image goes in through `docker save` and `kind load image-archive`, which works
# with both of Docker's image stores (`kind load docker-image` fails with the containerd store).
# The gate checks are the real node's (e2e/lib/gates.sh), which CI runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
for tool in docker kind kubectl helm; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e: FAILED: not installed: ${missing[*]}" \
    "(e2e/kind.sh needs a Docker engine, kind, kubectl and helm); nothing was run" >&2
  exit 1
fi
if ! docker info >/dev/null 2>&1; then
  echo "e2e: FAILED: no Docker engine answers (docker info failed); nothing was run" >&2
  exit 1
fi

cluster="dbbinding-e2e-$$"
image="dbbinding:e2e"
ns=shop
injected=shop-injected
timeout="${E2E_TIMEOUT:-240s}"
work="$(mktemp -d)"
export KUBECONFIG="$work/kubeconfig"
kc() { kubectl "$@"; }
# shellcheck source=e2e/lib/gates.sh
. e2e/lib/gates.sh
GATED_POD_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

cleanup() {
  echo "e2e: deleting cluster $cluster"
  kind delete cluster --name "$cluster" --kubeconfig "$KUBECONFIG" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "e2e: FAILED: $1" >&2
  echo "--- bindings" >&2
  kc get dbb -A -o wide >&2 || true
  kc -n "$ns" describe dbb orders >&2 || true
  echo "--- pods and their gates" >&2
  kc get pods -A -o wide >&2 || true
  kc get pods -A -o jsonpath="$(printf '%s' '{range .items[*]}{.metadata.namespace}/{.metadata.name}{": "}' \
    '{.status.conditions[?(@.type=="dbbinding.io/ready")]}{"\n"}{end}')" >&2 || true
  echo "--- events" >&2
  kc -n "$ns" get events --sort-by=.lastTimestamp >&2 || true
  echo "--- operator log" >&2
  kc -n dbbinding-system logs deploy/dbbinding --tail=100 >&2 || true
  exit 1
}

# gates_true NAMESPACE: every example pod there carries the gate and has it True.
gates_true() {
  local gates g
  gates="$(kc -n "$1" get pods -l app.kubernetes.io/name=orders-api \
    -o jsonpath="$(printf '%s' '{range .items[*]}{.spec.readinessGates[*].conditionType}=' \
      '{.status.conditions[?(@.type=="dbbinding.io/ready")].status}{" "}{end}')")"
  [ -n "$gates" ] || fail "no pod of orders-api in $1"
  for g in $gates; do
    [ "$g" = "dbbinding.io/ready=True" ] || fail "a pod of orders-api in $1 has gate=status '$g'"
  done
  echo "$gates"
}

echo "e2e: creating kind cluster $cluster (kubeconfig $KUBECONFIG)"
kind create cluster --name "$cluster" --kubeconfig "$KUBECONFIG" --wait 120s
echo "e2e: building $image"
docker build -t "$image" .
docker save "$image" -o "$work/image.tar"
kind load image-archive "$work/image.tar" --name "$cluster"

echo "e2e: installing the chart"
helm install dbbinding helm/dbbinding \
  --namespace dbbinding-system --create-namespace \
  --set image.repository=dbbinding --set image.tag=e2e --set image.pullPolicy=Never \
  --wait --timeout 3m || fail "the chart did not install"

echo "e2e: a pod created at once in an opted-in namespace gets the gate"
opt_in gatecheck
gate="$(gated_pod gatecheck right-after-install 2>&1)" || fail "could not create a pod: $gate"
[ "$gate" = dbbinding.io/ready ] || fail "a pod created right after helm install --wait has readiness gates '$gate'"

echo "e2e: applying examples/kubernetes"
kc create namespace "$ns"
kc -n "$ns" apply -f examples/kubernetes/postgres.yaml -f examples/kubernetes/secret.yaml \
  -f examples/kubernetes/migrations-configmap.yaml -f examples/kubernetes/databasebinding.yaml
sed "s#ghcr.io/dbbinding/dbbinding:0.1.0#$image#" examples/kubernetes/deployment.yaml | kc -n "$ns" apply -f -

echo "e2e: waiting for the binding to be Ready"
kc -n "$ns" wait --for=condition=Ready dbb/orders --timeout="$timeout" || fail "the binding is not Ready"
kc -n "$ns" get dbb orders

echo "e2e: waiting for the example pods to pass the readiness gate"
kc -n "$ns" rollout status deploy/orders-api --timeout="$timeout" || fail "the pods are not ready"
gates="$(gates_true "$ns")"

echo "e2e: the example Deployment without its own gate, in a namespace opted in to injection"
opt_in "$injected"
for f in secret migrations-configmap databasebinding deployment; do
  cat "examples/kubernetes/$f.yaml"
  printf '\n---\n'
done | sed "s#ghcr.io/dbbinding/dbbinding:0.1.0#$image#" | without_gate | kc -n "$injected" apply -f -
kc -n "$injected" wait --for=condition=Ready dbb/orders --timeout="$timeout" ||
  fail "the injected namespace's binding is not Ready"
kc -n "$injected" rollout status deploy/orders-api --timeout="$timeout" || fail "the injected pods are not ready"
injected_gates="$(gates_true "$injected")"

restarts="$(kc -n dbbinding-system get pods -l app.kubernetes.io/name=dbbinding \
  -o jsonpath='{range .items[*]}{.status.containerStatuses[*].restartCount}{" "}{end}')"
for r in $restarts; do
  [ "$r" = "0" ] || fail "the operator restarted $r time(s) (a lost Lease or a crash: see its log)"
done

schema="$(kc -n "$ns" get dbb orders -o jsonpath='{.status.schemaVersion}')"
echo "e2e: passed: binding Ready at schema $schema, gates: $gates; injected: $injected_gates"
