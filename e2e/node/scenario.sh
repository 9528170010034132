# shellcheck shell=bash
# Sourced by e2e/node.sh test once the node is up: what a user does with dbbinding on a real
# cluster, each check a function that measures its own times into figures.
#
#   check_0           helm install of helm/dbbinding (replicaCount 2, the built image), ten times,
#                     a gated pod created the moment each returns
#   apply_examples    kubectl apply of examples/kubernetes/, images replaced by the stand-ins
#   check_1 ... 8     see each function
#
# What the checks read of the cluster is in e2e/node/observers.sh, their figures and the
# bench/RESULTS.md section written from them in e2e/node/results.sh. Every check fails through
# fail(), which prints the pods, gates, EndpointSlices, the binding, Events and log tails and exits
# non-zero.

# shellcheck source=e2e/lib/gates.sh
. "$REPO/e2e/lib/gates.sh"
# shellcheck source=e2e/node/observers.sh
. "$REPO/e2e/node/observers.sh"
# shellcheck source=e2e/node/results.sh
. "$REPO/e2e/node/results.sh"
# A JDK 25, for check 5's load tool and the results writer.
# shellcheck source=.ci/java.sh
. "$REPO/.ci/java.sh"

NS=shop
OP_NS=dbbinding-system
APP=orders-api
export HELM_CONFIG_HOME="$STATE/helm/config" HELM_CACHE_HOME="$STATE/helm/cache" HELM_DATA_HOME="$STATE/helm/data"

helm_() { "$KUBE_BIN/helm" --kubeconfig "$KUBECONFIG_PATH" "$@"; }
step() { log "--- $*"; }

# fail CHECK WHY...: says which check failed and why (WHY's words joined by spaces), then
# everything a person needs to see.
CHECKS_PASSED=0
fail() {
  local check="$1"
  shift
  echo "node: FAILED: $check: $*" >&2
  diagnostics >&2 2>&1 || true
  echo "node: $CHECKS_PASSED passed, 1 failed"
  exit 1
}

install_chart() {
  step "helm install of helm/dbbinding with replicaCount 2 and localhost/dbbinding:e2e"
  local t0
  t0="$(now_ms)"
  helm_ install dbbinding "$REPO/helm/dbbinding" --namespace "$OP_NS" --create-namespace \
    --set image.repository=localhost/dbbinding --set image.tag=e2e --set image.pullPolicy=Never \
    --set replicaCount=2 --wait --timeout 4m >"$STATE/logs/helm.log" 2>&1 ||
    fail install "helm install did not finish with both operator replicas ready: $(tail -n 1 "$STATE/logs/helm.log")"
  INSTALL_TIMES+=("$(seconds "$t0" "$(now_ms)")")
}

# 0. helm install --wait means the webhook serves: an operator replica is ready only once the API
#    server can trust its certificate, and the chart's post-install hook (dbbinding webhook-ready)
#    waits until the webhook answers through its Service, whose endpoints reach kube-proxy only
#    after a replica is Ready. So a pod created the moment helm install --wait returns, in an
#    opted-in namespace, gets its gate. Ten installs in a row, each from an uninstalled chart (a new
#    webhook configuration with an empty caBundle); the last install stays.
GATECHECK_NS=shop-gatecheck
INSTALL_TIMES=()
check_0() {
  step "check 0: a pod created the moment helm install --wait returns gets its gate, 10 installs in a row"
  local i gates
  opt_in "$GATECHECK_NS"
  for i in $(seq 1 10); do
    if [ "$i" -gt 1 ]; then
      helm_ uninstall dbbinding --namespace "$OP_NS" --wait --timeout 2m >"$STATE/logs/helm-uninstall.log" 2>&1 ||
        fail "check 0" "helm uninstall failed: $(tail -n 1 "$STATE/logs/helm-uninstall.log")"
    fi
    install_chart
    gates="$(gated_pod "$GATECHECK_NS" "gatecheck-$i" 2>&1)" ||
      fail "check 0" "install $i: the pod could not be created: $gates"
    [ "$gates" = dbbinding.io/ready ] ||
      fail "check 0" "install $i: a pod created right after helm install --wait returned has readiness gates" \
        "'$gates', not dbbinding.io/ready; the API server:" \
        "$(grep 'failed calling webhook' "$STATE/logs/kube-apiserver.log" | tail -n 1 | cut -c1-300)"
  done
  kc delete namespace "$GATECHECK_NS" --wait=false >/dev/null
  figure "helm install --wait, then at once a pod in an opted-in namespace: pods that got the gate" "10 of 10"
  figure "helm install to both operator replicas Ready and the webhook answering through its Service (10 installs)" \
    "$(join_by ' s, ' "${INSTALL_TIMES[@]}") s"
}

