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
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func newNextCommand(o *Options) *cobra.Command {
	var timeZone string
	var count int
	cmd := &cobra.Command{
		Use:   "next SCHEDULE|NAME",
		Short: "The next scheduled times of a schedule or a CronJob, computed by the controller's own code",
		Example: `  kubectl cronjob next backup
  kubectl cronjob next "30 2 * * *" --time-zone America/New_York --count 3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			report, err := o.next(cmd.Context(), args[0], timeZone, count)
			if err != nil {
				return err
			}
			return o.printNext(report)
		},
	}
	cmd.Flags().StringVar(&timeZone, "time-zone", "", "The schedule's time zone (IANA name), for a SCHEDULE; default the controller's (--controller-time-zone).")
	cmd.Flags().IntVar(&count, "count", 5, "How many times to print (1 to 1000).")
	return cmd
}

// isSchedule tells a schedule from a CronJob name: a name has letters,
// digits, '-' and '.' only; anything else (a space or a tab between fields,
// '@', '*', '?', ',', '/') is in a schedule.
func isSchedule(arg string) bool {
	for _, r := range arg {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return true
		}
	}
	return false
}

// maxNextCount bounds next --count: each time is a call of the controller's
// evaluation, and a list longer than this is not read.
const maxNextCount = 1000

func (o *Options) next(ctx context.Context, arg, timeZone string, count int) (*NextTimes, error) {
	if count < 1 || count > maxNextCount {
		return nil, fmt.Errorf("--count must be from 1 to %d, got %d", maxNextCount, count)
	}
	report := &NextTimes{}
	var cj *batchv1.CronJob
	if _, _, typeName := splitTypeName(arg); isSchedule(arg) && !typeName {
		cj = &batchv1.CronJob{
			ObjectMeta: metav1.ObjectMeta{CreationTimestamp: metav1.NewTime(o.now())},
			Spec:       batchv1.CronJobSpec{Schedule: arg},
		}
		if timeZone != "" {
			if strings.EqualFold(timeZone, "Local") {
				// The API server refuses it: a CronJob's zone is an IANA name.
				return nil, fmt.Errorf("--time-zone %q: a CronJob's time zone is an IANA name such as Europe/Berlin; the API server refuses %q", timeZone, timeZone)
			}
			if zone, ok := scheduleZone(arg); ok {
				// The API server refuses a CronJob with both, so no
				// controller evaluates such a schedule.
				return nil, fmt.Errorf("--time-zone %q with a schedule that names its own zone (%q): the API server refuses a CronJob with both spec.timeZone and TZ= or CRON_TZ= in spec.schedule; use one", timeZone, zone)
			}
			cj.Spec.TimeZone = &timeZone
		}
	} else {
		if timeZone != "" {
			return nil, fmt.Errorf("--time-zone is for a SCHEDULE, not a CronJob: CronJob %q's times are in its spec.timeZone or, without one, in the controller's zone (--controller-time-zone)", arg)
		}
		var err error
		if cj, err = o.getCronJob(ctx, arg); err != nil {
			return nil, err
		}
		report.CronJob = cj.Namespace + "/" + cj.Name
	}
	sched, err := parseSchedule(cj, o.ControllerTimeZone)
	if err != nil {
		return nil, err
	}
	var f *facts
	if report.CronJob != "" {
		f = o.controllerFacts(ctx, cj)
		sched = sched.asStock(f.stockTimes())
	}
	// Read after the CronJob: the API server's time, from the Date header of
	// its answer, rather than this machine's clock.
	now := o.now()
	if report.CronJob == "" {
		now = cj.CreationTimestamp.Time
	}
	if report.CronJob == "" && !sched.every() {
		// A SCHEDULE's CronJob made a year ago has a scheduled time before
		// now, which the first time's note starts from (a fixed time of day
		// is recognised by it). An @every schedule counts from its creation:
		// now.
		sched.cj.CreationTimestamp = metav1.NewTime(now.AddDate(-1, 0, -1))
	}
	report.Schedule, report.TimeZone = cj.Spec.Schedule, sched.zone()
	report.Times = sched.nextTimes(now, count)
	if len(report.Times) == 0 {
		return nil, fmt.Errorf("schedule %q has no time in the next five years (the controller looks no further)", cj.Spec.Schedule)
	}
	report.Suspended = noteSuspended(cj, report.Times)
	noteDeleting(cj, report.Times)
	if pending, ok := pendingTime(sched, now); ok && report.CronJob != "" {
		// The pending time comes first: --count times in all. A SCHEDULE
		// has none: no controller runs it.
		report.Times = append([]ScheduledTime{pending}, report.Times[:min(len(report.Times), count-1)]...)
	}
	if report.CronJob != "" {
		noteStuck(f.stuckActive(), report.Times, report.Suspended)
	}
	if note := sched.localNote(); note != "" {
		report.Warnings = append(report.Warnings, note)
	}
	if report.CronJob != "" {
		if contradiction := f.zoneContradiction(sched); contradiction != "" {
			report.Warnings = append(report.Warnings, fmt.Sprintf("%s; these times are computed in %s and may not be the controller's: give its zone with --controller-time-zone", contradiction, sched.zone()))
		}
	}
	return report, nil
}

// controllerFacts reads what next NAME needs of the controller that runs
// cj: steadycron's Lease, which with the Jobs and the events tells whether
// the stock CronJob controller runs it (stockController), and its Jobs, which for a
// CronJob without a zone of its own (spec.timeZone, CRON_TZ=) tell whether
// the controller runs in another zone than --controller-time-zone (see
// zoneContradicted). A read the API server refuses tells nothing: a Lease
// that cannot be read is not taken for none, and no Job is read as none.
func (o *Options) controllerFacts(ctx context.Context, cj *batchv1.CronJob) *facts {
	f := &facts{cj: cj}
	f.sched, _ = parseSchedule(cj, o.ControllerTimeZone)
	client, err := o.client()
	if err != nil {
		f.leaseUnknown = true
		return f
	}
	lease, err := client.CoordinationV1().Leases(o.LeaseNamespace).Get(ctx, o.LeaseName, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		f.leaseUnknown = true
	default:
		f.lease = lease
	}
	if f.jobs, f.entryJobs, err = listJobs(ctx, client, cj); err != nil {
		// Without the Jobs, steadycron without a Lease is not told from
		// the stock controller: the times are steadycron's.
		f.jobsUnknown = true
		f.leaseUnknown = f.leaseUnknown || f.lease == nil
	}
	// A controller's events since the Lease expired show another one runs
	// the CronJob (stockController), as for why and status. A refused list
	// tells nothing.
	_ = f.readEvents(ctx, client)
	return f
}

// pendingTime returns the scheduled time at or before now that the
// controller has still to run, listed before the next times: the time a
// Forbid CronJob holds (heldTime), else the time it is about to run
// (dueTime).
func pendingTime(s *schedule, now time.Time) (ScheduledTime, bool) {
	if s.cj.DeletionTimestamp != nil {
		return ScheduledTime{}, false
	}
	if held, ok := heldTime(s, now); ok {
		return held, true
	}
	return dueTime(s, now)
}

// dueTime returns the most recent scheduled time at or before now when it
// came less than lateCreation ago and the controller has not started it
// (status.lastScheduleTime is before it), with a note: the controller is
// about to create its Job, and why calls it NotDueYet. False when the
// CronJob is suspended, the time is past startingDeadlineSeconds, or no time
// is due.
func dueTime(s *schedule, now time.Time) (ScheduledTime, bool) {
	cj := s.cj
	if cj.Spec.Suspend != nil && *cj.Spec.Suspend {
		return ScheduledTime{}, false
	}
	t, err := s.atOrBefore(now)
	if err != nil || t.IsZero() || t.Before(s.earliest()) || now.Sub(t) >= lateCreation {
		return ScheduledTime{}, false
	}
	if ls := cj.Status.LastScheduleTime; ls != nil && !ls.Time.Before(t) {
		return ScheduledTime{}, false
	}
	if d := cj.Spec.StartingDeadlineSeconds; d != nil && now.Sub(t) > time.Duration(*d)*time.Second {
		return ScheduledTime{}, false
	}
	return s.scheduledTime(t, "due: the controller is about to create its Job"), true
}

// heldTime returns the scheduled time that a Forbid CronJob holds now, with a
// note: the most recent time at or before now, which the controller has not
// started (status.lastScheduleTime is before it) while a Job is in
// status.active, the list its Forbid check reads. The controller runs it as
// soon as that Job ends, if before the next scheduled time and, with
// startingDeadlineSeconds, before the time is older than the deadline: it
// may come before the next time. False when the CronJob is not Forbid, is
// suspended, or no time is held.
func heldTime(s *schedule, now time.Time) (ScheduledTime, bool) {
	cj := s.cj
	if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent || len(cj.Status.Active) == 0 || (cj.Spec.Suspend != nil && *cj.Spec.Suspend) {
		return ScheduledTime{}, false
	}
	t, err := s.atOrBefore(now)
	if err != nil || t.IsZero() || t.Before(s.earliest()) {
		return ScheduledTime{}, false
	}
	if ls := cj.Status.LastScheduleTime; ls != nil && !ls.Time.Before(t) {
		return ScheduledTime{}, false
	}
	// The controller never runs a time of a new schedule (or time zone) that
	// precedes the change to it (docs/semantics.md). The object shows the
	// change when the last run, before the write of spec.schedule or
	// spec.timeZone, is not a time of the current schedule: a time before
	// that write is then not held. A write alone does not show a change (its
	// manager may have written another field): the note says what it means.
	edit := ""
	if manager, written := managedAt(cj, "schedule", "timeZone"); written.After(t) && written.After(cj.CreationTimestamp.Time) {
		if ls := cj.Status.LastScheduleTime; ls != nil && ls.Time.Before(written) && !s.isTime(ls.Time) {
			return ScheduledTime{}, false
		}
		edit = fmt.Sprintf("; but spec.schedule or spec.timeZone was last written by %s at %s, after this time: if that write changed the schedule, the controller never runs it", manager, written.In(s.loc).Format(time.RFC3339))
	}
	until := "the next scheduled time"
	if d := cj.Spec.StartingDeadlineSeconds; d != nil {
		dl := t.Add(time.Duration(*d) * time.Second)
		if !now.Before(dl) {
			return ScheduledTime{}, false
		}
		if next, ok := s.after(t); !ok || dl.Before(next) {
			until = fmt.Sprintf("%s (startingDeadlineSeconds %ds)", dl.In(s.loc).Format(time.RFC3339), *d)
		}
	}
	// The controller waits for every Job in status.active.
	active := "Job " + cj.Status.Active[0].Name + " is active; the controller runs this time as soon as it ends"
	if n := len(cj.Status.Active); n > 1 {
		names := make([]string, n)
		for i, a := range cj.Status.Active {
			names[i] = a.Name
		}
		active = fmt.Sprintf("Jobs %s and %s are active; the controller runs this time as soon as they have all ended", strings.Join(names[:n-1], ", "), names[n-1])
	}
	return s.scheduledTime(t, fmt.Sprintf("held: concurrencyPolicy is Forbid and %s, if before %s%s", active, until, edit)), true
}

// noteSuspended adds suspendedNote to each of times when cj is suspended,
// and tells whether it is.
func noteSuspended(cj *batchv1.CronJob, times []ScheduledTime) bool {
	if cj.Spec.Suspend == nil || !*cj.Spec.Suspend {
		return false
	}
	note := suspendedNote(cj)
	for i := range times {
		times[i].Note = strings.TrimSuffix(note+"; "+times[i].Note, "; ")
	}
	return true
}

// noteDeleting adds to each of times, when cj is being deleted, that no
// controller runs it (beingDeleted).
func noteDeleting(cj *batchv1.CronJob, times []ScheduledTime) {
	dt := cj.DeletionTimestamp
	if dt == nil {
		return
	}
	note := fmt.Sprintf("not run: the CronJob is being deleted (metadata.deletionTimestamp %s), and no controller schedules a CronJob being deleted", dt.UTC().Format(time.RFC3339))
	for i := range times {
		times[i].Note = strings.TrimSuffix(note+"; "+times[i].Note, "; ")
	}
}

// suspendedNote is the note of each time of a suspended CronJob. A resume
// is a catch-up (docs/semantics.md, "Suspend and resume"): the controller
// runs the most recent time it missed at once, if it is within
// startingDeadlineSeconds; without a deadline, whenever the resume comes
// before the time after it.
func suspendedNote(cj *batchv1.CronJob) string {
	if d := cj.Spec.StartingDeadlineSeconds; d != nil {
		return fmt.Sprintf("suspended: runs only if the CronJob is resumed by then, or late, at the resume, within startingDeadlineSeconds (%ds) after it", *d)
	}
	return "suspended: runs if the CronJob is resumed before the time after it: at this time, or at the resume if it comes after (a resume runs the most recent missed time at once; no startingDeadlineSeconds)"
}

// nextTimes returns the next n times with their daylight saving time notes.
// The first time's note is computed from the scheduled time before now when
// there is one (a fixed time of day is recognised by a scheduled time's wall
// clock, not by now's), else from now.
//
// An @every schedule with times less than a minute apart gets a Job for the
// first time of each minute only (a Job's name has the minute of its time):
// each later time of a minute is noted as getting none.
func (s *schedule) nextTimes(now time.Time, n int) []ScheduledTime {
	var out []ScheduledTime
	prev := now
	every, isEvery := s.cron.(cron.ConstantDelaySchedule)
	subMinute := isEvery && every.Delay < time.Minute
	var first time.Time // the first time of the minute of the latest time, for subMinute
	if p, err := s.atOrBefore(now); err == nil && !p.IsZero() {
		prev, first = p, p
		for subMinute {
			earlier := first.Add(-every.Delay)
			if !sameMinute(earlier, p) || !earlier.After(s.earliest()) {
				break
			}
			first = earlier
		}
	}
	for _, t := range s.next(now, n) {
		note := s.dstNote(prev, t)
		switch {
		case !subMinute:
		case !first.IsZero() && sameMinute(first, t) && t.After(first):
			note = strings.TrimPrefix(note+"; ", "; ") + fmt.Sprintf("no Job: a Job's name has only the minute of its time, and the Job of %s has this minute's (JobNameConflict)", first.In(s.loc).Format(time.RFC3339))
		default:
			first = t
		}
		out = append(out, s.scheduledTime(t, note))
		prev = t
	}
	return out
}

func (o *Options) printNext(r *NextTimes) error {
	if done, err := o.printObject(r, o.Out); done {
		return err
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(o.ErrOut, "Warning: %s\n", w)
	}
	rows := make([][]string, 0, len(r.Times))
	for _, t := range r.Times {
		rows = append(rows, timeRow(t, r.TimeZone))
	}
	return o.printTable(o.Out, timeHeaders, rows)
}

var timeHeaders = []string{"TIME", "ZONE", "UTC", "NOTE"}

// timeRow is a scheduled time as a table row: the time in its zone, the
// zone's abbreviation at that time, UTC and the note.
func timeRow(t ScheduledTime, zone string) []string {
	abbrev := zone
	if loc, err := time.LoadLocation(zone); err == nil {
		if parsed, err := time.Parse(time.RFC3339, t.Time); err == nil {
			abbrev, _ = parsed.In(loc).Zone()
		}
	}
	return []string{t.Time, abbrev, t.UTC, orDash(t.Note)}
}

// stuckEntry is an entry of a Forbid CronJob's status.active that the stock
// controller never clears (stuckActive), and the Job of the entry's name on
// the API server.
type stuckEntry struct {
	entry corev1.ObjectReference
	job   *batchv1.Job
}

// replaced tells whether the Job of the entry's name is another Job than
// the entry's (another UID: deleted and created again under the name, as
// kubectl replace --force does).
func (s *stuckEntry) replaced() bool {
	return s.job.UID != s.entry.UID
}

// stuckActive returns an entry of a Forbid CronJob's status.active that the
// stock controller runs the CronJob and can never clear: the entry's UID is
// not a Job the CronJob controls, and a Job of the entry's name is on the API
// server. The stock controller (k8s.io/kubernetes v1.37.2 syncCronJob) looks
// the entry up by UID among the Jobs it controls, misses it, GETs the Job by
// name, finds one and keeps the entry; it removes an entry only when it sees
// a Job of the entry's UID that it controls end. So an entry whose Job no
// longer has the CronJob as its controller (its ownerReferences removed, to
// keep it from the history limits or to detach a long run), or whose Job was
// replaced by another of the same name (a new UID), stays for good, and
// Forbid skips every later time. steadycron drops such an entry
// (InvalidActiveJob). The entry's Job is looked up by name in the list of
// the namespace's Jobs (facts.entryJobs), as the controller GETs it: no get
// on Jobs is needed. nil when there is none, or the facts do not show it
// (the Jobs could not be listed, or steadycron runs the CronJob).
func (f *facts) stuckActive() *stuckEntry {
	cj := f.cj
	if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent || len(cj.Status.Active) == 0 || f.jobsUnknown || !f.stockController() {
		return nil
	}
	for _, a := range cj.Status.Active {
		j, ok := f.entryJobs[a.Name]
		if !ok {
			continue
		}
		if ref := metav1.GetControllerOf(j); ref != nil && ref.UID == cj.UID && j.UID == a.UID {
			continue
		}
		return &stuckEntry{entry: a, job: j}
	}
	return nil
}

// since is when the entry was in status.active from, at the latest: the
// creation of its Job; for a replaced entry, whose Job is gone, the
// scheduled time its name carries (jobNameTime), at or before which the
// controller created that Job and wrote the entry (the Job of the name now
// may have come long after), else the creation of the Job there now.
func (s *stuckEntry) since(cj *batchv1.CronJob) time.Time {
	if s.replaced() {
		if t, ok := jobNameTime(cj, s.entry.Name); ok {
			return t
		}
	}
	return s.job.CreationTimestamp.Time
}

// text says why a Forbid CronJob of the stock controller skips every time
// while status.active holds the entry, and how to end it.
func (s *stuckEntry) text() string {
	j := s.job
	state := "which has not ended yet, and will stay there when it does"
	if end, ok := jobFinished(j); ok {
		state = fmt.Sprintf("which ended at %s (%s)", end.UTC().Format(time.RFC3339), jobResult(j))
	}
	if s.replaced() {
		entry := fmt.Sprintf("with UID %s, a Job no longer there: the Job of that name is another one (UID %s, created at %s: deleted and created again, as kubectl replace --force does)", s.entry.UID, j.UID, j.CreationTimestamp.UTC().Format(time.RFC3339))
		if s.entry.UID == "" {
			entry = fmt.Sprintf("without a UID (written by hand, or by an older controller); the Job of that name (UID %s) is not the entry's", j.UID)
		}
		return fmt.Sprintf("concurrencyPolicy is Forbid and status.active names Job %s %s, %s; the stock controller looks the entry up by its UID among the Jobs it controls, misses it, and keeps it because a Job of its name exists; it clears an entry only when it sees a Job of the entry's UID end, and there is none: remove the entry from status.active",
			s.entry.Name, entry, state)
	}
	return fmt.Sprintf("concurrencyPolicy is Forbid and status.active names Job %s, %s; the Job has no controller reference to the CronJob, so the stock controller, which finds its Jobs by their controller, never sees it end and never clears the entry: remove the entry from status.active, or restore the Job's ownerReferences", j.Name, state)
}

// evidence is the fact that makes the entry stuck.
func (s *stuckEntry) evidence() string {
	if s.replaced() {
		return fmt.Sprintf("status.active names Job %s with UID %s; the Job of that name has UID %s", s.entry.Name, s.entry.UID, s.job.UID)
	}
	return fmt.Sprintf("status.active names Job %s, which has no controller reference to the CronJob", s.job.Name)
}

// noteStuck notes on each of times that the controller skips it while
// status.active holds the entry stuck (stuckActive; nil: none), also when
// the CronJob is suspended (suspended): a resume does not touch
// status.active, so the times after it are skipped too.
func noteStuck(stuck *stuckEntry, times []ScheduledTime, suspended bool) {
	if stuck == nil {
		return
	}
	note := "skipped: " + stuck.text()
	if suspended {
		note = "skipped: the CronJob is suspended, and a resume runs nothing while the entry stays: " + stuck.text()
	}
	for i := range times {
		times[i].Note = note
	}
}
