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

package app

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leftToHelp are the flags of `cronjob-controller --help` that README's flag
// table leaves out on purpose: component-base's and k8s.io/apiserver's own
// serving, authentication, authorization and logging details, with their
// defaults as in kube-controller-manager. A flag that is in neither the table
// nor this list fails TestREADMEFlagTableMatchesHelp.
var leftToHelp = map[string]bool{
	"disable-http2-serving":                        true,
	"http2-max-streams-per-connection":             true,
	"permit-address-sharing":                       true,
	"permit-port-sharing":                          true,
	"tls-cipher-suites":                            true,
	"tls-curve-preferences":                        true,
	"tls-min-version":                              true,
	"tls-sni-cert-key":                             true,
	"authentication-skip-lookup":                   true,
	"authentication-token-webhook-cache-ttl":       true,
	"authentication-tolerate-lookup-failure":       true,
	"client-ca-file":                               true,
	"requestheader-allowed-names":                  true,
	"requestheader-client-ca-file":                 true,
	"requestheader-extra-headers-prefix":           true,
	"requestheader-group-headers":                  true,
	"requestheader-uid-headers":                    true,
	"requestheader-username-headers":               true,
	"authorization-always-allow-paths":             true,
	"authorization-webhook-cache-authorized-ttl":   true,
	"authorization-webhook-cache-unauthorized-ttl": true,
	"log-flush-frequency":                          true,
	"log-text-info-buffer-size":                    true,
	"log-text-split-stream":                        true,
	"vmodule":                                      true,
}

// TestREADMEFlagTableMatchesHelp checks README.md's flag table against what
// `cronjob-controller --help` prints: every flag in the table exists with the
// default the table gives, and every flag of --help is in the table or in
// leftToHelp. `make verify` runs it.
func TestREADMEFlagTableMatchesHelp(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	table, err := parseFlagTable(string(readme))
	require.NoError(t, err)

	cmd := NewCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"--help"})
	require.NoError(t, cmd.Execute())
	help := parseHelp(out.String())
	require.NotEmpty(t, help, "no flag found in --help:\n%s", out.String())

	assert.Empty(t, compareFlags(table, help, leftToHelp))
}

