#!/bin/sh
# The image's entrypoint: runs a role (sidecar, operator, migrate, ...) with the flags of
# /app/jvm.options, then JAVA_OPTS when it is set, else the defaults of /app/jvm-defaults.options.
# JVM flags go through argfiles and this variable, not JDK_JAVA_OPTIONS, because the JVM announces
# that one with a plain-text "NOTE: Picked up JDK_JAVA_OPTIONS" line, which breaks JSON logs.
set -f # JAVA_OPTS is split into words, never expanded as file names
if [ -n "${JAVA_OPTS:-}" ]; then
  # shellcheck disable=SC2086
  exec java @/app/jvm.options $JAVA_OPTS -jar /app/dbbinding.jar "$@"
fi
exec java @/app/jvm.options @/app/jvm-defaults.options -jar /app/dbbinding.jar "$@"
