# shellcheck shell=bash
# Sourced by e2e/node.sh: builds every image the node runs, with buildah, from this repository
# and from Debian packages (no image can be pulled from any registry here), and imports them
# into the node's containerd.
#
#   localhost/pause:e2e      the pod sandbox (the pause binary of .ci/node-binaries.sh)
#   localhost/dbbinding:e2e  the repository's Dockerfile, its two Temurin bases replaced by
#                            Debian 13 stand-ins with OpenJDK 25 (build arguments)
#   localhost/postgres:e2e   Debian's postgresql, behaving like the official image's entry point
#   localhost/app:e2e        Debian's nginx, unprivileged on 8080 (the example's application)
#
# Base root file systems are kept in $E2E_CACHE keyed by their package list and hooks, and the
# Dockerfile is built with buildah's layer cache, so a second run takes seconds and the
# dbbinding image is rebuilt whenever a file it copies changed.

E2E_CACHE="${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dbbinding-e2e}"
DEBIAN_SUITE="${DEBIAN_SUITE:-trixie}"
IMAGES=(localhost/pause:e2e localhost/dbbinding:e2e localhost/postgres:e2e localhost/app:e2e)

bh() { buildah --root "$E2E_CACHE/buildah" --runroot "$STATE/buildah-run" --storage-driver overlay "$@"; }

# rootfs NAME PACKAGES [CUSTOMIZE_HOOK]: a cached minbase tarball of Debian $DEBIAN_SUITE.
rootfs() {
  local name="$1" packages="$2" hook="${3:-true}" key tar
  key="$(printf '%s\n' "$DEBIAN_SUITE" "$packages" "$hook" v1 | sha256sum | cut -c1-16)"
  tar="$E2E_CACHE/rootfs/$name-$key.tar"
  if [ ! -s "$tar" ]; then
    mkdir -p "$E2E_CACHE/rootfs"
    rm -rf "$E2E_CACHE/rootfs/$name-"*.tar
    log "images: mmdebstrap $DEBIAN_SUITE with $packages"
    # man1 must exist for the JDK's update-alternatives links even though man pages are left out.
    # The downloaded .debs are kept in $E2E_CACHE/debs for the next stand-in (they share most).
    mkdir -p "$E2E_CACHE/debs"
    # The hooks' "$1" is mmdebstrap's (the root being built): single quotes on purpose.
    # shellcheck disable=SC2016
    mmdebstrap --variant=minbase --include="$packages" --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
      --skip=download/empty --skip=essential/unlink \
      --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
      --setup-hook="sync-in $E2E_CACHE/debs /var/cache/apt/archives/" \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      --customize-hook="sync-out /var/cache/apt/archives $E2E_CACHE/debs" \
      --customize-hook="$hook" \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
      "$DEBIAN_SUITE" "$tar.part.tar" >"$STATE/logs/mmdebstrap-$name.log" 2>&1 ||
      die images "mmdebstrap of the $name stand-in failed" "$STATE/logs/mmdebstrap-$name.log"
    mv "$tar.part.tar" "$tar"
  fi
  echo "$tar"
}

# base_image NAME TAR: localhost/e2e-NAME:KEY from that tarball, once.
base_image() {
  local name="$1" tar="$2" ref c
  ref="localhost/e2e-$name:$(basename "$tar" .tar | sed 's/.*-//')"
  if ! bh inspect --type image "$ref" >/dev/null 2>&1; then
    c="$(bh from --quiet scratch)"
    bh add --quiet "$c" "$tar" / >/dev/null
    bh config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 "$c"
    bh commit --quiet --rm "$c" "$ref" >/dev/null
  fi
  echo "$ref"
}

build_pause() {
  local c
  c="$(bh from --quiet scratch)"
  bh copy --quiet "$c" "$KUBE_BIN/pause" /pause >/dev/null
  bh config --entrypoint '["/pause"]' --user 65535:65535 "$c"
  bh commit --quiet --rm "$c" localhost/pause:e2e >/dev/null
}

build_dbbinding() {
  local jdk jre
  jdk="$(base_image jdk "$(rootfs jdk openjdk-25-jdk-headless)")"
  jre="$(base_image jre "$(rootfs jre openjdk-25-jre-headless)")"
  log "images: buildah build of the Dockerfile on $jdk and $jre"
  # The build stage reaches Maven Central trusting what this machine trusts: the host's CA
  # certificates, mounted read-only for the build only (never part of an image layer).
  bh build --isolation chroot --layers --pull=never \
    --build-arg BUILD_IMAGE="$jdk" --build-arg RUNTIME_IMAGE="$jre" \
    --volume /etc/ssl/certs:/etc/ssl/certs:ro \
    -f "$REPO/Dockerfile" -t localhost/dbbinding:e2e "$REPO" >"$STATE/logs/build-dbbinding.log" 2>&1 ||
    die images "buildah build of the Dockerfile failed" "$STATE/logs/build-dbbinding.log"
}

