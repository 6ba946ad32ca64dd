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

// family is a metric family steadycron's /metrics serves, with its labels.
type family struct {
	labels    []string
	histogram bool
}

// exported lists the families the alerts and the dashboard may use:
// steadycron's own (docs/metrics.md), and the ones it registers from
// client-go and component-base as kube-controller-manager does. Queries
// that use anything else, or a label a family does not have, are typos that
// would silently match nothing.
var exported = map[string]family{
	// Upstream's stable metric: no labels.
	"cronjob_controller_job_creation_skew_duration_seconds": {histogram: true},
	"cronjob_controller_scheduling_decisions_total":         {labels: []string{"namespace", "cronjob", "decision", "reason"}},
	"cronjob_controller_missed_schedules_total":             {labels: []string{"namespace", "cronjob"}},
	"cronjob_job_started_total":                             {labels: []string{"namespace", "cronjob", "trigger"}},
	"cronjob_job_finished_total":                            {labels: []string{"namespace", "cronjob", "trigger", "result"}},
	"cronjob_job_start_delay_seconds":                       {labels: []string{"namespace", "cronjob", "trigger"}, histogram: true},
	"cronjob_app_container_duration_seconds":                {labels: []string{"namespace", "cronjob", "trigger"}, histogram: true},
	"cronjob_job_reexecutions_total":                        {labels: []string{"namespace", "cronjob", "trigger", "kind"}},
	"cronjob_job_attempts":                                  {labels: []string{"namespace", "cronjob", "trigger"}, histogram: true},
	"cronjob_jobtracker_cached_pods":                        {},

	"workqueue_depth":                             {labels: []string{"name"}},
	"workqueue_adds_total":                        {labels: []string{"name"}},
	"workqueue_retries_total":                     {labels: []string{"name"}},
	"workqueue_unfinished_work_seconds":           {labels: []string{"name"}},
	"workqueue_longest_running_processor_seconds": {labels: []string{"name"}},
	"workqueue_queue_duration_seconds":            {labels: []string{"name"}, histogram: true},
	"workqueue_work_duration_seconds":             {labels: []string{"name"}, histogram: true},

	"rest_client_requests_total":                {labels: []string{"code", "method", "host"}},
	"rest_client_request_duration_seconds":      {labels: []string{"verb", "host"}, histogram: true},
	"rest_client_rate_limiter_duration_seconds": {labels: []string{"verb", "host"}, histogram: true},

	"leader_election_master_status":  {labels: []string{"name"}},
	"leader_election_slowpath_total": {labels: []string{"name"}},

	"process_resident_memory_bytes": {},
	"process_cpu_seconds_total":     {},
	"process_start_time_seconds":    {},
	// Prometheus' own per-target series.
	"up": {},
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
