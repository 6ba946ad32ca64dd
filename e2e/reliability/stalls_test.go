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

package reliability

import (
	"context"
	"fmt"
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

// Inputs that stall the stock controller silently: each must get its event
// and its metric, and the CronJob must run at its next free scheduled time.

// nextFreeMinute returns the next minute mark, or the one after it if the
// next one is too close to set a test up before it.
func nextFreeMinute(t *testing.T) time.Time {
	t.Helper()
	next := framework.NextMinute(time.Now())
	if time.Until(next) < 20*time.Second {
		next = next.Add(time.Minute)
	}
	return next
}

// waitJobFor waits for the Job of cj for the scheduled time at, and returns
// how long after at it was created.
func waitJobFor(t *testing.T, cj *batchv1.CronJob, at time.Time, timeout time.Duration) time.Duration {
	t.Helper()
	var job *batchv1.Job
	err := framework.WaitFor(t.Context(), fmt.Sprintf("a Job of %s for %s", cj.Name, at.UTC().Format(time.TimeOnly)), timeout, func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		if err != nil {
			return false, err
		}
		for i := range jobs {
			if s, err := framework.ScheduledTime(&jobs[i]); err == nil && s.Equal(at) {
				job = &jobs[i]
				return true, nil
			}
		}
		return false, nil
	})
	require.NoError(t, err)
	return job.CreationTimestamp.Sub(at)
}

// TestMalformedActiveEntryIsDropped: a status.active entry with neither name
// nor UID (older controllers wrote such entries; restored backups carry
// them) stalls a Forbid CronJob forever with stock v1.37.2, which sees a
// running Job. It is dropped with an InvalidActiveJob warning, and the next
// scheduled time runs on time.
func TestMalformedActiveEntryIsDropped(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	at := nextFreeMinute(t)
	tmpl := cluster.NewCronJob("malformed", "* * * * *", framework.Succeeds)
	tmpl.Spec.TimeZone = ptr.To("Etc/UTC")
	tmpl.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
	require.NoError(t, err)
	_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
		c.Status.Active = []corev1.ObjectReference{{APIVersion: "batch/v1", Kind: "Job"}}
	})
	require.NoError(t, err)

	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(at)+30*time.Second, "InvalidActiveJob")
	assert.NoError(t, err, "no InvalidActiveJob event")
	delay := waitJobFor(t, cj, at, time.Until(at)+30*time.Second)
	assert.Less(t, delay, 5*time.Second, "the Job for %s came late", at.UTC().Format(time.TimeOnly))
	invokes, err := framework.WaitCounter(ctx, cluster.LeaderMetrics(), decisionsMetric, framework.Decision(ns, cj.Name, "invoke", "onTime"), 1, 30*time.Second)
	require.NoError(t, err)
	got, err := cluster.GetCronJob(ctx, ns, cj.Name)
	require.NoError(t, err)
	for _, ref := range got.Status.Active {
		assert.NotEmpty(t, ref.Name, "a nameless entry is still in status.active: %+v", got.Status.Active)
	}
	record(t, "malformed-active-entry", figures{"job_delay_seconds": seconds(delay), "invokes_on_time": invokes})
}

// TestForeignJobHoldingTheNameWaitsForTheNextTime: a Job the CronJob does not
// control already has the name of the Job for a scheduled time. Stock v1.37.2
// gets AlreadyExists, drops the CronJob from its queue and creates nothing
// until the informer's resync, with no event. The time gets a JobNameConflict
// warning, the next scheduled time runs on time, and the time is then counted
// skip/nameConflict.
func TestForeignJobHoldingTheNameWaitsForTheNextTime(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	at := nextFreeMinute(t)
	tmpl := cluster.NewCronJob("squatted", "* * * * *", framework.Succeeds)
	tmpl.Spec.TimeZone = ptr.To("Etc/UTC")
	// The name upstream gives the Job of a scheduled time: minutes since the epoch.
	foreign := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%d", tmpl.Name, at.Unix()/60)},
		Spec:       *tmpl.Spec.JobTemplate.Spec.DeepCopy(),
	}
	foreign, err := cluster.Client.BatchV1().Jobs(ns).Create(ctx, foreign, metav1.CreateOptions{})
	require.NoError(t, err)
	cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
	require.NoError(t, err)

	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(at)+30*time.Second, "JobNameConflict")
	assert.NoError(t, err, "no JobNameConflict event")
	next := at.Add(time.Minute)
	delay := waitJobFor(t, cj, next, time.Until(next)+30*time.Second)
	assert.Less(t, delay, 5*time.Second, "the Job for %s came late", next.UTC().Format(time.TimeOnly))
	// The skip is tentative until the next scheduled time supersedes it (the
	// foreign Job may go away meanwhile, and the time then runs late).
	skips, err := framework.WaitCounter(ctx, cluster.LeaderMetrics(), decisionsMetric, framework.Decision(ns, cj.Name, "skip", "nameConflict"), 1, 30*time.Second)
	require.NoError(t, err)
	got, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, foreign.Name, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, foreign.UID, got.UID, "the foreign Job was replaced")
	assert.Empty(t, got.OwnerReferences, "the foreign Job was adopted")
	record(t, "foreign-job-name-conflict", figures{"skips_name_conflict": skips, "next_job_delay_seconds": seconds(delay)})
}
