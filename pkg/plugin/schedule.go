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
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/util/parsers"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// schedule is a CronJob's schedule as the controller evaluates it.
type schedule struct {
	cj   *batchv1.CronJob // a copy whose .spec.timeZone is always set
	cron cron.Schedule
	loc  *time.Location
	// local is the CRON_TZ=Local or TZ=Local of a legacy schedule, read as
	// the controller's zone; "" for any other schedule.
	local string
	// stock is the schedule as robfig/cron evaluates it in loc, set when the
	// stock CronJob controller runs the CronJob (see asStock): its times
	// are those, not steadycron's.
	stock *cron.SpecSchedule
}

// asStock returns the schedule as the stock CronJob controller (v1.37.2)
// evaluates it, when that controller runs the CronJob: a cron schedule's
// times are robfig/cron's Next in the zone, which never runs a fixed time
// the clocks skip and runs one they repeat twice (kubernetes/kubernetes#121594,
// docs/semantics.md); steadycron runs the first right after the change and
// the second once. An @every schedule has no wall-clock times: the same.
func (s *schedule) asStock(stock bool) *schedule {
	if !stock {
		return s
	}
	parsed, err := parsers.ParseCronScheduleWithPanicRecovery(s.cj.Spec.Schedule)
	spec, ok := parsed.(*cron.SpecSchedule)
	if err != nil || !ok {
		return s
	}
	fixed := *spec
	fixed.Location = s.loc
	cp := *s
	cp.stock = &fixed
	return &cp
}

// localNote says how a schedule with CRON_TZ=Local or TZ=Local is read, or
// "" for any other.
func (s *schedule) localNote() string {
	if s.local == "" {
		return ""
	}
	return fmt.Sprintf("the schedule's %s is the controller's own local zone, not this machine's: taken to be %s (--controller-time-zone)", s.local, s.zone())
}

// parseSchedule parses cj's schedule with the controller's code. A CronJob
// without .spec.timeZone is evaluated in controllerZone, the controller's
// local time zone.
func parseSchedule(cj *batchv1.CronJob, controllerZone string) (*schedule, error) {
	return (&scheduleCache{}).parse(cj, controllerZone)
}

// scheduleCache keeps parsed schedules by schedule and time zone, so that
// CronJobs that share them (lint of a namespace) parse them, and load their
// time zone, once. The zero value is ready; it is not safe for concurrent use.
type scheduleCache struct {
	parsed map[scheduleKey]parsedSchedule
}

type scheduleKey struct{ schedule, timeZone string }

type parsedSchedule struct {
	cron cron.Schedule
	loc  *time.Location
	err  error
}

// parse is parseSchedule, cached.
func (c *scheduleCache) parse(cj *batchv1.CronJob, controllerZone string) (*schedule, error) {
	cp := cj.DeepCopy()
	// The controller reads a legacy CRON_TZ=Local or TZ=Local as its own
	// process's zone, the one it evaluates a schedule without a zone in:
	// controllerZone, not this machine's.
	local := ""
	if zone, ok := scheduleZone(cp.Spec.Schedule); ok && zone == "Local" && cp.Spec.TimeZone == nil {
		fields := strings.Fields(cp.Spec.Schedule)
		local = fields[0]
		prefix, _, _ := strings.Cut(local, "=")
		cp.Spec.Schedule = strings.Join(append([]string{prefix + "=" + controllerZone}, fields[1:]...), " ")
	}
	if cp.Spec.TimeZone == nil && !strings.Contains(cp.Spec.Schedule, "TZ=") {
		cp.Spec.TimeZone = &controllerZone
	}
	key := scheduleKey{schedule: cp.Spec.Schedule, timeZone: ptrString(cp.Spec.TimeZone)}
	p, ok := c.parsed[key]
	if !ok {
		p.cron, p.err = cronjob.ParseSchedule(cp)
		p.loc = time.UTC
		if p.err == nil && cp.Spec.TimeZone != nil {
			if p.loc, p.err = time.LoadLocation(*cp.Spec.TimeZone); p.err != nil {
				p.err = fmt.Errorf("loading time zone %q: %w", *cp.Spec.TimeZone, p.err)
			}
		}
		// A legacy schedule that carries its zone (CRON_TZ=Z or TZ=Z) is
		// evaluated in Z: its times are shown there too.
		if p.err == nil && cp.Spec.TimeZone == nil {
			if zone, ok := scheduleZone(cp.Spec.Schedule); ok {
				if loc, err := time.LoadLocation(zone); err == nil {
					p.loc = loc
				}
			}
		}
		if c.parsed == nil {
			c.parsed = map[scheduleKey]parsedSchedule{}
		}
		c.parsed[key] = p
	}
	if p.err != nil {
		return nil, p.err
	}
	return &schedule{cj: cp, cron: p.cron, loc: p.loc, local: local}, nil
}

