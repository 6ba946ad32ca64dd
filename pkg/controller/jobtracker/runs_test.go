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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/record"
	"k8s.io/component-base/metrics/testutil"
	"k8s.io/klog/v2/ktesting"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
)

// podStep is one thing the tracker sees happen to a pod of the Job, or to
// the Job; after each, the worker syncs the Job.
type podStep struct {
	pod *corev1.Pod
	// deleted: the pod's removal is seen, at clock (when set).
	deleted bool
	clock   time.Time
	// updateJob, instead of a pod, is a change another writer (the Job
	// controller, a user) makes to the Job.
	updateJob func(*batchv1.Job)
}

// drive makes the tracker see steps in order (pods also land in, or leave,
// its pod cache, as the informer does), syncing the Job after each.
func (f *fixture) drive(t *testing.T, job *batchv1.Job, steps []podStep) {
	t.Helper()
	idx := f.c.podInformer.GetIndexer()
	for _, s := range steps {
		if !s.clock.IsZero() {
			f.clock.SetTime(s.clock)
		}
		if s.updateJob != nil {
			changed := f.stored(t, job)
			s.updateJob(changed)
			f.update(t, changed)
			f.sync(t, job, true)
			continue
		}
		stripped, _ := stripPod(s.pod)
		if s.deleted {
			require.NoError(t, idx.Delete(stripped))
			f.c.podDeleted(s.pod)
		} else {
			require.NoError(t, idx.Update(stripped))
			f.c.podChanged(f.ctx, nil, s.pod)
		}
		f.sync(t, job, true)
	}
}

// finish marks the Job Complete at at (the control plane's clock) with
// succeeded pods, and syncs it.
func (f *fixture) finish(t *testing.T, job *batchv1.Job, at time.Time, succeeded int32) *batchv1.Job {
	t.Helper()
	done := f.stored(t, job)
	done.Status.Succeeded = succeeded
	done.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at)}}
	done = f.update(t, done)
	f.sync(t, done, true)
	return done
}

