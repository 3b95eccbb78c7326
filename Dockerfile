# syntax=docker/dockerfile:1
# The server distribution (server/target/meshpilot-server.jar: agent, control plane and the operator commands, no
# sandbox, embedded broker or mock API server) in a distroless Java 17 image, run as a non-root user: the image both
# charts run (set the charts' image.repository to where you push it). Build it from the repository root:
#   docker build -t $IMAGE:0.1.0 .
# The container's arguments are meshpilot's: the charts pass "agent" or "control-plane".

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# Maven's downloads (and the wrapper's Maven) stay in BuildKit's cache between builds, not in a layer.
# Only the server distribution and the modules it is made of are built.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -DskipTests -pl server -am package

FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=build /src/server/target/meshpilot-server.jar /opt/meshpilot/meshpilot.jar
USER 65532:65532
EXPOSE 8080
# The heap follows the container's memory limit; an out-of-memory JVM exits so Kubernetes restarts it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/meshpilot/meshpilot.jar"]
