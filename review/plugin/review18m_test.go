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
	"bytes"
	"encoding/json"
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

// Review 18m. Copy this file into pkg/plugin and run
//   go test -tags review ./pkg/plugin/ -run TestReview18m -v
// Each test has a control case (a "control" subtest) that passes.

// k9sJob18m is a Job as k9s's "trigger" (t on a CronJob) makes it
// (derailed/k9s internal/dao/cronjob.go Run, recent versions): name
// NAME-manual-<3 random>,
// the CronJob as its controller, the template's annotations only: no
// cronjob.kubernetes.io/instantiate: manual. A person made it, not a
// controller.
func k9sJob18m(cj *batchv1.CronJob, created time.Time) *batchv1.Job {
	j := manualJob(cj, created)
	j.Name, j.GenerateName, j.UID = "report-manual-q7z", "", "k9s-1"
	delete(j.Annotations, instantiateAnnotation)
	return j
}

// kubectlJob18m is the same run made with kubectl create job --from (or
// kubectl cronjob run): cronjob.kubernetes.io/instantiate: manual.
func kubectlJob18m(cj *batchv1.CronJob, created time.Time) *batchv1.Job {
	j := manualJob(cj, created)
	j.Name = "report-by-hand"
	return j
}

// TestReview18mK9sTriggerTakenForTheController (HIGH): steadycron runs
// without leader election (no Lease; its Jobs carry
// steadycron.io/expected-start). Someone triggers the CronJob from k9s at
// 13:30; the Job runs. The plugin takes that Job, which has no instantiate
// annotation, for the CronJob's latest *scheduled* Job, sees no
// expected-start on it, and concludes that steadycron is not running and the
// stock controller runs the CronJob: why's Controller note says "steadycron
// is not running here", and run --force warns that the next time "starts
// beside it", when steadycron adopts the Job and holds the next time. The
// same run made with kubectl create job --from (control) is judged right.
func TestReview18mK9sTriggerTakenForTheController(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(13, 0, 16)))
	})
	now := at(14, 30, 16)
	for name, made := range map[string]func(*batchv1.CronJob, time.Time) *batchv1.Job{"k9s": k9sJob18m, "control kubectl": kubectlJob18m} {
		t.Run(name, func(t *testing.T) {
			byHand := made(cj, at(13, 30, 16))
			byHand.Status.Active = 1
			objs := []runtime.Object{cj, byHand,
				job(cj, at(12, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
				job(cj, at(13, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
				event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(14, 0, 16), at(14, 0, 16), 1)}
			got := whyJSON(t, now, "report", "", objs...)
			assert.Contains(t, got.Controller.Note, "without leader election", "why: Controller note")
			assert.NotContains(t, got.Controller.Note, "steadycron is not running here", "why: Controller note")

			o, _ := newTestOptions(now, objs...)
			nameGenerated(o)
			require.NoError(t, execute(t, o, "run", "report", "--force"))
			warnings := o.ErrOut.(*bytes.Buffer).String()
			assert.Contains(t, warnings, "steadycron counts Job", "run --force: warning")
			assert.NotContains(t, warnings, "starts beside it", "run --force: warning")
		})
	}
}

// TestReview18mK9sTriggerUnderTheStockForbid (HIGH): the stock controller
// (no Lease, its Jobs without expected-start) runs a Forbid CronJob "0 * * *
// *" with successfulJobsHistoryLimit 1. A k9s trigger ran 10:55-12:20. The
// stock controller does not count a Job it did not create as active
// (UnexpectedJob, left out of status.active), whatever its annotations, so
// it ran 11:00 and 12:00, whose Jobs the history limit deleted since. For a
// kubectl-made Job (control) why --at 11:00 says Unknown (a Job of the time
// would have been deleted since, TestWhyManualJobUnderTheStockController);
// for the k9s Job, which lacks the instantiate annotation, it says Forbid
// skipped 11:00 because report-manual-q7z was running: a confident wrong
// verdict.
func TestReview18mK9sTriggerUnderTheStockForbid(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](1)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(13, 0, 16)))
	})
	now := at(14, 30, 16)
	for name, made := range map[string]func(*batchv1.CronJob, time.Time) *batchv1.Job{"k9s": k9sJob18m, "control kubectl": kubectlJob18m} {
		t.Run(name, func(t *testing.T) {
			byHand := made(cj, at(10, 55, 16))
			byHand.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at(12, 20, 16))}}
			byHand.Status.CompletionTime = ptr.To(metav1.NewTime(at(12, 20, 16)))
			whyCase{now: now, at: "2027-03-16T11:00:00-04:00",
				objs:    []runtime.Object{cj, byHand, stockJob(cj, at(13, 0, 16), 5*time.Minute)},
				verdict: VerdictUnknown, notVerdicts: []string{VerdictSkipped},
				contains: []string{"successfulJobsHistoryLimit is 1"}}.check(t)
		})
	}
}

