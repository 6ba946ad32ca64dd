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

// TestDeadlineOfZeroSaysItNeverRuns: a CronJob with startingDeadlineSeconds: 0
// can never start a Job in time; a Warning MissSchedule event says so once its
// first scheduled time has passed, and no Job is created.
func TestDeadlineOfZeroSaysItNeverRuns(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("never", "* * * * *", framework.Succeeds)
	template.Spec.StartingDeadlineSeconds = ptr.To[int64](0)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)

	event, err := cluster.WaitForEvent(ctx, ns, cj, 90*time.Second, "MissSchedule")
	require.NoError(t, err)
	assert.Equal(t, corev1.EventTypeWarning, event.Type)
	assert.Contains(t, event.Message, "startingDeadlineSeconds is 0")
	assert.Contains(t, event.Message, "never runs")
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	assert.Empty(t, jobs, "a CronJob with a deadline of 0 created a Job")
}

// TestScheduleEditRunsNoPastTime: the schedule of a CronJob that has not run is
// edited to the minute mark that has just passed (after its creation), then a
// label is added. Stock v1.37.2 creates a Job for that minute at once, on the
// label; steadycron creates none: a time of the new schedule that precedes the
// edit never runs (docs/semantics.md, schedule and time zone edits).
func TestScheduleEditRunsNoPastTime(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("edited", "0 0 1 1 *", framework.Succeeds)
	template.Spec.TimeZone = ptr.To("Etc/UTC")
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)

	// Wait for a minute mark after the creation: the edited schedule's time.
	time.Sleep(framework.UntilNextMinute(2 * time.Second))
	past := time.Now().UTC().Truncate(time.Minute)
	require.True(t, past.After(cj.CreationTimestamp.Time), "the minute mark %v is not after the creation %v", past, cj.CreationTimestamp.Time)
	_, err = cluster.UpdateCronJob(ctx, ns, cj.Name, func(cj *batchv1.CronJob) {
		cj.Spec.Schedule = fmt.Sprintf("%d %d * * *", past.Minute(), past.Hour())
	})
	require.NoError(t, err)
	_, err = cluster.UpdateCronJob(ctx, ns, cj.Name, func(cj *batchv1.CronJob) {
		cj.Labels = map[string]string{"edited": "true"}
	})
	require.NoError(t, err)

	err = framework.Consistently(ctx, "no Job for the minute before the edit", time.Now().Add(15*time.Second), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		return len(jobs) == 0, err
	})
	require.NoError(t, err)
	got, err := cluster.GetCronJob(ctx, ns, cj.Name)
	require.NoError(t, err)
	assert.Nil(t, got.Status.LastScheduleTime, "lastScheduleTime after the edit")
}

// TestRestoredStatusCatchesUpOnlyFromATimeOfItsSchedule: a daily CronJob
// created with a status, as a restored backup is, whose scheduled time today
// passed 3 minutes ago. A lastScheduleTime that is a time of the schedule
// (yesterday's run) catches today's time up, as upstream does; one that is not
// (a minute before today's time) reads as a schedule set at the creation,
// after today's time, which then does not run (docs/semantics.md, schedule
// and time zone edits).
func TestRestoredStatusCatchesUpOnlyFromATimeOfItsSchedule(t *testing.T) {
	t.Parallel()
	today := time.Now().UTC().Truncate(time.Minute).Add(-3 * time.Minute)
	for _, tc := range []struct {
		name             string
		lastScheduleTime time.Time
		runs             bool
	}{
		{"yesterday's time", today.AddDate(0, 0, -1), true},
		{"not a time of the schedule", today.Add(-time.Minute), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, ns := t.Context(), cluster.NewNamespace(t)
			template := cluster.NewCronJob("restored", fmt.Sprintf("%d %d * * *", today.Minute(), today.Hour()), framework.Succeeds)
			template.Spec.TimeZone = ptr.To("Etc/UTC")
			cj, err := cluster.CreateCronJob(ctx, ns, template)
			require.NoError(t, err)
			_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = &metav1.Time{Time: tc.lastScheduleTime}
			})
			require.NoError(t, err)

			if tc.runs {
				jobs, err := cluster.WaitForJobs(ctx, cj, 1, 30*time.Second)
				require.NoError(t, err)
				assert.Equal(t, today.Format(time.RFC3339), jobs[0].Annotations[batchv1.CronJobScheduledTimestampAnnotation])
				return
			}
			err = framework.Consistently(ctx, "no Job for today's time", time.Now().Add(15*time.Second), func(ctx context.Context) (bool, error) {
				jobs, err := cluster.JobsOf(ctx, cj)
				return len(jobs) == 0, err
			})
			require.NoError(t, err)
		})
	}
}
