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
	"regexp"
	"sort"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// family is a metric family steadycron's /metrics serves, with its labels
// and, for labels that take a fixed set, their values.
type family struct {
	labels    []string
	values    map[string][]string
	histogram bool
}

// exported lists the families the alerts, the dashboard and the docs'
// queries may use: the families of docs/metrics-contract.yaml (steadycron's
// own, and the ones it registers from client-go and component-base as
// kube-controller-manager does) and Prometheus' own per-target `up`. Queries
// that use anything else, a label a family does not have, or a value a label
// cannot take are typos that would silently match nothing. Set by
// loadExported; contractErr says why it could not be.
var exported, contractErr = loadExported()

func loadExported() (map[string]family, error) {
	c, err := loadContract()
	if err != nil {
		return nil, err
	}
	m := map[string]family{"up": {}}
	for _, f := range c.Families {
		m[f.Name] = family{labels: f.Labels, values: f.Values, histogram: f.Type == "histogram"}
	}
	return m, nil
}

// targetLabels are added by the scrape (the ServiceMonitor's defaults);
// with honorLabels a series' own namespace label wins.
var targetLabels = []string{"job", "instance", "namespace", "pod", "service", "container", "endpoint"}

// recorded lists the series the PrometheusRule's recording rules make,
// with the labels they keep (their top-level `sum by`); alerts and
// dashboard queries may select them too. Set by loadRecorded.
var recorded = map[string]family{}

// loadRecorded reads the recording rules of the PrometheusRule into
// recorded. Every recording rule must aggregate with `sum by (...)`, the
// labels it keeps.
func loadRecorded(exprs map[string]string) error {
	for name, expr := range exprs {
		node, err := promql.ParseExpr(expr)
		if err != nil {
			return fmt.Errorf("recording rule %s: %w", name, err)
		}
		agg, ok := node.(*parser.AggregateExpr)
		if !ok || agg.Op != parser.SUM || agg.Without || len(agg.Grouping) == 0 {
			return fmt.Errorf("recording rule %s: not a `sum by (...)`", name)
		}
		recorded[name] = family{labels: agg.Grouping}
	}
	return nil
}

// lookupFamily resolves a series name, including a histogram's _bucket,
// _sum and _count series, or a recorded series.
func lookupFamily(name string) (family, bool) {
	if f, ok := recorded[name]; ok {
		return f, true
	}
	if f, ok := exported[name]; ok && !f.histogram {
		return f, true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if f, ok := exported[base]; ok && f.histogram {
				if suffix == "_bucket" {
					f.labels = append(append([]string(nil), f.labels...), "le")
				}
				return f, true
			}
		}
	}
	return family{}, false
}

var promql = parser.NewParser(parser.Options{})

// checkExpr parses a PromQL expression and checks that every series it
// selects is exported and is selected only by labels it has.
func checkExpr(expr string) error {
	if contractErr != nil {
		return contractErr
	}
	node, err := promql.ParseExpr(expr)
	if err != nil {
		return fmt.Errorf("parsing %q: %w", expr, err)
	}
	var problems []string
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := vs.Name
		if name == "" {
			problems = append(problems, fmt.Sprintf("selector %s names no metric", vs))
			return nil
		}
		f, ok := lookupFamily(name)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s is not a metric steadycron exports", name))
			return nil
		}
		allowed := map[string]bool{labels.MetricName: true}
		for _, l := range append(f.labels, targetLabels...) {
			allowed[l] = true
		}
		for _, m := range vs.LabelMatchers {
			if !allowed[m.Name] {
				problems = append(problems, fmt.Sprintf("%s has no label %q", name, m.Name))
				continue
			}
			values, enumerated := f.values[m.Name]
			if enumerated && (m.Type == labels.MatchEqual || m.Type == labels.MatchNotEqual) && !contains(values, m.Value) {
				problems = append(problems, fmt.Sprintf("%s: %s=%q is not one of the values %v of %s", name, m.Name, m.Value, values, contractFile))
			}
		}
		return nil
	})
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%q: %s", expr, strings.Join(problems, "; "))
	}
	return nil
}

var headingRE = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*$`)

// markdownAnchors returns the anchors GitHub makes for a document's
// headings: lower case, punctuation dropped, spaces as hyphens.
func markdownAnchors(doc string) map[string]bool {
	anchors := map[string]bool{}
	drop := regexp.MustCompile(`[^\p{L}\p{N}\- _]`)
	fence := regexp.MustCompile("(?ms)^```.*?^```")
	doc = fence.ReplaceAllString(doc, "")
	for _, m := range headingRE.FindAllStringSubmatch(doc, -1) {
		a := strings.ToLower(m[1])
		a = drop.ReplaceAllString(a, "")
		a = strings.ReplaceAll(a, " ", "-")
		anchors[a] = true
	}
	return anchors
}
