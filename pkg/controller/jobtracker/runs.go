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
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Kinds of re-execution: a run of a Job whose app container started again.
const (
	// reexecutionOverlap: the app container of a new pod started while the
	// app container of another pod of the same Job was still running (an
	// interrupted pod still terminating while its replacement runs).
	reexecutionOverlap = "overlap"
	// reexecutionRetry: the app container started again after the earlier
	// run had ended (a new pod after a failed one, or a container restarted
	// by restartPolicy OnFailure).
	reexecutionRetry = "retry"
)

// jobRuns is what this process saw of the app container runs of one
// unfinished Job, across its pods and their container restarts. Pods that
// were deleted stay in it until the Job finishes or is deleted.
type jobRuns struct {
	pods map[types.UID]*podRuns
	// overlapReported: this process sent the Job its OverlappingRun event.
	overlapReported bool
}

// podRuns is the app container of one pod of the Job.
type podRuns struct {
	name string
	// starts is how many times the app container started in this pod.
	starts int
	// firstStart and lastStart are the startedAt of its first and latest
	// runs (the kubelet's clock).
	firstStart, lastStart time.Time
	// running: the latest status seen shows the app container running.
	// Otherwise ended is when its latest run ended: its finishedAt, or the
	// time the pod's deletion was seen if it was deleted while running.
	running bool
	ended   time.Time
}

// reexecution is one start of a Job's app container after its first.
type reexecution struct {
	kind string
	// pod and at: the pod whose app container started again, and when.
	pod string
	at  time.Time
	// other is, for an overlap, the pod whose app container was running.
	other *podRuns
}

// starts is how many times the Job's app container started.
func (r *jobRuns) starts() int {
	n := 0
	for _, p := range r.pods {
		n += p.starts
	}
	return n
}

// startsBefore counts the starts of the app containers of the Job's other
// pods whose first run started no later than t.
func (r *jobRuns) startsBefore(t time.Time, except types.UID) int {
	n := 0
	for uid, p := range r.pods {
		if uid != except && p.starts > 0 && !p.firstStart.After(t) {
			n += p.starts
		}
	}
	return n
}

// runningAt returns another pod of the Job whose app container was running
// at t: its latest run started no later than t and had not ended by t.
func (r *jobRuns) runningAt(t time.Time, except types.UID) *podRuns {
	for uid, p := range r.pods {
		if uid == except || p.starts == 0 || p.lastStart.After(t) {
			continue
		}
		if p.running || p.ended.After(t) {
			return p
		}
	}
	return nil
}

// update records the app container status of one pod of the Job and returns
// the re-executions it shows: each start of the app container beyond the
// Job's first. A status can show several starts at once (an informer that
// coalesced updates, or a pod first seen after restarts): each is one.
func (r *jobRuns) update(pod *corev1.Pod, status *corev1.ContainerStatus) []reexecution {
	p, ok := r.pods[pod.UID]
	if !ok {
		p = &podRuns{name: pod.Name}
		r.pods[pod.UID] = p
	}
	var found []reexecution
	for n := containerStarts(status); p.starts < n; {
		p.starts++
		at := latestStart(status)
		if p.starts == 1 {
			at = firstStarted(status)
			p.firstStart = at
		}
		if r.startsBefore(at, pod.UID)+p.starts-1 > 0 {
			re := reexecution{kind: reexecutionRetry, pod: pod.Name, at: at}
			if p.starts == 1 {
				if other := r.runningAt(at, pod.UID); other != nil {
					re.kind, re.other = reexecutionOverlap, other
				}
			}
			found = append(found, re)
		}
		p.lastStart = at
	}
	p.running = status.State.Running != nil
	if t := status.State.Terminated; t != nil {
		p.ended = t.FinishedAt.Time
	}
	return found
}

// deleted records that the pod is gone: an app container still running as
// far as this process saw ended at now.
func (r *jobRuns) deleted(uid types.UID, now time.Time) {
	if p, ok := r.pods[uid]; ok && p.running {
		p.running, p.ended = false, now
	}
}

// containerStarts is how many times the container started in its pod: its
// restarts, plus its current run when it has one (a container waiting to be
// restarted has none).
func containerStarts(status *corev1.ContainerStatus) int {
	n := int(max(status.RestartCount, 0))
	if status.State.Running != nil || status.State.Terminated != nil {
		n++
	}
	return n
}

// latestStart is the startedAt of the container's latest run: the current
// one, else the one that ended last.
func latestStart(status *corev1.ContainerStatus) time.Time {
	switch {
	case status.State.Running != nil:
		return status.State.Running.StartedAt.Time
	case status.State.Terminated != nil:
		return status.State.Terminated.StartedAt.Time
	case status.LastTerminationState.Terminated != nil:
		return status.LastTerminationState.Terminated.StartedAt.Time
	}
	return time.Time{}
}
