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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// TestReviewS8bFoldedFailedCreate: a webhook that refuses every Job of an
// hourly CronJob from 05:00 on leaves one FailedCreate event first seen at
// 05:00 and last seen at 09:00; 07:00 was refused like the others. why must
// not say no controller decided on 07:00, nor that it came late.
func TestReviewS8bFoldedFailedCreate(t *testing.T) {
	tests := map[string]func() whyCase{
		"no deadline: a folded webhook FailedCreate spanning the time": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(4, 0, 16)))
			})
			now := at(9, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00",
				notVerdicts: []string{VerdictNoDecision, VerdictSuperseded},
				contains:    []string{"FailedCreate"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(4, 0, 16), 10*time.Millisecond, time.Second, 2*time.Minute, false),
					event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16).Add(10*time.Millisecond), at(9, 0, 16).Add(10*time.Millisecond), 40)}}
		},
		// With a deadline the controller gives each time up after 300 s and
		// says MissSchedule: the cause is the refusal, not a late look.
		"deadline: a folded webhook FailedCreate and steadycron's MissSchedule": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(4, 0, 16)))
			})
			now := at(7, 30, 16)
			missed := at(7, 5, 16).Add(time.Second)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00",
				notContains: []string{"past startingDeadlineSeconds when the controller got to it"},
				contains:    []string{"FailedCreate"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(4, 0, 16), 10*time.Millisecond, time.Second, 2*time.Minute, false),
					event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16).Add(10*time.Millisecond), at(7, 4, 16), 24),
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+at(7, 0, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", missed, missed, 1)}}
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) { tc().check(t) })
	}
}

// TestReviewS8bFailedCreateSuspendedSince: 04:00 was refused; the CronJob
// was suspended at 04:30 and still is. A suspended CronJob is not synced
// past the suspend check, so no retry will come: "a later attempt may still
// create it" is wrong while it stays suspended.
func TestReviewS8bFailedCreateSuspendedSince(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Spec.Suspend = ptr.To(true)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(3, 0, 16)))
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(4, 30, 16))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
		}}
	})
	refused := `Error creating job: jobs.batch "` + cronjob.JobName(cj, at(4, 0, 16)) + `" is forbidden: exceeded quota: jobs`
	now := at(4, 40, 16)
	whyCase{now: now, at: "2027-03-16T04:00:00-04:00",
		notContains: []string{"a later attempt may still create it"},
		contains:    []string{"suspend"},
		objs: []runtime.Object{cj, lease("steadycron-0", now),
			event(cj, corev1.EventTypeWarning, "FailedCreate", refused, at(4, 0, 16), at(4, 29, 16), 9)}}.check(t)
}

// TestReviewS8bLintGapMergesIntoOwnTime: "0 2,3 * * *" in America/New_York:
// on 2027-03-14 02:00 does not exist and the controller runs once, at 03:00,
// which is also the schedule's own time: the 02:00 run is lost, and lint
// must say so (dst-transition: a fixed time a change skips).
func TestReviewS8bLintGapMergesIntoOwnTime(t *testing.T) {
	for _, schedule := range []string{"0 2,3 * * *", "0 1-3 * * *"} {
		t.Run(schedule, func(t *testing.T) {
			cj := cronJob("x", schedule)
			var got []string
			for _, f := range lintCronJob(cj, nil, at(9, 0, 1), "UTC", &scheduleCache{}) {
				if f.Check == "dst-transition" {
					got = append(got, f.What)
				}
			}
			if assert.Len(t, got, 1, "the 02:00 run of 2027-03-14 is lost without a finding") {
				assert.Contains(t, got[0], "02:00 does not exist on 2027-03-14")
			}
		})
	}
}

