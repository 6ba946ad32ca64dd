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

package plugin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// Review 18q. Copy this file into pkg/plugin and run
//   go test -tags review ./pkg/plugin/ -run TestReview18q -v
// Each test has a control case (a "control" subtest) that passes.

// statusOf runs `status report` at now against objs and returns its output.
func statusOf18q(t *testing.T, now time.Time, objs ...runtime.Object) string {
	t.Helper()
	o, out := newTestOptions(now, objs...)
	assert.NoError(t, execute(t, o, "status", "report"))
	return out.String()
}

// templateStamped18q is a daily "30 2 * * *" CronJob whose jobTemplate
// carries batch.kubernetes.io/cronjob-scheduled-timestamp: stamp (the
// template was made from `kubectl get job report-30086310 -o yaml`, the
// Job of the 16th, and kept its annotations), status.lastScheduleTime the
// 17th's 02:30.
func templateStamped18q(stamp string) *batchv1.CronJob {
	return cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.JobTemplate.Annotations = map[string]string{batchv1.CronJobScheduledTimestampAnnotation: stamp}
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 17)))
	})
}

// TestReview18qTemplateStampIsTheTimeUnderSteadycron (HIGH): the template
// carries the scheduled-timestamp of a real time, the 16th's 02:30 (made
// from that Job's YAML). steadycron created the 16th's Job at 02:30:00 with
// its own annotations (expected-start 06:30Z, scheduled-timestamp
// 2027-03-16T02:30:00-04:00, which equals the template's value because it
// is that time). scheduledTimeOf takes any Job whose scheduled-timestamp is
// the template's value for one kubectl copied from the template, whatever
// its name, creation and expected-start, so why --at the 16th 02:30 answers
// "Skipped (nameConflict): Job report-30086310 ... was made by hand ... (it
// has no batch.kubernetes.io/cronjob-scheduled-timestamp of its own ...)
// so the controller could not create the time's Job", with evidence "Job
// report-30086310 has no batch.kubernetes.io/cronjob-scheduled-timestamp":
// both false, the Job is the run. A copy by kubectl would carry the value
// under a name of its own (kubectl create job NAME --from, k9s's
// NAME-manual-XXX), not the controller's NAME-<minutes> of that very time,
// created at the time, with steadycron's expected-start.
// Expected: Ran as Job report-30086310. Control: the template carries the
// 15th's value (not this Job's): Ran.
func TestReview18qTemplateStampIsTheTimeUnderSteadycron(t *testing.T) {
	for name, stamp := range map[string]string{"template stamp is the time's": "2027-03-16T02:30:00-04:00", "control: template stamp of another time": "2027-03-15T02:30:00-04:00"} {
		t.Run(name, func(t *testing.T) {
			cj := templateStamped18q(stamp)
			now := at(9, 0, 17)
			whyCase{now: now, at: "2027-03-16T02:30:00-04:00",
				objs: []runtime.Object{cj,
					job(cj, at(2, 30, 16), 0, time.Second, time.Minute, false),
					job(cj, at(2, 30, 17), 0, time.Second, time.Minute, false),
					lease("steadycron-0", now)},
				verdict:     VerdictRan,
				notContains: []string{"made by hand"}}.check(t)
		})
	}
}

