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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
	"github.com/steadycron/steadycron/pkg/plugin"
)

// TestRound5WhyForbidSkipThenDeadline: a Forbid CronJob due every minute
// with startingDeadlineSeconds 10 whose first Job never ends. The controller
// skips the next minute for Forbid (JobAlreadyActive) and, at the sync of the
// minute after, reports that skipped time again as older than the deadline
// (MissSchedule "Missed 1 scheduled time up to ..."). why of the skipped
// minute must say Forbid skipped it, naming the running Job; it says the
// controller got to it past the deadline.
func TestRound5WhyForbidSkipThenDeadline(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	forbid := cluster.NewCronJob("forbid", "* * * * *", framework.RunsForever)
	forbid.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	forbid.Spec.StartingDeadlineSeconds = ptr.To[int64](10)
	cj, err := cluster.CreateCronJob(ctx, ns, forbid)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(0)+scheduleWaitMargin)
	require.NoError(t, err)
	first, err := time.Parse(time.RFC3339, jobs[0].Annotations["steadycron.io/expected-start"])
	require.NoError(t, err)
	skipped := first.Add(time.Minute)
	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(skipped)+scheduleWaitMargin, "JobAlreadyActive")
	require.NoError(t, err)
	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(skipped.Add(time.Minute))+scheduleWaitMargin, "MissSchedule")
	require.NoError(t, err)

	w := why(t, ns, "forbid", "--at", skipped.Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictSkipped, w.Verdict, w.Explanation)
	assert.Equal(t, "concurrencyPolicy", w.Reason, w.Explanation)
	assert.Contains(t, w.Explanation, jobs[0].Name)
}

// TestRound5WhyForbidHeldThenRunLate: a Forbid CronJob due every minute
// whose Jobs run 90 s. The next minute is skipped tentatively
// (JobAlreadyActive) and, when the first Job ends about 30 s later, run late
// (seen here: created at :31). why of that minute says "It was created late:
// was a controller leading at the scheduled time?"; it must name the Job
// that held it (Forbid), which the controller's event names.
func TestRound5WhyForbidHeldThenRunLate(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	forbid := cluster.NewCronJob("forbid", "* * * * *", framework.Pod{RunFor: 90 * time.Second})
	forbid.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, forbid)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(0)+scheduleWaitMargin)
	require.NoError(t, err)
	first, err := time.Parse(time.RFC3339, jobs[0].Annotations["steadycron.io/expected-start"])
	require.NoError(t, err)
	held := first.Add(time.Minute)
	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(held)+scheduleWaitMargin, "JobAlreadyActive")
	require.NoError(t, err)
	_, err = cluster.WaitForJobs(ctx, cj, 2, time.Until(first.Add(90*time.Second))+scheduleWaitMargin)
	require.NoError(t, err)

	w := why(t, ns, "forbid", "--at", held.Format(time.RFC3339))
	assert.NotContains(t, w.Explanation, "was a controller leading", w.Explanation)
	assert.Contains(t, w.Explanation, jobs[0].Name, w.Explanation)
}
