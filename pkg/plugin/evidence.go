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

package plugin

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// eventTTL is how long the API server keeps an event after it was last seen,
// by default (kube-apiserver --event-ttl): the controller's word on an older
// scheduled time may be gone.
const eventTTL = time.Hour

// Defaults of the API server for a CronJob's history limits.
const (
	defaultSuccessfulJobsHistoryLimit = 3
	defaultFailedJobsHistoryLimit     = 1
)

// jobTrace is what the controller's events say about one Job of the CronJob:
// SuccessfulCreate when it created it, SawCompletedJob when it saw it finish,
// SuccessfulDelete when it deleted it (the history limits, or Replace),
// MissingJob when it found a Job it counted as active gone (a deletion that
// was not its own). Each is nil when there is no such event (none was
// recorded, or it expired).
type jobTrace struct {
	name                                string
	created, finished, deleted, missing *corev1.Event
	// recorded holds the events as the recorder kept them when the trace is
	// the first Job's of events folded with a later Job's (first): the
	// evidence shows them.
	recorded []*corev1.Event
}

// traceJob returns the events that name the Job called name, combined ones
// (whose message is the latest of those folded into it) included.
func (f *facts) traceJob(name string) jobTrace {
	tr := jobTrace{name: name}
	for i := range f.events {
		e := &f.events[i]
		switch {
		case e.Reason == "SuccessfulCreate" && eventMessage(*e) == "Created job "+name:
			tr.created = e
		case e.Reason == "SawCompletedJob" && strings.HasPrefix(eventMessage(*e), "Saw completed job: "+name+","):
			tr.finished = e
		case e.Reason == "SuccessfulDelete" && eventMessage(*e) == "Deleted job "+name:
			tr.deleted = e
		case e.Reason == "MissingJob" && eventMessage(*e) == "Active job went missing: "+name:
			tr.missing = e
		}
	}
	return tr
}

func (tr jobTrace) any() bool {
	return tr.created != nil || tr.finished != nil || tr.deleted != nil || tr.missing != nil
}

// traceFit is how the traced events of a Job's name fit the Job of one
// scheduled time.
type traceFit int

const (
	// otherJob: they are about another Job of the name.
	otherJob traceFit = iota
	// eitherJob: they fit the time's Job and that of another time of the
	// same minute alike.
	eitherJob
	// timesJob: they are about the time's Job.
	timesJob
)

// fit tells whether the traced events are about the Job of scheduled time
// t; prev and next are the schedule's times before and after it (zero:
// none, or not to be weighed). Only a Job's creation bounds it to its time:
// the controller creates a time's Job at or after the time, so a Job of the
// name created before it is another Job, that of an earlier time of the
// same minute (a Job's name has the minute only) or one made by hand; and
// before the next time (a held time's late run and a FailedCreate retry end
// there; a catch-up at or after it runs the later time), so with a next
// time in the same minute (@every under a minute), whose Job has the same
// name, a Job of the name created at or after it is that time's. A
// SuccessfulCreate sighted (sightings: its last sighting, and the first of
// identical ones folded into a count) in [t, next) is t's Job's creation;
// one with no sighting there is another Job's. Without a SuccessfulCreate, the
// earliest step on record (a finish, a deletion, a MissingJob) decides: one
// before t is another Job's; one at or after t fits t's Job, and also, with
// an earlier time of the same minute, that time's Job, had it run past t
// (it then held the name, and t got no Job), and one at or after a later
// time of the same minute fits that time's Job as well as t's, had it run
// past it. Events have second resolution, so the times count to the second.
func (tr jobTrace) fit(prev, t, next time.Time) traceFit {
	from := t.Truncate(time.Second)
	nextInMinute := !next.IsZero() && sameMinute(t, next)
	if tr.created != nil {
		for _, c := range sightings(*tr.created) {
			if !c.Before(from) && (!nextInMinute || c.Before(next.Truncate(time.Second))) {
				return timesJob
			}
		}
		return otherJob
	}
	for _, e := range []*corev1.Event{tr.finished, tr.deleted, tr.missing} {
		if e == nil {
			continue
		}
		step := eventLast(*e)
		switch {
		case step.Before(from):
			return otherJob
		case !prev.IsZero() && sameMinute(prev, t), nextInMinute && !step.Before(next.Truncate(time.Second)):
			return eitherJob
		}
		return timesJob
	}
	return otherJob
}