// TestReview18qTemplateStampIsTheTimeUnderTheStock (MED): the same template
// under the stock controller (no Lease, Jobs with the scheduled-timestamp
// only). The verdict is right (Ran), but the answer says the Job "was made
// by hand or by a tool such as k9s's trigger (it has no
// batch.kubernetes.io/cronjob-scheduled-timestamp of its own ...)", and
// status lists it as SCHEDULED "manual": it has the annotation, the
// controller's name of the time, and was created 10ms after the time.
// Expected: the scheduled run of the 16th, no "made by hand", status with
// its scheduled time. Control: the template carries the 15th's value.
func TestReview18qTemplateStampIsTheTimeUnderTheStock(t *testing.T) {
	for name, stamp := range map[string]string{"template stamp is the time's": "2027-03-16T02:30:00-04:00", "control: template stamp of another time": "2027-03-15T02:30:00-04:00"} {
		t.Run(name, func(t *testing.T) {
			cj := templateStamped18q(stamp)
			now := at(9, 0, 17)
			objs := []runtime.Object{cj, stockJob(cj, at(2, 30, 16), time.Minute), stockJob(cj, at(2, 30, 17), time.Minute)}
			whyCase{now: now, at: "2027-03-16T02:30:00-04:00", objs: objs,
				verdict:     VerdictRan,
				notContains: []string{"made by hand"}}.check(t)
			assert.Contains(t, statusOf18q(t, now, objs...), "2027-03-16T02:30:00-04:00   report-30086310")
		})
	}
}

// TestReview18qEveryScheduleJobNameMinute (HIGH): "@every 90s" (no zone),
// run by a kube-controller-manager that writes no scheduled-timestamp
// (before 1.28, or the CronJobsScheduledAnnotation gate off). Its times
// count from the creation (2027-03-01T00:00:00Z): ..., 12:58:30Z,
// 13:00:00Z. The 12:58:30 Job is report-30086698 (the minute 12:58), created
// at 12:58:30.01, complete. scheduledTimeOf reads a pre-annotation Job's
// time from its name, N*60 = 12:58:00, and isTime accepts any time of an
// @every schedule, so that Job is taken for the Job of 12:58:00, which is
// no time of the schedule. why --at 12:58:30 answers "Skipped
// (nameConflict): no Job of its own ran. Job report-30086698 ... is the
// Job of 2027-03-16T12:58:00Z: ... a schedule with times less than a minute
// apart gets a Job for the first time of each minute only" (the times are
// 90s apart); status lists the run as SCHEDULED 12:58:00Z. Expected: Ran as
// report-30086698 (the name gives the minute only; the time is the
// schedule's time in that minute, or the Job's creation). Control: the same
// Jobs with the annotation: Ran.
func TestReview18qEveryScheduleJobNameMinute(t *testing.T) {
	for name, pre := range map[string]bool{"without the annotation": true, "control: with the annotation": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "@every 90s", func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = nil
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 3, 16, 13, 0, 0, 0, time.UTC)))
			})
			mk := stockJob
			if pre {
				mk = preAnnotationJob
			}
			a := time.Date(2027, 3, 16, 12, 58, 30, 0, time.UTC)
			b := a.Add(90 * time.Second)
			now := b.Add(30 * time.Second)
			objs := []runtime.Object{cj, mk(cj, a, 5*time.Second), mk(cj, b, 5*time.Second)}
			whyCase{now: now, at: "2027-03-16T12:58:30Z", objs: objs,
				verdict:     VerdictRan,
				notContains: []string{"12:58:00"}}.check(t)
			assert.NotContains(t, statusOf18q(t, now, objs...), "2027-03-16T12:58:00Z")
		})
	}
}

