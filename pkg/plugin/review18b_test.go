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
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/utils/ptr"
)

// Review of issue 18 (h-att-18b): failing tests for what the review found on
// the local control plane.

type fakeClientset = fake.Clientset

// `why heartbeat --at 2026-11-30T17:41:00Z` at 17:40:35 said "Not due yet: it
// comes in 0s." (the wait is rounded to the minute).
func TestReview18bWhyNotDueYetSaysHowLong(t *testing.T) {
	sched := at(2, 30, 16)
	cj := cronJob("report", "30 2 * * *")
	o, out := newTestOptions(sched.Add(-25*time.Second), cj, lease("steadycron-0", sched.Add(-25*time.Second)))
	require.NoError(t, execute(t, o, "why", "report", "--at", sched.Format(time.RFC3339)))
	assert.Contains(t, out.String(), "Not due yet")
	assert.NotContains(t, out.String(), "it comes in 0s", "the time is 25s away")
}

// LOW. `why heartbeat --at 9999-12-31T23:59:59Z` (a "* * * * *" CronJob)
// said "Not due yet: it comes in 2562047h47m.": the largest time.Duration
// (about 292 years), not the 7,973 years to go. And `--at
// 0001-01-01T00:00:00Z` said "0001-01-01T00:00:00Z is not a scheduled time of
// "* * * * *"", which every minute is (BeforeCreation is the answer).
func TestReview18bWhyAtTheEndsOfTime(t *testing.T) {
	cj := cronJob("report", "* * * * *")
	now := at(9, 0, 16)
	got := whyJSON(t, now, "report", "9999-12-31T23:59:00Z", cj, lease("steadycron-0", now))
	assert.Equal(t, VerdictNotDue, got.Verdict, got.Explanation)
	assert.NotContains(t, got.Explanation, "2562047h47m", "time.Duration saturates at 292 years")

	got = whyJSON(t, now, "report", "0001-01-01T00:00:00Z", cj, lease("steadycron-0", now))
	assert.Equal(t, VerdictBeforeCreation, got.Verdict, got.Explanation)
}

// LOW. A Forbid CronJob with two active Jobs (its scheduled Job and one that
// `kubectl cronjob run --force` made, which steadycron adopts): status and
// next note the held time with "Job forbid-29934332 is active; the controller
// runs this time as soon as it ends", naming the first only; the time waits
// for both (local control plane, t1/forbid at 17:34).
func TestReview18bHeldNoteNamesEveryActiveJob(t *testing.T) {
	now := at(11, 20, 16)
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
		cj.Status.Active = []corev1.ObjectReference{
			{Kind: "Job", Name: "report-" + itoa(at(10, 0, 16).Unix()/60), Namespace: cj.Namespace, UID: "job-uid"},
			{Kind: "Job", Name: "report-x7k2p", Namespace: cj.Namespace, UID: "manual-uid"},
		}
	})
	o, out := newTestOptions(now, cj)
	require.NoError(t, execute(t, o, "next", "report", "--count", "2", "-o", "json"))
	var next NextTimes
	require.NoError(t, json.Unmarshal(out.Bytes(), &next))
	require.NotEmpty(t, next.Times)
	assert.Contains(t, next.Times[0].Note, "report-x7k2p", "the held time waits for every active Job")
}

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
