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
	"sort"
	"strings"
	"sync"
	"testing/synctest"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/component-base/metrics/legacyregistry"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
	cronjobmetrics "github.com/steadycron/steadycron/pkg/controller/cronjob/metrics"
)

// Config is what a seed does not decide.
type Config struct {
	// Steps is the number of random steps before the faults stop.
	Steps int
	// Faults lists the fault kinds the run may inject; nil means all of
	// them (see AllFaults).
	Faults []string
}

// AllFaults are the fault kinds: API faults (conflict, error, timeout after
// success), leader changes (graceful stop, kill, crash right after a write,
// stop right after a write), stale informer views, coalesced events, and
// Job creates that time out and are carried out later (latecommit: half of
// the create timeouts of "api", see faultLateCommit); and, decided by a
// random source of their own (extraRng) so that the other steps of a seed
// stay what they were before these existed: a tool that restores a
// CronJob's status with a lastScheduleTime ahead of the clock (restore), a
// Job the CronJob does not control, or one made by hand, under the name of a
// scheduled time's Job (foreign), and another process that creates the Job
// a leader is about to create, which then gets AlreadyExists (twin); and a
// start ten minutes before a spring-forward change (dst).
var AllFaults = []string{"api", "leader", "crash", "stale", "coalesce", "latecommit", "restore", "foreign", "twin", "dst"}

// Result is the outcome of one seed.
type Result struct {
	Seed       int64
	Violations []string
	// Accepted are the findings of an accepted class (see classify.go),
	// "class: finding"; they do not fail the seed.
	Accepted []string
	Trace    []string
	// Stats counts what happened: steps, leaders, Jobs created, faults.
	Stats map[string]int
}

// cronJobModel is the model's view of one CronJob: its schedule, read by the
// model's own parser, and when it was created.
type cronJobModel struct {
	ns, name string
	uid      types.UID
	schedule string
	spec     *cronSpec
	loc      *time.Location
	created  time.Time
	// suspendedEver: the CronJob was created suspended or the user
	// suspended it at some point.
	suspendedEver bool
	// deadlineEver: the CronJob had a startingDeadlineSeconds at some
	// point (at its creation or by an edit).
	deadlineEver bool
	// restores are the restores of the CronJob's status (restoreStatus):
	// the status they wrote says that every scheduled time up to its
	// lastScheduleTime ran, so those due by the restore that no process
	// had decided yet, and the time written, may get nothing (claimed).
	restores []restore
	// foreign are the scheduled times whose Job's name a Job that is not
	// the time's held (foreignJob): the controller counts such a time
	// skip/nameConflict if the name is still taken when it runs it.
	foreign []time.Time
}

type world struct {
	cfg    Config
	faults map[string]bool
	seed   int64
	rng    *rand.Rand
	// sched makes the scheduling choices within an instant (see settle),
	// apart from rng so that they do not change the steps of a seed.
	sched *rand.Rand
	// lateRng decides which create timeouts commit late, and when, apart
	// from rng so that the steps of a seed stay those it had before the
	// fault existed.
	lateRng *rand.Rand
	// extraRng decides the steps of the fault kinds restore, foreign and
	// twin (and dst's choice of the start), apart from rng for the same reason.
	extraRng *rand.Rand
	clock    *clocktesting.FakeClock
	start    time.Time
	srv      *apiServer

	leader      *leader
	leaders     []*leader
	leaderCount int
	// since is the DecisionsSince of the next leader: the previous
	// leader's last renewal, the epoch when nobody led before.
	since time.Time
	// handedOver are the next leader's Options.PendingSkips (patch 0023):
	// the tentative skips the previous leader had not counted when it
	// stopped gracefully, as the binary hands them over through its
	// ConfigMap; none after a kill. handedOverFrom is when that leader
	// took over (its own DecisionsSince), set with the handover: the next
	// leader's Options.PredecessorHandedOver and PredecessorTookOver.
	handedOver     []cronjob.PendingSkip
	handedOverFrom *time.Time
	kills          int
	// led are the intervals during which a leader ran: [from, to), to
	// zero while it runs.
	led [][2]time.Time
	// knownAtStart are, for each leader of led, the latest scheduled time
	// of each CronJob that the API server showed run when it started
	// (serverKnownTimes): what its informers could show it.
	knownAtStart []map[types.UID]time.Time
	// busyUntil: requests failed recently; time moves in small steps
	// until then so that retries happen at their own times.
	busyUntil time.Time

	cjs      []*cronJobModel
	jobsMade map[string]string // cronjob UID + scheduled time → Job name
	manual   int

	mu         sync.Mutex
	trace      []string
	violations []string
	// checks is what the checks record to classify findings (classify.go).
	checks    checkState
	stats     map[string]int
	staleNote string
	step      int
	// deferStatus: the leaders run with create-jobs-first (deferred
	// status writes and events).
	deferStatus bool
	// lastCounts are the counters traceCounts saw last.
	lastCounts map[string]int
	// tracker: the Jobs and observations of the job tracker checks.
	tracker trackerChecks
	// trackerPreviousUntil, if set, replaces the PreviousLeaderUntil a
	// leader's tracker is given (DecisionsSince otherwise): for the tests
	// that show the tracker checks fail.
	trackerPreviousUntil func(decisionsSince time.Time) time.Time
	pods                 int
}

var (
	zones = []string{"", "America/New_York", "Europe/Berlin"}
	// schedules: regular, irregular, and hourly/daily ones in a zone.
	schedules = []string{
		"* * * * *", "*/2 * * * *", "*/5 * * * *", "0,1,3,7,15,31 * * * *",
		"15-17,45 * * * *", "*/10 1-3 * * *", "30 2 * * *", "0 9-17 * * 1-5", "*/7 * * * *",
	}
	// starts: plain days and the hours before clock changes.
	starts = []time.Time{
		time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 8, 5, 30, 0, 0, time.UTC),  // New York springs forward at 07:00Z
		time.Date(2026, 11, 1, 4, 30, 0, 0, time.UTC), // New York falls back at 06:00Z
		time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC),  // Berlin springs forward at 01:00Z
		time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), // Berlin falls back at 01:00Z
	}
	// springChanges are the spring-forward changes after the starts above.
	springChanges = []time.Time{
		time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC),  // New York
		time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), // Berlin
	}
)

