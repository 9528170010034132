#!/bin/bash
# Records the image's AOT cache (JEP 483, 514, 515): a sidecar, run by this very JVM with the
# image's default flags and on the sidecar's class path, as the entrypoint runs it, starts, answers
# each endpoint a few hundred times and stops; the classes it loaded and linked and the profiles of
# its methods are then ready at every start (/app/jvm.options names the cache). Every other role's
# class path begins with the sidecar's, so the cache serves them too. Run once by the Dockerfile.
# No database is needed: the database probes answer 503, which exercises the same code. See
# bench/RESULTS.md for the gain.
set -euo pipefail
port=18123
DATABASE_URL=postgresql://training@127.0.0.1:1/training PORT=$port LOG_LEVEL=WARN \
  java @/app/jvm-defaults.options -XX:AOTCacheOutput=/app/dbbinding.aot \
  @/app/sidecar-classpath.options io.dbbinding.cli.Main sidecar &
pid=$!
# One GET on a new connection, with bash's /dev/tcp: the runtime image has no HTTP client.
request() {
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n' "$1" >&3
  cat <&3 > /dev/null
  exec 3<&-
}
for _ in $(seq 600); do
  if request /health 2> /dev/null; then break; fi
  sleep 0.1
done
for _ in $(seq 200); do
  for path in /health /health/db /health/ready /metrics /; do request "$path"; done
done
kill -TERM "$pid" # the JVM writes the cache as it exits
wait "$pid"
test -s /app/dbbinding.aot
