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

package jobtracker

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/component-base/metrics/testutil"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
)

// podStep is one thing the tracker sees happen to a pod of the Job; after
// each, the worker syncs the Job.
type podStep struct {
	pod *corev1.Pod
	// deleted: the pod's removal is seen, at clock (when set).
	deleted bool
	clock   time.Time
}

func restarted(container string, lastStarted, lastFinished, startedAt time.Time, restarts int32) corev1.ContainerStatus {
	s := running(container, startedAt)
	s.RestartCount = restarts
	s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{
		StartedAt: metav1.NewTime(lastStarted), FinishedAt: metav1.NewTime(lastFinished), ExitCode: 1,
	}
	return s
}

// crashLooping is a container waiting to be restarted after its latest run
// failed (CrashLoopBackOff): the kubelet's restartCount is that run's number.
func crashLooping(container string, lastStarted, lastFinished time.Time, restarts int32) corev1.ContainerStatus {
	s := restarted(container, lastStarted, lastFinished, time.Time{}, restarts)
	s.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
	return s
}

// terminating is p after its deletion was requested at requested with a
// grace period of grace, as the API server records it.
func terminating(p *corev1.Pod, requested time.Time, grace time.Duration) *corev1.Pod {
	p.DeletionTimestamp = ptr.To(metav1.NewTime(requested.Add(grace)))
	p.DeletionGracePeriodSeconds = ptr.To(int64(grace.Seconds()))
	return p
}

// created sets the pod's creation time.
func created(p *corev1.Pod, at time.Time) *corev1.Pod {
	p.CreationTimestamp = metav1.NewTime(at)
	return p
}

// indexed makes p the pod of completion index i of an Indexed Job.
func indexed(p *corev1.Pod, i int) *corev1.Pod {
	p.Annotations = map[string]string{batchv1.JobCompletionIndexAnnotation: strconv.Itoa(i)}
	return p
}

func failed(p *corev1.Pod) *corev1.Pod {
	p.Status.Phase = corev1.PodFailed
	return p
}

func succeeded(p *corev1.Pod) *corev1.Pod {
	p.Status.Phase = corev1.PodSucceeded
	return p
}

func reexecutionsCounted(t *testing.T) (overlaps, retries float64) {
	t.Helper()
	overlaps, _ = testutil.GetCounterMetricValue(jobReexecutions.WithLabelValues("team-a", "nightly", triggerScheduled, reexecutionOverlap))
	retries, _ = testutil.GetCounterMetricValue(jobReexecutions.WithLabelValues("team-a", "nightly", triggerScheduled, reexecutionRetry))
	return overlaps, retries
}