// Run simulates one seed and checks the invariants. It must be called in a
// synctest bubble (synctest.Test): the simulation waits for the goroutines
// of the bubble to be idle, never for real time.
func Run(seed int64, cfg Config) *Result {
	w := newWorld(seed, cfg)
	rng := w.rng
	deferStatus := rng.Intn(2) == 0
	w.tracef("seed %d: start %s, create-jobs-first (deferred status writes) %v", seed, w.start.Format(time.RFC3339), deferStatus)
	w.deferStatus = deferStatus

	n := 2 + rng.Intn(4)
	for i := 0; i < n; i++ {
		w.newCronJob(i)
	}
	w.ensureLeader()
	for w.step = 1; w.step <= cfg.Steps && len(w.violations) == 0; w.step++ {
		w.randomStep()
		w.settle()
		w.reapLeader()
	}
	if len(w.violations) == 0 {
		w.quiesce()
		w.finalChecks()
		w.trackerChecksAtEnd()
	}
	if len(w.violations) == 0 {
		w.wakeUpChecks()
	}
	w.shutdown()
	w.stats["steps"] = cfg.Steps
	w.stats["leaders"] = w.leaderCount
	w.stats["jobs"] = len(w.jobsMade)
	return &Result{Seed: seed, Violations: w.violations, Accepted: w.checks.accepted, Trace: w.trace, Stats: w.stats}
}

// newWorld is a seed's world before anything happens in it: the start time
// (the seed's first choice), the clock, an empty API server whose Job creates
// are checked (checkCreate), and the decision counters reset.
func newWorld(seed int64, cfg Config) *world {
	rng := rand.New(rand.NewSource(seed))
	start := starts[rng.Intn(len(starts))]
	w := &world{
		cfg:      cfg,
		seed:     seed,
		rng:      rng,
		sched:    rand.New(rand.NewSource(seed ^ 0x5eed)),
		lateRng:  rand.New(rand.NewSource(seed ^ 0x1a7e)),
		extraRng: rand.New(rand.NewSource(seed ^ 0xe47a)),
		clock:    clocktesting.NewFakeClock(start),
		start:    start,
		jobsMade: map[string]string{},
		stats:    map[string]int{},
		faults:   map[string]bool{},
	}
	if cfg.Faults == nil {
		cfg.Faults = AllFaults
	}
	for _, f := range cfg.Faults {
		w.faults[f] = true
	}
	// dst: half the seeds that start before a spring-forward change start
	// ten minutes before it instead, so that the gap's scheduled times
	// (02:30, 02:00-02:50 of */10 1-3) come while the first leader runs.
	if w.faults["dst"] && w.extraRng.Intn(2) == 0 {
		for _, change := range springChanges {
			if start.Before(change) && change.Sub(start) <= 2*time.Hour {
				start = change.Add(-10 * time.Minute)
				w.start = start
				w.clock.SetTime(start)
			}
		}
	}
	w.srv = newAPIServer(func() metav1.Time { return metav1.NewTime(w.clock.Now()) })
	w.srv.onJobCreate = w.checkCreate
	w.srv.onJobStored = w.recordJob
	w.srv.onDeliver = w.jobDelivered
	w.tracker.jobs = map[string]*jobRecord{}
	w.tracker.baseline, _ = trackerMetricValues()
	cronjobmetrics.Register()
	cronjobmetrics.CronJobSchedulingDecisions.Reset()
	cronjobmetrics.CronJobMissedSchedules.Reset()
	return w
}

func (w *world) fmtTime(t time.Time) string {
	if t.Before(w.start.Add(-24 * time.Hour)) {
		return "the beginning (nobody led before)"
	}
	return "+" + fmtDur(t.Sub(w.start))
}

func fmtDur(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	return fmt.Sprintf("%s%02d:%02d:%02d.%03d", sign, int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60, int(d.Milliseconds())%1000)
}

