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
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Kinds of re-execution: a piece of a Job's work whose app container
// started again.
const (
	// reexecutionOverlap: the app container of a pod that replaced another
	// pod of the same completion slot started while the app container of
	// the pod it replaced was still running (an interrupted pod still
	// terminating while its replacement runs).
	reexecutionOverlap = "overlap"
	// reexecutionRetry: the app container started again after the earlier
	// run of the same slot had ended (a new pod after a failed one, or a
	// container restarted by restartPolicy OnFailure).
	reexecutionRetry = "retry"
)

// jobRuns is what this process saw of the pods of one Job: the latest state
// of each pod's app container, deleted pods included, until the Job is
// deleted. Everything derived from it (re-executions, attempts) is a
// function of these states alone, never of the order in which the
// informer delivered them.
type jobRuns struct {
	pods map[types.UID]*podRuns
}

// podRuns is the app container of one pod of the Job, as its latest status
// (and, for what a status forgets, the earlier ones) showed it.
type podRuns struct {
	name string
	// index is the pod's completion index (Indexed Jobs), "" otherwise.
	index string
	// created is the pod's creation time (the control plane's clock).
	created time.Time
	// starts is how many times the app container started in this pod.
	starts int
	// firstRunning and lastStart are the startedAt of the earliest run known
	// and of the latest run (the kubelet's clock).
	firstRunning, lastStart time.Time
	// running: the latest status shows the app container running.
	running bool
	// ended is when the latest run ended: its finishedAt or, for a pod
	// removed while its last status still showed it running, the time the
	// removal was seen or its deletionTimestamp, whichever is earlier.
	ended time.Time
	// interruptedAt is when the pod's deletion was requested (the control
	// plane's clock), and failedAt when its app container's run ended for
	// good with a non-zero exit code or the pod failed (the kubelet's
	// clock); zero while it did not. Either means the pod will not
	// complete its piece of work: the Job may replace it.
	interruptedAt, failedAt time.Time
	// exitedZero: the latest status shows the app's run ended with exit
	// code 0, for good.
	exitedZero bool
	// terminal: the pod has finished for good (phase Succeeded or Failed,
	// or removed).
	terminal bool
}

// reexecution is one run of a piece of the Job's work after its first.
type reexecution struct {
	kind string
	// pod is the pod whose app container started again, at when it is known
	// (the start of a restart older than the latest two is not).
	pod string
	at  time.Time
	// other and otherStart are, for a replacement, the pod it replaced and
	// when that pod's app container started.
	other      string
	otherStart time.Time
}

// update records the latest status of one pod of the Job; status is its app
// container's status, nil when the kubelet has not reported it.
func (r *jobRuns) update(pod *corev1.Pod, status *corev1.ContainerStatus) {
	p, ok := r.pods[pod.UID]
	if !ok {
		p = &podRuns{name: pod.Name, index: completionIndex(pod), created: pod.CreationTimestamp.Time}
		r.pods[pod.UID] = p
	}
	if pod.DeletionTimestamp != nil && pod.Status.Phase != corev1.PodSucceeded {
		// Interrupted (eviction, drain, preemption, kubectl delete): it is
		// not expected to complete, whatever its app does next.
		p.interruptedAt = earliest(p.interruptedAt, deletionRequested(pod))
	}
	switch pod.Status.Phase {
	case corev1.PodSucceeded:
		p.terminal = true
	case corev1.PodFailed:
		p.terminal = true
		defer func() { p.fail(firstSet(p.ended, p.lastStart)) }()
	}
	if status == nil {
		return
	}
	// A pod's statuses reach the informer in order, so the latest one is
	// the newest; the start count and earliest start are kept from the
	// earlier ones, which show runs the latest may no longer name.
	p.starts = max(p.starts, containerStarts(status))
	if t := containerFirstRunning(status); !t.IsZero() && (p.firstRunning.IsZero() || t.Before(p.firstRunning)) {
		p.firstRunning = t
	}
	if t := latestStart(status); !t.IsZero() {
		p.lastStart = t
	}
	// Whether the latest run is still going is known only from a running
	// or a terminated state. A status without either (no state at all, or
	// waiting with no run before it: the API allows both, and a kubelet
	// that lost its state shows them) says nothing about it: the last
	// known one stays, so that a replacement's kind is never decided from
	// an end that is not known.
	switch {
	case status.State.Running != nil:
		p.running = true
	case status.State.Terminated != nil:
		// The run ended for good in this pod (a container that will be
		// restarted is shown waiting instead).
		p.running = false
		p.ended = status.State.Terminated.FinishedAt.Time
		p.exitedZero = status.State.Terminated.ExitCode == 0
		if !p.exitedZero {
			p.fail(p.ended)
		}
	case status.State.Waiting != nil && status.LastTerminationState.Terminated != nil:
		p.running = false
		p.ended = status.LastTerminationState.Terminated.FinishedAt.Time
	}
}

