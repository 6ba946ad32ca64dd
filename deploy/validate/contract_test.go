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
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// contractFile is the metric and annotation contract. Its Go reader for the
// e2e test is e2e/framework/contract.go, in the product's module; this one
// reads the fields the checks here need, and refuses no others.
const contractFile = "../../docs/metrics-contract.yaml"

type contract struct {
	CompletePrefixes []string `yaml:"completePrefixes"`
	Families         []struct {
		Name      string              `yaml:"name"`
		Type      string              `yaml:"type"`
		Labels    []string            `yaml:"labels"`
		Stability string              `yaml:"stability"`
		Values    map[string][]string `yaml:"values"`
	} `yaml:"families"`
	Annotations []struct {
		Name string `yaml:"name"`
		On   string `yaml:"on"`
	} `yaml:"annotations"`
}

func loadContract() (*contract, error) {
	data, err := os.ReadFile(contractFile)
	if err != nil {
		return nil, fmt.Errorf("reading the metric contract: %w", err)
	}
	var c contract
	if err := yaml.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", contractFile, err)
	}
	if len(c.Families) == 0 || len(c.Annotations) == 0 {
		return nil, fmt.Errorf("%s lists no families or no annotations", contractFile)
	}
	return &c, nil
}

func mustLoadContract(t *testing.T) *contract {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// docDefinition is where docs/metrics.md defines a family: a heading
// "### `name{labels}` (type[, LEVEL])" (no LEVEL: ALPHA), or a row
// "| `name{labels}` | type | LEVEL | ..." of a table (LEVEL "-": none). section is the text from the heading (or from the
// heading above the table) to the next heading, where the family's label
// values must be named.
type docDefinition struct {
	labels    []string
	typ       string
	stability string
	section   string
	row       bool
}

var (
	docHeadingRE = regexp.MustCompile("^#{2,4} `([a-z_:]+)(?:\\{([^}]*)\\})?` \\((counter|gauge|histogram)(?:, ([A-Z]+))?\\)$")
	docRowRE     = regexp.MustCompile("^\\| `([a-z_:]+)(?:\\{([^}]*)\\})?` \\| (counter|gauge|histogram) \\| ([A-Z]+|-) \\|")
	// anyHeadingRE starts a new section.
	anyHeadingRE = regexp.MustCompile(`^#{1,4} `)
)

// docDefinitions returns the families docs/metrics.md defines, and the
// families defined more than once.
func docDefinitions(doc string) (map[string]docDefinition, []string) {
	defs := map[string]docDefinition{}
	var twice []string
	lines := strings.Split(doc, "\n")
	sectionAt := func(i int) string {
		start := i
		for start > 0 && !anyHeadingRE.MatchString(lines[start]) {
			start--
		}
		end := i + 1
		for end < len(lines) && !anyHeadingRE.MatchString(lines[end]) {
			end++
		}
		return strings.Join(lines[start:end], "\n")
	}
	inFence := false
	for i, line := range lines {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence {
			continue
		}
		m, row := docHeadingRE.FindStringSubmatch(line), false
		if m == nil {
			m, row = docRowRE.FindStringSubmatch(line), true
		}
		if m == nil {
			continue
		}
		var labels []string
		for l := range strings.SplitSeq(m[2], ",") {
			if l = strings.TrimSpace(l); l != "" {
				labels = append(labels, l)
			}
		}
		if _, ok := defs[m[1]]; ok {
			twice = append(twice, m[1])
		}
		defs[m[1]] = docDefinition{labels: labels, typ: m[3], stability: m[4], section: sectionAt(i), row: row}
	}
	return defs, twice
}

// namedInCode reports whether text names value in a code span: `value`, or
// a span such as `result="value"` where it stands as a whole word.
func namedInCode(text, value string) bool {
	word := regexp.MustCompile(`(^|[^A-Za-z0-9_./-])` + regexp.QuoteMeta(value) + `($|[^A-Za-z0-9_./-])`)
	for _, span := range regexp.MustCompile("`[^`\n]+`").FindAllString(text, -1) {
		if word.MatchString(strings.Trim(span, "`")) {
			return true
		}
	}
	return false
}

// contractDocProblems compares docs/metrics.md with the contract: every
// family is defined once, with the contract's labels (in order), type and
// stability, and its section names
// each listed label value; no other family is defined; the "Job annotations"
// table has a row for exactly the annotations on Jobs; every annotation is
// named in a code span.
func contractDocProblems(c *contract, doc string) []string {
	var problems []string
	defs, twice := docDefinitions(doc)
	for _, name := range twice {
		problems = append(problems, fmt.Sprintf("%s is defined more than once", name))
	}
	listed := map[string]bool{}
	for _, f := range c.Families {
		listed[f.Name] = true
		d, ok := defs[f.Name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s is in the contract but not documented (a heading \"### `%s{...}` (%s)\" or a table row)", f.Name, f.Name, f.Type))
			continue
		}
		if !slices.Equal(d.labels, f.Labels) {
			problems = append(problems, fmt.Sprintf("%s is documented with labels %v, the contract says %v", f.Name, d.labels, f.Labels))
		}
		if d.typ != f.Type {
			problems = append(problems, fmt.Sprintf("%s is documented as a %s, the contract says %s", f.Name, d.typ, f.Type))
		}
		want := f.Stability
		switch {
		case d.row && want == "":
			want = "-"
		case !d.row && want == "ALPHA":
			want = ""
		}
		if d.stability != want {
			problems = append(problems, fmt.Sprintf("%s is documented with stability %q, the contract says %q", f.Name, d.stability, f.Stability))
		}
		for label, values := range f.Values {
			for _, v := range values {
				if !namedInCode(d.section, v) {
					problems = append(problems, fmt.Sprintf("%s: the value %q of its label %s is not named in its section", f.Name, v, label))
				}
			}
		}
	}
	for name := range defs {
		if !listed[name] {
			problems = append(problems, fmt.Sprintf("docs/metrics.md documents %s, which is not in the contract", name))
		}
	}

	var onJobs, rows []string
	for _, a := range c.Annotations {
		if a.On == "Job" {
			onJobs = append(onJobs, a.Name)
		}
		if !namedInCode(doc, a.Name) {
			problems = append(problems, fmt.Sprintf("the annotation %s is in the contract but not named in docs/metrics.md", a.Name))
		}
	}
	table := regexp.MustCompile("(?m)^## Job annotations\n(?:[^|].*\n|\n)*\\| annotation \\|.*\n\\|[-|]+\n((?:\\|.*\n)+)").FindStringSubmatch(doc)
	if table == nil {
		problems = append(problems, "docs/metrics.md has no \"## Job annotations\" table")
	} else {
		for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(table[1], -1) {
			rows = append(rows, m[1])
		}
	}
	sort.Strings(onJobs)
	sort.Strings(rows)
	if table != nil && !slices.Equal(onJobs, rows) {
		problems = append(problems, fmt.Sprintf("the Job annotations table of docs/metrics.md has rows %v, the contract's annotations on Jobs are %v", rows, onJobs))
	}
	sort.Strings(problems)
	return problems
}

