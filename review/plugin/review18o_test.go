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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// Review 18o. Copy this file into pkg/plugin and run
//   go test -tags review ./pkg/plugin/ -run TestReview18o -v
// Each test has a control case (a "control" subtest) that passes.

// TestReview18oOrphanJobMadeAfterTheCreation (MED): why --at a time before
// the CronJob's creation finds a Job on the cluster under that time's name
// (report-30051810, 2027-02-20 02:30 EST) that this CronJob does not control,
// and says "its CronJob was deleted and the Job left (--cascade=orphan): an
// earlier CronJob of the same name most likely ran this time with it"
// (why.go earlierJob), whenever the Job was created. Here it was created
// on 2027-03-16, two weeks after this CronJob (2027-03-01) and three weeks
// after the time: made by hand or by a tool under that name (kubectl create
// job report-30051810 --image=..., a restore), not an earlier CronJob's run
// of 02-20; the answer's own evidence line says "created at 2027-03-16". A
// user is told an earlier CronJob ran the time, with that Job's result.
// Expected: a Job created after this CronJob's creation (or long after the
// time) is not taken for an earlier CronJob's run. Control: the same orphan
// created at the time with the controller's scheduled-timestamp annotation.
func TestReview18oOrphanJobMadeAfterTheCreation(t *testing.T) {
	cj := cronJob("report", "30 2 * * *") // created 2027-03-01T00:00:00Z
	now := at(9, 0, 16)
	s := time.Date(2027, time.February, 20, 2, 30, 0, 0, nyc)
	orphan := func(created time.Time, annotated bool) *batchv1.Job {
		j := job(cj, s, 0, 0, 0, false)
		j.OwnerReferences = nil // left by --cascade=orphan, or never had one
		j.Annotations = nil
		if annotated {
			j.Annotations = map[string]string{batchv1.CronJobScheduledTimestampAnnotation: s.Format(time.RFC3339)}
		}
		j.CreationTimestamp = metav1.NewTime(created)
		done := created.Add(time.Minute)
		j.Status.Active = 0
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(done)}}
		j.Status.CompletionTime = ptr.To(metav1.NewTime(done))
		return j
	}
	const claim = "an earlier CronJob of the same name most likely ran this time"
	t.Run("made after the CronJob's creation", func(t *testing.T) {
		whyCase{now: now, at: "2027-02-20T02:30:00-05:00",
			objs:        []runtime.Object{cj, orphan(at(8, 0, 16), false), lease("steadycron-0", now)},
			verdict:     VerdictBeforeCreation,
			notContains: []string{claim}}.check(t)
	})
	t.Run("control: orphan of an earlier CronJob, made at the time", func(t *testing.T) {
		whyCase{now: now, at: "2027-02-20T02:30:00-05:00",
			objs:     []runtime.Object{cj, orphan(s.Add(10*time.Millisecond), true), lease("steadycron-0", now)},
			verdict:  VerdictBeforeCreation,
			contains: []string{claim}}.check(t)
	})
}

// preAnnotationJob18o is the Job of scheduled time s as kube-controller-manager
// made it before batch.kubernetes.io/cronjob-scheduled-timestamp existed
// (KEP-4026: beta, on by default, in 1.28; GA in 1.32): before 1.28, or
// 1.28-1.31 with the CronJobsScheduledAnnotation gate off. Its name is
// NAME-<minutes of s>, the CronJob its controller, no annotation of its own:
// no cronjob.kubernetes.io/instantiate, no scheduled timestamp. Such Jobs
// are left on an upgraded cluster (a daily or monthly CronJob's history,
// a Job still running), and are every Job on a cluster still on such a
// version.
func preAnnotationJob18o(cj *batchv1.CronJob, s time.Time, finished time.Duration) *batchv1.Job {
	j := stockJob(cj, s, finished)
	delete(j.Annotations, batchv1.CronJobScheduledTimestampAnnotation)
	return j
}

