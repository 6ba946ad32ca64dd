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
	"math/rand"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clienttesting "k8s.io/client-go/testing"

	cronjobmetrics "github.com/steadycron/steadycron/pkg/controller/cronjob/metrics"
)

// entryOf returns the managedFields entry of manager for subresource, nil if
// there is none.
func entryOf(cj *batchv1.CronJob, manager, subresource string) *metav1.ManagedFieldsEntry {
	for i, e := range cj.ManagedFields {
		if e.Manager == manager && e.Subresource == subresource {
			return &cj.ManagedFields[i]
		}
	}
	return nil
}

// TestManagedFieldsRecordTheWrites: the API server records, as kube-apiserver
// does for an update, a managedFields entry per manager and subresource with
// operation Update, the fields the write changed and the time of the write
// (the API server's clock, to the second); a write that changes nothing
// moves nothing (and stores nothing); a field another manager writes moves
// to that manager's entry; a write of the spec leaves the status entries.
// lastScheduleTimeRecord, which the wake-up check reads, and the controller's
// clock-jump search (patch 0013) read the entry that owns lastScheduleTime.
func TestManagedFieldsRecordTheWrites(t *testing.T) {
	w := newWorld(1, Config{})
	t0 := time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
	w.clock.SetTime(t0)
	if _, err := w.srv.create("cronjobs", testCronJob("cj"), "user"); err != nil {
		t.Fatal(err)
	}
	cj := w.srv.cronJobs()[0]
	if e := entryOf(cj, managerUser, ""); e == nil || !strings.Contains(string(e.FieldsV1.Raw), `"f:schedule"`) {
		t.Fatalf("after the create: entries %v, want the user's, owning spec.schedule", cj.ManagedFields)
	}

	// L1 writes active and lastScheduleTime at 08:01:00.5.
	w.clock.SetTime(t0.Add(time.Minute + 500*time.Millisecond))
	l := bareLeader(w)
	cj.Status.LastScheduleTime = &metav1.Time{Time: t0.Add(time.Minute)}
	cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Namespace: "default", Name: "j", UID: "u"}}
	if _, _, err := l.react(clienttesting.NewUpdateSubresourceAction(cronJobsResource, "status", "default", cj)); err != nil {
		t.Fatal(err)
	}
	cj = w.srv.cronJobs()[0]
	e := entryOf(cj, managerController, "status")
	if e == nil || e.Operation != metav1.ManagedFieldsOperationUpdate || !e.Time.Time.Equal(t0.Add(time.Minute)) ||
		!strings.Contains(string(e.FieldsV1.Raw), `"f:lastScheduleTime"`) || !strings.Contains(string(e.FieldsV1.Raw), `"f:active"`) {
		t.Fatalf("after L1's status write: entries %+v, want cronjob-controller's Update of status at 08:01:00 owning active and lastScheduleTime", cj.ManagedFields)
	}
	if got := lastScheduleTimeRecord(cj); !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("the record of lastScheduleTime is %v, want 08:01:00", got)
	}

	// The same status again at 08:02: nothing changes, nothing is stored.
	w.clock.SetTime(t0.Add(2 * time.Minute))
	rv := cj.ResourceVersion
	if _, _, err := l.react(clienttesting.NewUpdateSubresourceAction(cronJobsResource, "status", "default", cj)); err != nil {
		t.Fatal(err)
	}
	cj = w.srv.cronJobs()[0]
	if cj.ResourceVersion != rv || !entryOf(cj, managerController, "status").Time.Time.Equal(t0.Add(time.Minute)) {
		t.Errorf("a write that changes nothing: resourceVersion %s (was %s), entries %+v", cj.ResourceVersion, rv, cj.ManagedFields)
	}

	// A restore writes lastScheduleTime two hours ahead at 08:03.
	w.clock.SetTime(t0.Add(3 * time.Minute))
	cj.Status.LastScheduleTime = &metav1.Time{Time: t0.Add(2 * time.Hour)}
	if _, err := w.srv.updateAs("cronjobs", cj, true, "restore"); err != nil {
		t.Fatal(err)
	}
	cj = w.srv.cronJobs()[0]
	if e := entryOf(cj, managerController, "status"); e == nil || strings.Contains(string(e.FieldsV1.Raw), `"f:lastScheduleTime"`) || !strings.Contains(string(e.FieldsV1.Raw), `"f:active"`) {
		t.Errorf("after the restore: the controller's entry %+v, want it to keep active only", e)
	}
	if got := lastScheduleTimeRecord(cj); !got.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("the record of lastScheduleTime is %v, want the restore's 08:03", got)
	}

	// The user's spec write leaves the status entries as they were.
	cj.Spec.Suspend = nil
	if _, err := w.srv.update("cronjobs", cj, false); err != nil {
		t.Fatal(err)
	}
	if got := lastScheduleTimeRecord(w.srv.cronJobs()[0]); !got.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("after a spec write, the record of lastScheduleTime is %v, want 08:03", got)
	}
}