# The example manifests as a user applies them, with the images replaced by the stand-ins and
# a pull policy that never asks a registry (the images are preloaded into containerd).
examples() {
  local f
  for f in "$@"; do
    cat "$REPO/examples/kubernetes/$f"
    printf '\n---\n'
  done | sed -E \
    -e 's#^( *)image: postgres:18-alpine#\1image: localhost/postgres:e2e\n\1imagePullPolicy: Never#' \
    -e 's#^( *)image: nginxinc/nginx-unprivileged:[^ ]*#\1image: localhost/app:e2e\n\1imagePullPolicy: Never#' \
    -e 's#^( *)image: ghcr.io/dbbinding/dbbinding:[^ ]*#\1image: localhost/dbbinding:e2e\n\1imagePullPolicy: Never#'
}

apply_examples() {
  step "kubectl apply of examples/kubernetes/"
  kc create namespace "$NS" >/dev/null
  APPLIED_MS="$(now_ms)"
  examples postgres.yaml secret.yaml migrations-configmap.yaml databasebinding.yaml deployment.yaml |
    kc -n "$NS" apply -f - >"$STATE/logs/apply.log" 2>&1 ||
    fail apply "kubectl apply failed: $(cat "$STATE/logs/apply.log")"
}

# 1. The binding Ready; the app's pods Ready only once their gate is True; until then the
#    Service's EndpointSlice lists them not ready.
check_1() {
  step "check 1: binding Ready, pods Ready only behind their gate"
  local deadline=$((SECONDS + 240)) binding_seen="" pods ready pod ip gate podready t
  while :; do
    sample "check 1"
    [ -z "$binding_seen" ] && binding_ready && binding_seen="$(now_ms)"
    ready=$(grep -c '|True|True|' <<<"$SAMPLE_PODS" || true)
    [ -n "$binding_seen" ] && [ "$ready" -ge 2 ] && [ "$SAMPLE_READY_ENDPOINTS" -ge 2 ] && break
    [ $SECONDS -lt $deadline ] ||
      fail "check 1" "after 240 s: binding Ready=$(binding_field '{.status.conditions[?(@.type=="Ready")].status}')," \
        "$ready of 2 pods Ready, $SAMPLE_READY_ENDPOINTS ready endpoints"
    sleep 0.2
  done
  [ "$(binding_field '{.status.schemaVersion}')" = 3 ] ||
    fail "check 1" "the binding is Ready at schema $(binding_field '{.status.schemaVersion}'), not 3"
  # Every Ready pod carries a True gate (the kubelet counts it in Ready).
  while IFS='|' read -r pod ip gate podready _; do
    [ -n "$pod" ] && [ "$podready" = True ] && [ "$gate" != True ] &&
      fail "check 1" "pod $pod is Ready with its gate '$gate'"
  done <<<"$SAMPLE_PODS"

  local created ready_at name
  created="$(ts_ms "$(binding_field '{.metadata.creationTimestamp}')")"
  ready_at="$(ts_ms "$(binding_field '{.status.conditions[?(@.type=="Ready")].lastTransitionTime}')")"
  figure "binding created to Ready (API timestamps, 1 s resolution; migrations V1 to V3 on a new database)" \
    "$(seconds "$created" "$ready_at") s (seen by kubectl $(seconds "$APPLIED_MS" "$binding_seen") s after the apply)"
  local starts=() first_pods=()
  mapfile -t first_pods < <(cut -d'|' -f1 <<<"$SAMPLE_PODS")
  for pod in "${first_pods[@]}"; do
    local started cready
    started="$(kc -n "$NS" get pod "$pod" \
      -o jsonpath='{.status.containerStatuses[?(@.name=="dbbinding")].state.running.startedAt}')"
    cready="$(kc -n "$NS" get pod "$pod" \
      -o jsonpath='{.status.conditions[?(@.type=="ContainersReady")].lastTransitionTime}')"
    starts+=("$(seconds "$(ts_ms "$started")" "$(ts_ms "$cready")") s")
  done
  name="sidecar container start to Ready (API timestamps, 1 s resolution; the first pods,"
  name+=" so including the wait for schema 3)"
  figure "$name" "$(join_by ', ' "${starts[@]}")"
  name="gate True and containers ready to endpoint ready, first pods (polled, about 0.3 s resolution;"
  name+=" (g): the gate came last, (c): the sidecar's readiness did)"
  figure "$name" "$(gate_to_endpoint "${first_pods[@]}")"
  figure "kubectl apply of the examples to both app pods ready endpoints" "$(seconds "$APPLIED_MS" "$(now_ms)") s"
}