// attemptsObserved is how many Jobs' attempts were observed, and their sum.
func attemptsObserved(t *testing.T) (count uint64, sum float64) {
	t.Helper()
	h := jobAttempts.WithLabelValues("team-a", "nightly", triggerScheduled)
	count, _ = testutil.GetHistogramMetricCount(h)
	sum, _ = testutil.GetHistogramMetricValue(h)
	return count, sum
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
		"an app container status without a state before the first start: nothing": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", corev1.ContainerStatus{Name: "app"})},
					{pod: pod("p1", running("app", sec(1)))},
				}
			},
			wantAttempts: 1,
		},
		"the replaced pod's status shows no state for a while: its end is not known, one overlap once it is, never a retry too": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: terminating(pod("p1", corev1.ContainerStatus{Name: "app"}), sec(4), 30*time.Second)},
					{pod: created(pod("p2", running("app", sec(5))), sec(4))},
					{pod: terminating(pod("p1", terminated("app", sec(0), sec(34), 137)), sec(4), 30*time.Second)},
					{pod: terminating(pod("p1", terminated("app", sec(0), sec(34), 137)), sec(4), 30*time.Second), deleted: true},
				}
			},
			wantOverlaps: 1, wantAttempts: 2, wantAnnotation: "overlap=1,retry=0",
			wantEvent: "Warning OverlappingRun The app container of pod p2 started at 2026-11-22T10:00:07Z",
		},
		"restartCount going down (the kubelet lost its state): the highest is kept": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", restarted("app", sec(0), sec(10), sec(20), 3))},
					{pod: pod("p1", restarted("app", sec(20), sec(30), sec(40), 1))},
				}
			},
			wantRetries: 3, wantAttempts: 4,
		},
		"thousands of restarts of a days-long run, seen at once: each is a retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: pod("p1", restarted("app", sec(3000), sec(3010), sec(3020), 4999))},
				}
			},
			wantRetries: 4999, wantAttempts: 5000,
		},
		"a pod recreated with the same name (a new UID) after it failed: one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				again := created(pod("p1", running("app", sec(20))), sec(19))
				again.UID = "p1-uid-2"
				return []podStep{
					{pod: failed(pod("p1", terminated("app", sec(0), sec(6), 1)))},
					{pod: failed(pod("p1", terminated("app", sec(0), sec(6), 1))), deleted: true},
					{pod: again},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"suspended while running, resumed a minute later: the work ran again: one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: terminating(pod("p1", running("app", sec(0))), sec(10), 30*time.Second)},
					{pod: failed(terminating(pod("p1", terminated("app", sec(0), sec(12), 143)), sec(10), 30*time.Second))},
					{pod: failed(terminating(pod("p1", terminated("app", sec(0), sec(12), 143)), sec(10), 30*time.Second)), deleted: true},
					{pod: created(pod("p2", running("app", sec(72))), sec(70))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"podFailurePolicy Ignore on a disruption (podReplacementPolicy Failed): the replacement still ran the work again: one retry": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job {
				return newJob(append(m, func(j *batchv1.Job) {
					j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{
						Action:          batchv1.PodFailurePolicyActionIgnore,
						OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}},
					}}}
					j.Spec.PodReplacementPolicy = ptr.To(batchv1.Failed)
				})...)
			},
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: pod("p1", running("app", sec(0)))},
					{pod: terminating(pod("p1", running("app", sec(0))), sec(4), 30*time.Second)},
					{pod: failed(terminating(pod("p1", terminated("app", sec(0), sec(6), 143)), sec(4), 30*time.Second))},
					{pod: created(pod("p2", running("app", sec(8))), sec(7))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"a pod failed with an exit code a podFailurePolicy counts, and its replacement: one retry": {
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: failed(pod("p1", terminated("app", sec(0), sec(6), 42)))},
					{pod: created(pod("p2", running("app", sec(8))), sec(7))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"Indexed with backoffLimitPerIndex: index 0 fails twice, index 1 runs once: two retries": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job {
				return newJob(append(m, parallel(2, 2, true), func(j *batchv1.Job) {
					j.Spec.BackoffLimitPerIndex = ptr.To[int32](3)
					j.Spec.PodReplacementPolicy = ptr.To(batchv1.Failed)
				})...)
			},
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: indexed(pod("a0", running("app", sec(0))), 0)},
					{pod: indexed(pod("a1", running("app", sec(0))), 1)},
					{pod: indexed(failed(pod("a0", terminated("app", sec(0), sec(3), 1))), 0)},
					{pod: indexed(pod("b0", running("app", sec(5))), 0)},
					{pod: indexed(failed(pod("b0", terminated("app", sec(5), sec(8), 1))), 0)},
					{pod: indexed(pod("c0", running("app", sec(10))), 0)},
					{pod: indexed(succeeded(pod("a1", terminated("app", sec(0), sec(12), 0))), 1)},
				}
			},
			wantRetries: 2, wantAttempts: 4,
		},
		"completions 2, parallelism 2, a failed pod replaced on a node whose clock is 5 s behind: one retry": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(2, 2, false))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: created(pod("p1", running("app", sec(0))), t0)},
					{pod: created(pod("p2", running("app", sec(0))), t0)},
					{pod: failed(created(pod("p1", terminated("app", sec(0), sec(5), 1)), t0))},
					// Created by the Job controller after p1 failed (the
					// control plane's clock); started at sec(7) on a node
					// whose clock reads 5 s behind p1's node.
					{pod: created(pod("p3", running("app", sec(7-5))), sec(6))},
				}
			},
			wantRetries: 1, wantAttempts: 3, wantAnnotation: "overlap=0,retry=1",
		},
		"a work queue (parallelism 3, completions unset) lowered to parallelism 1 while it runs: the removed pods are not re-executions": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job {
				return newJob(append(m, func(j *batchv1.Job) { j.Spec.Parallelism = ptr.To[int32](3) })...)
			},
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: created(pod("p1", running("app", sec(0))), t0)},
					{pod: created(pod("p2", running("app", sec(1))), t0)},
					{pod: created(pod("p3", running("app", sec(2))), t0)},
					{updateJob: func(j *batchv1.Job) { j.Spec.Parallelism = ptr.To[int32](1) }},
					{pod: terminating(created(pod("p2", running("app", sec(1))), t0), sec(10), 30*time.Second)},
					{pod: terminating(created(pod("p3", running("app", sec(2))), t0), sec(10), 30*time.Second)},
					{pod: failed(terminating(created(pod("p2", terminated("app", sec(1), sec(12), 143)), t0), sec(10), 30*time.Second))},
					{pod: failed(terminating(created(pod("p3", terminated("app", sec(2), sec(12), 143)), t0), sec(10), 30*time.Second))},
					{pod: succeeded(created(pod("p1", terminated("app", sec(0), sec(60), 0)), t0))},
				}
			},
			wantAttempts: 3,
		},
		"one completion, parallelism 3 (one pod at a time): a failed pod's replacement is one retry": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job { return newJob(append(m, parallel(1, 3, false))...) },
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				return []podStep{
					{pod: failed(created(pod("p1", terminated("app", sec(0), sec(5), 1)), t0))},
					{pod: created(pod("p2", running("app", sec(7))), sec(6))},
				}
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"sidecars of every kind (native, injected, ephemeral) restart, the app runs once: nothing": {
			job: func(m ...func(*batchv1.Job)) *batchv1.Job {
				return newJob(append(m, func(j *batchv1.Job) {
					j.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "app-proxy", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)}}
				})...)
			},
			steps: func(pod func(string, ...corev1.ContainerStatus) *corev1.Pod) []podStep {
				withSidecars := func(p *corev1.Pod, restarts int32) *corev1.Pod {
					p.Status.InitContainerStatuses = []corev1.ContainerStatus{restarted("app-proxy", sec(-2), sec(-1), sec(-1), restarts)}
					p.Status.EphemeralContainerStatuses = []corev1.ContainerStatus{running("debugger", sec(-2))}
					return p
				}
				return []podStep{
					{pod: withSidecars(pod("p1", running("istio-proxy", sec(0)), running("vault-agent", sec(1)), running("app", sec(7))), 0)},
					{pod: withSidecars(pod("p1", restarted("istio-proxy", sec(0), sec(10), sec(11), 4), running("vault-agent", sec(1)), running("app", sec(7))), 2)},
				}
			},
			wantAttempts: 1,
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
			f.drive(t, job, tc.steps(pod))
			done := f.finish(t, job, t0.Add(2*time.Minute), 0)

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
			f.deleteJob(t, done)
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

