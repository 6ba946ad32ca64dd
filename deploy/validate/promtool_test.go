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
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ruleTestsDir holds promtool rule unit test files; each names the rule file
// "rules.yaml", which the test writes from the PrometheusRule's spec.
const ruleTestsDir = "../monitoring/tests"

// EnvPromtool names the promtool binary; default: promtool on PATH.
// scripts/verify-deploy.sh installs Debian's prometheus package, which
// brings it, when it is missing.
const EnvPromtool = "PROMTOOL"

func promtool(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(EnvPromtool); p != "" {
		return p
	}
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatalf("promtool not found (%v): install it with `apt-get install --no-install-recommends prometheus` "+
			"(scripts/verify-deploy.sh does when it runs as root) or set %s", err, EnvPromtool)
	}
	return p
}

// extractRuleFile writes the PrometheusRule's spec (a Prometheus rule file:
// `groups:`) to dir/rules.yaml, as the Prometheus Operator hands it to
// Prometheus.
func extractRuleFile(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(ruleFile)
	if err != nil {
		t.Fatal(err)
	}
	var pr prometheusRule
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&pr); err != nil {
		t.Fatalf("%s: %v", ruleFile, err)
	}
	spec, err := yaml.Marshal(&pr.Spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules.yaml"), spec, 0o644); err != nil {
		t.Fatal(err)
	}
}

func ruleTestFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(ruleTestsDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no rule unit tests in %s", ruleTestsDir)
	}
	return files
}

// TestAlertRuleUnitTests runs `promtool test rules` on every file of
// deploy/monitoring/tests against the shipped rules.
func TestAlertRuleUnitTests(t *testing.T) {
	bin := promtool(t)
	dir := t.TempDir()
	extractRuleFile(t, dir)
	for _, f := range ruleTestFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "test", "rules", filepath.Base(dst))
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool test rules %s: %v\n%s", f, err, out)
		}
	}
}

// promtoolTests is the part of promtool's test file format this check reads.
type promtoolTests struct {
	Tests []struct {
		Name          string `yaml:"name"`
		AlertRuleTest []struct {
			Alertname string           `yaml:"alertname"`
			ExpAlerts []map[string]any `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}

// TestEveryAlertHasRuleUnitTests: every alert of the PrometheusRule is
// expected to fire somewhere in the unit tests, and expected to be silent
// somewhere, so that an alert that can never fire, or always fires, fails
// `make verify`.
func TestEveryAlertHasRuleUnitTests(t *testing.T) {
	fires, silent := map[string]bool{}, map[string]bool{}
	for _, f := range ruleTestFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var pt promtoolTests
		if err := yaml.Unmarshal(data, &pt); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tc := range pt.Tests {
			for _, a := range tc.AlertRuleTest {
				if len(a.ExpAlerts) > 0 {
					fires[a.Alertname] = true
				} else {
					silent[a.Alertname] = true
				}
			}
		}
	}
	var alerts []string
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			if r.Alert != "" {
				alerts = append(alerts, r.Alert)
			}
		}
	}
	sort.Strings(alerts)
	for _, a := range alerts {
		if !fires[a] {
			t.Errorf("alert %s: no rule unit test in %s expects it to fire", a, ruleTestsDir)
		}
		if !silent[a] {
			t.Errorf("alert %s: no rule unit test in %s expects it to stay silent", a, ruleTestsDir)
		}
	}
}