# 2. A rollout that needs a newer schema: required version 4 and migration V4 in one apply; the
#    new pods wait at the gate, the old ones keep serving (never zero ready endpoints), and the
#    new pods take traffic once the operator applied V4.
check_2() {
  step "check 2: rollout to schema 4 with V4 in the same apply"
  local t0 deadline=$((SECONDS + 240)) new min_ready=99 waited=""
  {
    examples migrations-configmap.yaml | sed '/^---$/d'
    cat <<'EOF'
  V4__add_order_note.sql: |
    -- Added by e2e/node.sh's rollout check.
    ALTER TABLE orders ADD COLUMN note text;
EOF
    echo "---"
    examples deployment.yaml | sed -e 's/required-schema-version: "3"/required-schema-version: "4"/' \
      -e '/name: REQUIRED_SCHEMA_VERSION/s/value: "3"/value: "4"/'
  } > "$STATE/rollout.yaml"
  grep -q 'REQUIRED_SCHEMA_VERSION, value: "4"' "$STATE/rollout.yaml" ||
    fail "check 2" "could not raise REQUIRED_SCHEMA_VERSION in the example"
  t0="$(now_ms)"
  kc -n "$NS" apply -f "$STATE/rollout.yaml" >"$STATE/logs/apply-rollout.log" 2>&1 ||
    fail "check 2" "kubectl apply failed: $(cat "$STATE/logs/apply-rollout.log")"
  while :; do
    sample "check 2"
    [ "$SAMPLE_READY_ENDPOINTS" -lt "$min_ready" ] && min_ready=$SAMPLE_READY_ENDPOINTS
    [ "$SAMPLE_READY_ENDPOINTS" -ge 1 ] || fail "check 2" "the Service $APP has no ready endpoint during the rollout"
    # A new pod whose containers are up but whose gate is not True yet: it waits at the gate.
    grep -E '\|[^|]*\|(False|)\|False\|[0-9 ]*\|4\|\|' <<<"$SAMPLE_PODS" >/dev/null && waited=yes
    new="$(grep -cE '\|True\|True\|[0-9 ]*\|4\|\|' <<<"$SAMPLE_PODS" || true)"
    if [ "$new" -ge 2 ] && [ "$(grep -c . <<<"$SAMPLE_PODS")" -eq 2 ] &&
      [ "$(binding_field '{.status.schemaVersion}')" = 4 ]; then
      break
    fi
    [ $SECONDS -lt $deadline ] ||
      fail "check 2" "after 240 s: $new of 2 new pods Ready," \
        "binding at schema $(binding_field '{.status.schemaVersion}')"
    sleep 0.2
  done
  local newpods=() value
  mapfile -t newpods < <(grep -E '\|4\|\|' <<<"$SAMPLE_PODS" | cut -d'|' -f1)
  value="$(seconds "$t0" "$(now_ms)") s, never fewer than $min_ready ready endpoint(s)"
  [ -z "$waited" ] || value+=", a new pod was seen unready with its gate not yet True"
  figure "rollout to schema 4 (apply to both new pods ready, old ones gone)" "$value"
  figure "gate True and containers ready to endpoint ready, new pods (polled)" "$(gate_to_endpoint "${newpods[@]}")"
}

# 3. PostgreSQL's pod deleted: the sidecars' readiness turns False and the endpoints not ready
#    within a probe period or three, no container restarts; PostgreSQL back: ready again.
check_3() {
  step "check 3: PostgreSQL's pod deleted and back"
  local pg t0 t_unready t_pg deadline before
  local pg_pods=(-n "$NS" get pods -l app.kubernetes.io/name=orders-postgres)
  before="$(restarts_total "$NS")"
  pg="$(kc "${pg_pods[@]}" -o jsonpath='{.items[0].metadata.name}')"
  t0="$(now_ms)"
  kc -n "$NS" delete pod "$pg" --wait=false >/dev/null
  deadline=$((SECONDS + 30))
  while :; do
    sample "check 3"
    [ "$SAMPLE_READY_ENDPOINTS" -eq 0 ] && break
    [ $SECONDS -lt $deadline ] ||
      fail "check 3" "30 s after PostgreSQL's pod was deleted the Service still has" \
        "$SAMPLE_READY_ENDPOINTS ready endpoint(s)"
    sleep 0.2
  done
  t_unready="$(now_ms)"
  figure "PostgreSQL pod deleted to no ready endpoint (readiness probe period 5 s)" "$(seconds "$t0" "$t_unready") s"
  deadline=$((SECONDS + 180))
  t_pg=""
  while :; do
    sample "check 3"
    if [ -z "$t_pg" ] && [ "$(kc "${pg_pods[@]}" -o jsonpath='{.items[?(@.metadata.deletionTimestamp)]}')" = "" ] &&
      [ "$(kc "${pg_pods[@]}" -o jsonpath='{.items[0].status.conditions[?(@.type=="Ready")].status}')" = True ]; then
      t_pg="$(now_ms)"
    fi
    [ "$SAMPLE_READY_ENDPOINTS" -ge 2 ] && break
    [ $SECONDS -lt $deadline ] ||
      fail "check 3" "180 s after the outage only $SAMPLE_READY_ENDPOINTS endpoint(s) ready again" \
        "(the new PostgreSQL starts empty: the operator must migrate it again)"
    sleep 0.5
  done
  figure "new PostgreSQL pod Ready (an empty database: the operator migrates it again) to both endpoints ready" \
    "$(seconds "${t_pg:-$t_unready}" "$(now_ms)") s"
  [ "$(restarts_total "$NS")" = "$before" ] ||
    fail "check 3" "containers restarted during the outage (restarts $before -> $(restarts_total "$NS")):" \
      "liveness must not depend on the database"
}

