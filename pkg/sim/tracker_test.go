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
	"strings"
	"testing"
	"testing/synctest"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestTrackerChecksFlagCountsOffTheRule runs the job tracker of real leaders
// over one manual Job that runs and completes, with a leader change, and
// gives the second leader's tracker a PreviousLeaderUntil other than the
// previous leader's stop: zero after a quick restart (the second the first
// leader counted is counted again), or a time an hour ahead (the finish that
// was the second leader's is counted by nobody). The checks must flag both,
// and nothing when the tracker gets the previous leader's stop.
func TestTrackerChecksFlagCountsOffTheRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		// finishAfterChange: the Job completes once the second leader
		// leads, in the second after the change (else before the change,
		// in its second).
		finishAfterChange bool
		previousUntil     func(time.Time) time.Time
		want              []string
	}{
		{name: "quick restart, previous stop given"},
		{name: "finish after the change, previous stop given", finishAfterChange: true},
		{
			name:          "quick restart, previous stop forgotten",
			previousUntil: func(time.Time) time.Time { return time.Time{} },
			want: []string{
				"tracker: Job default/cj-manual counted finished 2 times (L1 1, L2 1)",
				"tracker: Job default/cj-manual counted attempts 2 times (L1 1, L2 1)",
			},
		},
		{
			name:              "finish after the change, previous stop an hour ahead",
			finishAfterChange: true,
			previousUntil:     func(since time.Time) time.Time { return since.Add(time.Hour) },
			want: []string{
				"tracker: Job default/cj-manual finished at +00:00:01.000 while L2 led and was seen finished by it, counted finished by L2 0 times (all: )",
				"tracker: Job default/cj-manual finished at +00:00:01.000 while L2 led and was seen finished by it, counted attempts by L2 0 times (all: )",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(1, Config{})
				// Mid-second, so that the leader change falls in the
				// second of the finish.
				w.start = checkStart
				w.clock.SetTime(checkStart.Add(200 * time.Millisecond))
				w.trackerPreviousUntil = tc.previousUntil
				obj, err := w.srv.create("cronjobs", testCronJob("cj"), "user")
				if err != nil {
					t.Fatal(err)
				}
				cj := obj.(*batchv1.CronJob)
				job := scheduledJob(cj, "cj-manual", 0, true)
				job.Spec = cj.Spec.JobTemplate.Spec
				if _, err := w.srv.create("jobs", job, "user"); err != nil {
					t.Fatal(err)
				}
				w.ensureLeader()
				complete := func() {
					o, err := w.srv.get("jobs", "default", "cj-manual")
					if err != nil {
						t.Fatal(err)
					}
					w.completeJob(o.(*batchv1.Job), metav1.NewTime(w.clock.Now()))
					w.settle()
				}
				if !tc.finishAfterChange {
					complete()
				}
				w.clock.SetTime(checkStart.Add(500 * time.Millisecond))
				w.stopLeader(false)
				w.ensureLeader()
				if tc.finishAfterChange {
					// In the next second: the handover second is lost.
					w.clock.SetTime(checkStart.Add(1500 * time.Millisecond))
					complete()
				}
				w.trackerChecksAtEnd()
				var got []string
				for _, v := range w.violations {
					// The metric of the finish seen by L2's first list,
					// before its CronJob informer synced, is dropped (the
					// finding of seeds 30, 36 and 53): not what this
					// test is about.
					if strings.HasPrefix(v, "tracker: ") && !strings.Contains(v, "the metric of finished") {
						got = append(got, v)
					}
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("violations:\n  %s\nwant:\n  %s\ntrace:\n%s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "), strings.Join(w.trace, "\n"))
				}
				w.shutdown()
			})
		})
	}
}

// TestTrackerChecksFlagAStartCountedByNobody: a Job whose app container
// started while no tracker ran, with no leader after it, was counted started
// by nobody, and the check says so; with a leader after it, the next
// leader's tracker counts it.
func TestTrackerChecksFlagAStartCountedByNobody(t *testing.T) {
	for name, leaderAfter := range map[string]bool{"a leader after the start": true, "nobody leads after the start": false} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w, cj := newCronJobWorld(t)
				job := scheduledJob(cj, "cj-manual", 0, true)
				job.Spec = cj.Spec.JobTemplate.Spec
				if _, err := w.srv.create("jobs", job, "user"); err != nil {
					t.Fatal(err)
				}
				w.ensureLeader()
				w.stopLeader(true)
				w.clock.SetTime(checkStart.Add(time.Minute))
				o, err := w.srv.get("jobs", "default", "cj-manual")
				if err != nil {
					t.Fatal(err)
				}
				w.startPod(o.(*batchv1.Job), metav1.NewTime(w.clock.Now()))
				if leaderAfter {
					w.clock.SetTime(checkStart.Add(2 * time.Minute))
					w.ensureLeader()
				}
				w.trackerChecksAtEnd()
				var want []string
				if !leaderAfter {
					want = []string{"tracker: Job default/cj-manual started at +00:01:00.000 and was never counted started"}
				}
				if strings.Join(w.violations, "\n") != strings.Join(want, "\n") {
					t.Errorf("violations:\n  %s\nwant:\n  %s\ntrace:\n%s", strings.Join(w.violations, "\n  "), strings.Join(want, "\n  "), strings.Join(w.trace, "\n"))
				}
				w.shutdown()
			})
		})
	}
}