// deleted records that the pod was removed; pod is its final state as the
// informer had it.
func (r *jobRuns) deleted(pod *corev1.Pod, status *corev1.ContainerStatus, now time.Time) {
	r.update(pod, status)
	p := r.pods[pod.UID]
	p.terminal = true
	if p.running {
		// Its last status still showed the app running: it ran until the
		// kubelet stopped it, which is before the pod was removed (seen
		// now) and by the deletion deadline.
		p.running, p.ended = false, now
		if pod.DeletionTimestamp != nil && pod.DeletionTimestamp.Time.Before(now) {
			p.ended = pod.DeletionTimestamp.Time
		}
	}
	if p.failedAt.IsZero() && p.interruptedAt.IsZero() && pod.Status.Phase != corev1.PodSucceeded && !p.exitedZero {
		// Removed before it succeeded, with nothing saying when (a
		// tombstone): it failed after its app container last started.
		p.fail(p.lastStart)
	}
}

// fail records that the pod could no longer complete from t on (the
// earliest such time is kept); zero t is ignored.
func (p *podRuns) fail(t time.Time) {
	p.failedAt = earliest(p.failedAt, t)
}

// earliest returns the earlier of a and b, ignoring a zero time.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// replaceable reports whether p could be the replacement of q: q had been
// interrupted when p was created (the control plane's clock for both), or
// q's app had failed when p was created (q's kubelet's clock against the
// control plane's) or when p's app started (q's kubelet's clock against
// p's). A replacement is created after what it replaces could no longer
// complete, and starts after it is created, so either comparison of a
// failure shows it; both must be fooled by clock skew to hide it. The second
// comparison only holds for a pod created after q: a sibling created with q
// whose app merely started after q's failed (a slow image pull) replaced
// nothing.
func replaceable(q, p *podRuns) bool {
	if !q.interruptedAt.IsZero() && !q.interruptedAt.After(p.createdOrStarted()) {
		return true
	}
	if q.failedAt.IsZero() {
		return false
	}
	if !q.failedAt.After(p.createdOrStarted()) {
		return true
	}
	createdLater := q.created.IsZero() || p.created.IsZero() || p.created.After(q.created)
	return createdLater && !q.failedAt.After(p.firstRunning)
}

// createdOrStarted is the pod's creation time, or the first start of its
// app container when the creation time is not known.
func (p *podRuns) createdOrStarted() time.Time {
	return firstSet(p.created, p.firstRunning)
}

// overlapped reports whether the app container of q, which p replaced, was
// still running when p's started: q's run ended after p's app started (q's
// kubelet's clock against p's) and after p was created (q's kubelet's clock
// against the control plane's). p's app starts after p is created, so
// with true clocks the second follows from the first; requiring both keeps
// a skew between two nodes from turning a retry into an overlap.
func overlapped(q, p *podRuns) bool {
	return q.ended.After(p.firstRunning) && q.ended.After(p.createdOrStarted())
}

