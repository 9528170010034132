# shellcheck shell=bash
# Sourced by .ci/run and ./dbbinding: finds a Java 25 (the build's release) and exports JAVA_HOME
# and PATH for it. Looks at JAVA_HOME, then `java` on the PATH, then the JDKs our machines carry
# beside the default 17 (Temurin 25) and Debian's openjdk-25 packages.
dbbinding_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
dbbinding_find_java() {
  local candidate on_path=""
  if command -v java >/dev/null 2>&1; then
    on_path="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  local mac=""
  # macOS: the JDKs under /Library/Java/JavaVirtualMachines, through Apple's own look-up.
  if [ -x /usr/libexec/java_home ]; then mac="$(/usr/libexec/java_home -v 25+ 2>/dev/null || true)"; fi
  for candidate in "${JAVA_HOME:-}" "$on_path" "$mac" /usr/lib/jvm/temurin-25-jdk-amd64 \
      /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 \
      /usr/lib/jvm/java-25-openjdk-arm64 /usr/lib/jvm/java-25-openjdk; do
    if [ -z "$candidate" ] || [ ! -x "$candidate/bin/java" ]; then continue; fi
    local major
    major="$(dbbinding_java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$candidate/bin:$PATH"
      return 0
    fi
  done
  echo "dbbinding: Java 25 or later is required and none was found (set JAVA_HOME to a JDK 25: https://adoptium.net, brew install --cask temurin@25, or on Debian 13 apt-get install openjdk-25-jdk-headless)" >&2
  return 1
}
