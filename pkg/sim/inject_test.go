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
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"
)

var (
	jobsResource     = batchv1.SchemeGroupVersion.WithResource("jobs")
	cronJobsResource = batchv1.SchemeGroupVersion.WithResource("cronjobs")
)

// bareLeader is a leader with no controller and no informers: the tests of
// its request path (react) send it client actions by hand.
func bareLeader(w *world) *leader {
	l := &leader{id: "L1", w: w, queues: map[string]*queueStats{}}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l
}

func testJob(name string) *batchv1.Job {
	return &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"}}
}

func testCronJob(name string) *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: batchv1.CronJobSpec{
			Schedule: "* * * * *",
			Suspend:  ptr.To(true),
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
			}}},
		},
	}
}

func rvOf(obj runtime.Object) string {
	m, _ := meta.Accessor(obj)
	return m.GetResourceVersion()
}

// TestAPIFaultsTakeEffect sends one request through a leader's request path
// with one API fault injected and looks at what the client got and at what
// the store holds: a conflict or an error changes nothing (a lost create, a
// lost status write, a lost delete), a timeout changes the store but the
// client gets an error; a fault applies only to its verb and resource, and
// only count times.
func TestAPIFaultsTakeEffect(t *testing.T) {
	lastSchedule := metav1.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		// environment
		fault fault
		// the request: an action built from the stored objects
		action func(s *apiServer) clienttesting.Action
		// expectations
		wantErr    func(error) bool
		wantStored func(s *apiServer) bool
	}{
		"a create answered 409 stores no Job": {
			fault: fault{kind: faultConflict, verb: "create", resource: "jobs", count: 1},
			action: func(*apiServer) clienttesting.Action {
				return clienttesting.NewCreateAction(jobsResource, "default", testJob("new"))
			},
			wantErr:    apierrors.IsConflict,
			wantStored: func(s *apiServer) bool { _, err := s.get("jobs", "default", "new"); return apierrors.IsNotFound(err) },
		},
		"a create answered 500 stores no Job": {
			fault: fault{kind: faultError, verb: "create", resource: "jobs", count: 1},
			action: func(*apiServer) clienttesting.Action {
				return clienttesting.NewCreateAction(jobsResource, "default", testJob("new"))
			},
			wantErr:    apierrors.IsInternalError,
			wantStored: func(s *apiServer) bool { _, err := s.get("jobs", "default", "new"); return apierrors.IsNotFound(err) },
		},
		"a create that times out on the client stores the Job": {
			fault: fault{kind: faultTimeout, verb: "create", resource: "jobs", count: 1},
			action: func(*apiServer) clienttesting.Action {
				return clienttesting.NewCreateAction(jobsResource, "default", testJob("new"))
			},
			wantErr:    apierrors.IsTimeout,
			wantStored: func(s *apiServer) bool { _, err := s.get("jobs", "default", "new"); return err == nil },
		},
		"a status write answered 409 does not reach the store": {
			fault:      fault{kind: faultConflict, verb: "update", resource: "cronjobs", subresource: "status", count: 1},
			action:     statusWrite(lastSchedule),
			wantErr:    apierrors.IsConflict,
			wantStored: func(s *apiServer) bool { return storedLastSchedule(s) == nil },
		},
		"a status write answered 500 does not reach the store": {
			fault:      fault{kind: faultError, verb: "update", resource: "cronjobs", subresource: "status", count: 1},
			action:     statusWrite(lastSchedule),
			wantErr:    apierrors.IsInternalError,
			wantStored: func(s *apiServer) bool { return storedLastSchedule(s) == nil },
		},
		"a status write that times out on the client reaches the store": {
			fault:   fault{kind: faultTimeout, verb: "update", resource: "cronjobs", subresource: "status", count: 1},
			action:  statusWrite(lastSchedule),
			wantErr: apierrors.IsTimeout,
			wantStored: func(s *apiServer) bool {
				l := storedLastSchedule(s)
				return l != nil && l.Equal(&lastSchedule)
			},
		},
		"a delete answered 500 leaves the Job": {
			fault: fault{kind: faultError, verb: "delete", resource: "jobs", count: 1},
			action: func(*apiServer) clienttesting.Action {
				return clienttesting.NewDeleteAction(jobsResource, "default", "old")
			},
			wantErr:    apierrors.IsInternalError,
			wantStored: func(s *apiServer) bool { _, err := s.get("jobs", "default", "old"); return err == nil },
		},
		"a delete that times out on the client deletes the Job": {
			fault: fault{kind: faultTimeout, verb: "delete", resource: "jobs", count: 1},
			action: func(*apiServer) clienttesting.Action {
				return clienttesting.NewDeleteAction(jobsResource, "default", "old")
			},
			wantErr:    apierrors.IsTimeout,
			wantStored: func(s *apiServer) bool { _, err := s.get("jobs", "default", "old"); return apierrors.IsNotFound(err) },
		},
		"a get answered 409 fails": {
			fault: fault{kind: faultConflict, verb: "get", resource: "cronjobs", count: 1},
			action: func(*apiServer) clienttesting.Action {
				return clienttesting.NewGetAction(cronJobsResource, "default", "cj")
			},
			wantErr:    apierrors.IsConflict,
			wantStored: func(*apiServer) bool { return true },
		},
		"a status fault leaves a spec write alone": {
			fault: fault{kind: faultConflict, verb: "update", resource: "cronjobs", subresource: "status", count: 1},
			action: func(s *apiServer) clienttesting.Action {
				cj := s.cronJobs()[0]
				cj.Labels = map[string]string{"edited": "yes"}
				return clienttesting.NewUpdateAction(cronJobsResource, "default", cj)
			},
			wantErr:    func(err error) bool { return err == nil },
			wantStored: func(s *apiServer) bool { return s.cronJobs()[0].Labels["edited"] == "yes" },
		},
		"a Job fault leaves CronJob requests alone": {
			fault: fault{kind: faultError, verb: "get", resource: "jobs", count: 1},
			action: func(*apiServer) clienttesting.Action {
				return clienttesting.NewGetAction(cronJobsResource, "default", "cj")
			},
			wantErr:    func(err error) bool { return err == nil },
			wantStored: func(*apiServer) bool { return true },
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(1, Config{})
			if _, err := w.srv.create("cronjobs", testCronJob("cj"), "user"); err != nil {
				t.Fatal(err)
			}
			if _, err := w.srv.create("jobs", testJob("old"), "user"); err != nil {
				t.Fatal(err)
			}
			l := bareLeader(w)
			l.faults = []fault{tc.fault}
			_, _, err := l.react(tc.action(w.srv))
			if !tc.wantErr(err) {
				t.Errorf("the client got %v", err)
			}
			if !tc.wantStored(w.srv) {
				t.Errorf("the store does not hold what the fault should leave")
			}
			// A fault that failed (or timed out) the request is used up;
			// one that did not match it is left.
			if left, want := l.faults[0].count, map[bool]int{true: 0, false: 1}[err != nil]; left != want {
				t.Errorf("the fault has %d requests left, want %d", left, want)
			}
		})
	}
}