// What this process counted stays counted, whatever another writer (kubectl
// annotate --overwrite, a GitOps tool, a user who resets it) does to the
// record afterwards: the same re-executions are not counted, nor the
// OverlappingRun event sent, again.
func TestReexecutionsRecordEditedByAnotherWriter(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	testCases := map[string]struct {
		// spec: what another writer does to the record after it was written
		value  string
		remove bool
	}{
		"removed":         {remove: true},
		"reset to zeros":  {value: "overlap=0,retry=0"},
		"lowered by one":  {value: "overlap=0,retry=1"},
		"kinds rewritten": {value: "overlap=0,retry=2"},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, job)
			// An interruption replaced while terminating (overlap), and two
			// restarts of the replacement's container (retries).
			replacement := func() *corev1.Pod {
				return created(newPod("p2", job, restarted("app", sec(5), sec(40), sec(50), 2)), sec(4))
			}
			f.drive(t, job, []podStep{
				{pod: newPod("p1", job, running("app", sec(0)))},
				{pod: terminating(newPod("p1", job, running("app", sec(0))), sec(4), 30*time.Second)},
				{pod: created(newPod("p2", job, running("app", sec(5))), sec(4))},
				{pod: terminating(newPod("p1", job, terminated("app", sec(0), sec(34), 137)), sec(4), 30*time.Second)},
				{pod: replacement()},
			})
			require.Equal(t, "overlap=1,retry=2", f.stored(t, job).Annotations[ReexecutionsAnnotation])
			overlaps, retries := reexecutionsCounted(t)
			require.Equal(t, []float64{1, 2}, []float64{overlaps, retries})
			require.Len(t, f.events(), 1)

			edited := f.stored(t, job)
			if tc.remove {
				delete(edited.Annotations, ReexecutionsAnnotation)
			} else {
				edited.Annotations[ReexecutionsAnnotation] = tc.value
			}
			edited = f.update(t, edited)
			f.sync(t, edited, true)
			f.drive(t, job, []podStep{{pod: replacement()}}) // a resync

			overlaps, retries = reexecutionsCounted(t)
			assert.Equal(t, []float64{1, 2}, []float64{overlaps, retries}, "the same re-executions counted again")
			assert.Empty(t, f.events(), "OverlappingRun sent again")

			// A new re-execution is counted, once, and the record raised
			// above what was counted.
			f.drive(t, job, []podStep{{pod: created(newPod("p2", job, restarted("app", sec(50), sec(60), sec(70), 3)), sec(4))}})
			overlaps, retries = reexecutionsCounted(t)
			assert.Equal(t, []float64{1, 3}, []float64{overlaps, retries})
			assert.Equal(t, "overlap=1,retry=3", f.stored(t, job).Annotations[ReexecutionsAnnotation])
		})
	}
}