// TestReview18qPreAnnotationJobOfAnEarlierSchedule (HIGH): an hourly
// CronJob "0 * * * *" run by a kube-controller-manager that writes no
// scheduled-timestamp; its 07:00 and 08:00 Jobs (report-30086580,
// report-30086640) ran and are kept. At 08:40 the schedule was edited to
// "30 * * * *" (managedFields). scheduledTimeOf checks a pre-annotation
// Job's name against the current schedule only, and 07:00 is not one of its
// times, so both Jobs are taken for ones made by hand. why --at 07:00
// answers "Unknown (scheduleChanged): ... no Job and no event of the
// CronJob names it", while Job report-30086580, the controller's name of
// 07:00, is on the cluster, created at 07:00:00.01, complete; status lists
// both runs as SCHEDULED "manual". The doc of scheduledTimeOf says a schedule
// that cannot be evaluated does not rule a name's time out; a schedule
// written after the Job was created does not show the times it had then
// either. Expected: Ran as Job report-30086580 (the time is not one of the
// current schedule, which changed since), as with the annotation. Control:
// the same Jobs with the annotation.
func TestReview18qPreAnnotationJobOfAnEarlierSchedule(t *testing.T) {
	for name, pre := range map[string]bool{"without the annotation": true, "control: with the annotation": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 * * * *", func(cj *batchv1.CronJob) {
				cj.ManagedFields = managedSchedule(at(8, 40, 16))
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
				cj.Spec.StartingDeadlineSeconds = nil
			})
			mk := stockJob
			if pre {
				mk = preAnnotationJob
			}
			now := at(8, 50, 16)
			objs := []runtime.Object{cj, mk(cj, at(7, 0, 16), time.Minute), mk(cj, at(8, 0, 16), time.Minute)}
			whyCase{now: now, at: "2027-03-16T07:00:00-04:00", objs: objs,
				verdict:     VerdictRan,
				notContains: []string{"no Job and no event"}}.check(t)
			assert.NotContains(t, statusOf18q(t, now, objs...), "manual ")
		})
	}
}

// TestReview18qPreAnnotationJobInTheFallBackHour (MED): "30 1 * * *" in
// America/New_York, run by a kube-controller-manager with spec.timeZone
// (GA in 1.27) that writes no scheduled-timestamp (1.27). On 2027-11-07
// 01:30 happens twice; the stock controller (robfig/cron) runs both, and the
// plugin knows it: with the annotation, why --at 01:30-05:00 answers "Ran as
// Job report-30426150, created 10ms after the scheduled time". Without it,
// scheduledTimeOf checks the Job's name against f.sched, steadycron's
// schedule, which has one 01:30 that day, so the stock controller's Job of
// the second 01:30 is "made by hand or by a tool such as k9s's trigger (...
// its name is not NAME-<minutes> of a time of the schedule ...)", and status
// lists it as SCHEDULED "manual". A Job without the scheduled-timestamp can
// only be the stock controller's (steadycron writes it on every Job), so its
// name is to be read against the stock controller's times. Expected: the
// run of 01:30-05:00, no "made by hand". Control: the same Jobs with the
// annotation.
func TestReview18qPreAnnotationJobInTheFallBackHour(t *testing.T) {
	for name, pre := range map[string]bool{"without the annotation": true, "control: with the annotation": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 1 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 11, 7, 6, 30, 0, 0, time.UTC)))
			})
			mk := stockJob
			if pre {
				mk = preAnnotationJob
			}
			first := time.Date(2027, 11, 7, 1, 30, 0, 0, nyc)
			second := first.Add(time.Hour)
			now := time.Date(2027, 11, 7, 9, 0, 0, 0, nyc)
			objs := []runtime.Object{cj, mk(cj, first, time.Minute), mk(cj, second, time.Minute)}
			whyCase{now: now, at: "2027-11-07T01:30:00-05:00", objs: objs,
				verdict:     VerdictRan,
				notContains: []string{"made by hand"}}.check(t)
			assert.Contains(t, statusOf18q(t, now, objs...), "2027-11-07T01:30:00-05:00   report-30426150")
		})
	}
}

