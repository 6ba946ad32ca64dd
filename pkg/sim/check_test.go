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

package sim

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	cronjobmetrics "github.com/steadycron/steadycron/pkg/controller/cronjob/metrics"
)

// checkStart is when the hand-built histories begin.
var checkStart = time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)

// checkWorld is a world at checkStart holding one CronJob "* * * * *" in UTC
// with the given policy, known to the model, with no leader.
func checkWorld(t *testing.T, policy batchv1.ConcurrencyPolicy) (*world, *batchv1.CronJob) {
	t.Helper()
	w := newWorld(1, Config{})
	w.start = checkStart
	w.clock.SetTime(checkStart)
	cj := testCronJob("cj")
	cj.Spec.Suspend = nil
	cj.Spec.ConcurrencyPolicy = policy
	obj, err := w.srv.create("cronjobs", cj, "user")
	if err != nil {
		t.Fatal(err)
	}
	cj = obj.(*batchv1.CronJob)
	spec, err := parseCron(cj.Spec.Schedule)
	if err != nil {
		t.Fatal(err)
	}
	w.cjs = append(w.cjs, &cronJobModel{ns: cj.Namespace, name: cj.Name, uid: cj.UID, schedule: cj.Spec.Schedule, spec: spec, loc: time.UTC, created: cj.CreationTimestamp.Time})
	return w, cj
}

// minutes is the instant min minutes after checkStart.
func minutes(min float64) time.Time { return checkStart.Add(time.Duration(min * float64(time.Minute))) }

// scheduledJob is the Job a controller (or, manual, a user) creates for cj;
// minute is the scheduled time in minutes after checkStart.
func scheduledJob(cj *batchv1.CronJob, name string, minute int, manual bool) *batchv1.Job {
	j := testJob(name)
	j.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))}
	if !manual {
		j.Annotations = map[string]string{batchv1.CronJobScheduledTimestampAnnotation: checkStart.Add(time.Duration(minute) * time.Minute).Format(time.RFC3339)}
	} else {
		// as kubectl create job --from (and world.manualJob) mark it
		j.Annotations = map[string]string{"cronjob.kubernetes.io/instantiate": "manual"}
	}
	return j
}

func finish(t *testing.T, w *world, name string) {
	t.Helper()
	o, err := w.srv.get("jobs", "default", name)
	if err != nil {
		t.Fatal(err)
	}
	j := o.(*batchv1.Job)
	j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: batchv1.JobComplete, Status: corev1.ConditionTrue})
	if _, err := w.srv.update("jobs", j, true); err != nil {
		t.Fatal(err)
	}
}

func violationKinds(w *world) []string {
	var kinds []string
	for _, v := range w.violations {
		kinds = append(kinds, findingKind(v))
	}
	sort.Strings(kinds)
	return kinds
}

// acceptedKinds are the class and kind of each accepted finding.
func acceptedKinds(w *world) []string {
	var kinds []string
	for _, v := range w.checks.accepted {
		kinds = append(kinds, findingKind(v))
	}
	sort.Strings(kinds)
	return kinds
}

// TestCheckCreateFlagsViolatingHistories feeds the check of every Job a
// controller creates (checkCreate) hand-built histories: a double run, an
// overlap under Forbid and Replace, and the histories next to them that are
// fine.
func TestCheckCreateFlagsViolatingHistories(t *testing.T) {
	type create struct {
		name   string
		minute int
		manual bool   // created by the user (kubectl create job --from)
		finish bool   // the Job finishes right after it is created
		by     string // "L1" unless manual
		// at: when it is created, after checkStart; lateSent, if set: the
		// create is a late commit of a request sent at checkStart+*lateSent.
		at       time.Duration
		lateSent *time.Duration
	}
	for name, tc := range map[string]struct {
		// spec
		policy batchv1.ConcurrencyPolicy
		// history
		creates []create
		// expectations
		wantKinds []string
	}{
		"one Job per scheduled time is fine": {
			policy:  batchv1.AllowConcurrent,
			creates: []create{{name: "a", minute: 1, finish: true}, {name: "b", minute: 2}},
		},
		"two Jobs for one scheduled time (a double run)": {
			policy:    batchv1.AllowConcurrent,
			creates:   []create{{name: "a", minute: 1, finish: true}, {name: "b", minute: 1}},
			wantKinds: []string{"two Jobs for one scheduled time"},
		},
		"the same time again after a leader change": {
			policy:    batchv1.AllowConcurrent,
			creates:   []create{{name: "a", minute: 1, finish: true}, {name: "b", minute: 1, by: "L2"}},
			wantKinds: []string{"two Jobs for one scheduled time"},
		},
		"Allow: two Jobs at once are fine": {
			policy:  batchv1.AllowConcurrent,
			creates: []create{{name: "a", minute: 1}, {name: "b", minute: 2}},
		},
		"Forbid: a Job while the previous one runs": {
			policy:    batchv1.ForbidConcurrent,
			creates:   []create{{name: "a", minute: 1}, {name: "b", minute: 2}},
			wantKinds: []string{"Forbid: a Job created while another of the CronJob was unfinished"},
		},
		"Forbid: a Job after the previous one finished is fine": {
			policy:  batchv1.ForbidConcurrent,
			creates: []create{{name: "a", minute: 1, finish: true}, {name: "b", minute: 2}},
		},
		"Forbid: a Job while a manual Job runs": {
			policy:    batchv1.ForbidConcurrent,
			creates:   []create{{name: "m", manual: true}, {name: "b", minute: 2}},
			wantKinds: []string{"Forbid: a Job created while another of the CronJob was unfinished"},
		},
		"Replace: a Job before the previous one is gone": {
			policy:    batchv1.ReplaceConcurrent,
			creates:   []create{{name: "a", minute: 1}, {name: "b", minute: 2}},
			wantKinds: []string{"Replace: a Job created while another of the CronJob was unfinished"},
		},
		"Replace: a Job after the previous one finished is fine": {
			policy:  batchv1.ReplaceConcurrent,
			creates: []create{{name: "a", minute: 1, finish: true}, {name: "b", minute: 2}},
		},
		"Forbid: a late commit beside a manual Job started after its request is fine": {
			policy:  batchv1.ForbidConcurrent,
			creates: []create{{name: "m", manual: true, at: 10 * time.Second}, {name: "b", minute: 2, at: 20 * time.Second, lateSent: ptr.To(5 * time.Second)}},
		},
		"Forbid: a late commit beside a manual Job started before its request": {
			policy:    batchv1.ForbidConcurrent,
			creates:   []create{{name: "m", manual: true, at: 10 * time.Second}, {name: "b", minute: 2, at: 20 * time.Second, lateSent: ptr.To(15 * time.Second)}},
			wantKinds: []string{"Forbid: a Job created while another of the CronJob was unfinished"},
		},
		"Forbid: a late commit beside the controller's own Job created after its request": {
			policy:    batchv1.ForbidConcurrent,
			creates:   []create{{name: "a", minute: 1, at: 10 * time.Second}, {name: "b", minute: 0, at: 20 * time.Second, lateSent: ptr.To(5 * time.Second)}},
			wantKinds: []string{"Forbid: a Job created while another of the CronJob was unfinished"},
		},
		"Forbid: a double run that also overlaps": {
			policy:  batchv1.ForbidConcurrent,
			creates: []create{{name: "a", minute: 1}, {name: "b", minute: 1}},
			wantKinds: []string{
				"Forbid: a Job created while another of the CronJob was unfinished",
				"two Jobs for one scheduled time",
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, tc.policy)
			for _, c := range tc.creates {
				by := c.by
				if by == "" {
					by = "L1"
				}
				if c.manual {
					by = "user"
				}
				w.clock.SetTime(checkStart.Add(c.at))
				job := scheduledJob(cj, c.name, c.minute, c.manual)
				if c.lateSent != nil {
					sent := checkStart.Add(*c.lateSent)
					if err := w.srv.commitLate(&lateCommit{job: job, by: by, sentAt: sent, at: sent.Add(time.Minute)}); err != nil {
						t.Fatal(err)
					}
				} else if _, err := w.srv.create("jobs", job, by); err != nil {
					t.Fatal(err)
				}
				if c.finish {
					finish(t, w, c.name)
				}
			}
			if got := violationKinds(w); !reflect.DeepEqual(got, tc.wantKinds) {
				t.Errorf("violations %q, want kinds %q", w.violations, tc.wantKinds)
			}
		})
	}
}

// TestCheckCreateFlagsAJobWithoutController: a controller's Job must name
// its CronJob as its controller.
func TestCheckCreateFlagsAJobWithoutController(t *testing.T) {
	w, _ := checkWorld(t, batchv1.AllowConcurrent)
	if _, err := w.srv.create("jobs", testJob("orphan"), "L1"); err != nil {
		t.Fatal(err)
	}
	if len(w.violations) != 1 {
		t.Errorf("violations %q, want one: the Job has no controller", w.violations)
	}
}

// testSync is a sync item of a hand-built history: by the leader of index
// leader, at a minute, and whether a GET failed in it.
type testSync struct {
	leader     int
	at         float64
	readFailed bool
}