// firstSet returns the first of ts that is not zero, or zero.
func firstSet(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// deletionRequested is when the pod's deletion was requested (its
// deletionTimestamp minus its grace period; the control plane's clock), or
// zero if it was not.
func deletionRequested(pod *corev1.Pod) time.Time {
	if pod.DeletionTimestamp == nil {
		return time.Time{}
	}
	t := pod.DeletionTimestamp.Time
	if g := pod.DeletionGracePeriodSeconds; g != nil {
		t = t.Add(-time.Duration(*g) * time.Second)
	}
	return t
}

// completionIndex is the pod's completion index, "" for a pod of a
// NonIndexed Job.
func completionIndex(pod *corev1.Pod) string {
	return pod.Annotations[batchv1.JobCompletionIndexAnnotation]
}

// starts is how many times the Job's app container started, across its pods
// and their container restarts.
func (r *jobRuns) starts() int {
	n := 0
	for _, p := range r.pods {
		n += p.starts
	}
	return n
}

// terminalPods is how many of the Job's pods finished for good.
func (r *jobRuns) terminalPods() int {
	n := 0
	for _, p := range r.pods {
		if p.terminal {
			n++
		}
	}
	return n
}

// reexecutions returns the Job's re-executions that its pods' states prove,
// in start order. A piece of the Job's work is one completion slot: in an
// Indexed Job, a completion index; in a NonIndexed Job, the pods are
// interchangeable and a pod is a slot's rerun only when it replaced a pod
// that could no longer complete. Several pods of one Job running side by
// side (parallelism, completions) are therefore not re-executions. What
// counts:
//   - each restart of the app container in its pod (restartCount: restarts
//     not seen one by one count too): a retry;
//   - the first run of a pod that replaced an earlier pod of its slot: an
//     overlap if the replaced pod's app container was still running when it
//     started (see overlapped), else a retry. While the end of the replaced
//     pod's run is not known (its status still shows it running, and may be
//     stale), the kind is not known yet and the replacement is left out
//     until its end is seen.
//
// A Job with one completion (a CronJob's usual Job) has one slot, whatever
// its parallelism: the Job controller runs one pod of it at a time, so
// every pod after the first replaced the one before. In any other
// NonIndexed Job (several completions, or a work queue: completions unset),
// a pod replaced another when it was created after that other pod and the
// other could no longer complete by then (see replaceable); each is
// replaced at most once, the earliest first. Lowering parallelism while
// the Job runs removes pods without replacing them, so it counts nothing.
func (r *jobRuns) reexecutions(job *batchv1.Job) []reexecution {
	indexedMode := job.Spec.CompletionMode != nil && *job.Spec.CompletionMode == batchv1.IndexedCompletion
	single := !indexedMode && oneCompletion(job)
	var found []reexecution
	pods := make([]*podRuns, 0, len(r.pods))
	for _, p := range r.pods {
		if p.starts > 0 {
			pods = append(pods, p)
		}
		for range max(p.starts-1, 0) {
			found = append(found, reexecution{kind: reexecutionRetry, pod: p.name, at: p.lastStart})
		}
	}
	slices.SortFunc(pods, func(a, b *podRuns) int {
		if !single && !indexedMode {
			// Interchangeable pods: a replacement is created after what it
			// replaces (one clock, the control plane's).
			if c := a.createdOrStarted().Compare(b.createdOrStarted()); c != 0 {
				return c
			}
		}
		if c := a.firstRunning.Compare(b.firstRunning); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	replaced := map[*podRuns]bool{}
	for i, p := range pods {
		var prev *podRuns
		for _, q := range pods[:i] {
			switch {
			case single || indexedMode:
				// One pod at a time per slot: the one that ran last before.
				if (single || q.index == p.index) && (prev == nil || !q.lastStart.Before(prev.lastStart)) {
					prev = q
				}
			case prev == nil && !replaced[q] && replaceable(q, p):
				// NonIndexed, several pods at once: the earliest-created
				// pod not yet replaced that this one can replace.
				prev = q
			}
		}
		if prev == nil {
			continue
		}
		replaced[prev] = true
		re := reexecution{kind: reexecutionRetry, pod: p.name, at: p.firstRunning, other: prev.name, otherStart: prev.firstRunning}
		switch {
		case prev.running:
			continue // its end is not known yet
		case overlapped(prev, p):
			re.kind = reexecutionOverlap
		}
		found = append(found, re)
	}
	slices.SortStableFunc(found, func(a, b reexecution) int { return a.at.Compare(b.at) })
	return found
}

// oneCompletion reports whether the Job succeeds with one pod's success:
// completions 1. The API server defaults completions to 1 only when
// parallelism is unset too; a Job with parallelism and no completions is a
// work queue, whose pods run side by side.
func oneCompletion(job *batchv1.Job) bool {
	if job.Spec.Completions == nil {
		return job.Spec.Parallelism == nil
	}
	return *job.Spec.Completions == 1
}

// containerStarts is how many times the container started in its pod. The
// kubelet's restartCount is the number of the latest run (0 for the first),
// so the runs are restartCount plus one once the latest has run: while it
// runs, after it ended, and in a crash loop's wait (CrashLoopBackOff: the
// latest run is the last termination state). A container waiting for its
// first run (image pull) has none.
func containerStarts(status *corev1.ContainerStatus) int {
	n := int(max(status.RestartCount, 0))
	if status.State.Running != nil || status.State.Terminated != nil || status.LastTerminationState.Terminated != nil {
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

// reexecutionCounts is what the steadycron.io/reexecutions annotation
// records: the re-executions of a Job already counted, by kind.
type reexecutionCounts struct {
	overlap, retry int
}

func (c reexecutionCounts) String() string {
	return fmt.Sprintf("overlap=%d,retry=%d", c.overlap, c.retry)
}

// max returns the higher of c and o, per kind.
func (c reexecutionCounts) max(o reexecutionCounts) reexecutionCounts {
	return reexecutionCounts{overlap: max(c.overlap, o.overlap), retry: max(c.retry, o.retry)}
}

// countsOf totals re-executions by kind.
func countsOf(found []reexecution) reexecutionCounts {
	var c reexecutionCounts
	for _, re := range found {
		if re.kind == reexecutionOverlap {
			c.overlap++
		} else {
			c.retry++
		}
	}
	return c
}

// recordedReexecutions parses the Job's steadycron.io/reexecutions
// annotation ("overlap=N,retry=M"); a Job without it has counted none.
func recordedReexecutions(job *batchv1.Job) (reexecutionCounts, error) {
	var c reexecutionCounts
	value, ok := job.Annotations[ReexecutionsAnnotation]
	if !ok {
		return c, nil
	}
	bad := fmt.Errorf("annotation %s=%q is not overlap=N,retry=M", ReexecutionsAnnotation, value)
	o, r, ok := strings.Cut(value, ",")
	if !ok {
		return c, bad
	}
	for _, kv := range []struct {
		field, key string
		into       *int
	}{{o, reexecutionOverlap, &c.overlap}, {r, reexecutionRetry, &c.retry}} {
		k, v, ok := strings.Cut(kv.field, "=")
		n, err := strconv.Atoi(v)
		if !ok || k != kv.key || err != nil || n < 0 {
			return reexecutionCounts{}, bad
		}
		*kv.into = n
	}
	return c, nil
}
