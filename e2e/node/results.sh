# shellcheck shell=bash
# Sourced by e2e/node/scenario.sh: the figures its checks measure, and the node's section of
# bench/RESULTS.md written from them once every check held. The section is written by the bench's
# own writer (bench/src/main/java/io/dbbinding/bench/Results.java, run by Java's source launcher:
# no build step), so that the node's section and the benchmarks' share one format.
#
#   figure NAME VALUE      one row of the section's table
#   seconds, join_by       how the checks write their figures
#   gate_to_endpoint       a figure of what sample (e2e/node/observers.sh) recorded
#   write_results TOTAL    the section, with the machine, the node's times and every figure

FIGURES=()
figure() { FIGURES+=("| $1 | $2 |"); log "figure: $1: $2"; }

# seconds FROM_MS TO_MS: the difference in seconds with one decimal.
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# join_by SEPARATOR WORD...: the words with SEPARATOR between them.
join_by() {
  local sep="$1" out w
  shift
  [ $# -gt 0 ] || { echo; return 0; }
  out="$1"
  shift
  for w in "$@"; do out+="$sep$w"; done
  printf '%s\n' "$out"
}

# gate_to_endpoint PODS...: for each pod, from the moment its gate was True and its containers
# ready (whichever came last: the pod can be Ready from then on) to its endpoint ready; "a s,
# b s" (g) when the gate came last, (c) when the containers did.
gate_to_endpoint() {
  local p out=() from which
  for p in "$@"; do
    if [ -z "${GATE_AT[$p]:-}" ] || [ -z "${ENDPOINT_AT[$p]:-}" ] || [ -z "${CONTAINERS_AT[$p]:-}" ]; then
      continue
    fi
    if [ "${GATE_AT[$p]}" -ge "${CONTAINERS_AT[$p]}" ]; then
      from="${GATE_AT[$p]}" which=g
    else
      from="${CONTAINERS_AT[$p]}" which=c
    fi
    out+=("$(seconds "$from" "${ENDPOINT_AT[$p]}") s ($which)")
  done
  if [ ${#out[@]} -eq 0 ]; then echo "not seen"; else join_by ', ' "${out[@]}"; fi
}

# write_results TOTAL_SECONDS: replaces the "node" section of bench/RESULTS.md with the figures of
# this run (needs a JDK 25: dbbinding_find_java of .ci/java.sh).
write_results() {
  local total="$1" file="$REPO/bench/RESULTS.md" measured
  measured="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), Kubernetes v$KUBE_VERSION"
  measured+=", $(containerd --version | awk '{print "containerd " $3}'), $(date -u +%F)."
  measured+=" Written by \`e2e/node.sh test\`."
  dbbinding_find_java >/dev/null
  {
    echo "| what | figure |"
    echo "| --- | --- |"
    echo "| images (buildah, uncompressed) |" \
      "$(echo "$IMAGE_SIZES" | awk 'NF { printf "%s%s %s %s", sep, $1, $2, $3; sep = ", " }') |"
    echo "| \`up\` to a Ready node (apt packages and binaries already there) | ${NODE_READY_SECONDS:-?} s |"
    echo "| \`up\` with the images built and imported | ${UP_SECONDS:-?} s |"
    printf '%s\n' "${FIGURES[@]}"
    echo "| the scenario (check 0 to check 8) | ${SCENARIO_SECONDS:-?} s |"
    echo "| the whole \`e2e/node.sh test\` (up, scenario, down) | $total s |"
  } | (cd "$REPO" &&
    java bench/src/main/java/io/dbbinding/bench/Results.java node "A real node (e2e/node.sh test)" "$measured" \
      >/dev/null)
  log "wrote the node section of $file"
}
