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

package framework

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// TestPrometheusRuleGroupsOverrideOnlyFor: the e2e Prometheus evaluates the
// shipped rules; with a `for` override, every rule that has `for:` gets the
// new value and every other field of every rule stays as shipped.
func TestPrometheusRuleGroupsOverrideOnlyFor(t *testing.T) {
	path := filepath.Join("..", "..", PrometheusRuleFile)
	decode := func(override time.Duration) []map[string]any {
		t.Helper()
		out, err := PrometheusRuleGroups(path, override)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Groups []struct {
				Rules []map[string]any `json:"rules"`
			} `json:"groups"`
		}
		if err := yaml.Unmarshal(out, &f); err != nil {
			t.Fatal(err)
		}
		var rules []map[string]any
		for _, g := range f.Groups {
			rules = append(rules, g.Rules...)
		}
		return rules
	}
	shipped, shortened := decode(0), decode(20*time.Second)
	if len(shipped) == 0 || len(shipped) != len(shortened) {
		t.Fatalf("%d rules shipped, %d with the override", len(shipped), len(shortened))
	}
	withFor := 0
	for i, want := range shipped {
		got := shortened[i]
		if _, has := want["for"]; has {
			withFor++
			if got["for"] != "20s" {
				t.Errorf("rule %v: for %v, want 20s", want["alert"], got["for"])
			}
		}
		delete(want, "for")
		delete(got, "for")
		if !reflect.DeepEqual(want, got) {
			t.Errorf("rule %v changed beyond for:\nshipped: %v\ne2e:     %v", want["alert"], want, got)
		}
	}
	if withFor == 0 {
		t.Error("no shipped rule has for:; the override tests nothing")
	}
}