func TestReexecutions(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	parallel := func(completions, parallelism int32, indexedMode bool) func(*batchv1.Job) {
		return func(j *batchv1.Job) {
			j.Spec.Completions, j.Spec.Parallelism = ptr.To(completions), ptr.To(parallelism)
			if indexedMode {
				j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
			}
		}
	}
	testCases := map[string]struct {
		// spec
		job func(...func(*batchv1.Job)) *batchv1.Job
		// steps: what the tracker sees, in this order; then the Job finishes
		steps func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep
		// expectations
		wantOverlaps, wantRetries float64
		wantAttempts              float64
		wantEvent                 string
		wantAnnotation            string
	}{
		"one pod runs once: nothing": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: pod("p1", terminated("app", sec(0), sec(30), 0))},
				}
			},
			wantAttempts: 1,
		},
		"a failed pod and its retry: one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: failed(pod("p1", terminated("app", sec(0), sec(10), 1)))},
					{pod: created(pod("p2", running("app", sec(20))), sec(11))},
					{pod: pod("p2", terminated("app", sec(20), sec(30), 0))},
				}
			},
			wantRetries: 1, wantAttempts: 2, wantAnnotation: "overlap=0,retry=1",
		},
		"an interrupted pod still terminating while its replacement runs (TerminatingOrFailed): one overlap and its event": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: terminating(pod("p1", running("app", sec(0))), sec(4), 30*time.Second)},
					{pod: created(pod("p2", running("app", sec(5))), sec(4))},
					{pod: terminating(pod("p1", terminated("app", sec(0), sec(35), 137)), sec(4), 30*time.Second)},
					{pod: terminating(pod("p1", terminated("app", sec(0), sec(35), 137)), sec(4), 30*time.Second), deleted: true},
					{pod: pod("p2", terminated("app", sec(5), sec(60), 0))},
				}
			},
			wantOverlaps: 1, wantAttempts: 2, wantAnnotation: "overlap=1,retry=0",
			wantEvent: "Warning OverlappingRun The app container of pod p2 started at 2026-11-22T10:00:07Z while the one of pod p1 (started at 2026-11-22T10:00:02Z) was still running",
		},
		"an interrupted pod replaced once it failed (podReplacementPolicy Failed): one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: terminating(pod("p1", running("app", sec(0))), sec(4), 30*time.Second)},
					{pod: failed(terminating(pod("p1", terminated("app", sec(0), sec(20), 137)), sec(4), 30*time.Second))},
					{pod: created(pod("p2", running("app", sec(22))), sec(21))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"bad order: the replacement is seen running while the old pod's status is stale, then the old pod had ended before: one retry, no overlap": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: created(pod("p2", running("app", sec(6))), sec(5))},
					{pod: failed(pod("p1", terminated("app", sec(0), sec(3), 1)))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"bad order, Indexed: the replacement of index 0 is seen before the old pod's end, which came first: one retry": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job {
				return newJob(append(m, parallel(1, 1, true))...)
			},
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: indexed(pod("p0", running("app", sec(0))), 0)},
					{pod: indexed(created(pod("p0b", running("app", sec(6))), sec(5)), 0)},
					{pod: indexed(failed(pod("p0", terminated("app", sec(0), sec(3), 1))), 0)},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"the replacement's status arrives after the old pod ended later than it started: an overlap": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: terminating(pod("p1", terminated("app", sec(0), sec(35), 137)), sec(4), 30*time.Second)},
					{pod: created(pod("p2", running("app", sec(5))), sec(4))},
				}
			},
			wantOverlaps: 1, wantAttempts: 2,
			wantEvent: "Warning OverlappingRun The app container of pod p2 started at 2026-11-22T10:00:07Z",
		},
		"a pod removed while running, as far as the tracker saw, before the replacement started: one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: pod("p1", running("app", sec(0))), deleted: true, clock: sec(4)},
					{pod: pod("p2", running("app", sec(5)))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"a pod removed at once with its last status still running (a force delete), replaced after: one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: terminating(pod("p1", running("app", sec(0))), sec(4), 30*time.Second), deleted: true, clock: sec(4)},
					{pod: created(pod("p2", running("app", sec(6))), sec(4))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"a container restarted by restartPolicy OnFailure: one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: pod("p1", restarted("app", sec(0), sec(10), sec(20), 1))},
					{pod: pod("p1", terminated("app", sec(20), sec(30), 0))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"restarts coalesced into one update: each is counted": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: pod("p1", restarted("app", sec(20), sec(30), sec(40), 2))},
				}
			},
			wantRetries: 2, wantAttempts: 3,
		},
		"CrashLoopBackOff: the run before the wait counts, also when it is the last": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: pod("p1", crashLooping("app", sec(0), sec(1), 0))},
					{pod: pod("p1", crashLooping("app", sec(11), sec(12), 1))},
					{pod: pod("p1", crashLooping("app", sec(32), sec(33), 2))},
				}
			},
			wantRetries: 2, wantAttempts: 3,
		},
		"a pod first seen after its container restarted: the restart is a retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{{pod: pod("p1", restarted("app", sec(0), sec(10), sec(20), 1))}}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"parallelism 3: three pods side by side are one run each: nothing": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(3, 3, false))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: created(pod("p1", running("app", sec(0))), t0)},
					{pod: created(pod("p2", running("app", sec(1))), t0)},
					{pod: created(pod("p3", running("app", sec(2))), t0)},
					{pod: succeeded(pod("p1", terminated("app", sec(0), sec(10), 0)))},
					{pod: succeeded(pod("p2", terminated("app", sec(1), sec(11), 0)))},
					{pod: succeeded(pod("p3", terminated("app", sec(2), sec(12), 0)))},
				}
			},
			wantAttempts: 3,
		},
		"completions 3, parallelism 1: pods one after another are one run each: nothing": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(3, 1, false))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: succeeded(created(pod("p1", terminated("app", sec(0), sec(10), 0)), t0))},
					{pod: succeeded(created(pod("p2", terminated("app", sec(12), sec(20), 0)), sec(11)))},
					{pod: succeeded(created(pod("p3", terminated("app", sec(22), sec(30), 0)), sec(21)))},
				}
			},
			wantAttempts: 3,
		},
		"completions 2, parallelism 2, one pod evicted: one overlap, its sibling is not a re-execution": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(2, 2, false))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: created(pod("p1", running("app", sec(0))), t0)},
					{pod: created(pod("p2", running("app", sec(1))), t0)},
					{pod: terminating(created(pod("p1", running("app", sec(0))), t0), sec(10), 30*time.Second)},
					{pod: created(pod("p3", running("app", sec(12))), sec(10))},
					{pod: failed(terminating(created(pod("p1", terminated("app", sec(0), sec(35), 137)), t0), sec(10), 30*time.Second))},
					{pod: succeeded(created(pod("p2", terminated("app", sec(1), sec(40), 0)), t0))},
					{pod: succeeded(created(pod("p3", terminated("app", sec(12), sec(50), 0)), sec(10)))},
				}
			},
			wantOverlaps: 1, wantAttempts: 3,
			wantEvent: "Warning OverlappingRun The app container of pod p3 started at 2026-11-22T10:00:14Z while the one of pod p1",
		},
		"completions 2, parallelism 2, one pod's app fails and is replaced: one retry, its sibling is not a re-execution": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(2, 2, false))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: created(pod("p1", running("app", sec(0))), t0)},
					{pod: created(pod("p2", running("app", sec(1))), t0)},
					{pod: succeeded(created(pod("p2", terminated("app", sec(1), sec(3), 0)), t0))},
					{pod: created(pod("p4", running("app", sec(4))), sec(3))},
					{pod: failed(created(pod("p1", terminated("app", sec(0), sec(5), 1)), t0))},
					{pod: created(pod("p3", running("app", sec(7))), sec(6))},
				}
			},
			wantRetries: 1, wantAttempts: 4, wantAnnotation: "overlap=0,retry=1",
		},
		"Indexed, 3 completions in parallel: one pod per index: nothing": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(3, 3, true))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: indexed(pod("p0", running("app", sec(0))), 0)},
					{pod: indexed(pod("p1", running("app", sec(1))), 1)},
					{pod: indexed(pod("p2", running("app", sec(2))), 2)},
					{pod: indexed(succeeded(pod("p1", terminated("app", sec(1), sec(5), 0))), 1)},
				}
			},
			wantAttempts: 3,
		},
		"Indexed, index 1 failed and replaced after (podReplacementPolicy Failed): one retry": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(3, 3, true))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: indexed(pod("p0", running("app", sec(0))), 0)},
					{pod: indexed(pod("p1", running("app", sec(1))), 1)},
					{pod: indexed(pod("p2", running("app", sec(2))), 2)},
					{pod: indexed(failed(pod("p1", terminated("app", sec(1), sec(5), 1))), 1)},
					{pod: indexed(pod("p1b", running("app", sec(7))), 1)},
				}
			},
			wantRetries: 1, wantAttempts: 4,
		},
		"Indexed, index 2 interrupted and replaced while terminating (TerminatingOrFailed): one overlap": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(3, 3, true))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: indexed(pod("p0", running("app", sec(0))), 0)},
					{pod: indexed(pod("p1", running("app", sec(1))), 1)},
					{pod: indexed(pod("p2", running("app", sec(2))), 2)},
					{pod: indexed(terminating(pod("p2", running("app", sec(2))), sec(10), 30*time.Second), 2)},
					{pod: indexed(pod("p2b", running("app", sec(12))), 2)},
					{pod: indexed(terminating(pod("p2", terminated("app", sec(2), sec(40), 143)), sec(10), 30*time.Second), 2)},
				}
			},
			wantOverlaps: 1, wantAttempts: 4,
			wantEvent: "Warning OverlappingRun The app container of pod p2b started at 2026-11-22T10:00:14Z while the one of pod p2",
		},
		"an injected sidecar restarts, the app runs once: nothing": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("istio-proxy", sec(0)), running("app", sec(1)))},
					{pod: pod("p1", restarted("istio-proxy", sec(0), sec(5), sec(6), 3), running("app", sec(1)))},
				}
			},
			wantAttempts: 1,
		},
		"a Job without a start: zero attempts": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{{pod: pod("p1", corev1.ContainerStatus{Name: "app"})}}
			},
			wantAttempts: 0,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			mk := tc.job
			if mk == nil {
				mk = newJob
			}
			job := mk()
			pod := func(name string, s ...corev1.ContainerStatus) *corev1.Pod { return newPod(name, job, s...) }
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leading)}, job)
			for _, s := range tc.steps(pod) {
				if !s.clock.IsZero() {
					f.clock.SetTime(s.clock)
				}
				if s.deleted {
					f.c.podDeleted(s.pod)
				} else {
					f.c.podChanged(f.ctx, nil, s.pod)
				}
				f.sync(t, job, true)
			}
			finished, _, _ := f.jobs.Get(job)
			done := finished.(*batchv1.Job).DeepCopy()
			done.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(2 * time.Minute))}}
			f.update(t, done)
			f.sync(t, done, true)

			overlaps, retries := reexecutionsCounted(t)
			assert.Equal(t, tc.wantOverlaps, overlaps, "overlaps")
			assert.Equal(t, tc.wantRetries, retries, "retries")
			h := jobAttempts.WithLabelValues("team-a", "nightly", triggerScheduled)
			n, err := testutil.GetHistogramMetricCount(h)
			require.NoError(t, err)
			assert.Equal(t, uint64(1), n, "attempts observed once, when the Job finished")
			sum, _ := testutil.GetHistogramMetricValue(h)
			assert.Equal(t, tc.wantAttempts, sum, "attempts")

			stored, err := f.client.BatchV1().Jobs(job.Namespace).Get(f.ctx, job.Name, metav1.GetOptions{})
			require.NoError(t, err)
			if tc.wantAnnotation != "" {
				assert.Equal(t, tc.wantAnnotation, stored.Annotations[ReexecutionsAnnotation])
			}
			if tc.wantOverlaps+tc.wantRetries == 0 {
				assert.NotContains(t, stored.Annotations, ReexecutionsAnnotation)
			}

			events := f.events()
			if tc.wantEvent == "" {
				assert.Empty(t, events)
			} else if assert.Len(t, events, 1) {
				assert.Contains(t, events[0], tc.wantEvent)
			}
			f.c.jobDeleted(done)
			assert.Empty(t, f.c.runs, "a deleted Job's pods are forgotten")
		})
	}
}

