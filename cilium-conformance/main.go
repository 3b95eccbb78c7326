// Command cilium-conformance runs meshpilot's shared Cilium fixture table through Cilium's own code (the release
// pinned in go.mod) and prints what Cilium decides, as JSON, for the Java suite to compare with meshpilot's model.
//
// Usage: go run . <fixtures.json>
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: cilium-conformance <fixtures.json>")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var fixtures Fixtures
	if err := json.Unmarshal(raw, &fixtures); err != nil {
		fail(fmt.Errorf("cannot parse %s: %w", os.Args[1], err))
	}
	results, err := run(fixtures)
	if err != nil {
		fail(err)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(results); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "cilium-conformance:", err)
	os.Exit(1)
}
