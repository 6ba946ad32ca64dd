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

package dropin

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// Slack on top of a minute mark for the controller to act and the Job to be
// visible. The controller wakes at the scheduled second, so this is generous.
const slack = 20 * time.Second

// oneMinute waits for the next minute mark; twoMinutes for the one after.
func oneMinute() time.Duration  { return framework.UntilNextMinute(slack) }
func twoMinutes() time.Duration { return framework.UntilNextMinute(slack) + time.Minute }

// activeNames lists the names in a CronJob's status.active.
func activeNames(cj *batchv1.CronJob) []string {
	names := make([]string, 0, len(cj.Status.Active))
	for _, ref := range cj.Status.Active {
		names = append(names, ref.Name)
	}
	return names
}

// requireNoUnexpectedEvents fails on the events upstream's "should not emit
// unexpected warnings" forbids for a CronJob that runs normally.
func requireNoUnexpectedEvents(ctx context.Context, t *testing.T, cj *batchv1.CronJob) {
	t.Helper()
	events, err := cluster.EventsFor(ctx, cj.Namespace, cj)
	require.NoError(t, err)
	for _, e := range events {
		assert.NotContains(t, []string{"MissingJob", "UnexpectedJob"}, e.Reason, "unexpected event: %s: %s", e.Reason, e.Message)
	}
}

// requireUpstreamJobShape checks what upstream guarantees about a scheduled
// Job: the scheduled-timestamp annotation (RFC3339, a whole minute for these
// schedules) and the name <cronjob>-<scheduled time in Unix minutes>.
func requireUpstreamJobShape(t *testing.T, cj *batchv1.CronJob, j *batchv1.Job) time.Time {
	t.Helper()
	scheduled, err := framework.ScheduledTime(j)
	require.NoError(t, err)
	require.Zero(t, scheduled.Second(), "Job %s: scheduled time %s is not a minute mark", j.Name, scheduled)
	require.Equal(t, cj.Name+"-"+strconv.FormatInt(scheduled.Unix()/60, 10), j.Name, "Job name does not follow upstream's <cronjob>-<unix minutes>")
	ref := metav1.GetControllerOf(j)
	require.NotNil(t, ref, "Job %s has no controller reference", j.Name)
	require.Equal(t, cj.UID, ref.UID)
	require.True(t, ptr.Deref(ref.BlockOwnerDeletion, false), "Job %s: controller reference without blockOwnerDeletion", j.Name)
	return scheduled
}

// Upstream: "should schedule multiple jobs concurrently" and "should not emit
// unexpected warnings".
func TestCronJobAllowRunsConcurrently(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("concurrent", "* * * * *", framework.RunsForever))
	require.NoError(t, err)

	got, err := cluster.WaitForActive(ctx, ns, cj.Name, 2, twoMinutes())
	require.NoError(t, err)

	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	require.Len(t, jobs, 2, "want exactly the two active Jobs")
	first := requireUpstreamJobShape(t, cj, &jobs[0])
	second := requireUpstreamJobShape(t, cj, &jobs[1])
	require.Equal(t, time.Minute, second.Sub(first), "the two runs are not consecutive minutes")
	for _, j := range jobs {
		_, finished := framework.JobFinished(&j)
		require.False(t, finished, "Job %s finished but its pod runs forever", j.Name)
		require.Contains(t, activeNames(got), j.Name)
	}
	requireNoUnexpectedEvents(ctx, t, cj)
}

// Upstream: "should not schedule new jobs when ForbidConcurrent".
func TestCronJobForbidDoesNotRunConcurrently(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	spec := cluster.NewCronJob("forbid", "* * * * *", framework.RunsForever)
	spec.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, spec)
	require.NoError(t, err)

	got, err := cluster.WaitForActive(ctx, ns, cj.Name, 1, oneMinute())
	require.NoError(t, err)
	running := got.Status.Active[0].Name
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	scheduled := requireUpstreamJobShape(t, cj, &jobs[0])

	// The next minute mark comes and goes: the run is still going, so no
	// second Job.
	err = framework.Consistently(ctx, "only "+running+" exists and is active", scheduled.Add(time.Minute+slack), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		if err != nil {
			return false, err
		}
		cur, err := cluster.GetCronJob(ctx, ns, cj.Name)
		if err != nil {
			return false, err
		}
		return len(jobs) == 1 && slices.Equal(activeNames(cur), []string{running}), nil
	})
	require.NoError(t, err)
	requireNoUnexpectedEvents(ctx, t, cj)
}