func statusWrite(last metav1.Time) func(s *apiServer) clienttesting.Action {
	return func(s *apiServer) clienttesting.Action {
		cj := s.cronJobs()[0]
		cj.Status.LastScheduleTime = &last
		return clienttesting.NewUpdateSubresourceAction(cronJobsResource, "status", "default", cj)
	}
}

func storedLastSchedule(s *apiServer) *metav1.Time {
	return s.cronJobs()[0].Status.LastScheduleTime
}

// TestAPIFaultCountsDown: a fault with count n fails the next n matching
// requests and then lets them through.
func TestAPIFaultCountsDown(t *testing.T) {
	w := newWorld(1, Config{})
	l := bareLeader(w)
	l.faults = []fault{{kind: faultError, verb: "create", resource: "jobs", count: 2}}
	for i, wantErr := range []bool{true, true, false} {
		_, _, err := l.react(clienttesting.NewCreateAction(jobsResource, "default", testJob(fmt.Sprintf("j%d", i))))
		if (err != nil) != wantErr {
			t.Errorf("request %d: error %v, want an error: %v", i+1, err, wantErr)
		}
	}
	if got := len(w.srv.jobs()); got != 1 {
		t.Errorf("%d Jobs stored, want 1 (the third request)", got)
	}
}

// TestCrashAndStopAfterWritesTakeEffect: a crash after the n-th write lets
// that write through, loses its answer, and nothing of the process reaches
// the store afterwards; a stop after the n-th write ends the workers'
// context, and the process still writes while it drains.
func TestCrashAndStopAfterWritesTakeEffect(t *testing.T) {
	for name, tc := range map[string]struct {
		// environment
		crashAfter, stopAfter int
		// expectations, for three creates in a row
		wantErrs    []bool
		wantStored  []bool
		wantDead    bool
		wantStopped bool
	}{
		"crash right after the second write": {
			crashAfter: 2,
			wantErrs:   []bool{false, true, true},
			wantStored: []bool{true, true, false},
			wantDead:   true, wantStopped: true,
		},
		"stop right after the first write": {
			stopAfter:  1,
			wantErrs:   []bool{false, false, false},
			wantStored: []bool{true, true, true},
			wantDead:   false, wantStopped: true,
		},
		"neither": {
			wantErrs:   []bool{false, false, false},
			wantStored: []bool{true, true, true},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(1, Config{})
			l := bareLeader(w)
			l.crashAfter, l.stopAfter = tc.crashAfter, tc.stopAfter
			for i := range tc.wantErrs {
				name := fmt.Sprintf("j%d", i)
				_, _, err := l.react(clienttesting.NewCreateAction(jobsResource, "default", testJob(name)))
				if (err != nil) != tc.wantErrs[i] {
					t.Errorf("write %d: error %v, want an error: %v", i+1, err, tc.wantErrs[i])
				}
				if err != nil && !errors.Is(err, errGone) {
					t.Errorf("write %d: error %v, want the process to be gone", i+1, err)
				}
				_, err = w.srv.get("jobs", "default", name)
				if stored := err == nil; stored != tc.wantStored[i] {
					t.Errorf("write %d: stored %v, want %v", i+1, stored, tc.wantStored[i])
				}
			}
			if l.isDead() != tc.wantDead {
				t.Errorf("dead: %v, want %v", l.isDead(), tc.wantDead)
			}
			if stopped := l.ctx.Err() != nil; stopped != tc.wantStopped {
				t.Errorf("workers' context ended: %v, want %v", stopped, tc.wantStopped)
			}
		})
	}
}