// sightings returns when the recorder saw event e, as far as it tells: its
// last sighting and, when it folded identical events into it (a count, not
// a combined message, whose first sighting may be another message's), its
// first.
func sightings(e corev1.Event) []time.Time {
	if strings.HasPrefix(e.Message, combinedPrefix) {
		return []time.Time{eventLast(e)}
	}
	return []time.Time{eventLast(e), eventFirst(e)}
}

// before returns the trace without the events first seen at or after c: the
// creation of another Job of the name (a name is one Job's at a time), whose
// events they are.
func (tr jobTrace) before(c time.Time) jobTrace {
	for _, e := range []**corev1.Event{&tr.created, &tr.finished, &tr.deleted, &tr.missing} {
		if *e != nil && !eventFirst(**e).Before(c) {
			*e = nil
		}
	}
	return tr
}

// first returns the trace of the first of the Jobs of the name whose
// identical events the recorder folded into counts (the name freed and used
// again within its minute, @every under a minute): the steps first seen
// before the later Job's creation, the last sighting of created, are the
// first Job's, each at its first sighting.
func (tr jobTrace) first() jobTrace {
	out := tr.before(eventLast(*tr.created))
	out.recorded = []*corev1.Event{tr.created, tr.finished, tr.deleted, tr.missing}
	for _, e := range []**corev1.Event{&out.created, &out.finished, &out.deleted, &out.missing} {
		if *e != nil {
			c := **e
			c.Count, c.Series, c.LastTimestamp = 1, nil, metav1.NewTime(eventFirst(c))
			*e = &c
		}
	}
	return out
}

func (tr jobTrace) evidence() []string {
	events := tr.recorded
	if events == nil {
		events = []*corev1.Event{tr.created, tr.finished, tr.deleted, tr.missing}
	}
	var out []string
	for _, e := range events {
		if e != nil {
			out = append(out, describeEvent(*e))
		}
	}
	return out
}

// replaceWindow is how long after a scheduled time the controller's sync of
// that time may come, for a deletion by Replace to be read as that time's.
const replaceWindow = time.Minute

