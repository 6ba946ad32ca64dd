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

	"github.com/spf13/cobra"

	"k8s.io/cli-runtime/pkg/printers"
)

// statusRuns is how many of the most recent runs status shows.
const statusRuns = 10

// statusNext is how many next times status shows, a pending one (held or
// due) included.
const statusNext = 5

// statusEvents is how many of the most recent events status shows.
const statusEvents = 10

func newStatusCommand(o *Options) *cobra.Command {
	return &cobra.Command{
		Use:   "status NAME",
		Short: "A CronJob's schedule, next times, last runs, active Jobs, recent events and lint findings",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			report, err := o.status(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return o.printStatus(report)
		},
	}
}

func (o *Options) status(ctx context.Context, name string) (*StatusReport, error) {
	cj, err := o.getCronJob(ctx, name)
	if err != nil {
		return nil, err
	}
	f, err := o.gather(ctx, cj)
	if err != nil {
		return nil, err
	}
	now := o.now()
	r := &StatusReport{
		CronJob:                 cj.Namespace + "/" + cj.Name,
		Schedule:                cj.Spec.Schedule,
		Suspended:               cj.Spec.Suspend != nil && *cj.Spec.Suspend,
		ConcurrencyPolicy:       string(cj.Spec.ConcurrencyPolicy),
		StartingDeadlineSeconds: cj.Spec.StartingDeadlineSeconds,
		Controller:              o.controller(f, now),
		Missing:                 f.missing,
		Next:                    []ScheduledTime{},
		Runs:                    []Run{},
		Active:                  []string{},
		Events:                  []EventSummary{},
	}
	sched, err := parseSchedule(cj, o.ControllerTimeZone)
	if err == nil {
		sched = sched.asStock(f.stockTimes())
	}
	if err != nil {
		// The zone the controller would evaluate the schedule in, though
		// it cannot: spec.timeZone, a CRON_TZ= or TZ= of the schedule, else
		// the controller's own.
		r.TimeZone = ptrString(cj.Spec.TimeZone)
		if zone, ok := scheduleZone(cj.Spec.Schedule); ok && r.TimeZone == "" {
			r.TimeZone = zone
		}
		if r.TimeZone == "" {
			r.TimeZone = o.ControllerTimeZone
		}
		r.Missing = append(r.Missing, fmt.Sprintf("scheduled times: %v", err))
		// The Jobs of earlier runs are there all the same: their scheduled
		// times come from their annotations, shown in the zone when it
		// loads, else in UTC.
		loc, err := time.LoadLocation(r.TimeZone)
		if err != nil {
			loc = time.UTC
			r.Missing = append(r.Missing, fmt.Sprintf("the runs' scheduled times are shown in UTC: time zone %q: %v", r.TimeZone, err))
		}
		sched := &schedule{cj: cj, loc: loc}
		if l := cj.Status.LastScheduleTime; l != nil {
			st := sched.scheduledTime(l.Time, "")
			r.LastScheduleTime = &st
		}
		r.Runs = f.lastRuns(sched)
	} else {
		r.TimeZone = sched.zone()
		r.Next = sched.nextTimes(now, statusNext)
		noteSuspended(cj, r.Next)
		noteDeleting(cj, r.Next)
		if pending, ok := pendingTime(sched, now); ok && len(r.Next) > 0 {
			r.Next = append([]ScheduledTime{pending}, r.Next[:len(r.Next)-1]...)
		}
		noteStuck(f.stuckActive(), r.Next, r.Suspended)
		if l := cj.Status.LastScheduleTime; l != nil {
			st := sched.scheduledTime(l.Time, "")
			r.LastScheduleTime = &st
		}
		r.Runs = f.lastRuns(sched)
		r.Clock = f.clockSigns(sched, now)
		if note := sched.localNote(); note != "" {
			r.Missing = append(r.Missing, "the controller's time zone: "+note)
		}
		if contradiction := f.zoneContradiction(sched); contradiction != "" {
			r.Missing = append(r.Missing, fmt.Sprintf("the controller's time zone: %s; the next times above are computed in %s and may not be the controller's: give its zone with --controller-time-zone", contradiction, sched.zone()))
		}
	}
	for _, a := range cj.Status.Active {
		r.Active = append(r.Active, a.Name)
	}
	for i := max(len(f.events)-statusEvents, 0); i < len(f.events); i++ {
		e := f.events[i]
		r.Events = append(r.Events, EventSummary{
			Type: e.Type, Reason: e.Reason, Message: e.Message, Count: eventCount(e),
			First: eventFirst(e).UTC().Format(time.RFC3339), Last: eventLast(e).UTC().Format(time.RFC3339),
		})
	}
	// What could not be read is not known, not none (see missing).
	if f.jobsUnknown {
		r.Runs = nil
	}
	if f.eventsUnknown {
		r.Events = nil
	}
	// The findings of `lint NAME`.
	var missing string
	if r.Findings, missing = o.lintFindings(ctx, cj, f.jobs, now); missing != "" {
		r.Missing = append(r.Missing, missing)
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	return r, nil
}

// lastRuns describes the statusRuns most recent Jobs of the CronJob.
func (f *facts) lastRuns(sched *schedule) []Run {
	runs := []Run{}
	for i := max(len(f.jobs)-statusRuns, 0); i < len(f.jobs); i++ {
		runs = append(runs, f.run(sched, &f.jobs[i]))
	}
	return runs
}

func ptrString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (o *Options) printStatus(r *StatusReport) error {
	if done, err := o.printObject(r, o.Out); done {
		return err
	}
	w := printers.GetNewTabWriter(o.Out)
	fmt.Fprintf(w, "CronJob:\t%s\n", r.CronJob)
	fmt.Fprintf(w, "Schedule:\t%s (%s)\n", r.Schedule, r.TimeZone)
	fmt.Fprintf(w, "Concurrency policy:\t%s\n", r.ConcurrencyPolicy)
	deadline := "none"
	if r.StartingDeadlineSeconds != nil {
		deadline = fmt.Sprintf("%ds", *r.StartingDeadlineSeconds)
	}
	fmt.Fprintf(w, "Starting deadline:\t%s\n", deadline)
	fmt.Fprintf(w, "Suspended:\t%t\n", r.Suspended)
	last := "-"
	if r.LastScheduleTime != nil {
		last = fmt.Sprintf("%s (UTC %s)", r.LastScheduleTime.Time, r.LastScheduleTime.UTC)
	}
	fmt.Fprintf(w, "Last schedule time:\t%s\n", last)
	fmt.Fprintf(w, "Active:\t%s\n", orDash(strings.Join(r.Active, ", ")))
	fmt.Fprintf(w, "Controller:\t%s\n", controllerText(r.Controller))
	if err := w.Flush(); err != nil {
		return err
	}

	// unknown: the section's facts could not be read, which is not none.
	section := func(title string, headers []string, rows [][]string, unknown bool) error {
		fmt.Fprintf(o.Out, "\n%s:\n", title)
		if unknown {
			fmt.Fprintln(o.Out, "  not known: they could not be read (see missing facts)")
			return nil
		}
		if len(rows) == 0 {
			fmt.Fprintln(o.Out, "  none")
			return nil
		}
		return o.printTable(o.Out, headers, rows)
	}
	var rows [][]string
	for _, t := range r.Next {
		rows = append(rows, timeRow(t, r.TimeZone))
	}
	if err := section("Next times", timeHeaders, rows, false); err != nil {
		return err
	}
	rows = nil
	for _, run := range r.Runs {
		scheduled := "manual"
		if run.Scheduled != nil {
			scheduled = run.Scheduled.Time
		}
		if run.Rerun {
			scheduled += " (rerun)"
		}
		rows = append(rows, []string{scheduled, run.Job, orDash(run.ExpectedStart), orDash(run.FirstRunning), orDash(run.StartDelay), orDash(run.Duration), resultText(run)})
	}
	if err := section("Last runs", []string{"SCHEDULED", "JOB", "EXPECTED START", "FIRST RUNNING", "START DELAY", "DURATION", "RESULT"}, rows, r.Runs == nil); err != nil {
		return err
	}
	rows = nil
	for _, e := range r.Events {
		rows = append(rows, []string{e.Last, e.Type, e.Reason, fmt.Sprint(e.Count), e.Message})
	}
	if err := section("Events", []string{"LAST SEEN", "TYPE", "REASON", "COUNT", "MESSAGE"}, rows, r.Events == nil); err != nil {
		return err
	}
	rows = nil
	for _, f := range r.Findings {
		rows = append(rows, []string{f.Severity, f.Check, f.What, f.Fix})
	}
	if err := section("Lint", []string{"SEVERITY", "CHECK", "WHAT HAPPENS", "FIX"}, rows, false); err != nil {
		return err
	}
	if len(r.Clock) > 0 {
		fmt.Fprintln(o.Out, "\nClock:")
		for _, c := range r.Clock {
			fmt.Fprintf(o.Out, "  - %s\n", c)
		}
	}
	if len(r.Missing) > 0 {
		fmt.Fprintln(o.Out, "\nMissing facts:")
		for _, m := range r.Missing {
			fmt.Fprintf(o.Out, "  - %s\n", m)
		}
	}
	return nil
}

// jobCreatedEarly is how much earlier than its scheduled time a Job's
// creationTimestamp may be before it is a sign of a controller clock ahead:
// the controller creates it 10 ms after the time by its own clock, and the
// timestamp is truncated to the second (the controller's JobCreatedEarly
// warning has the same tolerance).
const jobCreatedEarly = time.Second

// clockSigns lists the signs of a controller clock ahead of the API
// server's, with the controller's warnings about them.
func (f *facts) clockSigns(s *schedule, now time.Time) []string {
	var out []string
	if ls := f.cj.Status.LastScheduleTime; ls != nil && ls.After(now) {
		out = append(out, fmt.Sprintf("status.lastScheduleTime %s is %s later than now: a controller whose clock was ahead wrote it; the controller starts no Job before the first scheduled time after it, unless it takes it for a clock jump",
			ls.In(s.loc).Format(time.RFC3339), ls.Sub(now).Round(time.Second)))
		out = append(out, f.eventEvidence("FutureLastScheduleTime")...)
	}
	for i := range f.jobs {
		j := &f.jobs[i]
		if st, ok := f.scheduledTimeOf(j); ok && st.Sub(j.CreationTimestamp.Time) > jobCreatedEarly {
			out = append(out, fmt.Sprintf("Job %s was created %s before its scheduled time %s by the API server's clock: the controller's clock was ahead",
				j.Name, st.Sub(j.CreationTimestamp.Time).Round(time.Second), st.In(s.loc).Format(time.RFC3339)))
			out = append(out, f.eventsNaming(j.Name, "JobCreatedEarly")...)
		}
	}
	return out
}

// resultText is the RESULT column of a run: its result, with what its pods
// say (Pending (ImagePullBackOff), Failed (BackoffLimitExceeded; OOMKilled,
// exit code 137)).
func resultText(run Run) string {
	switch {
	case run.PodReason == "":
		return run.Result
	case strings.HasSuffix(run.Result, ")"):
		return strings.TrimSuffix(run.Result, ")") + "; " + run.PodReason + ")"
	}
	return run.Result + " (" + run.PodReason + ")"
}