// TestReviewS8bNextGapLostRunsAfterOtherTimes: "*/30 1-3 * * *" (a wall-clock
// schedule with times in the gap) loses 02:00 and 02:30 on 2027-03-14: the
// note on 03:00 must say they do not run, as it does for "*/30 2 * * *";
// it only does when the time before happens to have a wall time in the gap.
// Likewise "30 2,5 * * *": its 02:30 runs at 03:00, and the note says only
// "clocks forward 1h".
func TestReviewS8bNextGapLostRunsAfterOtherTimes(t *testing.T) {
	for schedule, want := range map[string]string{
		"*/30 1-3 * * *": "does not exist that day: no run then",
		"0 1-3 * * *":    "does not exist that day: no run then",
		// 02:30 runs at 03:00; the time before it (05:00) is outside the gap.
		"30 2,5 * * *": "it runs at 03:00 instead",
	} {
		t.Run(schedule, func(t *testing.T) {
			o, out := newTestOptions(time.Date(2027, 3, 14, 1, 10, 0, 0, nyc))
			if !assert.NoError(t, execute(t, o, "next", schedule, "--time-zone", "America/New_York", "--count", "3", "-o", "json")) {
				return
			}
			var report NextTimes
			if !assert.NoError(t, json.Unmarshal(out.Bytes(), &report)) {
				return
			}
			for _, tm := range report.Times {
				if tm.Time == "2027-03-14T03:00:00-04:00" {
					assert.Contains(t, tm.Note, want)
					return
				}
			}
			t.Errorf("03:00 EDT not listed: %+v", report.Times)
		})
	}
}

// TestReviewS8bFailedCreateThenRetrySucceeded: a flaky admission webhook
// refuses the 05:00 Job once; the controller's retry 10 s later creates it,
// and it runs. The webhook refuses once more at 08:00 (retried, ran too): the
// recorder folds both refusals into one FailedCreate event (05:00 to 08:00,
// count 2), which outlives 05:00's SuccessfulCreate (expired an hour after
// it). The 05:00 Job is gone (ttlSecondsAfterFinished 600). why 05:00 must
// not say the controller created no Job for it.
func TestReviewS8bFailedCreateThenRetrySucceeded(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](600)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
	})
	now := at(8, 30, 16)
	whyCase{now: now, at: "2027-03-16T05:00:00-04:00",
		notVerdicts: []string{VerdictSkipped},
		notContains: []string{"created no Job for this time"},
		objs: []runtime.Object{cj, lease("steadycron-0", now),
			job(cj, at(8, 0, 16), 10*time.Second, 12*time.Second, 3*time.Minute, false),
			event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+cronjob.JobName(cj, at(8, 0, 16)), at(8, 0, 16).Add(10*time.Second), at(8, 0, 16).Add(10*time.Second), 1),
			event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16), at(8, 0, 16), 2)}}.check(t)
}

// TestReviewS8bWhyMovedBySpringGap: "30 2 * * *" in America/New_York ran on
// 2027-03-14 at 03:00 EDT (02:30 did not exist; the controller's own
// evaluation puts the run there). why --at that run must not claim the
// schedule changed: it did not, the clock change moved the time.
func TestReviewS8bWhyMovedBySpringGap(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
	})
	now := at(9, 0, 16)
	moved := time.Date(2027, 3, 14, 3, 0, 0, 0, nyc)
	whyCase{now: now, at: "2027-03-14T03:00:00-04:00", verdict: VerdictRan,
		notContains: []string{"the schedule changed since"},
		objs: []runtime.Object{cj, lease("steadycron-0", now),
			job(cj, moved, 10*time.Millisecond, time.Second, time.Minute, false),
			job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false),
			job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, time.Minute, false)}}.check(t)
}

// TestReviewS8bSpringGapJobReadAsScheduleChange: "30 2 * * *" in
// America/New_York, managed by Helm (its managedFields entry owns
// spec.schedule and moves on every upgrade; an upgrade at 08:00 on the 16th
// changed only the image). The Job the spring change moved to 03:00 EDT on
// the 14th is kept. 02:30 on the 16th did not run (no controller then).
// why must not answer that 02:30 was not a time of the CronJob because the
// schedule changed: it never changed.
func TestReviewS8bSpringGapJobReadAsScheduleChange(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "helm", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(8, 0, 16))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{},"f:jobTemplate":{"f:spec":{"f:template":{}}}}}`)},
		}}
	})
	now := at(9, 0, 16)
	whyCase{now: now, at: "2027-03-16T02:30:00-04:00",
		notVerdicts: []string{VerdictNotScheduled},
		notContains: []string{"schedule changed"},
		objs: []runtime.Object{cj, lease("steadycron-0", now),
			job(cj, time.Date(2027, 3, 14, 3, 0, 0, 0, nyc), 10*time.Millisecond, time.Second, time.Minute, false),
			job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false)}}.check(t)
}