func (w *world) tracef(format string, args ...interface{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.trace = append(w.trace, fmt.Sprintf("%s [%3d] %s", w.fmtTime(w.clock.Now()), w.step, fmt.Sprintf(format, args...)))
}

func (w *world) violatef(format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	if w.staleNote != "" {
		msg += " (" + w.staleNote + ")"
	}
	w.tracef("VIOLATION: %s", msg)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.violations = append(w.violations, msg)
}

func (w *world) count(what string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stats[what]++
}

// traceWrite records a controller's successful or failed write.
func (w *world) traceWrite(by string, a clienttesting.Action, obj interface{}, err error) {
	res := a.GetResource().Resource
	if err != nil {
		w.tracef("%s %s %s%s failed: %v", by, a.GetVerb(), res, sub(a), err)
		return
	}
	switch a.GetVerb() {
	case "create":
		if j, ok := obj.(*batchv1.Job); ok {
			w.tracef("%s creates Job %s", by, jobDesc(j))
			return
		}
	case "update":
		if cj, ok := obj.(*batchv1.CronJob); ok {
			var names []string
			for _, r := range cj.Status.Active {
				names = append(names, r.Name)
			}
			last := "-"
			if cj.Status.LastScheduleTime != nil {
				last = w.fmtTime(cj.Status.LastScheduleTime.Time)
			}
			w.tracef("%s writes %s%s of %s/%s: active %v, last schedule %s", by, res, sub(a), cj.Namespace, cj.Name, names, last)
			return
		}
	case "delete":
		w.tracef("%s deletes %s %s/%s", by, res, a.GetNamespace(), a.(clienttesting.DeleteAction).GetName())
		return
	}
	w.tracef("%s %s %s%s", by, a.GetVerb(), res, sub(a))
}

// checkCreate checks a Job a controller creates against the Jobs stored, and
// judges a finding against what the creating process could know
// (doubleRunClass, overlapClass); the server's mu is held.
func (w *world) checkCreate(job *batchv1.Job, by string) {
	if by == "user" {
		return
	}
	w.count("jobs created")
	ref := metav1.GetControllerOf(job)
	if ref == nil {
		w.violatef("%s created Job %s without a controller reference", by, jobDesc(job))
		return
	}
	var cj *batchv1.CronJob
	for _, o := range w.srv.objs["cronjobs"] {
		if c := o.(*batchv1.CronJob); c.UID == ref.UID {
			cj = c
		}
	}
	if cj == nil {
		return
	}
	if t := job.Annotations[batchv1.CronJobScheduledTimestampAnnotation]; t != "" {
		st, err := time.Parse(time.RFC3339, t)
		if err != nil {
			w.violatef("Job %s: bad scheduled timestamp %q", job.Name, t)
		}
		w.noteStaleDeadlineRun(by, cj, st)
		k := string(cj.UID) + "|" + st.UTC().Format(time.RFC3339)
		if prev, ok := w.jobsMade[k]; ok {
			class := w.doubleRunClass(by, cj, st, job)
			if class != "" {
				if w.checks.doubles == nil {
					w.checks.doubles = map[types.UID][]string{}
				}
				w.checks.doubles[cj.UID] = append(w.checks.doubles[cj.UID], class)
			}
			if class == classLateRetry {
				if w.checks.lateDoubles == nil {
					w.checks.lateDoubles = map[string]bool{}
				}
				w.checks.lateDoubles[key(job)] = true
			}
			w.judge(class, "two Jobs for one scheduled time %s of %s/%s: %s, then %s (by %s)", w.fmtTime(st), cj.Namespace, cj.Name, prev, job.Name, by)
		}
		w.jobsMade[k] = job.Name
		defer w.recordCreate(job, by, cj, st)
	} else {
		defer w.recordCreate(job, by, cj, time.Time{})
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.AllowConcurrent {
		return
	}
	late := w.srv.committing
	for _, j := range w.srv.jobsLocked() {
		// A late commit carries out a create sent at late.sentAt: a manual
		// Job started since then (at the same instant too: creation times
		// have a resolution of one second) was not there for the controller
		// to see.
		if late != nil && j.Annotations["cronjob.kubernetes.io/instantiate"] == "manual" && !j.CreationTimestamp.Time.Before(late.sentAt) {
			continue
		}
		if r := metav1.GetControllerOf(j); r != nil && r.UID == cj.UID && !finished(j) {
			w.judge(w.overlapClass(by, cj, job, j), "%s: %s created Job %s while Job %s of the CronJob was unfinished", cj.Spec.ConcurrencyPolicy, by, jobDesc(job), jobDesc(j))
		}
	}
}

func finished(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func (w *world) newCronJob(i int) {
	sched := schedules[w.rng.Intn(len(schedules))]
	zone := zones[w.rng.Intn(len(zones))]
	policies := []batchv1.ConcurrencyPolicy{batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("cj%d", i), Namespace: []string{"default", "team-b"}[i%2]},
		Spec: batchv1.CronJobSpec{
			Schedule:                   sched,
			ConcurrencyPolicy:          policies[w.rng.Intn(3)],
			SuccessfulJobsHistoryLimit: ptr.To(int32(w.rng.Intn(4))),
			FailedJobsHistoryLimit:     ptr.To(int32(w.rng.Intn(2))),
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
			}}},
		},
	}
	if zone != "" {
		cj.Spec.TimeZone = ptr.To(zone)
	}
	if w.rng.Intn(3) == 0 {
		cj.Spec.StartingDeadlineSeconds = ptr.To([]int64{10, 45, 200}[w.rng.Intn(3)])
	}
	if w.rng.Intn(6) == 0 {
		cj.Spec.Suspend = ptr.To(true)
	}
	obj, err := w.srv.create("cronjobs", cj, "user")
	if err != nil {
		w.violatef("creating %s: %v", cj.Name, err)
		return
	}
	cj = obj.(*batchv1.CronJob)
	loc := time.UTC
	if zone != "" {
		loc, _ = time.LoadLocation(zone)
	}
	spec, err := parseCron(sched)
	if err != nil {
		w.violatef("model: %v", err)
		return
	}
	w.cjs = append(w.cjs, &cronJobModel{ns: cj.Namespace, name: cj.Name, uid: cj.UID, schedule: sched, spec: spec, loc: loc, created: cj.CreationTimestamp.Time,
		suspendedEver: cj.Spec.Suspend != nil && *cj.Spec.Suspend, deadlineEver: cj.Spec.StartingDeadlineSeconds != nil})
	w.tracef("user creates CronJob %s/%s: %q %s, %s, deadline %v, suspend %v, history %d/%d", cj.Namespace, cj.Name, sched, zone,
		cj.Spec.ConcurrencyPolicy, ptrStr(cj.Spec.StartingDeadlineSeconds), cj.Spec.Suspend != nil && *cj.Spec.Suspend,
		*cj.Spec.SuccessfulJobsHistoryLimit, *cj.Spec.FailedJobsHistoryLimit)
}

func ptrStr(p *int64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("%ds", *p)
}

// ensureLeader starts a leader if none leads.
func (w *world) ensureLeader() {
	if w.leader != nil {
		return
	}
	since := w.since
	if since.IsZero() {
		since = time.Unix(0, 0).UTC()
	}
	before := w.serverKnownTimes()
	l, err := w.startLeader(since, w.handedOver, w.handedOverFrom)
	w.handedOver, w.handedOverFrom = nil, nil
	if err != nil {
		w.violatef("%v", err)
		return
	}
	w.leader = l
	w.leaders = append(w.leaders, l)
	w.led = append(w.led, [2]time.Time{w.clock.Now()})
	// The later of the two: a fact that reached the API server while the
	// informers listed may be in the leader's view.
	known := w.serverKnownTimes()
	for uid, t := range before {
		if t.After(known[uid]) {
			known[uid] = t
		}
	}
	w.knownAtStart = append(w.knownAtStart, known)
	w.settle()
}

// stopLeader ends the current leader: gracefully (its context ends, the item
// in progress finishes, Run writes its pending statuses, then it releases the
// lease) or by a kill (its requests fail from now on).
func (w *world) stopLeader(kill bool) {
	l := w.leader
	if l == nil {
		return
	}
	l.mu.Lock()
	if kill {
		l.dead = true
	}
	l.stopping = true
	l.mu.Unlock()
	if kill {
		w.tracef("%s is killed", l.id)
	} else {
		w.tracef("%s is told to stop (graceful)", l.id)
	}
	l.cancel()
	w.reapLeader()
}

