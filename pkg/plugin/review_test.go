//go:build review

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

// The failing repros of a review of kubectl-cronjob: go test -tags review ./pkg/plugin/ -run TestReview
package plugin

import (
	"context"
	"encoding/json"
	"k8s.io/apimachinery/pkg/types"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// whyJSON runs why -o json at now and returns the report.
func whyJSON(t *testing.T, now time.Time, objs []runtime.Object, args ...string) Why {
	t.Helper()
	o, out := newTestOptions(now, objs...)
	require.NoError(t, execute(t, o, append([]string{"why", "report", "-o", "json"}, args...)...))
	var got Why
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	t.Logf("verdict %s (%s): %s", got.Verdict, got.Reason, got.Explanation)
	return got
}

// TestReviewHistoryLimitRemovedOlderJob: the controller ran 03:00, and the
// successful-jobs history limit (3) removed its Job when 06:00 ran. Jobs
// for 06:00, 07:00 and 08:00 remain, all created on time; lastScheduleTime is
// 08:00. why --at 03:00 must not say the time was skipped, nor that no
// controller decided on it.
func TestReviewHistoryLimitRemovedOlderJob(t *testing.T) {
	now := at(8, 30, 16)
	for name, deadline := range map[string]*int64{"deadline 300": ptr.To[int64](300), "no deadline": nil} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = deadline
				cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
			})
			objs := []runtime.Object{cj, lease("steadycron-0", now)}
			for h := 6; h <= 8; h++ {
				objs = append(objs, job(cj, at(h, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false))
			}
			got := whyJSON(t, now, objs, "--at", "2027-03-16T03:00:00-04:00")
			assert.NotEqual(t, VerdictSkipped, got.Verdict, "03:00 ran; its Job was removed by the history limit")
			assert.NotEqual(t, VerdictNoDecision, got.Verdict, "03:00 ran; its Job was removed by the history limit")
		})
	}
}

// TestReviewReplacedJob: with concurrencyPolicy Replace, the controller
// deletes the still-running Job of 08:50 when 08:55 comes (SuccessfulDelete
// event). why --at 08:50 says it was skipped past its deadline.
func TestReviewReplacedJob(t *testing.T) {
	now := at(9, 1, 16)
	cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
		cj.Spec.StartingDeadlineSeconds = ptr.To[int64](60)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
	})
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, 0, false),
		event(cj, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job report-"+itoa(at(8, 50, 16).Unix()/60), at(8, 55, 16), at(8, 55, 16), 1),
		event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job report-"+itoa(at(8, 50, 16).Unix()/60), at(8, 50, 16), at(8, 50, 16), 1),
	}
	got := whyJSON(t, now, objs, "--at", "2027-03-16T08:50:00-04:00")
	assert.NotEqual(t, VerdictSkipped, got.Verdict, "08:50 ran and was replaced; the events say so")
}