// TestLeaderStopsTakeEffect runs a real leader (controller and informers)
// and stops it: a kill makes every later request of the process fail
// without reaching the store and counts a kill; a graceful stop lets Run
// return and releases the lease now (the next leader counts decisions from
// this instant).
func TestLeaderStopsTakeEffect(t *testing.T) {
	for name, kill := range map[string]bool{"kill": true, "graceful stop": false} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(1, Config{})
				w.ensureLeader()
				l := w.leader
				if l == nil {
					t.Fatalf("no leader: %v", w.violations)
				}
				w.stopLeader(kill)
				if w.leader != nil {
					t.Fatalf("%s still leads", l.id)
				}
				select {
				case <-l.done:
				default:
					t.Errorf("Run of %s did not return", l.id)
				}
				if want := map[bool]int{true: 1, false: 0}[kill]; w.kills != want {
					t.Errorf("kills: %d, want %d", w.kills, want)
				}
				if !w.since.Equal(w.clock.Now()) {
					t.Errorf("the next leader counts decisions since %v, want now (%v)", w.since, w.clock.Now())
				}
				_, _, err := l.react(clienttesting.NewCreateAction(jobsResource, "default", testJob("late")))
				_, getErr := w.srv.get("jobs", "default", "late")
				if kill && (!errors.Is(err, errGone) || getErr == nil) {
					t.Errorf("a killed process's create: error %v, stored %v; want it gone and nothing stored", err, getErr == nil)
				}
				if !kill && (err != nil || getErr != nil) {
					t.Errorf("a stopped (not killed) process's create: error %v, get %v; the request path itself is still up", err, getErr)
				}
				w.shutdown()
			})
		})
	}
}

