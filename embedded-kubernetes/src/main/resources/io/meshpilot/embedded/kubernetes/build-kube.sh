#!/usr/bin/env bash
# Builds a real Kubernetes control plane for the sandbox and the tests, at pinned versions, from Go modules:
# kube-apiserver, kube-controller-manager and kube-scheduler (k8s.io/kubernetes), etcd (go.etcd.io/etcd/server/v3)
# and kwok (sigs.k8s.io/kwok), which plays the kubelets: it makes scheduled pods Running and Ready. Binaries land in $MESHPILOT_KUBE_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/meshpilot/kube)
# under one directory per version set; when they are there already, nothing is built.
# Prints the binaries' directory as its last line. Needs Go 1.26+ and a Go module proxy.
set -euo pipefail

KUBERNETES_VERSION=1.37.2
# etcd at the version k8s.io/kubernetes itself requires, so the three Kubernetes binaries share one module graph.
ETCD_VERSION=3.7.0
KWOK_VERSION=0.8.0

cache_root=${MESHPILOT_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshpilot/kube}
out="$cache_root/k8s-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
binaries=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)
# kwok's own stages (from its module, at the pinned version): nodes become Ready, scheduled pods Running and Ready,
# deleted pods go, finished ones complete.
kwok_stages=(node/fast/node-initialize.yaml pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml)

built() {
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
  [[ -s "$out/kwok-stages.yaml" ]]
}

if built; then echo "$out"; exit 0; fi

command -v go >/dev/null || { echo "build-kube: Go 1.26+ is needed to build the real Kubernetes components" >&2; exit 2; }
mkdir -p "$cache_root"
exec 9>"$cache_root/.build.lock"
flock 9   # a parallel run (another test JVM) waits for this one's binaries
if built; then echo "$out"; exit 0; fi

started=$(date +%s)
work=$(mktemp -d "$cache_root/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
staging="$work/bin"
mkdir -p "$staging" "$work/module"
export CGO_ENABLED=0 GOFLAGS="-mod=mod -trimpath -buildvcs=false" GOWORK=off

echo "build-kube: building Kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION into $out" >&2
cd "$work/module"
# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with its own tree; a module that
# imports it must map each one to its published release (v1.x.y -> v0.x.y).
kubernetes_mod=$(go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
{
  echo "module meshpilot.io/kube-build"
  echo
  echo "go 1.26.0"
  echo
  echo "godebug default=go1.26"
  echo
  echo "require k8s.io/kubernetes v$KUBERNETES_VERSION"
  echo "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
  echo
  echo "replace ("
  sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 v0.'"${KUBERNETES_VERSION#1.}"'#p' "$kubernetes_mod"
  echo ")"
} > go.mod

major=${KUBERNETES_VERSION%%.*}
minor=${KUBERNETES_VERSION#*.}; minor=${minor%%.*}
version_flags=""
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  version_flags+=" -X $pkg.gitVersion=v$KUBERNETES_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  version_flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
missing() { [[ ! -x "$out/$1" ]]; }
kube_commands=()
for b in kube-apiserver kube-controller-manager kube-scheduler; do
  if missing "$b"; then kube_commands+=("k8s.io/kubernetes/cmd/$b"); fi
done
if (( ${#kube_commands[@]} )); then go build -ldflags "-s -w$version_flags" -o "$staging/" "${kube_commands[@]}"; fi
if missing etcd; then go build -ldflags "-s -w" -o "$staging/etcd" go.etcd.io/etcd/server/v3; fi

# kwok's own module needs no replacements; it is built on its own module graph.
if missing kwok; then
  GOBIN="$staging" GOFLAGS="-trimpath -buildvcs=false" go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
fi

kwok_dir=$(GOFLAGS= go mod download -json "sigs.k8s.io/kwok@v$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
for stage in "${kwok_stages[@]}"; do
  echo "---"
  cat "$kwok_dir/kustomize/stage/$stage"
done > "$staging/kwok-stages.yaml"

mkdir -p "$out"
for b in "$staging"/*; do mv "$b" "$out/"; done
echo "build-kube: built in $(( $(date +%s) - started )) s" >&2
echo "$out"