// TestReviewScheduleEdited: 0 * * * * ran at 09:00; at 09:40 the schedule was
// edited to 30 * * * * (docs/semantics.md "Schedule and time zone edits":
// 09:30 of the new schedule was never a time of the CronJob; the next Job is
// for 10:30).
func TestReviewScheduleEdited(t *testing.T) {
	now := at(9, 50, 16)
	edited := func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(9, 40, 16))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{}}}`)},
		}}
	}
	oldCJ := cronJob("report", "0 * * * *", edited)
	ran := job(oldCJ, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false)
	cj := cronJob("report", "30 * * * *", edited)
	objs := []runtime.Object{cj, ran, lease("steadycron-0", now)}

	t.Run("the most recent time, which precedes the edit", func(t *testing.T) {
		got := whyJSON(t, now, objs)
		assert.NotEqual(t, VerdictSkipped, got.Verdict, "09:30 precedes the edit: it was never a time of the CronJob")
		assert.NotContains(t, got.Explanation, "most likely past its starting deadline")
	})
	t.Run("the old schedule's time, which ran", func(t *testing.T) {
		got := whyJSON(t, now, objs, "--at", "2027-03-16T09:00:00-04:00")
		assert.Equal(t, VerdictRan, got.Verdict, "Job %s ran for 09:00", ran.Name)
	})
	t.Run("next agrees that 10:30 is next", func(t *testing.T) {
		o, out := newTestOptions(now, objs...)
		require.NoError(t, execute(t, o, "next", "report", "-o", "json", "--count", "1"))
		assert.Contains(t, out.String(), "2027-03-16T10:30:00-04:00")
	})
}

// TestReviewMissScheduleOfALaterTime: Forbid skipped 09:00 (08:00's Job ran
// until 09:30, JobAlreadyActive at 09:00); later 10:00 was missed past its
// deadline and steadycron said "Missed 1 scheduled time up to 10:00". why
// --at 09:00 blames the deadline: the event covers one time, 10:00.
func TestReviewMissScheduleOfALaterTime(t *testing.T) {
	now := at(10, 15, 16)
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
	})
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		job(cj, at(8, 0, 16), 20*time.Millisecond, 2*time.Second, 90*time.Minute, false),
		event(cj, corev1.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", at(9, 0, 16), at(9, 0, 16), 1),
		event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+at(10, 0, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", at(10, 10, 16), at(10, 10, 16), 1),
	}
	got := whyJSON(t, now, objs, "--at", "2027-03-16T09:00:00-04:00")
	assert.Equal(t, "concurrencyPolicy", got.Reason, "09:00 was skipped by Forbid; the MissSchedule warning is about 10:00 only")
}

// TestReviewEverySchedule: an @every 1h CronJob created at 00:00:17 runs at
// hh:00:17; asked about the exact time its Job ran for, why says it is not a
// scheduled time and names that very time as the nearest one before.
func TestReviewEverySchedule(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "@every 1h", func(cj *batchv1.CronJob) {
		cj.CreationTimestamp = metav1.NewTime(cj.CreationTimestamp.Add(17 * time.Second))
	})
	s := time.Date(2027, time.March, 16, 12, 0, 17, 0, time.UTC) // 08:00:17 EDT
	ran := job(cj, s, 20*time.Millisecond, 2*time.Second, time.Minute, false)
	got := whyJSON(t, now, []runtime.Object{cj, ran, lease("steadycron-0", now)}, "--at", s.Format(time.RFC3339))
	assert.Equal(t, VerdictRan, got.Verdict, "Job %s ran for %s", ran.Name, s)
}

// TestReviewJobCreatedEarly: a controller clock 2 s ahead created the Job
// before its time (steadycron warns JobCreatedEarly); why says "created -2s
// after the scheduled time".
func TestReviewJobCreatedEarly(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *")
	early := job(cj, at(2, 30, 16), -2*time.Second, 2*time.Second, time.Minute, false)
	got := whyJSON(t, now, []runtime.Object{cj, early, lease("steadycron-0", now)})
	assert.NotContains(t, got.Explanation, "-2s after")
}

// TestReviewDayOfMonthStarStep: robfig/cron (and cron(8)) treat a field
// starting with * as unrestricted, so "*/1" in day-of-month keeps AND with
// day-of-week: the schedule runs on Mondays only. lint says cron runs on
// days matching EITHER field.
func TestReviewDayOfMonthStarStep(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "0 9 */1 * 1")
	s, err := parseSchedule(cj, "UTC")
	require.NoError(t, err)
	next := s.next(now, 3)
	for _, n := range next {
		require.Equal(t, time.Monday, n.In(nyc).Weekday(), "the controller runs it on Mondays only: %v", next)
	}
	o, out := newTestOptions(now, cj)
	require.NoError(t, execute(t, o, "lint", "report"))
	assert.NotContains(t, out.String(), "day-of-month-or-week")
}

// TestReviewMidnightTransition: Lebanon moves its clocks from 00:00 to 01:00
// (2027-03-28): 00:30 does not exist that day, and next notes it. lint has
// no dst-transition finding: it takes the change for 24:00 of the day
// before (lint.go fixedTimeInTransition: from is 24h, wall 30m).
func TestReviewMidnightTransition(t *testing.T) {
	now := at(9, 0, 1)
	cj := cronJob("report", "30 0 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("Asia/Beirut") })
	o, out := newTestOptions(now, cj)
	require.NoError(t, execute(t, o, "lint", "report"))
	o2, out2 := newTestOptions(now, cj)
	require.NoError(t, execute(t, o2, "next", "report", "--count", "40"))
	require.Contains(t, out2.String(), "00:00–01:00 does not exist that day")
	assert.Contains(t, out.String(), "dst-transition")
}

// BenchmarkReviewLintNamespace: lint of a namespace of 5,000 CronJobs, every
// minute against once an hour (the crowded-minute check evaluates up to 1,440
// times per CronJob):
// go test -tags review ./pkg/plugin/ -run '^$' -bench BenchmarkReviewLintNamespace -benchtime 3x -count 3
func BenchmarkReviewLintNamespace(b *testing.B) {
	for _, schedule := range []string{"7 * * * *", "* * * * *"} {
		b.Run(schedule, func(b *testing.B) {
			now := at(9, 0, 16)
			objs := make([]runtime.Object, 0, 5000)
			for i := range 5000 {
				objs = append(objs, cronJob("report-"+itoa(int64(i)), schedule, func(cj *batchv1.CronJob) { cj.UID = types.UID("uid-" + itoa(int64(i))) }))
			}
			o, out := newTestOptions(now, objs...)
			b.ResetTimer()
			for range b.N {
				out.Reset()
				report, err := o.lint(context.Background(), "", false)
				require.NoError(b, err)
				require.Equal(b, 5000, report.Checked)
			}
		})
	}
}

// TestReviewSuspendedThenResumed: 0 10 * * * with startingDeadlineSeconds 300
// was suspended from Monday 09:00 to Tuesday 12:00 (kubectl patch; the
// managedFields entry that owns spec.suspend is from Tuesday 12:00). Tuesday
// 10:00 came while it was suspended. On Wednesday, when the events have
// expired, why --at Tuesday 10:00 blames the starting deadline.
func TestReviewSuspendedThenResumed(t *testing.T) {
	now := at(11, 0, 17) // Wednesday
	cj := cronJob("report", "0 10 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.Suspend = ptr.To(false)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 17)))
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(12, 0, 16))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
		}}
	})
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		job(cj, at(10, 0, 14), 20*time.Millisecond, 2*time.Second, time.Minute, false),
		job(cj, at(10, 0, 17), 20*time.Millisecond, 2*time.Second, time.Minute, false),
	}
	got := whyJSON(t, now, objs, "--at", "2027-03-16T10:00:00-04:00")
	assert.NotContains(t, got.Explanation, "past its starting deadline", "spec.suspend changed after the time: it was most likely suspended then")
}

// TestReviewReleasedLease: steadycron releases its Lease on a graceful stop
// (holderIdentity ""); why says the Lease "was not found".
func TestReviewReleasedLease(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil })
	released := lease("", at(2, 31, 16))
	got := whyJSON(t, now, []runtime.Object{cj, released})
	assert.NotContains(t, got.Explanation, "Lease was not found")
}

// TestReviewNextSuspended: next NAME of a suspended CronJob lists five times
// the controller will not run, and says nothing of the suspension.
func TestReviewNextSuspended(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) })
	o, out := newTestOptions(now, cj)
	require.NoError(t, execute(t, o, "next", "report"))
	assert.Contains(t, strings.ToLower(out.String()), "suspend", out.String())
}

// TestReviewHistoryLimitThrottledJob: as TestReviewHistoryLimitRemovedOlderJob,
// but the oldest Job left (06:00) was created 30 s late, as Jobs of a crowded
// minute are: why --at 03:00 says a catch-up superseded 03:00.
func TestReviewHistoryLimitThrottledJob(t *testing.T) {
	now := at(8, 30, 16)
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
	})
	objs := []runtime.Object{cj, lease("steadycron-0", now)}
	for h := 6; h <= 8; h++ {
		objs = append(objs, job(cj, at(h, 0, 16), 30*time.Second, 32*time.Second, time.Minute, false))
	}
	got := whyJSON(t, now, objs, "--at", "2027-03-16T03:00:00-04:00")
	assert.NotEqual(t, VerdictSuperseded, got.Verdict, "03:00 ran; its Job was removed by the history limit")
}

// TestReviewLintNoHeaders: lint --no-headers without findings prints a line
// to stdout, so `kubectl cronjob lint --no-headers | wc -l` counts 1 finding
// (kubectl get prints "No resources found" to stderr).
func TestReviewLintNoHeaders(t *testing.T) {
	cj := cronJob("report", "7 * * * *")
	o, out := newTestOptions(at(9, 0, 16), cj)
	require.NoError(t, execute(t, o, "lint", "--no-headers"))
	assert.Empty(t, out.String())
}

// TestReviewForbidBlockerDeleted: Forbid skipped 09:00 (JobAlreadyActive at
// 09:00) because 08:00's Job hung; at 09:10 the user deleted the hung Job.
// why (at 09:15) says 09:00 was most likely past its starting deadline, with
// "no Job and no event", though the controller's JobAlreadyActive event of
// 09:00 is there.
func TestReviewForbidBlockerDeleted(t *testing.T) {
	now := at(9, 15, 16)
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
	})
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job report-"+itoa(at(8, 0, 16).Unix()/60), at(8, 0, 16), at(8, 0, 16), 1),
		event(cj, corev1.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", at(9, 0, 16), at(9, 0, 16), 1),
	}
	got := whyJSON(t, now, objs)
	assert.Equal(t, "concurrencyPolicy", got.Reason, "the controller recorded JobAlreadyActive at 09:00")
	assert.NotContains(t, got.Explanation, "no event")
}