// After a restart or a leader change, the new leader finds the pods'
// restartCounts as they are: it counts only what the Job's record says no
// process counted yet (the old leader counted the rest and recorded it).
func TestReexecutionsAreCountedOnceAcrossLeaders(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	testCases := map[string]struct {
		// spec: what the old leader saw, then what the new leader lists
		old, new *corev1.Pod
		// expectations: what the new leader counts
		wantRetries float64
		wantRecord  string
	}{
		"the same restartCount: nothing again": {
			old:        newPod("p1", newJob(), restarted("app", t0, t0.Add(10*time.Second), t0.Add(20*time.Second), 1)),
			new:        newPod("p1", newJob(), restarted("app", t0, t0.Add(10*time.Second), t0.Add(20*time.Second), 1)),
			wantRecord: "overlap=0,retry=1",
		},
		"restartCount jumped from 1 to 3 while no replica led: the two new restarts": {
			old:         newPod("p1", newJob(), restarted("app", t0, t0.Add(10*time.Second), t0.Add(20*time.Second), 1)),
			new:         newPod("p1", newJob(), restarted("app", t0.Add(40*time.Second), t0.Add(50*time.Second), leading.Add(2*time.Hour), 3)),
			wantRetries: 2, wantRecord: "overlap=0,retry=3",
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			old := newFixture(t, Options{PerCronJobLabels: true}, job)
			old.c.podChanged(old.ctx, nil, tc.old)
			old.sync(t, job, false)
			_, retries := reexecutionsCounted(t)
			require.Equal(t, 1.0, retries, "the old leader counts the first restart")

			// The new leader starts after the restarts, with a fresh
			// process (metrics reset) on the same API server.
			recorded, err := old.client.BatchV1().Jobs(job.Namespace).Get(old.ctx, job.Name, metav1.GetOptions{})
			require.NoError(t, err)
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leading.Add(3 * time.Hour))}, recorded)
			f.c.jobChanged(f.ctx, nil, recorded)
			f.c.podChanged(f.ctx, nil, tc.new)
			f.sync(t, recorded, true)
			f.c.podChanged(f.ctx, tc.new, tc.new) // a resync
			f.sync(t, recorded, true)

			_, retries = reexecutionsCounted(t)
			assert.Equal(t, tc.wantRetries, retries)
			got, err := f.client.BatchV1().Jobs(job.Namespace).Get(f.ctx, job.Name, metav1.GetOptions{})
			require.NoError(t, err)
			assert.Equal(t, tc.wantRecord, got.Annotations[ReexecutionsAnnotation])
		})
	}
}