// reapLeader lets a leader that was told to stop, or that died, end, and
// records its last renewal of the lease.
func (w *world) reapLeader() {
	l := w.leader
	if l == nil {
		return
	}
	l.mu.Lock()
	ending, dead := l.stopping || l.dead, l.dead
	l.mu.Unlock()
	if !ending {
		return
	}
	w.settle()
	// A graceful stop sends the events it held back before Run returns, for
	// 10 s of the process's time at most (patch 0021): the broadcaster
	// retries a failed send after about 10 s, and Run looks at its queue
	// again every 100 ms, for events the spam filter dropped.
	for i := 0; i < 120 && !isClosed(l.done); i++ {
		time.Sleep(100 * time.Millisecond)
		w.settle()
	}
	if !isClosed(l.done) {
		w.violatef("%s did not stop", l.id)
		return
	}
	close(l.stopCh)
	synctest.Wait()
	// The lease: a graceful stop releases it now; a killed process renewed
	// it last at this instant (a renewal right before the crash). A release
	// comes after the stopping process's last sync: when that sync was at
	// this instant (the fake clock stands still while a process works), the
	// release is a microsecond later (the resolution of the Lease's
	// renewTime), so that a time the process acted on at this instant is
	// its own and not the next leader's too (seed 163145).
	w.since = w.clock.Now()
	how := map[bool]string{true: "dead", false: "released the lease"}[dead]
	if !dead && l.syncedAt(w.since) {
		w.since = w.since.Add(time.Microsecond)
		how += " a microsecond after its sync at this instant"
	}
	w.led[len(w.led)-1][1] = w.clock.Now()
	l.mu.Lock()
	l.releasedAt = w.since
	if dead {
		w.kills++
		l.killed = true
	}
	// A process that died while it drained writes no handover.
	diedDraining := l.dead
	l.mu.Unlock()
	w.tracef("%s has stopped (%s)", l.id, how)
	if !diedDraining {
		// The binary writes them before it releases the Lease.
		l.mu.Lock()
		l.handedOver = true
		l.mu.Unlock()
		w.handedOver = l.jm.PendingSkips()
		// As pkg/app writes it: when this leader took over, or, after a
		// handover, what its predecessor handed over.
		tookOver := l.since
		if !l.predecessorTookOver.IsZero() {
			tookOver = l.predecessorTookOver
		}
		w.handedOverFrom = &tookOver
		for _, p := range w.handedOver {
			w.tracef("%s hands over the pending skip of %s/%s at %s (%s)", l.id, p.Namespace, p.Name, w.fmtTime(p.ScheduledTime), p.Reason)
		}
	}
	w.leader = nil
}

// settleLimit bounds the actions of one settle: a controller that never
// becomes idle at one instant is a finding, not a hang.
const settleLimit = 100000

// settle runs the controllers until nothing happens any more at this instant
// of the fake clock: the simulation's notion of "nothing happens until time
// moves". One action at a time, each followed by synctest.Wait (every
// goroutine of the bubble, informers and the queues' delay loops included,
// has done what it can): deliver one watch's pending events, or process one
// queued item of a leader, or let a stopped leader's Run return. When both
// events and queued items are there, the scheduler's random choice says which
// goes first (an informer that lags behind the worker, or not).
func (w *world) settle() {
	for n := 0; n < settleLimit; n++ {
		synctest.Wait()
		events := w.srv.pending()
		var work *leader
		for _, l := range w.leaders {
			if l.hasWork() {
				work = l
				break
			}
		}
		switch {
		case events && (work == nil || w.sched.Intn(4) != 0):
			w.srv.pumpOne()
		case work != nil:
			stale := w.staleDeadlines(work)
			work.step()
			w.noteMisses(work, stale)
			w.traceCounts()
		default:
			if !w.endRuns() {
				return
			}
		}
	}
	w.violatef("the controllers did not settle after %d actions at one instant", settleLimit)
}

// endRuns cancels Run's context of every leader whose workers stopped; Run
// then writes its pending statuses and returns. It reports whether it
// cancelled any.
func (w *world) endRuns() bool {
	ended := false
	for _, l := range w.leaders {
		if l.ctx.Err() != nil && l.runCtx.Err() == nil {
			l.runCancel()
			ended = true
		}
	}
	return ended
}

// advance moves time forward by d, stopping just after every scheduled time
// of the model (and every second while retries are due, and at the end of
// the leader's wait for its predecessor's creates) so that each timer fires
// at its own time.
func (w *world) advance(d time.Duration) {
	target := w.clock.Now().Add(d)
	for w.clock.Now().Before(target) && len(w.violations) == 0 {
		now := w.clock.Now()
		next := target
		for _, cj := range w.cjs {
			if ts := cj.spec.times(cj.loc, now.Add(-20*time.Millisecond), next); len(ts) > 0 {
				if t := ts[0].Add(20 * time.Millisecond); t.After(now) && t.Before(next) {
					next = t
				}
			}
		}
		// The leader's syncs that wait for its predecessor's creates
		// (patch 0014) are requeued for the end of the wait, a minute
		// after its DecisionsSince (patch 0022): stop then too, or they
		// would run only at the next stop of the clock, maybe after the
		// leader was told to stop (seed 183556, when the wait ended a
		// minute after the leader's start).
		if l := w.leader; l != nil {
			if t := l.since.Add(createSettle); t.After(now) && t.Before(next) {
				next = t
			}
		}
		if now.Before(w.busyUntil) && next.After(now.Add(time.Second)) {
			next = now.Add(time.Second)
		}
		if c := w.srv.nextLateCommit(); !c.IsZero() && c.After(now) && c.Before(next) {
			next = c
		}
		w.clock.SetTime(next)
		w.commitLate("")
		w.settle()
		w.reapLeader()
	}
}

// commitLate carries out the late commits due now, and with getKey
// (namespace/name of a Job a GET just did not find) those waiting for it.
func (w *world) commitLate(getKey string) {
	for _, c := range w.srv.takeLateCommits(w.clock.Now(), getKey) {
		when := "its time"
		if c.at.After(w.clock.Now()) {
			when = "a GET found nothing"
		}
		if err := w.srv.commitLate(c); err != nil {
			w.tracef("the API server carries out %s's timed-out create of Job %s (%s): %v", c.by, jobDesc(c.job), when, err)
			continue
		}
		w.tracef("the API server carries out %s's timed-out create of Job %s (%s): created", c.by, jobDesc(c.job), when)
	}
}