// TestMetricsDocDocumentsTheContract: docs/metrics.md documents exactly the
// families of docs/metrics-contract.yaml, with their labels, types,
// stability and label values, and its annotations.
func TestMetricsDocDocumentsTheContract(t *testing.T) {
	c := mustLoadContract(t)
	doc, err := os.ReadFile(metricsDoc)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range contractDocProblems(c, string(doc)) {
		t.Error(p)
	}
}

// TestContractDocCheckCanFail: the comparison finds each kind of drift in a
// small document.
func TestContractDocCheckCanFail(t *testing.T) {
	var c contract
	if err := yaml.Unmarshal([]byte(`
families:
  - {name: a_total, type: counter, labels: [x, y], stability: ALPHA, values: {y: [one, two]}}
  - {name: b_seconds, type: histogram, labels: [], stability: STABLE}
  - {name: c_bytes, type: gauge, labels: []}
annotations:
  - {name: example.io/a, on: Job}
  - {name: example.io/b, on: Job pod template}
`), &c); err != nil {
		t.Fatal(err)
	}
	good := "## Job annotations\n\n| annotation | set by |\n|---|---|\n| `example.io/a` | us |\n\nWith `example.io/b`.\n\n" +
		"### `a_total{x, y}` (counter)\n\n`y` is `one` or `two`.\n\n### `b_seconds` (histogram, STABLE)\n\n### Others\n\n" +
		"| family | type | stability | from |\n|---|---|---|---|\n| `c_bytes` | gauge | - | a library |\n"
	if p := contractDocProblems(&c, good); len(p) != 0 {
		t.Fatalf("a document that matches the contract: %v", p)
	}
	tests := map[string]struct {
		doc  string
		want string
	}{
		"a family the contract lacks": {
			doc:  good + "| `d_total` | counter | ALPHA | a library |\n",
			want: "docs/metrics.md documents d_total, which is not in the contract",
		},
		"a family defined twice": {
			doc:  good + "\n### `a_total{x, y}` (counter)\n",
			want: "a_total is defined more than once",
		},
		"another type": {
			doc:  strings.Replace(good, "| `c_bytes` | gauge |", "| `c_bytes` | counter |", 1),
			want: "c_bytes is documented as a counter, the contract says gauge",
		},
		"a family not documented": {
			doc:  strings.Replace(good, "### `b_seconds` (histogram, STABLE)", "### b", 1),
			want: "b_seconds is in the contract but not documented",
		},
		"other labels": {
			doc:  strings.Replace(good, "a_total{x, y}", "a_total{y, x}", 1),
			want: "a_total is documented with labels [y x], the contract says [x y]",
		},
		"another stability": {
			doc:  strings.Replace(good, "(histogram, STABLE)", "(histogram)", 1),
			want: `b_seconds is documented with stability "", the contract says "STABLE"`,
		},
		"a label value not named": {
			doc:  strings.Replace(good, "or `two`", "or two", 1),
			want: `a_total: the value "two" of its label y is not named in its section`,
		},
		"an annotation not in the table": {
			doc:  strings.Replace(good, "| `example.io/a` | us |\n", "| `example.io/c` | us |\n", 1),
			want: "the Job annotations table of docs/metrics.md has rows [example.io/c]",
		},
		"an annotation not named": {
			doc:  strings.Replace(good, "With `example.io/b`.", "", 1),
			want: "the annotation example.io/b is in the contract but not named in docs/metrics.md",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := contractDocProblems(&c, tc.doc)
			if !slices.ContainsFunc(p, func(s string) bool { return strings.HasPrefix(s, tc.want) }) {
				t.Errorf("want a problem starting %q, got %v", tc.want, p)
			}
		})
	}
}

