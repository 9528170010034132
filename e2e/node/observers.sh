# shellcheck shell=bash
# Sourced by e2e/node/scenario.sh: what its checks read of the cluster. An observer prints what it
# saw, or records when it first saw it (sample); none changes the cluster.
#
#   now_ms, ts_ms                    the clock, and an API server's timestamp, in milliseconds
#   app_pods, app_endpoints          the app's pods and its Service's EndpointSlices, a line each
#   sample                           both at once, remembering when each pod's gate, containers
#                                    and endpoint were first seen ready
#   binding_field, binding_ready     the binding orders
#   restarts_total                   container restarts in a namespace
#   injected_pods, injected_ready_endpoints   the same as app_pods and app_endpoints, in check 6's namespace
#   shard_field, lease_holder, leader_metrics, caches, event_reporters, operator_pods
#                                    check 7's: a binding of its namespace, who leads a release,
#                                    what its leader caches, who reported a binding's Events
#   diagnostics                      everything a person needs to see once a check failed

now_ms() { date +%s%3N; }
ts_ms() { echo $(($(date -d "$1" +%s) * 1000)); }

# rows RANGE FIELD...: a jsonpath printing, for each item of RANGE, its FIELDs separated by "|",
# a line each.
rows() {
  local path="{range $1}" sep="" field
  shift
  for field in "$@"; do
    path+="$sep$field"
    sep='{"|"}'
  done
  printf '%s' "$path"'{"\n"}{end}'
}

# Lines "pod|ip|gate|ready|restarts|required-schema-version|deletion|containers-ready|phase" for
# the app's pods.
app_pods() {
  kc -n "$NS" get pods -l app.kubernetes.io/name="$APP" -o jsonpath="$(rows '.items[*]' '{.metadata.name}' \
    '{.status.podIP}' '{.status.conditions[?(@.type=="dbbinding.io/ready")].status}' \
    '{.status.conditions[?(@.type=="Ready")].status}' '{.status.containerStatuses[*].restartCount}' \
    '{.metadata.annotations.dbbinding\.io/required-schema-version}' '{.metadata.deletionTimestamp}' \
    '{.status.conditions[?(@.type=="ContainersReady")].status}' '{.status.phase}')"
}
# Lines "pod|ready" of the app Service's EndpointSlices.
app_endpoints() {
  kc -n "$NS" get endpointslices -l kubernetes.io/service-name="$APP" \
    -o jsonpath="$(rows '.items[*].endpoints[*]' '{.targetRef.name}' '{.conditions.ready}')"
}

# sample CHECK: reads the EndpointSlices, then the pods (in that order, so that an endpoint seen
# ready belongs to a pod whose gate was already True), checks that no pod is an endpoint before its
# gate is True (else fails CHECK), and records when each pod's gate and endpoint were first seen
# True. Leaves what it read in SAMPLE_PODS (app_pods' lines) and SAMPLE_READY_ENDPOINTS.
declare -A GATE_AT ENDPOINT_AT CONTAINERS_AT
sample() {
  local check="$1" t eps pods pod ready gate
  eps="$(app_endpoints)"
  pods="$(app_pods)"
  t="$(now_ms)"
  # (Read by the checks, which source this file.)
  # shellcheck disable=SC2034
  SAMPLE_PODS="$pods"
  SAMPLE_READY_ENDPOINTS=0
  while IFS='|' read -r pod ready; do
    [ -n "$pod" ] || continue
    [ "$ready" = true ] || continue
    SAMPLE_READY_ENDPOINTS=$((SAMPLE_READY_ENDPOINTS + 1))
    gate="$(grep "^$pod|" <<<"$pods" | cut -d'|' -f3)"
    [[ $'\n'"$pods" == *$'\n'"$pod|"* ]] || continue
    [ "$gate" = True ] ||
      fail "$check" "pod $pod is a ready endpoint of Service $APP while its dbbinding.io/ready gate is '${gate}'"
    [ -n "${ENDPOINT_AT[$pod]:-}" ] || ENDPOINT_AT[$pod]="$t"
  done <<<"$eps"
  local cready
  while IFS='|' read -r pod _ gate _ _ _ _ cready _; do
    [ -n "$pod" ] || continue
    [ "$gate" = True ] && [ -z "${GATE_AT[$pod]:-}" ] && GATE_AT[$pod]="$t"
    [ "$cready" = True ] && [ -z "${CONTAINERS_AT[$pod]:-}" ] && CONTAINERS_AT[$pod]="$t"
  done <<<"$pods"
  return 0
}

