/*
Copyright 2026 The steadycron Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package validate

import (
	"os"
	"regexp"
	"testing"
)

const metricsDoc = "../../docs/metrics.md"

// promqlBlockRE matches the ```promql blocks of a markdown document.
var promqlBlockRE = regexp.MustCompile("(?ms)^```promql\n(.*?)^```")

// TestDocQueriesAreValid: every ```promql block of docs/metrics.md parses
// and selects only exported metrics by labels they have (e2e/alerts also
// runs them against a real Prometheus).
func TestDocQueriesAreValid(t *testing.T) {
	doc, err := os.ReadFile(metricsDoc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := promqlBlockRE.FindAllStringSubmatch(string(doc), -1)
	if len(blocks) == 0 {
		t.Fatalf("%s has no promql blocks", metricsDoc)
	}
	for _, b := range blocks {
		if err := checkExpr(b[1]); err != nil {
			t.Errorf("%s: %v", metricsDoc, err)
		}
	}
}
