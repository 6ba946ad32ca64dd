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
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"go.yaml.in/yaml/v3"
)

// ContractFile is the metric and annotation contract, relative to the
// repository root.
const ContractFile = "docs/metrics-contract.yaml"

// Contract is docs/metrics-contract.yaml: the metric families and annotations
// that alerts, dashboards and docs may use.
type Contract struct {
	// CompletePrefixes: every served family whose name starts with one of
	// these must be listed.
	CompletePrefixes   []string             `yaml:"completePrefixes"`
	Families           []ContractFamily     `yaml:"families"`
	PromlintExceptions []PromlintException  `yaml:"promlintExceptions"`
	Annotations        []ContractAnnotation `yaml:"annotations"`
}

// ContractFamily is one metric family of the contract.
type ContractFamily struct {
	Name string `yaml:"name"`
	// Type is counter, gauge or histogram.
	Type   string   `yaml:"type"`
	Labels []string `yaml:"labels"`
	// Stability is component-base's level (ALPHA, BETA, STABLE), served as
	// a "[LEVEL] " prefix of the help; empty for Prometheus' own collectors.
	Stability string `yaml:"stability"`
	Unit      string `yaml:"unit"`
	Source    string `yaml:"source"`
	// Help is the served help text after the stability prefix.
	Help string `yaml:"help"`
	// Values lists every value a label can take; labels not listed take any.
	// namespace and cronjob may also be empty (--metrics-per-cronjob=false).
	Values map[string][]string `yaml:"values"`
	// OnlyUnderFaults says why the family is not served on a healthy
	// cluster; empty for families the e2e test must see served.
	OnlyUnderFaults string `yaml:"onlyUnderFaults"`
}

// PromlintException is a promlint problem that is accepted, and why.
type PromlintException struct {
	Metric  string `yaml:"metric"`
	Problem string `yaml:"problem"`
	Reason  string `yaml:"reason"`
}

// ContractAnnotation is one annotation steadycron reads or writes.
type ContractAnnotation struct {
	Name string `yaml:"name"`
	// On is the object that carries it: Job, or Job pod template.
	On     string `yaml:"on"`
	SetBy  string `yaml:"setBy"`
	ReadBy string `yaml:"readBy"`
	Value  string `yaml:"value"`
}

// LoadContract reads and strictly decodes the contract at path: an unknown
// field, a family listed twice, a type other than counter, gauge or
// histogram, or values for a label the family lacks is an error.
func LoadContract(path string) (*Contract, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the metric contract: %w", err)
	}
	var c Contract
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	if len(c.Families) == 0 {
		return nil, fmt.Errorf("%s lists no families", path)
	}
	seen := map[string]bool{}
	for _, f := range c.Families {
		if seen[f.Name] {
			return nil, fmt.Errorf("%s: %s is listed twice", path, f.Name)
		}
		seen[f.Name] = true
		if !slices.Contains([]string{"counter", "gauge", "histogram"}, f.Type) {
			return nil, fmt.Errorf("%s: %s has type %q, want counter, gauge or histogram", path, f.Name, f.Type)
		}
		for l := range f.Values {
			if !slices.Contains(f.Labels, l) {
				return nil, fmt.Errorf("%s: %s lists values for %q, which is not one of its labels %v", path, f.Name, l, f.Labels)
			}
		}
	}
	return &c, nil
}

// LoadContract reads the contract of the repository this cluster runs.
func (c *Cluster) LoadContract() (*Contract, error) {
	return LoadContract(filepath.Join(c.RepoRoot(), ContractFile))
}

// Family returns the listed family called name.
func (c *Contract) Family(name string) (ContractFamily, bool) {
	for _, f := range c.Families {
		if f.Name == name {
			return f, true
		}
	}
	return ContractFamily{}, false
}

// Unserved returns the listed families that are not in served, except those
// that are served only under faults.
func (c *Contract) Unserved(served map[string]*dto.MetricFamily) []string {
	var missing []string
	for _, f := range c.Families {
		if _, ok := served[f.Name]; !ok && f.OnlyUnderFaults == "" {
			missing = append(missing, f.Name)
		}
	}
	return missing
}

// CheckServed compares what a /metrics endpoint served with the contract and
// returns every difference: a family with a complete prefix that is not
// listed; a listed family served with another type, help, stability or label
// set; a label value the family does not list. Families outside the
// complete prefixes that are not listed (Go runtime, other client metrics)
// are not checked.
func (c *Contract) CheckServed(served map[string]*dto.MetricFamily) []string {
	var problems []string
	names := make([]string, 0, len(served))
	for name := range served {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		mf := served[name]
		f, ok := c.Family(name)
		if !ok {
			for _, p := range c.CompletePrefixes {
				if strings.HasPrefix(name, p) {
					problems = append(problems, fmt.Sprintf("%s is served but not in %s", name, ContractFile))
					break
				}
			}
			continue
		}
		if got, want := strings.ToLower(mf.GetType().String()), f.Type; got != want {
			problems = append(problems, fmt.Sprintf("%s is served as a %s, the contract says %s", name, got, want))
		}
		want := f.Help
		if f.Stability != "" {
			want = "[" + f.Stability + "] " + f.Help
		}
		if got := mf.GetHelp(); got != want {
			problems = append(problems, fmt.Sprintf("%s is served with help %q, the contract says %q", name, got, want))
		}
		for _, m := range mf.GetMetric() {
			var got []string
			for _, l := range m.GetLabel() {
				got = append(got, l.GetName())
				if values, ok := f.Values[l.GetName()]; ok && !slices.Contains(values, l.GetValue()) {
					problems = append(problems, fmt.Sprintf("%s is served with %s=%q, not one of the contract's %v", name, l.GetName(), l.GetValue(), values))
				}
			}
			// The text format sorts labels by name.
			want := slices.Sorted(slices.Values(f.Labels))
			sort.Strings(got)
			if !slices.Equal(got, want) {
				problems = append(problems, fmt.Sprintf("%s is served with labels %v, the contract says %v", name, got, f.Labels))
				break
			}
		}
	}
	return slices.Compact(problems)
}

// Lint runs promlint on the served families and returns its problems that
// are not listed exceptions, and the exceptions that promlint no longer
// reports (so that the list cannot outlive its reasons).
func (c *Contract) Lint(served map[string]*dto.MetricFamily) (problems, stale []string, err error) {
	families := make([]*dto.MetricFamily, 0, len(served))
	for _, mf := range served {
		families = append(families, mf)
	}
	sort.Slice(families, func(i, j int) bool { return families[i].GetName() < families[j].GetName() })
	found, err := promlint.NewWithMetricFamilies(families).Lint()
	if err != nil {
		return nil, nil, fmt.Errorf("promlint: %w", err)
	}
	used := map[int]bool{}
	for _, p := range found {
		i := slices.IndexFunc(c.PromlintExceptions, func(e PromlintException) bool {
			return e.Metric == p.Metric && e.Problem == p.Text
		})
		if i < 0 {
			problems = append(problems, fmt.Sprintf("%s: %s", p.Metric, p.Text))
			continue
		}
		used[i] = true
	}
	for i, e := range c.PromlintExceptions {
		if !used[i] {
			stale = append(stale, fmt.Sprintf("%s: %s", e.Metric, e.Problem))
		}
	}
	return problems, stale, nil
}
