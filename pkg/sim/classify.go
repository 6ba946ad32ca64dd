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
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// The accepted classes: findings that the check can show, from the facts the
// world recorded, to be no bug of the controller. They are counted and listed
// by class in a run's summary, but do not fail a seed. Every other finding is
// a violation.
const (
	// classStaleView: the deciding process's informers did not show the
	// fact that forbade its create, which the API server held (a watch held
	// back or coalesced), and no memory the series promises held it
	// either. Upstream's behaviour: no live read per scheduled time.
	classStaleView = "accepted: decided on a view that lacked it (stale view)"
	// classLostWithProcess: not even the API server held the fact that
	// forbade the create (the Job of the time is gone, and no status write
	// recorded the time); only the memory of another process, which
	// stopped, knew it.
	classLostWithProcess = "accepted: decided on a view that lacked it (only a stopped process knew it)"
	// classLateRetry: the API server carried out a timed-out create after
	// a retry of it (by its creator, or by the next leader) had succeeded
	// and that Job had been deleted: the name was free again. The process
	// that retried cannot know that the first request is still in flight;
	// only the API server could refuse it. Also the mirror: the first
	// timed-out create was carried out, unseen by the sender, which sent a
	// retry that timed out too; the first Job was deleted, and the API
	// server carried out the retry (seed 2205).
	classLateRetry = "accepted: a timed-out create carried out after its retry's Job was gone"
	// classHandoverSkip: fewer outcomes than scheduled times, by no more
	// than the times that a gracefully stopped process may have held as a
	// pending skip (docs/metrics.md: a handover can lose one pending skip
	// per CronJob).
	classHandoverSkip = "accepted: a handover lost a pending skip"
	// classDeadlineEdit: more outcomes than scheduled times, by no more than
	// the times that a deadline edit made runnable after they were past the
	// old deadline (counted missed, then run), and the times a process
	// counted missed on a copy of the CronJob that did not show yet the
	// user's edit raising or removing the deadline (seeds 3732, 5007, 5428:
	// the time then runs once the copy shows it).
	classDeadlineEdit = "accepted: a deadline edit made a missed time runnable"
	// classReadFailure: fewer outcomes than scheduled times, by no more
	// than the times a stopping process held unseen because its syncs of
	// the CronJob failed on a read (a GET) while a create of the CronJob
	// that it sent, and whose answer was lost, could still land (within a
	// minute of its failure), and the time before them it may have held
	// as a pending skip (docs/metrics.md: such syncs leave later times
	// waiting for the create, and a stop then loses them; seed 40270),
	// also when the next process ran a time held unseen (seed 110270).
	// Without such a create, a sync failing on a read skips the time
	// tentatively (patch 0017; seed 32088 is a regression seed).
	classReadFailure = "accepted: syncs failing on a read held times unseen at a stop"
	// classLostAnswerUnseen: a Job whose create succeeded though its
	// creator got an error (its answer lost), deleted before the retry,
	// that the creator's Job informer never delivered (its watch held
	// back, or re-listed after the Job was gone): the retry cannot tell it
	// from a create that never happened, and creates the Job again, or,
	// past the time, counts the time skip/error although it ran
	// (docs/semantics.md, a create that timed out; patch 0014 remembers a
	// deleted Job only when the informer delivers it). After a graceful
	// handover of the create (patch 0023), the next leader's Job informer
	// (lostAnswersUnseen). So is a Job another process created just
	// before the creator's create (twin), which the creator learns of only
	// by AlreadyExists and a GET of it: if the GET fails (patch 0017 asks
	// again at the next syncs) and the Job is deleted before any of the
	// creator's reads or its Job informer show it, nothing tells the time
	// ran, and its tentative skip/error is counted (seed 2022031).
	classLostAnswerUnseen = "accepted: a Job whose create answer was lost, deleted unseen, run again or counted skipped"
	// classStaleActive: status.active names a Job that the API server
	// deleted and that the leader's Job informer never delivered (created
	// and deleted behind a held watch, or a re-list after it was gone), and
	// nothing woke the CronJob since: no change of the CronJob after the
	// deletion, no scheduled time, the leader already ran. No event tells
	// the controller; its next sync of the CronJob (the next scheduled
	// time, an edit, or the informers' resync, 12 to 24 hours in the
	// binary) finds the Job gone and drops the entry. Upstream's behaviour
	// (seed 100982).
	classStaleActive = "accepted: a Job deleted unseen stays in status.active until the CronJob's next sync"
	// classTakeoverWait: fewer outcomes than scheduled times, by no more
	// than the unmet times that leaders stopped or killed before their wait
	// ended (a minute after their predecessor's end) took over while they
	// waited for creates of their predecessor that may still land (patch
	// 0014; docs/metrics.md; seeds 9125 and 172907).
	classTakeoverWait = "accepted: a leader that stopped while it waited for its predecessor's creates lost the times it took over"
	// classRestoreClaim: more invokes counted than times with a Job, by no
	// more than the times without a Job that a restore's status showed
	// run: the time it wrote as status.lastScheduleTime, or, for one
	// taken for a clock jump, the most recent scheduled time at or before
	// the restore (patch 0013 sets the value back to the most recent time
	// at or before the API server's record of the write). A process whose
	// create of such a time failed takes the status for the create's
	// success (patch 0014's createdAfterAll: only a Job of the time sets
	// the last schedule time, in every real writer: the controller, one
	// whose clock is ahead, a backup of either) and counts a late invoke;
	// the simulation's restore writes the time without any Job (h17z,
	// seeds 2021810 and 2023895).
	classRestoreClaim = "accepted: a restored status said a time ran that got no Job"
)

// syncDelay is how long after a scheduled time the controller syncs the
// CronJob (patch 0004).
const syncDelay = 10 * time.Millisecond

// checkState is what the checks record beside the world's own state.
type checkState struct {
	// accepted are the findings of an accepted class, "class: finding".
	accepted []string
	// creates are the Jobs the controllers created (late commits
	// included), in the order the API server stored them.
	creates []createRec
	// deadlines are the user's edits of startingDeadlineSeconds by CronJob.
	deadlines map[types.UID][]deadlineEdit
	// staleMisses are, by CronJob, the times counted missed by a process
	// whose copy of the CronJob had a lower deadline than the API
	// server's (noteMisses).
	staleMisses map[types.UID]int
	// doubles are, by CronJob, the classes of the times that got a second
	// Job in an accepted class (the second Job's invoke is counted too).
	doubles map[types.UID][]string
	// staleDeadlineRuns are, by CronJob, the times a process ran past the
	// API server's starting deadline on a copy of the CronJob whose deadline
	// was none or higher (noteStaleDeadlineRun).
	staleDeadlineRuns map[types.UID]int
	// lateDoubles are the Jobs (namespace/name) that were a time's second
	// Job in classLateRetry: a Forbid or Replace overlap with one is a
	// consequence of that accepted late commit (seed 119999).
	lateDoubles map[string]bool
	// view, if set, replaces the leaders' informers as the view of a
	// process (hand-built histories in tests).
	view func(by string) *processView
}

// createRec is one Job a controller created.
type createRec struct {
	by        string
	cronJob   types.UID
	name      string
	uid       types.UID
	scheduled time.Time // zero without the scheduled-time annotation
	at        time.Time
	// late: a timed-out create that the API server carried out later,
	// sent at sentAt; its creator was told it failed.
	late   bool
	sentAt time.Time
	// answerLost: the create succeeded but its creator got an error (an
	// injected timeout after success, or a late commit).
	answerLost bool
	// acked: its creator got the created Job back (no error): the sync
	// counts the time's invoke at once, with no request between
	// (syncCronJob), so no fault can come between the two.
	acked bool
}

type deadlineEdit struct {
	at       time.Time
	old, new *int64
}

// processView is what a process's informers hold.
type processView struct {
	cronJobs map[string]*batchv1.CronJob // by namespace/name
	jobs     []*batchv1.Job
	// delivered are the Jobs its Job informer ever delivered, by UID.
	delivered map[types.UID]bool
}

