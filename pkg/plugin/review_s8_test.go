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
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// Review findings (attack on the plugin): each test fails until the defect
// it names is fixed.

// TestReviewWhyFailedCreate: the controller tried to create the time's Job
// and the API server refused it (a quota, an admission webhook): it records
// a FailedCreate warning ("Error creating job: ...") and retries until the
// next time (or the deadline). why must name that warning, not say that no
// event exists and no controller decided, nor that the controller looked
// late.
func TestReviewWhyFailedCreate(t *testing.T) {
	refused := `Error creating job: jobs.batch "report-28987590" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=10, limited: count/jobs.batch=10`
	t.Run("no deadline", func(t *testing.T) {
		cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil })
		failed := event(cj, corev1.EventTypeWarning, "FailedCreate", refused, at(2, 30, 16), at(2, 45, 16), 8)
		got := whyJSON(t, at(3, 0, 16), "report", "", cj, failed, lease("steadycron-0", at(3, 0, 16)))
		assert.NotEqual(t, VerdictNoDecision, got.Verdict, got.Explanation)
		assert.NotContains(t, got.Explanation, "no event")
		assert.Contains(t, got.Explanation+" "+joinLines(got.Evidence), "FailedCreate")
	})
	t.Run("with a deadline, then the stock MissSchedule", func(t *testing.T) {
		cj := cronJob("report", "30 2 * * *")
		failed := event(cj, corev1.EventTypeWarning, "FailedCreate", refused, at(2, 30, 16), at(2, 34, 16), 6)
		missed := at(2, 35, 16).Add(5 * time.Second)
		miss := event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed scheduled time to start a job: "+at(2, 30, 16).UTC().Format(time.RFC1123Z), missed, missed, 1)
		got := whyJSON(t, at(3, 0, 16), "report", "", cj, failed, miss, lease("steadycron-0", at(3, 0, 16)))
		// The controller looked at 02:30 on time, 5 times: its create failed.
		assert.NotContains(t, got.Explanation, "first looked at this time more than startingDeadlineSeconds")
		assert.Contains(t, got.Explanation+" "+joinLines(got.Evidence), "FailedCreate")
	})
}