// Two tracker processes at once (split brain for a few seconds), on one API
// server, each with its own caches, seeing the same pods one after the
// other: the start and each re-execution are counted by one of them only,
// and the OverlappingRun event is sent once.
func TestReexecutionsAreCountedOnceByTwoProcessesAtOnce(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	job := newJob()
	a := newFixture(t, Options{PerCronJobLabels: true}, job)
	_, ctx := ktesting.NewTestContext(t)
	factory := informers.NewSharedInformerFactory(a.client, 0)
	bc, err := New(ctx, factory.Batch().V1().Jobs(), factory.Batch().V1().CronJobs(), a.client, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leading)})
	require.NoError(t, err)
	bc.recorder = record.NewFakeRecorder(10)
	require.NoError(t, factory.Batch().V1().Jobs().Informer().GetIndexer().Add(job))
	require.NoError(t, factory.Batch().V1().CronJobs().Informer().GetIndexer().Add(cronJob))
	b := &fixture{ctx: ctx, jobs: factory.Batch().V1().Jobs().Informer().GetIndexer(), client: a.client, c: bc, recorder: bc.recorder.(*record.FakeRecorder), clock: clocktesting.NewFakeClock(leading)}

	steps := []podStep{
		{pod: newPod("p1", job, running("app", sec(0)))},
		{pod: terminating(newPod("p1", job, running("app", sec(0))), sec(4), 30*time.Second)},
		{pod: created(newPod("p2", job, running("app", sec(5))), sec(4))},
		{pod: terminating(newPod("p1", job, terminated("app", sec(0), sec(34), 137)), sec(4), 30*time.Second)},
		{pod: created(newPod("p2", job, restarted("app", sec(5), sec(40), sec(50), 1)), sec(4))},
	}
	for _, s := range steps {
		a.drive(t, job, []podStep{s})
		b.drive(t, job, []podStep{s})
	}
	overlaps, retries := reexecutionsCounted(t) // one registry for both processes here
	assert.Equal(t, []float64{1, 1}, []float64{overlaps, retries})
	started, _ := testutil.GetCounterMetricValue(jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled))
	assert.Equal(t, 1.0, started)
	assert.Equal(t, "overlap=1,retry=1", a.stored(t, job).Annotations[ReexecutionsAnnotation])
	assert.Len(t, append(a.events(), b.events()...), 1, "one OverlappingRun")
}

