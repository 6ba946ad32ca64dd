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
	"sort"
	"strings"
	"time"

	"github.com/go-logr/logr"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/component-base/metrics/legacyregistry"
	"k8s.io/klog/v2"
)

// The job tracker's observations of one Job that the simulation checks, by
// the log line the tracker writes right after each metric update (a
// per-Job record of metrics that are per CronJob).
const (
	obsStarted  = "started"  // "Recorded first running": cronjob_job_started_total
	obsFinished = "finished" // "Job finished": cronjob_job_finished_total
	obsAttempts = "attempts" // "Job attempts": cronjob_job_attempts (one sample)
)

var trackerLines = map[string]string{
	"Recorded first running": obsStarted,
	"Job finished":           obsFinished,
	"Job attempts":           obsAttempts,
}

// trackerMetrics are the families whose per-CronJob sums must equal the
// observations of the log lines: counters by value, the histogram by its
// sample count.
var trackerMetrics = map[string]string{
	"cronjob_job_started_total":  obsStarted,
	"cronjob_job_finished_total": obsFinished,
	"cronjob_job_attempts":       obsAttempts,
}

// observationSink is the logr sink of one leader's job tracker: it hands the
// observation lines to the world, with the leader's id, and drops the rest.
type observationSink struct {
	l *leader
}

func (s observationSink) Init(logr.RuntimeInfo)          {}
func (s observationSink) Enabled(level int) bool         { return level <= 4 }
func (s observationSink) Error(error, string, ...any)    {}
func (s observationSink) WithValues(...any) logr.LogSink { return s }
func (s observationSink) WithName(string) logr.LogSink   { return s }

func (s observationSink) Info(_ int, msg string, kv ...any) {
	what, ok := trackerLines[msg]
	if !ok {
		return
	}
	var jobKey, uid string
	attempts := -1
	for i := 0; i+1 < len(kv); i += 2 {
		switch kv[i] {
		case "job":
			if ref, ok := kv[i+1].(klog.ObjectRef); ok {
				jobKey = ref.Namespace + "/" + ref.Name
			}
		case "uid":
			uid = fmt.Sprint(kv[i+1])
		case "attempts":
			if n, ok := kv[i+1].(int); ok {
				attempts = n
			}
		}
	}
	if jobKey == "" || uid == "" || (what == obsAttempts && attempts < 0) {
		s.l.w.violatef("%s's job tracker logged %q without a job, its uid (and its attempts)", s.l.id, msg)
		return
	}
	s.l.w.observed(s.l, what, jobKey, uid)
	if what == obsAttempts {
		s.l.w.checkAttempts(s.l, jobKey, uid, attempts)
	}
}

// checkAttempts compares the attempts a tracker logged for a Job with the
// starts of its pods' app containers the world made: never more (h17x
// review I3: a tracker that counts a pod's start again at a relist or a
// resync logged 2, 3, ... for one start). Fewer is possible: a tracker that
// never saw a pod running (its Job informer lagged, the pod was gone) counts
// no start for it.
func (w *world) checkAttempts(l *leader, jobKey, uid string, attempts int) {
	w.mu.Lock()
	r := w.tracker.record(jobKey, uid)
	starts := 0
	if r != nil {
		starts = r.starts
	}
	w.mu.Unlock()
	if r != nil && attempts > starts {
		w.violatef("tracker: %s logged %d attempts of Job %s, whose pods' app container started %d time(s)", l.id, attempts, jobKey, starts)
	}
}