// commitAfterGet carries out the late commits that wait for a GET of the Job
// key (namespace/name) that found nothing.
func (w *world) commitAfterGet(key string) { w.commitLate(key) }

func (w *world) randomStep() {
	w.extraStep()
	if w.leader == nil && w.rng.Intn(2) == 0 {
		w.ensureLeader()
		return
	}
	switch r := w.rng.Intn(100); {
	case r < 40:
		d := []time.Duration{5 * time.Second, 20 * time.Second, time.Minute, 3 * time.Minute, 10 * time.Minute}[w.rng.Intn(5)]
		w.tracef("time passes: %s", d)
		w.advance(d)
	case r < 60:
		w.progressJob()
	case r < 68:
		w.userEdit()
	case r < 72:
		w.manualJob()
	case r < 80:
		w.leaderChange()
	case r < 92:
		w.apiFault()
	default:
		w.staleView()
	}
}

func (w *world) progressJob() {
	var open []*batchv1.Job
	for _, j := range w.srv.jobs() {
		if !finished(j) {
			open = append(open, j)
		}
	}
	if len(open) == 0 {
		return
	}
	j := open[w.rng.Intn(len(open))]
	now := metav1.NewTime(w.clock.Now())
	// What the kubelet and the Job controller write has the API's
	// resolution of one second.
	sec := metav1.NewTime(now.Truncate(time.Second))
	switch w.rng.Intn(5) {
	case 0:
		w.tracef("user deletes Job %s", jobDesc(j))
		_ = w.srv.delete("jobs", j.Namespace, j.Name) // and its pods (garbage collection)
	case 1:
		w.tracef("Job %s fails", jobDesc(j))
		w.failJob(j, now)
	case 2:
		w.tracef("Job %s starts a pod", jobDesc(j))
		w.startPod(j, sec)
		j.Status.Active = 1
		j.Status.StartTime = &now
		_, _ = w.srv.update("jobs", j, true)
	default:
		w.tracef("Job %s completes", jobDesc(j))
		w.completeJob(j, now)
	}
}

// failJob ends the Job's running pod, if any, with exit code 1 and sets
// the Job's Failed condition, at now (the condition at the API's
// resolution of one second).
func (w *world) failJob(j *batchv1.Job, now metav1.Time) {
	sec := metav1.NewTime(now.Truncate(time.Second))
	if w.endPod(j, sec, 1) {
		j.Status.Failed = 1
		j.Status.Active = 0
	}
	j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, LastTransitionTime: sec})
	w.jobFinished(j, sec.Time)
	_, _ = w.srv.update("jobs", j, true)
}

// completeJob ends the Job's running pod with exit code 0 (a pod that
// starts and ends now if none runs) and sets the Job's Complete condition.
func (w *world) completeJob(j *batchv1.Job, now metav1.Time) {
	sec := metav1.NewTime(now.Truncate(time.Second))
	if !w.endPod(j, sec, 0) {
		w.startPod(j, sec)
		w.endPod(j, sec, 0)
	}
	j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: sec})
	j.Status.CompletionTime = &now
	j.Status.Active = 0
	j.Status.Succeeded = 1
	w.jobFinished(j, sec.Time)
	_, _ = w.srv.update("jobs", j, true)
}

// runningPod returns the Job's pod whose app container runs, if any.
func (w *world) runningPod(j *batchv1.Job) *corev1.Pod {
	w.srv.mu.Lock()
	defer w.srv.mu.Unlock()
	var keys []string
	for k, o := range w.srv.objs["pods"] {
		if o.(*corev1.Pod).Labels[batchv1.ControllerUidLabel] == string(j.UID) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := w.srv.objs["pods"][k].(*corev1.Pod)
		if len(p.Status.ContainerStatuses) > 0 && p.Status.ContainerStatuses[0].State.Running != nil {
			return p.DeepCopy()
		}
	}
	return nil
}

// startPod has the Job's pod created (the Job controller) and its app
// container started at at (the kubelet): two updates, as on a node, unless
// one already runs.
func (w *world) startPod(j *batchv1.Job, at metav1.Time) {
	if w.runningPod(j) != nil {
		return
	}
	w.pods++
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      fmt.Sprintf("%s-%d", j.Name, w.pods),
			Namespace: j.Namespace,
			Labels: map[string]string{
				batchv1.JobNameLabel:       j.Name,
				batchv1.ControllerUidLabel: string(j.UID),
			},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(j, batchv1.SchemeGroupVersion.WithKind("Job"))},
		},
		Spec:   *j.Spec.Template.Spec.DeepCopy(),
		Status: corev1.PodStatus{Phase: corev1.PodPending},
	}
	obj, err := w.srv.create("pods", pod, "job controller")
	if err != nil {
		w.violatef("creating pod %s: %v", pod.Name, err)
		return
	}
	pod = obj.(*corev1.Pod)
	w.podEvent(j, pod)
	pod.Status.Phase = corev1.PodRunning
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "c", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: at}}}}
	obj, err = w.srv.update("pods", pod, true)
	if err != nil {
		w.violatef("starting pod %s: %v", pod.Name, err)
		return
	}
	w.mu.Lock()
	if r := w.tracker.jobs[key(j)]; r != nil && r.uid == string(j.UID) {
		r.starts++
	}
	w.mu.Unlock()
	w.podEvent(j, obj.(*corev1.Pod))
	w.tracef("pod %s/%s of Job %s runs (startedAt %s)", pod.Namespace, pod.Name, j.Name, w.fmtTime(at.Time))
}

// endPod ends the app container of the Job's running pod at at with the
// exit code, and reports whether there was one.
func (w *world) endPod(j *batchv1.Job, at metav1.Time, exitCode int32) bool {
	pod := w.runningPod(j)
	if pod == nil {
		return false
	}
	started := pod.Status.ContainerStatuses[0].State.Running.StartedAt
	pod.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: exitCode, StartedAt: started, FinishedAt: at}}
	pod.Status.Phase = corev1.PodSucceeded
	if exitCode != 0 {
		pod.Status.Phase = corev1.PodFailed
	}
	obj, err := w.srv.update("pods", pod, true)
	if err != nil {
		w.violatef("ending pod %s: %v", pod.Name, err)
		return false
	}
	w.podEvent(j, obj.(*corev1.Pod))
	w.tracef("pod %s/%s of Job %s ends (exit code %d, finishedAt %s)", pod.Namespace, pod.Name, j.Name, exitCode, w.fmtTime(at.Time))
	return true
}