// A reexecutions record someone else broke is left as it is, reported once,
// and the Job's re-executions are no longer counted. A record raised above
// what the Job's pods showed (a valid value, so nothing is counted below
// it) is reported when the Job finishes, by the replica that saw all its
// pods.
func TestInvalidReexecutionsAnnotation(t *testing.T) {
	testCases := map[string]struct {
		// spec: the record when the tracker first sees the Job
		value string
		// environment
		leading time.Time
		// expectations
		wantEvent string // "": none
	}{
		"not a count": {
			value:     "twice",
			wantEvent: `Warning InvalidReexecutions annotation steadycron.io/reexecutions="twice" is not overlap=N,retry=M`,
		},
		"a negative count":             {value: "overlap=-1,retry=0", wantEvent: "is not overlap=N,retry=M"},
		"a count too large for an int": {value: "overlap=0,retry=99999999999999999999", wantEvent: "is not overlap=N,retry=M"},
		"a third field":                {value: "overlap=0,retry=1,by=me", wantEvent: "is not overlap=N,retry=M"},
		"a leading space":              {value: " overlap=0,retry=1", wantEvent: "is not overlap=N,retry=M"},
		"raised above what the pods show": {
			value:     "overlap=0,retry=99999",
			wantEvent: `Warning InvalidReexecutions annotation steadycron.io/reexecutions="overlap=0,retry=99999" records more re-executions than the Job's pods showed (overlap=0,retry=1)`,
		},
		"raised above what the pods show, seen by a replica that led only after the Job was created: not reported": {
			value: "overlap=0,retry=99999", leading: scheduled.Add(time.Second),
		},
		"the pods' own count: nothing to report": {value: "overlap=0,retry=1"},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob(func(j *batchv1.Job) { j.Annotations[ReexecutionsAnnotation] = tc.value })
			if tc.leading.IsZero() {
				tc.leading = leading
			}
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(tc.leading)}, job)
			pod := succeeded(newPod("p1", job, func() corev1.ContainerStatus {
				s := terminated("app", scheduled.Add(2*time.Second), scheduled.Add(3*time.Second), 0)
				s.RestartCount = 1
				s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{StartedAt: metav1.NewTime(scheduled), FinishedAt: metav1.NewTime(scheduled.Add(time.Second)), ExitCode: 1}
				return s
			}()))
			f.drive(t, job, []podStep{{pod: pod}, {pod: pod}})
			f.finish(t, job, scheduled.Add(time.Minute), 1)
			f.drive(t, job, []podStep{{pod: pod}})

			assert.Equal(t, tc.value, f.stored(t, job).Annotations[ReexecutionsAnnotation], "left as it is")
			_, retries := reexecutionsCounted(t)
			assert.Zero(t, retries)
			f.assertReportedOnce(t, ReexecutionsAnnotation, tc.wantEvent)
		})
	}
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

// A Job removed as soon as it finished (ttlSecondsAfterFinished: 0, a
// cleanup racing a backlog) may be gone before a worker syncs it after its
// end: its attempts are observed at its deletion, once.
func TestAttemptsOfAJobDeletedAsItFinishes(t *testing.T) {
	testCases := map[string]struct {
		// environment: whether a worker synced the finished Job before its
		// deletion was seen
		syncedBefore bool
	}{
		"deleted before a worker synced it: observed at its deletion": {},
		"deleted after a worker observed it: not observed again":      {syncedBefore: true},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			t0 := scheduled.Add(2 * time.Second)
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, job)
			f.drive(t, job, []podStep{{pod: succeeded(newPod("p1", job, terminated("app", t0, t0.Add(30*time.Second), 0)))}})

			done := f.stored(t, job)
			done.Status.Succeeded = 1
			done.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(31 * time.Second))}}
			done = f.update(t, done) // the end is delivered and the Job queued
			if tc.syncedBefore {
				f.sync(t, done, false)
			}
			// The TTL controller removes the Job.
			require.NoError(t, f.jobs.Delete(done))
			require.NoError(t, f.client.BatchV1().Jobs(done.Namespace).Delete(f.ctx, done.Name, metav1.DeleteOptions{}))
			f.c.jobDeleted(f.ctx, done)
			require.NoError(t, f.c.sync(f.ctx, done.Namespace+"/"+done.Name))

			finished, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerScheduled, resultSuccess))
			require.Equal(t, 1.0, finished)
			n, sum := attemptsObserved(t)
			assert.Equal(t, uint64(1), n, "a finished Job's attempts are observed once")
			assert.Equal(t, 1.0, sum)
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