func (s *schedule) zone() string { return s.loc.String() }

// scheduleZone returns the zone a legacy schedule carries in its first field
// (CRON_TZ=Z or TZ=Z, as robfig/cron reads it).
func scheduleZone(schedule string) (string, bool) {
	fields := strings.Fields(schedule)
	if len(fields) == 0 {
		return "", false
	}
	if z, ok := strings.CutPrefix(fields[0], "CRON_TZ="); ok {
		return z, true
	}
	return strings.CutPrefix(fields[0], "TZ=")
}

// next returns up to n scheduled times after now, each the time the controller
// waits for once the previous one ran.
func (s *schedule) next(now time.Time, n int) []time.Time {
	if s.stock != nil {
		// Each time is on the controller's chain of robfig/cron's Next
		// (after), so Next of it is the chain's next: the chain is walked
		// once, not from its start for each time.
		var times []time.Time
		for t, ok := s.after(now); ok && len(times) < n; t = s.stockNext(t) {
			if t.IsZero() {
				break
			}
			times = append(times, t)
		}
		return times
	}
	c := s.cj.DeepCopy()
	var times []time.Time
	for len(times) < n {
		t, ok := cronjob.NextScheduleTime(c, now, s.cron)
		if !ok {
			break
		}
		times = append(times, t)
		c.Status.LastScheduleTime = &metav1.Time{Time: t}
		now = t
	}
	return times
}

// stockNextCalls counts the calls of robfig/cron's Next for the stock
// controller's times (stockNext): tests bound the cost of a question by it.
var stockNextCalls atomic.Int64

// stockNext is robfig/cron's Next of the stock controller's schedule.
func (s *schedule) stockNext(t time.Time) time.Time {
	stockNextCalls.Add(1)
	return s.stock.Next(t)
}

// stockMostRecent is the scheduled time the stock CronJob controller
// (v1.37.2 mostRecentScheduleTime, with its count of the missed times) runs
// at a sync at now, zero when it runs none: from status.lastScheduleTime (or
// the creation, or now minus startingDeadlineSeconds if later), it takes the
// gap between the first two times t1 and t2 after it for the period, counts
// the missed times as the elapsed time over that gap, and steps robfig/cron's
// Next from t1 plus that count less two periods. For a schedule whose gaps
// differ ("*/5 9-17 * * *": 5 minutes, and 15 hours overnight) that point
// can lie past the most recent time, which it then steps over. steadycron
// counts exactly (patch 0001).
func (s *schedule) stockMostRecent(now time.Time) time.Time {
	earliest := s.cj.CreationTimestamp.Time
	if ls := s.cj.Status.LastScheduleTime; ls != nil {
		earliest = ls.Time
	}
	if d := s.cj.Spec.StartingDeadlineSeconds; d != nil {
		if dl := now.Add(-time.Duration(*d) * time.Second); dl.After(earliest) {
			earliest = dl
		}
	}
	t1 := s.stockNext(earliest)
	t2 := s.stockNext(t1)
	switch {
	case t1.IsZero() || now.Before(t1):
		return time.Time{}
	case now.Before(t2):
		return t1
	}
	gap := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if gap < 1 {
		return time.Time{}
	}
	missed := int64(now.Sub(t1).Seconds())/gap + 1
	var most time.Time
	for t := s.stockNext(t1.Add(time.Duration((missed-2)*gap) * time.Second)); !t.IsZero() && !t.After(now); t = s.stockNext(t) {
		most = t
	}
	return most
}