// TestReview18mRunSuspendedForbidUnderTheStockController (MED): run on a
// suspended Forbid CronJob that the stock controller runs (no Lease) prints
// "is suspended: ... its scheduled times stay suspended" and then "the
// CronJob's next scheduled time, 2027-03-17T02:30 ... starts beside it if it
// still runs then": the second warning contradicts the first; no scheduled
// time starts while the CronJob is suspended. Replace (control) leaves that
// warning out when suspended.
func TestReview18mRunSuspendedForbidUnderTheStockController(t *testing.T) {
	for name, policy := range map[string]batchv1.ConcurrencyPolicy{"Forbid": batchv1.ForbidConcurrent, "control Replace": batchv1.ReplaceConcurrent} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = policy
				cj.Spec.Suspend = ptr.To(true)
			})
			o, _ := newTestOptions(at(9, 0, 16), cj)
			nameGenerated(o)
			require.NoError(t, execute(t, o, "run", "report"))
			warnings := o.ErrOut.(*bytes.Buffer).String()
			assert.Contains(t, warnings, "is suspended: Job report-x7k2p runs anyway")
			assert.NotContains(t, warnings, "starts beside it", "a suspended CronJob starts no scheduled time")
		})
	}
}

// TestReview18mSuspendedNoteWithoutADeadline (MED): a CronJob without
// startingDeadlineSeconds, suspended since 2027-03-14. next and status note
// every time "suspended: runs only if the CronJob is resumed by then". But a
// resume is a catch-up (docs/semantics.md "Suspend and resume"): resumed on
// the 17th at 10:00, the 02:30 time of that day runs at once, and why says
// so itself ("Resuming it runs the most recent scheduled time", the
// control). The note tells the user that a later resume leaves the time
// alone; it runs a surprise catch-up.
func TestReview18mSuspendedNoteWithoutADeadline(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.Suspend = ptr.To(true)
		cj.Spec.StartingDeadlineSeconds = nil
		cj.ManagedFields = managedSuspend("kubectl-patch", at(12, 0, 14))
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 14)))
	})
	objs := []runtime.Object{cj, lease("steadycron-0", at(9, 0, 16)), job(cj, at(2, 30, 14), 0, time.Second, time.Minute, false)}
	now := at(9, 0, 16)
	t.Run("control why", func(t *testing.T) {
		whyCase{now: now, objs: objs, verdict: VerdictSkipped, reason: "suspended", contains: []string{"Resuming it runs the most recent scheduled time"}}.check(t)
	})
	t.Run("next", func(t *testing.T) {
		o, out := newTestOptions(now, objs...)
		require.NoError(t, execute(t, o, "next", "report", "--count", "1", "-o", "json"))
		var next NextTimes
		require.NoError(t, json.Unmarshal(out.Bytes(), &next))
		require.Len(t, next.Times, 1)
		assert.NotContains(t, next.Times[0].Note, "runs only if the CronJob is resumed by then",
			"without a deadline a resume after %s still runs it (a catch-up)", next.Times[0].Time)
	})
}

