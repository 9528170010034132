#!/bin/sh
# The image's entrypoint: runs a role (sidecar, operator, migrate, ...) with the flags of
# /app/jvm.options, then JAVA_OPTS when it is set, else the defaults of /app/jvm-defaults.options.
# JVM flags go through argfiles and this variable, not JDK_JAVA_OPTIONS, because the JVM announces
# that one with a plain-text "NOTE: Picked up JDK_JAVA_OPTIONS" line, which breaks JSON logs.
# The class path too is an argfile, written by the Dockerfile: the sidecar runs on the jars it
# loads and no others (every jar on a class path costs memory: the JDK's and the libraries' service
# look-ups open each one, and an open jar keeps its directory on the heap), every other role on all.
set -f # JAVA_OPTS is split into words, never expanded as file names
classpath=/app/classpath.options
if [ "${1:-}" = sidecar ]; then
  classpath=/app/sidecar-classpath.options
fi
if [ -n "${JAVA_OPTS:-}" ]; then
  # shellcheck disable=SC2086
  exec java @/app/jvm.options $JAVA_OPTS "@$classpath" io.dbbinding.cli.Main "$@"
fi
exec java @/app/jvm.options @/app/jvm-defaults.options "@$classpath" io.dbbinding.cli.Main "$@"