// goneText says what deleted the traced Job of scheduled time t, as far as
// the events and the CronJob's spec tell. sched is nil when t is not a time
// of the current schedule. Replace deletes a running Job at the sync of a
// later scheduled time; the history limits delete a finished one at any
// sync, often when a later Job finishes, and record the same event, so a
// deletion is read as Replace's only when it came at a later scheduled time.
func (tr jobTrace) goneText(f *facts, sched *schedule, t, now time.Time) string {
	cj := f.cj
	// The Job was created at or after its scheduled time, and at its
	// SuccessfulCreate.
	created := t
	if tr.created != nil && eventFirst(*tr.created).After(created) {
		created = eventFirst(*tr.created)
	}
	limits := fmt.Sprintf("the CronJob's history limits (successfulJobsHistoryLimit %d, failedJobsHistoryLimit %d)", successfulLimit(cj), failedLimit(cj))
	switch {
	case tr.deleted != nil && tr.finished == nil && cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent:
		d := eventLast(*tr.deleted)
		at := d.UTC().Format(time.RFC3339)
		if sched == nil {
			return fmt.Sprintf("the controller deleted it at %s: concurrencyPolicy is Replace, so either a later scheduled time replaced it while it ran, or %s deleted it after it finished", at, limits)
		}
		s, err := sched.atOrBefore(d)
		if err != nil || s.IsZero() || !s.After(t) || d.Sub(s) > replaceWindow {
			return fmt.Sprintf("the controller deleted it at %s, not at a later scheduled time (when Replace deletes a Job still running), so most likely %s deleted it after it finished", at, limits)
		}
		sText := s.In(sched.loc).Format(time.RFC3339)
		if next, ok := sched.after(t); ok && next.Equal(s) {
			return fmt.Sprintf("the controller deleted it at %s, at the next scheduled time %s: concurrencyPolicy is Replace, so most likely that time replaced it while it ran (%s delete a finished Job at such a sync too)", at, sText, limits)
		}
		return fmt.Sprintf("the controller deleted it at %s, at the later scheduled time %s: either Replace (had it run that long) or %s", at, sText, limits)
	case tr.deleted != nil:
		return fmt.Sprintf("the controller deleted it at %s, after it finished: %s", eventLast(*tr.deleted).UTC().Format(time.RFC3339), limits)
	// MissingJob: the controller found the Job gone while it counted it
	// active, that is before it saw it finish; the history limits delete
	// only Jobs it saw finish, and record SuccessfulDelete.
	case tr.missing != nil && tr.finished == nil:
		found := eventFirst(*tr.missing)
		ttl, byTTL := f.jobTTLText(created, found)
		// A MissingJob of a new leader's first syncs is no sign of a user:
		// the previous leader may have deleted the Job and lost its
		// SuccessfulDelete and its status write, which still named the Job
		// active.
		change, ok := f.takeoverBefore(created, found, now)
		if !ok {
			change, ok = f.leaderUnseen()
		}
		if ok {
			by := "or a user or a tool"
			if byTTL {
				by = fmt.Sprintf("its %s, or a user or a tool", ttl)
			}
			return fmt.Sprintf("the controller found it gone at %s while it counted it active (its MissingJob event: Active job went missing), %s: %s, %s deleted it", found.UTC().Format(time.RFC3339), change, previousLeaderDeleters(cj, limits), by)
		}
		by := "a user or a tool deleted it, most likely before it finished"
		if byTTL {
			by = fmt.Sprintf("its %s or a user or a tool deleted it", ttl)
		}
		return fmt.Sprintf("the controller found it gone at %s while it counted it active (its MissingJob event: Active job went missing), so not the controller: %s", found.UTC().Format(time.RFC3339), by)
	}
	change, changed := f.leaderChangedAfter(created, now)
	changeText := leaderChangeText(change)
	if !changed {
		changeText, changed = f.leaderUnseen()
	}
	if changed && tr.created != nil {
		by := "or a user or a tool"
		if ttl, ok := f.jobTTLText(created, now); ok {
			by = fmt.Sprintf("its %s, or a user or a tool", ttl)
		}
		return fmt.Sprintf("no SuccessfulDelete names it, but %s: %s, %s deleted it", changeText, previousLeaderDeleters(cj, limits), by)
	}
	if tr.created != nil && !f.deleteEventMayBeLost(eventFirst(*tr.created), now) {
		// A controller records SuccessfulDelete whenever its history
		// limits or Replace delete a Job, and every event since the Job's
		// creation is kept.
		by := "a user or a tool deleted it"
		if ttl, ok := f.jobTTLText(created, now); ok {
			by = fmt.Sprintf("its %s or a user or a tool deleted it", ttl)
		}
		return fmt.Sprintf("no SuccessfulDelete names it, though the controller records one whenever its history limits or Replace delete a Job, and the CronJob's events since the Job was created (%s) are all kept (less than an hour old, none combined, within the event recorder's spam filter): %s", eventFirst(*tr.created).UTC().Format(time.RFC3339), by)
	}
	if ttl, ok := f.jobTTLText(created, now); ok {
		return fmt.Sprintf("no event says who deleted it: its %s, a history limit whose event expired or was not kept, or a user", ttl)
	}
	return "no event says who deleted it: a history limit whose event expired or was not kept, or a user"
}

// resultText says how the traced Job ended, as far as the SawCompletedJob
// event tells ("Saw completed job: NAME, condition: Complete").
func (tr jobTrace) resultText() string {
	if tr.finished != nil {
		if _, condition, ok := strings.Cut(tr.finished.Message, "condition: "); ok {
			return fmt.Sprintf("It finished %s (the controller saw it at %s); its start is not known.", condition, eventLast(*tr.finished).UTC().Format(time.RFC3339))
		}
	}
	return "Its result and start are not known."
}

func successfulLimit(cj *batchv1.CronJob) int32 {
	if l := cj.Spec.SuccessfulJobsHistoryLimit; l != nil {
		return *l
	}
	return defaultSuccessfulJobsHistoryLimit
}

func failedLimit(cj *batchv1.CronJob) int32 {
	if l := cj.Spec.FailedJobsHistoryLimit; l != nil {
		return *l
	}
	return defaultFailedJobsHistoryLimit
}