# 4. The leading operator pod deleted: the other replica leads; a binding change made right
#    after is reconciled.
check_4() {
  step "check 4: the leading operator replica deleted"
  local leader other t0 holder gen deadline t_lead=""
  leader="$(kc -n "$OP_NS" get lease dbbinding-operator -o jsonpath='{.spec.holderIdentity}')"
  [ -n "$leader" ] || fail "check 4" "the Lease dbbinding-operator has no holder"
  other="$(kc -n "$OP_NS" get pods -l app.kubernetes.io/name=dbbinding \
    -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | grep -vx "$leader" | sed -n 1p)"
  t0="$(now_ms)"
  kc -n "$OP_NS" delete pod "$leader" --wait=false >/dev/null
  # The change, right after: a new checkInterval (a new generation the new leader must observe).
  kc -n "$NS" patch dbb orders --type merge -p '{"spec":{"checkInterval":"45s"}}' >/dev/null
  gen="$(binding_field '{.metadata.generation}')"
  deadline=$((SECONDS + 90))
  while :; do
    holder="$(kc -n "$OP_NS" get lease dbbinding-operator -o jsonpath='{.spec.holderIdentity}')"
    [ -z "$t_lead" ] && [ -n "$holder" ] && [ "$holder" != "$leader" ] && t_lead="$(now_ms)"
    [ -n "$t_lead" ] && [ "$(binding_field '{.status.observedGeneration}')" = "$gen" ] && binding_ready && break
    [ $SECONDS -lt $deadline ] ||
      fail "check 4" "90 s after deleting the leader $leader: Lease holder '$holder', binding observedGeneration" \
        "$(binding_field '{.status.observedGeneration}') of $gen"
    sleep 0.2
  done
  [ "$holder" = "$other" ] || log "check 4: the new leader is $holder (not the other running replica $other)"
  figure "leader deleted to the other replica holding the Lease" "$(seconds "$t0" "$t_lead") s ($leader -> $holder)"
  figure "binding change made right after the deletion to reconciled (observedGeneration)" \
    "$(seconds "$t0" "$(now_ms)") s"
}

# 5. 30 s of load through the pod network at one sidecar (64 keep-alive connections, then 16
#    with a new connection each): zero socket errors, zero restarts, peak memory under 80 MiB.
check_5() {
  step "check 5: 30 s of load at one sidecar through the pod network"
  local pod ip cid pid cg peak limit before out
  before="$(restarts_total "$NS")"
  pod="$(kc -n "$NS" get pods -l app.kubernetes.io/name=$APP -o jsonpath='{.items[0].metadata.name}')"
  ip="$(kc -n "$NS" get pod "$pod" -o jsonpath='{.status.podIP}')"
  dbbinding_find_java >/dev/null || fail "check 5" "no JDK 25 for the load tool"
  out="$(java "$REPO/bench/node/PodLoad.java" "$ip" 8123 /health/ready 15 64 16 2>&1)" ||
    fail "check 5" "the load had socket errors: $out"
  log "$out"
  grep -q 'statuses=200:[0-9]*$' <<<"$out" || fail "check 5" "not every answer was 200: $(tail -n 1 <<<"$out")"
  cid="$(kc -n "$NS" get pod "$pod" -o jsonpath='{.status.containerStatuses[?(@.name=="dbbinding")].containerID}')"
  cid="${cid#containerd://}"
  pid="$(ctr_k8s tasks ls | awk -v id="$cid" '$1 == id { print $2 }')"
  [ -n "$pid" ] || fail "check 5" "no task for the sidecar container $cid"
  cg="$(awk -F: '$2 == "memory" { print $3 }' "/proc/$pid/cgroup")"
  peak="$(cat "/sys/fs/cgroup/memory$cg/memory.max_usage_in_bytes")"
  limit="$(cat "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes")"
  [ "$(restarts_total "$NS")" = "$before" ] || fail "check 5" "containers restarted under load"
  [ "$peak" -lt "$limit" ] || fail "check 5" "the sidecar's peak memory $peak reached its limit $limit"
  local name
  name="load at one sidecar ($ip:8123 /health/ready): 15 s at 64 keep-alive connections,"
  name+=" 15 s at 16 new connections each"
  figure "$name" "$(tr '\n' ';' <<<"$out" | sed 's/;$//; s/;/; /g')"
  name="sidecar peak container memory (cgroup memory.max_usage_in_bytes, since the container started,"
  name+=" load included)"
  figure "$name" \
    "$(awk -v p="$peak" -v l="$limit" 'BEGIN { printf "%.1f MiB of its %.0f MiB limit", p / 1048576, l / 1048576 }')"
}

