package main

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/netip"
	"sort"
	_ "unsafe" // go:linkname, for reflectors.convertEndpoints

	"github.com/cilium/hive/cell"
	"github.com/cilium/statedb"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/cilium/cilium/pkg/annotation"
	"github.com/cilium/cilium/pkg/clustermesh"
	cmnamespace "github.com/cilium/cilium/pkg/clustermesh/namespace"
	cmtypes "github.com/cilium/cilium/pkg/clustermesh/types"
	"github.com/cilium/cilium/pkg/datapath/tables"
	"github.com/cilium/cilium/pkg/hive"
	"github.com/cilium/cilium/pkg/k8s"
	slim_discovery_v1 "github.com/cilium/cilium/pkg/k8s/slim/k8s/api/discovery/v1"
	k8sutils "github.com/cilium/cilium/pkg/k8s/utils"
	"github.com/cilium/cilium/pkg/kpr"
	"github.com/cilium/cilium/pkg/loadbalancer"
	_ "github.com/cilium/cilium/pkg/loadbalancer/reflectors"
	"github.com/cilium/cilium/pkg/loadbalancer/writer"
	"github.com/cilium/cilium/pkg/node"
	"github.com/cilium/cilium/pkg/option"
	"github.com/cilium/cilium/pkg/source"
)

// convertEndpoints is Cilium's own mapping of EndpointSlice conditions to a backend state (unexported, in
// pkg/loadbalancer/reflectors/conversions.go), linked by name so the table checks the code rather than a copy.
//
//go:linkname convertEndpoints github.com/cilium/cilium/pkg/loadbalancer/reflectors.convertEndpoints
func convertEndpoints(rawlog *slog.Logger, cfg loadbalancer.ExternalConfig, svcName loadbalancer.ServiceName, bes iter.Seq2[cmtypes.AddrCluster, *k8s.Backend]) iter.Seq[loadbalancer.Backend]

var quiet = slog.New(slog.DiscardHandler)

func run(f Fixtures) (Results, error) {
	r := Results{
		Cilium:              f.Cilium,
		EndpointConditions:  map[string]ConditionResult{},
		Annotations:         map[string]AnnotationResult{},
		Namespaces:          map[string]bool{},
		EndpointSliceLabels: map[string]bool{},
		Selection:           map[string]map[string]int{},
		Skipped:             []string{},
	}
	for _, c := range f.EndpointConditions {
		r.EndpointConditions[c.Name] = ConditionResult{LocalState: localState(c.Conditions), Exported: exported(c.Conditions)}
	}
	for _, c := range f.Annotations {
		if c.Release != "" && c.Release != f.Cilium {
			r.Skipped = append(r.Skipped, "annotations/"+c.Name)
			continue
		}
		r.Annotations[c.Name] = annotations(c.Annotations)
	}
	for _, c := range f.Namespaces {
		r.Namespaces[c.Name] = namespaceGlobal(c.Annotations, c.GlobalByDefault)
	}
	selector, err := endpointSliceSelector()
	if err != nil {
		return r, err
	}
	for _, c := range f.EndpointSliceLabels {
		r.EndpointSliceLabels[c.Name] = selector.Matches(labels.Set(c.Labels))
	}
	w, stop, err := newWriter()
	if err != nil {
		return r, err
	}
	defer stop()
	for _, c := range f.Selection {
		if c.Release != "" && c.Release != f.Cilium {
			r.Skipped = append(r.Skipped, "selection/"+c.Name)
			continue
		}
		used, err := selection(w, c)
		if err != nil {
			return r, fmt.Errorf("selection %q: %w", c.Name, err)
		}
		r.Selection[c.Name] = used
	}
	sort.Strings(r.Skipped)
	return r, nil
}

func slimConditions(c Conditions) slim_discovery_v1.EndpointConditions {
	return slim_discovery_v1.EndpointConditions{Ready: c.Ready, Serving: c.Serving, Terminating: c.Terminating}
}

// localBackends are the backends the local cluster's agent derives from its own EndpointSlice endpoints.
func localBackends(endpoints []Conditions) []loadbalancer.Backend {
	cfg := loadbalancer.ExternalConfig{EnableIPv4: true}
	ports := map[loadbalancer.L4Addr][]string{loadbalancer.NewL4Addr(loadbalancer.TCP, 80): {"http"}}
	var out []loadbalancer.Backend
	for i, c := range endpoints {
		addr := cmtypes.AddrClusterFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), 0)
		be := &k8s.Backend{Conditions: k8s.ParseEndpointConditionsV1(slimConditions(c)), Ports: ports}
		seq := func(yield func(cmtypes.AddrCluster, *k8s.Backend) bool) { yield(addr, be) }
		for b := range convertEndpoints(quiet, cfg, loadbalancer.NewServiceName("ns", "svc"), seq) {
			b.Source = source.Kubernetes
			out = append(out, b)
		}
	}
	return out
}

func localState(c Conditions) string {
	bes := localBackends([]Conditions{c})
	if len(bes) != 1 {
		return "none"
	}
	switch bes[0].State {
	case loadbalancer.BackendStateActive:
		return "active"
	case loadbalancer.BackendStateTerminating:
		return "fallback" // Cilium's BackendStateTerminating: used only when nothing is active
	case loadbalancer.BackendStateTerminatingNotServing:
		return "terminating-not-serving"
	case loadbalancer.BackendStateMaintenance:
		return "maintenance"
	default:
		return fmt.Sprintf("state-%d", bes[0].State)
	}
}