// jobMayBeGone tells whether a Job of scheduled time t could have been
// deleted since without leaving a Job behind, and by what: the history limits
// are full with Jobs of later times (a Job of t, successful or failed, would
// be among the oldest, deleted first), the Job template's
// ttlSecondsAfterFinished has passed since t, or Replace replaced it when a
// later time ran. When it could, the absence of a Job for t shows nothing.
func (f *facts) jobMayBeGone(t, now time.Time) (string, bool) {
	var succeeded, failed int32
	laterRun := false
	for i := range f.jobs {
		j := &f.jobs[i]
		s, ok := f.scheduledTimeOf(j)
		if !ok {
			s = j.CreationTimestamp.Time
		}
		if !s.After(t) {
			continue
		}
		laterRun = true
		switch result := jobResult(j); {
		case result == "Complete":
			succeeded++
		case strings.HasPrefix(result, "Failed"):
			failed++
		}
	}
	if ls := f.cj.Status.LastScheduleTime; ls != nil && ls.After(t) {
		laterRun = true
	}
	cj := f.cj
	var why []string
	// A limit written after t (metadata.managedFields) may have been lower
	// at t: the Job of t may have gone under the limit that held then.
	limitWrittenAfter := func(field string) (string, bool) {
		if _, written := managedAt(cj, field); written.After(t) {
			return fmt.Sprintf("%s was last written at %s, after this time (metadata.managedFields), so the limit that held then is not known", field, written.UTC().Format(time.RFC3339)), true
		}
		return "", false
	}
	if l := successfulLimit(cj); succeeded >= l {
		why = append(why, fmt.Sprintf("successfulJobsHistoryLimit is %d and %d successful Job(s) of later times are kept", l, succeeded))
	} else if text, ok := limitWrittenAfter("successfulJobsHistoryLimit"); ok {
		why = append(why, text)
	}
	if l := failedLimit(cj); failed >= l {
		why = append(why, fmt.Sprintf("failedJobsHistoryLimit is %d and %d failed Job(s) of later times are kept", l, failed))
	} else if text, ok := limitWrittenAfter("failedJobsHistoryLimit"); ok {
		why = append(why, text)
	}
	if ttl, from := f.jobTTL(); ttl != nil && now.Sub(t) > time.Duration(*ttl)*time.Second {
		why = append(why, fmt.Sprintf("the Jobs' ttlSecondsAfterFinished (%ds, %s) has passed since", *ttl, from))
	} else if _, written := managedAt(cj, jobTemplateTTLField); written.After(t) {
		// Like a limit: a TTL written after t may have been shorter at t.
		why = append(why, fmt.Sprintf("the Job template's ttlSecondsAfterFinished was last written at %s, after this time (metadata.managedFields), so the TTL that held then is not known", written.UTC().Format(time.RFC3339)))
	}
	// The Job of a later time that ran is gone too: something deletes the
	// CronJob's Jobs that neither the template nor the history limits show
	// (a TTL set at admission on Jobs no longer left, a user, a cleanup job).
	if ls := f.cj.Status.LastScheduleTime; ls != nil && ls.After(t) && !ls.After(now) && !f.jobsUnknown && f.jobFor(ls.Time) == nil {
		why = append(why, fmt.Sprintf("the Job of the later time %s, which ran (status.lastScheduleTime), is gone too, so something deletes the CronJob's Jobs", ls.UTC().Format(time.RFC3339)))
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent && laterRun {
		why = append(why, "concurrencyPolicy is Replace and a later time ran, which deletes a Job still running")
	} else if _, written := managedAt(cj, "concurrencyPolicy"); laterRun && written.After(t) {
		why = append(why, fmt.Sprintf("concurrencyPolicy was last written at %s, after this time (metadata.managedFields), so it may have been Replace, which deletes a Job still running when a later time runs", written.UTC().Format(time.RFC3339)))
	}
	if len(why) == 0 {
		return "", false
	}
	return strings.Join(why, "; "), true
}

// jobTemplateTTLField is the path under spec of the Job template's
// ttlSecondsAfterFinished, for managedAt.
const jobTemplateTTLField = "jobTemplate.spec.ttlSecondsAfterFinished"

// jobTTL returns the ttlSecondsAfterFinished of the CronJob's Jobs, and where
// it was read: the Job template's, else the shortest of the Jobs left, which
// an admission policy may have set at their creation; nil when neither has
// one.
func (f *facts) jobTTL() (*int32, string) {
	if ttl := f.cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished; ttl != nil {
		return ttl, "the Job template's"
	}
	var ttl *int32
	var name string
	for i := range f.jobs {
		if v := f.jobs[i].Spec.TTLSecondsAfterFinished; v != nil && (ttl == nil || *v < *ttl) {
			ttl, name = v, f.jobs[i].Name
		}
	}
	if ttl == nil {
		return nil, ""
	}
	return ttl, fmt.Sprintf("set on Job %s though not in the Job template: an admission policy sets it", name)
}

// jobTTLText names the Jobs' ttlSecondsAfterFinished (jobTTL) as a deleter
// of a Job created at or after created (zero: not known) and gone by gone:
// "ttlSecondsAfterFinished (60s)" for the Job template's, with where it was
// read otherwise (an admission policy's, set on the Jobs left). The TTL
// controller deletes a Job no earlier than its finish plus the TTL, so not
// one gone less than the TTL after its creation: then it names none. A Job
// takes the template's TTL at its creation, so one written after created
// (metadata.managedFields) leaves the Job's own TTL unknown: it is named,
// with that, whatever its value now.
func (f *facts) jobTTLText(created, gone time.Time) (string, bool) {
	ttl, from := f.jobTTL()
	if ttl == nil {
		return "", false
	}
	if _, written := managedAt(f.cj, jobTemplateTTLField); f.cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished != nil && !created.IsZero() && written.After(created) {
		return fmt.Sprintf("ttlSecondsAfterFinished (%ds now, but the Job template's was last written at %s, after the Job's creation (metadata.managedFields), so the Job's own is not known)", *ttl, written.UTC().Format(time.RFC3339)), true
	}
	if !created.IsZero() && gone.Sub(created) < time.Duration(*ttl)*time.Second {
		return "", false
	}
	if f.cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished != nil {
		return fmt.Sprintf("ttlSecondsAfterFinished (%ds)", *ttl), true
	}
	return fmt.Sprintf("ttlSecondsAfterFinished (%ds, %s)", *ttl, from), true
}

// jobAt returns the Job of the CronJob whose scheduled time falls in the
// minute of t, and that time.
func (f *facts) jobAt(t time.Time) (*batchv1.Job, time.Time) {
	m := t.Truncate(time.Minute)
	for i := range f.jobs {
		if s, ok := f.scheduledTimeOf(&f.jobs[i]); ok && s.Truncate(time.Minute).Equal(m) {
			return &f.jobs[i], s
		}
	}
	return nil, time.Time{}
}

// jobCreatedBetween tells whether the controller created a Job of the
// CronJob in (from, to), by the Jobs left or the SuccessfulCreate events.
// Manual Jobs are left out: kubectl creates them from a suspended CronJob
// too.
func (f *facts) jobCreatedBetween(from, to time.Time) bool {
	for i := range f.jobs {
		if c := f.jobs[i].CreationTimestamp.Time; c.After(from) && c.Before(to) && !f.isManual(&f.jobs[i]) {
			return true
		}
	}
	for _, e := range f.events {
		if e.Reason == "SuccessfulCreate" && eventFirst(e).After(from) && eventFirst(e).Before(to) {
			return true
		}
	}
	return false
}

// forbidCovering returns the JobAlreadyActive event of the controller that
// says it skipped scheduled time t, whose next scheduled time is next (zero
// when there is none). Forbid records the event at a time it skips because a
// Job of the CronJob is active, and again at each later sync that skips the
// same time; the event stays after the blocking Job is gone. definite is true
// when the event can only be about t: it was first or last seen in [t, next)
// (event times are stored to the second, so the next time's skip, recorded a
// few milliseconds after next, reads as next and is left out). An event
// repeated from before t to next or later (the recorder folds the skips of
// several times into one event with a count) covers t but may be about other
// times only: definite is false, and the caller must rule out that t ran.
func (f *facts) forbidCovering(t, next time.Time) (ev *corev1.Event, definite bool) {
	in := func(x time.Time) bool { return !x.Before(t) && (next.IsZero() || x.Before(next)) }
	for i := range f.events {
		e := &f.events[i]
		if e.Reason != "JobAlreadyActive" {
			continue
		}
		first, last := eventFirst(*e), eventLast(*e)
		switch {
		case in(first) || in(last):
			return e, true
		case eventCount(*e) > 1 && first.Before(t) && !last.Before(t) && ev == nil:
			ev = e
		}
	}
	return ev, false
}

// combinedPrefix starts the message of an event that client-go's recorder
// combined from more than 10 similar events (same object, reason and type)
// within 10 minutes: the message is the latest one's, and the events it
// replaced, whose messages named other Jobs and times, are not kept.
const combinedPrefix = "(combined from similar events): "

// eventMessage is an event's message without the recorder's combined prefix.
func eventMessage(e corev1.Event) string {
	return strings.TrimPrefix(e.Message, combinedPrefix)
}

// eventCount is how many times an event was seen: core/v1's count, or
// events.k8s.io/v1's series.count; at least 1.
func eventCount(e corev1.Event) int32 {
	n := e.Count
	if e.Series != nil && e.Series.Count > n {
		n = e.Series.Count
	}
	return max(n, 1)
}

// combinedCovering returns an event of the controller that the recorder
// combined from similar events and whose span reaches from before next to t
// or later: the controller's word on scheduled time t (its SuccessfulCreate,
// a skip) may be one of the events folded into it and lost.
func (f *facts) combinedCovering(t, next time.Time) *corev1.Event {
	for i := range f.events {
		e := &f.events[i]
		if !strings.HasPrefix(e.Message, combinedPrefix) {
			continue
		}
		if !eventLast(*e).Before(t) && (next.IsZero() || eventFirst(*e).Before(next)) {
			return e
		}
	}
	return nil
}

// Client-go's event recorder drops the events of an object beyond a burst of
// spamBurst, refilled one per spamRefill (its spam filter, per source and
// object): an event dropped so leaves no trace.
const (
	spamBurst  = 25
	spamRefill = 5 * time.Minute
)

// laterCreateMayBeLost says why the controller's events may not show a
// SuccessfulCreate it recorded for scheduled time t, which it runs until end
// (zero: for good; until says when that is: the next time, or the starting
// deadline), and the reason of the Unknown verdict; "" when they must show
// it: they could be read, end has come, none of them has expired yet, none
// around t was combined, and the spam filter cannot have dropped one.
func (f *facts) laterCreateMayBeLost(t, end time.Time, until string, now time.Time) (why, reason string) {
	switch {
	case f.eventsUnknown:
		return "the CronJob's events could not be read (see missing facts)", "ambiguousEvidence"
	case end.IsZero():
		return "the schedule has no later time and there is no starting deadline, so the controller may still create it", "ambiguousEvidence"
	case now.Before(end):
		return fmt.Sprintf("the controller runs this time until %s, which has not come, so it may still create it", until), "ambiguousEvidence"
	case now.Sub(t) >= eventTTL:
		return "events expire an hour after they were last seen, so its SuccessfulCreate may be gone", "ambiguousEvidence"
	}
	if ev := f.combinedCovering(t, end); ev != nil {
		return fmt.Sprintf("the controller's events around it were combined by the event recorder (more than 10 similar events in 10 minutes keep only the latest message: %s)", describeEvent(*ev)), "eventsCombined"
	}
	if f.spamMayHaveDropped(t, now) {
		return fmt.Sprintf("the controller recorded so many events for the CronJob that the event recorder's spam filter (%d events, then one per %s) may have dropped its SuccessfulCreate", spamBurst, shortDuration(spamRefill)), "ambiguousEvidence"
	}
	return "", ""
}

// spamMayHaveDropped tells whether the event recorder's spam filter may
// have dropped an event of the CronJob recorded at t or later (until now).
func (f *facts) spamMayHaveDropped(t, now time.Time) bool {
	// The tokens left at t are at least those refilled since the oldest
	// event kept (spamBurst since the CronJob's creation, when the bucket
	// was full) less the events that passed since, all of which are kept;
	// every event counted, also those after t, keeps the bound low. The
	// bound only grows after t, so it holds for any time after t.
	since := now.Add(-eventTTL)
	tokens := int64(min(t.Sub(since)/spamRefill, spamBurst))
	if c := f.cj.CreationTimestamp.Time; !c.Before(since) {
		tokens = spamBurst
	}
	for _, e := range f.events {
		tokens -= int64(eventCount(e))
	}
	return tokens < 1
}

// deleteEventMayBeLost tells whether the events read may lack a
// SuccessfulDelete that a controller recorded for a Job it deleted at some
// time after created (the Job's creation) and before now: the events could
// not be read, or such an event may have expired, been combined with
// similar ones, or been dropped by the spam filter.
func (f *facts) deleteEventMayBeLost(created, now time.Time) bool {
	return f.eventsUnknown || now.Sub(created) >= eventTTL || f.combinedCovering(created, time.Time{}) != nil || f.spamMayHaveDropped(created, now)
}

// takeoverWindow is how soon after taking the Lease a new leader's first
// sync of a CronJob records what it finds (a MissingJob for a Job its
// predecessor deleted): it syncs every CronJob as it starts, and with
// --create-jobs-first its events wait up to a minute while syncs are queued.
const takeoverWindow = 2 * time.Minute

// leaderChangedAfter returns when steadycron's Lease last changed holder (its
// acquireTime), when that is after created (a Job's creation) and not after
// now: the previous leader's last events and status write may be lost then
// (patches 0020 and 0021 hold them back while syncs are queued, up to a
// minute, and a crash sends none of them), so the events need not show a
// deletion it made. A leader that restarts under the same identity keeps
// the acquireTime, so such a restart is not seen here.
func (f *facts) leaderChangedAfter(created, now time.Time) (time.Time, bool) {
	l := f.lease
	if l == nil || l.Spec.AcquireTime == nil {
		return time.Time{}, false
	}
	change := l.Spec.AcquireTime.Time
	return change, change.After(created) && !change.After(now)
}

// takeoverBefore describes a change of steadycron's leader after created (a
// Job's creation) that may have come just before found (the new leader's
// MissingJob for the Job, at its first sync): the Lease's acquireTime up to
// takeoverWindow before found, or, when the acquireTime is after found, an
// earlier change that leaseTransitions counts (more than the one at the
// acquireTime): the Lease keeps the time of the latest change only. false
// when the Lease shows none.
func (f *facts) takeoverBefore(created, found, now time.Time) (string, bool) {
	change, ok := f.leaderChangedAfter(created, now)
	switch {
	case !ok:
		return "", false
	case !found.Before(change) && found.Sub(change) <= takeoverWindow:
		return "just after " + leaderChangeText(change), true
	case found.Before(change) && ptr.Deref(f.lease.Spec.LeaseTransitions, 0) > 1:
		return fmt.Sprintf("before steadycron's Lease last changed holder at %s (its acquireTime), but the Lease has changed holder %d times (leaseTransitions) and keeps the time of the latest change only, so an earlier change may have come just before, and the previous leader's last events and status write may be lost then (with --create-jobs-first it holds them back while syncs are queued, up to a minute; a crash sends none)",
			change.UTC().Format(time.RFC3339), *f.lease.Spec.LeaseTransitions), true
	}
	return "", false
}

// leaderUnseen says, for goneText, why no change of steadycron's leader is
// seen though one may have come: its Lease could not be read, or was not
// found, while the latest scheduled Job shows that steadycron runs the
// CronJob (steadycron.io/expected-start: without leader election, where a
// crash and restart loses the same held-back events and status write and
// leaves no Lease, or under another Lease, --lease-name). false when the
// Lease was read, or nothing shows that steadycron runs the CronJob.
func (f *facts) leaderUnseen() (string, bool) {
	if f.lease != nil {
		return "", false
	}
	if latest := f.latestScheduledJob(); latest == nil || !f.madeBySteadycron(latest) {
		return "", false
	}
	how := "was not found, though the latest scheduled Job's steadycron.io/expected-start shows that steadycron runs the CronJob (without leader election, or under another Lease: --lease-name)"
	if f.leaseUnknown {
		how = "could not be read (see missing facts)"
	}
	return fmt.Sprintf("but steadycron's Lease %s, so a change of leader or a restart after the Job's creation is not ruled out, and the previous leader's last events and status write may be lost then (with --create-jobs-first it holds them back while syncs are queued, up to a minute; a crash sends none)", how), true
}

// leaderChangeText describes the leader change at change for goneText.
func leaderChangeText(change time.Time) string {
	return fmt.Sprintf("steadycron's Lease changed holder at %s (its acquireTime), after the Job's creation, and the previous leader's last events and status write may be lost (with --create-jobs-first it holds them back while syncs are queued, up to a minute; a crash sends none)", change.UTC().Format(time.RFC3339))
}

// previousLeaderDeleters names what of a previous leader may have deleted a
// Job: the history limits, and Replace when it is the policy.
func previousLeaderDeleters(cj *batchv1.CronJob, limits string) string {
	if cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent {
		return "the previous leader, by Replace (concurrencyPolicy is Replace: a later time replaces a Job still running) or by " + limits
	}
	return "the previous leader, by " + limits
}

// blockerFromEvents returns the name of the Job the controller created last
// before t and saw finish only after t (or never, as far as the events go),
// with when it was created: the active Job a Forbid skip at t waited for.
func (f *facts) blockerFromEvents(t time.Time) (string, time.Time) {
	var name string
	var created time.Time
	for _, e := range f.events {
		job, ok := strings.CutPrefix(eventMessage(e), "Created job ")
		if e.Reason != "SuccessfulCreate" || !ok || eventFirst(e).After(t) || eventFirst(e).Before(created) {
			continue
		}
		if tr := f.traceJob(job); tr.finished != nil && !eventFirst(*tr.finished).After(t) {
			continue
		}
		name, created = job, eventFirst(e)
	}
	return name, created
}

// missedCount reads how many times a MissSchedule warning of steadycron's
// controller covers ("Missed 3 scheduled times up to ..."); -1 for "more than
// N scheduled times", where the count is not given.
func missedCount(message string) (int, bool) {
	rest, ok := strings.CutPrefix(message, "Missed ")
	if !ok {
		return 0, false
	}
	if strings.HasPrefix(rest, "more than ") {
		return -1, true
	}
	n, err := strconv.Atoi(strings.Fields(rest)[0])
	return n, err == nil
}

// managedAt returns the latest time of an entry of cj's metadata.managedFields
// (not of a subresource) that owns one of the given fields of spec, and its
// manager; zero if there is none. A field is a path under spec, its parts
// joined by dots (jobTemplate.spec.ttlSecondsAfterFinished). An entry moves
// whenever its manager changes any field it owns, so this is when one of the
// fields last changed, or later.
func managedAt(cj *batchv1.CronJob, specFields ...string) (string, time.Time) {
	var manager string
	var latest time.Time
	for _, entry := range cj.ManagedFields {
		if entry.Time == nil || entry.FieldsV1 == nil || entry.Subresource != "" {
			continue
		}
		for _, name := range specFields {
			if ownsField(entry.FieldsV1.Raw, "spec."+name) && entry.Time.After(latest) {
				manager, latest = entry.Manager, entry.Time.Time
			}
		}
	}
	return manager, latest
}

// ownsField tells whether a managedFields entry's FieldsV1 owns the field at
// path, its parts joined by dots.
func ownsField(raw []byte, path string) bool {
	for _, part := range strings.Split(path, ".") {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return false
		}
		next, ok := fields["f:"+part]
		if !ok {
			return false
		}
		raw = next
	}
	return true
}