// TestReview18mStockMissedTimesCount (MED): the stock controller (v1.37.2
// mostRecentScheduleTime) counts missed times by an approximation: the gap
// between the first two times after status.lastScheduleTime times the
// elapsed time. For "*/5 9-17 * * *" with lastScheduleTime 17:55 on the
// 16th and kube-controller-manager down until 20:00 on the 17th, its
// potentialEarliest lands at 19:55 on the 17th, Next of it is 09:00 on the
// 18th, and it runs nothing: 17:55 of the 17th is never run, although there
// is no deadline and steadycron (patch 0001, exact) would run it at 20:00.
// No event either (TooManyMissedTimes is only recorded with a time). The
// plugin, which computes the stock controller's times by stepping robfig's
// Next exactly, answers NoDecisionOnRecord "is a CronJob controller
// running?", beside the stock controller's own Job, and never says that the
// stock controller will not run this time. Control: the same history under
// steadycron (its Lease held, its Job with expected-start), whose count is
// exact: no Job of 17:55 there is a NoDecisionOnRecord.
func TestReview18mStockMissedTimesCount(t *testing.T) {
	for name, steadycron := range map[string]bool{"stock": false, "control steadycron": true} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "*/5 9-17 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(17, 55, 16)))
			})
			now := at(20, 5, 17)
			objs := []runtime.Object{cj, stockJob(cj, at(17, 55, 16), time.Minute)}
			if steadycron {
				objs = []runtime.Object{cj, job(cj, at(17, 55, 16), 0, time.Second, time.Minute, false), lease("steadycron-0", now)}
			}
			got := whyJSON(t, now, "report", "", objs...)
			if steadycron {
				assert.Equal(t, VerdictNoDecision, got.Verdict, got.Explanation)
				return
			}
			require.NotNil(t, got.Scheduled)
			assert.Equal(t, "2027-03-17T21:55:00Z", got.Scheduled.UTC)
			assert.NotContains(t, got.Explanation, "is a CronJob controller running?", "the stock controller's own Job shows it runs")
			assert.True(t, strings.Contains(got.Explanation, "stock") && strings.Contains(got.Explanation, "never"),
				"want the answer to say the stock controller never runs this time (its missed-times count steps over it); got %s: %s", got.Verdict, got.Explanation)
		})
	}
}

// TestReview18mK9sTriggerAfterTheLeaseExpired (HIGH): steadycron stopped
// (its Lease last renewed 08:20, expired since) and nothing else runs the
// CronJob "0 * * * *". At 09:30 someone triggers it from k9s to make up for
// 09:00. why at 10:05 (the 10:00 time): for the kubectl-made Job (control) it
// says "no controller was leading when it came" and the Controller note
// "nothing decides on scheduled times". For the k9s Job, which lacks the
// instantiate annotation, the plugin takes it for a controller's Job created
// after the Lease expired and says "another CronJob controller
// (kube-controller-manager's?) runs it", and the explanation even says
// "steadycron's Lease is held by steadycron-0": the user is told a
// controller runs the CronJob when none does.
func TestReview18mK9sTriggerAfterTheLeaseExpired(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
	})
	now := at(10, 5, 16)
	for name, made := range map[string]func(*batchv1.CronJob, time.Time) *batchv1.Job{"k9s": k9sJob18m, "control kubectl": kubectlJob18m} {
		t.Run(name, func(t *testing.T) {
			byHand := made(cj, at(9, 30, 16))
			byHand.Status.Active = 1
			whyCase{now: now, objs: []runtime.Object{cj, byHand, job(cj, at(8, 0, 16), 0, time.Second, time.Minute, false), lease("steadycron-0", at(8, 20, 16))},
				verdict: VerdictNoDecision, contains: []string{"no controller was leading"}, notContains: []string{"Lease is held"},
				noteContains: "nothing decides", noteNotContains: "another CronJob controller"}.check(t)
		})
	}
}