// TestReview18oPreAnnotationJobUnderTheStockForbid (HIGH): the stock
// controller runs a Forbid CronJob "0 * * * *"; its 09:00 Job, created by a
// kube-controller-manager that writes no scheduled-timestamp annotation, is
// still running at 12:00 and is in status.active, so the controller held
// 10:00 and 11:00 (it counts the Jobs of status.active, whatever their
// annotations). next says so ("held: concurrencyPolicy is Forbid and Job
// report-30086700 is active"). why --at 10:00 takes the Job for one made by
// hand (isManual: no scheduled-timestamp), which runningAt leaves out under
// the stock controller, and answers NoDecisionOnRecord: "No Job and no event
// for this time ... is a CronJob controller running?". Expected (control:
// the same Job with the annotation): Skipped (concurrencyPolicy), Job
// report-30086700 still running.
func TestReview18oPreAnnotationJobUnderTheStockForbid(t *testing.T) {
	for name, annotated := range map[string]bool{"without the annotation": false, "control: with the annotation": true} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
			})
			running := stockJob(cj, at(9, 0, 16), 0)
			earlier := stockJob(cj, at(8, 0, 16), 5*time.Minute)
			if !annotated {
				running, earlier = preAnnotationJob18o(cj, at(9, 0, 16), 0), preAnnotationJob18o(cj, at(8, 0, 16), 5*time.Minute)
			}
			cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", APIVersion: "batch/v1", Namespace: ns, Name: running.Name, UID: running.UID}}
			whyCase{now: at(12, 0, 16), at: "2027-03-16T10:00:00-04:00",
				objs:     []runtime.Object{cj, earlier, running},
				verdict:  VerdictSkipped,
				reason:   "concurrencyPolicy",
				contains: []string{running.Name}}.check(t)
		})
	}
}

// TestReview18oPreAnnotationJobUnderSteadycron (HIGH): steadycron leads
// now; the Jobs of the 14th and 15th were made by the cluster's earlier
// controller, which wrote no scheduled-timestamp annotation (see
// preAnnotationJob18o), the 16th's by steadycron. why --at 15th 02:30:
// "Skipped (nameConflict): Job report-30084870, the name of this time's Job,
// was made by hand or by a tool such as k9s's trigger ..., so the controller
// could not create the time's Job". The time ran, as that very Job (created
// at 02:30:00.01, the CronJob its controller, no instantiate annotation);
// steadycron's own nameConflict takes such a Job for the time's ("controllers
// before the annotation was added wrote none", pkg/controller/cronjob
// utils.go). Expected (control: the Job with the annotation): Ran as Job
// report-30084870.
func TestReview18oPreAnnotationJobUnderSteadycron(t *testing.T) {
	for name, annotated := range map[string]bool{"without the annotation": false, "control: with the annotation": true} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
			})
			now := at(9, 0, 16)
			older := func(s time.Time) *batchv1.Job {
				if annotated {
					return stockJob(cj, s, 5*time.Minute)
				}
				return preAnnotationJob18o(cj, s, 5*time.Minute)
			}
			whyCase{now: now, at: "2027-03-15T02:30:00-04:00",
				objs: []runtime.Object{cj, older(at(2, 30, 14)), older(at(2, 30, 15)),
					job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false), lease("steadycron-0", now)},
				verdict:     VerdictRan,
				contains:    []string{"report-30084870"},
				notContains: []string{"made by hand"}}.check(t)
		})
	}
}

// TestReview18oPreAnnotationJobsCalledManual (MED): on a cluster whose
// stock controller writes no scheduled-timestamp annotation (see
// preAnnotationJob18o), status lists every run of the CronJob as SCHEDULED
// "manual", and why of the latest time says "Ran as Job report-30086310:
// Job report-30086310 ... was made by hand or by a tool such as k9s's
// trigger ...": the verdict is right, the story is not; every Job there is
// named NAME-<minutes of its time>, which the controller made. Expected
// (control: the same Jobs with the annotation): the times, and no "made by
// hand".
func TestReview18oPreAnnotationJobsCalledManual(t *testing.T) {
	for name, annotated := range map[string]bool{"without the annotation": false, "control: with the annotation": true} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
			})
			var objs []runtime.Object
			objs = append(objs, cj)
			for _, day := range []int{14, 15, 16} {
				if annotated {
					objs = append(objs, stockJob(cj, at(2, 30, day), 5*time.Minute))
				} else {
					objs = append(objs, preAnnotationJob18o(cj, at(2, 30, day), 5*time.Minute))
				}
			}
			now := at(9, 0, 16)
			whyCase{now: now, objs: objs, verdict: VerdictRan, notContains: []string{"made by hand"}}.check(t)
			o, out := newTestOptions(now, objs...)
			assert.NoError(t, execute(t, o, "status", "report"))
			assert.NotContains(t, out.String(), "manual ", "status: Last runs")
		})
	}
}