# 6. Gate injection: the example Deployment without a hand-written readiness gate, in a namespace
#    labelled dbbinding.io/inject-gates=enabled. The chart's webhook adds the gate when the pods
#    are created; the pods then wait at it (their binding does not exist yet: BindingNotFound),
#    and take traffic once the binding is applied and Ready.
INJECTED_NS=shop-injected
check_6() {
  step "check 6: the webhook injects the gate in an opted-in namespace, and the gate holds"
  local t0 deadline pods gates containers held_since t_binding
  opt_in "$INJECTED_NS"
  examples secret.yaml migrations-configmap.yaml deployment.yaml | without_gate > "$STATE/injected.yaml"
  grep -q 'conditionType: dbbinding.io/ready' "$STATE/injected.yaml" &&
    fail "check 6" "could not take the readiness gate out of the example Deployment"
  t0="$(now_ms)"
  kc -n "$INJECTED_NS" apply -f "$STATE/injected.yaml" >"$STATE/logs/apply-injected.log" 2>&1 ||
    fail "check 6" "kubectl apply failed: $(cat "$STATE/logs/apply-injected.log")"
  # The pods are created with the gate, their containers become ready, and still they are held.
  deadline=$((SECONDS + 180))
  while :; do
    pods="$(injected_pods)"
    containers=$(grep -cE '^[^|]*\|[^|]*\|[^|]*\|[^|]*\|True\|' <<<"$pods" || true)
    [ "$containers" -ge 2 ] && break
    [ $SECONDS -lt $deadline ] || fail "check 6" "after 180 s only $containers of 2 pods have ready containers: $pods"
    sleep 0.5
  done
  while IFS='|' read -r pod gates gate reason containers ready; do
    [ -n "$pod" ] || continue
    [ "$gates" = dbbinding.io/ready ] ||
      fail "check 6" "pod $pod was created with readiness gates '$gates', not the injected dbbinding.io/ready"
    [ "$ready" != True ] || fail "check 6" "pod $pod is Ready before its binding exists (gate '$gate' $reason)"
  done <<<"$pods"
  # Held for a few seconds more: never a ready endpoint while the binding is missing.
  held_since=$SECONDS
  while [ $((SECONDS - held_since)) -lt 5 ]; do
    [ "$(injected_ready_endpoints)" -eq 0 ] ||
      fail "check 6" "a pod is a ready endpoint of $APP in $INJECTED_NS while its binding does not exist"
    sleep 0.5
  done
  grep -q '|BindingNotFound|' <<<"$(injected_pods)" ||
    fail "check 6" "the gates do not say BindingNotFound: $(injected_pods)"
  local name
  name="webhook: pods created with the injected gate, containers ready, held out of the Service while their"
  name+=" binding is missing"
  figure "$name" "$(seconds "$t0" "$(now_ms)") s after the apply; 2 of 2 pods held"
  # The binding: the gates turn True and the pods take traffic.
  t_binding="$(now_ms)"
  examples databasebinding.yaml | kc -n "$INJECTED_NS" apply -f - >>"$STATE/logs/apply-injected.log" 2>&1 ||
    fail "check 6" "kubectl apply of the binding failed: $(tail -n 3 "$STATE/logs/apply-injected.log")"
  deadline=$((SECONDS + 120))
  while [ "$(injected_ready_endpoints)" -lt 2 ]; do
    [ $SECONDS -lt $deadline ] ||
      fail "check 6" "120 s after the binding was applied: $(injected_ready_endpoints) of 2 endpoints ready;" \
        "pods: $(injected_pods)"
    sleep 0.2
  done
  grep -vq '|True|Ready|' <<<"$(injected_pods | grep .)" &&
    fail "check 6" "a pod's gate is not True with reason Ready: $(injected_pods)"
  figure "webhook: binding applied to both injected-gate pods ready endpoints" "$(seconds "$t_binding" "$(now_ms)") s"
}

