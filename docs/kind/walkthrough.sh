#!/usr/bin/env bash
# The Cilium Cluster Mesh walkthrough with meshpilot doing the failover, on two local kind clusters.
#
#   docs/kind/walkthrough.sh        set everything up, then scale us to zero and show us clients answered by eu
#   docs/kind/walkthrough.sh down   delete the clusters and the Kafka container
#
# Needs docker, kind, cilium (the CLI), kubectl and helm on the PATH, and about 8 GB of memory. Run it from the
# repository root. Not run by the test suite (see docs/install.md).
set -euo pipefail

REGIONS=(us eu)
IMAGE=ghcr.io/meshpilot/meshpilot:0.1.0
KAFKA_IMAGE=apache/kafka:4.1.0
KAFKA=meshpilot-kafka
NS=meshpilot

say() { printf '\n== %s\n' "$*"; }
ctx() { echo "kind-$1"; }

down() {
  for region in "${REGIONS[@]}"; do kind delete cluster --name "$region" || true; done
  docker rm -f "$KAFKA" >/dev/null 2>&1 || true
}

if [[ "${1:-}" == "down" ]]; then down; exit 0; fi

for tool in docker kind cilium kubectl helm; do
  command -v "$tool" >/dev/null || { echo "walkthrough.sh needs $tool on the PATH" >&2; exit 2; }
done
[[ -f helm/meshpilot-agent/Chart.yaml ]] || { echo "run it from the repository root" >&2; exit 2; }

say "kind clusters without a CNI, with distinct pod and service ranges"
id=0
for region in "${REGIONS[@]}"; do
  id=$((id + 1))
  cat <<YAML | kind create cluster --name "$region" --config -
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

say "Cilium in each cluster (cluster.name is the region), then ClusterMesh"
id=0
for region in "${REGIONS[@]}"; do
  id=$((id + 1))
  cilium install --context "$(ctx "$region")" --set cluster.name="$region" --set cluster.id="$id" \
    --set ipam.mode=kubernetes
done
for region in "${REGIONS[@]}"; do cilium status --context "$(ctx "$region")" --wait; done
for region in "${REGIONS[@]}"; do
  cilium clustermesh enable --context "$(ctx "$region")" --service-type NodePort
done
for region in "${REGIONS[@]}"; do cilium clustermesh status --context "$(ctx "$region")" --wait; done
cilium clustermesh connect --context "$(ctx us)" --destination-context "$(ctx eu)"
cilium clustermesh status --context "$(ctx us)" --wait

say "Kafka (single-node KRaft) on kind's Docker network, reachable from both clusters as $KAFKA:9092"
docker rm -f "$KAFKA" >/dev/null 2>&1 || true
docker run -d --name "$KAFKA" --network kind \
  -e KAFKA_NODE_ID=1 -e KAFKA_PROCESS_ROLES=broker,controller \
  -e KAFKA_LISTENERS=PLAINTEXT://:9092,CONTROLLER://:9093 \
  -e KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://$KAFKA:9092 \
  -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093 \
  -e KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 -e KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1 \
  -e KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1 -e KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0 \
  "$KAFKA_IMAGE" >/dev/null

say "the meshpilot image, built and loaded into both clusters"
docker build -t "$IMAGE" .
for region in "${REGIONS[@]}"; do kind load docker-image "$IMAGE" --name "$region"; done

say "topics"
kubectl --context "$(ctx us)" create namespace "$NS" --dry-run=client -o yaml | kubectl --context "$(ctx us)" apply -f -
kubectl --context "$(ctx us)" -n "$NS" run meshpilot-topics --image="$IMAGE" --image-pull-policy=Never \
  --restart=OnFailure -- topics create --regions "$(IFS=,; echo "${REGIONS[*]}")" --replication-factor 1 \
  --kafka-bootstrap "$KAFKA:9092"
kubectl --context "$(ctx us)" -n "$NS" wait pod/meshpilot-topics --for=jsonpath='{.status.phase}'=Succeeded --timeout=180s

say "the control plane (in us) and an agent in each region"
helm --kube-context "$(ctx us)" upgrade --install meshpilot-control-plane helm/meshpilot-control-plane -n "$NS" \
  --set replicas=1 --set kafka.bootstrapServers="$KAFKA:9092" --set image.pullPolicy=Never --wait
for region in "${REGIONS[@]}"; do
  helm --kube-context "$(ctx "$region")" upgrade --install meshpilot-agent helm/meshpilot-agent -n "$NS" \
    --create-namespace --set region="$region" --set kafka.bootstrapServers="$KAFKA:9092" \
    --set image.pullPolicy=Never --wait
done

say "the walkthrough's hello-world in each region, managed by meshpilot, and a client"
for region in "${REGIONS[@]}"; do
  text="Hello world from US!"; [[ "$region" == eu ]] && text="Hello world from Europe!"
  cat <<YAML | kubectl --context "$(ctx "$region")" apply -f -
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
  kubectl --context "$(ctx "$region")" rollout status deployment/hello-world deployment/client --timeout=180s
done

annotations() {
  kubectl --context "$(ctx "$1")" get service hello-world -o jsonpath='{.metadata.annotations}'; echo
}
requests() {
  for _ in 1 2 3 4 5 6; do
    kubectl --context "$(ctx "$1")" exec deploy/client -- curl -s hello-world.default.svc.cluster.local; echo
  done
}

say "meshpilot marks hello-world global with affinity=local in both regions"
until annotations us | grep -q '"service.cilium.io/affinity":"local"'; do sleep 2; done
for region in "${REGIONS[@]}"; do echo "$region: $(annotations "$region")"; done
say "us clients reach us"
requests us

say "scale us to 0: meshpilot fails us over to eu"
kubectl --context "$(ctx us)" scale deployment hello-world --replicas 0
until annotations us | grep -q '"service.cilium.io/affinity":"remote"'; do sleep 1; done
echo "us: $(annotations us)"
requests us

say "scale us back: home again after the failback delay (30 s by default)"
kubectl --context "$(ctx us)" scale deployment hello-world --replicas 2
until annotations us | grep -q '"service.cilium.io/affinity":"local"'; do sleep 2; done
echo "us: $(annotations us)"
requests us
say "done; docs/kind/walkthrough.sh down removes it all"