// TestFinalChecksFlagViolatingHistories feeds the checks made once the faults
// stopped (finalChecks) hand-built histories of a CronJob "* * * * *" five
// and a half minutes after its creation (five scheduled times): times that
// got no Job and no counted skip (missed silently), times counted twice,
// invokes without a Job, an active list that is not the unfinished Jobs; and
// the histories next to them that are fine.
func TestFinalChecksFlagViolatingHistories(t *testing.T) {
	for name, tc := range map[string]struct {
		// environment: when a leader ran, in minutes after the creation
		// ([from, to), to 0 while it runs), and how many kills
		led   [][2]float64
		kills int
		// dead: which of the leaders of led were killed (the others
		// stopped gracefully or still run); drainCrash: L1 crashed while
		// its graceful stop drained (dead, but it released the lease: no
		// kill)
		dead       []bool
		drainCrash bool
		// releasedLater: the leaders of led whose release of the Lease
		// came a microsecond after their stop (they synced at that
		// instant); the others' release or last renewal is their stop
		releasedLater []int
		// syncs: the sync items of the CronJob by leader (0: L1), at a
		// minute, and whether a GET failed in it; cut: the indexes of
		// syncs that a kill cut short right after a write before their
		// first GET or create (syncRec.cut)
		syncs []testSync
		cut   map[int]bool
		// uncertain: L1's Job creates of the CronJob that failed with an
		// error that does not say whether they were carried out, at a
		// minute, for the Job of minute 1
		uncertain []float64
		// known: for each leader of led, the latest minute the API
		// server showed run at its start (0: none; nil: not recorded)
		known []float64
		// deadline edits: at minute at, from old to new (nil: none)
		edits []deadlineEdit
		// acceptedDoubles: times that got a second Job in an accepted class
		// (doubleClass, classLostWithProcess if empty); doubledBy: minutes
		// whose Job another process (the value) created again by an
		// answered create
		acceptedDoubles int
		doubleClass     string
		doubledBy       map[int]string
		// staleDeadlineRuns: times a process ran on a copy that did not show
		// the user's lowered deadline (noteStaleDeadlineRun)
		staleDeadlineRuns int
		// suspended: the CronJob was suspended at some point; deadline: it
		// had a startingDeadlineSeconds at some point
		suspended, deadline bool
		// skipReason: the reason the skips are counted under
		// (concurrencyPolicy if empty)
		skipReason string
		// answerLost: minutes whose Job's create succeeded with its answer
		// lost (the Job is gone: not in the store), and of those, the
		// ones L1's Job informer delivered, and those it delivered first
		// only at minute 5.4 (after the create's minute to settle)
		answerLost, delivered, deliveredLate []int
		// retried: minutes of answerLost whose Job L1 created again
		// (its retry, the first Job gone unseen), that Job gone too;
		// retryAnswered: the retry's create was answered.
		retried       []int
		retryAnswered bool
		// nextDelivered: the minutes of answerLost whose Job L2's Job
		// informer delivered (at once)
		nextDelivered []int
		// unanswered: minutes whose Job's create got no answer to its
		// creator (it crashed right after the write: errGone), not lost
		// answers either; the others' creates are answered (acked)
		unanswered []int
		// history: minutes that got a Job (created at jobAt[minute], in
		// minutes, or right after the minute), counted decisions, missed
		jobMinutes []int
		jobAt      map[int]float64
		jobBy      map[int]string // "L1" unless set
		invokes    int
		skips      int
		missed     int
		// status: an unfinished Job in the store, and whether
		// status.active names it; a finished Job that status.active names
		unfinishedJob, activeNamesIt, activeNamesFinished bool
		// activeOtherUID: the entry naming the unfinished Job carries the
		// UID of a deleted Job of that name (a retry's, a late commit's)
		activeOtherUID bool
		// activeNamesDeleted: status.active names a Job of minute 4 that
		// the API server deleted at minute deletedAt; deletionSeen: the
		// last leader's Job informer delivered it; editedAfter: the
		// CronJob changed after the deletion
		activeNamesDeleted, deletionSeen, editedAfter bool
		deletedAt                                     float64
		// waited: the leaders of led whose syncs of the CronJob waited for
		// creates of their predecessor (the controller logged it)
		waited []int
		// received: by leader of led, the minute of the pending skip its
		// predecessor handed over to it (patch 0023)
		received map[int]float64
		// expectations; wantTimes: the times (minutes) the count finding
		// names as led times without a Job
		wantKinds, wantAccepted []string
		wantTimes               []float64
	}{
		"every time ran": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5,
		},
		"the last time may still be tentative": {
			jobMinutes: []int{1, 2, 3, 4}, invokes: 4,
		},
		"a time missed silently": {
			jobMinutes: []int{1, 2, 4}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"}, wantTimes: []float64{3, 5},
		},
		"a time skipped, and counted": {
			jobMinutes: []int{1, 2, 4}, invokes: 3, skips: 1,
		},
		"a time skipped as suspended, the CronJob suspended once": {
			jobMinutes: []int{1, 2, 4, 5}, invokes: 4, skips: 1, skipReason: cronjobmetrics.ReasonSuspended, suspended: true,
		},
		"a time skipped as suspended, the CronJob never suspended": {
			jobMinutes: []int{1, 2, 4, 5}, invokes: 4, skips: 1, skipReason: cronjobmetrics.ReasonSuspended,
			wantKinds: []string{"a skip counted for a reason the CronJob never had"},
		},
		"a time skipped past its deadline, the CronJob had one": {
			jobMinutes: []int{1, 2, 4, 5}, invokes: 4, skips: 1, skipReason: cronjobmetrics.ReasonMissedDeadline, deadline: true,
		},
		"a time skipped past its deadline, the CronJob never had one": {
			jobMinutes: []int{1, 2, 4, 5}, invokes: 4, skips: 1, skipReason: cronjobmetrics.ReasonMissedDeadline,
			wantKinds: []string{"a skip counted for a reason the CronJob never had"},
		},
		"a time missed, and counted as missed": {
			jobMinutes: []int{1, 2, 4}, invokes: 3, missed: 1,
		},
		"a time that passed while nobody led, uncounted by the next leader": {
			// Patch 0022: L2 counts from L1's stop.
			led:        [][2]float64{{0, 2.5}, {3.5, 0}},
			jobMinutes: []int{1, 2, 4}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a time that passed while nobody led, counted missed by the next leader": {
			led:        [][2]float64{{0, 2.5}, {3.5, 0}},
			jobMinutes: []int{1, 2, 4}, invokes: 3, missed: 1,
		},
		"a time that passed while nobody led may go uncounted if the CronJob was suspended": {
			// Times before a leader's start are not counted as suspended.
			led:        [][2]float64{{0, 2.5}, {3.5, 0}},
			suspended:  true,
			jobMinutes: []int{1, 2, 4}, invokes: 3,
		},
		"a kill may lose one time": {
			// L1, killed at 3.5, held 3 (no Job) as its pending skip.
			led: [][2]float64{{0, 3.5}, {3.5, 0}}, dead: []bool{true}, kills: 1,
			jobMinutes: []int{1, 2, 4, 5}, invokes: 4,
		},
		"a kill that could lose no time of the CronJob allows none": {
			// L1 ran 3 before it was killed at 3.5; 4 is L2's (h17x
			// review, I2: the bound subtracted every kill of the seed).
			led: [][2]float64{{0, 3.5}, {3.5, 0}}, dead: []bool{true}, kills: 1,
			jobMinutes: []int{1, 2, 3, 5}, invokes: 4,
			wantKinds: []string{"fewer outcomes than scheduled times"}, wantTimes: []float64{4},
		},
		"a kill may lose one time, not two": {
			led: [][2]float64{{0, 3.5}, {3.5, 0}}, dead: []bool{true}, kills: 1,
			jobMinutes: []int{1, 4, 5}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"}, wantTimes: []float64{2, 3},
		},
		"one time lost within a lease, the last time ran": {
			// The one-time slack was for a tentative last time only (h17x
			// review, I2): a daily schedule is checked too.
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4,
			wantKinds: []string{"fewer outcomes than scheduled times"}, wantTimes: []float64{2},
		},
		"a time counted twice (a Job and a skip)": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, skips: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"an invoke counted twice": {
			jobMinutes: []int{1, 2, 3, 4}, invokes: 5,
			wantKinds: []string{"more invokes counted than times with a Job"},
		},
		"an unfinished Job missing from status.active": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, unfinishedJob: true,
			wantKinds: []string{"status.active is not the unfinished Jobs once faults stopped"},
		},
		"an unfinished Job in status.active": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, unfinishedJob: true, activeNamesIt: true,
		},
		"status.active names the unfinished Job, with a deleted Job's UID": {
			// h17x review I5: compared by name, this passed.
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, unfinishedJob: true, activeNamesIt: true, activeOtherUID: true,
			wantKinds: []string{"status.active is not the unfinished Jobs once faults stopped"},
		},
		"a finished Job in status.active": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, activeNamesFinished: true,
			wantKinds: []string{"status.active is not the unfinished Jobs once faults stopped"},
		},
		"a Job deleted unseen in status.active, nothing woke the CronJob since": {
			// Seed 100982.
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, activeNamesDeleted: true, deletedAt: 5.2,
			wantAccepted: []string{classStaleActive + " / status.active is not the unfinished Jobs once faults stopped"},
		},
		"a Job deleted unseen in status.active, a scheduled time since": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, activeNamesDeleted: true, deletedAt: 4.5,
			wantKinds: []string{"status.active is not the unfinished Jobs once faults stopped"},
		},
		"a Job whose deletion the leader saw, in status.active": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, activeNamesDeleted: true, deletedAt: 5.2, deletionSeen: true,
			wantKinds: []string{"status.active is not the unfinished Jobs once faults stopped"},
		},
		"a Job deleted unseen in status.active, the CronJob edited since": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, activeNamesDeleted: true, deletedAt: 5.2, editedAfter: true,
			wantKinds: []string{"status.active is not the unfinished Jobs once faults stopped"},
		},
		"a leader killed at the instant its wait for its predecessor's creates ends, before it synced the CronJob then: the times it took over are lost": {
			// Its wait ends a minute after its predecessor's end (its
			// DecisionsSince, patch 0022): L1 ended at minute 3, L2 took
			// over times 3 and 4 and was killed at 4 while it waited.
			led: [][2]float64{{0, 3}, {3.5, 4}, {4, 0}}, dead: []bool{false, true, false}, kills: 1, waited: []int{1},
			jobMinutes: []int{1, 2, 5}, invokes: 3,
			wantAccepted: []string{classTakeoverWait + " / fewer outcomes than scheduled times"},
		},
		"a leader stopped gracefully at the instant its wait ends, before it synced the CronJob then: the times it took over are lost": {
			// Seed 183556 (with the wait from the leader's start, before
			// patch 0022): L2's sync of another CronJob at the end of the
			// wait came first, and L2 was told to stop after its write.
			led: [][2]float64{{0, 3}, {3.5, 4}, {4, 0}}, waited: []int{1},
			syncs:      []testSync{{1, 3.5, false}},
			jobMinutes: []int{5}, invokes: 1,
			wantAccepted: []string{classTakeoverWait + " / fewer outcomes than scheduled times"},
		},
		"a leader stopped gracefully at the instant its wait ends, after it synced the CronJob then: the times are lost": {
			led: [][2]float64{{0, 3}, {3.5, 4}, {4, 0}}, waited: []int{1},
			syncs:      []testSync{{1, 3.5, false}, {1, 4, false}},
			jobMinutes: []int{5}, invokes: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a leader that waited, stopped within a minute of its start but after its wait ended: the times are lost": {
			// Seed 172907 before patch 0022 (then the wait ran a minute
			// from the leader's start).
			led: [][2]float64{{0, 3}, {3.5, 4.2}, {4.2, 0}}, waited: []int{1},
			jobMinutes: []int{5}, invokes: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a leader that waited, killed within a minute of its start, after a gap longer than the wait: the times are lost": {
			// Seed 9125 before patch 0022.
			led: [][2]float64{{0, 0.5}, {4.5, 4.6}, {4.6, 0}}, dead: []bool{false, true, false}, kills: 1, waited: []int{1},
			jobMinutes: []int{5}, invokes: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a leader killed at the instant a wait would end that did not wait: the times are lost": {
			led: [][2]float64{{0, 3}, {3.5, 4}, {4, 0}}, dead: []bool{false, true, false}, kills: 1,
			jobMinutes: []int{5}, invokes: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a time before a graceful stop without a Job, which the stopping process never synced: nobody's": {
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			jobMinutes: []int{1, 3, 4}, invokes: 3,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a time before a graceful stop without a Job, held pending by the stopping process: handed over, not lost": {
			// Seed 20 before patch 0023: L1 stops with its skip of 2
			// pending; L2 now counts it when 3 comes.
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 3, 4}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a time before a graceful stop without a Job, whose only sync waited for the predecessor's creates: nobody's": {
			led: [][2]float64{{0, 1.5}, {1.5, 2.5}, {2.5, 0}}, waited: []int{1},
			syncs:      []testSync{{1, 2.01, false}},
			jobMinutes: []int{1, 3, 4}, invokes: 3,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a leader that took over after a gap stops before it synced a time of the gap: nobody's": {
			// Seed 42853 before patch 0023: L2 counts from L1's end and
			// stops holding 3, a time of the gap, pending.
			led:        [][2]float64{{0, 1.5}, {3.5, 3.7}, {3.7, 0}},
			jobMinutes: []int{1, 4}, invokes: 2, missed: 1,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a leader that took over after a gap stops holding a time of the gap pending: handed over, not lost": {
			led:        [][2]float64{{0, 1.5}, {3.5, 3.7}, {3.7, 0}},
			syncs:      []testSync{{1, 3.5, false}},
			jobMinutes: []int{1, 4}, invokes: 2, missed: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a leader that took over after a gap and stopped: one more time lost": {
			led:        [][2]float64{{0, 1.5}, {3.5, 3.7}, {3.7, 0}},
			jobMinutes: []int{1, 4}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a crash while a graceful stop drains: a handover, its pending skip lost": {
			// Seed 21227: not a kill (the lease was released), so the
			// handover's loss is not the one the check allows per kill.
			led: [][2]float64{{0, 2.5}, {2.5, 0}}, drainCrash: true,
			jobMinutes: []int{1, 3, 4}, invokes: 3,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a time lost after the last time before a graceful stop had a Job": {
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			jobMinutes: []int{1, 2, 4}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"two times lost at one graceful stop": {
			led:        [][2]float64{{0, 3.5}, {3.5, 0}},
			jobMinutes: []int{1, 4}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a graceful stop in the second of a time's sync, before it: the time before was pending, handed over": {
			// Seed 2711 before patch 0023: L1 stops at 3:00.020 before
			// its sync of 3, with 2 pending; L2 runs 3, and now counts 2.
			led:        [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 3, 4}, jobBy: map[int]string{3: "L2", 4: "L2"}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill in the second of a time's sync, before it: the time before was pending": {
			led: [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a graceful stop right after the stopping process ran the time": {
			led:        [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}},
			jobMinutes: []int{1, 3, 4}, jobBy: map[int]string{4: "L2"}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a graceful stop seconds after the time another process ran": {
			led:        [][2]float64{{0, 3 + 2.0/60}, {3 + 2.0/60, 0}},
			jobMinutes: []int{1, 3, 4}, jobBy: map[int]string{3: "L2", 4: "L2"}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a graceful stop in the second of a time's sync, before it: the time is nobody's": {
			led:        [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 2, 4}, jobBy: map[int]string{4: "L2"}, invokes: 3,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a graceful stop in the second of a time's sync, before it: the time and the one before, handed over, lost": {
			led:        [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill in the second of a time's sync, before it: the time and the one before lost": {
			led: [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{true, false}, kills: 1,
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a graceful stop at the instant of a time, released a microsecond later: the time is nobody's": {
			// Seeds 203247, 204362 and 205731: L1 stops at 3:00, after a
			// sync of another CronJob at that instant, before its sync of
			// this one at 3:00.010; L2 counts from 3:00 plus 1 µs: 3 is
			// nobody's (2, pending, is handed over since patch 0023).
			led: [][2]float64{{0, 3}, {3, 0}}, releasedLater: []int{0},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 2, 4}, jobBy: map[int]string{4: "L2"}, invokes: 3,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a graceful stop at the instant of a time, released a microsecond later: the time and the one before, handed over, lost": {
			led: [][2]float64{{0, 3}, {3, 0}}, releasedLater: []int{0},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a graceful stop at the instant of a time, released then: the next leader counts the time": {
			led:        [][2]float64{{0, 3}, {3, 0}},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a graceful stop at the instant of a time, released a microsecond later after a sync of the CronJob: the time before was counted": {
			// L1's sync at 3:00 saw 3 due and counted 2's skip.
			led: [][2]float64{{0, 3}, {3, 0}}, releasedLater: []int{0},
			syncs:      []testSync{{0, 1.01, false}, {0, 3, false}},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a graceful stop at the instant of a time, released a microsecond later: three times lost": {
			led: [][2]float64{{0, 3}, {3, 0}}, releasedLater: []int{0},
			jobMinutes: []int{4}, jobBy: map[int]string{4: "L2"}, invokes: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill at the instant of a time: its last renewal then, the next leader counts the time": {
			led: [][2]float64{{0, 3}, {3, 0}}, dead: []bool{true, false}, kills: 1,
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill seconds after a time: one time lost, not two": {
			led: [][2]float64{{0, 3 + 2.0/60}, {3 + 2.0/60, 0}}, dead: []bool{true, false}, kills: 1,
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill in the second of a time's sync, before it, holding a skip handed over to it: the time and the skip lost": {
			// Seeds 501991 and 511577: L1 stops gracefully at 2.5 and
			// hands its skip of 2 over; L2 holds it pending and is
			// killed at 3:00.020 before its sync of 3.
			led: [][2]float64{{0, 2.5}, {2.5, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{false, true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			received:   map[int]float64{1: 2},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L3"}, invokes: 2,
			wantAccepted: []string{classHandoverSkip + " / fewer outcomes than scheduled times"},
		},
		"a kill in the second of a time's sync, before it, the time before not handed over to it: counted": {
			led: [][2]float64{{0, 2.5}, {2.5, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{false, true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L3"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill seconds after a time, holding a skip handed over to it: the sync of the time counted the skip": {
			led: [][2]float64{{0, 2.5}, {2.5, 3 + 2.0/60}, {3 + 2.0/60, 0}}, dead: []bool{false, true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			received:   map[int]float64{1: 2},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L3"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a leader killed while it waited for its predecessor's creates, holding a skip handed over to it: the skip and the times it took over lost": {
			// Seed 509086: L2 took over L1's skip of 2 at 2.9, its
			// sync waited (until 3.9) and it was killed at 3.3.
			led: [][2]float64{{0, 2.9}, {2.9, 3.3}, {3.3, 0}}, dead: []bool{false, true, false}, kills: 1, waited: []int{1},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			received:   map[int]float64{1: 2},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L3"}, invokes: 2,
			wantAccepted: []string{classTakeoverWait + " / fewer outcomes than scheduled times"},
		},
		"a leader stopped gracefully while it waited for its predecessor's creates, holding a skip handed over to it: it hands the skip on": {
			led: [][2]float64{{0, 2.9}, {2.9, 3.3}, {3.3, 0}}, waited: []int{1},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			received:   map[int]float64{1: 2},
			jobMinutes: []int{1, 4}, jobBy: map[int]string{4: "L3"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill right after a sync at its instant that failed on a read while a create may land: the times it held unseen lost": {
			// Seed 515273: the sync of 3 at 3:00.020 failed on a GET
			// while the create of 1 was unsettled, and L1 was killed
			// right after a write at that instant.
			led: [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3 + 0.02/60, true}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{4}, jobBy: map[int]string{4: "L2"}, invokes: 1,
			wantAccepted: []string{classReadFailure + " / fewer outcomes than scheduled times"},
		},
		"a kill that cut a sync at its instant short before its reads, after syncs failing on a read while a create may land: the times they held lost": {
			// Seed 1234216: L1 was killed right after a history limit's
			// delete in its sync of 3, before the GET that had failed at
			// the sync of 2.
			led: [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3 + 0.02/60, false}},
			cut:        map[int]bool{2: true},
			uncertain:  []float64{1.01},
			jobMinutes: []int{4}, jobBy: map[int]string{4: "L2"}, invokes: 1,
			wantAccepted: []string{classReadFailure + " / fewer outcomes than scheduled times"},
		},
		"a kill that cut a sync at its instant short after its reads, after syncs failing on a read while a create may land: the times are lost": {
			led: [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3 + 0.02/60, false}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{4}, jobBy: map[int]string{4: "L2"}, invokes: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a kill right after a sync at its instant that got past its reads: the times are lost": {
			led: [][2]float64{{0, 3 + 0.02/60}, {3 + 0.02/60, 0}}, dead: []bool{true, false}, kills: 1,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3 + 0.02/60, false}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{4}, jobBy: map[int]string{4: "L2"}, invokes: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a time lost at a kill is not a handover's pending skip": {
			led: [][2]float64{{0, 2.5}, {2.5, 0}}, dead: []bool{true, false},
			jobMinutes: []int{1, 4}, invokes: 2, kills: 1,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a time counted missed, then run after the deadline was removed": {
			edits:      []deadlineEdit{{at: minutes(2.5), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2.6}, invokes: 5, missed: 1,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"a time counted missed, then run after the deadline was raised": {
			edits:      []deadlineEdit{{at: minutes(2.5), old: ptr.To(int64(10)), new: ptr.To(int64(200))}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2.6}, invokes: 5, missed: 1,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"a time counted missed exactly its deadline after it, then run after the deadline was removed": {
			// 2:00 + 10 s = 2:10: past the deadline for the controller,
			// which counts a time missed at or before now minus it.
			edits:      []deadlineEdit{{at: minutes(2).Add(10 * time.Second), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2.2}, invokes: 5, missed: 1,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice: a deadline edit after a leader change revived it": {
			// Seed 161197: L1 counted 2 a final skip past its 10-s
			// deadline and stopped; L2, counting from 2.5, counted it
			// again once the deadline was removed at 2.7.
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice, a later time due at the edit": {
			// Only the most recent time can be held as a skip again.
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			edits:      []deadlineEdit{{at: minutes(3.2), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice: a leader change after a deadline edit revived it": {
			// Seeds 131424 and 185488: L1 counted 2 a final skip past its
			// 10-s deadline (suspended, missedDeadline), the deadline was
			// removed at 2.7 and L1 stopped at 2.8; L2, counting from 2.8,
			// held 2 again (held by Forbid) and counted it when 3 came.
			led:        [][2]float64{{0, 2.8}, {2.8, 0}},
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice, a leader change after a deadline edit and a no-op edit": {
			// Seed 131424: the user set the removed deadline to none again
			// before the leader change.
			led:        [][2]float64{{0, 2.8}, {2.8, 0}},
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10))}, {at: minutes(2.75)}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice, no leader change": {
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice, a later time due at the leader change after the edit": {
			// L1 saw 3 supersede 2 (counted); L2 holds 3, not 2.
			led:        [][2]float64{{0, 3.2}, {3.2, 0}},
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice, the deadline set again before the leader change after the edit": {
			// At 2.8 the time is past the 10-s deadline again: L2's skip
			// of it is final, and not L2's to count.
			led:        [][2]float64{{0, 2.8}, {2.8, 0}},
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10))}, {at: minutes(2.75), new: ptr.To(int64(10))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice, the deadline set again at the instant of the leader change after the edit": {
			// Seed 1296852: the deadline removed at 2.7, L2 started at
			// 2.8 and held 2 (its takeover wait), and the user set a
			// deadline that 2 is past at 2.8 too, after L2's first sync.
			led:        [][2]float64{{0, 2.8}, {2.8, 0}},
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10))}, {at: minutes(2.8), new: ptr.To(int64(10))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"a time without a Job skipped twice, the deadline lowered after a leader change": {
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			edits:      []deadlineEdit{{at: minutes(2.7), old: ptr.To(int64(10)), new: ptr.To(int64(5))}},
			jobMinutes: []int{1, 3, 4, 5}, invokes: 4, skips: 2,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a deadline removed a second before the time was past it": {
			edits:      []deadlineEdit{{at: minutes(2).Add(9 * time.Second), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2.2}, invokes: 5, missed: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a deadline removed while the time was within it": {
			edits:      []deadlineEdit{{at: minutes(2.1), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2.15}, invokes: 5, missed: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a deadline lowered": {
			edits:      []deadlineEdit{{at: minutes(2.5), old: ptr.To(int64(10)), new: ptr.To(int64(5))}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2.6}, invokes: 5, missed: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"two times counted twice, one revived by a deadline edit": {
			edits:      []deadlineEdit{{at: minutes(2.5), old: ptr.To(int64(10))}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2.6}, invokes: 5, missed: 2,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a crash while a stop drains after syncs failing on a read while a create whose answer was lost may land: the times they held unseen": {
			// L1's create of 1 succeeds, its answer lost; its syncs of
			// 2, 3 and 4 fail on a GET (the Job's); it crashes at 4:30.
			led: [][2]float64{{0, 4.5}, {4.5, 0}}, drainCrash: true,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3.01, true}, {0, 4.01, true}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{1, 5}, jobBy: map[int]string{5: "L2"}, invokes: 2,
			wantAccepted: []string{classReadFailure + " / fewer outcomes than scheduled times"},
		},
		"a graceful stop after syncs failing on a read while a create whose answer was lost may land: the times they held handed over, not lost": {
			// Patch 0023 hands the held times over (PendingSkip.HeldFrom):
			// the next leader counts them (seed 569684 lost them before).
			led:        [][2]float64{{0, 4.5}, {4.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3.01, true}, {0, 4.01, true}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{1, 5}, jobBy: map[int]string{5: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a stop after syncs failing on a read, no create pending: the times were skipped tentatively": {
			// Patch 0017: each failing sync skips its time for the
			// error, counted when the next supersedes it; 4's skip was
			// pending at the stop (the handover's one), 2 and 3 are lost.
			led:        [][2]float64{{0, 4.5}, {4.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3.01, true}, {0, 4.01, true}},
			jobMinutes: []int{1, 5}, jobBy: map[int]string{5: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a stop after syncs failing on a read, the uncertain create settled before them": {
			// The create failed at 0:30; the sync of 1 got past its reads
			// a minute later: its GET settled it.
			led:        [][2]float64{{0, 4.5}, {4.5, 0}},
			syncs:      []testSync{{0, 1.51, false}, {0, 2.01, true}, {0, 3.01, true}, {0, 4.01, true}},
			uncertain:  []float64{0.5},
			jobMinutes: []int{1, 5}, jobBy: map[int]string{5: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a crash while a stop drains after syncs failing on a read, with the time before them pending": {
			// Four times lost: 2, 3, 4 unseen, and 1, whose create
			// failed at 1:01 with a 5xx, pending (no handover).
			led: [][2]float64{{0, 4.5}, {4.5, 0}}, drainCrash: true,
			syncs:        []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3.01, true}, {0, 4.01, true}},
			uncertain:    []float64{1.01},
			wantAccepted: []string{classReadFailure + " / fewer outcomes than scheduled times"},
		},
		"a graceful stop after syncs failing on a read, with the time before them pending: handed over, not lost": {
			led:       [][2]float64{{0, 4.5}, {4.5, 0}},
			syncs:     []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3.01, true}, {0, 4.01, true}},
			uncertain: []float64{1.01},
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a stop after a sync that got past its reads": {
			led:        [][2]float64{{0, 4.5}, {4.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 3.01, true}, {0, 4.01, false}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{1, 5}, jobBy: map[int]string{5: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a stop after syncs failing on a read, a time no sync tried": {
			led:        [][2]float64{{0, 4.5}, {4.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}, {0, 4.01, true}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{1, 5}, jobBy: map[int]string{5: "L2"}, invokes: 2,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a graceful stop after a sync failing on a read while a create may land, the next leader running the time it held unseen: the pending time handed over": {
			// Seed 110270 before patch 0023: L1's create of 1 fails with
			// a 5xx at 1:01; its sync of 2 fails on the GET that would
			// settle it, so it never decides on 2, and 1 stays pending at
			// its stop; L2, counting from the stop, runs 2 late, and now
			// counts 1, handed over.
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{2, 3, 4}, jobAt: map[int]float64{2: 2.5}, jobBy: map[int]string{2: "L2", 3: "L2", 4: "L2"}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a crash while a stop drains after a sync failing on a read while a create may land, the next leader running the time it held unseen": {
			led: [][2]float64{{0, 2.5}, {2.5, 0}}, drainCrash: true,
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{2, 3, 4}, jobAt: map[int]float64{2: 2.5}, jobBy: map[int]string{2: "L2", 3: "L2", 4: "L2"}, invokes: 3,
			wantAccepted: []string{classReadFailure + " / fewer outcomes than scheduled times"},
		},
		"a stop after a sync failing on a read, no create pending, the next leader running the time": {
			// The failing sync saw 2 due: 1's skip was counted then.
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, true}},
			jobMinutes: []int{2, 3, 4}, jobAt: map[int]float64{2: 2.5}, jobBy: map[int]string{2: "L2", 3: "L2", 4: "L2"}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a stop after a sync that got past its reads, the next leader running the time": {
			led:        [][2]float64{{0, 2.5}, {2.5, 0}},
			syncs:      []testSync{{0, 1.01, false}, {0, 2.01, false}},
			uncertain:  []float64{1.01},
			jobMinutes: []int{2, 3, 4}, jobAt: map[int]float64{2: 2.5}, jobBy: map[int]string{2: "L2", 3: "L2", 4: "L2"}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a time that only the stopped process knew it ran, counted skipped by the next leader": {
			// L1 ran 2; at L2's start the API server showed only 1 run.
			led: [][2]float64{{0, 2.5}, {2.5, 0}}, known: []float64{0, 1},
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, skips: 1,
			wantAccepted: []string{classLostWithProcess + " / more outcomes than scheduled times"},
		},
		"a time that only the killed process knew it ran, at its last renewal, counted missed by the next leader": {
			// L1 ran 2 at 2.0 and was killed then, before counting it or
			// a status write; L2 (since 2.0) started at 3.0 with 1 known
			// run, counted 2 missed and ran 3.
			led: [][2]float64{{0, 2}, {3, 0}}, dead: []bool{true}, known: []float64{0, 1},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2}, jobBy: map[int]string{3: "L2", 4: "L2", 5: "L2"}, invokes: 4, missed: 1,
			unanswered:   []int{2},
			wantAccepted: []string{classLostWithProcess + " / more outcomes than scheduled times"},
		},
		"a time counted missed by a leader whose start showed it run": {
			led: [][2]float64{{0, 2}, {3, 0}}, dead: []bool{true}, known: []float64{0, 2},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2}, jobBy: map[int]string{3: "L2", 4: "L2", 5: "L2"}, invokes: 4, missed: 1,
			unanswered: []int{2},
			wantKinds:  []string{"more outcomes than scheduled times"},
		},
		"a time counted skipped by a leader whose start showed it run": {
			led: [][2]float64{{0, 2.5}, {2.5, 0}}, known: []float64{0, 2},
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, skips: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time counted skipped by the leader that ran it": {
			led: [][2]float64{{0, 2.5}, {2.5, 0}}, known: []float64{0, 1},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobBy: map[int]string{2: "L2"}, invokes: 5, skips: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"two times counted twice, one only the stopped process knew it ran": {
			led: [][2]float64{{0, 2.5}, {2.5, 0}}, known: []float64{0, 1},
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, skips: 2,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time counted skip/error though its create succeeded, answer lost, the Job deleted unseen": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4, skips: 1, answerLost: []int{3},
			wantAccepted: []string{classLostAnswerUnseen + " / more outcomes than scheduled times"},
		},
		"a time counted skip/error though its create succeeded, answer lost, the Job's deletion delivered": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4, skips: 1, answerLost: []int{3}, delivered: []int{3},
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time counted missed though its create succeeded, answer lost, the Job delivered only after it was gone and the create settled": {
			// Seed 113533: a held Job watch delivered the Job's creation
			// and deletion only once the faults stopped.
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4, missed: 1, answerLost: []int{3}, deliveredLate: []int{3},
			wantAccepted: []string{classLostAnswerUnseen + " / more outcomes than scheduled times"},
		},
		"a time counted skip/error though its create and the retry's succeeded, answers lost, both Jobs deleted unseen": {
			// Seed 838780: L1's create of 01:00 timed out after success,
			// the user deleted the Job before L1's (held) Job informer
			// delivered it, L1 created it again, timed out after success
			// again, the user deleted it again; L1 counted 01:00
			// skip/error when 01:02 came.
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4, skips: 1, answerLost: []int{3}, retried: []int{3},
			wantAccepted: []string{classLostAnswerUnseen + " / more outcomes than scheduled times"},
		},
		"a time counted skip/error though its create succeeded, answer lost, deleted unseen, and the retry was answered": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4, skips: 1, answerLost: []int{3}, retried: []int{3}, retryAnswered: true,
			wantKinds: []string{"fewer invokes counted than times with an answered create", "more outcomes than scheduled times"},
		},
		"a time counted skip/error by the next leader though its create succeeded, answer lost, handed over, the Job deleted before that leader's informer delivered it": {
			// Seeds 714067, 792505, 955453: L1's create of 3 timed out
			// after success, L1's informer delivered the Job, L1 stopped
			// at once and handed the time over with the create (patch
			// 0023); the user deleted the Job while nobody led, and L2,
			// which never saw it, counted 3 skip/error.
			led: [][2]float64{{0, 3.5}, {4, 0}}, received: map[int]float64{1: 3},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobBy: map[int]string{4: "L2", 5: "L2"}, invokes: 4, skips: 1, answerLost: []int{3}, delivered: []int{3},
			wantAccepted: []string{classLostAnswerUnseen + " / more outcomes than scheduled times"},
		},
		"a time counted skip/error by the next leader though its create succeeded, answer lost, handed over, the Job delivered to that leader": {
			led: [][2]float64{{0, 3.5}, {4, 0}}, received: map[int]float64{1: 3},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobBy: map[int]string{4: "L2", 5: "L2"}, invokes: 4, skips: 1, answerLost: []int{3}, nextDelivered: []int{3},
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time counted skipped though its create succeeded, answer lost, not handed over, the Job delivered to its creator": {
			led:        [][2]float64{{0, 3.5}, {4, 0}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobBy: map[int]string{4: "L2", 5: "L2"}, invokes: 4, skips: 1, answerLost: []int{3}, delivered: []int{3},
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time counted skipped though its create was answered": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4, skips: 1,
			wantKinds: []string{"fewer invokes counted than times with an answered create", "more outcomes than scheduled times"},
		},
		"no invoke counted, every time run": {
			// Mutant invoke-not-counted (h17x review): the outcomes take
			// the times with a Job from the world.
			jobMinutes: []int{1, 2, 3, 4, 5},
			wantKinds:  []string{"fewer invokes counted than times with an answered create"},
		},
		"one invoke fewer than the answered creates": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4,
			wantKinds: []string{"fewer invokes counted than times with an answered create"},
		},
		"no invoke for a Job whose creator crashed right after the write (no answer)": {
			led: [][2]float64{{0, 2}, {2, 0}}, dead: []bool{true}, kills: 1,
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 2}, jobBy: map[int]string{3: "L2", 4: "L2", 5: "L2"}, invokes: 4,
			unanswered: []int{2},
		},
		"no invoke for a time run after a deadline edit revived it (counted missed before)": {
			edits:      []deadlineEdit{{at: minutes(3.5), old: ptr.To[int64](60), new: nil}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 3.6}, invokes: 4, missed: 1,
			wantAccepted: []string{classDeadlineEdit + " / fewer invokes counted than times with an answered create", classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"no invoke for a time counted missed on a fresher copy, then run on a copy without the lowered deadline": {
			// Seed 168265.
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 4, missed: 1, staleDeadlineRuns: 1,
			wantAccepted: []string{classStaleView + " / fewer invokes counted than times with an answered create", classStaleView + " / more outcomes than scheduled times"},
		},
		"two invokes missing, one time run on a copy without the lowered deadline": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 3, missed: 1, staleDeadlineRuns: 1,
			wantKinds:    []string{"fewer invokes counted than times with an answered create"},
			wantAccepted: []string{classStaleView + " / more outcomes than scheduled times"},
		},
		"a time revived by a deadline edit, the extra outcome a skip/concurrencyPolicy": {
			// h17x review C2: the edit's extra outcome is in the missed
			// counter, skip/missedDeadline or a final skip/suspended, not
			// in skip/concurrencyPolicy.
			edits:      []deadlineEdit{{at: minutes(3.5), old: ptr.To[int64](60), new: nil}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 3.6}, invokes: 5, skips: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"a time revived by a deadline edit, counted missed and invoke": {
			edits:      []deadlineEdit{{at: minutes(3.5), old: ptr.To[int64](60), new: nil}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 3.6}, invokes: 5, missed: 1,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"two invokes missing, one time revived by a deadline edit": {
			edits:      []deadlineEdit{{at: minutes(3.5), old: ptr.To[int64](60), new: nil}},
			jobMinutes: []int{1, 2, 3, 4, 5}, jobAt: map[int]float64{2: 3.6}, invokes: 3, missed: 1,
			wantKinds:    []string{"fewer invokes counted than times with an answered create"},
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"an invoke counted twice for a time run twice in an accepted class": {
			// Two processes each created 2 and got it back.
			jobMinutes: []int{1, 2, 3, 4}, invokes: 5, acceptedDoubles: 1, doubledBy: map[int]string{2: "L2"},
			wantAccepted: []string{classLostWithProcess + " / more invokes counted than times with a Job"},
		},
		"an invoke counted twice for a time run twice, the first create's answer lost": {
			// Seed 52: L1's create of 2 succeeded with its answer lost (L1
			// counted it invoke/late once it saw the Job), the Job was
			// deleted, and L2 created it again.
			jobMinutes: []int{1, 2, 3, 4}, invokes: 5, answerLost: []int{2}, acceptedDoubles: 1, doubledBy: map[int]string{2: "L2"},
			wantAccepted: []string{classLostWithProcess + " / more invokes counted than times with a Job"},
		},
		"an invoke counted twice for a time run twice on a stale view": {
			jobMinutes: []int{1, 2, 3, 4}, invokes: 5, acceptedDoubles: 1, doubleClass: classStaleView, doubledBy: map[int]string{2: "L2"},
			wantAccepted: []string{classStaleView + " / more invokes counted than times with a Job"},
		},
		"two extra invokes, one time run twice in an accepted class": {
			jobMinutes: []int{1, 2, 3, 4}, invokes: 6, acceptedDoubles: 1, doubledBy: map[int]string{2: "L2"},
			wantKinds: []string{"more invokes counted than times with a Job"},
		},
		"an extra invoke beside a double whose second create was answered to the same process": {
			// Its recorder had decided the time: one invoke.
			jobMinutes: []int{1, 2, 3, 4}, invokes: 5, acceptedDoubles: 1, doubledBy: map[int]string{2: "L1"},
			wantKinds: []string{"more invokes counted than times with a Job"},
		},
		"an extra invoke beside a lost-answer double": {
			// h17x review C1 (TestReview17xExtraInvokeAcceptedBesideARetryDouble):
			// 3's first create succeeded with its answer lost (no invoke),
			// the Job was deleted unseen, the retry created it again (one
			// invoke): no time was counted twice.
			jobMinutes: []int{1, 2, 3, 4}, invokes: 5, answerLost: []int{3}, retried: []int{3}, retryAnswered: true,
			acceptedDoubles: 1, doubleClass: classLostAnswerUnseen,
			wantKinds: []string{"more invokes counted than times with a Job"},
		},
		"an extra invoke beside a late-retry double": {
			jobMinutes: []int{1, 2, 3, 4}, invokes: 5, acceptedDoubles: 1, doubleClass: classLateRetry, doubledBy: map[int]string{2: "L2"},
			wantKinds: []string{"more invokes counted than times with a Job"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, batchv1.AllowConcurrent)
			led := tc.led
			if led == nil {
				led = [][2]float64{{0, 0}}
			}
			for _, iv := range led {
				to := time.Time{}
				if iv[1] != 0 {
					to = minutes(iv[1])
				}
				// A leader's DecisionsSince: its predecessor's end.
				var since time.Time
				if n := len(w.leaders); n > 0 {
					since = w.leaders[n-1].releasedAt
				}
				w.led = append(w.led, [2]time.Time{minutes(iv[0]), to})
				dead := len(tc.dead) > len(w.leaders) && tc.dead[len(w.leaders)]
				released := to
				if !to.IsZero() && slices.Contains(tc.releasedLater, len(w.leaders)) {
					released = to.Add(time.Microsecond)
				}
				crashed := dead || (tc.drainCrash && len(w.leaders) == 0)
				// A graceful stop hands its pending skips over (patch
				// 0023), as world.reapLeader does.
				handedOver := !to.IsZero() && !crashed
				w.leaders = append(w.leaders, &leader{id: fmt.Sprintf("L%d", len(w.leaders)+1), dead: crashed, killed: dead, handedOver: handedOver, releasedAt: released, since: since})
			}
			w.kills = tc.kills
			for _, i := range tc.waited {
				w.leaders[i].waitedForPredecessor = map[string]bool{key(cj): true}
			}
			for i, at := range tc.received {
				w.leaders[i].received = map[types.UID][]time.Time{cj.UID: {minutes(at)}}
			}
			w.cjs[0].suspendedEver = tc.suspended
			w.cjs[0].deadlineEver = tc.deadline
			for i, r := range tc.syncs {
				l := w.leaders[r.leader]
				if l.syncs == nil {
					l.syncs = map[string][]syncRec{}
				}
				l.syncs[key(cj)] = append(l.syncs[key(cj)], syncRec{at: minutes(r.at), readFailed: r.readFailed, cut: tc.cut[i]})
			}
			for _, at := range tc.uncertain {
				l := w.leaders[0]
				if l.uncertainCreates == nil {
					l.uncertainCreates = map[string][]uncertainCreate{}
				}
				l.uncertainCreates[key(cj)] = append(l.uncertainCreates[key(cj)], uncertainCreate{at: minutes(at), name: "cj-1"})
			}
			for _, k := range tc.known {
				known := map[types.UID]time.Time{}
				if k > 0 {
					known[cj.UID] = minutes(k)
				}
				w.knownAtStart = append(w.knownAtStart, known)
			}
			w.checks.deadlines = map[types.UID][]deadlineEdit{cj.UID: tc.edits}
			w.checks.staleDeadlineRuns = map[types.UID]int{cj.UID: tc.staleDeadlineRuns}
			w.checks.doubles = map[types.UID][]string{}
			for i := 0; i < tc.acceptedDoubles; i++ {
				class := tc.doubleClass
				if class == "" {
					class = classLostWithProcess
				}
				w.checks.doubles[cj.UID] = append(w.checks.doubles[cj.UID], class)
			}
			for _, m := range tc.jobMinutes {
				w.jobsMade[fmt.Sprintf("%s|%s", cj.UID, minutes(float64(m)).Format(time.RFC3339))] = fmt.Sprintf("cj-%d", m)
				created, ok := tc.jobAt[m]
				if !ok {
					created = float64(m) + 0.01
				}
				by := tc.jobBy[m]
				if by == "" {
					by = "L1"
				}
				uid := types.UID(fmt.Sprintf("uid-%d", m))
				lost := slices.Contains(tc.answerLost, m)
				w.checks.creates = append(w.checks.creates, createRec{by: by, cronJob: cj.UID, name: fmt.Sprintf("cj-%d", m), uid: uid,
					scheduled: minutes(float64(m)), at: minutes(created), answerLost: lost, acked: !lost && !slices.Contains(tc.unanswered, m)})
				if slices.Contains(tc.retried, m) {
					w.checks.creates = append(w.checks.creates, createRec{by: by, cronJob: cj.UID, name: fmt.Sprintf("cj-%d", m), uid: uid + "-retry",
						scheduled: minutes(float64(m)), at: minutes(created + 0.1), answerLost: !tc.retryAnswered, acked: tc.retryAnswered})
				}
				if again, ok := tc.doubledBy[m]; ok {
					w.checks.creates = append(w.checks.creates, createRec{by: again, cronJob: cj.UID, name: fmt.Sprintf("cj-%d", m), uid: uid + "-again",
						scheduled: minutes(float64(m)), at: minutes(created + 0.2), acked: true})
				}
				if slices.Contains(tc.delivered, m) || slices.Contains(tc.deliveredLate, m) {
					l := w.leaders[0]
					if l.delivered == nil {
						l.delivered = map[types.UID]time.Time{}
					}
					l.delivered[uid] = time.Time{} // at once
					if slices.Contains(tc.deliveredLate, m) {
						l.delivered[uid] = minutes(5.4)
					}
				}
				if slices.Contains(tc.nextDelivered, m) {
					w.leaders[1].delivered = map[types.UID]time.Time{uid: minutes(4)}
				}
			}
			if tc.invokes > 0 {
				countInvokes(w, cj, tc.invokes)
			}
			if tc.skips > 0 {
				reason := tc.skipReason
				if reason == "" {
					reason = cronjobmetrics.ReasonConcurrencyPolicy
				}
				cronjobmetrics.CronJobSchedulingDecisions.WithLabelValues(cj.Namespace, cj.Name, cronjobmetrics.DecisionSkip, reason).Add(float64(tc.skips))
			}
			if tc.missed > 0 {
				cronjobmetrics.CronJobMissedSchedules.WithLabelValues(cj.Namespace, cj.Name).Add(float64(tc.missed))
			}
			// The store: Jobs are created by the user, so that
			// checkCreate leaves them alone.
			var active []string
			if tc.unfinishedJob {
				if _, err := w.srv.create("jobs", scheduledJob(cj, "running", 5, false), "user"); err != nil {
					t.Fatal(err)
				}
				if tc.activeNamesIt {
					active = append(active, "running")
				}
			}
			if tc.activeNamesFinished {
				if _, err := w.srv.create("jobs", scheduledJob(cj, "done", 4, false), "user"); err != nil {
					t.Fatal(err)
				}
				finish(t, w, "done")
				active = append(active, "done")
			}
			var gone types.UID
			if tc.activeNamesDeleted {
				o, err := w.srv.create("jobs", scheduledJob(cj, "gone", 4, false), "user")
				if err != nil {
					t.Fatal(err)
				}
				gone = o.(*batchv1.Job).UID
				active = append(active, "gone")
				w.leader = w.leaders[len(w.leaders)-1]
			}
			if len(active) > 0 {
				o, _ := w.srv.get("cronjobs", cj.Namespace, cj.Name)
				c := o.(*batchv1.CronJob)
				for _, n := range active {
					j, _ := w.srv.get("jobs", c.Namespace, n)
					uid := j.(*batchv1.Job).UID
					if tc.activeOtherUID && n == "running" {
						uid = "uid-of-a-deleted-job"
					}
					c.Status.Active = append(c.Status.Active, corev1.ObjectReference{Kind: "Job", Namespace: c.Namespace, Name: n, UID: uid})
				}
				if _, err := w.srv.update("cronjobs", c, true); err != nil {
					t.Fatal(err)
				}
			}
			if tc.activeNamesDeleted {
				w.clock.SetTime(minutes(tc.deletedAt))
				if err := w.srv.delete("jobs", cj.Namespace, "gone"); err != nil {
					t.Fatal(err)
				}
				if tc.deletionSeen {
					w.leader.delivered = map[types.UID]time.Time{gone: minutes(tc.deletedAt)}
				}
				if tc.editedAfter {
					o, _ := w.srv.get("cronjobs", cj.Namespace, cj.Name)
					c := o.(*batchv1.CronJob)
					c.Labels = map[string]string{"edited": "true"}
					if _, err := w.srv.update("cronjobs", c, false); err != nil {
						t.Fatal(err)
					}
				}
			}
			w.clock.SetTime(minutes(5.5))
			w.finalChecks()
			if got := violationKinds(w); !reflect.DeepEqual(got, tc.wantKinds) {
				t.Errorf("violations %q, want kinds %q", w.violations, tc.wantKinds)
			}
			if got := acceptedKinds(w); !reflect.DeepEqual(got, tc.wantAccepted) {
				t.Errorf("accepted %q, want %q", w.checks.accepted, tc.wantAccepted)
			}
			if tc.wantTimes != nil {
				var ts []string
				for _, m := range tc.wantTimes {
					ts = append(ts, w.fmtTime(minutes(m)))
				}
				want := "; led times without a Job: " + strings.Join(ts, ", ")
				if len(w.violations) == 0 || !strings.HasSuffix(w.violations[0], want) {
					t.Errorf("violations %q, want the first to end with %q", w.violations, want)
				}
			}
		})
	}
}

// countInvokes counts n invokes of cj, as many onTime as the times with an
// answered create of a process that started by then allow (checkReasons),
// the rest late: the histories of these tests are about the number of
// invokes, not their reasons (TestCheckReasons).
func countInvokes(w *world, cj *batchv1.CronJob, n int) {
	type pair struct {
		by string
		t  time.Time
	}
	eligible := map[pair]bool{}
	for _, c := range w.checks.creates {
		if c.cronJob == cj.UID && c.acked && !c.scheduled.IsZero() && !w.startOf(c.by).After(c.scheduled) {
			eligible[pair{c.by, c.scheduled.UTC()}] = true
		}
	}
	onTime := min(n, len(eligible))
	if onTime > 0 {
		cronjobmetrics.CronJobSchedulingDecisions.WithLabelValues(cj.Namespace, cj.Name, cronjobmetrics.DecisionInvoke, cronjobmetrics.ReasonOnTime).Add(float64(onTime))
	}
	if n > onTime {
		cronjobmetrics.CronJobSchedulingDecisions.WithLabelValues(cj.Namespace, cj.Name, cronjobmetrics.DecisionInvoke, cronjobmetrics.ReasonLate).Add(float64(n - onTime))
	}
}

// TestCheckCreateJudgesByTheCreatorsView feeds checkCreate hand-built
// histories and a hand-built view of the creating process L1 (its informers'
// copies), and wants each finding classified by overlapClass and
// doubleRunClass: accepted when L1 could not know, a violation when its view,
// or the memory the patches promise, showed what forbade the create.
func TestCheckCreateJudgesByTheCreatorsView(t *testing.T) {
	type create struct {
		name   string
		minute int
		by     string // "user": a manual Job
		at     time.Duration
		// lateSent: a late commit of a request sent at checkStart+*lateSent
		lateSent *time.Duration
		// answerLost: the create succeeded, its creator got an error
		answerLost bool
	}
	// view is L1's: its CronJob informer's copy of the CronJob (the stored
	// one, with policy, active and lastScheduleTime replaced) and its Job
	// informer's Jobs (as created; finishedJobs with a Complete condition).
	type view struct {
		policy       batchv1.ConcurrencyPolicy // "": the stored one
		active       []string
		lastMinute   int // 0: no lastScheduleTime
		jobs         []string
		finishedJobs []string
		// delivered: Jobs its Job informer delivered (added or deleted)
		delivered []string
	}
	forbidOverlap := "Forbid: a Job created while another of the CronJob was unfinished"
	replaceOverlap := "Replace: a Job created while another of the CronJob was unfinished"
	double := "two Jobs for one scheduled time"
	for name, tc := range map[string]struct {
		// spec and history: the Jobs created, then deleted, the stored
		// lastScheduleTime (minutes, 0 none), then L1's view and its create;
		// deletedAfterSend: Jobs deleted after the last create (a late
		// commit) was sent, before it lands
		policy           batchv1.ConcurrencyPolicy
		history          []create
		deleted          []string
		serverLastMinute int
		view             view
		last             create
		deletedAfterSend []string
		// expectations
		wantKinds, wantAccepted []string
	}{
		"Forbid: the creator's view lacks the running Job": {
			policy:       batchv1.ForbidConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L0"}},
			last:         create{name: "b", minute: 2},
			wantAccepted: []string{classStaleView + " / " + forbidOverlap},
		},
		"Forbid: its Job informer holds the running Job": {
			policy:    batchv1.ForbidConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0"}},
			view:      view{jobs: []string{"a"}},
			last:      create{name: "b", minute: 2},
			wantKinds: []string{forbidOverlap},
		},
		"Forbid: its copy of the CronJob lists the running Job": {
			policy:    batchv1.ForbidConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0"}},
			view:      view{active: []string{"a"}},
			last:      create{name: "b", minute: 2},
			wantKinds: []string{forbidOverlap},
		},
		"Forbid: its copy of the CronJob still says Allow": {
			policy:       batchv1.ForbidConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L0"}},
			view:         view{policy: batchv1.AllowConcurrent, jobs: []string{"a"}, active: []string{"a"}},
			last:         create{name: "b", minute: 2},
			wantAccepted: []string{classStaleView + " / " + forbidOverlap},
		},
		"Forbid: the creator made the running Job itself (patch 0012 remembers it)": {
			policy:    batchv1.ForbidConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1"}},
			last:      create{name: "b", minute: 2},
			wantKinds: []string{forbidOverlap},
		},
		"Forbid: the creator made it, and its view shows the time written (memory released)": {
			policy:       batchv1.ForbidConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L1"}},
			view:         view{lastMinute: 1},
			last:         create{name: "b", minute: 2},
			wantAccepted: []string{classStaleView + " / " + forbidOverlap},
		},
		"Forbid: a manual Job the view lacks": {
			policy:       batchv1.ForbidConcurrent,
			history:      []create{{name: "m", by: "user"}},
			last:         create{name: "b", minute: 2},
			wantAccepted: []string{classStaleView + " / " + forbidOverlap},
		},
		"Forbid: a manual Job the Job informer holds": {
			policy:    batchv1.ForbidConcurrent,
			history:   []create{{name: "m", by: "user"}},
			view:      view{jobs: []string{"m"}},
			last:      create{name: "b", minute: 2},
			wantKinds: []string{forbidOverlap},
		},
		"Replace: the creator's view lacks the running Job": {
			policy:       batchv1.ReplaceConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L0"}},
			last:         create{name: "b", minute: 2},
			wantAccepted: []string{classStaleView + " / " + replaceOverlap},
		},
		"Replace: its Job informer holds the running Job": {
			policy:    batchv1.ReplaceConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0"}},
			view:      view{jobs: []string{"a"}},
			last:      create{name: "b", minute: 2},
			wantKinds: []string{replaceOverlap},
		},
		"a time run again that neither the view nor the API server showed": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L0"}},
			deleted:      []string{"a"},
			last:         create{name: "b", minute: 1},
			wantAccepted: []string{classLostWithProcess + " / " + double},
		},
		"a time run again that the API server's status showed, the view not": {
			policy:           batchv1.AllowConcurrent,
			history:          []create{{name: "a", minute: 1, by: "L0"}},
			deleted:          []string{"a"},
			serverLastMinute: 1,
			last:             create{name: "b", minute: 1},
			wantAccepted:     []string{classStaleView + " / " + double},
		},
		"a time run again that the view's status showed": {
			policy:           batchv1.AllowConcurrent,
			history:          []create{{name: "a", minute: 1, by: "L0"}},
			deleted:          []string{"a"},
			serverLastMinute: 1,
			view:             view{lastMinute: 1},
			last:             create{name: "b", minute: 1},
			wantKinds:        []string{double},
		},
		"a time run again whose first Job the Job informer still holds": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0"}},
			deleted:   []string{"a"},
			view:      view{finishedJobs: []string{"a"}},
			last:      create{name: "b", minute: 1},
			wantKinds: []string{double},
		},
		"a time run again by the process that ran it (patch 0012 remembers it)": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1"}},
			deleted:   []string{"a"},
			last:      create{name: "b", minute: 1},
			wantKinds: []string{double},
		},
		"a time run again by the process that ran a later one": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0"}, {name: "c", minute: 2, by: "L1"}},
			deleted:   []string{"a"},
			last:      create{name: "b", minute: 1},
			wantKinds: []string{double},
		},
		"a timed-out create carried out after its retry's Job was deleted": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L1", at: 10 * time.Second}},
			deleted:      []string{"a"},
			last:         create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classLateRetry + " / " + double},
		},
		"a timed-out create carried out after the next leader's retry was deleted": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L2", at: 10 * time.Second}},
			deleted:      []string{"a"},
			last:         create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classLateRetry + " / " + double},
		},
		"Forbid: a late commit sent while the sender's copy of the CronJob said Allow": {
			policy:       batchv1.ForbidConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}},
			view:         view{policy: batchv1.AllowConcurrent, jobs: []string{"a"}, active: []string{"a"}},
			last:         create{name: "b", minute: 2, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classStaleView + " / " + forbidOverlap},
		},
		"Forbid: a late commit sent while the sender's Job informer held the running Job": {
			policy:    batchv1.ForbidConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}},
			view:      view{jobs: []string{"a"}},
			last:      create{name: "b", minute: 2, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds: []string{forbidOverlap},
		},
		"Replace: a late commit beside a manual Job the sender's view lacked": {
			policy:       batchv1.ReplaceConcurrent,
			history:      []create{{name: "m", by: "user", at: 2 * time.Second}},
			last:         create{name: "b", minute: 2, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classStaleView + " / " + replaceOverlap},
		},
		"Replace: a late commit beside a controller's Job created after its request": {
			policy:    batchv1.ReplaceConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0", at: 10 * time.Second}},
			last:      create{name: "b", minute: 2, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds: []string{replaceOverlap},
		},
		"a retry, timed out, carried out after the Job of the first timed-out create was deleted": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L1", at: 3 * time.Second, lateSent: ptr.To(1 * time.Second)}},
			deleted:      []string{"a"},
			last:         create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classLateRetry + " / " + double},
		},
		"a timed-out create carried out after its timed-out retry landed first and was deleted": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L1", at: 12 * time.Second, lateSent: ptr.To(10 * time.Second)}},
			deleted:      []string{"a"},
			last:         create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classLateRetry + " / " + double},
		},
		"a retry sent while the sender's copy showed the first timed-out create's time run": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1", at: 3 * time.Second, lateSent: ptr.To(1 * time.Second)}},
			deleted:   []string{"a"},
			view:      view{lastMinute: 1},
			last:      create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds: []string{double},
		},
		"a retry sent while the sender's Job informer held the first timed-out create's Job": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1", at: 3 * time.Second, lateSent: ptr.To(1 * time.Second)}},
			deleted:   []string{"a"},
			view:      view{finishedJobs: []string{"a"}},
			last:      create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds: []string{double},
		},
		"the retry of a create whose answer was lost, its Job deleted before the Job informer delivered it": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L1", at: 2 * time.Second, answerLost: true}},
			deleted:      []string{"a"},
			last:         create{name: "a", minute: 1, at: 62 * time.Second},
			wantAccepted: []string{classLostAnswerUnseen + " / " + double},
		},
		"the retry of a create whose answer was lost, its deletion delivered (patch 0014 remembers it)": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1", at: 2 * time.Second, answerLost: true}},
			deleted:   []string{"a"},
			view:      view{delivered: []string{"a"}},
			last:      create{name: "a", minute: 1, at: 62 * time.Second},
			wantKinds: []string{double},
		},
		"a time run again by the process whose create of it was answered": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1", at: 2 * time.Second}},
			deleted:   []string{"a"},
			last:      create{name: "a", minute: 1, at: 62 * time.Second},
			wantKinds: []string{double},
		},
		"a timed-out create sent while a Job of the time existed that the sender's view lacked, carried out after its deletion": {
			policy:           batchv1.AllowConcurrent,
			history:          []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}},
			last:             create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			deletedAfterSend: []string{"a"},
			wantAccepted:     []string{classStaleView + " / " + double},
		},
		"a timed-out create sent while the sender's Job informer held the Job of the time, carried out after its deletion": {
			policy:           batchv1.AllowConcurrent,
			history:          []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}},
			view:             view{finishedJobs: []string{"a"}},
			last:             create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			deletedAfterSend: []string{"a"},
			wantKinds:        []string{double},
		},
		"a timed-out create sent after the time's Job, made by a process that stopped, was deleted unrecorded": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}},
			deleted:      []string{"a"},
			last:         create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classLostWithProcess + " / " + double},
		},
		"a timed-out create sent after the time's Job was deleted, its time in the API server's status, not in the sender's copy": {
			policy:           batchv1.AllowConcurrent,
			history:          []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}},
			deleted:          []string{"a"},
			serverLastMinute: 1,
			last:             create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted:     []string{classStaleView + " / " + double},
		},
		"a timed-out create sent after the time's Job was deleted, its time in the sender's copy": {
			policy:           batchv1.AllowConcurrent,
			history:          []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}},
			deleted:          []string{"a"},
			serverLastMinute: 1,
			view:             view{lastMinute: 1},
			last:             create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds:        []string{double},
		},
		"a timed-out create sent after the sender's own answered create of the time was deleted (patch 0012 remembers it)": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1", at: 2 * time.Second}},
			deleted:   []string{"a"},
			last:      create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds: []string{double},
		},
		"a timed-out create sent after the sender created a later time's Job": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L0", at: 2 * time.Second}, {name: "c", minute: 2, by: "L1", at: 3 * time.Second}},
			deleted:   []string{"a"},
			last:      create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds: []string{double},
		},
		"a retry, timed out, carried out after the first timed-out create landed while the retry was in flight and was deleted": {
			policy:       batchv1.AllowConcurrent,
			history:      []create{{name: "a", minute: 1, by: "L1", at: 10 * time.Second, lateSent: ptr.To(1 * time.Second)}},
			deleted:      []string{"a"},
			last:         create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantAccepted: []string{classLateRetry + " / " + double},
		},
		"a retry, timed out, sent while the sender's copy showed the time run, the first timed-out create landing while it was in flight": {
			policy:    batchv1.AllowConcurrent,
			history:   []create{{name: "a", minute: 1, by: "L1", at: 10 * time.Second, lateSent: ptr.To(1 * time.Second)}},
			deleted:   []string{"a"},
			view:      view{lastMinute: 1},
			last:      create{name: "a", minute: 1, at: 30 * time.Second, lateSent: ptr.To(5 * time.Second)},
			wantKinds: []string{double},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, tc.policy)
			made := map[string]*batchv1.Job{}
			do := func(c create) {
				by := c.by
				if by == "" {
					by = "L1"
				}
				w.clock.SetTime(checkStart.Add(c.at))
				job := scheduledJob(cj, c.name, c.minute, by == "user")
				if c.lateSent != nil {
					// Sent with the view L1 has (for the last create), what
					// the API server holds now, and after the Jobs created
					// before the send.
					sent := checkStart.Add(*c.lateSent)
					lc := &lateCommit{job: job, by: by, sentAt: sent, at: sent.Add(time.Minute)}
					w.srv.mu.Lock()
					lc.view = w.viewOf(by)
					lc.server = w.serverView()
					for _, r := range w.checks.creates {
						if r.at.Before(sent) {
							lc.creates++
						}
					}
					w.srv.mu.Unlock()
					if c == tc.last {
						for _, n := range tc.deletedAfterSend {
							if err := w.srv.delete("jobs", "default", n); err != nil {
								t.Fatal(err)
							}
						}
					}
					if err := w.srv.commitLate(lc); err != nil {
						t.Fatal(err)
					}
					if o, err := w.srv.get("jobs", "default", c.name); err == nil {
						made[c.name] = o.(*batchv1.Job)
					}
					return
				}
				o, err := w.srv.create("jobs", job, by)
				if err != nil {
					t.Fatal(err)
				}
				made[c.name] = o.(*batchv1.Job)
				if c.answerLost {
					w.answerLost(made[c.name].UID)
				}
			}
			for _, c := range tc.history {
				do(c)
			}
			for _, n := range tc.deleted {
				if err := w.srv.delete("jobs", "default", n); err != nil {
					t.Fatal(err)
				}
			}
			if tc.serverLastMinute > 0 {
				o, _ := w.srv.get("cronjobs", cj.Namespace, cj.Name)
				c := o.(*batchv1.CronJob)
				c.Status.LastScheduleTime = &metav1.Time{Time: minutes(float64(tc.serverLastMinute))}
				if _, err := w.srv.update("cronjobs", c, true); err != nil {
					t.Fatal(err)
				}
			}
			// The view is built when the check asks (the server's mu is
			// held then: the stored CronJob is read from its map).
			w.checks.view = func(by string) *processView {
				if by != "L1" {
					return nil
				}
				vc := w.srv.objs["cronjobs"][key(cj)].(*batchv1.CronJob).DeepCopy()
				if tc.view.policy != "" {
					vc.Spec.ConcurrencyPolicy = tc.view.policy
				}
				vc.Status = batchv1.CronJobStatus{}
				for _, n := range tc.view.active {
					vc.Status.Active = append(vc.Status.Active, corev1.ObjectReference{Kind: "Job", Namespace: "default", Name: n, UID: made[n].UID})
				}
				if tc.view.lastMinute > 0 {
					vc.Status.LastScheduleTime = &metav1.Time{Time: minutes(float64(tc.view.lastMinute))}
				}
				v := &processView{cronJobs: map[string]*batchv1.CronJob{key(vc): vc}, delivered: map[types.UID]bool{}}
				for _, n := range tc.view.delivered {
					v.delivered[made[n].UID] = true
				}
				for _, n := range tc.view.jobs {
					v.jobs = append(v.jobs, made[n].DeepCopy())
				}
				for _, n := range tc.view.finishedJobs {
					j := made[n].DeepCopy()
					j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: batchv1.JobComplete, Status: corev1.ConditionTrue})
					v.jobs = append(v.jobs, j)
				}
				return v
			}
			do(tc.last)
			if got := violationKinds(w); !reflect.DeepEqual(got, tc.wantKinds) {
				t.Errorf("violations %q, want kinds %q", w.violations, tc.wantKinds)
			}
			if got := acceptedKinds(w); !reflect.DeepEqual(got, tc.wantAccepted) {
				t.Errorf("accepted %q, want %q", w.checks.accepted, tc.wantAccepted)
			}
		})
	}
}