// TestTrackerChecksPodHiddenByAnOlderJobOfTheName (seed 1082283): a Job is
// deleted and made anew under its name while the leader's Job informer is
// held, and the new Job's pod starts; the leader is then killed and nobody
// leads after it, so nobody counts the start. The tracker drops the pod of a
// Job its informer does not show, by UID (jobtracker.podOfCronJob): an
// informer that still shows the older Job of the name hides the pod as one
// that shows no Job does, and the start counted by nobody is not flagged
// (docs/reliability.md). The near miss, an informer handed the new Job before
// it was held, saw the pod: its start counted by nobody is flagged.
func TestTrackerChecksPodHiddenByAnOlderJobOfTheName(t *testing.T) {
	for _, tc := range []struct {
		name string
		// replacedWhileHeld: the older Job is deleted and the new one made
		// after the informer is held (else before, and handed to it).
		replacedWhileHeld bool
		want              []string
	}{
		{name: "informer shows the older Job", replacedWhileHeld: true},
		{name: "informer shows the new Job", want: []string{"tracker: Job default/cj-manual started at +00:01:00.000 and was never counted started"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w, cj := newCronJobWorld(t)
				makeJob := func() {
					job := scheduledJob(cj, "cj-manual", 0, true)
					job.Spec = cj.Spec.JobTemplate.Spec
					if _, err := w.srv.create("jobs", job, "user"); err != nil {
						t.Fatal(err)
					}
				}
				makeJob()
				w.ensureLeader()
				hold := func() {
					pw := w.leader.watch("jobs")
					w.srv.mu.Lock()
					pw.held = true
					w.srv.mu.Unlock()
				}
				replace := func() {
					if err := w.srv.delete("jobs", "default", "cj-manual"); err != nil {
						t.Fatal(err)
					}
					makeJob()
				}
				if tc.replacedWhileHeld {
					hold()
					replace()
				} else {
					replace()
					w.settle()
					hold()
				}
				w.clock.SetTime(checkStart.Add(time.Minute))
				o, err := w.srv.get("jobs", "default", "cj-manual")
				if err != nil {
					t.Fatal(err)
				}
				w.startPod(o.(*batchv1.Job), metav1.NewTime(w.clock.Now()))
				w.stopLeader(true)
				w.trackerChecksAtEnd()
				var got []string
				for _, v := range w.violations {
					if strings.HasPrefix(v, "tracker: Job ") {
						got = append(got, v)
					}
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("violations:\n  %s\nwant:\n  %s\ntrace:\n%s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "), strings.Join(w.trace, "\n"))
				}
				w.shutdown()
			})
		})
	}
}

// newCronJobWorld is a simulated world that starts at checkStart with one
// CronJob, cj, created by the user.
func newCronJobWorld(t *testing.T) (*world, *batchv1.CronJob) {
	t.Helper()
	w := newWorld(1, Config{})
	w.start = checkStart
	w.clock.SetTime(checkStart)
	obj, err := w.srv.create("cronjobs", testCronJob("cj"), "user")
	if err != nil {
		t.Fatal(err)
	}
	return w, obj.(*batchv1.CronJob)
}

// TestTrackerChecksFlagMoreAttemptsThanStarts: the attempts a tracker logs
// for a Job are at most the starts of its pods' app container that the world
// made (h17x review I3: a tracker that counts a pod's start again at a
// relist logged 2 for one start); fewer (a pod it never saw running) pass.
func TestTrackerChecksFlagMoreAttemptsThanStarts(t *testing.T) {
	for _, tc := range []struct {
		starts, attempts int
		want             bool
	}{
		{starts: 1, attempts: 1},
		{starts: 1, attempts: 0},
		{starts: 0, attempts: 0},
		{starts: 2, attempts: 2},
		{starts: 1, attempts: 2, want: true},
		{starts: 0, attempts: 1, want: true},
	} {
		w, cj := checkWorld(t, batchv1.AllowConcurrent)
		job := scheduledJob(cj, "cj-1", 1, false)
		job.UID = "uid-1"
		w.recordJob(job)
		w.tracker.jobs["default/cj-1"].starts = tc.starts
		w.checkAttempts(&leader{id: "L1"}, "default/cj-1", "uid-1", tc.attempts)
		if got := len(w.violations) > 0; got != tc.want {
			t.Errorf("%d starts, %d attempts logged: violations %q, want a violation %v", tc.starts, tc.attempts, w.violations, tc.want)
		}
	}
}
