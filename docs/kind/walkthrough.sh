#!/usr/bin/env bash
# The Cilium Cluster Mesh walkthrough with meshpilot doing the failover, on two local kind clusters.
#
#   docs/kind/walkthrough.sh        set everything up, then scale us to zero and show us clients answered by eu
#   docs/kind/walkthrough.sh down   delete the clusters and the Kafka container
#
# Needs docker, kind, cilium (the CLI), kubectl and helm on the PATH. Run it from the repository root. It can be run
# again after a failure: every step checks what is already there. Not run by the test suite (a test checks it with
# bash -n and shellcheck, and that every chart value it sets exists); see docs/install.md.
#
# Host limits: four kind nodes (two per cluster) with Cilium need about 8 GB of memory for Docker, and on Linux more
# inotify instances and watches than most distributions allow by default (kind's known issue "Pod errors due to too
# many open files"):
#   sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512
#
# Environment: CILIUM_VERSION (default 1.19.3), KAFKA_HOST_PORT (29092: Kafka as the host sees it), WAIT_SECONDS
# (300: the deadline of each wait).
set -euo pipefail

REGIONS=(us eu)
CILIUM_VERSION=${CILIUM_VERSION:-1.19.3}
IMAGE_REPOSITORY=meshpilot/meshpilot
IMAGE_TAG=kind
IMAGE=$IMAGE_REPOSITORY:$IMAGE_TAG
KAFKA_IMAGE=apache/kafka:4.1.0
KAFKA=meshpilot-kafka
KAFKA_HOST_PORT=${KAFKA_HOST_PORT:-29092}
WAIT_SECONDS=${WAIT_SECONDS:-300}
NS=meshpilot

say() { printf '\n== %s\n' "$*"; }
ctx() { echo "kind-$1"; }
k() { local region=$1; shift; kubectl --context "$(ctx "$region")" "$@"; }

# What to read when something does not come up: meshpilot's pods and logs, and the hello-world Service's Events.
diagnose() {
  for region in "${REGIONS[@]}"; do
    echo "---- $region: pods"
    k "$region" get pods -A -o wide 2>&1 | grep -Ev 'Running|Completed' || true
    for app in meshpilot-agent meshpilot-control-plane; do
      if k "$region" -n "$NS" get deployment "$app" >/dev/null 2>&1; then
        echo "---- $region: logs of $app"
        k "$region" -n "$NS" logs "deployment/$app" --all-containers --tail=50 2>&1 || true
      fi
    done
    echo "---- $region: events of service default/hello-world"
    k "$region" -n default get events --field-selector involvedObject.name=hello-world \
      --sort-by=.lastTimestamp 2>&1 | tail -n 20 || true
    echo "---- $region: recent events in $NS"
    k "$region" -n "$NS" get events --sort-by=.lastTimestamp 2>&1 | tail -n 20 || true
  done
}

fail() {
  echo "walkthrough.sh: $*" >&2
  diagnose >&2
  echo "walkthrough.sh: fix the cause and run it again; it picks up where it stopped" >&2
  exit 1
}

# wait_for DESCRIPTION COMMAND...: runs COMMAND every 2 s until it succeeds, for at most WAIT_SECONDS.
wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then fail "gave up after ${WAIT_SECONDS}s waiting for $what"; fi
    sleep 2
  done
}

down() {
  for region in "${REGIONS[@]}"; do kind delete cluster --name "$region" || true; done
  docker rm -f "$KAFKA" >/dev/null 2>&1 || true
}

if [[ "${1:-}" == "down" ]]; then down; exit 0; fi

for tool in docker kind cilium kubectl helm; do
  command -v "$tool" >/dev/null || { echo "walkthrough.sh needs $tool on the PATH" >&2; exit 2; }
done
[[ -f helm/meshpilot-agent/Chart.yaml ]] || { echo "run it from the repository root" >&2; exit 2; }
if [[ -r /proc/sys/fs/inotify/max_user_instances ]] && (($(cat /proc/sys/fs/inotify/max_user_instances) < 512)); then
  echo "warning: fs.inotify.max_user_instances is below 512; pods may fail with 'too many open files'" >&2
  echo "         sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512" >&2
fi

say "kind clusters without a CNI, with distinct pod and service ranges"
id=0
for region in "${REGIONS[@]}"; do
  id=$((id + 1))
  if kind get clusters 2>/dev/null | grep -qx "$region"; then echo "$region exists"; continue; fi
  kind create cluster --name "$region" --config - <<YAML || fail "kind could not create $region"
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  disableDefaultCNI: true
  podSubnet: 10.${id}0.0.0/16
  serviceSubnet: 10.${id}1.0.0/16
nodes:
  - role: control-plane
  - role: worker
YAML
done