var (
	// metricTokenRE finds what looks like a name of a metric with one of the
	// contract's complete prefixes (recorded series included).
	metricTokenRE = regexp.MustCompile(`[A-Za-z0-9_:./-]*\b(?:cronjob|workqueue|leader_election)_[a-z0-9_]+[a-z0-9_:.]*`)
	// annotationTokenRE finds steadycron.io/ names, with their subdomain.
	annotationTokenRE = regexp.MustCompile(`[a-z0-9.-]*steadycron\.io/[A-Za-z0-9_.-]+`)
)

// TestRepositoryNamesOnlyContractedNames: no file of the repository (docs,
// deploy, e2e, patches, code) names a metric with a complete prefix, or a
// steadycron.io/ annotation, that is not in the contract: a name written by
// hand that drifted matches nothing. e2e.steadycron.io/ (the test pods'
// annotations) and kubectl-cronjob.steadycron.io/ (the plugin's API group)
// are not annotations of the contract.
func TestRepositoryNamesOnlyContractedNames(t *testing.T) {
	c := mustLoadContract(t)
	if contractErr != nil {
		t.Fatal(contractErr)
	}
	loadRules(t) // the recorded series
	values := map[string]bool{}
	for _, f := range c.Families {
		for _, vs := range f.Values {
			for _, v := range vs {
				values[v] = true
			}
		}
	}
	// The metric part of a recorded series, cronjob:<part>:increase1m, as a
	// test that looks for the rule by its name writes it.
	for name := range recorded {
		if parts := strings.Split(name, ":"); len(parts) == 3 {
			values[parts[1]] = true
		}
	}
	annotations := map[string]bool{}
	for _, a := range c.Annotations {
		annotations[a.Name] = true
	}

	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	files := 0
	for _, file := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, file))
		if err != nil || bytes.IndexByte(data, 0) >= 0 {
			continue // removed in the work tree, or binary
		}
		files++
		text := string(data)
		for _, tok := range metricTokenRE.FindAllString(text, -1) {
			tok = strings.TrimRight(tok, ".:")
			if strings.Contains(tok, "/") || strings.Contains(tok, ".go") {
				continue // a file name
			}
			if strings.Contains(tok, ":") {
				if _, ok := recorded[tok]; !ok {
					t.Errorf("%s: %s is not a recording rule of %s", file, tok, ruleFile)
				}
				continue
			}
			if _, ok := exported[tok]; !ok && !values[tok] {
				if _, ok := lookupFamily(tok); ok {
					continue // a histogram's series
				}
				t.Errorf("%s: %s is not a family (or a listed label value, or a recorded series) of %s", file, tok, contractFile)
			}
		}
		for _, tok := range annotationTokenRE.FindAllString(text, -1) {
			tok = strings.TrimRight(tok, ".")
			if !strings.HasPrefix(tok, "steadycron.io/") {
				continue
			}
			if !annotations[tok] {
				t.Errorf("%s: %s is not an annotation of %s", file, tok, contractFile)
			}
		}
	}
	if files < 100 {
		t.Fatalf("read only %d files of the repository", files)
	}
}