// Two replicas that both count (a leader that has not yet seen it lost the
// Lease): only the one whose write landed counts; the other's write, on the
// version it read before, conflicts.
func TestReexecutionsWriteConflict(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	pod := newPod("p1", job, restarted("app", scheduled, scheduled.Add(time.Second), scheduled.Add(2*time.Second), 1))
	f.c.podChanged(f.ctx, nil, pod)
	// Another process records the restart first.
	other := job.DeepCopy()
	other.Annotations[ReexecutionsAnnotation] = "overlap=0,retry=1"
	_, err := f.client.BatchV1().Jobs(job.Namespace).Update(f.ctx, other, metav1.UpdateOptions{})
	require.NoError(t, err)
	stored, _ := f.client.BatchV1().Jobs(job.Namespace).Get(f.ctx, job.Name, metav1.GetOptions{})
	stored.ResourceVersion = "8"
	require.NoError(t, f.client.Tracker().Update(batchv1.SchemeGroupVersion.WithResource("jobs"), stored, job.Namespace))

	f.sync(t, job, false) // our informer still has version 7
	_, retries := reexecutionsCounted(t)
	assert.Zero(t, retries, "counted by the other process")
}

// A reexecutions annotation someone else broke is left as it is, reported
// once, and the Job's re-executions are no longer counted.
func TestInvalidReexecutionsAnnotation(t *testing.T) {
	job := newJob(func(j *batchv1.Job) { j.Annotations[ReexecutionsAnnotation] = "twice" })
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.c.podChanged(f.ctx, nil, newPod("p1", job, restarted("app", scheduled, scheduled.Add(time.Second), scheduled.Add(2*time.Second), 1)))
	f.sync(t, job, false)
	f.sync(t, job, false)
	_, retries := reexecutionsCounted(t)
	assert.Zero(t, retries)
	events := f.events()
	if assert.Len(t, events, 1) {
		assert.Contains(t, events[0], `Warning InvalidReexecutions annotation steadycron.io/reexecutions="twice" is not overlap=N,retry=M`)
	}
	count, _ := testutil.GetCounterMetricValue(invalidAnnotations.WithLabelValues("team-a", "nightly", ReexecutionsAnnotation))
	assert.Equal(t, 1.0, count)
}