// viewOf returns the view of the process by (a leader's id), nil if no such
// process ran. The informers' stores are read as they are: the simulation
// calls the check from within the create, when no informer is delivering.
func (w *world) viewOf(by string) *processView {
	// A leader's twin decided as the leader did (twinCreate).
	by = strings.TrimSuffix(by, twinSuffix)
	if w.checks.view != nil {
		return w.checks.view(by)
	}
	for _, l := range w.leaders {
		if l.id != by {
			continue
		}
		v := &processView{cronJobs: map[string]*batchv1.CronJob{}, delivered: map[types.UID]bool{}}
		l.mu.Lock()
		for uid := range l.delivered {
			v.delivered[uid] = true
		}
		l.mu.Unlock()
		for _, inf := range l.informers {
			for _, o := range inf.GetStore().List() {
				switch obj := o.(type) {
				case *batchv1.CronJob:
					v.cronJobs[key(obj)] = obj
				case *batchv1.Job:
					v.jobs = append(v.jobs, obj)
				}
			}
		}
		return v
	}
	return nil
}

// judge records a finding: a violation when class is empty, else an accepted
// finding of that class. The stale-view note stays in the text for readers.
func (w *world) judge(class, format string, args ...interface{}) {
	if class == "" {
		w.violatef(format, args...)
		return
	}
	msg := fmt.Sprintf(format, args...)
	if w.staleNote != "" {
		msg += " (" + w.staleNote + ")"
	}
	w.tracef("%s: %s", class, msg)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.checks.accepted = append(w.checks.accepted, class+": "+msg)
}

// answerLost marks the create of the Job uid as one whose creator got an
// error though the API server stored it.
func (w *world) answerLost(uid types.UID) {
	w.markCreate(uid, func(c *createRec) { c.answerLost = true })
}

// ackCreate marks the create of the Job uid as answered to its creator
// (createRec.acked).
func (w *world) ackCreate(uid types.UID) {
	w.markCreate(uid, func(c *createRec) { c.acked = true })
}

// markCreate applies mark to the record of the create of the Job uid.
func (w *world) markCreate(uid types.UID, mark func(*createRec)) {
	w.srv.mu.Lock()
	defer w.srv.mu.Unlock()
	for i := range w.checks.creates {
		if w.checks.creates[i].uid == uid {
			mark(&w.checks.creates[i])
		}
	}
}