// TestReview18qJobTTLLengthenedAfterTheTime (HIGH): an hourly CronJob whose
// Jobs had ttlSecondsAfterFinished 60 until 08:30, when it was set to 86400
// (kubectl-edit, managedFields: f:spec.f:jobTemplate.f:spec
// .f:ttlSecondsAfterFinished at 08:30). 07:00 and 08:00 ran and their Jobs
// were deleted a minute after they finished; 09:00's Job is kept (TTL one
// day); events expired; asked at 09:30 about 07:00. why answers "Skipped
// (missedDeadline): ... most likely past its starting deadline": jobTTL
// reads today's template (86400s, not passed since 07:00), and neither it
// nor jobMayBeGone looks at when the TTL was written, as h18p made them do
// for the history limits (limitWrittenAfter) and concurrencyPolicy. Raised
// in review 18o ("Same roots, not given tests"), not fixed. Expected:
// Unknown (a Job of 07:00 may have gone under the TTL that held then).
// Control: the TTL written at the creation: Skipped.
func TestReview18qJobTTLLengthenedAfterTheTime(t *testing.T) {
	for name, written := range map[string]time.Time{"lengthened after the time": at(8, 30, 16), "control: set at the creation": time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](86400)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(written)),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:jobTemplate":{"f:spec":{"f:ttlSecondsAfterFinished":{}}}}}`)},
				}}
			})
			now := at(9, 30, 16)
			want := VerdictSkipped
			if written.After(at(7, 0, 16)) {
				want = VerdictUnknown
			}
			whyCase{now: now, at: "2027-03-16T07:00:00-04:00",
				objs:    []runtime.Object{cj, job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false), lease("steadycron-0", now)},
				verdict: want}.check(t)
		})
	}
}

// TestReview18qTemplateExpectedStartUnderTheStock (HIGH): the jobTemplate
// carries steadycron.io/expected-start: 2027-03-15T06:30:00Z (made from a
// steadycron Job's YAML, as in the tests above), and the stock controller
// runs the CronJob (steadycron removed, no Lease). The stock controller
// copies the template's annotations onto each Job and writes only its own
// scheduled-timestamp over them, so the 16th's and 17th's Jobs carry the
// right scheduled-timestamp and the template's stale expected-start.
// scheduledTimeOf prefers expected-start whenever the scheduled-timestamp is
// not the template's, so every Job is "the Job of 2027-03-15T02:30". why
// --at the 16th 02:30 answers "Skipped (nameConflict): no Job of its own
// ran. Job report-30086310 ... is the Job of 2027-03-15T02:30:00-04:00"
// (the same for the 17th), why --at the 15th answers "Ran as Job
// report-30086310, created 24h0m0.01s after the scheduled time", status
// lists both runs as SCHEDULED 2027-03-15 and its Controller line says
// "the latest scheduled Job has steadycron.io/expected-start: steadycron
// runs the CronJob without leader election". A controller's expected-start
// and scheduled-timestamp name the same instant (steadycron writes both); a
// Job where they differ carries a copied one. Expected: Ran as Job
// report-30086310 for the 16th. Control: a template without
// expected-start.
func TestReview18qTemplateExpectedStartUnderTheStock(t *testing.T) {
	for name, tmpl := range map[string]bool{"template with expected-start": true, "control: template without it": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				if tmpl {
					cj.Spec.JobTemplate.Annotations = map[string]string{"steadycron.io/expected-start": "2027-03-15T06:30:00Z"}
				}
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 17)))
			})
			stock := func(s time.Time) *batchv1.Job {
				j := stockJob(cj, s, time.Minute)
				for k, v := range cj.Spec.JobTemplate.Annotations {
					j.Annotations[k] = v
				}
				j.Annotations[batchv1.CronJobScheduledTimestampAnnotation] = scheduledTimestamp(cj, s)
				return j
			}
			now := at(9, 0, 17)
			objs := []runtime.Object{cj, stock(at(2, 30, 16)), stock(at(2, 30, 17))}
			whyCase{now: now, at: "2027-03-16T02:30:00-04:00", objs: objs, verdict: VerdictRan}.check(t)
			assert.Contains(t, statusOf18q(t, now, objs...), "2027-03-16T02:30:00-04:00   report-30086310")
		})
	}
}