// The Job's end can reach the tracker before its pods' last statuses (two
// watches): its attempts wait for the pods, for attemptsSettle at most.
func TestAttemptsWaitForThePods(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	done := func(j *batchv1.Job) {
		j.Status.Succeeded = 1
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(time.Minute))}}
	}
	testCases := map[string]struct {
		// spec: the pod's statuses that arrive after the Job's end; nil: none
		late []corev1.ContainerStatus
		// environment: the time that passes before the next sync
		wait time.Duration
		// expectations
		wantAttempts float64
	}{
		"the pod's run arrives after the end: one attempt": {
			late:         []corev1.ContainerStatus{terminated("app", t0, t0.Add(50*time.Second), 0)},
			wantAttempts: 1,
		},
		"the pod's two runs arrive after the end (a restart): two attempts": {
			late: []corev1.ContainerStatus{func() corev1.ContainerStatus {
				s := terminated("app", t0.Add(20*time.Second), t0.Add(50*time.Second), 0)
				s.RestartCount = 1
				s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{StartedAt: metav1.NewTime(t0), FinishedAt: metav1.NewTime(t0.Add(10 * time.Second)), ExitCode: 1}
				return s
			}()},
			wantAttempts: 2,
		},
		"the pods never arrive (removed): observed after the settle time with what is known": {
			wait:         attemptsSettle,
			wantAttempts: 0,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leading)}, job)
			f.c.podChanged(f.ctx, nil, newPod("p1", job, corev1.ContainerStatus{Name: "app", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}}))
			finished := job.DeepCopy()
			done(finished)
			f.update(t, finished)
			f.sync(t, finished, false)
			h := jobAttempts.WithLabelValues("team-a", "nightly", triggerScheduled)
			n, _ := testutil.GetHistogramMetricCount(h)
			require.Zero(t, n, "not observed before the pods are known")

			f.clock.Step(tc.wait)
			for _, s := range tc.late {
				f.c.podChanged(f.ctx, nil, succeeded(newPod("p1", job, s)))
			}
			f.sync(t, finished, false)
			f.sync(t, finished, false)
			n, _ = testutil.GetHistogramMetricCount(h)
			assert.Equal(t, uint64(1), n, "observed once")
			sum, _ := testutil.GetHistogramMetricValue(h)
			assert.Equal(t, tc.wantAttempts, sum)
		})
	}
}