// jobFinished records when the Job reached its terminal condition.
func (w *world) jobFinished(j *batchv1.Job, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if r := w.tracker.jobs[key(j)]; r != nil && r.uid == string(j.UID) {
		r.finished = at
	}
}

func (w *world) userEdit() {
	cjs := w.srv.cronJobs()
	cj := cjs[w.rng.Intn(len(cjs))]
	switch w.rng.Intn(4) {
	case 0:
		cj.Spec.Suspend = ptr.To(!(cj.Spec.Suspend != nil && *cj.Spec.Suspend))
		w.tracef("user sets suspend of %s/%s to %v", cj.Namespace, cj.Name, *cj.Spec.Suspend)
		for _, m := range w.cjs {
			if m.uid == cj.UID && *cj.Spec.Suspend {
				m.suspendedEver = true
			}
		}
	case 1:
		cj.Spec.ConcurrencyPolicy = []batchv1.ConcurrencyPolicy{batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}[w.rng.Intn(3)]
		w.tracef("user sets the concurrency policy of %s/%s to %s", cj.Namespace, cj.Name, cj.Spec.ConcurrencyPolicy)
	case 2:
		defer w.noteDeadline(cj, cj.Spec.StartingDeadlineSeconds)
		if w.rng.Intn(2) == 0 {
			cj.Spec.StartingDeadlineSeconds = nil
		} else {
			cj.Spec.StartingDeadlineSeconds = ptr.To([]int64{10, 45, 200}[w.rng.Intn(3)])
		}
		for _, m := range w.cjs {
			if m.uid == cj.UID && cj.Spec.StartingDeadlineSeconds != nil {
				m.deadlineEver = true
			}
		}
		w.tracef("user sets the starting deadline of %s/%s to %s", cj.Namespace, cj.Name, ptrStr(cj.Spec.StartingDeadlineSeconds))
	default:
		if cj.Labels == nil {
			cj.Labels = map[string]string{}
		}
		cj.Labels["edit"] = fmt.Sprint(w.step)
		w.tracef("user relabels %s/%s", cj.Namespace, cj.Name)
	}
	if _, err := w.srv.update("cronjobs", cj, false); err != nil {
		w.violatef("user edit: %v", err)
	}
}

// manualJob runs a CronJob by hand, as kubectl create job --from does.
func (w *world) manualJob() {
	cjs := w.srv.cronJobs()
	cj := cjs[w.rng.Intn(len(cjs))]
	w.manual++
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:            fmt.Sprintf("%s-manual-%d", cj.Name, w.manual),
			Namespace:       cj.Namespace,
			Annotations:     map[string]string{"cronjob.kubernetes.io/instantiate": "manual"},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
	w.tracef("user runs %s/%s by hand: Job %s", cj.Namespace, cj.Name, j.Name)
	_, _ = w.srv.create("jobs", j, "user")
}

func (w *world) leaderChange() {
	if !w.faults["leader"] && !w.faults["crash"] {
		return
	}
	l := w.leader
	if l == nil {
		return
	}
	switch r := w.rng.Intn(4); {
	case r == 0 && w.faults["leader"]:
		w.stopLeader(false)
	case r == 1 && w.faults["leader"]:
		w.stopLeader(true)
	case r == 2 && w.faults["crash"]:
		n := 1 + w.rng.Intn(3)
		l.mu.Lock()
		l.crashAfter = n
		l.mu.Unlock()
		w.tracef("%s will crash right after its next %d write(s)", l.id, n)
	case r == 3 && w.faults["crash"]:
		n := 1 + w.rng.Intn(3)
		l.mu.Lock()
		l.stopAfter = n
		l.mu.Unlock()
		w.tracef("%s will be told to stop right after its next %d write(s)", l.id, n)
	default:
		return
	}
	w.count("leader changes")
	if w.leader == nil && w.rng.Intn(2) == 0 {
		w.ensureLeader() // no gap
	}
}

func (w *world) apiFault() {
	if !w.faults["api"] || w.leader == nil {
		return
	}
	opts := []fault{
		{verb: "create", resource: "jobs"},
		{verb: "update", resource: "cronjobs", subresource: "status"},
		{verb: "delete", resource: "jobs"},
		{verb: "get", resource: "cronjobs"},
		{verb: "get", resource: "jobs"},
	}
	f := opts[w.rng.Intn(len(opts))]
	kinds := []faultKind{faultConflict, faultError}
	if f.verb != "get" {
		kinds = append(kinds, faultTimeout)
	}
	f.kind = kinds[w.rng.Intn(len(kinds))]
	f.count = 1 + w.rng.Intn(3)
	if f.kind == faultTimeout && f.verb == "create" && w.faults["latecommit"] && w.lateRng.Intn(2) == 0 {
		f.kind = faultLateCommit
		f.delay = time.Duration(1+w.lateRng.Intn(59)) * time.Second
		f.afterGet = w.lateRng.Intn(2) == 0
	}
	w.leader.mu.Lock()
	w.leader.faults = append(w.leader.faults, f)
	w.leader.mu.Unlock()
	w.busyUntil = w.clock.Now().Add(2 * time.Minute)
	w.tracef("%s: %s", w.leader.id, f)
	w.count("api faults")
}

// staleView holds or releases the delivery of one of the leader's watches.
func (w *world) staleView() {
	if !w.faults["stale"] || w.leader == nil {
		return
	}
	res := []string{"jobs", "cronjobs"}[w.rng.Intn(2)]
	pw := w.leader.watch(res)
	if pw == nil {
		return
	}
	w.srv.mu.Lock()
	held := pw.held
	if held {
		pw.held = false
		pw.coalesce = w.faults["coalesce"] && w.rng.Intn(2) == 0
	} else {
		pw.held = true
	}
	coalesce := pw.coalesce
	w.srv.mu.Unlock()
	if held {
		w.tracef("%s's %s informer catches up (coalesced: %v)", w.leader.id, res, coalesce)
	} else {
		w.tracef("%s's %s informer stops seeing changes (stale view)", w.leader.id, res)
		w.count("stale views")
	}
	w.updateStaleNote()
}