say "Cilium $CILIUM_VERSION in each cluster (cluster.name is the region), one CA for both, then ClusterMesh"
id=0
for region in "${REGIONS[@]}"; do
  id=$((id + 1))
  if [[ "$region" != "${REGIONS[0]}" ]] && ! k "$region" -n kube-system get secret cilium-ca >/dev/null 2>&1; then
    # ClusterMesh needs the clusters to share Cilium's CA: the first cluster's, created before Cilium installs here.
    tmp=$(mktemp -d)
    k "${REGIONS[0]}" -n kube-system get secret cilium-ca -o jsonpath='{.data.ca\.crt}' | base64 -d >"$tmp/ca.crt"
    k "${REGIONS[0]}" -n kube-system get secret cilium-ca -o jsonpath='{.data.ca\.key}' | base64 -d >"$tmp/ca.key"
    k "$region" -n kube-system create secret generic cilium-ca --from-file=ca.crt="$tmp/ca.crt" \
      --from-file=ca.key="$tmp/ca.key"
    rm -rf "$tmp"
  fi
  if k "$region" -n kube-system get daemonset cilium >/dev/null 2>&1; then
    echo "Cilium already installed in $region"
  else
    cilium install --context "$(ctx "$region")" --version "$CILIUM_VERSION" --set cluster.name="$region" \
      --set cluster.id="$id" --set ipam.mode=kubernetes || fail "cilium install failed in $region"
  fi
  cilium status --context "$(ctx "$region")" --wait --wait-duration "${WAIT_SECONDS}s" \
    || fail "Cilium did not become ready in $region"
done
for region in "${REGIONS[@]}"; do
  if ! k "$region" -n kube-system get deployment clustermesh-apiserver >/dev/null 2>&1; then
    cilium clustermesh enable --context "$(ctx "$region")" --service-type NodePort \
      || fail "cilium clustermesh enable failed in $region"
  fi
  cilium clustermesh status --context "$(ctx "$region")" --wait --wait-duration "${WAIT_SECONDS}s" \
    || fail "the clustermesh-apiserver did not become ready in $region"
done
remote=$(k "${REGIONS[0]}" -n kube-system get secret cilium-clustermesh -o jsonpath="{.data.${REGIONS[1]}}" \
  2>/dev/null || true)
if [[ -z "$remote" ]]; then
  cilium clustermesh connect --context "$(ctx "${REGIONS[0]}")" --destination-context "$(ctx "${REGIONS[1]}")" \
    || fail "cilium clustermesh connect failed"
fi
for region in "${REGIONS[@]}"; do
  cilium clustermesh status --context "$(ctx "$region")" --wait --wait-duration "${WAIT_SECONDS}s" \
    || fail "ClusterMesh is not connected in $region"
done

say "Kafka (single-node KRaft): $KAFKA:9092 for the clusters, 127.0.0.1:$KAFKA_HOST_PORT for this host"
if [[ "$(docker inspect -f '{{.State.Running}}' "$KAFKA" 2>/dev/null || true)" != "true" ]]; then
  docker rm -f "$KAFKA" >/dev/null 2>&1 || true
  docker run -d --name "$KAFKA" --network kind -p "127.0.0.1:$KAFKA_HOST_PORT:$KAFKA_HOST_PORT" \
    -e KAFKA_NODE_ID=1 -e KAFKA_PROCESS_ROLES=broker,controller \
    -e KAFKA_LISTENERS="INTERNAL://:9092,HOST://:$KAFKA_HOST_PORT,CONTROLLER://:9093" \
    -e KAFKA_ADVERTISED_LISTENERS="INTERNAL://$KAFKA:9092,HOST://127.0.0.1:$KAFKA_HOST_PORT" \
    -e KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=INTERNAL:PLAINTEXT,HOST:PLAINTEXT,CONTROLLER:PLAINTEXT \
    -e KAFKA_INTER_BROKER_LISTENER_NAME=INTERNAL \
    -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093 \
    -e KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 -e KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1 \
    -e KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1 -e KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0 \
    "$KAFKA_IMAGE" >/dev/null || fail "docker could not start Kafka"
fi
wait_for "Kafka to answer" docker exec "$KAFKA" /opt/kafka/bin/kafka-broker-api-versions.sh \
  --bootstrap-server localhost:9092

say "the meshpilot image, built and loaded into both clusters"
docker build -t "$IMAGE" . || fail "docker build failed"
# Not "kind load docker-image": with Docker's containerd image store it fails (kubernetes-sigs/kind#3795). A saved
# archive loads either way.
archive=$(mktemp -d)
docker save -o "$archive/meshpilot.tar" "$IMAGE"
for region in "${REGIONS[@]}"; do
  kind load image-archive "$archive/meshpilot.tar" --name "$region" || fail "kind could not load the image into $region"
done
rm -rf "$archive"

say "topics"
for region in "${REGIONS[@]}"; do
  k "$region" create namespace "$NS" --dry-run=client -o yaml | k "$region" apply -f - >/dev/null
