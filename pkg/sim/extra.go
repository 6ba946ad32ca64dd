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
	"encoding/json"
	"fmt"
	"sort"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	cronjobmetrics "github.com/steadycron/steadycron/pkg/controller/cronjob/metrics"
)

// The steps of the fault kinds restore, foreign and twin (AllFaults). Each is
// decided by extraRng, before the seed's own step, so that the steps rng
// decides stay those the seed had before these kinds existed.

// extraStep takes, now and then, a step of the kinds restore and foreign.
func (w *world) extraStep() {
	switch r := w.extraRng.Intn(200); {
	case r < 2 && w.faults["restore"]:
		w.restoreStatus(r == 0)
	case r >= 2 && r < 5 && w.faults["foreign"]:
		w.foreignJob(r == 2)
	}
}

// modelOf returns the model of the CronJob uid.
func (w *world) modelOf(cj *batchv1.CronJob) *cronJobModel {
	for _, m := range w.cjs {
		if m.uid == cj.UID {
			return m
		}
	}
	return nil
}

// nextTime returns m's first scheduled time after from (within eight days).
func nextTime(m *cronJobModel, from time.Time) (time.Time, bool) {
	ts := m.spec.times(m.loc, from, from.Add(8*24*time.Hour))
	if len(ts) == 0 {
		return time.Time{}, false
	}
	return ts[0], true
}

// restoreStatus has a tool (Velero restoring a backup, say, or a controller
// whose clock is ahead) write a CronJob's status.lastScheduleTime ahead of the
// clock: the CronJob's next scheduled time (near: within the minute the
// controller trusts, patch 0013) or one more than a minute ahead (a clock
// jump: the API server's record of the write, its managedFields entry, is
// more than a minute before the time written, and the controller searches
// the schedule from it). The rest of the status stays as stored.
func (w *world) restoreStatus(near bool) {
	cjs := w.srv.cronJobs()
	cj := cjs[w.extraRng.Intn(len(cjs))]
	m := w.modelOf(cj)
	now := w.clock.Now()
	from := now
	if !near {
		from = now.Add(time.Minute + time.Second)
	}
	t, ok := nextTime(m, from)
	if !ok || (near && t.Sub(now) > time.Minute) {
		return
	}
	if !near {
		// Up to a few hours further.
		for i := w.extraRng.Intn(4); i > 0; i-- {
			if n, ok := nextTime(m, t.Add(time.Duration(1+w.extraRng.Intn(90))*time.Minute)); ok {
				t = n
			}
		}
	}
	cj.Status.LastScheduleTime = &metav1.Time{Time: t}
	if _, err := w.srv.updateAs("cronjobs", cj, true, "restore"); err != nil {
		w.violatef("restore of %s/%s: %v", cj.Namespace, cj.Name, err)
		return
	}
	m.restores = append(m.restores, restore{at: now, lastScheduleTime: t})
	w.count("restores")
	w.tracef("a restore writes the status of %s/%s: last schedule %s (%s ahead)", cj.Namespace, cj.Name, w.fmtTime(t), fmtDur(t.Sub(now)))
}

// foreignJob has the user create, under the name of a CronJob's next
// scheduled time's Job (the controller names it for the time's minute), a Job
// the CronJob does not control (no controller reference), or, if byHand, one
// made from the CronJob by hand under that name (kubectl create job --from,
// the manual-instantiation annotation): the controller cannot run that time
// while the Job holds the name (patch 0007, skip/nameConflict).
func (w *world) foreignJob(byHand bool) {
	cjs := w.srv.cronJobs()
	cj := cjs[w.extraRng.Intn(len(cjs))]
	m := w.modelOf(cj)
	t, ok := nextTime(m, w.clock.Now())
	if !ok {
		return
	}
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:      fmt.Sprintf("%s-%d", cj.Name, t.Unix()/60),
			Namespace: cj.Namespace,
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
	what := "a Job the CronJob does not control"
	if byHand {
		j.Annotations = map[string]string{"cronjob.kubernetes.io/instantiate": "manual"}
		j.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))}
		what = "a Job of the CronJob by hand"
	}
	if _, err := w.srv.create("jobs", j, "user"); err != nil {
		if !apierrors.IsAlreadyExists(err) {
			w.violatef("creating Job %s: %v", j.Name, err)
		}
		return
	}
	m.foreign = append(m.foreign, t)
	w.count("foreign Jobs")
	w.tracef("user creates %s, %s/%s, under the name of its %s's Job", what, j.Namespace, j.Name, w.fmtTime(t))
}