binding_field() { kc -n "$NS" get dbb orders -o jsonpath="$1" 2>/dev/null; }
binding_ready() { [ "$(binding_field '{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
restarts_total() {
  kc -n "$1" get pods -o jsonpath='{range .items[*]}{.status.containerStatuses[*].restartCount}{" "}{end}' |
    tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }'
}

# Lines "pod|readiness-gates|gate|gate-reason|containers-ready|ready" of the app's pods in check 6's
# namespace.
injected_pods() {
  kc -n "$INJECTED_NS" get pods -l app.kubernetes.io/name="$APP" -o jsonpath="$(rows '.items[*]' \
    '{.metadata.name}' '{.spec.readinessGates[*].conditionType}' \
    '{.status.conditions[?(@.type=="dbbinding.io/ready")].status}' \
    '{.status.conditions[?(@.type=="dbbinding.io/ready")].reason}' \
    '{.status.conditions[?(@.type=="ContainersReady")].status}' '{.status.conditions[?(@.type=="Ready")].status}')"
}
injected_ready_endpoints() {
  kc -n "$INJECTED_NS" get endpointslices -l kubernetes.io/service-name="$APP" \
    -o jsonpath="$(rows '.items[*].endpoints[*]' '{.conditions.ready}')" | grep -c '^true$' || true
}

# shard_field NAME JSONPATH: a field of the binding NAME in check 7's namespace.
shard_field() { kc -n "$SHARD_NS" get dbb "$1" -o jsonpath="$2" 2>/dev/null; }
# lease_holder NAMESPACE LEASE: the replica that leads on that Lease.
lease_holder() { kc -n "$1" get lease "$2" -o jsonpath='{.spec.holderIdentity}' 2>/dev/null; }
# leader_metrics NAMESPACE LEASE: the leading replica's /metrics, through the API server's proxy.
leader_metrics() {
  local leader
  leader="$(lease_holder "$1" "$2")"
  [ -n "$leader" ] && kc get --raw "/api/v1/namespaces/$1/pods/$leader:8123/proxy/metrics" 2>/dev/null
}
# caches NAMESPACE LEASE BINDING: whether that release's leader holds the binding of check 7's
# namespace in its cache (its per-binding series).
caches() {
  local metrics
  metrics="$(leader_metrics "$1" "$2")" || return 1
  grep -qF "dbbinding_binding_ready{name=\"$3\",namespace=\"$SHARD_NS\"}" <<<"$metrics"
}
# event_reporters BINDING: "reason|reporting instance" of each Event on that binding of check 7's
# namespace, a line each.
event_reporters() {
  kc -n "$SHARD_NS" get events --field-selector "involvedObject.kind=DatabaseBinding,involvedObject.name=$1" \
    -o jsonpath="$(rows '.items[*]' '{.reason}' '{.reportingInstance}')"
}
# operator_pods NAMESPACE: the names of the operator pods there, a line each.
operator_pods() {
  kc -n "$1" get pods -l app.kubernetes.io/name=dbbinding -o jsonpath="$(rows '.items[*]' '{.metadata.name}')"
}

diagnostics() {
  echo "--- pods"
  kc get pods -A -o wide
  echo "--- readiness gates and restarts of $NS"
  local gates='{range .items[*]}{.metadata.name}{" gate="}{.status.conditions[?(@.type=="dbbinding.io/ready")].status}'
  gates+='{" ready="}{.status.conditions[?(@.type=="Ready")].status}'
  gates+='{" restarts="}{.status.containerStatuses[*].restartCount}{"\n"}{end}'
  kc -n "$NS" get pods -o jsonpath="$gates"
  echo "--- EndpointSlices of $NS"
  kc -n "$NS" get endpointslices -o wide
  echo "--- binding"
  kc -n "$NS" get dbb -o wide
  kc -n "$NS" describe dbb orders | sed -n '/^Status:/,$p'
  kc -n "$SHARD_NS" get dbb -o wide 2>/dev/null
  echo "--- Events"
  kc get events -A --sort-by=.lastTimestamp | tail -n 40
  local p ns
  for ns in "$OP_NS" "$SHARD_OP_NS"; do
    for p in $(kc -n "$ns" get pods -o name 2>/dev/null); do
      echo "--- operator log: $ns/$p"
      kc -n "$ns" logs "$p" --tail=30
    done
  done
  for p in $(kc -n "$NS" get pods -l app.kubernetes.io/name="$APP" -o name 2>/dev/null); do
    echo "--- sidecar log: $p"
    kc -n "$NS" logs "$p" -c dbbinding --tail=15
  done
  for c in kubelet containerd kube-controller-manager; do
    echo "--- $c log (last errors)"
    grep -E '^E[0-9]|level=error' "$STATE/logs/$c.log" | tail -n 10
  done
}