// Upstream: "should replace jobs when ReplaceConcurrent".
func TestCronJobReplaceReplacesRunningJob(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	spec := cluster.NewCronJob("replace", "* * * * *", framework.RunsForever)
	spec.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, spec)
	require.NoError(t, err)

	got, err := cluster.WaitForActive(ctx, ns, cj.Name, 1, oneMinute())
	require.NoError(t, err)
	replaced := got.Status.Active[0].Name

	got, err = cluster.WaitForCronJob(ctx, ns, cj.Name, "a new Job replaces "+replaced, time.Minute+slack, func(cj *batchv1.CronJob) bool {
		names := activeNames(cj)
		return len(names) == 1 && names[0] != replaced
	})
	require.NoError(t, err)
	t.Logf("%s replaced %s", got.Status.Active[0].Name, replaced)

	err = framework.WaitFor(ctx, "the replaced Job "+replaced+" to be deleted", slack, func(ctx context.Context) (bool, error) {
		_, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, replaced, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
	require.NoError(t, err)
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	require.Len(t, jobs, 1, "only the replacing Job remains")
}

// Upstream: "should not schedule jobs when suspended", extended: suspending a
// running CronJob stops it, and resuming it runs it again.
func TestCronJobSuspendStopsAndResumeContinues(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("suspend", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, oneMinute())
	require.NoError(t, err)
	firstRun := requireUpstreamJobShape(t, cj, &jobs[0])

	_, err = cluster.UpdateCronJob(ctx, ns, cj.Name, func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) })
	require.NoError(t, err)
	suspendedAt := time.Now()
	// The next minute mark after suspending passes without a run.
	err = framework.Consistently(ctx, "a suspended CronJob starts nothing", framework.NextMinute(suspendedAt).Add(slack), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		return err == nil && len(jobs) == 1, err
	})
	require.NoError(t, err)

	_, err = cluster.UpdateCronJob(ctx, ns, cj.Name, func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(false) })
	require.NoError(t, err)
	// Upstream starts the most recent missed run at once on resume (no
	// startingDeadlineSeconds); at the latest the next minute's run comes.
	jobs, err = cluster.WaitForJobs(ctx, cj, 2, oneMinute())
	require.NoError(t, err)
	resumed := requireUpstreamJobShape(t, cj, &jobs[1])
	require.True(t, resumed.After(firstRun), "resumed run %s is not after the first run %s", resumed, firstRun)
	t.Logf("first run %s; suspended at %s; resumed run %s", firstRun.UTC().Format(time.RFC3339),
		suspendedAt.UTC().Format(time.RFC3339), resumed.UTC().Format(time.RFC3339))
}

// Upstream: "should be able to schedule after more than 100 missed schedule".
// Upstream's test sets creationTimestamp and status on create, which the
// apiserver ignores; here status.lastScheduleTime really is three hours ago
// (180 missed minutes), written through the status subresource.
func TestCronJobMoreThan100MissedSchedulesGetsMostRecentRun(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	spec := cluster.NewCronJob("missed", "* * * * *", framework.RunsForever)
	spec.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	spec.Spec.Suspend = ptr.To(true)
	cj, err := cluster.CreateCronJob(ctx, ns, spec)
	require.NoError(t, err)

	lastRun := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = &metav1.Time{Time: lastRun}
	})
	require.NoError(t, err)
	got, err := cluster.GetCronJob(ctx, ns, cj.Name)
	require.NoError(t, err)
	require.NotNil(t, got.Status.LastScheduleTime)
	require.True(t, got.Status.LastScheduleTime.Equal(&metav1.Time{Time: lastRun}), "lastScheduleTime not kept: %v", got.Status.LastScheduleTime)

	resumedAt := time.Now()
	_, err = cluster.UpdateCronJob(ctx, ns, cj.Name, func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(false) })
	require.NoError(t, err)

	// The most recent missed minute runs now, not at the next minute mark.
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, slack)
	require.NoError(t, err)
	require.Len(t, jobs, 1, "want one catch-up run, not one per missed minute")
	scheduled := requireUpstreamJobShape(t, cj, &jobs[0])
	mostRecent := resumedAt.Truncate(time.Minute)
	require.False(t, scheduled.Before(mostRecent), "ran %s, want the most recent missed minute %s (or later)", scheduled, mostRecent)
	require.False(t, scheduled.After(time.Now()), "ran %s, which is in the future", scheduled)

	got, err = cluster.GetCronJob(ctx, ns, cj.Name)
	require.NoError(t, err)
	events, err := cluster.EventsFor(ctx, ns, got)
	require.NoError(t, err)
	for _, e := range events {
		if e.Type == corev1.EventTypeWarning {
			t.Logf("warning event: %s: %s", e.Reason, e.Message) // upstream says TooManyMissedTimes
		}
	}
}

