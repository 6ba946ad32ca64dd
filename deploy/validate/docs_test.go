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
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"
)

const metricsDoc = "../../docs/metrics.md"

// docRoots are the repository's documents whose PromQL is checked: every
// markdown file under them (relative to this module).
var docRoots = []string{"../../README.md", "../../docs"}

// promqlBlockRE matches the ```promql blocks of a markdown document.
var promqlBlockRE = regexp.MustCompile("(?ms)^```promql\n(.*?)^```")

type docQuery struct {
	file, expr string
}

// docQueries returns the ```promql blocks of every markdown file of
// docRoots, in file order.
func docQueries(t *testing.T) []docQuery {
	t.Helper()
	var queries []docQuery
	for _, root := range docRoots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
				return err
			}
			doc, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, b := range promqlBlockRE.FindAllStringSubmatch(string(doc), -1) {
				queries = append(queries, docQuery{file: path, expr: b[1]})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return queries
}

// TestDocQueriesAreValid: every ```promql block of README.md and docs/
// parses, with Prometheus' parser and with `promtool check rules` (each
// block as a recording rule), and selects only exported or recorded metrics
// by labels they have. e2e/alerts also runs docs/metrics.md's blocks against
// a real Prometheus. Finding no block at all fails: the check cannot pass by
// checking nothing.
func TestDocQueriesAreValid(t *testing.T) {
	loadRules(t)
	queries := docQueries(t)
	if len(queries) == 0 {
		t.Fatalf("no ```promql blocks in %v", docRoots)
	}
	type rule struct {
		Record string `yaml:"record"`
		Expr   string `yaml:"expr"`
	}
	var rules []rule
	for i, q := range queries {
		if err := checkExpr(q.expr); err != nil {
			t.Errorf("%s: %v", q.file, err)
		}
		rules = append(rules, rule{Record: fmt.Sprintf("doc_query_%d", i), Expr: q.expr})
	}
	file := map[string]any{"groups": []map[string]any{{"name": "docs", "rules": rules}}}
	data, err := yaml.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "docs.rules.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(promtool(t), "check", "rules", path).CombinedOutput()
	if err != nil {
		t.Errorf("promtool check rules on the ```promql blocks of %v: %v\n%s", docRoots, err, out)
	}
	if want := fmt.Sprintf("SUCCESS: %d rules found", len(queries)); !strings.Contains(string(out), want) {
		t.Errorf("promtool check rules: want %q in its output:\n%s", want, out)
	}
	t.Logf("%d ```promql blocks parsed by promtool", len(queries))
}

// TestRecordingRulesFollowTheDocumentedForm: docs/metrics.md shows the
// recording expression for the failure count; every recording rule of the
// PrometheusRule is that expression with its own counter and labels, so the
// six rules and the doc cannot drift apart.
func TestRecordingRulesFollowTheDocumentedForm(t *testing.T) {
	const (
		docSelector = "cronjob_job_finished_total"
		docLabels   = "namespace, cronjob, trigger, result"
	)
	var doc string
	for _, q := range docQueries(t) {
		if strings.Contains(q.expr, docSelector+" offset 90s") {
			doc = q.expr
		}
	}
	if doc == "" {
		t.Fatalf("%s shows no recording expression (a ```promql block with %q)", metricsDoc, docSelector+" offset 90s")
	}
	n := 0
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			if r.Record == "" {
				continue
			}
			n++
			node, err := promql.ParseExpr(r.Expr)
			if err != nil {
				t.Fatalf("%s: %v", r.Record, err)
			}
			agg := node.(*parser.AggregateExpr) // loadRules checked it
			var selector string
			parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
				if vs, ok := n.(*parser.VectorSelector); ok && selector == "" && strings.HasPrefix(vs.Name, "cronjob_") {
					c := *vs
					c.OriginalOffset = 0
					selector = c.String()
				}
				return nil
			})
			labels := strings.Join(agg.Grouping[1:], ", ")
			if agg.Grouping[0] != "job" {
				t.Errorf("%s: groups by %v, want job first", r.Record, agg.Grouping)
			}
			want := strings.ReplaceAll(strings.ReplaceAll(doc, docLabels, labels), docSelector, selector)
			wantNode, err := promql.ParseExpr(want)
			if err != nil {
				t.Fatalf("%s: the documented form with %s: %v", r.Record, selector, err)
			}
			if got, want := node.String(), wantNode.String(); got != want {
				t.Errorf("%s is not the form of %s:\n got: %s\nwant: %s", r.Record, metricsDoc, got, want)
			}
		}
	}
	if n == 0 {
		t.Fatalf("%s has no recording rules", ruleFile)
	}
}