// TestStaleViewAndCoalescingTakeEffect holds a real leader's watch back: the
// informer keeps returning the resourceVersion it had while the store moves
// on; released, it catches up, seeing each update (or, coalesced, only the
// last one).
func TestStaleViewAndCoalescingTakeEffect(t *testing.T) {
	for name, tc := range map[string]struct {
		// environment
		resource string
		coalesce bool
		// expectations
		wantUpdatesSeen int
	}{
		"Jobs, released":               {resource: "jobs", wantUpdatesSeen: 3},
		"Jobs, released coalesced":     {resource: "jobs", coalesce: true, wantUpdatesSeen: 1},
		"CronJobs, released":           {resource: "cronjobs", wantUpdatesSeen: 3},
		"CronJobs, released coalesced": {resource: "cronjobs", coalesce: true, wantUpdatesSeen: 1},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(1, Config{})
				// A bare Job (no CronJob controls it) and a suspended
				// CronJob: the controller leaves both alone.
				var obj runtime.Object = testJob("j")
				if tc.resource == "cronjobs" {
					obj = testCronJob("cj")
				}
				if _, err := w.srv.create(tc.resource, obj, "user"); err != nil {
					t.Fatal(err)
				}
				w.ensureLeader()
				l := w.leader
				inf := l.informers[0]
				if tc.resource == "cronjobs" {
					inf = l.informers[1]
				}
				var seen []string
				if _, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
					UpdateFunc: func(_, newObj interface{}) { seen = append(seen, rvOf(newObj.(runtime.Object))) },
				}); err != nil {
					t.Fatal(err)
				}
				w.settle()
				stored := func() runtime.Object {
					o, err := w.srv.get(tc.resource, "default", map[string]string{"jobs": "j", "cronjobs": "cj"}[tc.resource])
					if err != nil {
						t.Fatal(err)
					}
					return o
				}
				cached := func() string {
					o, ok, err := inf.GetIndexer().GetByKey("default/" + map[string]string{"jobs": "j", "cronjobs": "cj"}[tc.resource])
					if err != nil || !ok {
						t.Fatalf("the informer does not hold the object: %v", err)
					}
					return rvOf(o.(runtime.Object))
				}
				if cached() != rvOf(stored()) {
					t.Fatalf("before the fault the informer has resourceVersion %s, the store %s", cached(), rvOf(stored()))
				}
				before := cached()

				pw := l.watch(tc.resource)
				w.srv.mu.Lock()
				pw.held = true
				w.srv.mu.Unlock()
				seen = nil
				for i := 0; i < 3; i++ {
					o := stored()
					m, _ := meta.Accessor(o)
					m.SetLabels(map[string]string{"n": fmt.Sprint(i)})
					if _, err := w.srv.update(tc.resource, o, false); err != nil {
						t.Fatal(err)
					}
					w.settle()
				}
				if got := cached(); got != before || got == rvOf(stored()) {
					t.Errorf("held: the informer has resourceVersion %s, want the old %s (the store has %s)", got, before, rvOf(stored()))
				}
				if len(seen) != 0 {
					t.Errorf("held: the informer saw updates %v", seen)
				}

				w.srv.mu.Lock()
				pw.held, pw.coalesce = false, tc.coalesce
				w.srv.mu.Unlock()
				w.settle()
				if got, want := cached(), rvOf(stored()); got != want {
					t.Errorf("released: the informer has resourceVersion %s, want the store's %s", got, want)
				}
				if len(seen) != tc.wantUpdatesSeen {
					t.Errorf("released: the informer saw the updates %v, want %d", seen, tc.wantUpdatesSeen)
				}
				w.shutdown()
			})
		})
	}
}

