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
	"sort"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
		// history: minutes that got a Job, counted decisions, missed
		jobMinutes []int
		invokes    int
		skips      int
		missed     int
		// status: an unfinished Job in the store, and whether
		// status.active names it; a finished Job that status.active names
		unfinishedJob, activeNamesIt, activeNamesFinished bool
		// expectations
		wantKinds []string
	}{
		"every time ran": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5,
		},
		"the last time may still be tentative": {
			jobMinutes: []int{1, 2, 3, 4}, invokes: 4,
		},
		"a time missed silently": {
			jobMinutes: []int{1, 2, 4}, invokes: 3,
			wantKinds: []string{"fewer outcomes than scheduled times"},
		},
		"a time skipped, and counted": {
			jobMinutes: []int{1, 2, 4}, invokes: 3, skips: 1,
		},
		"a time missed, and counted as missed": {
			jobMinutes: []int{1, 2, 4}, invokes: 3, missed: 1,
		},
		"a time that passed while nobody led may go uncounted": {
			led:        [][2]float64{{0, 2.5}, {3.5, 0}},
			jobMinutes: []int{1, 2, 4}, invokes: 3,
		},
		"a kill may lose one time": {
			kills:      1,
			jobMinutes: []int{1, 2, 4}, invokes: 3,
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
		"a finished Job in status.active": {
			jobMinutes: []int{1, 2, 3, 4, 5}, invokes: 5, activeNamesFinished: true,
			wantKinds: []string{"status.active is not the unfinished Jobs once faults stopped"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, batchv1.AllowConcurrent)
			at := func(min float64) time.Time { return checkStart.Add(time.Duration(min * float64(time.Minute))) }
			led := tc.led
			if led == nil {
				led = [][2]float64{{0, 0}}
			}
			for _, iv := range led {
				to := time.Time{}
				if iv[1] != 0 {
					to = at(iv[1])
				}
				w.led = append(w.led, [2]time.Time{at(iv[0]), to})
			}
			w.kills = tc.kills
			for _, m := range tc.jobMinutes {
				w.jobsMade[fmt.Sprintf("%s|%s", cj.UID, at(float64(m)).Format(time.RFC3339))] = fmt.Sprintf("cj-%d", m)
			}
			if tc.invokes > 0 {
				cronjobmetrics.CronJobSchedulingDecisions.WithLabelValues(cj.Namespace, cj.Name, cronjobmetrics.DecisionInvoke, cronjobmetrics.ReasonOnTime).Add(float64(tc.invokes))
			}
			if tc.skips > 0 {
				cronjobmetrics.CronJobSchedulingDecisions.WithLabelValues(cj.Namespace, cj.Name, cronjobmetrics.DecisionSkip, cronjobmetrics.ReasonConcurrencyPolicy).Add(float64(tc.skips))
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
			if len(active) > 0 {
				o, _ := w.srv.get("cronjobs", cj.Namespace, cj.Name)
				c := o.(*batchv1.CronJob)
				for _, n := range active {
					c.Status.Active = append(c.Status.Active, corev1.ObjectReference{Kind: "Job", Namespace: c.Namespace, Name: n})
				}
				if _, err := w.srv.update("cronjobs", c, true); err != nil {
					t.Fatal(err)
				}
			}
			w.clock.SetTime(at(5.5))
			w.finalChecks()
			if got := violationKinds(w); !reflect.DeepEqual(got, tc.wantKinds) {
				t.Errorf("violations %q, want kinds %q", w.violations, tc.wantKinds)
			}
		})
	}
}