// TestViewOfIsTheLeadersInformers: the view the checks judge by is what the
// leader's informers hold: a Job created while its Job watch is held back
// is missing from it, and there once the watch catches up.
func TestViewOfIsTheLeadersInformers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(1, Config{})
		if _, err := w.srv.create("cronjobs", testCronJob("cj"), "user"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.srv.create("jobs", testJob("j1"), "user"); err != nil {
			t.Fatal(err)
		}
		w.ensureLeader()
		l := w.leader
		names := func() []string {
			v := w.viewOf(l.id)
			out := []string{}
			for k := range v.cronJobs {
				out = append(out, k)
			}
			for _, j := range v.jobs {
				out = append(out, key(j))
			}
			sort.Strings(out)
			return out
		}
		if got, want := names(), []string{"default/cj", "default/j1"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("view %v, want %v", got, want)
		}
		pw := l.watch("jobs")
		w.srv.mu.Lock()
		pw.held = true
		w.srv.mu.Unlock()
		if _, err := w.srv.create("jobs", testJob("j2"), "user"); err != nil {
			t.Fatal(err)
		}
		w.settle()
		if got, want := names(), []string{"default/cj", "default/j1"}; !reflect.DeepEqual(got, want) {
			t.Errorf("with the Job watch held: view %v, want %v", got, want)
		}
		w.srv.mu.Lock()
		pw.held = false
		w.srv.mu.Unlock()
		w.settle()
		if got, want := names(), []string{"default/cj", "default/j1", "default/j2"}; !reflect.DeepEqual(got, want) {
			t.Errorf("caught up: view %v, want %v", got, want)
		}
		if v := w.viewOf("L9"); v != nil {
			t.Errorf("a process that never ran has view %v, want none", v)
		}
		w.shutdown()
	})
}