// Upstream: "should delete successful finished jobs with limit of one
// successful job" and "should delete failed finished jobs with limit of one
// job".
func TestCronJobHistoryLimits(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		pod                framework.Pod
		successful, failed int32
		wantFinishedAs     batchv1.JobConditionType
	}{
		"successful jobs are kept up to successfulJobsHistoryLimit": {pod: framework.Succeeds, successful: 1, failed: 0, wantFinishedAs: batchv1.JobComplete},
		"failed jobs are kept up to failedJobsHistoryLimit":         {pod: framework.Fails, successful: 0, failed: 1, wantFinishedAs: batchv1.JobFailed},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, ns := t.Context(), cluster.NewNamespace(t)
			spec := cluster.NewCronJob("history", "* * * * *", tc.pod)
			spec.Spec.SuccessfulJobsHistoryLimit = ptr.To(tc.successful)
			spec.Spec.FailedJobsHistoryLimit = ptr.To(tc.failed)
			cj, err := cluster.CreateCronJob(ctx, ns, spec)
			require.NoError(t, err)

			jobs, err := cluster.WaitForJobs(ctx, cj, 1, oneMinute())
			require.NoError(t, err)
			first := jobs[0].Name
			err = framework.WaitFor(ctx, "Job "+first+" to finish as "+string(tc.wantFinishedAs), slack, func(ctx context.Context) (bool, error) {
				j, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, first, metav1.GetOptions{})
				if err != nil {
					return false, nil //nolint:nilerr // retried until the timeout
				}
				cond, ok := framework.JobFinished(j)
				if ok && cond != tc.wantFinishedAs {
					return false, fmt.Errorf("Job %s finished as %s, want %s", first, cond, tc.wantFinishedAs)
				}
				return ok, nil
			})
			require.NoError(t, err)

			// The next run finishes the same way; then only it is kept.
			err = framework.WaitFor(ctx, "one finished Job, newer than "+first, oneMinute()+slack, func(ctx context.Context) (bool, error) {
				jobs, err := cluster.JobsOf(ctx, cj)
				if err != nil {
					return false, err
				}
				return len(jobs) == 1 && jobs[0].Name != first && isFinished(&jobs[0]), nil
			})
			require.NoError(t, err)
		})
	}
}

func isFinished(j *batchv1.Job) bool {
	_, ok := framework.JobFinished(j)
	return ok
}

// Upstream: "should support timezone" checks that the apiserver refuses an
// unknown zone; this also checks that the controller honours a known one: a
// daily schedule at the next minute in Asia/Kathmandu (UTC+05:45) fires then,
// and the same schedule without a zone (the controller's UTC) does not.
func TestCronJobTimeZone(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	bad := cluster.NewCronJob("bad-zone", "* * * * *", framework.Succeeds)
	bad.Spec.TimeZone = ptr.To("bad-time-zone")
	_, err := cluster.CreateCronJob(ctx, ns, bad)
	require.Error(t, err)
	require.True(t, apierrors.IsInvalid(err), "want Invalid for an unknown time zone, got %v", err)

	const zone = "Asia/Kathmandu"
	loc, err := time.LoadLocation(zone)
	require.NoError(t, err)
	due := framework.NextMinute(time.Now())
	if time.Until(due) < 10*time.Second {
		due = due.Add(time.Minute)
	}
	local := due.In(loc)
	schedule := fmt.Sprintf("%d %d * * *", local.Minute(), local.Hour())

	zoned := cluster.NewCronJob("zoned", schedule, framework.Succeeds)
	zoned.Spec.TimeZone = ptr.To(zone)
	cj, err := cluster.CreateCronJob(ctx, ns, zoned)
	require.NoError(t, err)
	utc, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("unzoned", schedule, framework.Succeeds))
	require.NoError(t, err)
	t.Logf("schedule %q in %s is due at %s", schedule, zone, due.UTC().Format(time.RFC3339))

	jobs, err := cluster.WaitForJobs(ctx, cj, 1, time.Until(due)+slack)
	require.NoError(t, err)
	scheduled := requireUpstreamJobShape(t, cj, &jobs[0])
	require.True(t, scheduled.Equal(due), "ran for %s, want %s", scheduled, due)
	// Upstream writes the annotation in the CronJob's zone.
	require.Equal(t, due.In(loc).Format(time.RFC3339), jobs[0].Annotations[batchv1.CronJobScheduledTimestampAnnotation])

	err = framework.Consistently(ctx, "the CronJob without a time zone does not run", due.Add(slack), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, utc)
		return err == nil && len(jobs) == 0, err
	})
	require.NoError(t, err)
}