// jobRecord is what the simulation knows of one Job for the tracker's
// checks: its CronJob, when its pod's app container started (zero: never),
// when it finished (its condition's lastTransitionTime) and who saw what.
type jobRecord struct {
	key, cronJob string
	uid          string
	// started: the app container's first startedAt, as the kubelet wrote
	// it; starts: how many times the app container of a pod of the Job
	// started (the pods one after another).
	started time.Time
	starts  int
	// podSeen: a tracker could have admitted the Job's pod: one of the
	// pod's events reached a tracker that knew the Job, or a tracker
	// listed the pod (see podEvent).
	podSeen bool
	// podHiddenFrom: the leaders whose tracker dropped an event of the
	// Job's pod (their Job informer did not show the Job yet).
	podHiddenFrom map[string]bool
	// finished: the terminal condition's lastTransitionTime.
	finished time.Time
	// sawFinished: the leaders whose Job informer was handed this Job in a
	// finished state (an add or update; see proxyWatch.deliver).
	sawFinished map[string]bool
	// counts: observations by kind, then by leader; deadCounts: by kind,
	// those of processes that were gone.
	counts     map[string]map[string]int
	deadCounts map[string]int
}

// trackerChecks holds the simulation's records of Jobs, by namespace/name;
// a name made again (a Job deleted and created anew) gets a fresh record.
type trackerChecks struct {
	jobs     map[string]*jobRecord
	order    []*jobRecord
	baseline map[string]map[string]float64
}

// record returns the record of the Job jobKey of uid: a worker may count a
// deleted Job after another of its name was created (a deleted Job's finish
// is counted by a worker, see the tracker's jobDeleted). w.mu is held.
func (t *trackerChecks) record(jobKey, uid string) *jobRecord {
	if r := t.jobs[jobKey]; r == nil || r.uid == uid {
		return r
	}
	for i := len(t.order) - 1; i >= 0; i-- {
		if r := t.order[i]; r.key == jobKey && r.uid == uid {
			return r
		}
	}
	return nil
}