# The postgres stand-in's customize hook: the official image's uid 70, no default cluster, the
# server's binaries on the PATH. Its "$1" is mmdebstrap's (the root being built): single quotes on
# purpose. Never a path through the root's var/run: it is a link to /run, which would be the host's.
# shellcheck disable=SC2016
postgres_root_hook() {
  printf '%s' \
    'sed -i "s/^postgres:x:[0-9]*:[0-9]*:/postgres:x:70:70:/" "$1/etc/passwd";' \
    ' sed -i "s/^postgres:x:[0-9]*:/postgres:x:70:/" "$1/etc/group"; chown -R 70:70 "$1/var/lib/postgresql";' \
    ' rm -rf "$1"/var/lib/postgresql/*/main "$1"/etc/postgresql/[0-9]*;' \
    ' for b in "$1"/usr/lib/postgresql/*/bin/*; do ln -sf "${b#"$1"}" "$1/usr/local/bin/"; done'
}

build_postgres() {
  local base c
  # The official image runs as uid 70; so does this one's postgres user. No default cluster:
  # the entry point initializes PGDATA as the official image does.
  base="$(base_image postgres "$(rootfs postgres postgresql "$(postgres_root_hook)")")"
  c="$(bh from --quiet --pull=never "$base")"
  bh copy --quiet --chmod 0755 "$c" "$REPO/e2e/node/postgres-entrypoint.sh" /usr/local/bin/postgres-entrypoint \
    >/dev/null
  # The server's socket directory, as the official image has it (mmdebstrap empties /run).
  bh run --isolation chroot --user 0:0 "$c" -- sh -c \
    'mkdir -p /run/postgresql && chown 70:70 /run/postgresql && chmod 2775 /run/postgresql' \
    >"$STATE/logs/build-postgres.log" 2>&1 ||
    die images "the stand-in PostgreSQL's socket directory" "$STATE/logs/build-postgres.log"
  # SIGINT: a fast shutdown, as the official image's STOPSIGNAL (SIGTERM would wait for clients).
  # PGDATA as the official postgres:18 image sets it (docker compose's volume is its parent).
  bh config --entrypoint '["/usr/local/bin/postgres-entrypoint"]' --user 70:70 --port 5432 --stop-signal SIGINT \
    --env PGDATA=/var/lib/postgresql/18/docker "$c"
  bh commit --quiet --rm "$c" localhost/postgres:e2e >/dev/null
}

build_app() {
  local base c
  base="$(base_image app "$(rootfs app nginx 'true')")"
  c="$(bh from --quiet --pull=never "$base")"
  bh copy --quiet "$c" "$REPO/e2e/node/nginx.conf" /etc/nginx/e2e.conf >/dev/null
  bh config --entrypoint '["/usr/sbin/nginx", "-c", "/etc/nginx/e2e.conf", "-g", "daemon off;"]' \
    --user 65532:65532 --port 8080 "$c"
  bh commit --quiet --rm "$c" localhost/app:e2e >/dev/null
}

# Builds the images (each step cached) and imports them into the node's containerd.
build_images() {
  local t0=$SECONDS img archive
  mkdir -p "$E2E_CACHE" "$STATE/images"
  build_pause
  build_postgres
  build_app
  build_dbbinding
  for img in "${IMAGES[@]}"; do
    archive="$STATE/images/$(echo "${img#localhost/}" | tr ':/' '__').tar"
    bh push --quiet "$img" "docker-archive:$archive:$img" >/dev/null 2>"$STATE/logs/push.log" ||
      die images "buildah push of $img to an archive failed" "$STATE/logs/push.log"
    ctr_k8s images import --no-unpack=false "$archive" >/dev/null 2>"$STATE/logs/import.log" ||
      die images "ctr images import of $img failed" "$STATE/logs/import.log"
    rm -f "$archive"
  done
  # (Read by e2e/node.sh, which sources this file.)
  # shellcheck disable=SC2034
  IMAGE_SIZES="$(for img in "${IMAGES[@]}"; do
    printf '%s %s\n' "$img" "$(dbb_first_line bh images --noheading --format '{{.Size}}' "$img" 2>/dev/null)"
  done)"
  log "images: ${IMAGES[*]} built and imported in $((SECONDS - t0)) s"
}
