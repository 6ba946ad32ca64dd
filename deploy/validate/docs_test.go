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
