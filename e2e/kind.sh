#!/usr/bin/env bash
# End-to-end on a throwaway kind cluster: build and load the image, install the chart, apply
# examples/kubernetes, and wait until the binding is Ready and the example pods pass the
# dbbinding.io/ready readiness gate. Prints what failed otherwise; always deletes the cluster.
#
#   e2e/kind.sh            (needs a Docker engine, kind, kubectl and helm)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in kind kubectl helm docker; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "e2e: $tool is not installed; nothing was run"
    exit 0
  fi
done
if ! docker info >/dev/null 2>&1; then
  echo "e2e: no Docker engine answers; nothing was run"
  exit 0
fi

cluster="dbbinding-e2e-$$"
image="dbbinding:e2e"
ns=shop
timeout="${E2E_TIMEOUT:-240s}"

cleanup() {
  echo "e2e: deleting cluster $cluster"
  kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
}
trap cleanup EXIT

fail() {
  echo "e2e: FAILED: $1" >&2
  echo "--- bindings" >&2
  kubectl -n "$ns" get dbb -o wide >&2 || true
  kubectl -n "$ns" describe dbb orders >&2 || true
  echo "--- pods and their gates" >&2
  kubectl -n "$ns" get pods -o wide >&2 || true
  kubectl -n "$ns" get pods -o jsonpath='{range .items[*]}{.metadata.name}{": "}{.status.conditions[?(@.type=="dbbinding.io/ready")]}{"\n"}{end}' >&2 || true
  echo "--- events" >&2
  kubectl -n "$ns" get events --sort-by=.lastTimestamp >&2 || true
  echo "--- operator log" >&2
  kubectl -n dbbinding-system logs deploy/dbbinding --tail=100 >&2 || true
  exit 1
}

echo "e2e: creating kind cluster $cluster"
kind create cluster --name "$cluster" --wait 120s
echo "e2e: building $image"
docker build -t "$image" .
kind load docker-image "$image" --name "$cluster"

echo "e2e: installing the chart"
helm install dbbinding helm/dbbinding \
  --namespace dbbinding-system --create-namespace \
  --set image.repository=dbbinding --set image.tag=e2e --set image.pullPolicy=Never \
  --wait --timeout 3m || fail "the chart did not install"

echo "e2e: applying examples/kubernetes"
kubectl create namespace "$ns"
kubectl -n "$ns" apply -f examples/kubernetes/postgres.yaml -f examples/kubernetes/secret.yaml \
  -f examples/kubernetes/migrations-configmap.yaml -f examples/kubernetes/databasebinding.yaml
sed "s#ghcr.io/dbbinding/dbbinding:0.1.0#$image#" examples/kubernetes/deployment.yaml | kubectl -n "$ns" apply -f -

echo "e2e: waiting for the binding to be Ready"
kubectl -n "$ns" wait --for=condition=Ready dbb/orders --timeout="$timeout" || fail "the binding is not Ready"
kubectl -n "$ns" get dbb orders

echo "e2e: waiting for the example pods to pass the readiness gate"
kubectl -n "$ns" rollout status deploy/orders-api --timeout="$timeout" || fail "the pods are not ready"
gates="$(kubectl -n "$ns" get pods -l app.kubernetes.io/name=orders-api \
  -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="dbbinding.io/ready")].status}{" "}{end}')"
for g in $gates; do
  [ "$g" = "True" ] || fail "a pod's dbbinding.io/ready condition is $g"
done
[ -n "$gates" ] || fail "no pod carries the dbbinding.io/ready condition"

restarts="$(kubectl -n dbbinding-system get pods -l app.kubernetes.io/name=dbbinding \
  -o jsonpath='{range .items[*]}{.status.containerStatuses[*].restartCount}{" "}{end}')"
for r in $restarts; do
  [ "$r" = "0" ] || fail "the operator restarted $r time(s) (a lost Lease or a crash: see its log)"
done

echo "e2e: passed: binding Ready at schema $(kubectl -n "$ns" get dbb orders -o jsonpath='{.status.schemaVersion}'), gates: $gates"