// Pods of a Job that finished before this process led belong to the
// previous leader: nothing is counted or recorded for them.
func TestReexecutionsOfJobsFinishedBeforeLeadingAreNotCounted(t *testing.T) {
	job := newJob(func(j *batchv1.Job) {
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(scheduled.Add(time.Minute))}}
	})
	f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(scheduled.Add(time.Hour))}, job)
	f.c.jobChanged(f.ctx, nil, job)
	f.c.podChanged(f.ctx, nil, failed(newPod("p1", job, terminated("app", scheduled, scheduled.Add(time.Second), 1))))
	f.c.podChanged(f.ctx, nil, newPod("p2", job, terminated("app", scheduled.Add(2*time.Second), scheduled.Add(3*time.Second), 0)))
	f.sync(t, job, false)
	_, retries := reexecutionsCounted(t)
	assert.Zero(t, retries)
	for _, a := range f.client.Actions() {
		assert.NotEqual(t, "patch", a.GetVerb(), "nothing written")
	}
}

func TestRecordedReexecutions(t *testing.T) {
	testCases := map[string]struct {
		// spec: the annotation's value; absent when nil
		value *string
		// expectations
		want    reexecutionCounts
		wantErr bool
	}{
		"absent: none counted":           {},
		"as written":                     {value: ptr.To("overlap=1,retry=2"), want: reexecutionCounts{overlap: 1, retry: 2}},
		"zeros":                          {value: ptr.To("overlap=0,retry=0")},
		"kinds swapped":                  {value: ptr.To("retry=2,overlap=1"), wantErr: true},
		"negative":                       {value: ptr.To("overlap=-1,retry=0"), wantErr: true},
		"one kind only":                  {value: ptr.To("overlap=1"), wantErr: true},
		"a third field":                  {value: ptr.To("overlap=1,retry=2,x=3"), wantErr: true},
		"empty":                          {value: ptr.To(""), wantErr: true},
		"not a number":                   {value: ptr.To("overlap=one,retry=0"), wantErr: true},
		"spaces are not what is written": {value: ptr.To("overlap=1, retry=2"), wantErr: true},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			if tc.value != nil {
				job.Annotations[ReexecutionsAnnotation] = *tc.value
			}
			got, err := recordedReexecutions(job)
			if tc.wantErr {
				assert.ErrorContains(t, err, "is not overlap=N,retry=M")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if tc.value != nil {
				assert.Equal(t, *tc.value, got.String(), "what is parsed is what is written")
			}
		})
	}
}