// TestReviewWhyEveryAfterScheduleChange: an @every schedule's times count
// from status.lastScheduleTime, so after a change from @every 5m to @every
// 7m the controller runs lastScheduleTime+7m, +14m, ...; why without --at
// computes its times from the CronJob's creation (schedule.atOrBefore with
// a nil lastScheduleTime) and asks about a time the controller never had.
func TestReviewWhyEveryAfterScheduleChange(t *testing.T) {
	created := time.Date(2027, 3, 16, 0, 0, 30, 0, time.UTC)
	minute := func(m int) time.Time { return created.Add(time.Duration(m) * time.Minute) }
	cj := cronJob("report", "@every 7m", func(cj *batchv1.CronJob) {
		cj.CreationTimestamp = metav1.NewTime(created)
		cj.Spec.TimeZone = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(minute(74)))
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(minute(62))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{}}}`)},
		}}
	})
	objs := []runtime.Object{cj, lease("steadycron-0", minute(75))}
	for _, m := range []int{60, 67, 74} { // 60 under @every 5m; 67 and 74 under @every 7m
		objs = append(objs, job(cj, minute(m), 20*time.Millisecond, time.Second, 30*time.Second, false))
	}
	got := whyJSON(t, minute(75), "report", "", objs...)
	require.NotNil(t, got.Scheduled, "%s: %s", got.Verdict, got.Explanation)
	assert.Equal(t, minute(74).Format(time.RFC3339), got.Scheduled.UTC, "the most recent time is the one the controller ran")
	assert.Equal(t, VerdictRan, got.Verdict, got.Explanation)
}

// TestReviewWhySuspendedBeforeForbid: the controller checks spec.suspend
// before the concurrency policy, so a time that came while the CronJob was
// suspended (spec.suspend last written before it) was skipped for the
// suspension, even though a Job of an earlier time was still running.
func TestReviewWhySuspendedBeforeForbid(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.Suspend = ptr.To(true)
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(1, 0, 16))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
		}}
	})
	running := job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, 0, false) // yesterday's, hung
	now := at(9, 0, 16)
	got := whyJSON(t, now, "report", "", cj, running, lease("steadycron-0", now))
	assert.Equal(t, VerdictSkipped, got.Verdict)
	assert.Equal(t, "suspended", got.Reason, got.Explanation)
}

// lintChecks runs lint on one CronJob at now and returns its checks and the
// command's error.
func lintChecks(t *testing.T, now time.Time, cj *batchv1.CronJob) ([]string, error) {
	t.Helper()
	o, out := newTestOptions(now, cj)
	err := execute(t, o, "lint", cj.Name, "-o", "json")
	var r LintReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &r))
	var checks []string
	for _, f := range r.Findings {
		checks = append(checks, f.Check)
	}
	return checks, err
}

// TestReviewLintScheduleThatNeverRuns: "0 0 31 2 *" (February 31st) parses,
// but has no time: why says the controller runs nothing; lint says nothing
// and exits 0.
func TestReviewLintScheduleThatNeverRuns(t *testing.T) {
	cj := cronJob("report", "0 0 31 2 *")
	checks, err := lintChecks(t, at(9, 0, 16), cj)
	assert.NotEmpty(t, checks, "a schedule with no time passes lint")
	assert.Error(t, err, "lint exits 0 for a CronJob that never runs")
}

// TestReviewLintDSTFalseNegatives: the dst-transition check reads only a
// five-field schedule whose minute and hour are plain numbers, so it misses
// a legacy CRON_TZ= schedule, an hour list, and a macro (@daily is 0 0 * *
// *) whose time does not exist on a day of the coming year.
func TestReviewLintDSTFalseNegatives(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]func(*batchv1.CronJob){
		"CRON_TZ=America/New_York 30 2 * * *": func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil },                        // 02:30 does not exist on 2027-03-14
		"30 1,2 * * *":                        nil,                                                                         // the same, in spec.timeZone America/New_York
		"@daily":                              func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("America/Santiago") }, // 00:00 does not exist on 2027-09-05
	}
	for schedule, mutate := range tests {
		t.Run(schedule, func(t *testing.T) {
			cj := cronJob("report", schedule)
			if mutate != nil {
				mutate(cj)
			}
			checks, _ := lintChecks(t, now, cj)
			assert.Contains(t, checks, "dst-transition")
		})
	}
}

// TestReviewNextScheduleGapNote: `next SCHEDULE` (not a CronJob's NAME)
// builds a CronJob created now, so the scheduled time before now is not
// found and the first time listed, moved out of a spring-forward gap, gets
// only "clocks forward 1h" without saying that 02:30 does not exist and
// runs at 03:00 (TestNextGapNote covers NAME only).
func TestReviewNextScheduleGapNote(t *testing.T) {
	o, _ := newTestOptions(time.Date(2027, 3, 13, 12, 0, 0, 0, nyc))
	report, err := o.next(t.Context(), "30 2 * * *", "America/New_York", 2)
	require.NoError(t, err)
	require.Equal(t, "2027-03-14T03:00:00-04:00", report.Times[0].Time)
	assert.Contains(t, report.Times[0].Note, "02:00–03:00 does not exist that day, it runs at 03:00 instead")
}

func joinLines(lines []string) string {
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}

// TestReviewNextLocalTimeZone: the API server rejects timeZone "Local" (it
// must be an explicit IANA name), but next --time-zone Local computes the
// times in this machine's zone and prints them as if a CronJob could have
// them.
func TestReviewNextLocalTimeZone(t *testing.T) {
	o, _ := newTestOptions(time.Date(2027, 3, 13, 12, 0, 0, 0, time.UTC))
	_, err := o.next(t.Context(), "30 2 * * *", "Local", 1)
	assert.Error(t, err, "--time-zone Local is not a time zone a CronJob can have")
}

// TestReviewLintBackoffLimitPerIndex: with backoffLimitPerIndex (an Indexed
// Job) and backoffLimit unset, the Job controller retries each index up to
// backoffLimitPerIndex times (backoffLimit defaults to the maximum), not
// "up to 7 times": default-backoff-limit is a false positive.
func TestReviewLintBackoffLimitPerIndex(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		spec := &cj.Spec.JobTemplate.Spec
		spec.BackoffLimit = nil
		spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		spec.Completions, spec.Parallelism = ptr.To[int32](4), ptr.To[int32](4)
		spec.BackoffLimitPerIndex = ptr.To[int32](1)
		spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
	})
	checks, _ := lintChecks(t, at(9, 0, 16), cj)
	assert.NotContains(t, checks, "default-backoff-limit")
}

// TestReviewNextGapNoteOnADayWithoutRun: the spring change skips 02:00–03:00
// on a Sunday; a Monday-only schedule at 02:30 (or a yearly one on March 14)
// does not run on that Sunday, yet the note of the next time says "02:00–03:00
// does not exist that day: no run then", as if a run were lost. dstNote
// reads the previous time's wall clock without asking whether the schedule
// runs on the day of the change (lint's dst-transition check does ask).
func TestReviewNextGapNoteOnADayWithoutRun(t *testing.T) {
	t.Run("weekly, NAME", func(t *testing.T) {
		o, _ := newTestOptions(time.Date(2027, 3, 10, 12, 0, 0, 0, nyc), cronJob("report", "30 2 * * 1"))
		report, err := o.next(t.Context(), "report", "", 1)
		require.NoError(t, err)
		require.Equal(t, "2027-03-15T02:30:00-04:00", report.Times[0].Time)
		assert.NotContains(t, report.Times[0].Note, "no run then")
	})
	t.Run("yearly, SCHEDULE", func(t *testing.T) {
		o, _ := newTestOptions(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		report, err := o.next(t.Context(), "0 2 14 3 *", "America/New_York", 3)
		require.NoError(t, err)
		require.Equal(t, "2029-03-14T02:00:00-04:00", report.Times[2].Time)
		assert.NotContains(t, report.Times[2].Note, "no run then", "2029-03-11 is not a day the schedule runs")
	})
}

// TestReviewControllerTimeZoneTypo: a --controller-time-zone the plugin
// cannot load (a typo) is taken as the CronJob's own zone: why says the
// controller cannot evaluate a healthy CronJob and "runs nothing until the
// CronJob is fixed", and lint reports unknown-time-zone "" as an error and
// exits 1 (a CI failure for every CronJob without spec.timeZone). The flag
// is not validated; it should be refused as a flag error.
func TestReviewControllerTimeZoneTypo(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil })
	t.Run("why", func(t *testing.T) {
		o, out := newTestOptions(at(9, 0, 16), cj, lease("steadycron-0", at(9, 0, 16)))
		err := execute(t, o, "why", "report", "--controller-time-zone", "Europe/Berln")
		assert.Error(t, err, "why answered with a bad --controller-time-zone")
		assert.NotContains(t, out.String(), "until the CronJob is fixed")
	})
	t.Run("lint", func(t *testing.T) {
		o, out := newTestOptions(at(9, 0, 16), cj)
		err := execute(t, o, "lint", "--controller-time-zone", "Europe/Berln")
		assert.NotContains(t, out.String(), "unknown-time-zone", "a healthy CronJob blamed for the flag's zone")
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), "controller-time-zone")
		}
	})
}