// TestLateCommitTakesEffect: a create with a late commit fails on the client
// with a timeout and stores nothing; the API server creates the Job at its
// delay, or, with afterGet, right after a GET of it found nothing; a name
// taken meanwhile makes the late create fail and leaves the other Job.
func TestLateCommitTakesEffect(t *testing.T) {
	for name, tc := range map[string]struct {
		// environment
		afterGet bool
		// steps after the failed create
		get       bool // the client GETs the Job at once
		takenBy   bool // a user creates a Job of that name at once
		waitFirst time.Duration
		// expectations: stored after the GET (or at once), after waitFirst,
		// after the whole delay; the creation time after the delay
		wantAfterGet, wantAfterWait, wantAtDelay bool
		wantCreated                              time.Duration
		wantTheUsersJob                          bool
	}{
		"carried out at its delay; a GET before it finds nothing": {
			get: true, waitFirst: 29 * time.Second,
			wantAtDelay: true, wantCreated: 30 * time.Second,
		},
		"carried out right after a GET finds nothing": {
			afterGet: true, get: true, waitFirst: 29 * time.Second,
			wantAfterGet: true, wantAfterWait: true, wantAtDelay: true, wantCreated: 0,
		},
		"carried out at its delay when no GET comes": {
			afterGet: true, waitFirst: 29 * time.Second,
			wantAtDelay: true, wantCreated: 30 * time.Second,
		},
		"fails on a name taken meanwhile": {
			takenBy: true, waitFirst: 29 * time.Second,
			wantAfterGet: true, wantAfterWait: true, wantAtDelay: true, wantCreated: 0, wantTheUsersJob: true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(1, Config{})
			start := w.clock.Now()
			l := bareLeader(w)
			l.faults = []fault{{kind: faultLateCommit, verb: "create", resource: "jobs", count: 1, delay: 30 * time.Second, afterGet: tc.afterGet}}
			stored := func() *batchv1.Job {
				o, err := w.srv.get("jobs", "default", "new")
				if err != nil {
					return nil
				}
				return o.(*batchv1.Job)
			}
			_, _, err := l.react(clienttesting.NewCreateAction(jobsResource, "default", testJob("new")))
			if !apierrors.IsTimeout(err) {
				t.Errorf("the client got %v, want a timeout", err)
			}
			if stored() != nil {
				t.Errorf("the Job is stored when the client's create fails")
			}
			var userUID string
			if tc.takenBy {
				o, err := w.srv.create("jobs", testJob("new"), "user")
				if err != nil {
					t.Fatal(err)
				}
				userUID = string(o.(*batchv1.Job).UID)
			}
			if tc.get {
				_, _, err := l.react(clienttesting.NewGetAction(jobsResource, "default", "new"))
				if !apierrors.IsNotFound(err) {
					t.Errorf("the GET after the failure got %v, want NotFound", err)
				}
			}
			if got := stored() != nil; got != tc.wantAfterGet {
				t.Errorf("stored after the failure (and GET): %v, want %v", got, tc.wantAfterGet)
			}
			w.clock.SetTime(start.Add(tc.waitFirst))
			w.commitLate("")
			if got := stored() != nil; got != tc.wantAfterWait {
				t.Errorf("stored %s after the failure: %v, want %v", tc.waitFirst, got, tc.wantAfterWait)
			}
			w.clock.SetTime(start.Add(30 * time.Second))
			w.commitLate("")
			j := stored()
			if got := j != nil; got != tc.wantAtDelay {
				t.Fatalf("stored at the delay: %v, want %v", got, tc.wantAtDelay)
			}
			if got := j.CreationTimestamp.Sub(start); got != tc.wantCreated {
				t.Errorf("the Job was created %s after the failure, want %s", got, tc.wantCreated)
			}
			if tc.wantTheUsersJob && string(j.UID) != userUID {
				t.Errorf("the stored Job has UID %s, want the user's %s", j.UID, userUID)
			}
			if left := w.srv.nextLateCommit(); !left.IsZero() {
				t.Errorf("a late commit is still pending at %v", left)
			}
		})
	}
}