// TestReview18qPreAnnotationJobsOfAControllerInAnotherZone (HIGH): "30 2 *
// * *" without spec.timeZone, run by a kube-controller-manager that writes
// no scheduled-timestamp and runs in Europe/Berlin (TZ of its host: before
// spec.timeZone, 1.27, the usual way to get local times); its Jobs of the
// 16th and 17th (02:30 Berlin = 01:30Z: report-30086010, report-30087450)
// ran. why assumes the controller's zone is UTC (--controller-time-zone);
// with the annotation, zoneContradicted sees the latest Job's time is no
// time of the schedule in UTC and answers "Unknown (controllerTimeZone) ...
// Ask again with --controller-time-zone", and status/lint warn
// (controller-time-zone). Without it, scheduledTimeOf checks the names
// against the schedule in UTC, takes every Job for one made by hand, and
// zoneContradicted (which reads scheduled Jobs only) sees none: why --at
// 2027-03-17T02:30Z answers "Skipped (missedDeadline): ... no Job and no
// event", status lists both runs as SCHEDULED "manual" and gives no zone
// warning. Expected: Unknown (controllerTimeZone), as with the annotation
// (the names are the controller's times; that they are no times in UTC is
// what shows the zone). Control: the same Jobs with the annotation.
func TestReview18qPreAnnotationJobsOfAControllerInAnotherZone(t *testing.T) {
	for name, pre := range map[string]bool{"without the annotation": true, "control: with the annotation": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 3, 17, 2, 30, 0, 0, berlin)))
			})
			mk := stockJob
			if pre {
				mk = preAnnotationJob
			}
			now := time.Date(2027, 3, 17, 9, 0, 0, 0, time.UTC)
			objs := []runtime.Object{cj,
				mk(cj, time.Date(2027, 3, 16, 2, 30, 0, 0, berlin), time.Minute),
				mk(cj, time.Date(2027, 3, 17, 2, 30, 0, 0, berlin), time.Minute)}
			whyCase{now: now, at: "2027-03-17T02:30:00Z", objs: objs,
				verdict: VerdictUnknown, reason: "controllerTimeZone"}.check(t)
			assert.Contains(t, statusOf18q(t, now, objs...), "controller-time-zone")
		})
	}
}

// TestReview18qEverySubMinuteAskedBeforeTheLaterTimeOfItsMinute (MED):
// "@every 30s" under steadycron. 12:58:30 ran; the controller was down over
// 12:59:00 and, back at 12:59:30, created the Job of 12:59:30
// (report-30086699, scheduled-timestamp 12:59:30Z, created 12:59:30.1);
// nothing ran for 12:59:00. why --at 12:59:10 is about the scheduled time at
// or before 12:59:10, that is 12:59:00. Observed: the answer's scheduled
// time is 12:59:30, after the time asked, and the verdict "Ran as Job
// report-30086699" (the Job of the asked minute is taken whatever its time
// within the minute); --at 12:59:00 gets the same answer. Expected: the
// answer is about 12:59:00, and not Ran (no Job of it; the Job of the
// minute is a later time's). Control: --at 12:59:40 (12:59:30: Ran).
func TestReview18qEverySubMinuteAskedBeforeTheLaterTimeOfItsMinute(t *testing.T) {
	cj := cronJob("report", "@every 30s", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 3, 16, 12, 59, 30, 0, time.UTC)))
	})
	a := time.Date(2027, 3, 16, 12, 58, 30, 0, time.UTC)
	b := time.Date(2027, 3, 16, 12, 59, 30, 0, time.UTC)
	now := b.Add(20 * time.Second)
	jb := job(cj, b, 100*time.Millisecond, time.Second, 5*time.Second, false)
	objs := []runtime.Object{cj, job(cj, a, 10*time.Millisecond, time.Second, 5*time.Second, false), jb, lease("steadycron-0", now)}
	t.Run("asked at 12:59:10", func(t *testing.T) {
		whyCase{now: now, at: "2027-03-16T12:59:10Z", objs: objs,
			scheduled: "2027-03-16T12:59:00Z", notVerdicts: []string{VerdictRan}}.check(t)
	})
	t.Run("control: asked at 12:59:40", func(t *testing.T) {
		whyCase{now: now, at: "2027-03-16T12:59:40Z", objs: objs,
			scheduled: "2027-03-16T12:59:30Z", verdict: VerdictRan}.check(t)
	})
}

