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
	"os"
	"path/filepath"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testContract lists a labelled counter, a histogram with enumerated values,
// a family served only under faults, and one promlint exception.
const testContract = `
completePrefixes: [example_]
families:
  - name: example_things_total
    type: counter
    labels: [namespace, result]
    stability: ALPHA
    help: Things.
    values:
      result: [success, failure]
  - name: example_wait_seconds
    type: histogram
    labels: []
    stability: STABLE
    help: Waits.
  - name: example_rare_total
    type: counter
    labels: []
    stability: ALPHA
    help: Rare.
    onlyUnderFaults: only when something breaks
  - name: process_open_fds
    type: gauge
    labels: []
    help: Number of open file descriptors.
promlintExceptions:
  - metric: legacy_requests
    problem: counter metrics should have "_total" suffix
    reason: a library's name
`

func writeContract(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "contract.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func parseFamilies(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	require.NoError(t, err)
	return families
}

// servedAsContracted is what a /metrics endpoint serving testContract
// correctly looks like, with other families beside it.
const servedAsContracted = `# HELP example_things_total [ALPHA] Things.
# TYPE example_things_total counter
example_things_total{namespace="a",result="success"} 1
example_things_total{namespace="",result="failure"} 2
# HELP example_wait_seconds [STABLE] Waits.
# TYPE example_wait_seconds histogram
example_wait_seconds_bucket{le="1"} 1
example_wait_seconds_bucket{le="+Inf"} 1
example_wait_seconds_sum 0.5
example_wait_seconds_count 1
# HELP process_open_fds Number of open file descriptors.
# TYPE process_open_fds gauge
process_open_fds 9
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 12
`

func TestContractCheckServed(t *testing.T) {
	contract, err := LoadContract(writeContract(t, testContract))
	require.NoError(t, err)

	tests := map[string]struct {
		served string
		// expectations
		problems []string
		unserved []string
	}{
		"everything as contracted, a family served only under faults absent": {
			served: servedAsContracted,
		},
		"a family with a complete prefix that is not listed": {
			served:   servedAsContracted + "# HELP example_new_total [ALPHA] New.\n# TYPE example_new_total counter\nexample_new_total 1\n",
			problems: []string{"example_new_total is served but not in docs/metrics-contract.yaml"},
		},
		"a label the contract lacks": {
			served: strings.Replace(servedAsContracted, `{namespace="a",result="success"}`, `{namespace="a",result="success",reason="x"}`, 1),
			problems: []string{
				"example_things_total is served with labels [namespace reason result], the contract says [namespace result]",
			},
		},
		"a label value the contract lacks": {
			served:   strings.Replace(servedAsContracted, `result="failure"`, `result="timeout"`, 1),
			problems: []string{`example_things_total is served with result="timeout", not one of the contract's [success failure]`},
		},
		"another type, stability and help": {
			served: strings.NewReplacer(
				"# TYPE example_things_total counter", "# TYPE example_things_total gauge",
				"[STABLE] Waits.", "[ALPHA] Waits.",
			).Replace(servedAsContracted),
			problems: []string{
				"example_things_total is served as a gauge, the contract says counter",
				`example_wait_seconds is served with help "[ALPHA] Waits.", the contract says "[STABLE] Waits."`,
			},
		},
		"a listed family never served": {
			served:   strings.Split(servedAsContracted, "# HELP example_wait_seconds")[0],
			unserved: []string{"example_wait_seconds", "process_open_fds"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			served := parseFamilies(t, tc.served)
			assert.Equal(t, tc.problems, contract.CheckServed(served))
			assert.Equal(t, tc.unserved, contract.Unserved(served))
		})
	}
}

func TestContractLint(t *testing.T) {
	contract, err := LoadContract(writeContract(t, testContract))
	require.NoError(t, err)

	tests := map[string]struct {
		served string
		// expectations
		problems, stale []string
	}{
		"clean, and the exception is stale": {
			served: servedAsContracted,
			stale:  []string{`legacy_requests: counter metrics should have "_total" suffix`},
		},
		"a problem that is an exception, and one that is not": {
			served: servedAsContracted +
				"# HELP legacy_requests Requests.\n# TYPE legacy_requests counter\nlegacy_requests 1\n" +
				"# HELP example_bytes_read Read.\n# TYPE example_bytes_read counter\nexample_bytes_read 1\n",
			problems: []string{`example_bytes_read: counter metrics should have "_total" suffix`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			problems, stale, err := contract.Lint(parseFamilies(t, tc.served))
			require.NoError(t, err)
			assert.Equal(t, tc.problems, problems)
			assert.Equal(t, tc.stale, stale)
		})
	}
}

func TestLoadContractRefusesWhatItCannotCheck(t *testing.T) {
	tests := map[string]struct {
		text string
		// expectations
		err string
	}{
		"an unknown field": {
			text: "families:\n  - name: a_total\n    type: counter\n    lables: [x]\n",
			err:  "field lables not found",
		},
		"a family listed twice": {
			text: "families:\n  - {name: a_total, type: counter}\n  - {name: a_total, type: counter}\n",
			err:  "a_total is listed twice",
		},
		"an unknown type": {
			text: "families:\n  - {name: a_total, type: summary}\n",
			err:  `a_total has type "summary"`,
		},
		"values of a label the family lacks": {
			text: "families:\n  - {name: a_total, type: counter, labels: [x], values: {y: [1]}}\n",
			err:  `lists values for "y"`,
		},
		"no families": {
			text: "completePrefixes: [a_]\n",
			err:  "lists no families",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := LoadContract(writeContract(t, tc.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
}

// TestRepositoryContractLoads: the repository's own contract decodes.
func TestRepositoryContractLoads(t *testing.T) {
	contract, err := LoadContract(filepath.Join("..", "..", ContractFile))
	require.NoError(t, err)
	_, ok := contract.Family("cronjob_controller_job_creation_skew_duration_seconds")
	assert.True(t, ok, "upstream's stable metric is missing from the contract")
}