// twinCreate is another process (a second replica that believes it leads,
// say) creating the Job that l is about to create, just before l's request
// reaches the API server: l's create then gets AlreadyExists for a Job its
// CronJob controls, and the sync takes that Job as the time's. The create is
// recorded as the twin's, "L1's twin": not l's own (l did not create it, and
// learns of it only by the AlreadyExists and a GET), judged by l's view, the
// one that decided it (viewOf). It reports whether it did.
func (w *world) twinCreate(l *leader, job *batchv1.Job) bool {
	if !w.faults["twin"] || w.extraRng.Intn(25) != 0 || job.Annotations[batchv1.CronJobScheduledTimestampAnnotation] == "" {
		return false
	}
	if _, err := w.srv.create("jobs", job, l.id+twinSuffix); err != nil {
		return false
	}
	w.count("twin creates")
	w.tracef("another process creates Job %s first, as %s was about to (%s will get AlreadyExists)", jobDesc(job), l.id, l.id)
	return true
}

// lastScheduleTimeRecord returns the time of the API server's record of the
// write of cj's status.lastScheduleTime: the latest status managedFields
// entry that owns it; zero if none.
func lastScheduleTimeRecord(cj *batchv1.CronJob) time.Time {
	var latest time.Time
	for _, e := range cj.ManagedFields {
		if e.Time == nil || e.FieldsV1 == nil || e.Subresource != "status" {
			continue
		}
		var fields map[string]map[string]json.RawMessage
		if err := json.Unmarshal(e.FieldsV1.Raw, &fields); err != nil {
			continue
		}
		if _, ok := fields["f:status"]["f:lastScheduleTime"]; ok && e.Time.After(latest) {
			latest = e.Time.Time
		}
	}
	return latest
}

// twinSuffix names the twin of a leader (twinCreate).
const twinSuffix = "'s twin"

// restore is a restore of a CronJob's status: when, and the
// lastScheduleTime it wrote.
type restore struct {
	at, lastScheduleTime time.Time
}

// claimed reports whether a restore of m's status says that its scheduled
// time t ran: t was due by the restore (the controller searches the schedule
// after the restored lastScheduleTime, or after the API server's record of
// the restore if it takes that for a clock jump, so a time no process had
// decided on by then is never looked at again), or is the time it wrote (it
// stays the last schedule time unless a later write replaced it before it
// came: the controller does not run it).
func (m *cronJobModel) claimed(t time.Time) bool {
	for _, r := range m.restores {
		if !t.After(r.at) || t.Equal(r.lastScheduleTime) {
			return true
		}
	}
	return false
}

// containsTime reports whether ts holds t.
func containsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

// startOf returns when the process by started leading (its controller's Run,
// the recorder's started); zero for a process the world did not start.
func (w *world) startOf(by string) time.Time {
	for i, l := range w.leaders {
		if l.id == by && i < len(w.led) {
			return w.led[i][0]
		}
	}
	return time.Time{}
}

