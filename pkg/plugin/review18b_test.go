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

package plugin

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// Review of issue 18 (h-att-18b): failing tests for what the review found on
// the local control plane.

// LOW. `kubectl cronjob status cj-001 -n bulk` printed "Lint:\n  none" while
// `kubectl cronjob lint cj-001 -n bulk` reported crowded-minute (250
// CronJobs of the namespace due at 03:00): status's lint findings are not
// lint's for the same CronJob.
func TestReview18bStatusLintIsLintsFindings(t *testing.T) {
	now := at(9, 0, 16)
	var objs []runtime.Object
	for i := range 12 {
		cj := cronJob(fmt.Sprintf("report-%02d", i), "0 3 * * *")
		cj.UID = types.UID(fmt.Sprintf("uid-%02d", i))
		objs = append(objs, cj)
	}
	o, out := newTestOptions(now, objs...)
	require.NoError(t, execute(t, o, "lint", "report-00", "-o", "json"))
	var lint LintReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &lint))
	var checks []string
	for _, f := range lint.Findings {
		checks = append(checks, f.Check)
	}
	require.Contains(t, checks, "crowded-minute")

	o, out = newTestOptions(now, objs...)
	require.NoError(t, execute(t, o, "status", "report-00", "-o", "json"))
	var status Status
	require.NoError(t, json.Unmarshal(out.Bytes(), &status))
	var got []string
	for _, f := range status.Findings {
		got = append(got, f.Check)
	}
	assert.ElementsMatch(t, checks, got, "status lists the lint findings for this CronJob")
}