// TestReview18mExpiredLeaseSaidHeldInTheExplanation (LOW): steadycron's
// Lease was last renewed at 08:20 and expired since; stock
// kube-controller-manager took over (its Job of 09:00, without
// expected-start, created after the expiry). No Job and no event for 10:00:
// why's explanation ends "steadycron's Lease is held by steadycron-0, last
// renewed 2027-03-16T12:20:00Z." while the Controller line says the Lease
// expired (review 18g fixed that line, not this sentence). Control: the
// Lease renewed now, where "held by" is right.
func TestReview18mExpiredLeaseSaidHeldInTheExplanation(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
	})
	now := at(10, 5, 16)
	t.Run("expired", func(t *testing.T) {
		whyCase{now: now, objs: []runtime.Object{cj, stockJob(cj, at(9, 0, 16), time.Minute), lease("steadycron-0", at(8, 20, 16))},
			verdict: VerdictNoDecision, notContains: []string{"Lease is held by"}}.check(t)
	})
	t.Run("control held", func(t *testing.T) {
		whyCase{now: now, objs: []runtime.Object{cj, job(cj, at(9, 0, 16), 0, time.Second, time.Minute, false), lease("steadycron-0", now)},
			verdict: VerdictNoDecision, contains: []string{"Lease is held by steadycron-0"}}.check(t)
	})
}

// TestReview18mRunForceNamesTheNextTimeNotTheHeldOne (MED): a Forbid
// CronJob "0 * * * *" under steadycron; the Job of 09:00 still runs at
// 10:05, so 10:00 is held (next lists it first: "held: ... the controller
// runs this time as soon as it ends"). run --force adds a manual Job that
// steadycron adopts; the warning says "the CronJob's next scheduled time,
// 11:00 ... does not start while it runs", but the time the manual run holds
// first is 10:00, which would have started when the 09:00 Job ended and now
// waits for the manual Job too. Control: no Job active, no held time: the
// warning names 11:00, rightly.
func TestReview18mRunForceNamesTheNextTimeNotTheHeldOne(t *testing.T) {
	now := at(10, 5, 16)
	for name, held := range map[string]bool{"held": true, "control nothing held": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
			})
			blocker := job(cj, at(9, 0, 16), 0, time.Second, 0, false)
			want := "next scheduled time, 2027-03-16T11:00:00-04:00"
			if held {
				cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Name: blocker.Name, Namespace: ns, UID: blocker.UID}}
				want = "2027-03-16T10:00:00-04:00"
			} else {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
				blocker = job(cj, at(10, 0, 16), 0, time.Second, time.Minute, false)
			}
			o, _ := newTestOptions(now, cj, blocker, lease("steadycron-0", now))
			nameGenerated(o)
			require.NoError(t, execute(t, o, "run", "report", "--force"))
			assert.Contains(t, o.ErrOut.(*bytes.Buffer).String(), want)
		})
	}
}

// TestReview18mLastSuccessfulTimeIgnored (MED): a CronJob with both history
// limits 0 (its Jobs deleted once the controller sees them finished) ran
// 02:30; the events expired. status.lastSuccessfulTime, which both
// controllers set to the completion time of the latest Job that succeeded,
// says whether that run completed: 02:31 (after the time: it completed), or
// yesterday's 02:31 (before it, and nothing active: it did not complete).
// why answers the same for both: "its result and start are not known",
// never reading status.lastSuccessfulTime: the question "did last night's
// run work?" goes unanswered though the CronJob answers it. Control: the
// Job kept (history limit 1), the result is given.
func TestReview18mLastSuccessfulTimeIgnored(t *testing.T) {
	sched := at(2, 30, 16)
	now := at(9, 0, 16)
	for name, succeeded := range map[string]time.Time{"completed": sched.Add(time.Minute), "did not complete": sched.Add(-24*time.Hour + time.Minute)} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](0)
				cj.Spec.FailedJobsHistoryLimit = ptr.To[int32](0)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched))
				cj.Status.LastSuccessfulTime = ptr.To(metav1.NewTime(succeeded))
			})
			whyCase{now: now, objs: []runtime.Object{cj, lease("steadycron-0", now)}, verdict: VerdictRan,
				contains: []string{"lastSuccessfulTime"}}.check(t)
		})
	}
	t.Run("control Job kept", func(t *testing.T) {
		cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched))
		})
		whyCase{now: now, objs: []runtime.Object{cj, lease("steadycron-0", now), job(cj, sched, 0, time.Second, time.Minute, false)},
			verdict: VerdictRan, contains: []string{"complete"}}.check(t)
	})
}

