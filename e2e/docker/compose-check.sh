# shellcheck shell=bash
# Sourced by e2e/docker.sh test, with the engine up and its environment exported: docker-compose.yml
# brought up for real, and the Testcontainers path of the integration tests run against the engine.

COMPOSE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-tools/compose-${COMPOSE_VERSION:-v5.6.0}"
COMPOSE_BIN="${COMPOSE_BIN:-$COMPOSE_DIR/docker-compose}"
PROJECT=dbbinding-check

# compose ARGS...: the repository's docker-compose.yml, with a user's .env of this check.
compose() {
  "$COMPOSE_BIN" -H "$DOCKER_HOST" --project-name "$PROJECT" --project-directory "$REPO" \
    -f "$REPO/docker-compose.yml" --env-file "$CHECK_ENV" "$@"
}

# http_status URL: the status code, or 000 when nothing answers.
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" || true; }

# until_within SECONDS WHAT COMMAND...: until COMMAND succeeds; prints the seconds it took.
until_within() {
  local seconds="$1" what="$2" t0
  shift 2
  t0="$(date +%s%3N)"
  until "$@" >/dev/null 2>&1; do
    [ $(($(date +%s%3N) - t0)) -lt $((seconds * 1000)) ] || compose_fail "$what not within $seconds s"
    sleep 0.2
  done
  awk -v ms="$(($(date +%s%3N) - t0))" 'BEGIN { printf "%.1f", ms / 1000 }'
}

compose_fail() {
  echo "docker: FAILED: compose check: $1" >&2
  compose ps -a >&2 || true
  compose logs --tail 30 >&2 || true
  exit 1
}

postgres_healthy() { [ "$(dock inspect -f '{{.State.Health.Status}}' "$(compose ps -q postgres)")" = healthy ]; }
ready_is() { [ "$(http_status "http://$ENGINE_IP:8123/health/ready")" = "$1" ]; }
sidecar_started() { dock inspect -f '{{.State.StartedAt}}' "$(compose ps -q sidecar)"; }

compose_check() {
  [ -x "$COMPOSE_BIN" ] || bash "$REPO/.ci/compose.sh" >&2
  CHECK_ENV="$DOCKER_RUN/compose.env"
  # A user's .env: its values reach the containers (ENVIRONMENT is in /health/ready's body).
  printf 'ENVIRONMENT=compose-check\nREQUIRED_SCHEMA_VERSION=3\n' > "$CHECK_ENV"
  log "compose: up (postgres, migrate, sidecar) with the loaded images"
  compose up -d --no-build >"$DOCKER_RUN/compose-up.log" 2>&1 ||
    { cat "$DOCKER_RUN/compose-up.log" >&2; compose_fail "docker compose up failed"; }

  # PostgreSQL healthy and published on 5433, as the file says; reached from the host.
  local took body started
  took="$(until_within 120 "postgres healthy" postgres_healthy)"
  pg_isready -q -h "$ENGINE_IP" -p 5433 -t 3 || compose_fail "PostgreSQL does not answer on $ENGINE_IP:5433"
  log "compose: postgres healthy after $took s, answering on port 5433"

  # The migrations applied once: migrate exited 0, the history holds each version once.
  took="$(until_within 120 "the sidecar ready (200)" ready_is 200)"
  [ "$(dock inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$(compose ps -aq migrate)")" = "exited 0" ] ||
    compose_fail "migrate did not exit 0"
  local versions
  versions="$(PGPASSWORD=app psql -h "$ENGINE_IP" -p 5433 -U app -d app -Atc \
    "select string_agg(version, ',' order by installed_rank) from flyway_schema_history where success")"
  [ "$versions" = "1,2,3" ] || compose_fail "the history holds '$versions', not 1,2,3 once each"
  body="$(curl -s "http://$ENGINE_IP:8123/health/ready")"
  [ "$body" = '{"status":"ready","environment":"compose-check","database":"connected"}' ] ||
    compose_fail "/health/ready answered $body"
  log "compose: migrations 1,2,3 applied once; sidecar ready after $took s more: $body"

  # PostgreSQL stopped: 503 within the sidecar's bound; started again: 200, no sidecar restart.
  started="$(sidecar_started)"
  compose stop postgres >/dev/null 2>&1
  took="$(until_within 10 "503 after postgres stopped" ready_is 503)"
  log "compose: postgres stopped, /health/ready 503 after $took s"
  compose start postgres >/dev/null 2>&1
  took="$(until_within 60 "200 after postgres started" ready_is 200)"
  [ "$(sidecar_started)" = "$started" ] || compose_fail "the sidecar restarted"
  log "compose: postgres started, /health/ready 200 after $took s, sidecar not restarted"

  # down -v leaves nothing of the project: containers, networks, volumes.
  compose down -v >/dev/null 2>&1 || compose_fail "docker compose down -v failed"
  local left
  local label="label=com.docker.compose.project=$PROJECT"
  left="$(dock ps -aq --filter "$label")$(dock volume ls -q --filter "$label")$(dock network ls -q --filter "$label")"
  [ -z "$left" ] || compose_fail "docker compose down -v left: $left"
  log "compose: down -v left no container, network or volume"
}

# The integration tests that use a database, on PostgreSQL in Testcontainers against this engine;
# TEST_DATABASE_REQUIRE makes them fail rather than fall back to the embedded one. api.version:
# Testcontainers 2 asks for Docker API 1.44 unless told, and Debian 12's engine speaks 1.41 (surefire
# hands Maven's -D properties to the tests' JVM, where docker-java reads it).
default_tests="MigratorTest,LockTimeoutTest,NonTransactionalMigrationTest,MigrationFaultTest"
default_tests+=",SidecarIntegrationTest,MigrationCliTest,SafeMigrateCliTest"
TESTCONTAINERS_TESTS="${TESTCONTAINERS_TESTS:-$default_tests}"
testcontainers_tests() {
  log "Testcontainers: ${TESTCONTAINERS_TESTS//,/, }"
  (cd "$REPO" && TEST_DATABASE_REQUIRE=testcontainers ./mvnw -B -o -pl operator test \
    -Dtest="$TESTCONTAINERS_TESTS" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djacoco.skip=true -Dspotless.check.skip=true -Dapi.version="$(dock version --format '{{.Server.APIVersion}}')") \
    >"$DOCKER_RUN/testcontainers.log" 2>&1 || {
    tail -n 60 "$DOCKER_RUN/testcontainers.log" >&2
    echo "docker: FAILED: the Testcontainers tests" >&2
    exit 1
  }
  # Maven's last "Tests run:" line is the total.
  local total
  total="$(sed -n 's/^\[INFO\] Tests run: \([0-9]*\), Failures: 0, Errors: 0, Skipped: [0-9]*$/\1/p' \
    "$DOCKER_RUN/testcontainers.log" | tail -n 1)"
  [ "${total:-0}" -gt 0 ] || { echo "docker: FAILED: no test ran on Testcontainers" >&2; exit 1; }
  # (TEST_DATABASE_REQUIRE already fails any test that would have used another database.)
  grep -q 'test database: PostgreSQL 18 in Testcontainers' "$DOCKER_RUN/testcontainers.log" ||
    grep -rq 'test database: PostgreSQL 18 in Testcontainers' "$REPO"/operator/target/surefire-reports/ ||
    { echo "docker: FAILED: the tests did not say they used Testcontainers" >&2; exit 1; }
  log "Testcontainers: $total tests passed on PostgreSQL in a container of this engine"
}