done
k us -n "$NS" delete pod meshpilot-topics --ignore-not-found >/dev/null
k us -n "$NS" run meshpilot-topics --image="$IMAGE" --image-pull-policy=Never --restart=Never -- \
  topics create --regions "$(IFS=,; echo "${REGIONS[*]}")" --replication-factor 1 --kafka-bootstrap "$KAFKA:9092"
topics_done() { [[ "$(k us -n "$NS" get pod meshpilot-topics -o jsonpath='{.status.phase}')" == Succeeded ]]; }
wait_for "the topics to be created (kubectl -n $NS logs meshpilot-topics)" topics_done
k us -n "$NS" logs meshpilot-topics

say "the control plane (in us) and an agent in each region"
helm --kube-context "$(ctx us)" upgrade --install meshpilot-control-plane helm/meshpilot-control-plane -n "$NS" \
  --set replicas=1 --set kafka.bootstrapServers="$KAFKA:9092" --set perServiceMetrics=true \
  --set image.repository="$IMAGE_REPOSITORY" --set image.tag="$IMAGE_TAG" --set image.pullPolicy=Never \
  --wait --timeout "${WAIT_SECONDS}s" || fail "the control plane did not become ready"
for region in "${REGIONS[@]}"; do
  helm --kube-context "$(ctx "$region")" upgrade --install meshpilot-agent helm/meshpilot-agent -n "$NS" \
    --set region="$region" --set kafka.bootstrapServers="$KAFKA:9092" \
    --set image.repository="$IMAGE_REPOSITORY" --set image.tag="$IMAGE_TAG" --set image.pullPolicy=Never \
    --wait --timeout "${WAIT_SECONDS}s" || fail "the agent did not become ready in $region"
done

say "the walkthrough's hello-world in each region, managed by meshpilot, and a client"
for region in "${REGIONS[@]}"; do
  text="Hello world from US!"; [[ "$region" == eu ]] && text="Hello world from Europe!"
  k "$region" apply -f - <<YAML >/dev/null
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello-world, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: hello-world}}
  template:
    metadata: {labels: {app: hello-world}}
    spec:
      containers:
        - name: hello
          image: hashicorp/http-echo:1.0
          args: ["-listen=:8080", "-text={\"message\": \"$text\"}"]
          ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: hello-world
  namespace: default
  labels: {meshpilot.io/managed: "true"}
spec:
  selector: {app: hello-world}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec:
      containers:
        - name: client
          image: curlimages/curl:8.10.1
          command: ["sleep", "infinity"]
YAML
  k "$region" rollout status deployment/hello-world deployment/client --timeout="${WAIT_SECONDS}s" \
    || fail "hello-world or the client did not roll out in $region"
done

annotations() { k "$1" -n default get service hello-world -o jsonpath='{.metadata.annotations}'; }
has_affinity() { annotations "$1" | grep -q "\"service.cilium.io/affinity\":\"$2\""; }
# answers REGION: what six requests from REGION's client get back.
answers() {
  for _ in 1 2 3 4 5 6; do
    k "$1" -n default exec deploy/client -- curl -s --max-time 5 hello-world.default.svc.cluster.local || true
    echo
  done
}
# only_from REGION TEXT: every one of six answers to REGION's client contains TEXT.
only_from() { [[ "$(answers "$1" | grep -c "$2")" -eq 6 ]]; }

say "meshpilot marks hello-world global with affinity=local in both regions"
for region in "${REGIONS[@]}"; do wait_for "affinity=local in $region" has_affinity "$region" local; done
for region in "${REGIONS[@]}"; do echo "$region: $(annotations "$region")"; done
say "us clients reach us"
wait_for "us clients to be answered from the US" only_from us "from US"
answers us

say "scale us to 0: meshpilot fails us over to eu"
k us -n default scale deployment hello-world --replicas 0
wait_for "affinity=remote in us" has_affinity us remote
echo "us: $(annotations us)"
wait_for "us clients to be answered from Europe" only_from us "from Europe"
answers us

say "scale us back: home again after the failback delay (30 s by default)"
k us -n default scale deployment hello-world --replicas 2
wait_for "affinity=local in us again" has_affinity us local
echo "us: $(annotations us)"
wait_for "us clients to be answered from the US again" only_from us "from US"
answers us

say "done"
cat <<EOF
From this host, Kafka answers on 127.0.0.1:$KAFKA_HOST_PORT:
  kcat -b 127.0.0.1:$KAFKA_HOST_PORT -L
  meshpilot policy get --kafka-bootstrap 127.0.0.1:$KAFKA_HOST_PORT
and the control plane's API through a port-forward:
  kubectl --context $(ctx us) -n $NS port-forward deploy/meshpilot-control-plane 8080:8080
docs/kind/walkthrough.sh down removes it all.
EOF
