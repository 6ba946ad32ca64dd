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
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestFutureLastScheduleTime: a minutely CronJob whose status.lastScheduleTime is
// an hour ahead of the clocks (as a controller whose clock had jumped ahead would
// have written it) gets a Warning FutureLastScheduleTime event that takes it for a
// clock jump, and runs at its next scheduled time; stock v1.37.2 waits, silently,
// until the minute after that last schedule time (docs/semantics.md, clock jumps).
func TestFutureLastScheduleTime(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	// Suspended until the status is written, so that no Job comes first.
	template := cluster.NewCronJob("ahead", "* * * * *", framework.Succeeds)
	template.Spec.Suspend = ptr.To(true)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	future := time.Now().UTC().Truncate(time.Minute).Add(time.Hour)
	_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = &metav1.Time{Time: future}
	})
	require.NoError(t, err)
	_, err = cluster.UpdateCronJob(ctx, ns, cj.Name, func(cj *batchv1.CronJob) {
		cj.Spec.Suspend = ptr.To(false)
	})
	require.NoError(t, err)
	resumed := time.Now()

	event, err := cluster.WaitForEvent(ctx, ns, cj, 30*time.Second, "FutureLastScheduleTime")
	require.NoError(t, err)
	assert.Equal(t, corev1.EventTypeWarning, event.Type)
	assert.Contains(t, event.Message, future.Format(time.RFC3339))
	assert.Contains(t, event.Message, "taken for a clock jump")

	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(scheduleWaitMargin))
	require.NoError(t, err)
	scheduled, err := framework.ScheduledTime(&jobs[0])
	require.NoError(t, err)
	assert.True(t, scheduled.Before(future), "the Job is for %v, not before the last schedule time %v", scheduled, future)
	assert.True(t, scheduled.After(resumed.Add(-time.Minute)), "the Job is for %v, more than a minute before the CronJob was resumed at %v", scheduled, resumed)
	_, err = cluster.WaitForCronJob(ctx, ns, cj.Name, "lastScheduleTime to be the Job's", 10*time.Second, func(cj *batchv1.CronJob) bool {
		return cj.Status.LastScheduleTime != nil && cj.Status.LastScheduleTime.Equal(&metav1.Time{Time: scheduled})
	})
	require.NoError(t, err)

	if cluster.Local() {
		waitCounter(t, "cronjob_controller_clock_skew_total", map[string]string{"namespace": ns, "cronjob": cj.Name, "reason": "futureLastScheduleTime"}, 1, 10*time.Second)
	}
}