// TestReview18qTemplateFirstRunningCopied (MED): the jobTemplate carries
// steadycron.io/first-running: 2027-03-15T06:30:05Z (made from a steadycron
// Job's YAML). steadycron's 17th 02:30 Job copies it from the template; at
// 02:45 the Job has no pod yet, so the job tracker has not written over it
// (patch 0005 takes a first-running more than 5 minutes before the Job's
// creation for one copied from the template, reports it and writes over it
// when the Job runs). why answers "Ran as Job report-30087750 ...;
// running. Its app container first ran at 2027-03-15T06:30:05Z: a start
// delay of -47h59m55s": the app has not run, and the delay is negative; the
// same value shows in status's FIRST RUNNING column (also of every Job of
// the stock controller, which has no tracker to write over it). Expected:
// no "first ran" from a first-running before the Job's creation (copied),
// as the controller's own tracker reads it. Control: a template without it.
func TestReview18qTemplateFirstRunningCopied(t *testing.T) {
	for name, tmpl := range map[string]bool{"template with first-running": true, "control: template without it": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				if tmpl {
					cj.Spec.JobTemplate.Annotations = map[string]string{"steadycron.io/first-running": "2027-03-15T06:30:05Z"}
				}
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 17)))
			})
			now := at(2, 45, 17)
			j17 := job(cj, at(2, 30, 17), 0, 0, 0, false)
			for k, v := range cj.Spec.JobTemplate.Annotations {
				j17.Annotations[k] = v
			}
			whyCase{now: now,
				objs:        []runtime.Object{cj, job(cj, at(2, 30, 16), 0, 5*time.Second, time.Minute, false), j17, lease("steadycron-0", now)},
				verdict:     VerdictRunning,
				notContains: []string{"first ran", "-47h"}}.check(t)
		})
	}
}

// TestReview18qMissingJobUnderAnAdmissionTTL (MED): an admission policy
// (Kyverno, Gatekeeper's mutation) sets ttlSecondsAfterFinished: 0 on every
// Job; the template has none. 09:00's Job finished and the TTL controller
// deleted it at once, before the CronJob controller synced; it recorded
// MissingJob "Active job went missing: report-30086700" at 09:04. 10:00's
// Job, still running, shows the TTL (jobTTL reads it: "set on Job ...
// though not in the Job template: an admission policy sets it"). why --at
// 09:00 answers "... so not the controller: a user or a tool deleted it,
// most likely before it finished": goneText's MissingJob case reads only
// the template's TTL. Expected: the TTL named as a likely deleter, as with
// the TTL in the template ("its ttlSecondsAfterFinished (0s) or a user or a
// tool deleted it"), and no "most likely before it finished". Control: the
// TTL in the template.
func TestReview18qMissingJobUnderAnAdmissionTTL(t *testing.T) {
	for name, inTemplate := range map[string]bool{"TTL set by admission": false, "control: TTL in the template": true} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
				if inTemplate {
					cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](0)
				}
			})
			now := at(10, 20, 16)
			running := job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false)
			running.Spec.TTLSecondsAfterFinished = ptr.To[int32](0)
			gone := "report-" + itoa(at(9, 0, 16).Unix()/60)
			whyCase{now: now, at: "2027-03-16T09:00:00-04:00",
				objs: []runtime.Object{cj, running, lease("steadycron-0", now),
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+gone, at(9, 0, 16), at(9, 0, 16), 1),
					event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+gone, at(9, 4, 16), at(9, 4, 16), 1)},
				verdict:     VerdictRan,
				contains:    []string{"ttlSecondsAfterFinished"},
				notContains: []string{"most likely before it finished"}}.check(t)
		})
	}
}