// scheduleChange is a change of the CronJob's schedule that the object shows.
type scheduleChange struct {
	// written is when spec.schedule or spec.timeZone was last written (an
	// upper bound of the change).
	written time.Time
	// shownBy names a time that ran but is not a time of the current
	// schedule: status.lastScheduleTime or a Job's scheduled time.
	shownBy string
}

// scheduleChanged returns the change of cj's schedule that the object shows,
// as the controller reads it after a restart: spec.schedule or spec.timeZone
// written after the creation, and a time that ran (status.lastScheduleTime, a
// Job's scheduled time) before that write that is not a time of the current
// schedule. An @every schedule is never taken as changed (every time is one
// of its times). ok is false when no change is shown.
func (f *facts) scheduleChanged(s *schedule) (scheduleChange, bool) {
	if s.every() {
		return scheduleChange{}, false
	}
	_, written := managedAt(f.cj, "schedule", "timeZone")
	if written.IsZero() || !written.After(f.cj.CreationTimestamp.Time) {
		return scheduleChange{}, false
	}
	if ls := f.cj.Status.LastScheduleTime; ls != nil && ls.Before(&metav1.Time{Time: written}) && !s.isTime(ls.Time) {
		return scheduleChange{written: written, shownBy: "status.lastScheduleTime " + ls.In(s.loc).Format(time.RFC3339)}, true
	}
	for i := range f.jobs {
		if st, ok := f.scheduledTimeOf(&f.jobs[i]); ok && st.Before(written) && !s.isTime(st) {
			return scheduleChange{written: written, shownBy: fmt.Sprintf("Job %s for %s", f.jobs[i].Name, st.In(s.loc).Format(time.RFC3339))}, true
		}
	}
	return scheduleChange{}, false
}

func (c scheduleChange) text(s *schedule) string {
	return fmt.Sprintf("spec.schedule or spec.timeZone was last written at %s (metadata.managedFields), and %s is not a time of the current schedule %q in %s, so the schedule changed after it",
		c.written.In(s.loc).Format(time.RFC3339), c.shownBy, s.cj.Spec.Schedule, s.zone())
}
