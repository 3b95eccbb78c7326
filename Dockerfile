# syntax=docker/dockerfile:1
# The one runnable jar (cli/target/meshpilot.jar) in a distroless Java 17 image, run as a non-root user: the image
# both charts run, ghcr.io/meshpilot/meshpilot:<version>. Build it from the repository root:
#   docker build -t ghcr.io/meshpilot/meshpilot:0.1.0 .
# The container's arguments are meshpilot's: the charts pass "agent" or "control-plane".

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# Maven's downloads (and the wrapper's Maven) stay in BuildKit's cache between builds, not in a layer.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -DskipTests package

FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=build /src/cli/target/meshpilot.jar /opt/meshpilot/meshpilot.jar
USER 65532:65532
EXPOSE 8080
# The heap follows the container's memory limit; an out-of-memory JVM exits so Kubernetes restarts it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/meshpilot/meshpilot.jar"]