// TestReview18mTemplateCarriesTheManualAnnotation (MED): a CronJob whose
// jobTemplate.metadata.annotations has cronjob.kubernetes.io/instantiate:
// manual (its manifest made from kubectl get job -o yaml of a Job made with
// kubectl create job --from). Both controllers copy the template's
// annotations onto every Job they create, so the controller's Job of 02:30,
// report-30086310, carries it beside steadycron.io/expected-start and
// batch.kubernetes.io/cronjob-scheduled-timestamp. why says "its Job
// report-30086310 is gone ... The Job report-30086310 there now was made by
// hand ... a rerun under the time's name" of the very Job that ran the time,
// status lists it as "manual", and lint says nothing of the annotation.
// Control: the template without it: "Ran as Job report-30086310".
func TestReview18mTemplateCarriesTheManualAnnotation(t *testing.T) {
	now := at(9, 0, 16)
	for name, inTemplate := range map[string]bool{"in the template": true, "control": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
				if inTemplate {
					cj.Spec.JobTemplate.Annotations = map[string]string{instantiateAnnotation: "manual"}
				}
			})
			j := job(cj, at(2, 30, 16), 0, time.Second, time.Minute, false)
			if inTemplate {
				j.Annotations[instantiateAnnotation] = "manual" // copied by the controller
			}
			whyCase{now: now, objs: []runtime.Object{cj, j, lease("steadycron-0", now)}, verdict: VerdictRan,
				contains: []string{"Ran as Job report-30086310"}, notContains: []string{"is gone", "made by hand"}}.check(t)
		})
	}
}

// TestReview18mCronJobBeingDeleted (HIGH): kubectl delete cronjob report
// --cascade=foreground at 01:00 on the 16th, while the pod of its Job of the
// 15th is stuck Terminating on a lost node: the CronJob keeps
// metadata.deletionTimestamp (finalizer foregroundDeletion) until its Jobs
// are gone. Both controllers (upstream syncCronJob and steadycron) do
// nothing for a CronJob being deleted but update its status: 02:30 on the
// 16th never runs, nor any later time. why at 09:00 answers "Skipped, most
// likely past its starting deadline" (a controller that came late), and
// next lists the coming times without a word: the plugin never reads the
// CronJob's deletionTimestamp. Expected: the cause (being deleted since
// 01:00) and no next times (or each noted). Control: the same CronJob not
// being deleted, where missedDeadline is the plugin's best reading.
func TestReview18mCronJobBeingDeleted(t *testing.T) {
	now := at(9, 0, 16)
	for name, deleting := range map[string]bool{"being deleted": true, "control": false} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
				if deleting {
					cj.DeletionTimestamp = ptr.To(metav1.NewTime(at(1, 0, 16)))
					cj.Finalizers = []string{metav1.FinalizerDeleteDependents}
				}
			})
			objs := []runtime.Object{cj, lease("steadycron-0", now), job(cj, at(2, 30, 15), 0, time.Second, 0, false)}
			got := whyJSON(t, now, "report", "", objs...)
			if !deleting {
				assert.Equal(t, "missedDeadline", got.Reason, "%s: %s", got.Verdict, got.Explanation)
				return
			}
			assert.NotEqual(t, "missedDeadline", got.Reason, "%s: %s", got.Verdict, got.Explanation)
			assert.Contains(t, got.Explanation, "deleted", "why should name the deletion")

			o, out := newTestOptions(now, objs...)
			require.NoError(t, execute(t, o, "next", "report", "--count", "1", "-o", "json"))
			var next NextTimes
			require.NoError(t, json.Unmarshal(out.Bytes(), &next))
			for _, nt := range next.Times {
				assert.Contains(t, nt.Note, "deleted", "next time %s of a CronJob being deleted", nt.Time)
			}
		})
	}
}