// Re-executions belong to the replica whose conditional write raised the
// steadycron.io/reexecutions record. When the API server carried the patch
// out but its answer was lost, the retry finds the record it sent, by the
// informer or by a conflict and a re-read: that is its own write, and the
// overlap is counted then, with its OverlappingRun event, once (before
// review h15m row 9, the record was taken for counted already, and neither
// the count nor the event was made). A record other than the one sent is
// another writer's.
func TestAnOverlapWhosePatchAnswerWasLostIsCountedOnce(t *testing.T) {
	testCases := map[string]struct {
		answer lostAnswer
		// what happens between the failed sync and its retry
		deliver     bool
		otherRecord string
		deleteJob   bool
		// expectations
		wantRecord   string
		wantOverlaps float64
	}{
		"carried out, timed out; the informer shows it before the retry": {
			answer: lostAnswer{err: answerTimeout, carriedOut: true}, deliver: true,
			wantRecord: "overlap=1,retry=0", wantOverlaps: 1,
		},
		"carried out, 503; the retry's patch conflicts and the re-read finds it": {
			answer:     lostAnswer{err: answerUnavailable, carriedOut: true},
			wantRecord: "overlap=1,retry=0", wantOverlaps: 1,
		},
		"carried out, connection lost; the informer showed it before the answer": {
			answer:     lostAnswer{err: answerBroken, carriedOut: true, seenFirst: true},
			wantRecord: "overlap=1,retry=0", wantOverlaps: 1,
		},
		"not carried out, timed out: the retry writes": {
			answer:     lostAnswer{err: answerTimeout},
			wantRecord: "overlap=1,retry=0", wantOverlaps: 1,
		},
		"refused (429): the retry writes": {
			answer:     lostAnswer{err: answerThrottled},
			wantRecord: "overlap=1,retry=0", wantOverlaps: 1,
		},
		"carried out, timed out, then another writer raised the record: theirs": {
			answer: lostAnswer{err: answerTimeout, carriedOut: true}, otherRecord: "overlap=2,retry=0", deliver: true,
			wantRecord: "overlap=2,retry=0",
		},
		"carried out, timed out, then the Job was deleted: forgotten": {
			answer: lostAnswer{err: answerTimeout, carriedOut: true}, deleteJob: true,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			t0 := scheduled.Add(2 * time.Second)
			// first-running is written: the re-executions record is the
			// only patch.
			job := newJob(func(j *batchv1.Job) { j.Annotations[FirstRunningAnnotation] = t0.Format(time.RFC3339) })
			f := newFixture(t, Options{PerCronJobLabels: true}, job)
			// p1 is interrupted at t0+10s, its app running until t0+38s;
			// its replacement p2 starts at t0+18s: an overlap.
			interrupted := created(terminating(newPod("p1", job, running("app", t0)), t0.Add(10*time.Second), 0), scheduled)
			ended := created(terminating(newPod("p1", job, terminated("app", t0, t0.Add(38*time.Second), 137)), t0.Add(10*time.Second), 0), scheduled)
			replacement := created(newPod("p2", job, running("app", t0.Add(18*time.Second))), t0.Add(11*time.Second))
			for _, p := range []*corev1.Pod{interrupted, replacement, ended} {
				stripped, _ := stripPod(p)
				require.NoError(t, f.c.podInformer.GetIndexer().Update(stripped))
				f.c.podChanged(f.ctx, nil, stripped)
			}
			f.loseFirstPatch(t, tc.answer)
			assert.Error(t, f.c.sync(f.ctx, "team-a/"+job.Name), "the first patch's answer")
			if tc.otherRecord != "" {
				other := f.stored(t, job)
				other.Annotations[ReexecutionsAnnotation] = tc.otherRecord
				f.update(t, other)
			}
			if tc.deliver {
				f.deliver(t, job)
			}
			if tc.deleteJob {
				f.deleteJob(t, f.stored(t, job))
				assert.Empty(t, f.c.reexecutionsRecord, "the records sent, after the Job's deletion")
			} else {
				// The retry, then a resync once the informer shows
				// what the API server has.
				f.sync(t, job, true)
				f.sync(t, job, true)
				assert.Equal(t, tc.wantRecord, f.annotation(t, ReexecutionsAnnotation))
			}
			overlaps, retries := reexecutionsCounted(t)
			assert.Equal(t, tc.wantOverlaps, overlaps, "cronjob_job_reexecutions_total{kind=overlap}")
			assert.Zero(t, retries, "cronjob_job_reexecutions_total{kind=retry}")
			var events int
			for _, e := range f.events() {
				if strings.Contains(e, "OverlappingRun") {
					events++
				}
			}
			assert.Equal(t, int(tc.wantOverlaps), events, "OverlappingRun events")
		})
	}
}
