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

// podStep is one thing the tracker sees happen to a pod of the Job.
type podStep struct {
	pod *corev1.Pod
	// deleted: the pod's deletion is seen, at clock (when set).
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

func terminating(p *corev1.Pod) *corev1.Pod {
	p.DeletionTimestamp = ptr.To(metav1.NewTime(scheduled.Add(time.Hour)))
	return p
}

func TestReexecutions(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	job := newJob()
	pod := func(name string, s ...corev1.ContainerStatus) *corev1.Pod { return newPod(name, job, s...) }
	testCases := map[string]struct {
		// spec: what the tracker sees, in order; then the Job finishes
		steps []podStep
		// environment
		leading time.Time // zero: before t0
		// expectations
		wantOverlaps, wantRetries float64
		wantAttempts              float64
		wantEvent                 string
	}{
		"one pod runs once: nothing": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: pod("p1", terminated("app", t0, t0.Add(30*time.Second), 0))},
			},
			wantAttempts: 1,
		},
		"a failed pod and its retry: one retry": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: pod("p1", terminated("app", t0, t0.Add(10*time.Second), 1))},
				{pod: pod("p2", running("app", t0.Add(20*time.Second)))},
				{pod: pod("p2", terminated("app", t0.Add(20*time.Second), t0.Add(30*time.Second), 0))},
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"an interrupted pod still terminating while its replacement runs: one overlap and its event": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: terminating(pod("p1", running("app", t0)))},
				{pod: pod("p2", running("app", t0.Add(5*time.Second)))},
				{pod: terminating(pod("p1", terminated("app", t0, t0.Add(35*time.Second), 137)))},
				{pod: pod("p1"), deleted: true, clock: t0.Add(36 * time.Second)},
				{pod: pod("p2", terminated("app", t0.Add(5*time.Second), t0.Add(60*time.Second), 0))},
			},
			wantOverlaps: 1, wantAttempts: 2,
			wantEvent: "Warning OverlappingRun The app container of pod p2 started at 2026-11-22T10:00:07Z while the one of pod p1 (started at 2026-11-22T10:00:02Z) was still running",
		},
		"the replacement's status arrives after the old pod ended later than it started: an overlap": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: terminating(pod("p1", terminated("app", t0, t0.Add(35*time.Second), 137)))},
				{pod: pod("p2", running("app", t0.Add(5*time.Second)))},
			},
			wantOverlaps: 1, wantAttempts: 2,
			wantEvent: "Warning OverlappingRun The app container of pod p2 started at 2026-11-22T10:00:07Z",
		},
		"the interrupted pod ended before its replacement started: one retry": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: terminating(pod("p1", terminated("app", t0, t0.Add(3*time.Second), 137)))},
				{pod: pod("p1"), deleted: true, clock: t0.Add(4 * time.Second)},
				{pod: pod("p2", running("app", t0.Add(5*time.Second)))},
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"a pod deleted while running, as far as the tracker saw, before the replacement started: one retry": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: pod("p1"), deleted: true, clock: t0.Add(4 * time.Second)},
				{pod: pod("p2", running("app", t0.Add(5*time.Second)))},
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"a container restarted by restartPolicy OnFailure: one retry": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: pod("p1", restarted("app", t0, t0.Add(10*time.Second), t0.Add(20*time.Second), 1))},
				{pod: pod("p1", terminated("app", t0.Add(20*time.Second), t0.Add(30*time.Second), 0))},
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"restarts coalesced into one update: each is counted": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: pod("p1", restarted("app", t0.Add(20*time.Second), t0.Add(30*time.Second), t0.Add(40*time.Second), 2))},
			},
			wantRetries: 2, wantAttempts: 3,
		},
		"a pod first seen after its container restarted: the restart is a retry": {
			steps: []podStep{
				{pod: pod("p1", restarted("app", t0, t0.Add(10*time.Second), t0.Add(20*time.Second), 1))},
			},
			wantRetries: 1, wantAttempts: 2,
		},
		"three pods alive at once: two overlaps, one event": {
			steps: []podStep{
				{pod: pod("p1", running("app", t0))},
				{pod: pod("p2", running("app", t0.Add(time.Second)))},
				{pod: pod("p3", running("app", t0.Add(2*time.Second)))},
			},
			wantOverlaps: 2, wantAttempts: 3,
			wantEvent: "Warning OverlappingRun The app container of pod p2",
		},
		"an injected sidecar restarts, the app runs once: nothing": {
			steps: []podStep{
				{pod: pod("p1", running("istio-proxy", t0), running("app", t0.Add(time.Second)))},
				{pod: pod("p1", restarted("istio-proxy", t0, t0.Add(5*time.Second), t0.Add(6*time.Second), 3), running("app", t0.Add(time.Second)))},
			},
			wantAttempts: 1,
		},
		"re-executions that started before this process led (a restart of steadycron): not counted again": {
			leading: t0.Add(time.Minute),
			steps: []podStep{
				{pod: pod("p1", terminated("app", t0, t0.Add(3*time.Second), 1))},
				{pod: pod("p2", running("app", t0.Add(5*time.Second)))},
				{pod: pod("p3", restarted("app", t0, t0.Add(3*time.Second), t0.Add(10*time.Second), 1))},
			},
			wantAttempts: 4,
		},
		"a Job without a start: zero attempts": {
			steps:        []podStep{{pod: pod("p1", corev1.ContainerStatus{Name: "app"})}},
			wantAttempts: 0,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			leadingSince := tc.leading
			if leadingSince.IsZero() {
				leadingSince = leading
			}
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leadingSince)}, job)
			for _, s := range tc.steps {
				if !s.clock.IsZero() {
					f.clock.SetTime(s.clock)
				}
				if s.deleted {
					f.c.podDeleted(s.pod)
					continue
				}
				f.c.podChanged(f.ctx, nil, s.pod)
			}
			finished := job.DeepCopy()
			finished.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(2 * time.Minute))}}
			f.c.jobChanged(f.ctx, job, finished)

			overlaps, _ := testutil.GetCounterMetricValue(jobReexecutions.WithLabelValues("team-a", "nightly", triggerScheduled, reexecutionOverlap))
			retries, _ := testutil.GetCounterMetricValue(jobReexecutions.WithLabelValues("team-a", "nightly", triggerScheduled, reexecutionRetry))
			assert.Equal(t, tc.wantOverlaps, overlaps, "overlaps")
			assert.Equal(t, tc.wantRetries, retries, "retries")
			h := jobAttempts.WithLabelValues("team-a", "nightly", triggerScheduled)
			n, err := testutil.GetHistogramMetricCount(h)
			require.NoError(t, err)
			assert.Equal(t, uint64(1), n, "attempts observed once, when the Job finished")
			sum, _ := testutil.GetHistogramMetricValue(h)
			assert.Equal(t, tc.wantAttempts, sum, "attempts")

			events := f.events()
			if tc.wantEvent == "" {
				assert.Empty(t, events)
			} else if assert.Len(t, events, 1) {
				assert.Contains(t, events[0], tc.wantEvent)
			}
			assert.Empty(t, f.c.runs, "a finished Job's runs are forgotten")
		})
	}
}

// Pods of a Job that already finished are not followed: their runs ended.
func TestReexecutionsOfFinishedJobsAreNotFollowed(t *testing.T) {
	job := newJob(func(j *batchv1.Job) {
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(scheduled.Add(time.Minute))}}
	})
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.c.podChanged(f.ctx, nil, newPod("p1", job, terminated("app", scheduled, scheduled.Add(time.Second), 1)))
	f.c.podChanged(f.ctx, nil, newPod("p2", job, terminated("app", scheduled.Add(2*time.Second), scheduled.Add(3*time.Second), 0)))
	assert.Empty(t, f.c.runs)
	retries, _ := testutil.GetCounterMetricValue(jobReexecutions.WithLabelValues("team-a", "nightly", triggerScheduled, reexecutionRetry))
	assert.Zero(t, retries)
}