// TestReview18mJobWithoutPodsByDesign (MED): an unfinished Job of the time
// with no pod, a minute and more after its creation, is explained as "It has
// no pod, ... no warning of the Job says why", and the Job spec that says
// why is not read: spec.managedBy names another controller (MultiKueue,
// "kueue.x-k8s.io/multikueue": the built-in Job controller leaves the Job
// alone and its pods run in a worker cluster), or spec.parallelism is 0 (a
// Job paused by the old way: no pod until it is raised). Control: a Job
// without either, where "no warning of the Job says why" is all there is.
func TestReview18mJobWithoutPodsByDesign(t *testing.T) {
	now := at(2, 40, 16)
	for name, tc := range map[string]struct {
		mutate func(*batchv1.JobSpec)
		want   string
	}{
		"managedBy MultiKueue": {mutate: func(s *batchv1.JobSpec) { s.ManagedBy = ptr.To("kueue.x-k8s.io/multikueue") }, want: "managedBy"},
		"parallelism 0":        {mutate: func(s *batchv1.JobSpec) { s.Parallelism = ptr.To[int32](0) }, want: "parallelism"},
		"control":              {want: "no warning of the Job says why"},
	} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
				if tc.mutate != nil {
					tc.mutate(&cj.Spec.JobTemplate.Spec)
				}
			})
			j := job(cj, at(2, 30, 16), 0, 0, 0, false)
			j.Status.Active = 0
			whyCase{now: now, objs: []runtime.Object{cj, j, lease("steadycron-0", now)}, verdict: VerdictRunning,
				contains: []string{tc.want}}.check(t)
		})
	}
}

// lintChecks18m runs lint report -o json at now and returns its checks.
func lintChecks18m(t *testing.T, now time.Time, objs ...runtime.Object) []string {
	t.Helper()
	o, out := newTestOptions(now, objs...)
	_ = execute(t, o, "lint", "report", "-o", "json") // exit status 1 on error findings
	var report LintReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &report), out.String())
	var checks []string
	for _, f := range report.Findings {
		checks = append(checks, f.Check)
	}
	return checks
}

// TestReview18mLintMissesTheSameRiskByAnotherField (LOW): lint reports a
// risk when one field sets it and not when another field sets the same:
//   - no-history: successfulJobsHistoryLimit 0 is "successful Jobs are
//     deleted at once, with the evidence of when they ran" (control); a
//     jobTemplate ttlSecondsAfterFinished of 0 deletes every Job, failed
//     ones too, the moment it finishes, and gets no finding;
//   - forbid-without-active-deadline: Forbid without activeDeadlineSeconds
//     is "a hung run blocks every later run" (control), with the fix "set
//     activeDeadlineSeconds below the schedule's period"; Forbid with an
//     activeDeadlineSeconds of 24 h on an hourly schedule lets a hung run
//     block 23 runs a day, and gets no finding until a Job has run that
//     long (forbid-longer-than-period).
func TestReview18mLintMissesTheSameRiskByAnotherField(t *testing.T) {
	now := at(9, 0, 16)
	t.Run("control history limit 0", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) { cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](0) })
		assert.Contains(t, lintChecks18m(t, now, cj), "no-history")
	})
	t.Run("ttlSecondsAfterFinished 0", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) { cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](0) })
		assert.Contains(t, lintChecks18m(t, now, cj), "no-history")
	})
	t.Run("control Forbid without activeDeadlineSeconds", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = nil
		})
		assert.Contains(t, lintChecks18m(t, now, cj), "forbid-without-active-deadline")
	})
	t.Run("Forbid with activeDeadlineSeconds 24 times the period", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = ptr.To[int64](24 * 3600)
		})
		assert.Contains(t, lintChecks18m(t, now, cj), "forbid-without-active-deadline")
	})
}
