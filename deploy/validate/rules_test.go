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
	"bytes"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"go.yaml.in/yaml/v3"
)

const (
	ruleFile       = "../monitoring/prometheusrule.yaml"
	operationsDoc  = "../../docs/operations.md"
	runbookURLBase = "https://github.com/steadycron/steadycron/blob/main/docs/operations.md"
)

// prometheusRule is the PrometheusRule envelope; spec is a Prometheus rule
// file, which rulefmt parses.
type prometheusRule struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name      string            `yaml:"name"`
		Namespace string            `yaml:"namespace"`
		Labels    map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec yaml.Node `yaml:"spec"`
}

func loadRules(t *testing.T) *rulefmt.RuleGroups {
	t.Helper()
	data, err := os.ReadFile(ruleFile)
	if err != nil {
		t.Fatal(err)
	}
	var pr prometheusRule
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&pr); err != nil {
		t.Fatalf("%s: %v", ruleFile, err)
	}
	if pr.APIVersion != "monitoring.coreos.com/v1" || pr.Kind != "PrometheusRule" {
		t.Fatalf("%s is %s %s, want monitoring.coreos.com/v1 PrometheusRule", ruleFile, pr.APIVersion, pr.Kind)
	}
	spec, err := yaml.Marshal(&pr.Spec)
	if err != nil {
		t.Fatal(err)
	}
	// Strict: unknown fields are errors, as with `promtool check rules`.
	groups, errs := rulefmt.Parse(spec, false, model.UTF8Validation, promql, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, err := range errs {
		t.Errorf("%s: %v", ruleFile, err)
	}
	if groups == nil || len(groups.Groups) == 0 {
		t.Fatalf("%s has no rule groups", ruleFile)
	}
	records := map[string]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Record != "" {
				records[r.Record] = r.Expr
			}
		}
	}
	if err := loadRecorded(records); err != nil {
		t.Fatalf("%s: %v", ruleFile, err)
	}
	return groups
}

// TestPrometheusRulesAreValid: Prometheus' own rule-file parser accepts the
// groups (it parses every expression and annotation template).
func TestPrometheusRulesAreValid(t *testing.T) {
	loadRules(t)
}

// TestAlertsQueryExportedMetrics: every selector names a metric steadycron
// exports, by labels it has.
func TestAlertsQueryExportedMetrics(t *testing.T) {
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			if err := checkExpr(r.Expr); err != nil {
				t.Errorf("%s/%s: %v", g.Name, r.Alert+r.Record, err)
			}
		}
	}
}

// TestAlertsHaveRunbooks: every alert has a severity, a summary and a
// description, and its runbook_url points at a section of
// docs/operations.md that exists.
func TestAlertsHaveRunbooks(t *testing.T) {
	doc, err := os.ReadFile(operationsDoc)
	if err != nil {
		t.Fatal(err)
	}
	anchors := markdownAnchors(string(doc))
	seen := map[string]bool{}
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			if seen[r.Alert] {
				t.Errorf("alert %s is defined twice", r.Alert)
			}
			seen[r.Alert] = true
			if !strings.HasPrefix(r.Alert, "Steadycron") {
				t.Errorf("alert %s: names start with Steadycron", r.Alert)
			}
			switch r.Labels["severity"] {
			case "warning", "critical":
			default:
				t.Errorf("alert %s: severity %q, want warning or critical", r.Alert, r.Labels["severity"])
			}
			for _, a := range []string{"summary", "description", "runbook_url"} {
				if strings.TrimSpace(r.Annotations[a]) == "" {
					t.Errorf("alert %s has no %s", r.Alert, a)
				}
			}
			u, err := url.Parse(r.Annotations["runbook_url"])
			if err != nil {
				t.Errorf("alert %s: runbook_url: %v", r.Alert, err)
				continue
			}
			if base := strings.TrimSuffix(u.String(), "#"+u.Fragment); base != runbookURLBase {
				t.Errorf("alert %s: runbook_url %s is not in %s", r.Alert, u, runbookURLBase)
			}
			if want := strings.ToLower(r.Alert); u.Fragment != want {
				t.Errorf("alert %s: runbook_url anchor %q, want %q (a section named after the alert)", r.Alert, u.Fragment, want)
			}
			if !anchors[u.Fragment] {
				t.Errorf("alert %s: %s has no section #%s", r.Alert, operationsDoc, u.Fragment)
			}
		}
	}
	for _, want := range []string{
		"SteadycronCronJobSkippedRun", "SteadycronMissedSchedules", "SteadycronJobFailed", "SteadycronJobOverlapped",
		"SteadycronJobStartDelayHigh", "SteadycronDown", "SteadycronNoLeader", "SteadycronLeaderNotScraped",
		"SteadycronNotSyncing",
	} {
		if !seen[want] {
			t.Errorf("the default alert %s is missing", want)
		}
	}
}