func (w *world) updateStaleNote() {
	w.srv.mu.Lock()
	defer w.srv.mu.Unlock()
	var held []string
	for _, pw := range w.srv.watchers {
		if pw.held && !pw.stopped {
			held = append(held, pw.owner.id+" "+pw.resource)
		}
	}
	w.staleNote = ""
	if len(held) > 0 {
		w.staleNote = "stale view in effect: " + strings.Join(held, ", ")
	}
}

// quiesce ends the faults: watches catch up, no more injected errors, a
// leader runs, and time passes until every CronJob had a chance to act.
func (w *world) quiesce() {
	w.tracef("faults stop")
	w.srv.mu.Lock()
	for _, pw := range w.srv.watchers {
		pw.held = false
	}
	w.srv.mu.Unlock()
	w.staleNote = ""
	if l := w.leader; l != nil {
		l.mu.Lock()
		l.faults, l.crashAfter, l.stopAfter = nil, 0, 0
		l.mu.Unlock()
	}
	w.settle()
	w.reapLeader()
	w.ensureLeader()
	for i := 0; i < 20 && len(w.violations) == 0; i++ {
		w.advance(time.Minute)
	}
}

// finalChecks: the CronJobs' active lists and the decision counters.
func (w *world) finalChecks() {
	now := w.clock.Now()
	jobs := w.srv.jobs()
	decisions, missed := w.counters()
	for _, cj := range w.srv.cronJobs() {
		// Compared by UID, as the controller matches the entries: an
		// entry naming a deleted Job whose name an unfinished one took (a
		// retry, a late commit) is not that Job.
		var want, got, wantUIDs, gotUIDs []string
		unfinished := map[types.UID]string{}
		for _, j := range jobs {
			if r := metav1.GetControllerOf(j); r != nil && r.UID == cj.UID && !finished(j) {
				want = append(want, j.Name)
				wantUIDs = append(wantUIDs, string(j.UID))
				unfinished[j.UID] = j.Name
			}
		}
		for _, r := range cj.Status.Active {
			got = append(got, r.Name)
			gotUIDs = append(gotUIDs, string(r.UID))
		}
		sort.Strings(want)
		sort.Strings(got)
		sort.Strings(wantUIDs)
		sort.Strings(gotUIDs)
		if strings.Join(wantUIDs, ",") != strings.Join(gotUIDs, ",") {
			note := ""
			if strings.Join(want, ",") == strings.Join(got, ",") {
				note = " (the same names: an entry's UID is not the unfinished Job's)"
			}
			w.judge(w.staleActiveClass(cj, unfinished), "%s/%s: status.active %v, unfinished Jobs it controls %v%s", cj.Namespace, cj.Name, got, want, note)
		}
	}
	for _, m := range w.cjs {
		times := m.spec.times(m.loc, m.created, now)
		// Times that passed while nobody led are counted by the next
		// leader, as missed (or invoke/late, or a skip, for the one it
		// acts on): it counts from the previous leader's stop (patch
		// 0022, docs/metrics.md); not if the CronJob was ever suspended
		// (times before a leader's start are not counted as suspended).
		// A time in the last second may not have been acted on yet: the
		// controller syncs 10 ms after a scheduled time (and the tentative
		// skip of the time before it is counted then), and the run can
		// end right at a scheduled time.
		ledTimes, lastRan := 0, false
		var unmet []string // led times without a Job, for the messages
		for _, t := range times {
			// A time a restore of the status says ran may get nothing.
			if (w.leading(t) || (!m.suspendedEver && w.ledLater(t))) && t.Before(now.Add(-time.Second)) && !m.claimed(t) {
				ledTimes++
				_, lastRan = w.jobsMade[string(m.uid)+"|"+t.UTC().Format(time.RFC3339)]
				if _, off := t.In(m.loc).Zone(); func() bool { _, o := t.Add(-2 * time.Hour).In(m.loc).Zone(); return o != off }() {
					w.count("led times within 2h after a clock change")
				}
				if !lastRan {
					unmet = append(unmet, w.fmtTime(t))
				}
			}
		}
		// The last one, if it got no Job, may still be a tentative skip
		// (counted when the next time comes); and each kill that could
		// lose a time of m (lostAtStop) may have lost one, as the pending
		// skip it held (fewerOutcomesClass judges the rest).
		expected := ledTimes
		if !lastRan && expected > 0 {
			expected--
		}
		kills := w.killLosses(m)
		expected -= kills
		jobTimes := 0
		for k := range w.jobsMade {
			if strings.HasPrefix(k, string(m.uid)+"|") {
				jobTimes++
			}
		}
		key := m.ns + "/" + m.name
		d := decisions[key]
		skips := 0
		for dec, n := range d {
			if strings.HasPrefix(dec, "skip/") {
				skips += n
			}
		}
		total := jobTimes + skips + missed[key]
		w.tracef("%s: %d scheduled times (model), %d while a leader ran, %d with a Job, counted %v, missed %d", key, len(times), ledTimes, jobTimes, d, missed[key])
		// The reasons the model knows: a CronJob never suspended counts no
		// suspended skip, one that never had a starting deadline no
		// missedDeadline skip (a held-back copy shows only states the
		// CronJob had).
		if n := d["skip/"+cronjobmetrics.ReasonSuspended]; n > 0 && !m.suspendedEver {
			w.violatef("%s: %d skip/%s counted, the CronJob was never suspended", key, n, cronjobmetrics.ReasonSuspended)
		}
		if n := d["skip/"+cronjobmetrics.ReasonMissedDeadline]; n > 0 && !m.deadlineEver {
			w.violatef("%s: %d skip/%s counted, the CronJob never had a startingDeadlineSeconds", key, n, cronjobmetrics.ReasonMissedDeadline)
		}
		if d["invoke"] > jobTimes {
			w.judge(w.extraInvokeClass(m, d["invoke"]-jobTimes), "%s: %d invokes counted, %d scheduled times got a Job%s", key, d["invoke"], jobTimes, w.timesNote("times with more than one Job", w.multiJobTimes(m)))
		}
		// Each time a controller created a Job for, and got it back, is
		// counted invoke by that process's sync at once (syncCronJob: no
		// request between the create and the count), unless that process
		// had counted the time already (recorder.invoke: a time counted
		// missed, then run after a deadline edit).
		if acked := w.ackedTimes(m); d["invoke"] < len(acked) {
			var ts []string
			for _, t := range acked {
				ts = append(ts, w.fmtTime(t))
			}
			w.judge(w.fewerInvokesClass(m, len(acked)-d["invoke"]), "%s: %d invokes counted, %d scheduled times got a Job by an answered create%s", key, d["invoke"], len(acked), w.timesNote("those times", ts))
		}
		w.checkReasons(m, d, len(w.ackedTimes(m)))
		if total > len(times) {
			missLike := missed[key] + d["skip/"+cronjobmetrics.ReasonMissedDeadline] + d["skip/"+cronjobmetrics.ReasonSuspended]
			w.judge(w.moreOutcomesClass(m, total-len(times), missLike), "%s: %d Jobs + %d skips + %d missed = %d outcomes for %d scheduled times%s", key, jobTimes, skips, missed[key], total, len(times), w.timesNote("led times without a Job", unmet))
		}
		if total < expected {
			w.judge(w.fewerOutcomesClass(m, expected-total), "%s: %d Jobs + %d skips + %d missed = %d outcomes for %d scheduled times (%d kills, %d could lose a time of it)%s", key, jobTimes, skips, missed[key], total, len(times), w.kills, kills, w.timesNote("led times without a Job", unmet))
		}
	}
}