# 7. Scale-out: the first release upgraded to the binding selector dbbinding.io/shard!=b (every
#    binding above still matches it), a second release in a namespace of its own with
#    dbbinding.io/shard=b, its own Lease and no webhook. Each release's operator reconciles only
#    the bindings its selector matches (the Events' reporting instance, each leader's cache), and
#    a binding relabelled from one selector to the other is taken over: it leaves the first
#    leader's cache, enters the second's, and its next migration is the second release's work.
SHARD_NS=shop-shards
SHARD_OP_NS=dbbinding-b
SHARD_LEASE=dbbinding-b
check_7() {
  step "check 7: a second release with a disjoint binding selector and its own Lease; a binding moved to it"
  local t0 t_split deadline name
  t0="$(now_ms)"
  helm_ upgrade dbbinding "$REPO/helm/dbbinding" --namespace "$OP_NS" --reuse-values --wait --timeout 4m \
    --set-string 'bindingLabelSelector=dbbinding.io/shard!=b' >"$STATE/logs/helm-shards.log" 2>&1 ||
    fail "check 7" "helm upgrade of the first release failed: $(tail -n 1 "$STATE/logs/helm-shards.log")"
  helm_ install dbbinding-b "$REPO/helm/dbbinding" --namespace "$SHARD_OP_NS" --create-namespace \
    --set image.repository=localhost/dbbinding --set image.tag=e2e --set image.pullPolicy=Never \
    --set-string 'bindingLabelSelector=dbbinding.io/shard=b' --set leaderElection.leaseName="$SHARD_LEASE" \
    --set webhook.enabled=false --wait --timeout 4m >>"$STATE/logs/helm-shards.log" 2>&1 ||
    fail "check 7" "helm install of the second release failed: $(tail -n 1 "$STATE/logs/helm-shards.log")"
  t_split="$(now_ms)"
  kc create namespace "$SHARD_NS" >/dev/null
  { examples secret.yaml; shard_binding shard-a a; shard_binding shard-b b; } |
    kc -n "$SHARD_NS" apply -f - >"$STATE/logs/apply-shards.log" 2>&1 ||
    fail "check 7" "kubectl apply failed: $(cat "$STATE/logs/apply-shards.log")"
  deadline=$((SECONDS + 180))
  until shard_reported shard-a 1 Ready 1 && shard_reported shard-b 1 Ready 1; do
    [ $SECONDS -lt $deadline ] ||
      fail "check 7" "after 180 s: shard-a at schema '$(shard_field shard-a '{.status.schemaVersion}')'," \
        "shard-b at '$(shard_field shard-b '{.status.schemaVersion}')', or no Ready Event"
    sleep 0.5
  done
  # Each binding's Events come from its own release's pods only; each leader caches only its own.
  only_reported_by shard-a "$OP_NS" "$(event_reporters shard-a)"
  only_reported_by shard-b "$SHARD_OP_NS" "$(event_reporters shard-b)"
  { caches "$OP_NS" dbbinding-operator shard-a && ! caches "$OP_NS" dbbinding-operator shard-b; } ||
    fail "check 7" "the first release's leader does not cache exactly shard-a of $SHARD_NS"
  { caches "$SHARD_OP_NS" "$SHARD_LEASE" shard-b && ! caches "$SHARD_OP_NS" "$SHARD_LEASE" shard-a; } ||
    fail "check 7" "the second release's leader does not cache exactly shard-b of $SHARD_NS"
  name="scale-out: helm upgrade of the first release to a binding selector, then helm install of a second"
  name+=" one (its own namespace, selector and Lease; no webhook)"
  figure "$name" "$(seconds "$t0" "$t_split") s"
  figure "scale-out: two bindings, one per release, applied to both Ready (schema 1), each by its own release" \
    "$(seconds "$t_split" "$(now_ms)") s"

  # The move: shard-a relabelled to the second release's selector, then a new migration for it.
  local t_move t_taken before
  before="$(event_reporters shard-a)"
  t_move="$(now_ms)"
  kc -n "$SHARD_NS" label dbb shard-a dbbinding.io/shard=b --overwrite >/dev/null
  deadline=$((SECONDS + 60))
  until caches "$SHARD_OP_NS" "$SHARD_LEASE" shard-a && ! caches "$OP_NS" dbbinding-operator shard-a; do
    [ $SECONDS -lt $deadline ] ||
      fail "check 7" "60 s after the relabel shard-a is not in the second release's cache alone"
    sleep 0.5
  done
  t_taken="$(now_ms)"
  shard_binding shard-a b V2__add_items_note.sql 'ALTER TABLE items ADD COLUMN note text;' |
    kc -n "$SHARD_NS" apply -f - >>"$STATE/logs/apply-shards.log" 2>&1 ||
    fail "check 7" "kubectl apply of V2 failed: $(tail -n 3 "$STATE/logs/apply-shards.log")"
  deadline=$((SECONDS + 120))
  until shard_reported shard-a 2 MigrationsApplied 2; do
    [ $SECONDS -lt $deadline ] ||
      fail "check 7" "120 s after V2 was added: shard-a at schema '$(shard_field shard-a '{.status.schemaVersion}')'"
    sleep 0.5
  done
  # Every Event since the move (those beyond the ones before it, counted as a multiset: the list
  # comes in no set order) is the second release's.
  only_reported_by shard-a "$SHARD_OP_NS" "$(comm -13 <(sort <<<"$before") <(event_reporters shard-a | sort))"
  [ "$(restarts_total "$SHARD_OP_NS")" = 0 ] ||
    fail "check 7" "the second release's operator restarted: $(restarts_total "$SHARD_OP_NS")"
  figure "scale-out: a binding relabelled to the second release's selector, until only the second leader caches it" \
    "$(seconds "$t_move" "$t_taken") s"
  figure "scale-out: then a migration added for it, until applied and reported by the second release (schema 2)" \
    "$(seconds "$t_taken" "$(now_ms)") s"
}