// TestReview18oDeadlineWrittenAfterTheTime (MED): a daily "30 2 * * *"
// without a startingDeadlineSeconds until someone set 300 at 08:00 (kubectl
// edit, metadata.managedFields); steadycron leads; the 15th ran, the 16th's
// 02:30 has no Job and no event (events expire after an hour). why says
// "Skipped, most likely past its starting deadline: ... a controller whose
// first look at this time comes more than 300s after it leaves it out",
// with "startingDeadlineSeconds is 300" as evidence. At 02:30 the CronJob had
// no deadline: a controller that looked at the time late still ran it, up
// to the next time (docs/semantics.md); only one that first looked after
// 08:00, five and a half hours late, could have left it out for the
// deadline. why reads managedFields for spec.suspend, spec.schedule,
// spec.timeZone and spec.concurrencyPolicy, never for
// spec.startingDeadlineSeconds. Expected: the answer says the deadline was
// written after the time (not a confident missedDeadline from today's
// value). Control: the deadline written at the creation.
func TestReview18oDeadlineWrittenAfterTheTime(t *testing.T) {
	for name, written := range map[string]time.Time{"written after the time": at(8, 0, 16), "control: written at the creation": time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(written)),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:startingDeadlineSeconds":{}}}`)},
				}}
			})
			now := at(9, 0, 16)
			tc := whyCase{now: now,
				objs:      []runtime.Object{cj, job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, 5*time.Minute, false), lease("steadycron-0", now)},
				scheduled: "2027-03-16T06:30:00Z"}
			got := whyJSON(t, tc.now, "report", "", tc.objs...)
			if written.After(at(2, 30, 16)) {
				assert.Contains(t, got.Explanation+strings.Join(got.Evidence, "\n"), "startingDeadlineSeconds was last written", "%s (%s): %s", got.Verdict, got.Reason, got.Explanation)
				return
			}
			assert.Equal(t, VerdictSkipped, got.Verdict)
			assert.Equal(t, "missedDeadline", got.Reason)
		})
	}
}

// TestReview18oHistoryLimitRaisedAfterTheTime (HIGH): an hourly CronJob kept
// no successful Job (successfulJobsHistoryLimit: 0) until 08:30, when
// someone raised the limit to 3 (kubectl edit, metadata.managedFields).
// 07:00 ran, and its Job was deleted as soon as the controller saw it
// finish; 09:00's Job is kept; status.lastScheduleTime is 09:00; the events
// of 07:00 expired. why --at 07:00 judges by today's limit (jobMayBeGone:
// 1 successful later Job kept, under a limit of 3, so a Job of 07:00 would
// still be there) and answers Skipped (missedDeadline), "most likely past
// its starting deadline": a confident wrong cause for a time that ran.
// Expected: Unknown (the Job of 07:00 may have been deleted under the limit
// that held then: successfulJobsHistoryLimit was last written after the
// time), as for the same history under a limit of 0 today. Control: the
// limit 3 written at the creation, where Skipped is the plugin's answer.
func TestReview18oHistoryLimitRaisedAfterTheTime(t *testing.T) {
	for name, written := range map[string]time.Time{"raised after the time": at(8, 30, 16), "control: set at the creation": time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(written)),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:successfulJobsHistoryLimit":{}}}`)},
				}}
			})
			now := at(9, 30, 16)
			got := whyJSON(t, now, "report", "2027-03-16T07:00:00-04:00", cj,
				job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false), lease("steadycron-0", now))
			if written.After(at(7, 0, 16)) {
				assert.Equal(t, VerdictUnknown, got.Verdict, "%s (%s): %s", got.Verdict, got.Reason, got.Explanation)
				return
			}
			assert.Equal(t, VerdictSkipped, got.Verdict, "%s (%s): %s", got.Verdict, got.Reason, got.Explanation)
		})
	}
}

// TestReview18oJobOfTheTimeUnderAZoneTheControllerCannotLoad (MED): the
// 02:30 Job of the 16th ran and is on the cluster (status.lastScheduleTime
// is 02:30, status lists the run). At 08:00 spec.timeZone was set to a zone
// the controller cannot load (the API server validates the name against its
// own tzdata, which can be newer than the controller's: a zone added since,
// such as Europe/Kyiv or America/Ciudad_Juarez for a controller built with
// older tzdata; the fake client stores any name). why --at 02:30 answers
// "CannotEvaluate (invalidTimeZone): ... it runs nothing until the CronJob
// is fixed" and names no Job: explain parses the schedule first and returns,
// before its own rule "A Job of the CronJob for the time asked about is what
// happened, whatever the schedule says now". Expected: Ran as Job
// report-30086310 (with a note that the current zone cannot be evaluated).
// Control: the zone valid.
func TestReview18oJobOfTheTimeUnderAZoneTheControllerCannotLoad(t *testing.T) {
	for name, zone := range map[string]string{"zone the controller cannot load": "America/NewYork", "control: valid zone": "America/New_York"} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
			})
			j := job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)
			cj.Spec.TimeZone = ptr.To(zone)
			cj.ManagedFields = []metav1.ManagedFieldsEntry{{
				Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(8, 0, 16))),
				FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:timeZone":{}}}`)},
			}}
			now := at(9, 0, 16)
			whyCase{now: now, at: "2027-03-16T02:30:00-04:00",
				objs:     []runtime.Object{cj, j, lease("steadycron-0", now)},
				verdict:  VerdictRan,
				contains: []string{j.Name}}.check(t)
		})
	}
}

