package main

// Fixtures is the shared table (core/src/test/resources/cilium-conformance/fixtures.json). Each case's "expect"
// is what the Java suite asserts; this program ignores it and reports what Cilium's code says instead.
type Fixtures struct {
	Cilium              string           `json:"cilium"`
	EndpointConditions  []ConditionCase  `json:"endpointConditions"`
	Annotations         []AnnotationCase `json:"annotations"`
	Namespaces          []NamespaceCase  `json:"namespaces"`
	EndpointSliceLabels []LabelsCase     `json:"endpointSliceLabels"`
	Selection           []SelectionCase  `json:"selection"`
}

// Conditions of one EndpointSlice endpoint; nil means the API left the condition out.
type Conditions struct {
	Ready       *bool `json:"ready"`
	Serving     *bool `json:"serving"`
	Terminating *bool `json:"terminating"`
}

type ConditionCase struct {
	Name string `json:"name"`
	Conditions
	Golden bool `json:"golden"`
}

type ConditionResult struct {
	LocalState string `json:"localState"`
	Exported   bool   `json:"exported"`
}

type AnnotationCase struct {
	Name        string            `json:"name"`
	Release     string            `json:"release"`
	Annotations map[string]string `json:"annotations"`
}

type AnnotationResult struct {
	Global   bool   `json:"global"`
	Shared   bool   `json:"shared"`
	Affinity string `json:"affinity"`
	Warning  bool   `json:"warning"`
}

type NamespaceCase struct {
	Name            string            `json:"name"`
	Annotations     map[string]string `json:"annotations"`
	GlobalByDefault bool              `json:"globalByDefault"`
}

type LabelsCase struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels"`
}

// Cluster is one cluster's copy of the Service: its annotations, its Namespace's annotations and the Cilium
// setting clustermesh-default-global-namespace (nil: Cilium's default, true), and its endpoints.
type Cluster struct {
	Name                 string            `json:"name"`
	Annotations          map[string]string `json:"annotations"`
	NamespaceAnnotations map[string]string `json:"namespaceAnnotations"`
	GlobalByDefault      *bool             `json:"globalByDefault"`
	Endpoints            []Conditions      `json:"endpoints"`
}

type SelectionCase struct {
	Name     string    `json:"name"`
	Release  string    `json:"release"`
	From     string    `json:"from"`
	Clusters []Cluster `json:"clusters"`
}

// Results holds, per section and case name, what Cilium decided; cases left to golden values are listed apart.
type Results struct {
	Cilium              string                      `json:"cilium"`
	EndpointConditions  map[string]ConditionResult  `json:"endpointConditions"`
	Annotations         map[string]AnnotationResult `json:"annotations"`
	Namespaces          map[string]bool             `json:"namespaces"`
	EndpointSliceLabels map[string]bool             `json:"endpointSliceLabels"`
	Selection           map[string]map[string]int   `json:"selection"`
	Skipped             []string                    `json:"skipped"`
}