# 8. A column rename as expand, rollout, contract: orders.note becomes orders.remark. One apply
#    holds V5 (expand: add remark, backfill, a trigger keeping both in step), V6 marked
#    "-- dbbinding:contract" (drop note and the trigger) and the Deployment declaring schema 5.
#    The operator applies V5 at once and holds V6 (MigrationsApplied WaitingForRollout) while a pod
#    declaring 4 exists, terminating ones included; the new pods' gates open at schema 5, so the
#    rollout goes on, never below one ready endpoint; V6 is applied only after the last old pod is
#    gone, within a reconcile of its deletion.
check_8() {
  step "check 8: a column rename as expand, rollout to schema 5, contract step V6 after the last old pod"
  local t0 deadline=$((SECONDS + 240)) min_ready=99 old old_pods new schema reason waited="" t_gone="" t_applied=""
  {
    examples migrations-configmap.yaml | sed '/^---$/d'
    cat <<'EOF2'
  V4__add_order_note.sql: |
    -- Added by e2e/node.sh's rollout check.
    ALTER TABLE orders ADD COLUMN note text;
  V5__add_order_remark.sql: |
    -- Expand (e2e/node.sh check 8): the new column, filled, and kept in step with the old one.
    ALTER TABLE orders ADD COLUMN remark text;
    UPDATE orders SET remark = note WHERE remark IS NULL;
    CREATE FUNCTION orders_remark_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.remark IS NULL THEN NEW.remark := NEW.note; END IF;
      IF NEW.note IS NULL THEN NEW.note := NEW.remark; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER orders_remark_sync BEFORE INSERT OR UPDATE ON orders
      FOR EACH ROW EXECUTE FUNCTION orders_remark_sync();
  V6__drop_order_note.sql: |
    -- dbbinding:contract
    DROP TRIGGER orders_remark_sync ON orders;
    DROP FUNCTION orders_remark_sync();
    ALTER TABLE orders DROP COLUMN note;
EOF2
    echo "---"
    examples deployment.yaml | sed -e 's/required-schema-version: "3"/required-schema-version: "5"/' \
      -e '/name: REQUIRED_SCHEMA_VERSION/s/value: "3"/value: "5"/'
  } > "$STATE/rename.yaml"
  grep -q 'REQUIRED_SCHEMA_VERSION, value: "5"' "$STATE/rename.yaml" ||
    fail "check 8" "could not raise REQUIRED_SCHEMA_VERSION in the example"
  [ "$(binding_field '{.status.schemaVersion}')" = 4 ] ||
    fail "check 8" "the binding is at schema $(binding_field '{.status.schemaVersion}') before the rename, not 4"
  t0="$(now_ms)"
  kc -n "$NS" apply -f "$STATE/rename.yaml" >"$STATE/logs/apply-rename.log" 2>&1 ||
    fail "check 8" "kubectl apply failed: $(cat "$STATE/logs/apply-rename.log")"
  while :; do
    # The binding first, then the pods: a schema 6 read before a pod declaring 4 is seen is a
    # real violation, while the other order raced (the last old pod gone and V6 applied between
    # the two reads, as the operator does within a reconcile) and failed a correct run.
    schema="$(binding_field '{.status.schemaVersion}')"
    reason="$(binding_field '{.status.conditions[?(@.type=="MigrationsApplied")].reason}')"
    sample "check 8"
    [ "$SAMPLE_READY_ENDPOINTS" -lt "$min_ready" ] && min_ready=$SAMPLE_READY_ENDPOINTS
    [ "$SAMPLE_READY_ENDPOINTS" -ge 1 ] || fail "check 8" "the Service $APP has no ready endpoint during the rename"
    # Pods on the old code: declaring 4, terminating ones included (they still run it), but not
    # those whose containers have all stopped: the kubelet marks a deleted pod Succeeded or Failed
    # then, and the API keeps it a moment longer. The operator rightly counts them out; counting
    # them in failed correct runs (V6 applied in that moment).
    old_pods="$(grep -E '^[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|4\|' <<<"$SAMPLE_PODS" |
      grep -vE '\|(Succeeded|Failed)$' || true)"
    old="$(grep -c . <<<"$old_pods" || true)"
    [ "$old" -gt 0 ] && [ "$reason" = WaitingForRollout ] && waited=yes
    [ "$old" -gt 0 ] && [ "$schema" = 6 ] &&
      fail "check 8" "the contract step V6 was applied while $old pod(s) declaring schema 4 still exist" \
        "(pod|ip|gate|ready|restarts|version|deletion|containers-ready|phase: ${old_pods//$'\n'/, })"
    [ "$old" -eq 0 ] && [ -z "$t_gone" ] && t_gone="$(now_ms)"
    [ "$schema" = 6 ] && [ -z "$t_applied" ] && t_applied="$(now_ms)"
    new="$(grep -cE '\|True\|True\|[0-9 ]*\|5\|\|' <<<"$SAMPLE_PODS" || true)"
    [ -n "$t_applied" ] && [ "$new" -ge 2 ] && [ "$(grep -c . <<<"$SAMPLE_PODS")" -eq 2 ] && break
    [ $SECONDS -lt $deadline ] ||
      fail "check 8" "after 240 s: $new of 2 new pods Ready, $old old pod(s), binding at schema '$schema'" \
        "(MigrationsApplied $reason)"
    sleep 0.2
  done
  [ -n "$waited" ] ||
    fail "check 8" "the binding was never seen WaitingForRollout while pods declaring schema 4 existed"
  kc -n "$NS" get events --field-selector involvedObject.name=orders -o jsonpath='{.items[*].reason}' |
    grep -qw WaitingForRollout || fail "check 8" "no WaitingForRollout Event on the binding"
  [ "$(binding_field '{.status.conditions[?(@.type=="MigrationsApplied")].reason}')" = Applied ] ||
    [ "$(binding_field '{.status.conditions[?(@.type=="MigrationsApplied")].reason}')" = UpToDate ] ||
    fail "check 8" "MigrationsApplied is $(binding_field '{.status.conditions[?(@.type=="MigrationsApplied")].reason}') at schema 6"
  local columns
  columns="$(kc -n "$NS" exec deploy/orders-postgres -- psql -U app -d orders -tAc \
    "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'orders'" 2>&1)" ||
    fail "check 8" "could not read the orders table's columns: $columns"
  [[ ",$columns," == *,remark,* && ",$columns," != *,note,* ]] ||
    fail "check 8" "orders has the columns $columns: remark without note expected"
  local name
  name="column rename, expand V5 and contract V6 with the rollout to schema 5 in one apply:"
  name+=" apply to V6 applied and both new pods ready"
  figure "$name" "$(seconds "$t0" "$(now_ms)") s, never fewer than $min_ready ready endpoint(s)"
  figure "column rename: last old pod (schema 4) gone to the contract step V6 applied (polled, about 0.5 s resolution)" \
    "$(seconds "$t_gone" "$t_applied") s"
}