// ackedTimes lists the scheduled times of m whose Job a controller created
// by an acknowledged create (createRec.acked), each time once.
func (w *world) ackedTimes(m *cronJobModel) []time.Time {
	seen := map[time.Time]bool{}
	var out []time.Time
	for _, c := range w.checks.creates {
		if t := c.scheduled.UTC(); c.cronJob == m.uid && c.acked && !c.scheduled.IsZero() && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// recordCreate remembers a Job a controller creates (checkCreate).
func (w *world) recordCreate(job *batchv1.Job, by string, cj *batchv1.CronJob, scheduled time.Time) {
	c := createRec{by: by, cronJob: cj.UID, name: job.Name, uid: job.UID, scheduled: scheduled, at: w.clock.Now()}
	if late := w.srv.committing; late != nil {
		c.late, c.sentAt, c.answerLost = true, late.sentAt, true
	}
	w.checks.creates = append(w.checks.creates, c)
}

// noteDeadline records a user's edit of cj's startingDeadlineSeconds, from
// old (nil: none) to cj's.
func (w *world) noteDeadline(cj *batchv1.CronJob, old *int64) {
	if w.checks.deadlines == nil {
		w.checks.deadlines = map[types.UID][]deadlineEdit{}
	}
	w.checks.deadlines[cj.UID] = append(w.checks.deadlines[cj.UID], deadlineEdit{at: w.clock.Now(), old: old, new: cj.Spec.StartingDeadlineSeconds})
}

// staleDeadlines returns, before a step of process l, the CronJobs whose
// startingDeadlineSeconds the user edited and whose copy in l's informer has
// a lower deadline than the API server's (an edit that raised or removed it,
// not seen yet), with the times counted missed for each so far; nil if none.
// Only then are the counters read (noteMisses).
func (w *world) staleDeadlines(l *leader) map[types.UID]int {
	if len(w.checks.deadlines) == 0 {
		return nil
	}
	var stale map[types.UID]int
	for _, m := range w.cjs {
		if len(w.checks.deadlines[m.uid]) == 0 {
			continue
		}
		k := m.ns + "/" + m.name
		var vc *batchv1.CronJob
		if w.checks.view != nil {
			w.srv.mu.Lock()
			if v := w.checks.view(l.id); v != nil {
				vc = v.cronJobs[k]
			}
			w.srv.mu.Unlock()
		} else {
			for _, inf := range l.informers {
				if o, ok, _ := inf.GetStore().GetByKey(k); ok {
					if c, isCJ := o.(*batchv1.CronJob); isCJ {
						vc = c
					}
				}
			}
		}
		if vc == nil || vc.UID != m.uid || vc.Spec.StartingDeadlineSeconds == nil {
			continue
		}
		w.srv.mu.Lock()
		o, ok := w.srv.objs["cronjobs"][k]
		w.srv.mu.Unlock()
		if !ok {
			continue
		}
		if d := o.(*batchv1.CronJob).Spec.StartingDeadlineSeconds; d == nil || *d > *vc.Spec.StartingDeadlineSeconds {
			if stale == nil {
				stale = map[types.UID]int{}
			}
			stale[m.uid] = 0
		}
	}
	if stale != nil {
		counts := w.missCounts()
		for uid := range stale {
			stale[uid] = counts[uid]
		}
	}
	return stale
}

// missCounts are the times counted missed (skip/missedDeadline and
// missed_schedules_total) by CronJob, and those counted skip/suspended: a
// suspended time past its deadline is a final skip/suspended (seed 112984: on
// a copy that lacked the deadline's removal and the resume, then run).
func (w *world) missCounts() map[types.UID]int {
	decisions, missed := w.counters()
	out := map[types.UID]int{}
	for _, m := range w.cjs {
		k := m.ns + "/" + m.name
		out[m.uid] = decisions[k]["skip/missedDeadline"] + decisions[k]["skip/suspended"] + missed[k]
	}
	return out
}

// noteStaleDeadlineRun records a Job that process by creates for scheduled
// time t of cj (the API server's copy) past cj's starting deadline while by's
// informer copy of cj has no deadline or a higher one (the user lowered it,
// not seen yet): the time may have been counted missed on a fresher copy (the
// API server's, which a sync reads after a conflicting status write, or when
// its Job informer holds an unfinished Job the informer's copy does not
// list), and runs on the stale one (seed 168265). Past the deadline is as
// the controller counts a time missed: at or before now minus the deadline
// (recordMissedDeadlines), while a time exactly at it still runs on a copy
// without the deadline. A late commit was decided when it was sent: it is
// judged at its send, by the sender's view and the API server's copy then
// (seed 786237: L3's held-back copy lacked the lowered deadline, a sync
// that read the API server's copy counted the time missed, and L3's create
// of it on the held-back copy, at the same instant, timed out and was
// carried out late). The server's mu is held.
func (w *world) noteStaleDeadlineRun(by string, cj *batchv1.CronJob, t time.Time) {
	now := w.clock.Now()
	var v *processView
	if late := w.srv.committing; late != nil {
		if late.view == nil || late.server == nil {
			return
		}
		sc := late.server.cronJobs[key(cj)]
		if sc == nil || sc.UID != cj.UID {
			return
		}
		cj, now, v = sc, late.sentAt, late.view
	}
	d := cj.Spec.StartingDeadlineSeconds
	if d == nil || t.Add(time.Duration(*d)*time.Second).After(now) {
		return
	}
	if v == nil {
		v = w.viewOf(by)
	}
	if v == nil {
		return
	}
	vc := v.cronJobs[key(cj)]
	if vc == nil || vc.UID != cj.UID || (vc.Spec.StartingDeadlineSeconds != nil && *vc.Spec.StartingDeadlineSeconds <= *d) {
		return
	}
	if w.checks.staleDeadlineRuns == nil {
		w.checks.staleDeadlineRuns = map[types.UID]int{}
	}
	w.checks.staleDeadlineRuns[cj.UID]++
	w.tracef("%s runs %s of %s/%s past the API server's deadline, on a copy with a higher one or none", by, w.fmtTime(t), cj.Namespace, cj.Name)
}

// noteMisses records, after a step of process l, the times it counted missed
// for the CronJobs of stale (staleDeadlines before the step): counted on a
// copy that lacked the user's raise or removal of the deadline, such a time
// may run once the copy shows the edit (moreOutcomesClass).
func (w *world) noteMisses(l *leader, stale map[types.UID]int) {
	if len(stale) == 0 {
		return
	}
	counts := w.missCounts()
	if w.checks.staleMisses == nil {
		w.checks.staleMisses = map[types.UID]int{}
	}
	for _, m := range w.cjs {
		before, ok := stale[m.uid]
		if !ok || counts[m.uid] <= before {
			continue
		}
		w.checks.staleMisses[m.uid] += counts[m.uid] - before
		w.tracef("%s counted %d time(s) of %s/%s missed on a copy with a lower deadline than the API server's", l.id, counts[m.uid]-before, m.ns, m.name)
	}
}

// overlapClass classifies a Job that process by created for cj under Forbid
// or Replace while other, a Job of cj, was unfinished in the API server
// (checkCreate). When other is the second Job of its time in the late-retry
// class (a late commit no process could refuse), the overlap is in that class
// too (seed 119999). Otherwise the rule, for a create that was not a late
// commit (by then decided on its view of the moment; the server's mu is held):
//
//   - by's CronJob informer shows cj's concurrencyPolicy Allow: the create
//     was right on its view; stale view.
//   - otherwise by could know of other, and the create is a violation, when
//     (a) by's Job informer holds other (same UID) unfinished (the sync
//     adopts an unfinished Job missing from the active list, patch 0005, and
//     Forbid skips, Replace deletes it); or (b) the status the sync started
//     from lists other in status.active: the informer's copy of cj, or the
//     API server's when the Job informer holds an unfinished Job of cj that
//     the informer's copy does not list (patch 0005 then reads the server's
//     copy); or (c) by created other itself, by an acknowledged create, as its
//     latest Job of cj, and its CronJob informer does not show a
//     lastScheduleTime at or after other's scheduled time: patch 0012 keeps
//     that Job in the active list the sync starts from until then. (Patch
//     0020's overlay of a deferred status holds only what the sync put there:
//     a Job it adopted from the informer, (a), or created, (c).)
//   - otherwise: stale view.
//
// A late commit was decided when its request was sent: the retry class when
// it applies (lateRetryClass); otherwise, when other was there before the
// request was sent, the same rule on the view by held then, with (c) among
// the Jobs by had created by then (a view that said Allow, or lacked other:
// stale view); a violation when other came after the send.
func (w *world) overlapClass(by string, cj *batchv1.CronJob, job, other *batchv1.Job) string {
	if w.checks.lateDoubles[key(other)] {
		return classLateRetry
	}
	if late := w.srv.committing; late != nil {
		if c := w.lateRetryClass(job); c != "" {
			return c
		}
		if late.view == nil || !w.createdBeforeSend(other, late) {
			return ""
		}
		return w.overlapOn(late.view, by, cj, other, late.creates)
	}
	v := w.viewOf(by)
	if v == nil {
		return ""
	}
	return w.overlapOn(v, by, cj, other, len(w.checks.creates))
}

// sentLate completes a late commit being sent by its sender's view, what the
// API server holds, and the number of Jobs created so far (the server's mu
// is held).
func (w *world) sentLate(c *lateCommit) {
	c.view = w.viewOf(c.by)
	c.server = w.serverView()
	c.creates = len(w.checks.creates)
}

// createdBeforeSend reports whether the Job j was there before the late
// commit's request was sent: a controller's Job among the first late.creates
// creates, a manual one created before the send (creation times have a
// resolution of one second).
func (w *world) createdBeforeSend(j *batchv1.Job, late *lateCommit) bool {
	for i, c := range w.checks.creates {
		if c.uid == j.UID {
			return i < late.creates
		}
	}
	return j.CreationTimestamp.Time.Before(late.sentAt)
}

// overlapOn is overlapClass's rule on the view v, with the first n creates
// as those by may remember (c).
func (w *world) overlapOn(v *processView, by string, cj *batchv1.CronJob, other *batchv1.Job, n int) string {
	vc := v.cronJobs[key(cj)]
	if vc == nil || vc.UID != cj.UID {
		return ""
	}
	if vc.Spec.ConcurrencyPolicy == batchv1.AllowConcurrent {
		return classStaleView
	}
	start := vc
	for _, j := range v.jobs {
		if r := metav1.GetControllerOf(j); r != nil && r.UID == cj.UID && j.Namespace == cj.Namespace && !finished(j) {
			if j.UID == other.UID {
				return "" // (a)
			}
			if !activeHas(vc, j.UID) {
				start = cj // patch 0005 reads the server's copy
			}
		}
	}
	if activeHas(start, other.UID) {
		return "" // (b)
	}
	if last := w.lastCreate(by, cj.UID, n); last != nil && !last.late && last.uid == other.UID &&
		(vc.Status.LastScheduleTime == nil || vc.Status.LastScheduleTime.Time.Before(last.scheduled)) {
		return "" // (c)
	}
	return classStaleView
}

// doubleRunClass classifies a Job that process by created for cj's scheduled
// time t when another Job for t had been created before (checkCreate; the
// first one is gone, or the create would have failed on its name). The rule,
// for a create that was not a late commit (the server's mu is held):
//
//   - by could know that t had run, and the create is a violation, when (a)
//     its CronJob informer's copy of cj has a lastScheduleTime at or after t;
//     or (b) its Job informer holds a Job of cj (not a manual one) for t or a
//     later time: the sync records that time as the last schedule time
//     (patch 0005); or (c) by created a Job of cj for t or a later time
//     itself (acknowledged or not): patch 0012 keeps the latest such time as
//     the last schedule time until the informer shows it or a later one.
//   - otherwise, if the API server held the fact (its copy of cj has a
//     lastScheduleTime at or after t, or it stores a Job of cj for t or
//     later): stale view;
//   - otherwise: only a stopped process knew it (the Job's creator lost the
//     Lease before a status write recorded the time, and the Job is gone).
//
// A late commit was decided when its request was sent: the retry class when
// it applies (lateRetryClass); otherwise the same rule on the view by held
// then and on what the API server held then, with (c) among the Jobs created
// by then (seed 206954: the first Job, made by a process that stopped before
// a status write recorded the time, was deleted before the send). An earlier
// Job of the time that landed after the send is in the retry class unless
// the view at the send showed the time run: then (a) or (b) applies.
func (w *world) doubleRunClass(by string, cj *batchv1.CronJob, t time.Time, job *batchv1.Job) string {
	if late := w.srv.committing; late != nil {
		if c := w.lateRetryClass(job); c != "" {
			return c
		}
		if late.view == nil || late.server == nil {
			return ""
		}
		return w.doubleRunOn(late.view, late.server, by, cj, t, job, late.creates, late.sentAt)
	}
	v := w.viewOf(by)
	if v == nil {
		return ""
	}
	return w.doubleRunOn(v, w.serverView(), by, cj, t, job, len(w.checks.creates), w.clock.Now())
}

// doubleRunOn is doubleRunClass's rule on the view v and the API server's
// objects srv, with the first n creates as those by may remember (c).
func (w *world) doubleRunOn(v, srv *processView, by string, cj *batchv1.CronJob, t time.Time, job *batchv1.Job, n int, at time.Time) string {
	vc := v.cronJobs[key(cj)]
	if vc == nil || vc.UID != cj.UID {
		return ""
	}
	if lastAtOrAfter(vc, t, at) || jobForTimeAtOrAfter(v.jobs, cj, t) {
		return "" // (a), (b)
	}
	if w.lostAnswerUnseen(v, by, cj, t, job, n) {
		return classLostAnswerUnseen
	}
	for _, c := range w.checks.creates[:n] {
		if c.by == by && c.cronJob == cj.UID && !c.scheduled.IsZero() && !c.scheduled.Before(t) {
			return "" // (c)
		}
	}
	if sc := srv.cronJobs[key(cj)]; (sc != nil && sc.UID == cj.UID && lastAtOrAfter(sc, t, at)) || jobForTimeAtOrAfter(srv.jobs, cj, t) {
		return classStaleView
	}
	return classLostWithProcess
}

// serverView is what the API server holds: its CronJobs and Jobs (the
// server's mu is held).
func (w *world) serverView() *processView {
	v := &processView{cronJobs: map[string]*batchv1.CronJob{}, jobs: w.srv.jobsLocked()}
	for _, o := range w.srv.objs["cronjobs"] {
		cj := o.(*batchv1.CronJob).DeepCopy()
		v.cronJobs[key(cj)] = cj
	}
	return v
}

// lostAnswerUnseen reports whether job, created by process by for cj's
// scheduled time t, is the retry of by's own create of the same name whose
// answer was lost (it succeeded), that Job is gone, and by's view v never
// delivered it (the Job informer neither added nor deleted it): patch 0014
// remembers a deleted Job's time only from the informer's delete. Any other
// Job by created for t or a later time with a known answer is in by's
// memory (patch 0012), and then the retry is not in this class. Only the
// first n creates count (those made before a late commit's send).
func (w *world) lostAnswerUnseen(v *processView, by string, cj *batchv1.CronJob, t time.Time, job *batchv1.Job, n int) bool {
	lost := false
	for _, c := range w.checks.creates[:n] {
		if c.by != by || c.cronJob != cj.UID || c.uid == job.UID || c.scheduled.IsZero() || c.scheduled.Before(t) {
			continue
		}
		if !c.answerLost || c.name != job.Name || v.delivered[c.uid] {
			return false
		}
		lost = true
	}
	return lost
}

// lateRetryClass classifies a finding about job, created by the late commit
// being carried out: the retry class when a controller process (its creator
// or another) created a Job of the same name after the request was sent (a
// retry), which is gone now (the name is free again, or the create would
// fail on it); the server's mu is held. The retry may itself have timed out,
// sent after this request and carried out before it (seed 90226 with
// -sim.steps=120: the second of three requests landed first, was found and
// deleted, and the first landed 57 s after its send; docs/semantics.md: both
// requests may be carried out late, in either order).
//
// Also its mirror: the request is itself the retry, of an earlier timed-out
// create of the same name (by any process) that the API server carried out
// before the retry was sent, or after it (seed 207182: the first request
// landed while the retry was in flight, and was deleted before the retry
// landed), and that Job is gone now; the sender's view at the send
// (late.view) showed neither that Job nor its time run: its copy of the
// CronJob had no lastScheduleTime at or after the Job's scheduled time, its
// Job informer no Job of the CronJob for that time or later. The sender was
// told the first create failed, and cannot tell it from one that the API
// server carries out later.
func (w *world) lateRetryClass(job *batchv1.Job) string {
	late := w.srv.committing
	if late == nil {
		return ""
	}
	for _, c := range w.checks.creates {
		if c.name != job.Name || c.uid == job.UID {
			continue
		}
		if !c.late && !c.at.Before(late.sentAt) {
			return classLateRetry
		}
		if c.late && c.sentAt.After(late.sentAt) {
			return classLateRetry // a retry, timed out too, that landed first
		}
		if c.late && late.view != nil && !w.viewShowsRun(late.view, c) {
			return classLateRetry // the retry of a timed-out create sent before it
		}
	}
	return ""
}

// viewShowsRun reports whether the view v shows the Job c or its scheduled
// time run: its copy of c's CronJob has a lastScheduleTime at or after it,
// or its Job informer holds c's Job or a Job of the CronJob for that time or
// later.
func (w *world) viewShowsRun(v *processView, c createRec) bool {
	for _, j := range v.jobs {
		if j.UID == c.uid {
			return true
		}
	}
	for _, vc := range v.cronJobs {
		if vc.UID != c.cronJob {
			continue
		}
		if c.scheduled.IsZero() || lastAtOrAfter(vc, c.scheduled, w.clock.Now()) || jobForTimeAtOrAfter(v.jobs, vc, c.scheduled) {
			return true
		}
	}
	return false
}

// createdBy is the process that created the Job name of the CronJob uid
// (the first such create), "" if none did.
func (w *world) createdBy(uid types.UID, name string) string {
	for _, c := range w.checks.creates {
		if c.cronJob == uid && c.name == name {
			return c.by
		}
	}
	return ""
}

// lastCreate is the latest Job that process by created for the CronJob uid
// among the first n creates.
func (w *world) lastCreate(by string, uid types.UID, n int) *createRec {
	for i := n - 1; i >= 0; i-- {
		if c := &w.checks.creates[i]; c.by == by && c.cronJob == uid {
			return c
		}
	}
	return nil
}

func jobThere(jobs []*batchv1.Job, uid types.UID) bool {
	for _, j := range jobs {
		if j.UID == uid {
			return true
		}
	}
	return false
}

func activeHas(cj *batchv1.CronJob, uid types.UID) bool {
	for _, r := range cj.Status.Active {
		if r.UID == uid {
			return true
		}
	}
	return false
}

// lastAtOrAfter reports whether cj's status shows t or a later scheduled
// time run at now, as the controller reads it (shownLast).
func lastAtOrAfter(cj *batchv1.CronJob, t, now time.Time) bool {
	last, ok := shownLast(cj, now)
	return ok && !last.Before(t)
}

// shownLast returns the latest time that cj's status.lastScheduleTime shows
// run at now, as the controller reads it, and false if it has none: a value
// later than now that the API server's record of its write (managedFields)
// dates more than a minute ahead is taken for a clock jump (patch 0013), and
// shows no time after that record run (the controller searches the schedule
// after the record, or after the most recent scheduled time at or before it;
// h17z, seed 2022205: a restore's 02:45 hid that 00:45's Job was gone).
func shownLast(cj *batchv1.CronJob, now time.Time) (time.Time, bool) {
	if cj.Status.LastScheduleTime == nil {
		return time.Time{}, false
	}
	last := cj.Status.LastScheduleTime.Time
	if rec := lastScheduleTimeRecord(cj); last.After(now) && !rec.IsZero() && last.Sub(rec) > time.Minute {
		return rec, true
	}
	return last, true
}

// jobForTimeAtOrAfter reports whether jobs hold a Job that cj controls, in its
// namespace, not made by hand, for t or a later scheduled time.
func jobForTimeAtOrAfter(jobs []*batchv1.Job, cj *batchv1.CronJob, t time.Time) bool {
	for _, j := range jobs {
		r := metav1.GetControllerOf(j)
		if r == nil || r.UID != cj.UID || j.Namespace != cj.Namespace || j.Annotations["cronjob.kubernetes.io/instantiate"] == "manual" {
			continue
		}
		st, err := time.Parse(time.RFC3339, j.Annotations[batchv1.CronJobScheduledTimestampAnnotation])
		if err == nil && !st.Before(t) {
			return true
		}
	}
	return false
}

// extraInvokeClass classifies n more invokes of m counted than its times with
// a Job: accepted when no more than the extra invokes that the accepted double
// runs of m can make. A process counts one invoke per time at most: for its
// answered create, or for a create whose answer was lost once it learns the
// Job exists (invoke/late; seed 52); a time counted twice is one that two
// processes each created: a second Job of the stale-view or the
// stopped-process class. A double of the late-retry or lost-answer class is
// one process's create and its retry, or a late commit no process learned of,
// and accounts for no extra invoke (h17x review, C1).
func (w *world) extraInvokeClass(m *cronJobModel, n int) string {
	class := ""
	doubles := 0
	for _, c := range w.checks.doubles[m.uid] {
		if c == classStaleView || c == classLostWithProcess {
			doubles++
			if class == "" {
				class = c
			}
		}
	}
	by := map[time.Time]map[string]bool{}
	for _, c := range w.checks.creates {
		if c.cronJob != m.uid || c.scheduled.IsZero() {
			continue
		}
		t := c.scheduled.UTC()
		if by[t] == nil {
			by[t] = map[string]bool{}
		}
		by[t][c.by] = true
	}
	extra := 0
	for _, procs := range by {
		extra += len(procs) - 1
	}
	if n <= min(doubles, extra) {
		return class
	}
	if n <= min(doubles, extra)+w.restoredWithoutJob(m) {
		return classRestoreClaim
	}
	return ""
}

// restoredWithoutJob counts m's scheduled times without a Job that a
// restore's status showed run (classRestoreClaim): the time each restore
// wrote, and the most recent scheduled time at or before the restore.
func (w *world) restoredWithoutJob(m *cronJobModel) int {
	shown := map[time.Time]bool{}
	for _, r := range m.restores {
		shown[r.lastScheduleTime.UTC()] = true
		if ts := m.spec.times(m.loc, m.created, r.at.Add(time.Nanosecond)); len(ts) > 0 {
			shown[ts[len(ts)-1].UTC()] = true
		}
	}
	n := 0
	for t := range shown {
		if _, ran := w.jobsMade[string(m.uid)+"|"+t.Format(time.RFC3339)]; !ran {
			n++
		}
	}
	return n
}

// serverKnownTimes returns, by CronJob, the latest scheduled time that the
// API server shows run: the stored CronJob's lastScheduleTime, or the
// scheduled time of a Job of the CronJob that is not a manual one.
func (w *world) serverKnownTimes() map[types.UID]time.Time {
	w.srv.mu.Lock()
	defer w.srv.mu.Unlock()
	out := map[types.UID]time.Time{}
	later := func(uid types.UID, t time.Time) {
		if t.After(out[uid]) {
			out[uid] = t
		}
	}
	for _, o := range w.srv.objs["cronjobs"] {
		cj := o.(*batchv1.CronJob)
		if last, ok := shownLast(cj, w.clock.Now()); ok {
			later(cj.UID, last)
		}
	}
	for _, o := range w.srv.objs["jobs"] {
		j := o.(*batchv1.Job)
		r := metav1.GetControllerOf(j)
		if r == nil || j.Annotations["cronjob.kubernetes.io/instantiate"] == "manual" {
			continue
		}
		if st, err := time.Parse(time.RFC3339, j.Annotations[batchv1.CronJobScheduledTimestampAnnotation]); err == nil {
			later(r.UID, st)
		}
	}
	return out
}

// unknownAtStart counts, for m, the times that a leader after the first found
// run by another process at its start, while the API server showed neither
// that time nor a later one run (knownAtStart): the Job is gone and no status
// write recorded the time. Only the stopped process that ran it knew; the new
// leader takes the time for one not run yet (docs/semantics.md, a status
// write that is lost: it runs it again, as seed 23; or, suspended or held by
// Forbid, counts it skipped, seed 9302; or counts it missed when it runs a
// later one, seed 402776). The times are m's most recent one at the start,
// and the earlier ones from the leader's DecisionsSince on, which it counts.
func (w *world) unknownAtStart(m *cronJobModel) int {
	n := 0
	for i := 1; i < len(w.led) && i < len(w.knownAtStart) && i < len(w.leaders); i++ {
		ts := m.spec.times(m.loc, m.created, w.led[i][0])
		for j := len(ts) - 1; j >= 0; j-- {
			t := ts[j]
			if j < len(ts)-1 && t.Before(w.leaders[i].since) {
				break
			}
			job, ran := w.jobsMade[string(m.uid)+"|"+t.UTC().Format(time.RFC3339)]
			if !ran || w.createdBy(m.uid, job) == w.leaders[i].id {
				continue
			}
			if known, ok := w.knownAtStart[i][m.uid]; ok && !known.Before(t) {
				continue
			}
			n++
		}
	}
	return n
}

// moreOutcomesClass classifies n more outcomes of m (Jobs, skips, missed)
// than its scheduled times: a deadline edit when n is at most the number of
// times revived by one, plus the times counted missed on a copy of m that
// did not show such an edit yet (noteMisses); only a stopped process knew it
// when n is at most those and the times a new leader could not know had run
// (unknownAtStart). A time t is revived when its
// (first) Job was created at c and the user edited startingDeadlineSeconds
// at e, t < e <= c, from d with t+d <= e (at e the time was past its
// deadline, which the controller reckons as at or before e-d, and may have
// been counted missed; seed 32931: an edit exactly d after the time) to none
// or more than d (the time may run); or it has no Job and a leader change
// came after it, before or after such an edit (revivedSkipsAfterHandover).
//
// missLike is what m's counters hold in the counters such a time is counted
// in before it runs: the missed counter, skip/missedDeadline, and a final
// skip/suspended past the deadline. The times run after a deadline edit (or
// counted missed on a copy without it) account for no more extra outcomes
// than that (h17x review C2: an extra outcome in any other counter, say
// skip/concurrencyPolicy, is not theirs); a final skip
// held again after a handover (revivedSkipsAfterHandover) may be counted
// again under any skip reason.
func (w *world) moreOutcomesClass(m *cronJobModel, n, missLike int) string {
	revived, seen := w.revivedByDeadlineEdit(m)
	revived = min(revived+w.checks.staleMisses[m.uid], missLike) - w.checks.staleMisses[m.uid]
	revived += w.revivedSkipsAfterHandover(m, seen)
	if n <= revived+w.checks.staleMisses[m.uid] {
		return classDeadlineEdit
	}
	if n <= revived+w.checks.staleMisses[m.uid]+w.checks.staleDeadlineRuns[m.uid] {
		return classStaleView
	}
	if n <= revived+w.checks.staleMisses[m.uid]+w.unknownAtStart(m) {
		return classLostWithProcess
	}
	if n <= revived+w.checks.staleMisses[m.uid]+w.unknownAtStart(m)+w.lostAnswersUnseen(m) {
		return classLostAnswerUnseen
	}
	return ""
}

// fewerInvokesClass classifies n fewer invokes of m than its times with a
// Job by an answered create (finalChecks): the creating process counts no
// invoke for a time it had counted already (a missed time, past the old
// deadline, run after a deadline edit raised or removed it, or counted missed
// on a copy that did not show the edit yet: classDeadlineEdit, as the more
// outcomes it makes), or a time it counted missed on a fresher copy of the
// CronJob (the API server's) and then ran on its informer's copy, which did
// not show yet the user's lowered deadline (noteStaleDeadlineRun:
// classStaleView, seed 168265). Nothing else loses an invoke: the count
// follows the answered create with no request between.
func (w *world) fewerInvokesClass(m *cronJobModel, n int) string {
	revived, _ := w.revivedByDeadlineEdit(m)
	if n <= revived+w.checks.staleMisses[m.uid] {
		return classDeadlineEdit
	}
	if n <= revived+w.checks.staleMisses[m.uid]+w.checks.staleDeadlineRuns[m.uid] {
		return classStaleView
	}
	return ""
}

// revivedByDeadlineEdit counts the times of m that got a Job after a deadline
// edit raised or removed the deadline they were past (counted missed, then
// run), and returns the times with a Job.
func (w *world) revivedByDeadlineEdit(m *cronJobModel) (int, map[time.Time]bool) {
	revived := 0
	seen := map[time.Time]bool{}
	for _, c := range w.checks.creates {
		if c.cronJob != m.uid || c.scheduled.IsZero() || seen[c.scheduled] {
			continue
		}
		seen[c.scheduled] = true
		for _, e := range w.checks.deadlines[m.uid] {
			if e.old == nil || !e.at.After(c.scheduled) || e.at.After(c.at) {
				continue
			}
			// Past the deadline at e: the controller counts a time missed
			// once it is at or before now minus the deadline.
			if c.scheduled.Add(time.Duration(*e.old) * time.Second).After(e.at) {
				continue
			}
			if e.new == nil || *e.new > *e.old {
				revived++
				break
			}
		}
	}
	return revived, seen
}

// revivedSkipsAfterHandover counts m's scheduled times without a Job (not in
// withJob) that one process may have counted as a final skip, past the
// deadline, and another counted again once a deadline edit revived them: the
// user edited startingDeadlineSeconds at e from d, with t+d <= e (t was past
// it), to none or more than d, and a leader started at s after the time
// (t < s), while t was m's most recent scheduled time at e and at s (only
// that one can be held as a skip again). The process leading then did not
// count the time (its record starts at s) and takes it for a time it has not
// decided (suspended, or held by Forbid); when a later time supersedes it,
// it counts it (docs/metrics.md: a final skip counted again after a deadline
// edit and a handover). The handover may come before the edit (seed 161197)
// or after it, if the deadline at s still lets t run (seeds 131424 and
// 185488, where the process that counted the time led across the edit).
func (w *world) revivedSkipsAfterHandover(m *cronJobModel, withJob map[time.Time]bool) int {
	n := 0
	times := m.spec.times(m.loc, m.created, w.clock.Now())
	edits := w.checks.deadlines[m.uid]
	for i, t := range times {
		if withJob[t] {
			continue
		}
		revived := false
		for _, e := range edits {
			if e.old == nil || !e.at.After(t) || t.Add(time.Duration(*e.old)*time.Second).After(e.at) {
				continue
			}
			if e.new != nil && *e.new <= *e.old {
				continue
			}
			for j := 1; j < len(w.led); j++ {
				s := w.led[j][0]
				if !s.After(t) {
					continue
				}
				by := e.at
				if s.After(by) {
					by = s
				}
				if i+1 < len(times) && !times[i+1].After(by) {
					continue // a later time was due at the edit or at s
				}
				// An edit at s itself may come after the new leader's
				// first sync at s (seed 1296852: the deadline set to 45 s
				// at L2's start, after L2 held the time by its takeover
				// wait): the deadline just before s counts too.
				if s.After(e.at) && !deadlineLets(edits, t, s) && !deadlineLets(edits, t, s.Add(-time.Nanosecond)) {
					continue
				}
				revived = true
			}
		}
		if revived {
			n++
		}
	}
	return n
}

// deadlineLets tells whether the starting deadline that the latest of edits
// at or before s set lets scheduled time t run at s: none, or t within it.
func deadlineLets(edits []deadlineEdit, t, s time.Time) bool {
	var last *deadlineEdit
	for k := range edits {
		if !edits[k].at.After(s) && (last == nil || !edits[k].at.Before(last.at)) {
			last = &edits[k]
		}
	}
	return last == nil || last.new == nil || t.Add(time.Duration(*last.new)*time.Second).After(s)
}

// lostAnswersUnseen counts m's scheduled times whose only Job a process
// created with its answer lost (it succeeded), or whose Jobs were all such
// creates of that process (the retry of one whose Job it never saw, run
// again, seed 838780), that are gone, and that the Job
// informer of the process that decided the time never delivered, or
// delivered first only after it was gone and the create had settled: that
// process may have counted the time skip/error (or missedDeadline) although
// it ran (docs/semantics.md, a create that timed out). The process that
// decided the time is its creator, or, when the creator stopped gracefully
// with the time's skip pending and handed it over (patch 0023, with the
// create that may still land), the leader that took it over and waited for
// the create as the creator would have (seeds 714067, 792505, 955453: the
// user deleted the Job while nobody led; the creator's informer had
// delivered it, the next leader's never did).
func (w *world) lostAnswersUnseen(m *cronJobModel) int {
	w.srv.mu.Lock()
	defer w.srv.mu.Unlock()
	byTime := map[time.Time][]createRec{}
	for _, c := range w.checks.creates {
		if c.cronJob == m.uid && !c.scheduled.IsZero() {
			byTime[c.scheduled] = append(byTime[c.scheduled], c)
		}
	}
	n := 0
	for _, cs := range byTime {
		// Every Job of the time must be such a create of one process:
		// its retry of the same time may have been one too, run again
		// and gone as well (seed 838780).
		if !lostBySame(cs) {
			continue
		}
		all := true
		for _, c := range cs {
			if jobThere(w.srv.jobsLocked(), c.uid) || !w.unseenUntilSettled(m, c) {
				all = false
				break
			}
		}
		if all {
			n++
		}
	}
	return n
}

// lostBySame reports whether cs, the creates of one scheduled time, are
// all creates of one process whose answer was lost.
func lostBySame(cs []createRec) bool {
	for _, c := range cs {
		by, lost := unanswered(c)
		first, _ := unanswered(cs[0])
		if !lost || by != first {
			return false
		}
	}
	return len(cs) > 0
}

// unanswered returns the process whose create c is, and whether that
// process got no answer that gave it the Job: a create whose answer was
// lost, or a twin's create (twinCreate), which its leader learns of only by
// AlreadyExists and a GET of the Job that may fail (h17z, seed 2022031: the
// GET failed, the leader stopped and handed the time's skip over, and the
// user deleted the Job before the next leader's Job informer listed it).
func unanswered(c createRec) (string, bool) {
	if by, ok := strings.CutSuffix(c.by, twinSuffix); ok {
		return by, true
	}
	return c.by, c.answerLost
}

// unseenUntilSettled reports whether the Job of create c, gone, was never
// delivered to the Job informer of the process that decided c's time, or
// delivered first only after it was gone and the create had settled.
// Called with w.srv.mu held.
func (w *world) unseenUntilSettled(m *cronJobModel, c createRec) bool {
	// The creator stops waiting for the create a minute after it
	// failed (patch 0014's createSettleTime) and may count the time
	// then; a first delivery (the deletion) after that and after the
	// Job was gone came too late to tell it the time ran (seed 113533).
	failed := c.at
	if c.late {
		failed = c.sentAt
	}
	tooLate := failed.Add(time.Minute)
	if del, ok := w.srv.jobDeletions[c.uid]; ok && del.at.After(tooLate) {
		tooLate = del.at
	}
	by, _ := unanswered(c)
	for i, l := range w.leaders {
		if l.id != by {
			continue
		}
		l = w.timeHolder(i, m.uid, c.scheduled)
		l.mu.Lock()
		first, delivered := l.delivered[c.uid]
		l.mu.Unlock()
		return !delivered || !first.Before(tooLate)
	}
	return false
}

// timeHolder is the process that decided m's scheduled time t held by the
// i-th leader: that leader, unless it stopped gracefully and handed t over
// as a pending skip to the next leader (patch 0023), which holds it as its
// own; that one in turn may have handed it on.
func (w *world) timeHolder(i int, uid types.UID, t time.Time) *leader {
	for ; i+1 < len(w.leaders); i++ {
		l := w.leaders[i]
		l.mu.Lock()
		handedOver := l.handedOver
		l.mu.Unlock()
		if !handedOver || !w.leaders[i+1].tookOver(uid, t) {
			break
		}
	}
	return w.leaders[i]
}

// fewerOutcomesClass classifies n fewer outcomes of m than the check wants
// (beyond the one per kill it allows): a handover when n is at most the
// number of times that stops left counted by nobody (lostAtStop, summed over
// the leaders that stopped).
func (w *world) fewerOutcomesClass(m *cronJobModel, n int) string {
	pending, withReads := 0, 0
	for i, l := range w.leaders {
		if i >= len(w.led) || w.led[i][1].IsZero() {
			continue
		}
		stop := w.led[i][1]
		lost, ok := w.lostAtStop(i, l, m)
		if !ok {
			continue
		}
		unseen := w.heldUnseen(l, m, w.led[i][0], stop)
		if l.wasKilled() && lost > 0 {
			lost-- // the check allows one per such kill (killLosses)
			unseen--
		}
		if lost > 0 {
			pending += lost
		}
		withReads += max(lost, unseen, 0)
	}
	if n <= pending {
		return classHandoverSkip
	}
	if n <= withReads {
		return classReadFailure
	}
	if n <= withReads+w.takeoverWaitLosses(m) {
		return classTakeoverWait
	}
	return ""
}

// killLosses counts the kills (and crashes) of leaders whose stop could leave
// a time of m counted by nobody (lostAtStop): finalChecks allows one lost
// time for each, the pending skip the process held; a kill that could lose
// nothing of m allows nothing.
func (w *world) killLosses(m *cronJobModel) int {
	n := 0
	for i, l := range w.leaders {
		if i >= len(w.led) || w.led[i][1].IsZero() || !l.wasKilled() {
			continue
		}
		if lost, ok := w.lostAtStop(i, l, m); ok && lost > 0 {
			n++
		}
	}
	return n
}

// lostAtStop returns how many times of m the stop of l, the i-th leader, may
// have left counted by nobody; false if none of its times could be. A
// process that was killed (or died while its graceful stop drained) loses
// the most recent scheduled time that it led at and could act on (syncDelay
// before the stop or earlier, after m's creation) if it got no Job: the one
// time it may have held as a pending skip, counted only when a later time
// supersedes it, which the next process, counting from the stop, does not
// know of. A stop (graceful or a kill) in the second of that time's sync,
// whose Job (if any) another process made, may come before the stopping
// process synced the CronJob at that time: the time before it, if it got no
// Job, may have been the pending one, and the time itself is nobody's (the
// next process counts from the stop). The same when a time is due after the
// last instant the stopping process could act on and before its release of
// the Lease, which the next process counts from (a graceful stop at that
// time's instant, released a microsecond later after a sync at it): the
// time is nobody's, and the one before it, without a Job, was pending,
// unless the stopping process synced the CronJob at or after the time, or
// ran it. A kill's first such time is the one the check allows per kill.
// The pending time may also be one due before the process's start, or
// before its predecessor's end, when its predecessor handed it over as a
// pending skip (patch 0023, l.tookOver): the process holds it as its own
// until a later time supersedes it, and a kill loses it (docs/metrics.md: a
// crash loses the skips it holds pending; seeds 501991, 511577: a skip
// handed over, then a kill in the second of the next time's sync).
//
// A process that stopped gracefully hands the skips it holds pending to
// the next one (patch 0023, l.handedOver), which counts them: it loses only
// a time without a Job that it did not sync (the next process counts from
// its release): the most recent time it could act on, or a time due
// between then and its release, when it has no sync of m at or after that
// time (a sync that waited for its predecessor's creates, patch 0014,
// counts nothing: it does not count as one).
func (w *world) lostAtStop(i int, l *leader, m *cronJobModel) (int, bool) {
	// The controller acts on a time 10 ms after it. A leader counts the
	// times from its predecessor's end (the gap between them included,
	// docs/metrics.md), so a time of the gap can be the one it holds
	// pending when it stops.
	stop := w.led[i][1]
	start := w.led[i][0]
	if i > 0 && !w.led[i-1][1].IsZero() && w.led[i-1][1].Before(start) {
		start = w.led[i-1][1]
	}
	ts := m.spec.times(m.loc, m.created, stop.Add(-syncDelay))
	ran := func(t time.Time) (string, bool) {
		job, ok := w.jobsMade[string(m.uid)+"|"+t.UTC().Format(time.RFC3339)]
		return job, ok
	}
	l.mu.Lock()
	handedOver := l.handedOver
	waitEnd := time.Time{}
	if l.waitedForPredecessor[m.ns+"/"+m.name] {
		waitEnd = l.since.Add(createSettle)
	}
	l.mu.Unlock()
	if handedOver {
		// synced: l decided on t (ran it, or held it pending and handed it
		// over).
		synced := func(t time.Time) bool {
			if waitEnd.After(t) {
				t = waitEnd
			}
			return l.syncedOnOrAfter(m.ns+"/"+m.name, t)
		}
		lost := 0
		if u, ok := w.dueBeforeRelease(l, m, stop.Add(-syncDelay)); ok {
			if _, uRan := ran(u); !uRan && !synced(u) {
				lost++
			}
			if len(ts) > 0 {
				if t := ts[len(ts)-1]; !t.Before(start) {
					if _, tRan := ran(t); !tRan && !synced(t) {
						lost++
					}
				}
			}
			return lost, true
		}
		if len(ts) == 0 {
			return 0, false
		}
		t := ts[len(ts)-1]
		if t.Before(start) {
			return 0, false
		}
		if _, tRan := ran(t); !tRan && !synced(t) {
			lost++
		}
		return lost, true
	}
	lost := 0
	if u, ok := w.dueBeforeRelease(l, m, stop.Add(-syncDelay)); ok {
		// u was due before the process released the Lease, and after
		// the last moment its sync could reach (10 ms after a time):
		// the next process counts from the release (patch 0022), and
		// this one never synced m at u, or held u pending. The time
		// before u is lost too, pending, unless the process synced m
		// at or after u (it saw u due, and counted that skip then) or
		// ran u itself (seeds 203247, 204362 and 205731: a graceful
		// stop at the instant of u, released a microsecond later
		// after a sync of another CronJob).
		uJob, uRan := ran(u)
		if !uRan {
			lost++
		}
		if len(ts) > 0 {
			t := ts[len(ts)-1]
			if _, tRan := ran(t); !tRan && (!t.Before(start) || l.tookOver(m.uid, t)) &&
				(!uRan || w.createdBy(m.uid, uJob) != l.id) && !l.syncedOnOrAfter(m.ns+"/"+m.name, u) {
				lost++
			}
		}
		return lost, true
	}
	if len(ts) == 0 {
		return 0, false
	}
	t := ts[len(ts)-1]
	if t.Before(start) && !l.tookOver(m.uid, t) {
		return 0, false
	}
	job, tRan := ran(t)
	if !tRan {
		lost++ // t pending, or not synced
	}
	// Stopped in the second of t's sync, t's Job (if any) made by
	// another process: the stopping process may have stopped before
	// it synced m at t (the syncs of an instant run one at a time),
	// holding the time before t pending.
	if len(ts) >= 2 && stop.Before(t.Add(time.Second)) && (!tRan || w.createdBy(m.uid, job) != l.id) {
		prev := ts[len(ts)-2]
		if _, prevRan := ran(prev); !prevRan && (!prev.Before(start) || l.tookOver(m.uid, prev)) {
			lost++
		}
	}
	return lost, true
}

// dueBeforeRelease returns the latest scheduled time of m due after from (the
// last instant whose times the stopped process l could act on, syncDelay
// before its stop) and before l's release of the Lease (the next process's
// DecisionsSince), if there is one.
func (w *world) dueBeforeRelease(l *leader, m *cronJobModel, from time.Time) (time.Time, bool) {
	l.mu.Lock()
	rel := l.releasedAt
	l.mu.Unlock()
	if rel.IsZero() {
		return time.Time{}, false
	}
	ts := m.spec.times(m.loc, m.created, rel.Add(-time.Nanosecond))
	if len(ts) == 0 || !ts[len(ts)-1].After(from) {
		return time.Time{}, false
	}
	return ts[len(ts)-1], true
}

// takeoverWaitLosses counts the times of m that leaders that stopped (or
// were killed) before their wait for their predecessor's creates ended (a
// minute after the predecessor's end, their DecisionsSince: patch 0022) may
// have left counted by nobody: a sync of m that waited for those creates
// (the controller logged it, controllerSink; a Forbid or Replace catch-up
// over times due before the start, patch 0014) counts nothing meanwhile, and
// the next leader counts from the stop. Every unmet time from the predecessor's end to the stop, less the one
// the check allows per kill (seeds 9125, a kill, and 172907, a graceful stop);
// for a leader that handed nothing over (a kill), also the pending skip its
// predecessor handed over to it (patch 0023) if that time got no Job: the
// syncs that waited did not count it, and a graceful stop would have handed
// it on (seeds 509086 and 559100).
// A stop at the instant the wait ends counts if the leader did not sync m
// then (its other syncs at that instant came first; seed 183556).
func (w *world) takeoverWaitLosses(m *cronJobModel) int {
	n := 0
	for i, l := range w.leaders {
		if i == 0 || i >= len(w.led) || w.led[i][1].IsZero() {
			continue
		}
		start, stop := w.led[i][0], w.led[i][1]
		end := l.since.Add(createSettle) // the end of the wait
		l.mu.Lock()
		waited := l.waitedForPredecessor[m.ns+"/"+m.name]
		// A stop at the instant the wait ends may come before the syncs
		// requeued for then (seed 183556): only if none of m ran.
		syncedAtEnd := false
		for _, r := range l.syncs[m.ns+"/"+m.name] {
			if !r.at.Before(end) {
				syncedAtEnd = true
			}
		}
		l.mu.Unlock()
		if !waited {
			continue
		}
		if stop.After(end) || (stop.Equal(end) && syncedAtEnd) || !m.created.Before(start) {
			continue
		}
		from := w.led[i-1][1]
		l.mu.Lock()
		if !l.handedOver {
			for _, t := range l.received[m.uid] {
				if t.Before(from) {
					from = t
				}
			}
		}
		l.mu.Unlock()
		var unmet []time.Time
		for _, t := range m.spec.times(m.loc, m.created, stop) {
			if t.Before(from) {
				continue
			}
			if _, ran := w.jobsMade[string(m.uid)+"|"+t.UTC().Format(time.RFC3339)]; !ran {
				unmet = append(unmet, t)
			}
		}
		if len(unmet) >= 2 && unmet[0].Before(start) {
			n += len(unmet)
			if l.wasKilled() {
				n-- // the check allows one per kill
			}
		}
	}
	return n
}

// createSettle is how long after a Job create that failed with an error that
// does not say whether it was carried out a GET that finds no Job settles it
// (patch 0014; kube-apiserver's default --request-timeout).
const createSettle = time.Minute

// heldUnseen returns the times of m that process l, leading from start to
// stop, held unseen because its syncs of m failed on a read while a create of
// m that l had sent, and that failed with an error that does not say whether
// it was carried out (an answer lost, a 5xx status), could still land
// (docs/metrics.md: a sync that fails on a read before it looks at the time
// skips the most recent due time tentatively, except while such a create may
// still land; then later times wait, and a stop loses them). l's last sync
// items of m up to its stop failed on a GET (syncRec), and s is the last item
// that got past its reads (else start). Each time after s (that l could act
// on, syncDelay before its stop) that got no Job, when an item of l tried it
// and failed on a read before the next time (or by the stop) while such a
// create was unsettled (pendingCreate); and then the time before them, at or
// before s, if it got no Job: it may have been the failed create's time, a
// pending skip that only a later time's decision counts. None if l stopped
// gracefully: it handed the skip and the held times over (patch 0023). A time after s that
// such an item tried and another process ran (the next leader's catch-up)
// is not lost, but l never decided on it either, so the time before it
// stayed pending (seed 110270). Zero if another time after s got no Job and
// no such item tried it (the retry of a failed sync comes by the next
// scheduled time, patch 0015; a read failing without an unsettled create
// skips the time tentatively, patch 0017).
func (w *world) heldUnseen(l *leader, m *cronJobModel, start, stop time.Time) int {
	k := m.ns + "/" + m.name
	l.mu.Lock()
	syncs := append([]syncRec(nil), l.syncs[k]...)
	uncertain := append([]uncertainCreate(nil), l.uncertainCreates[k]...)
	handedOver := l.handedOver
	l.mu.Unlock()
	// A sync that a kill cut short before its first GET or create decided
	// no more than one whose reads failed (seed 1234216: killed right after
	// a history limit's delete, before the GET of the Job whose create's
	// answer was lost, which had failed at every sync since).
	for i := range syncs {
		syncs[i].readFailed = syncs[i].readFailed || syncs[i].cut
	}
	// A graceful stop hands the held times over, with the pending skip
	// before them (patch 0023): the next leader counts them.
	if handedOver || len(syncs) == 0 || !syncs[len(syncs)-1].readFailed {
		return 0
	}
	s, seen := start, false
	for i := len(syncs) - 1; i >= 0; i-- {
		if !syncs[i].readFailed {
			s, seen = syncs[i].at, true
			break
		}
	}
	ran := func(t time.Time) bool {
		_, ok := w.jobsMade[string(m.uid)+"|"+t.UTC().Format(time.RFC3339)]
		return ok
	}
	ts := m.spec.times(m.loc, m.created, stop.Add(-syncDelay))
	lost, held := 0, 0
	var prev time.Time
	for i, t := range ts {
		if t.Before(start) {
			continue
		}
		if !t.After(s) {
			prev = t
			continue
		}
		job, jobRan := w.jobsMade[string(m.uid)+"|"+t.UTC().Format(time.RFC3339)]
		if jobRan && w.createdBy(m.uid, job) == l.id {
			continue
		}
		// The items that tried t: up to the next time, or to the stop,
		// including an item at the stop's instant, which came before it
		// (no item runs after the stop; seeds 515273 and 538120: a stop
		// right after a write of the sync that failed on a read).
		next := stop.Add(time.Nanosecond)
		if i+1 < len(ts) {
			next = ts[i+1]
		}
		tried := false
		for _, r := range syncs {
			if r.readFailed && !r.at.Before(t) && r.at.Before(next) && w.pendingCreate(l, m, syncs, uncertain, r.at) {
				tried = true
			}
		}
		switch {
		case tried:
			held++
			if !jobRan {
				lost++
			}
		case !jobRan:
			return 0
		}
	}
	if held > 0 && seen && !prev.IsZero() && !ran(prev) {
		lost++
	}
	return lost
}

// pendingCreate reports whether, at the moment at, process l still waited for
// one of its uncertain creates of m to land (patch 0014): it failed at or
// before at, and nothing settled it since: no sync of m by l that got past
// its reads a minute or more after the failure (its GET of the Job found
// none, or found it), none before that when the Job was there (found), and
// no later create of m by l that the API server stored.
func (w *world) pendingCreate(l *leader, m *cronJobModel, syncs []syncRec, uncertain []uncertainCreate, at time.Time) bool {
	for _, u := range uncertain {
		if u.at.After(at) {
			continue
		}
		created := time.Time{} // when the API server stored the Job, if it did
		settled := false
		for _, c := range w.checks.creates {
			if c.by == l.id && c.cronJob == m.uid && c.at.After(u.at) && !c.at.After(at) && !c.late {
				settled = true // a later create of l succeeded
			}
			if c.cronJob == m.uid && c.name == u.name && created.IsZero() {
				created = c.at
			}
		}
		for _, r := range syncs {
			if r.readFailed || !r.at.After(u.at) || !r.at.Before(at) {
				continue
			}
			if !r.at.Before(u.at.Add(createSettle)) || (!created.IsZero() && !created.After(r.at)) {
				settled = true
			}
		}
		if !settled {
			return true
		}
	}
	return false
}

// staleActiveClass returns classStaleActive when cj's status.active differs
// from the unfinished Jobs it controls (unfinished: their names by UID) only by
// entries of that class, else "".
func (w *world) staleActiveClass(cj *batchv1.CronJob, unfinished map[types.UID]string) string {
	active := map[types.UID]bool{}
	for _, r := range cj.Status.Active {
		active[r.UID] = true
	}
	for uid := range unfinished {
		if !active[uid] {
			return "" // an unfinished Job is missing from the list
		}
		delete(active, uid)
	}
	l := w.leader
	if l == nil || len(w.led) == 0 || !w.led[len(w.led)-1][1].IsZero() {
		return ""
	}
	started := w.led[len(w.led)-1][0]
	cjRV, err := strconv.ParseInt(cj.ResourceVersion, 10, 64)
	if err != nil {
		return ""
	}
	var m *cronJobModel
	for _, c := range w.cjs {
		if c.uid == cj.UID {
			m = c
		}
	}
	if m == nil {
		return ""
	}
	now := w.clock.Now()
	times := m.spec.times(m.loc, m.created, now.Add(-syncDelay))
	for uid := range active {
		w.srv.mu.Lock()
		del, deleted := w.srv.jobDeletions[uid]
		w.srv.mu.Unlock()
		l.mu.Lock()
		_, seen := l.delivered[uid]
		l.mu.Unlock()
		if !deleted || seen || del.rv < cjRV || !started.Before(del.at) {
			return ""
		}
		if len(times) > 0 && times[len(times)-1].After(del.at) {
			return "" // a scheduled time since: its sync should have dropped it
		}
	}
	return classStaleActive
}