// timesNote names the scheduled times a count finding concerns, for its
// message (replay with -sim.counts to see what each was counted): ";
// what: t1, t2, ...", at most ten; empty if there are none.
func (w *world) timesNote(what string, times []string) string {
	if len(times) == 0 {
		return ""
	}
	if len(times) > 10 {
		times = append(times[:10:10], fmt.Sprintf("... (%d in all)", len(times)))
	}
	return "; " + what + ": " + strings.Join(times, ", ")
}

// multiJobTimes lists the scheduled times of m for which the controllers
// created more than one Job (an extra invoke may be counted for one).
func (w *world) multiJobTimes(m *cronJobModel) []string {
	n := map[time.Time]int{}
	var out []string
	for _, c := range w.checks.creates {
		if c.cronJob != m.uid || c.scheduled.IsZero() {
			continue
		}
		t := c.scheduled.UTC()
		if n[t]++; n[t] == 2 {
			out = append(out, w.fmtTime(t))
		}
	}
	return out
}

// ledLater reports whether a leader ran before t and another started after
// it: t passed between two leaders.
func (w *world) ledLater(t time.Time) bool {
	return len(w.led) > 0 && !t.Before(w.led[0][0]) && w.led[len(w.led)-1][0].After(t)
}

// leading reports whether a leader ran at t.
func (w *world) leading(t time.Time) bool {
	for _, iv := range w.led {
		if !t.Before(iv[0]) && (iv[1].IsZero() || t.Before(iv[1])) {
			return true
		}
	}
	return false
}

// TraceLogV > 0 puts the controllers' log lines up to that verbosity in the
// trace (klog's -v; 4 shows each sync's decisions), for replaying a seed.
var TraceLogV = 0

// TraceCounts makes the trace show every change of the decision and missed
// counters after the item that made it (slower: the registry is read after
// every item; for replaying a seed).
var TraceCounts = false

// traceCounts traces the counters that changed since the last call.
func (w *world) traceCounts() {
	if !TraceCounts {
		return
	}
	decisions, missed := w.counters()
	cur := map[string]int{}
	for k, d := range decisions {
		for dec, n := range d {
			cur[k+" "+dec] = n
		}
	}
	for k, n := range missed {
		cur[k+" missed"] = n
	}
	var changed []string
	for k, n := range cur {
		if n != w.lastCounts[k] {
			changed = append(changed, fmt.Sprintf("%s %+d", k, n-w.lastCounts[k]))
		}
	}
	sort.Strings(changed)
	if len(changed) > 0 {
		w.tracef("counted: %s", strings.Join(changed, ", "))
	}
	w.lastCounts = cur
}

// counters reads the decision counters: per CronJob, "invoke" and
// "skip/<reason>" sums, and the missed counter.
func (w *world) counters() (map[string]map[string]int, map[string]int) {
	decisions := map[string]map[string]int{}
	missed := map[string]int{}
	mfs, err := legacyregistry.DefaultGatherer.Gather()
	if err != nil {
		w.violatef("gathering metrics: %v", err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range m.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			key := l["namespace"] + "/" + l["cronjob"]
			v := int(m.GetCounter().GetValue())
			switch mf.GetName() {
			case "cronjob_controller_scheduling_decisions_total":
				if decisions[key] == nil {
					decisions[key] = map[string]int{}
				}
				if l["decision"] == "invoke" {
					decisions[key]["invoke"] += v
					decisions[key]["invoke/"+l["reason"]] += v
				} else {
					decisions[key][l["decision"]+"/"+l["reason"]] += v
				}
			case "cronjob_controller_missed_schedules_total":
				missed[key] += v
			}
		}
	}
	return decisions, missed
}

// shutdown stops every leader and its informers; every goroutine of the
// bubble ends.
func (w *world) shutdown() {
	for _, l := range w.leaders {
		l.cancel()
		l.runCancel()
	}
	synctest.Wait()
	for _, l := range w.leaders {
		select {
		case <-l.stopCh:
		default:
			close(l.stopCh)
		}
	}
	// Loops that wait on the bubble's own clock (polls, backoffs) see the
	// cancellation when they wake: let its time pass until they all ended.
	for _, l := range w.leaders {
		for i := 0; i < 100; i++ {
			select {
			case <-l.trackerDone:
			default:
				time.Sleep(time.Second)
				continue
			}
			break
		}
		for i := 0; i < 100; i++ {
			select {
			case <-l.done:
			default:
				time.Sleep(time.Second)
				continue
			}
			break
		}
	}
	time.Sleep(time.Minute)
}

// isClosed tells whether ch is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