# shard_binding NAME SHARD [FILE SQL]: a ConfigMap holding V1 (and FILE) and a binding of it
# labelled dbbinding.io/shard=SHARD, on the example's Secret, in a schema of its own.
shard_binding() {
  cat <<EOF
apiVersion: v1
kind: ConfigMap
metadata: {name: $1-migrations}
data:
  V1__create_items.sql: "CREATE TABLE items (id bigint PRIMARY KEY);"
${3:+  $3: \"$4\"}
---
apiVersion: dbbinding.io/v1alpha1
kind: DatabaseBinding
metadata:
  name: $1
  labels: {dbbinding.io/shard: "$2"}
spec:
  database:
    secretRef: {name: orders-db, key: DATABASE_URL}
  migrations:
    configMapRefs: [{name: $1-migrations}]
    schema: ${1//-/_}
  checkInterval: 60s
---
EOF
}

# shard_reported BINDING VERSION REASON COUNT: whether BINDING of check 7's namespace is at schema
# VERSION with at least COUNT Events of REASON.
shard_reported() {
  [ "$(shard_field "$1" '{.status.schemaVersion}')" = "$2" ] &&
    [ "$(event_reporters "$1" | grep -c "^$3|")" -ge "$4" ]
}

# only_reported_by BINDING NAMESPACE LINES: fails check 7 unless each of LINES (event_reporters'
# "reason|instance") names an operator pod of NAMESPACE; and LINES are not none.
only_reported_by() {
  local pods reason instance
  pods="$(operator_pods "$2")"
  [ -n "$3" ] || fail "check 7" "no Event on $1 to tell which release reconciled it"
  while IFS='|' read -r reason instance; do
    [ -n "$reason" ] || continue
    grep -qxF "$instance" <<<"$pods" ||
      fail "check 7" "Event $reason on $1 was reported by '$instance', not by a pod of $2: $(tr '\n' ' ' <<<"$pods")"
  done <<<"$3"
}

scenario() {
  SCENARIO_T0=$SECONDS
  check_0
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  apply_examples
  check_1
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  check_2
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  check_3
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  check_4
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  check_5
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  check_6
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  check_7
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  check_8
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  [ "$(restarts_total "$OP_NS")" = 0 ] || fail scenario "operator containers restarted: $(restarts_total "$OP_NS")"
  SCENARIO_SECONDS=$((SECONDS - SCENARIO_T0))
  log "scenario: every check held in $SCENARIO_SECONDS s"
}