// checkReasons checks the reasons of m's counted decisions d that the model
// knows (I1), given acked, the number of m's times with an answered create:
//   - invoke/onTime only for a time whose Job a process created by an
//     answered create (the only create the sync counts at once) and that
//     was due after that process started leading: a Job created for a time
//     due before then is late (decisionRecorder.invoke);
//   - invoke/late at least for each time whose answered creates were all made
//     by processes that started after it, less the answered times counted no
//     invoke at all (fewerInvokesClass judges those);
//   - skip/nameConflict only for a time whose Job's name a Job that is not
//     the time's held (foreignJob; the schedules here have one time a
//     minute at most, so no other time's Job has the name).
func (w *world) checkReasons(m *cronJobModel, d map[string]int, acked int) {
	key := m.ns + "/" + m.name
	type pair struct {
		by string
		t  time.Time
	}
	onTime := map[pair]bool{}
	mayBeOnTime := map[time.Time]bool{}
	answered := map[time.Time]bool{}
	for _, c := range w.checks.creates {
		if c.cronJob != m.uid || !c.acked || c.scheduled.IsZero() {
			continue
		}
		t := c.scheduled.UTC()
		answered[t] = true
		if !w.startOf(c.by).After(t) {
			onTime[pair{c.by, t}] = true
			mayBeOnTime[t] = true
		}
	}
	mustBeLate := len(answered) - len(mayBeOnTime)
	if n := d["invoke/"+cronjobmetrics.ReasonOnTime]; n > len(onTime) {
		w.violatef("%s: %d invoke/%s counted, %d scheduled times got a Job by an answered create of a process leading when it was due", key, n, cronjobmetrics.ReasonOnTime, len(onTime))
	}
	uncounted := acked - d["invoke"]
	if uncounted < 0 {
		uncounted = 0
	}
	if n := d["invoke/"+cronjobmetrics.ReasonLate]; n < mustBeLate-uncounted {
		w.violatef("%s: %d invoke/%s counted, %d scheduled times got a Job only by answered creates of processes that started after it (%d answered times counted no invoke)", key, n, cronjobmetrics.ReasonLate, mustBeLate, uncounted)
	}
	foreign := map[time.Time]bool{}
	for _, t := range m.foreign {
		foreign[t.UTC()] = true
	}
	if n := d["skip/"+cronjobmetrics.ReasonNameConflict]; n > len(foreign) {
		w.violatef("%s: %d skip/%s counted, %d scheduled times had their Job's name taken by another Job", key, n, cronjobmetrics.ReasonNameConflict, len(foreign))
	}
}

// wakeUpChecks checks, once the faults stopped and the final checks passed,
// that every CronJob that is not suspended and has a scheduled time ahead has
// a wake-up for it (I4, "every CronJob has a future wake-up"): its key is in
// the leader's queue with a delay no later than that time, or it is synced by
// then. The clock moves to just after each CronJob's next scheduled time in
// turn (the controller syncs 10 ms after it), and the leader must have synced
// the CronJob at that time or later. The next time is the first after now, or,
// while status.lastScheduleTime is ahead and trusted (written at most a minute
// ahead of the API server's record of the write, patch 0013), the first after
// it.
func (w *world) wakeUpChecks() {
	l := w.leader
	if l == nil {
		return
	}
	type due struct {
		key string
		at  time.Time
	}
	var dues []due
	now := w.clock.Now()
	for _, cj := range w.srv.cronJobs() {
		m := w.modelOf(cj)
		if m == nil || (cj.Spec.Suspend != nil && *cj.Spec.Suspend) {
			continue
		}
		from := now
		if last := cj.Status.LastScheduleTime; last != nil && last.After(now) {
			if rec := lastScheduleTimeRecord(cj); rec.IsZero() || last.Sub(rec) <= time.Minute {
				from = last.Time
			}
		}
		t, ok := nextTime(m, from)
		if !ok {
			continue
		}
		dues = append(dues, due{key: key(cj), at: t})
	}
	sort.Slice(dues, func(i, j int) bool { return dues[i].at.Before(dues[j].at) })
	for _, d := range dues {
		if at := d.at.Add(20 * time.Millisecond); at.After(w.clock.Now()) {
			w.clock.SetTime(at)
			w.commitLate("")
			w.settle()
			w.reapLeader()
		}
		if w.leader != l || len(w.violations) > 0 {
			return
		}
		if !l.syncedOnOrAfter(d.key, d.at) {
			w.violatef("%s: not suspended, its next scheduled time %s came with no sync of it: no wake-up was queued for it (I4)", d.key, w.fmtTime(d.at))
		}
	}
}