func TestCompareFlags(t *testing.T) {
	const help = `
Generic flags:

      --kube-api-burst int32           Burst to use. (default 1000)
      --kubeconfig string              Path to a kubeconfig file.
      --version                        Print the version and exit.
      --create-jobs-first              Write status later. (default true)
      --permit-port-sharing            If true, SO_REUSEPORT. [default=false]
      --bind-address ip                The IP address. (default 0.0.0.0)
      --leader-elect-resource-name string   The name. (default "steadycron")
  -v, --v Level                        number for the log level verbosity
`
	const table = "| flag | default | meaning |\n|---|---|---|\n"
	cases := map[string]struct {
		rows string
		want []string
	}{
		"all there": {
			rows: "| `--kube-api-burst` | 1000 (kcm: 30) | burst |\n" +
				"| `--kubeconfig` | none (in-cluster) | x |\n" +
				"| `--version`, `--create-jobs-first` | false, true | x |\n" +
				"| `--bind-address`, `--leader-elect-resource-name` | 0.0.0.0, `steadycron` | x |\n" +
				"| `-v` | 0 | x |\n",
		},
		"a wrong default": {
			rows: "| `--kube-api-burst` | 500 | burst |\n" +
				"| `--kubeconfig` | none | x |\n| `--version`, `--create-jobs-first` | false, true | x |\n" +
				"| `--bind-address`, `--leader-elect-resource-name` | 0.0.0.0, steadycron | x |\n| `-v` | 0 | x |\n",
			want: []string{`--kube-api-burst: README's default "500", --help's "1000"`},
		},
		"a flag --help does not have": {
			rows: "| `--kube-api-burst` | 1000 | burst |\n| `--kube-api-qps` | 500 | qps |\n" +
				"| `--kubeconfig` | none | x |\n| `--version`, `--create-jobs-first` | false, true | x |\n" +
				"| `--bind-address`, `--leader-elect-resource-name` | 0.0.0.0, steadycron | x |\n| `-v` | 0 | x |\n",
			want: []string{"--kube-api-qps: in README's flag table, not in --help"},
		},
		"a flag of --help missing from the table": {
			rows: "| `--kube-api-burst` | 1000 | burst |\n" +
				"| `--version`, `--create-jobs-first` | false, true | x |\n" +
				"| `--bind-address`, `--leader-elect-resource-name` | 0.0.0.0, steadycron | x |\n| `-v` | 0 | x |\n",
			want: []string{"--kubeconfig: in --help, in neither README's flag table nor the list of flags left to --help"},
		},
		"a default where --help shows none": {
			rows: "| `--kube-api-burst` | 1000 | burst |\n| `--kubeconfig` | ~/.kube/config | x |\n" +
				"| `--version`, `--create-jobs-first` | false, true | x |\n" +
				"| `--bind-address`, `--leader-elect-resource-name` | 0.0.0.0, steadycron | x |\n| `-v` | 0 | x |\n",
			want: []string{`--kubeconfig: README's default "~/.kube/config", --help's none`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rows, err := parseFlagTable(table + tc.rows + "\n")
			require.NoError(t, err)
			got := compareFlags(rows, parseHelp(help), map[string]bool{"permit-port-sharing": true})
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseFlagTableRejectsUnevenDefaults(t *testing.T) {
	_, err := parseFlagTable("| flag | default | meaning |\n|---|---|---|\n| `--a`, `--b`, `--c` | 1, 2 | x |\n")
	assert.ErrorContains(t, err, "2 defaults for 3 flags")
	_, err = parseFlagTable("no table here\n")
	assert.ErrorContains(t, err, "no flag table")
}

// flagDefault is a flag's default as README or --help gives it; set is false
// where --help shows none.
type flagDefault struct {
	value string
	set   bool
}

// parseFlagTable reads the first table of text whose header is
// "| flag | default | meaning |". A row names one or more flags in
// backquotes (`-v` stands for --v) and gives one default for all of them or
// one each, comma-separated; a parenthesis in the default cell is a comment,
// and "none" means no default.
func parseFlagTable(text string) (map[string]string, error) {
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "| flag | default | meaning |" {
			start = i + 2 // past the header and its separator
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("no flag table (header \"| flag | default | meaning |\")")
	}
	flagName := regexp.MustCompile("`(--?[a-z0-9-]+)`")
	comment := regexp.MustCompile(`\([^)]*\)`)
	table := map[string]string{}
	for _, l := range lines[start:] {
		if !strings.HasPrefix(l, "|") {
			break
		}
		cells := strings.Split(strings.Trim(l, "|"), " | ")
		if len(cells) < 3 {
			return nil, fmt.Errorf("row %q: want 3 cells", l)
		}
		var names []string
		for _, m := range flagName.FindAllStringSubmatch(cells[0], -1) {
			names = append(names, strings.TrimLeft(m[1], "-"))
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("row %q: no flag in backquotes", l)
		}
		var defaults []string
		for _, d := range strings.Split(comment.ReplaceAllString(cells[1], ""), ",") {
			defaults = append(defaults, strings.Trim(strings.TrimSpace(d), "`\""))
		}
		switch {
		case len(defaults) == 1:
			for range names[1:] {
				defaults = append(defaults, defaults[0])
			}
		case len(defaults) != len(names):
			return nil, fmt.Errorf("row %q: %d defaults for %d flags", l, len(defaults), len(names))
		}
		for i, n := range names {
			table[n] = defaults[i]
		}
	}
	return table, nil
}

// parseHelp reads the flags and their defaults from the output of --help.
func parseHelp(help string) map[string]flagDefault {
	line := regexp.MustCompile(`^\s+(?:-[a-z], )?--([a-z0-9-]+)(?:\s|$)`)
	parenDefault := regexp.MustCompile(`\(default (.*)\)\s*$`)
	bracketDefault := regexp.MustCompile(`\[default=([^\]]*)\]`)
	flags := map[string]flagDefault{}
	for _, l := range strings.Split(help, "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		d := flagDefault{}
		if dm := parenDefault.FindStringSubmatch(l); dm != nil {
			d = flagDefault{value: strings.Trim(dm[1], `"`), set: true}
		} else if dm := bracketDefault.FindStringSubmatch(l); dm != nil {
			d = flagDefault{value: dm[1], set: true}
		}
		flags[m[1]] = d
	}
	return flags
}

// zeroValues are what --help leaves out as a default: pflag prints none for a
// flag's zero value.
var zeroValues = map[string]bool{"none": true, "0": true, "false": true, "": true}

// compareFlags returns every difference between README's table and --help,
// sorted: a flag in only one of them (unless leftToHelp names it), and a
// default that differs.
func compareFlags(table map[string]string, help map[string]flagDefault, leftToHelp map[string]bool) []string {
	var problems []string
	for name, readme := range table {
		h, ok := help[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("--%s: in README's flag table, not in --help", name))
		case !h.set && !zeroValues[readme]:
			problems = append(problems, fmt.Sprintf("--%s: README's default %q, --help's none", name, readme))
		case h.set && h.value != readme && !(readme == "none" && zeroValues[h.value]):
			problems = append(problems, fmt.Sprintf("--%s: README's default %q, --help's %q", name, readme, h.value))
		}
	}
	for name := range help {
		if _, ok := table[name]; !ok && !leftToHelp[name] {
			problems = append(problems, fmt.Sprintf("--%s: in --help, in neither README's flag table nor the list of flags left to --help", name))
		}
	}
	sort.Strings(problems)
	return problems
}