// extraRngFiring returns a random source whose first Intn(n) is want.
func extraRngFiring(n, want int) *rand.Rand {
	for s := int64(0); ; s++ {
		if rand.New(rand.NewSource(s)).Intn(n) == want {
			return rand.New(rand.NewSource(s))
		}
	}
}

// TestExtraFaultsTakeEffect: a restore writes the CronJob's lastScheduleTime
// ahead (a scheduled time of it, within the minute or more than a minute
// ahead, recorded by the API server at the write) and the model takes the
// times it claims; a foreign Job takes the name of the next scheduled time's
// Job, controlled by nobody or made by hand; a twin's create makes the
// leader's create of the same Job fail with AlreadyExists, the Job stored
// and recorded as the twin's.
func TestExtraFaultsTakeEffect(t *testing.T) {
	t.Run("restore ahead", func(t *testing.T) {
		for _, near := range []bool{true, false} {
			w, _ := checkWorld(t, batchv1.AllowConcurrent)
			w.clock.SetTime(minutes(2.5))
			w.restoreStatus(near)
			cj := w.srv.cronJobs()[0]
			last := cj.Status.LastScheduleTime
			ahead := last.Sub(w.clock.Now())
			if last == nil || ahead <= 0 || (near && ahead > time.Minute) || (!near && ahead <= time.Minute) || last.Time.Second() != 0 {
				t.Fatalf("near %v: lastScheduleTime %v at %v, want a scheduled time ahead (within a minute: %v)", near, last, w.clock.Now(), near)
			}
			if rec := lastScheduleTimeRecord(cj); !rec.Equal(minutes(2.5).Truncate(time.Second)) {
				t.Errorf("near %v: the write is recorded at %v, want %v", near, rec, minutes(2.5))
			}
			m := w.cjs[0]
			if !m.claimed(last.Time) || !m.claimed(minutes(2)) || (!near && m.claimed(minutes(3))) {
				t.Errorf("near %v: the model does not take the restored time, or the times due by the restore, as claimed: %+v", near, m.restores)
			}
		}
	})
	t.Run("foreign Job", func(t *testing.T) {
		for _, byHand := range []bool{false, true} {
			w, cj := checkWorld(t, batchv1.AllowConcurrent)
			w.clock.SetTime(minutes(2.5))
			w.foreignJob(byHand)
			o, err := w.srv.get("jobs", "default", fmt.Sprintf("cj-%d", minutes(3).Unix()/60))
			if err != nil {
				t.Fatalf("by hand %v: no Job under the name of 00:03's: %v", byHand, err)
			}
			j := o.(*batchv1.Job)
			controlled := metav1.IsControlledBy(j, cj)
			if controlled != byHand || (byHand && j.Annotations["cronjob.kubernetes.io/instantiate"] != "manual") {
				t.Errorf("by hand %v: the Job's controller %v, annotations %v", byHand, metav1.GetControllerOf(j), j.Annotations)
			}
			if got := w.cjs[0].foreign; len(got) != 1 || !got[0].Equal(minutes(3)) {
				t.Errorf("by hand %v: foreign times %v, want 00:03", byHand, got)
			}
		}
	})
	t.Run("twin create", func(t *testing.T) {
		w, cj := checkWorld(t, batchv1.AllowConcurrent)
		w.extraRng = extraRngFiring(25, 0)
		l := bareLeader(w)
		job := scheduledJob(cj, fmt.Sprintf("cj-%d", minutes(1).Unix()/60), 1, false)
		_, _, err := l.react(clienttesting.NewCreateAction(jobsResource, "default", job))
		if !apierrors.IsAlreadyExists(err) {
			t.Fatalf("the leader's create got %v, want AlreadyExists", err)
		}
		if len(w.srv.jobs()) != 1 || len(w.checks.creates) != 1 || w.checks.creates[0].by != "L1"+twinSuffix || w.checks.creates[0].acked {
			t.Errorf("stored %d Jobs, creates %+v: want the twin's Job, not answered to L1", len(w.srv.jobs()), w.checks.creates)
		}
	})
}

