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

package steadycron

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestSkipForMissedDeadlineIsCounted: a scheduled time past
// startingDeadlineSeconds is counted as skip/missedDeadline, and the times
// before it that were jumped over as missed.
func TestSkipForMissedDeadlineIsCounted(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, minute, err := cluster.CreateCronJobPastItsDeadline(ctx, ns, "deadline")
	require.NoError(t, err)

	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, cj.Name, "skip", "missedDeadline"), 1, 20*time.Second)
	require.NoError(t, err)
	missed, err := framework.WaitCounter(ctx, cluster.Steadycron(), missedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name}, 2, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 2.0, missed)
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	for _, j := range jobs {
		s, _ := framework.ScheduledTime(&j)
		assert.True(t, s.After(minute), "a Job was created for a time past its deadline: %s", j.Name)
	}
}

// TestSkipForConcurrencyPolicyIsCounted: with Forbid and a Job that never
// ends, the next scheduled time is counted as skip/concurrencyPolicy once the
// one after it comes.
func TestSkipForConcurrencyPolicyIsCounted(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("forbid", "* * * * *", framework.RunsForever)
	template.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, cj.Name, "skip", "concurrencyPolicy"), 1, untilMinuteMarks(3))
	require.NoError(t, err)
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	assert.Len(t, jobs, 1, "Forbid ran a second Job")
}

// TestSkipWhileSuspendedIsCounted: every scheduled time that passes while a
// CronJob is suspended is counted as skip/suspended.
func TestSkipWhileSuspendedIsCounted(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("suspended", "* * * * *", framework.Succeeds)
	template.Spec.Suspend = ptr.To(true)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, cj.Name, "skip", "suspended"), 1, untilMinuteMarks(3))
	require.NoError(t, err)
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	assert.Empty(t, jobs)
}

// TestScheduleThatNeverFiresIsCounted: a schedule the API server accepts but
// that has no date (February 31st) gets a warning event and is counted once as
// skip/invalidSchedule, and never stalls the controller.
func TestScheduleThatNeverFiresIsCounted(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("february", framework.NeverFiringSchedule, framework.Succeeds))
	require.NoError(t, err)
	_, err = cluster.WaitForEvent(ctx, ns, cj, 30*time.Second, "InvalidSchedule")
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, cj.Name, "skip", "invalidSchedule"), 1, 10*time.Second)
	require.NoError(t, err)
}
