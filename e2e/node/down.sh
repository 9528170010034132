# shellcheck shell=bash
# Sourced by e2e/node.sh: down, which stops everything of the node and removes every process,
# mount, interface, iptables chain and file it made, from this run or from a killed one; the
# caches of e2e/node/images.sh stay. Each step works whatever state the node was left in.

# Every process whose command line names the state directory: ours, from this or a killed run.
our_pids() { pgrep -f -- "$STATE/" | grep -vx "$$" || true; }

# down [quiet]
down() {
  local quiet="${1:-}" ours_run=""
  # /run/containerd, where containerd 1.6 puts its shims' sockets, when up made it.
  [ -f "$STATE/made-run-containerd" ] && ours_run=/run/containerd
  stop_processes
  network_down
  unmount_ours "$ours_run"
  sysctl_restore
  # Cgroups the kubelet and containerd made for the pods.
  local d
  for d in /sys/fs/cgroup/*/kubepods* /sys/fs/cgroup/*/k8s.io; do
    if [ -d "$d" ]; then find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
  done
  remove_files "$ours_run"
  [ -n "$quiet" ] || log "down: no process, mount, interface, iptables chain or file of the node left"
}

# Containers first, through runc's state (works with containerd already gone), then every process.
# (On a machine that never ran the node, runc may be missing: then no container can be left.)
stop_processes() {
  local pid c
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
}

# unmount_ours [OUR_RUN_CONTAINERD]: kubelet volumes, container root file systems, sandbox /dev/shm,
# buildah's layers.
unmount_ours() {
  local ours_run="${1:-}"
  awk -v s="$STATE" -v r="${ours_run:-/nonexistent}" \
    '$2 ~ "^"s || $2 ~ "^"r || $2 ~ "^/run/netns/cni-" || $2 ~ "^/var/run/netns/cni-" {print $2}' /proc/self/mounts |
    sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# remove_files [OUR_RUN_CONTAINERD]: the kubelet's links to the pods' logs (its directory is
# fixed), the directories the node made, $STATE and CNI's results.
remove_files() {
  local ours_run="${1:-}"
  find /var/log/containers -maxdepth 1 -type l -lname "$STATE/*" -delete 2>/dev/null || true
  # (Each may be missing: a node that never ran a pod made neither.)
  if [ -f "$STATE/made-var-log-containers" ]; then rmdir /var/log/containers 2>/dev/null || true; fi
  if [ -f "$STATE/made-run-netns" ]; then rmdir /run/netns 2>/dev/null || true; fi
  rm -rf "$STATE" ${ours_run:+"$ours_run"} /var/lib/cni/results 2>/dev/null || true
  rmdir /var/lib/cni 2>/dev/null || true
}