// TestReview18oMissingJobEventIgnored (MED): the hourly 09:00 Job was
// created (SuccessfulCreate) and deleted while it ran by a user or a tool
// at 09:10; the controller, finding a Job of status.active gone, recorded
// "MissingJob: Active job went missing: report-30086700" (both controllers:
// upstream cronjob_controllerv2.go and steadycron's). No SawCompletedJob,
// no SuccessfulDelete; no TTL; asked at 09:30. Observed: "Ran as Job
// report-30086700 (the controller's events name it); the Job is gone: no
// event says who deleted it: a history limit whose event expired, or a
// user. Its result and start are not known." pkg/plugin never reads
// MissingJob. A history limit deletes only Jobs the controller saw finish,
// records SuccessfulDelete, and its event could not have expired 20 minutes
// on. Expected: the answer cites the MissingJob event: the Job was deleted
// while the controller counted it active, not by the controller, and (no TTL)
// before it finished. Control: without the MissingJob event, "no event says
// who deleted it" is all there is.
func TestReview18oMissingJobEventIgnored(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
	})
	now := at(9, 30, 16)
	name := cj.Name + "-" + itoa(at(9, 0, 16).Unix()/60)
	created := event(cj, "Normal", "SuccessfulCreate", "Created job "+name, at(9, 0, 16), at(9, 0, 16), 1)
	missing := event(cj, "Normal", "MissingJob", "Active job went missing: "+name, at(9, 10, 16), at(9, 10, 16), 1)
	t.Run("MissingJob recorded", func(t *testing.T) {
		got := whyJSON(t, now, "report", "", cj, lease("steadycron-0", now), created, missing)
		assert.Equal(t, VerdictRan, got.Verdict)
		assert.Contains(t, got.Explanation+strings.Join(got.Evidence, "\n"), "went missing", got.Explanation)
		assert.NotContains(t, got.Explanation, "a history limit whose event expired")
	})
	t.Run("control: no MissingJob event", func(t *testing.T) {
		got := whyJSON(t, now, "report", "", cj, lease("steadycron-0", now), created)
		assert.Equal(t, VerdictRan, got.Verdict)
		assert.Contains(t, got.Explanation, "no event says who deleted it")
	})
}

// TestReview18oOrphanedRunOfTheTime (HIGH): a user keeps the failed 07:00
// Job of an hourly CronJob for debugging by removing its ownerReferences (so
// that failedJobsHistoryLimit does not delete it: kubectl patch job ...
// --type=json -p '[{"op":"remove","path":"/metadata/ownerReferences"}]');
// steadycron then drops it from status.active with InvalidActiveJob ("no
// longer controlled by this cronjob"). 08:00 and 09:00 ran. The Job still
// carries the controller's annotations for 07:00 (scheduled timestamp,
// expected-start) and was created at 07:00:00.01. Observed why --at 07:00:
// "Skipped (nameConflict): Job report-30086580, the name of this time's
// Job, belongs to something else": the time ran, as that very Job, which
// failed. Expected: Ran (Failed), the Job named, with a note that it is no
// longer the CronJob's. Control: the Job still controlled by the CronJob.
// The same Job asked about while status.lastScheduleTime is still 07:00
// (subtest "the latest time") is answered "Ran: ... its Job report-30086580
// is gone ..., so its start is not known", with the Job on the cluster and
// its result (Failed) readable.
func TestReview18oOrphanedRunOfTheTime(t *testing.T) {
	for name, orphaned := range map[string]bool{"owner reference removed": true, "control: still controlled": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
			})
			now := at(9, 30, 16)
			failed := job(cj, at(7, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, true)
			if orphaned {
				failed.OwnerReferences = nil
			}
			whyCase{now: now, at: "2027-03-16T07:00:00-04:00",
				objs: []runtime.Object{cj, failed,
					job(cj, at(8, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
					job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
					lease("steadycron-0", now)},
				verdict:  VerdictRan,
				contains: []string{failed.Name}}.check(t)
		})
	}
	t.Run("owner reference removed, the latest time", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(7, 0, 16)))
		})
		now := at(7, 30, 16)
		failed := job(cj, at(7, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, true)
		failed.OwnerReferences = nil
		whyCase{now: now, objs: []runtime.Object{cj, failed, lease("steadycron-0", now)},
			verdict: VerdictRan, notContains: []string{"is gone"}}.check(t)
	})
}