// exported: the clustermesh-apiserver's service sync (operator/watchers/service_sync.go, Convert) skips an endpoint
// that is neither ready nor serving. That package cannot be built as a dependency (README.md), so this line is transcribed;
// the conditions themselves come from Cilium's parser.
func exported(c Conditions) bool {
	bc := k8s.ParseEndpointConditionsV1(slimConditions(c))
	return bc.IsReady() || bc.IsServing()
}

func annotations(m map[string]string) AnnotationResult {
	svc := &loadbalancer.Service{Annotations: m}
	affinity, err := annotation.GetAnnotationServiceAffinity(svc)
	if affinity == annotation.ServiceAffinityNone {
		affinity = "balanced"
	}
	return AnnotationResult{
		Global:   annotation.GetAnnotationIncludeExternal(svc),
		Shared:   annotation.GetAnnotationShared(svc),
		Affinity: affinity,
		Warning:  err != nil,
	}
}

func namespaceGlobal(annotations map[string]string, globalByDefault bool) bool {
	return cmnamespace.IsGlobalNamespace(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Annotations: annotations}}, globalByDefault)
}

// endpointSliceSelector is the selector Cilium's own EndpointSlice watchers list with (headless Services included,
// no service-proxy-name), which leaves out the slices Cilium writes for remote backends.
func endpointSliceSelector() (labels.Selector, error) {
	modifier, err := k8sutils.GetEndpointSliceListOptionsModifier("", true)
	if err != nil {
		return nil, err
	}
	var options metav1.ListOptions
	modifier(&options)
	return labels.Parse(options.LabelSelector)
}

type writerOut struct {
	cell.In
	DB     *statedb.DB
	Writer *writer.Writer
}

func newWriter() (writerOut, func(), error) {
	var out writerOut
	h := hive.New(
		loadbalancer.ConfigCell,
		node.LocalNodeStoreTestCell,
		writer.Cell,
		cell.Provide(
			func() cmtypes.ClusterInfo { return cmtypes.ClusterInfo{} },
			func() *option.DaemonConfig { return &option.DaemonConfig{} },
			tables.NewNodeAddressTable,
			statedb.RWTable[tables.NodeAddress].ToTable,
			source.NewSources,
			func() kpr.KPRConfig { return kpr.KPRConfig{} },
		),
		cell.Invoke(func(p writerOut) { out = p }),
	)
	if err := h.Start(quiet, context.Background()); err != nil {
		return out, nil, err
	}
	return out, func() { h.Stop(quiet, context.Background()) }, nil
}

// selection: the backends of every cluster as the local agent holds them (its own from its EndpointSlices, the
// remote ones as the clustermesh-apiserver exported them and the service merger imported them, all active), through
// Cilium's ClusterMesh backend selection, then the datapath's rule that terminating backends are used only when no
// active one was selected (pkg/loadbalancer/reconciler/bpf_reconciler.go, golden: the reconciler needs BPF maps).
func selection(w writerOut, c SelectionCase) (map[string]int, error) {
	var local *Cluster
	var all []loadbalancer.Backend
	for i := range c.Clusters {
		cl := &c.Clusters[i]
		if cl.Name == c.From {
			local = cl
			all = append(all, localBackends(cl.Endpoints)...)
			continue
		}
		if !exports(cl) {
			continue
		}
		for j, e := range cl.Endpoints {
			if !exported(e) {
				continue
			}
			addr := cmtypes.AddrClusterFrom(netip.AddrFrom4([4]byte{10, byte(i + 1), byte(j >> 8), byte(j)}), uint32(i+1))
			all = append(all, loadbalancer.Backend{
				Address:   loadbalancer.NewL3n4Addr(loadbalancer.TCP, addr, 80, loadbalancer.ScopeExternal),
				ClusterID: uint32(i + 1),
				Source:    source.ClusterMesh,
				State:     loadbalancer.BackendStateActive,
			})
		}
	}
	if local == nil {
		return nil, fmt.Errorf("no cluster named %q", c.From)
	}
	svc := &loadbalancer.Service{Name: loadbalancer.NewServiceName("ns", "svc"), Source: source.Kubernetes, Annotations: local.Annotations}
	bes := func(yield func(*loadbalancer.Backend, statedb.Revision) bool) {
		for i := range all {
			if !yield(&all[i], 0) {
				return
			}
		}
	}
	selector := clustermesh.NewClusterMeshSelectBackends(w.Writer, quiet)
	var selected []*loadbalancer.Backend
	for be := range selector.SelectBackends(w.DB.ReadTxn(), bes, svc, nil) {
		selected = append(selected, be)
	}
	active := 0
	for _, be := range selected {
		if be.State == loadbalancer.BackendStateActive {
			active++
		}
	}
	used := map[string]int{}
	for _, be := range selected {
		if be.State == loadbalancer.BackendStateActive || (active == 0 && be.State == loadbalancer.BackendStateTerminating) {
			used[clusterName(c, be)]++
		}
	}
	return used, nil
}

func clusterName(c SelectionCase, be *loadbalancer.Backend) string {
	if be.Source != source.ClusterMesh {
		return c.From
	}
	return c.Clusters[be.ClusterID-1].Name
}

// exports: whether a remote cluster's clustermesh-apiserver exports the Service at all (shared, which Cilium reads
// as false unless global, and a global Namespace; operator/watchers/service_sync.go, Convert).
func exports(cl *Cluster) bool {
	byDefault := true
	if cl.GlobalByDefault != nil {
		byDefault = *cl.GlobalByDefault
	}
	return annotation.GetAnnotationShared(&loadbalancer.Service{Annotations: cl.Annotations}) &&
		namespaceGlobal(cl.NamespaceAnnotations, byDefault)
}