// TestNoteMissesJudgesByTheCountersView: a time counted missed by a process
// whose copy of the CronJob had a lower deadline than the API server's (the
// user removed or raised it, and the copy did not show it yet), then run,
// is the deadline edit class; counted on a copy that showed the stored
// deadline, or after the user lowered it, it stays a violation.
func TestNoteMissesJudgesByTheCountersView(t *testing.T) {
	for name, tc := range map[string]struct {
		stored, viewed *int64 // startingDeadlineSeconds: the API server's, L1's copy's
		missed         int    // counted during L1's step
		wantKinds      []string
		wantAccepted   []string
	}{
		"counted missed on a copy that lacked the deadline's removal": {
			viewed: ptr.To(int64(10)), missed: 1,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"counted missed on a copy that lacked the deadline's raise": {
			stored: ptr.To(int64(200)), viewed: ptr.To(int64(10)), missed: 1,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
		"counted missed on a copy that showed the stored deadline": {
			stored: ptr.To(int64(10)), viewed: ptr.To(int64(10)), missed: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"counted missed on a copy that lacked the deadline's lowering": {
			stored: ptr.To(int64(5)), viewed: ptr.To(int64(10)), missed: 1,
			wantKinds: []string{"more outcomes than scheduled times"},
		},
		"two times counted missed on a stale copy, two extra outcomes": {
			viewed: ptr.To(int64(10)), missed: 2,
			wantAccepted: []string{classDeadlineEdit + " / more outcomes than scheduled times"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, batchv1.AllowConcurrent)
			w.led = [][2]time.Time{{checkStart}}
			o, _ := w.srv.get("cronjobs", cj.Namespace, cj.Name)
			c := o.(*batchv1.CronJob)
			c.Spec.StartingDeadlineSeconds = tc.stored
			if _, err := w.srv.update("cronjobs", c, false); err != nil {
				t.Fatal(err)
			}
			// An edit before the times: the revived-time rule does not apply.
			w.noteDeadline(c, ptr.To(int64(10)))
			w.checks.view = func(by string) *processView {
				vc := w.srv.objs["cronjobs"][key(cj)].(*batchv1.CronJob).DeepCopy()
				vc.Spec.StartingDeadlineSeconds = tc.viewed
				return &processView{cronJobs: map[string]*batchv1.CronJob{key(vc): vc}}
			}
			l := &leader{id: "L1"}
			stale := w.staleDeadlines(l) // before the step
			cronjobmetrics.CronJobMissedSchedules.WithLabelValues(cj.Namespace, cj.Name).Add(float64(tc.missed))
			w.noteMisses(l, stale)
			for m := 1; m <= 5; m++ {
				w.jobsMade[fmt.Sprintf("%s|%s", cj.UID, minutes(float64(m)).Format(time.RFC3339))] = fmt.Sprintf("cj-%d", m)
				w.checks.creates = append(w.checks.creates, createRec{by: "L1", cronJob: cj.UID, name: fmt.Sprintf("cj-%d", m), scheduled: minutes(float64(m)), at: minutes(float64(m) + 0.01)})
			}
			countInvokes(w, cj, 5)
			w.clock.SetTime(minutes(5.5))
			w.finalChecks()
			if got := violationKinds(w); !reflect.DeepEqual(got, tc.wantKinds) {
				t.Errorf("violations %q, want kinds %q", w.violations, tc.wantKinds)
			}
			if got := acceptedKinds(w); !reflect.DeepEqual(got, tc.wantAccepted) {
				t.Errorf("accepted %q, want %q", w.checks.accepted, tc.wantAccepted)
			}
		})
	}
}

// TestOverlapWithALateRetrysSecondJob: a Replace overlap with a Job that was
// its time's second Job in the late-retry class is in that class (seed
// 119999: a crashed leader's two timed-out creates of one time and its
// timed-out create of the next time all landed after the crash); with any
// other unfinished Job it is judged as before (here: no view, a violation).
func TestOverlapWithALateRetrysSecondJob(t *testing.T) {
	for name, tc := range map[string]struct {
		lateDouble bool
		want       string
	}{
		"the second Job of a late retry": {lateDouble: true, want: classLateRetry},
		"another unfinished Job":         {want: ""},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, batchv1.ReplaceConcurrent)
			o, err := w.srv.create("jobs", scheduledJob(cj, "cj-2", 2, false), "user")
			if err != nil {
				t.Fatal(err)
			}
			other := o.(*batchv1.Job)
			if tc.lateDouble {
				w.checks.lateDoubles = map[string]bool{key(other): true}
			}
			if got := w.overlapClass("L1", cj, scheduledJob(cj, "cj-3", 3, false), other); got != tc.want {
				t.Errorf("overlapClass = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestStaleDeadlineRunIsNoted: a Job created past the API server's starting
// deadline (at or before now minus it, as the controller counts a time
// missed) by a process whose copy of the CronJob has no deadline or a higher
// one is noted (the time may also have been counted missed on a fresher copy,
// seed 168265), and accepted as a stale view when the time has one outcome
// too many; one whose copy has the stored deadline, or a time within it, is
// not, and the extra outcome is a violation. A late commit is judged at its
// send, by the sender's view and the API server's copy then (seed 786237).
func TestStaleDeadlineRunIsNoted(t *testing.T) {
	type late struct {
		sent time.Duration // after checkStart
		// viewDeadline is the deadline of the sender's copy at the send,
		// serverDeadline the API server's then.
		viewDeadline, serverDeadline *int64
	}
	for name, tc := range map[string]struct {
		viewDeadline *int64
		at           time.Duration // when the Job is created, after checkStart; the time is minute 2, the deadline 10s
		late         *late
		want         int
	}{
		"copy without the deadline, past it":     {at: 150 * time.Second, want: 1},
		"copy with a higher deadline, past it":   {viewDeadline: ptr.To(int64(60)), at: 150 * time.Second, want: 1},
		"copy with the stored deadline, past it": {viewDeadline: ptr.To(int64(10)), at: 150 * time.Second},
		"copy without the deadline, within it":   {at: 126 * time.Second},
		// The controller counts the time missed at now minus the deadline,
		// and runs it at that instant on a copy without the deadline.
		"copy without the deadline, exactly at it":           {at: 130 * time.Second, want: 1},
		"copy without the deadline, a millisecond within it": {at: 130*time.Second - time.Millisecond},
		"a late commit sent past it on a copy without the deadline": {
			viewDeadline: ptr.To(int64(10)), at: 180 * time.Second,
			late: &late{sent: 130 * time.Second, serverDeadline: ptr.To(int64(10))}, want: 1,
		},
		"a late commit sent within it, carried out past it": {
			at:   180 * time.Second,
			late: &late{sent: 126 * time.Second, serverDeadline: ptr.To(int64(10))},
		},
		"a late commit sent past it on a copy with the stored deadline": {
			at:   180 * time.Second,
			late: &late{sent: 150 * time.Second, viewDeadline: ptr.To(int64(10)), serverDeadline: ptr.To(int64(10))},
		},
		"a late commit sent before the API server had the deadline": {
			at:   180 * time.Second,
			late: &late{sent: 150 * time.Second},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, batchv1.AllowConcurrent)
			cj.Spec.StartingDeadlineSeconds = ptr.To(int64(10))
			copyOf := cj.DeepCopy()
			copyOf.Spec.StartingDeadlineSeconds = tc.viewDeadline
			w.checks.view = func(string) *processView {
				return &processView{cronJobs: map[string]*batchv1.CronJob{key(cj): copyOf}}
			}
			if tc.late != nil {
				sentCopy, serverCopy := cj.DeepCopy(), cj.DeepCopy()
				sentCopy.Spec.StartingDeadlineSeconds = tc.late.viewDeadline
				serverCopy.Spec.StartingDeadlineSeconds = tc.late.serverDeadline
				w.srv.committing = &lateCommit{by: "L1", sentAt: checkStart.Add(tc.late.sent),
					view:   &processView{cronJobs: map[string]*batchv1.CronJob{key(cj): sentCopy}},
					server: &processView{cronJobs: map[string]*batchv1.CronJob{key(cj): serverCopy}}}
			}
			w.clock.SetTime(checkStart.Add(tc.at))
			w.noteStaleDeadlineRun("L1", cj, minutes(2))
			w.srv.committing = nil
			if got := w.checks.staleDeadlineRuns[cj.UID]; got != tc.want {
				t.Errorf("noted %d, want %d", got, tc.want)
			}
			// The time's Job and its count missed: one outcome too many.
			want := ""
			if tc.want > 0 {
				want = classStaleView
			}
			if got := w.moreOutcomesClass(w.cjs[0], 1, 1); got != want {
				t.Errorf("moreOutcomesClass = %q, want %q", got, want)
			}
		})
	}
}