// TestCheckReasons: the invoke reasons and the nameConflict skips the model
// knows, with violating and passing histories.
func TestCheckReasons(t *testing.T) {
	for name, tc := range map[string]struct {
		// a create of 00:0m's Job by L1, started at 00:00, or L2, started at
		// 00:02:30, answered
		jobsBy                      map[int]string
		onTime, late, nameConflicts int
		foreign                     []float64
		wantViolations              int
	}{
		"on time by the process leading when due":    {jobsBy: map[int]string{1: "L1", 2: "L1"}, onTime: 2},
		"late for a time due before its creator led": {jobsBy: map[int]string{1: "L1", 2: "L2"}, onTime: 1, late: 1},
		"on time for a time due before its creator led": {jobsBy: map[int]string{1: "L1", 2: "L2"}, onTime: 2,
			wantViolations: 2},
		"late for a time whose creator led, then skipped tentatively": {jobsBy: map[int]string{1: "L1", 2: "L1"}, onTime: 1, late: 1},
		"a catch-up not counted at all (judged by the invoke count)":  {jobsBy: map[int]string{1: "L1", 2: "L2"}, onTime: 1},
		"a name conflict for a time a foreign Job held":               {nameConflicts: 1, foreign: []float64{3}},
		"a name conflict without a foreign Job":                       {nameConflicts: 1, wantViolations: 1},
	} {
		t.Run(name, func(t *testing.T) {
			w, cj := checkWorld(t, batchv1.AllowConcurrent)
			w.leaders = []*leader{{id: "L1"}, {id: "L2"}}
			w.led = [][2]time.Time{{minutes(0), minutes(2.25)}, {minutes(2.5)}}
			for m, by := range tc.jobsBy {
				w.checks.creates = append(w.checks.creates, createRec{by: by, cronJob: cj.UID, name: fmt.Sprintf("cj-%d", m), scheduled: minutes(float64(m)), at: minutes(float64(m) + 0.01), acked: true})
			}
			for _, f := range tc.foreign {
				w.cjs[0].foreign = append(w.cjs[0].foreign, minutes(f))
			}
			d := map[string]int{"invoke": tc.onTime + tc.late, "invoke/" + cronjobmetrics.ReasonOnTime: tc.onTime, "invoke/" + cronjobmetrics.ReasonLate: tc.late,
				"skip/" + cronjobmetrics.ReasonNameConflict: tc.nameConflicts}
			w.checkReasons(w.cjs[0], d, len(w.ackedTimes(w.cjs[0])))
			if len(w.violations) != tc.wantViolations {
				t.Errorf("violations %q, want %d", w.violations, tc.wantViolations)
			}
		})
	}
}

// TestWakeUpChecksFlagACronJobNobodyWakes: a leader that syncs the CronJob
// at its next scheduled time passes the wake-up check (I4); one whose
// workers stopped (nothing syncs the key any more) fails it, and so does a
// CronJob whose next time the check takes from a restored lastScheduleTime
// within the minute (the controller waits for the time after it: the check
// waits for that one too, and the leader syncs then).
func TestWakeUpChecksFlagACronJobNobodyWakes(t *testing.T) {
	for name, tc := range map[string]struct {
		stopWorkers, restoreNear bool
		want                     bool
	}{
		"a leader that syncs at the next time":              {},
		"a leader whose workers stopped":                    {stopWorkers: true, want: true},
		"a restored lastScheduleTime the controller trusts": {restoreNear: true},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w, _ := checkWorld(t, batchv1.AllowConcurrent)
				w.ensureLeader()
				w.advance(90 * time.Second)
				if tc.restoreNear {
					w.extraRng = rand.New(rand.NewSource(1))
					w.restoreStatus(true)
					w.settle()
				}
				if tc.stopWorkers {
					w.leader.cancel()
				}
				w.wakeUpChecks()
				if got := len(w.violations) > 0; got != tc.want {
					t.Errorf("violations %q, want a violation %v", w.violations, tc.want)
				}
				w.shutdown()
			})
		})
	}
}

// TestShownLastTakesAJumpForItsRecord: a last schedule time more than a
// minute ahead of the API server's record of its write, and later than now,
// shows only the record run (patch 0013 takes it for a clock jump); within
// the minute, or once now passed it, it shows itself.
func TestShownLastTakesAJumpForItsRecord(t *testing.T) {
	now := time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
	written := func(last, rec time.Time) *batchv1.CronJob {
		cj := &batchv1.CronJob{Status: batchv1.CronJobStatus{LastScheduleTime: &metav1.Time{Time: last}}}
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "restore", Operation: metav1.ManagedFieldsOperationUpdate, Subresource: "status",
			Time: &metav1.Time{Time: rec}, FieldsType: "FieldsV1",
			FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:status":{"f:lastScheduleTime":{}}}`)},
		}}
		return cj
	}
	for name, tc := range map[string]struct {
		cj   *batchv1.CronJob
		want time.Time
	}{
		"two hours ahead of its record: the record": {written(now.Add(2*time.Hour), now), now},
		"within the minute: itself":                 {written(now.Add(50*time.Second), now), now.Add(50 * time.Second)},
		"ahead of its record, and past now: itself": {written(now.Add(-time.Minute), now.Add(-time.Hour)), now.Add(-time.Minute)},
		"no record: itself":                         {&batchv1.CronJob{Status: batchv1.CronJobStatus{LastScheduleTime: &metav1.Time{Time: now.Add(time.Hour)}}}, now.Add(time.Hour)},
	} {
		t.Run(name, func(t *testing.T) {
			got, ok := shownLast(tc.cj, now)
			if !ok || !got.Equal(tc.want) {
				t.Errorf("shownLast: got %v %v, want %v", got, ok, tc.want)
			}
			if lastAtOrAfter(tc.cj, tc.want.Add(time.Second), now) {
				t.Errorf("lastAtOrAfter a second after %v: true", tc.want)
			}
		})
	}
}