// recordJob starts the record of a Job that was just stored; the server's
// mu is held.
func (w *world) recordJob(job *batchv1.Job) {
	r := &jobRecord{key: key(job), uid: string(job.UID), sawFinished: map[string]bool{}, counts: map[string]map[string]int{}, deadCounts: map[string]int{}, podHiddenFrom: map[string]bool{}}
	if ref := metav1.GetControllerOf(job); ref != nil {
		r.cronJob = job.Namespace + "/" + ref.Name
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tracker.jobs[r.key] = r
	w.tracker.order = append(w.tracker.order, r)
}

// observed counts one observation of a Job by a leader's tracker and flags a
// second one of the same kind (by any process).
func (w *world) observed(l *leader, what, jobKey, uid string) {
	if l.isDead() {
		// The process is gone: what it counts is never scraped. (Its
		// informers are handed the events already queued when it died,
		// so its handlers still run; the metric check counts their
		// updates apart.)
		w.tracef("%s's tracker, dead, counts %s of Job %s (lost with the process)", l.id, what, jobKey)
		w.mu.Lock()
		if r := w.tracker.record(jobKey, uid); r != nil {
			r.deadCounts[what]++
		}
		w.mu.Unlock()
		return
	}
	w.mu.Lock()
	r := w.tracker.record(jobKey, uid)
	if r == nil {
		w.mu.Unlock()
		w.violatef("tracker: %s counted %s of Job %s, which never existed", l.id, what, jobKey)
		return
	}
	if r.counts[what] == nil {
		r.counts[what] = map[string]int{}
	}
	r.counts[what][l.id]++
	total := 0
	for _, n := range r.counts[what] {
		total += n
	}
	by := fmtCounts(r.counts[what])
	w.mu.Unlock()
	w.tracef("%s's tracker counts %s of Job %s", l.id, what, jobKey)
	if total > 1 {
		w.violatef("tracker: Job %s counted %s %d times (%s)", jobKey, what, total, by)
	}
}

func fmtCounts(m map[string]int) string {
	var parts []string
	for id, n := range m {
		parts = append(parts, fmt.Sprintf("%s %d", id, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// trackerMetricValues reads the tracker's metrics per family and CronJob
// (namespace/name): counters by value, the attempts histogram by samples.
func trackerMetricValues() (map[string]map[string]float64, error) {
	out := map[string]map[string]float64{}
	mfs, err := legacyregistry.DefaultGatherer.Gather()
	if err != nil {
		return nil, err
	}
	for _, mf := range mfs {
		what, ok := trackerMetrics[mf.GetName()]
		if !ok {
			continue
		}
		if out[what] == nil {
			out[what] = map[string]float64{}
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range m.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			k := l["namespace"] + "/" + l["cronjob"]
			if h := m.GetHistogram(); h != nil {
				out[what][k] += float64(h.GetSampleCount())
			} else {
				out[what][k] += m.GetCounter().GetValue()
			}
		}
	}
	return out, nil
}

// podEvent records, for the tracker checks, a change of one of a Job's pods
// that the simulation made: whether a tracker that knew the Job could see it
// (a tracker drops a pod whose Job its informer does not show yet, and
// admits it with its next event), and the app container's first start. The
// informer shows the Job only if it was handed this Job, by UID: one that
// still shows an older Job of the name (deleted and made anew while its
// watch was held) drops the pod too, as the tracker's filter compares the
// pod's controller-uid label with the Job's UID (jobtracker.podOfCronJob).
func (w *world) podEvent(job *batchv1.Job, pod *corev1.Pod) {
	seen, by := true, ""
	if l := w.leader; l != nil {
		if jw := l.watch("jobs"); jw != nil {
			w.srv.mu.Lock()
			seen = !jw.held || jw.known[key(job)] == job.UID
			w.srv.mu.Unlock()
		}
		by = l.id
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.tracker.jobs[key(job)]
	if r == nil {
		return
	}
	r.podSeen = r.podSeen || seen
	if !seen {
		r.podHiddenFrom[by] = true
	}
	for _, s := range pod.Status.ContainerStatuses {
		var at time.Time
		switch {
		case s.State.Running != nil:
			at = s.State.Running.StartedAt.Time
		case s.State.Terminated != nil:
			at = s.State.Terminated.StartedAt.Time
		}
		if !at.IsZero() && (r.started.IsZero() || at.Before(r.started)) {
			r.started = at
		}
	}
}

// jobDelivered records that a leader's Job informer was handed a Job in a
// finished state (an add or update); the server's mu is held.
func (w *world) jobDelivered(pw *proxyWatch, ev watch.Event) {
	job, ok := ev.Object.(*batchv1.Job)
	if !ok || ev.Type == watch.Deleted || !finished(job) || pw.owner == nil || pw.owner.isDead() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if r := w.tracker.jobs[key(job)]; r != nil && r.uid == string(job.UID) {
		r.sawFinished[pw.owner.id] = true
	}
}

// leaderListsPods: a new leader's tracker lists the pods that exist, so
// every pod of a Job it knows is admitted.
func (w *world) leaderListsPods() {
	w.srv.mu.Lock()
	// By the pod's Job UID: a pod of an older Job of the name is not
	// one of the current Job's.
	jobsWithPods := map[[2]string]bool{}
	for _, o := range w.srv.objs["pods"] {
		p := o.(*corev1.Pod)
		jobsWithPods[[2]string{p.Namespace + "/" + p.Labels[batchv1.JobNameLabel], p.Labels[batchv1.ControllerUidLabel]}] = true
	}
	w.srv.mu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	for k := range jobsWithPods {
		if r := w.tracker.jobs[k[0]]; r != nil && r.uid == k[1] {
			r.podSeen = true
		}
	}
}

// trackerChecksAtEnd checks, once the faults stopped and a leader ran for
// 20 minutes, that every observation was counted by one process (the
// log lines agree with the metrics, per CronJob) and that none was lost
// outside the windows docs/metrics.md allows (see docs/reliability.md).
func (w *world) trackerChecksAtEnd() {
	got, err := trackerMetricValues()
	if err != nil {
		w.violatef("gathering metrics: %v", err)
		return
	}
	logged := map[string]map[string]float64{}
	w.mu.Lock()
	records := append([]*jobRecord(nil), w.tracker.order...)
	w.mu.Unlock()
	deleted := map[*jobRecord]bool{}
	stored := map[string]bool{}
	for _, j := range w.srv.jobs() {
		stored[string(j.UID)] = true
	}
	for _, r := range records {
		deleted[r] = !stored[r.uid]
	}
	for _, r := range records {
		for what, by := range r.counts {
			if logged[what] == nil {
				logged[what] = map[string]float64{}
			}
			for _, n := range by {
				logged[what][r.cronJob] += float64(n)
			}
		}
		for what, n := range r.deadCounts {
			if logged[what] == nil {
				logged[what] = map[string]float64{}
			}
			logged[what][r.cronJob] += float64(n)
		}
	}
	for _, what := range []string{obsStarted, obsFinished, obsAttempts} {
		keys := map[string]bool{}
		for k := range got[what] {
			keys[k] = true
		}
		for k := range logged[what] {
			keys[k] = true
		}
		for k := range keys {
			if d := got[what][k] - w.tracker.baseline[what][k]; d != logged[what][k] {
				w.violatef("tracker: %s: the metric of %s grew by %v, the tracker logged %v", k, what, d, logged[what][k])
			}
		}
	}
	for _, r := range records {
		if r.cronJob == "" {
			// No CronJob controls it (a foreign Job): the tracker
			// follows only the Jobs of CronJobs.
			continue
		}
		total := func(what string) int {
			n := 0
			for _, c := range r.counts[what] {
				n += c
			}
			return n
		}
		// The start belongs to whoever writes first-running, whenever the
		// app started: a Job still there at the end whose pod a tracker
		// could see must have been counted by some leader.
		if !deleted[r] && !r.started.IsZero() && r.podSeen && total(obsStarted) == 0 {
			w.violatef("tracker: Job %s started at %s and was never counted started", r.key, w.fmtTime(r.started))
		}
		// The finish (and attempts) belongs to the leader whose time it
		// happened in, if that leader's informer was handed the finished Job.
		if r.finished.IsZero() {
			continue
		}
		if by, toEnd := w.finishOwner(r); by != "" {
			for _, what := range []string{obsFinished, obsAttempts} {
				// Attempts are observed by a worker, once the Job's
				// pods are seen: only a leader that ran to the end
				// surely got to it (a stop or a crash drops the
				// tracker's queue), and only if its tracker saw every
				// change of the Job's pods (else it waits up to
				// attemptsSettle for them, on the bubble's clock, which
				// the simulation does not advance; docs/reliability.md).
				// The finish is counted by a worker too (once the
				// CronJob cache synced, jobtracker.countFinished): only
				// a leader that ran to the end surely got to it.
				if !toEnd || (what == obsAttempts && r.podHiddenFrom[by]) {
					continue
				}
				if r.counts[what][by] != 1 {
					w.violatef("tracker: Job %s finished at %s while %s led and was seen finished by it, counted %s by %s %d times (all: %s)",
						r.key, w.fmtTime(r.finished), by, what, by, r.counts[what][by], fmtCounts(r.counts[what]))
				}
			}
		}
	}
}

// finishOwner is the leader that must count a Job's finish: the one leading
// at its lastTransitionTime t, if t is not before the first second it
// observes (newObservesFrom: its start's second, or the second after the
// previous leader's stop when that was the same second), and if its Job
// informer was handed the Job finished. Otherwise the finish is in a loss
// window (nobody led; the handover second; the informer's lag at a stop)
// and "". toEnd: that leader still led when the run ended.
func (w *world) finishOwner(r *jobRecord) (owner string, toEnd bool) {
	t := r.finished
	for i, iv := range w.led {
		if t.Before(iv[0]) || (!iv[1].IsZero() && !t.Before(iv[1])) {
			continue
		}
		from := iv[0].Truncate(time.Second)
		if i > 0 {
			if after := w.led[i-1][1].Truncate(time.Second).Add(time.Second); after.After(from) {
				from = after
			}
		}
		id := w.leaders[i].id
		if t.Before(from) || !r.sawFinished[id] {
			return "", false
		}
		return id, iv[1].IsZero()
	}
	return "", false
}