// stockStepsOver returns the first instant in (t, until] from which the
// stock controller's count of missed times (stockMostRecent) steps over
// scheduled time t, the most recent time until the next one, at every sync:
// it never runs t from then on. It is false when s is not the stock
// controller's, t is not after status.lastScheduleTime (the count starts
// there), the CronJob has startingDeadlineSeconds (which moves the start of
// the count with the sync), or the count finds t at until. The count's start
// being fixed, the point it steps from only grows with the time of the sync,
// and at t itself it lies before t (one period short of the count), so a sync
// at the time finds it.
func (s *schedule) stockStepsOver(t, until time.Time) (time.Time, bool) {
	if s.stock == nil || s.cj.Spec.StartingDeadlineSeconds != nil || until.Before(t) {
		return time.Time{}, false
	}
	if ls := s.cj.Status.LastScheduleTime; ls != nil && !ls.Time.Before(t) {
		return time.Time{}, false
	}
	over := func(now time.Time) bool { return !s.stockMostRecent(now).Equal(t) }
	if !over(until) {
		return time.Time{}, false
	}
	lo, hi := t, until // finds t at lo, steps over it at hi
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
		if !mid.After(lo) {
			break
		}
		if over(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, true
}

// atOrBefore returns the scheduled time at or before t that the controller
// meets had it been running since the CronJob was created, zero if none.
//
// An @every schedule's times count from status.lastScheduleTime, not from
// the clock: from a last schedule time at or before t, the controller's own
// view of the CronJob gives the time; before it, the times are the last
// schedule time's predecessors by the delay (the controller ran them, unless
// the schedule changed), back to the CronJob's creation.
func (s *schedule) atOrBefore(t time.Time) (time.Time, error) {
	if s.stock != nil {
		return s.stockAtOrBefore(t), nil
	}
	c := s.cj.DeepCopy()
	ls := s.cj.Status.LastScheduleTime
	if every, ok := s.cron.(cron.ConstantDelaySchedule); ok && ls != nil && !ls.Before(&s.cj.CreationTimestamp) {
		if !ls.After(t) {
			got, err := cronjob.MostRecentScheduleTime(c, t, s.cron, false)
			if err == nil && got.IsZero() {
				got = ls.Time // no time after the last one yet
			}
			return got, err
		}
		// The times after base are the last schedule time's predecessors;
		// base+delay is after the creation.
		steps := (ls.Sub(s.cj.CreationTimestamp.Time) + every.Delay - 1) / every.Delay
		c.CreationTimestamp = metav1.NewTime(ls.Add(-steps * every.Delay))
		c.Status.LastScheduleTime = nil
		return cronjob.MostRecentScheduleTime(c, t, s.cron, false)
	}
	// The controller's search counts the seconds from the earliest time in
	// a time.Duration, about 292 years at most; a cron schedule's times do
	// not depend on where the count starts, so a time asked about centuries
	// ahead is searched for from 100 years before it.
	earliest := s.earliest()
	if !s.every() && earliest.Before(t.AddDate(-maxSearchYears, 0, 0)) {
		from := t.AddDate(-maxSearchYears, 0, 0)
		earliest = from
	}
	c.CreationTimestamp = metav1.NewTime(earliest)
	c.Status.LastScheduleTime = nil
	return cronjob.MostRecentScheduleTime(c, t, s.cron, false)
}

// stockAtOrBefore is atOrBefore for the stock controller: the last of
// robfig/cron's times after the earliest time and at or before t, zero if
// none. It looks back from t over windows that grow until one has a time,
// so that a frequent schedule is not walked from the creation.
func (s *schedule) stockAtOrBefore(t time.Time) time.Time {
	if from, isTime, ok := s.stockFrom(t); ok {
		var last time.Time
		if isTime && !from.After(t) {
			last = from
		}
		for n := s.stockNext(from); !n.IsZero() && !n.After(t); n = s.stockNext(n) {
			last = n
		}
		return last
	}
	earliest := s.earliest()
	if from := t.AddDate(-maxSearchYears, 0, 0); earliest.Before(from) {
		earliest = from
	}
	for window := time.Hour; ; window *= 8 {
		from := t.Add(-window)
		if from.Before(earliest) {
			from = earliest
		}
		var last time.Time
		for n, ok := s.after(from); ok && !n.After(t); n, ok = s.after(n) {
			last = n
		}
		if !last.IsZero() || !from.After(earliest) {
			return last
		}
	}
}

// stockFrom returns the time the stock controller's chain of robfig/cron's
// Next is stepped from to find its times around t, and whether it is one of
// them: the controller steps from status.lastScheduleTime or the creation,
// never from an arbitrary point, and after a change of a zone's clocks by
// other than whole hours (Australia/Lord_Howe's 30 minutes) robfig's hour
// steps land off the hour for the rest of the day, so that Next from the
// minute before a time may find it where the chain skips it. Within two days
// after a change the chain is stepped from its time before the change (or
// the last schedule time or the creation, if later); false further from a
// change, or after a change by whole hours, where Next from any point is
// the chain's.
func (s *schedule) stockFrom(t time.Time) (from time.Time, isTime, ok bool) {
	change, _ := t.In(s.loc).ZoneBounds()
	if change.IsZero() || t.Sub(change) > 48*time.Hour {
		return time.Time{}, false, false
	}
	_, before := change.Add(-time.Nanosecond).In(s.loc).Zone()
	_, after := change.In(s.loc).Zone()
	if (after-before)%3600 == 0 {
		return time.Time{}, false, false
	}
	from = s.earliest()
	fromBefore := *s
	fromBefore.cj = s.cj.DeepCopy()
	fromBefore.cj.Status.LastScheduleTime = nil
	if before := fromBefore.stockAtOrBefore(change.Add(-time.Second)); before.After(from) {
		from, isTime = before, true
	}
	if ls := s.cj.Status.LastScheduleTime; ls != nil && !ls.After(t) && ls.After(from) {
		from, isTime = ls.Time, true
	}
	return from, isTime, true
}

// stockSkipped returns the first time in (from, to] that steadycron runs and
// the stock controller (s.stock) does not, and whether it is at a change of
// the clocks: a fixed time they skipped, which steadycron runs right after
// the change; otherwise a time robfig/cron's chain steps over after a change
// by other than whole hours (stockFrom). False when s is not the stock
// controller's, or there is none.
func (s *schedule) stockSkipped(from, to time.Time) (x time.Time, atChange, ok bool) {
	if s.stock == nil {
		return time.Time{}, false, false
	}
	steady := *s
	steady.stock = nil
	for _, x := range steady.between(from, to, 3) {
		if !s.isTime(x) {
			start, _ := x.In(s.loc).ZoneBounds()
			return x, start.Equal(x), true
		}
	}
	return time.Time{}, false, false
}

// offHourText says why the stock controller's chain of robfig/cron's Next
// steps over x, a time of the schedule after a change of the clocks by other
// than whole hours.
func (s *schedule) offHourText(x time.Time) string {
	change, _ := x.In(s.loc).ZoneBounds()
	_, before := change.Add(-time.Second).In(s.loc).Zone()
	_, after := change.In(s.loc).Zone()
	return fmt.Sprintf("it steps robfig/cron's Next from its previous run, and after the clocks moved by %s on %s, Next's hour steps land %s off the hour for the rest of that day, so it does not run the schedule's time on %s",
		shortDuration(time.Duration(abs(after-before))*time.Second), change.In(s.loc).Format(time.DateOnly), shortDuration(time.Duration(abs(after-before))*time.Second), x.In(s.loc).Format(time.DateOnly))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// maxSearchYears bounds how far back atOrBefore looks for a cron schedule's
// time, well within the controller's search's range of about 292 years.
const maxSearchYears = 100

// earliest is the time the controller counts scheduled times from: the
// CronJob's creation time, or an older last schedule time (a CronJob restored
// from a backup).
func (s *schedule) earliest() time.Time {
	if l := s.cj.Status.LastScheduleTime; l != nil && l.Before(&s.cj.CreationTimestamp) {
		return l.Time
	}
	return s.cj.CreationTimestamp.Time
}

// matches reports whether the minute of t is a time of the schedule itself,
// whenever the CronJob was created: the controller's own evaluation of the
// next time from the minute before lands on it. Around a clock change
// that is not robfig/cron's matching: a fixed time that a change skips runs
// right after the change, and one that it repeats runs once, at its first
// occurrence.
func (s *schedule) matches(t time.Time) bool {
	m := s.minute(t)
	n, ok := s.after(m.Add(-time.Minute))
	return ok && n.Equal(m)
}

// minute returns the start of t's minute on the clocks of the schedule's
// zone: t truncated to the minute, except before a zone's standard time,
// whose local mean time offset has seconds (America/New_York's -04:56:02
// before 1883), where the zone's minutes do not start on UTC's.
func (s *schedule) minute(t time.Time) time.Time {
	w := t.In(s.loc)
	return t.Add(-time.Duration(w.Second())*time.Second - time.Duration(w.Nanosecond()))
}

// every tells whether the schedule is an @every one, whose times count from
// the CronJob's last run rather than from the clock.
func (s *schedule) every() bool {
	_, every := s.cron.(cron.ConstantDelaySchedule)
	return every
}

// isTime reports whether t is a time of the schedule: the minute of a cron
// schedule's time (matches), or any time of an @every schedule, whose times
// count from the CronJob's last run rather than from the clock.
func (s *schedule) isTime(t time.Time) bool {
	if s.every() {
		return true
	}
	return s.matches(t)
}

// after returns the first time of the schedule after t: the time the
// controller waits for after a run at t. The copy it evaluates has no
// managedFields, so that a change of the schedule the CronJob shows does not
// move the answer: t need not be a time of the schedule.
func (s *schedule) after(t time.Time) (time.Time, bool) {
	if s.stock != nil {
		n := s.stockNext(t)
		if from, _, ok := s.stockFrom(t); ok {
			for n = s.stockNext(from); !n.IsZero() && !n.After(t); n = s.stockNext(n) {
			}
		}
		return n, !n.IsZero()
	}
	c := *s.cj
	c.ManagedFields = nil
	c.Status.LastScheduleTime = &metav1.Time{Time: t}
	return cronjob.NextScheduleTime(&c, t, s.cron)
}

// following returns the first scheduled time after t as the controller meets
// it, t any instant: for a cron schedule the first time of the schedule after
// t (after); an @every schedule's times count from status.lastScheduleTime or
// the creation (atOrBefore), so the time after t is the delay after the
// time at or before t, not after t itself.
func (s *schedule) following(t time.Time) (time.Time, bool) {
	if !s.every() {
		return s.after(t)
	}
	base, err := s.atOrBefore(t)
	if err != nil {
		return time.Time{}, false
	}
	if base.IsZero() {
		base = s.earliest()
	}
	next, ok := s.after(base)
	for i := 0; ok && !next.After(t) && i < 2; i++ {
		next, ok = s.after(next)
	}
	return next, ok && next.After(t)
}

// between returns the scheduled times in (from, to], at most limit of them.
func (s *schedule) between(from, to time.Time, limit int) []time.Time {
	var times []time.Time
	for len(times) < limit {
		t, ok := s.after(from)
		if !ok || t.After(to) {
			break
		}
		times = append(times, t)
		from = t
	}
	return times
}

func (s *schedule) scheduledTime(t time.Time, note string) ScheduledTime {
	return ScheduledTime{Time: t.In(s.loc).Format(time.RFC3339), UTC: t.UTC().Format(time.RFC3339), Note: note}
}

// dstNote describes the clock changes of the zone in (prev, t], and what they
// did to the scheduled times: the controller's own evaluation put t where it
// is; the note says why it is there: a fixed time of day that a change skips
// runs right after the change, one it repeats runs once, at its first
// occurrence (cron(8)'s rule); a wildcard schedule follows the wall clock and
// runs at both occurrences of a repeated time (the note says which times are
// the second ones). It is empty when the offset did not change.
func (s *schedule) dstNote(prev, t time.Time) string {
	loc := s.loc
	var notes []string
	cur := t
	for i := 0; i < 4; i++ {
		start, _ := cur.In(loc).ZoneBounds()
		if start.IsZero() || !start.After(prev) {
			break
		}
		before := start.Add(-time.Nanosecond).In(loc)
		nameBefore, offBefore := before.Zone()
		nameAfter, offAfter := start.In(loc).Zone()
		cur = before
		if offBefore == offAfter {
			continue
		}
		shift := time.Duration(offAfter-offBefore) * time.Second
		wall := start.In(time.FixedZone(nameBefore, offBefore)) // the wall clock at the change, before it
		note := fmt.Sprintf("%s→%s on %s at %s", nameBefore, nameAfter, wall.Format("2006-01-02"), wall.Format("15:04"))
		gapStart, gapEnd := wallOfDay(wall), wallOfDay(wall)+shift
		tWall, prevWall := wallOfDay(t.In(loc)), wallOfDay(prev.In(loc))
		// Clocks back: the wall times of [start+shift, start) come again in
		// [start, start-shift). Compared as instants, so that a change at
		// midnight repeats the last hour of the day before.
		first := func(x time.Time) bool { return !x.Before(start.Add(shift)) && x.Before(start) }
		second := func(x time.Time) bool { return !x.Before(start) && x.Before(start.Add(-shift)) }
		repeatFrom := wallOfDay(start.Add(shift).In(loc))
		// "that day" is the day of the change; a change at midnight repeats
		// the last hour of the day before, which is named.
		onDay := func(x time.Time) string {
			if d := x.In(loc).Format(time.DateOnly); d != wall.Format(time.DateOnly) {
				return "on " + d
			}
			return "that day"
		}
		switch {
		case shift > 0 && !s.wallTimeIn(offBefore, start, start.Add(shift)).IsZero():
			// The schedule has times in the gap that day, by the wall clock
			// before the change (as lint probes it). A fixed time of day runs
			// at the change, unless the schedule's own time there is that
			// run too; a wall-clock schedule loses them.
			own := !s.wallTimeIn(offAfter, start, start.Add(time.Second)).IsZero()
			if cronjob.IsFixedTime(s.cj) && !own && t.Equal(start) {
				note += fmt.Sprintf(": clocks forward %s; %s–%s does not exist that day, it runs at %s instead", shortDuration(shift), clockText(gapStart), clockText(gapEnd), clockText(tWall))
			} else {
				note += fmt.Sprintf(": clocks forward %s; %s–%s does not exist that day: no run then", shortDuration(shift), clockText(gapStart), clockText(gapEnd))
				if cronjob.IsFixedTime(s.cj) && own {
					note += fmt.Sprintf(" other than the one at %s, the schedule's own time", clockText(gapEnd))
				}
			}
		case shift > 0:
			note += fmt.Sprintf(": clocks forward %s", shortDuration(shift))
		case shift < 0 && tWall == prevWall && second(t) && first(prev):
			note += fmt.Sprintf(": clocks back %s; %s happens twice %s, and runs twice", shortDuration(-shift), clockText(tWall), onDay(t))
		case shift < 0 && second(t):
			// t comes after the change, in the repeated hour: its second occurrence.
			note += fmt.Sprintf(": clocks back %s; %s–%s happens twice %s, and this is the second %s", shortDuration(-shift), clockText(repeatFrom), clockText(gapStart), onDay(t), clockText(tWall))
		case shift < 0 && first(prev) && prev.Add(-shift).Before(t):
			// The second occurrence of prev's time came before t, with no run.
			note += fmt.Sprintf(": clocks back %s; %s happens twice %s, and runs once, at its first occurrence", shortDuration(-shift), clockText(prevWall), onDay(prev))
		default:
			note += fmt.Sprintf(": clocks back %s", shortDuration(-shift))
		}
		notes = append([]string{note}, notes...)
	}
	if x, atChange, ok := s.stockSkipped(prev, t.Add(-time.Nanosecond)); ok && !atChange {
		notes = append(notes, fmt.Sprintf("the stock CronJob controller, which runs this CronJob, does not run %s: %s", x.In(loc).Format(time.RFC3339), s.offHourText(x)))
	}
	return strings.Join(notes, "; ")
}

// wallTimeIn returns the schedule's first time in [from, to) by the wall
// clock of the fixed UTC offset off (seconds east), as robfig/cron, the
// controller's parser, evaluates it there; zero if there is none, or for an
// @every schedule, which has no wall-clock times. Around a clock change it
// tells the wall-clock times the change skips (off before a gap) or repeats.
func (s *schedule) wallTimeIn(off int, from, to time.Time) time.Time {
	parsed, err := parsers.ParseCronScheduleWithPanicRecovery(s.cj.Spec.Schedule)
	if err != nil {
		return time.Time{}
	}
	spec, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return time.Time{}
	}
	fixed := *spec
	fixed.Location = time.FixedZone("", off)
	if n := fixed.Next(from.Add(-time.Second)); !n.IsZero() && n.Before(to) {
		return n
	}
	return time.Time{}
}

// wallOfDay is the wall-clock time of day of t, in t's location.
func wallOfDay(t time.Time) time.Duration {
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second
}

func clockText(w time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(w.Hours()), int(w.Minutes())%60)
}

// shortDuration prints d without zero units: 1h, 30m, 1m30s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