// Upstream: "should set the cronjob-scheduled-timestamp annotation on a job".
func TestCronJobScheduledTimestampAnnotation(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("annotated", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	due := framework.NextMinute(cj.CreationTimestamp.Time)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, oneMinute())
	require.NoError(t, err)

	value, ok := jobs[0].Annotations[batchv1.CronJobScheduledTimestampAnnotation]
	require.True(t, ok, "Job %s lacks %s", jobs[0].Name, batchv1.CronJobScheduledTimestampAnnotation)
	scheduled, err := time.Parse(time.RFC3339, value)
	require.NoError(t, err, "annotation is not RFC3339")
	require.True(t, scheduled.Equal(due), "annotation %s, want %s", value, due.UTC().Format(time.RFC3339))
	requireUpstreamJobShape(t, cj, &jobs[0])
}

// Upstream: "should remove from active list jobs that have been deleted".
func TestCronJobDeletedActiveJobLeavesActiveList(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	spec := cluster.NewCronJob("forbid", "* * * * *", framework.RunsForever)
	spec.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, spec)
	require.NoError(t, err)
	got, err := cluster.WaitForActive(ctx, ns, cj.Name, 1, oneMinute())
	require.NoError(t, err)
	victim := got.Status.Active[0].Name

	require.NoError(t, cluster.Client.BatchV1().Jobs(ns).Delete(ctx, victim, metav1.DeleteOptions{
		PropagationPolicy: ptr.To(metav1.DeletePropagationForeground),
	}))
	err = framework.WaitFor(ctx, "Job "+victim+" and its pods to be deleted", slack, func(ctx context.Context) (bool, error) {
		_, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, victim, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
	require.NoError(t, err)

	_, err = cluster.WaitForCronJob(ctx, ns, cj.Name, victim+" leaves status.active", slack, func(cj *batchv1.CronJob) bool {
		return !slices.Contains(activeNames(cj), victim)
	})
	require.NoError(t, err)
	_, err = cluster.WaitForEvent(ctx, ns, cj, slack, "MissingJob")
	require.NoError(t, err)
}

// An invalid schedule that the apiserver accepts (February 31st parses but
// never comes) gets a warning event and no Job, while a healthy CronJob next
// to it keeps running.
func TestCronJobNeverFiringScheduleWarnsAndOthersRun(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	broken, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("february-31", framework.NeverFiringSchedule, framework.Succeeds))
	require.NoError(t, err, "the apiserver should accept a schedule that parses")
	healthy, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("healthy", "* * * * *", framework.Succeeds))
	require.NoError(t, err)

	ev, err := cluster.WaitForEvent(ctx, ns, broken, slack, "InvalidSchedule", "UnparseableSchedule")
	require.NoError(t, err)
	require.Equal(t, corev1.EventTypeWarning, ev.Type)
	t.Logf("event %s: %s", ev.Reason, ev.Message)

	_, err = cluster.WaitForJobs(ctx, healthy, 1, oneMinute())
	require.NoError(t, err, "the healthy CronJob stopped running")
	jobs, err := cluster.JobsOf(ctx, broken)
	require.NoError(t, err)
	require.Empty(t, jobs, "the never-firing CronJob created Jobs")
}
