# syntax=docker/dockerfile:1
# One image recipe for every Tracemark service: docker build --build-arg SERVICE=ingest-service .
# (docker-compose.yml passes SERVICE for each). Stage 1 builds the module and what it depends on from
# source; stage 2 is a JRE with the Quarkus fast-jar only, run as an unprivileged user.
ARG SERVICE=ingest-service

FROM maven:3.9.11-eclipse-temurin-17 AS build
ARG SERVICE
# Where traces go: none (the default; trace context is still carried and logged) or cdi (OTLP, then set
# QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT at run time). Only services with tracing use it.
ARG OTEL_EXPORTER=none
WORKDIR /src
COPY . .
# Health, metrics and OpenAPI move to the management port 9000 (a build-time switch in Quarkus).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl "${SERVICE}" -am package -DskipTests -Dquarkus.management.enabled=true \
    -Dtracemark.otel.exporter="${OTEL_EXPORTER}"

FROM eclipse-temurin:17.0.16_8-jre AS run
ARG SERVICE
# curl serves the compose health checks (management port 9000).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 185 tracemark && mkdir -p /data && chown tracemark /data
WORKDIR /deployments
COPY --from=build --chown=185 /src/${SERVICE}/target/quarkus-app/lib/ lib/
COPY --from=build --chown=185 /src/${SERVICE}/target/quarkus-app/*.jar ./
COPY --from=build --chown=185 /src/${SERVICE}/target/quarkus-app/app/ app/
COPY --from=build --chown=185 /src/${SERVICE}/target/quarkus-app/quarkus/ quarkus/
USER 185
EXPOSE 8080 9000
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" TRACEMARK_LOG_JSON=true
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
