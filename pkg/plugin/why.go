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
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// lateCreation is how late after its scheduled time a Job may be created and
// still count as on time: the controller syncs 10 ms after the time; more
// than this means it was not running, or not leading, then.
const lateCreation = 5 * time.Second

func newWhyCommand(o *Options) *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:   "why NAME [--at TIME]",
		Short: "What happened at a CronJob's scheduled time, and why",
		Long: `why explains the scheduled time at or before --at (default: the most recent one):
it ran as a Job (with its start delay), was skipped (Forbid while another Job ran, past its
starting deadline, suspended, a time zone or schedule the controller cannot evaluate, a Job name
held by another Job), was superseded by a catch-up run, is not a scheduled time at all, comes
before the CronJob was created, is not due yet (a future --at), or has no decision on record
(then it says who held steadycron's Lease). When it may not read the CronJob's Jobs or events
(RBAC), it says so and answers Unknown rather than a cause it could not check.`,
		Example: `  kubectl cronjob why backup
  kubectl cronjob why backup --at 2026-11-29T02:30:00-05:00`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var atTime *time.Time
			if at != "" {
				t, err := parseAt(at)
				if err != nil {
					return err
				}
				atTime = &t
			}
			report, err := o.why(cmd.Context(), args[0], atTime)
			if err != nil {
				return err
			}
			return o.printWhy(report)
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "The time to ask about, RFC3339 (2026-11-29T02:30:00Z or with an offset); default now.")
	return cmd
}

func parseAt(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--at %q: want an RFC3339 time such as 2026-11-29T02:30:00Z", s)
}

func (o *Options) why(ctx context.Context, name string, at *time.Time) (*Why, error) {
	cj, err := o.getCronJob(ctx, name)
	if err != nil {
		return nil, err
	}
	f, err := o.gather(ctx, cj)
	if err != nil {
		return nil, err
	}
	now := o.now()
	ask := now
	if at != nil {
		ask = *at
	} else if ls := cj.Status.LastScheduleTime; ls != nil && ls.After(now) {
		// A controller whose clock was ahead (or jumped) started a time later
		// than now: the most recent time is that one, not the one before now.
		ask = ls.Time
	}
	r := &Why{
		CronJob:    cj.Namespace + "/" + cj.Name,
		At:         ask.UTC().Format(time.RFC3339),
		Controller: o.controller(f, now),
		Missing:    f.missing,
	}
	o.explain(ctx, f, r, now, ask, at != nil)
	if r.Run != nil && r.Verdict == VerdictRunning {
		o.podsNotRunning(ctx, f, r, now)
	}
	return r, nil
}

// noPodGrace is how long a Job may have no pod before why says so: the Job
// controller creates its pods within moments of the Job.
const noPodGrace = time.Minute

// podsNotRunning adds to the answer about an unfinished Job why its app does
// not run: a pod not scheduled (its PodScheduled condition: Unschedulable), a
// container waiting (ImagePullBackOff, CrashLoopBackOff,
// CreateContainerConfigError), or no pod at all, with the warnings of the
// Job's events (the Job controller's FailedCreate when the API server refuses
// its pods: PodSecurity admission, a ResourceQuota), which it lists by the
// Job's name.
func (o *Options) podsNotRunning(ctx context.Context, f *facts, r *Why, now time.Time) {
	var j *batchv1.Job
	for i := range f.jobs {
		if f.jobs[i].Name == r.Run.Job {
			j = &f.jobs[i]
		}
	}
	if j == nil || f.podsUnknown || j.DeletionTimestamp != nil || ptr.Deref(j.Spec.Suspend, false) {
		return
	}
	pods := f.pods[string(j.UID)]
	var waiting, beside, runs []string
	for i := range pods {
		p := &pods[i]
		if p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		if appRunning(j, p) {
			// Another container waits (a native sidecar in CrashLoopBackOff)
			// while the app runs.
			beside = append(beside, podWaiting(p, now)...)
			runs = append(runs, p.Name)
			continue
		}
		waiting = append(waiting, podWaiting(p, now)...)
	}
	if len(waiting) > 0 && len(runs) > 0 {
		// A Job of parallelism > 1: the app runs in one pod, not in another.
		r.Explanation += fmt.Sprintf(" Its app runs in pod %s, but not in every pod: %s.", strings.Join(runs, ", "), strings.TrimSuffix(strings.Join(append(waiting, beside...), "; "), "."))
		return
	}
	if len(waiting) > 0 {
		// A scheduler's message ends with a full stop of its own.
		r.Explanation += " Its app is not running: " + strings.TrimSuffix(strings.Join(waiting, "; "), ".") + "."
		return
	}
	if len(beside) > 0 {
		r.Explanation += " Its app runs, beside another container that does not: " + strings.TrimSuffix(strings.Join(beside, "; "), ".") + "."
		return
	}
	age := now.Sub(j.CreationTimestamp.Time)
	if len(pods) > 0 || j.Status.Active > 0 || age < noPodGrace {
		return
	}
	r.Explanation += fmt.Sprintf(" It has no pod, %s after its creation", shortDuration(age.Round(time.Second)))
	// The Job's spec may say why, before any event: another controller
	// runs it, or it is paused.
	if m := ptr.Deref(j.Spec.ManagedBy, batchv1.JobControllerName); m != batchv1.JobControllerName {
		r.Explanation += fmt.Sprintf(": its spec.managedBy is %q, so the built-in Job controller leaves it alone, and that controller creates its pods, or runs them elsewhere (MultiKueue, kueue.x-k8s.io/multikueue, runs them in a worker cluster and mirrors the Job's status here).", m)
		r.Evidence = append(r.Evidence, fmt.Sprintf("Job %s has spec.managedBy %s", j.Name, m))
		return
	}
	if p := j.Spec.Parallelism; p != nil && *p == 0 {
		r.Explanation += ": its spec.parallelism is 0, so the Job controller starts no pod until it is raised (a Job paused the way before spec.suspend)."
		r.Evidence = append(r.Evidence, fmt.Sprintf("Job %s has spec.parallelism 0", j.Name))
		return
	}
	client, err := o.client()
	if err != nil {
		return
	}
	var warnings []corev1.Event
	selector := fields.Set{"involvedObject.kind": "Job", "involvedObject.name": j.Name}.AsSelector().String()
	err = listEach(ctx, metav1.ListOptions{FieldSelector: selector}, func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return client.CoreV1().Events(j.Namespace).List(ctx, opts)
	}, func(obj runtime.Object) {
		e := obj.(*corev1.Event)
		if e.InvolvedObject.Kind == "Job" && e.InvolvedObject.Name == j.Name && (e.InvolvedObject.UID == "" || e.InvolvedObject.UID == j.UID) && e.Type == corev1.EventTypeWarning {
			warnings = append(warnings, *e)
		}
	})
	switch {
	case err != nil:
		r.Missing = append(r.Missing, fmt.Sprintf("events of Job %s: %v (reading them needs list on events in %s)", j.Name, err, j.Namespace))
		r.Explanation += "; the Job's events, which would say why, could not be read (see missing facts)."
	case len(warnings) == 0:
		r.Explanation += "; no warning of the Job says why (events expire an hour after they were last seen)."
	default:
		sort.SliceStable(warnings, func(a, b int) bool { return eventLast(warnings[a]).Before(eventLast(warnings[b])) })
		latest := warnings[len(warnings)-1]
		r.Explanation += fmt.Sprintf(": the Job controller cannot create them (%s: %s).", latest.Reason, eventMessage(latest))
		for _, e := range warnings {
			r.Evidence = append(r.Evidence, fmt.Sprintf("Job %s: %s", j.Name, describeEvent(e)))
		}
	}
}

// appRunning tells whether pod p of Job j runs j's app container.
func appRunning(j *batchv1.Job, p *corev1.Pod) bool {
	app := appContainer(j)
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Name == app && cs.State.Running != nil {
			return true
		}
	}
	return false
}

// podWaiting says why pod p's app does not run: it is not scheduled (its
// PodScheduled condition's reason and message), or a container of it waits
// (its reason and message, an init container's too).
func podWaiting(p *corev1.Pod, now time.Time) []string {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
			text := fmt.Sprintf("pod %s is not scheduled", p.Name)
			if !c.LastTransitionTime.IsZero() {
				text += fmt.Sprintf(" (for %s)", shortDuration(now.Sub(c.LastTransitionTime.Time).Round(time.Second)))
			}
			return []string{text + ": " + strings.TrimSuffix(c.Reason+": "+c.Message, ": ")}
		}
	}
	var out []string
	statuses := append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...)
	for _, cs := range statuses {
		if w := cs.State.Waiting; w != nil && w.Reason != "" {
			text := fmt.Sprintf("pod %s's container %s is waiting: %s", p.Name, cs.Name, w.Reason)
			if w.Message != "" {
				text += " (" + w.Message + ")"
			}
			out = append(out, text)
		}
	}
	return out
}

// explain fills in the verdict for the scheduled time at or before ask. The
// facts are weighed from the strongest down: a Job of the time; the status
// and the controller's events that name the time or its Job; then what the
// absence of a Job shows, only where nothing could have removed the Job since.
func (o *Options) explain(ctx context.Context, f *facts, r *Why, now, ask time.Time, asked bool) {
	cj := f.cj
	sched, err := parseSchedule(cj, o.ControllerTimeZone)
	if err != nil {
		r.Verdict = VerdictCannotEvaluate
		r.Reason = "invalidSchedule"
		if strings.Contains(err.Error(), "invalid timeZone") {
			r.Reason = "invalidTimeZone"
		}
		r.Explanation = fmt.Sprintf("The controller cannot evaluate the schedule (%v): it runs nothing until the CronJob is fixed.", err)
		r.Evidence = f.eventEvidence("UnknownTimeZone", "UnparseableSchedule", "InvalidSchedule")
		// A Job of the CronJob for the time asked about is what happened,
		// whatever the schedule says now: a zone set after the time that
		// this machine's tzdata, or the controller's, does not have (the
		// API server checks spec.timeZone against its own, which can be
		// newer) leaves the earlier runs as they were.
		if asked {
			if j, st := f.jobAt(ask); j != nil {
				run := f.run(&schedule{cj: cj, loc: ask.Location()}, j)
				r.Run, r.Reason = &run, ""
				r.Verdict = VerdictRan
				if _, done := jobFinished(j); !done {
					r.Verdict = VerdictRunning
				}
				r.Explanation = fmt.Sprintf("Ran as Job %s, the Job of %s, created at %s; %s. The current schedule cannot be evaluated (%v): a controller that cannot load it either runs no later time until the CronJob is fixed.",
					j.Name, st.In(ask.Location()).Format(time.RFC3339), j.CreationTimestamp.UTC().Format(time.RFC3339), runPhrase(run), err)
				r.Evidence = append([]string{fmt.Sprintf("Job %s is the Job of %s", j.Name, st.UTC().Format(time.RFC3339))}, r.Evidence...)
			}
		}
		return
	}
	// The stock controller's times differ from steadycron's around clock
	// changes: it never runs a fixed time the clocks skip, and runs one
	// they repeat twice.
	if asked {
		// A time is judged by the controller that made its Job: for a
		// wall time in the spring gap, the Job of the change.
		at := ask
		if change, ok := springGap(sched.loc, ask); ok {
			at = change
		}
		sched = sched.asStock(f.stockAt(sched, at))
	} else {
		sched = sched.asStock(f.stockTimes())
	}
	if sched.stock != nil && !asked {
		defer stockSkipNote(r, sched, ask)
	}
	defer f.noteClock(r, sched, now)
	// A wall time the clocks skipped in the schedule's zone (--at 02:30 with
	// the offset before a spring change at 02:00) names no instant there:
	// the answer is about the change itself, when the controller runs the
	// times in the gap, and says so.
	//
	// Only a wall time of a fixed-time schedule in the gap runs at the change
	// (patch 0002); any other wall time in the gap, not the schedule's, or
	// one of a wall-clock schedule ("*/30 * * * *"), whose times in the gap
	// do not run, is no scheduled time that day.
	if change, ok := springGap(sched.loc, ask); asked && ok {
		wall := ask.Format("15:04")
		gap := fmt.Sprintf("%s does not exist on %s in %s: clocks went forward at %s to %s", wall, change.In(sched.loc).Format("2006-01-02"), sched.zone(),
			wallBefore(sched.loc, change).Format("15:04"), change.In(sched.loc).Format("15:04"))
		_, off := ask.Zone()
		minute := ask.Truncate(time.Minute)
		ofSchedule := !sched.wallTimeIn(off, minute, minute.Add(time.Minute)).IsZero()
		if !ofSchedule || !cronjob.IsFixedTime(sched.cj) || sched.stock != nil {
			r.Verdict = VerdictNotScheduled
			if before, err := sched.atOrBefore(change.Add(-time.Nanosecond)); err == nil && !before.IsZero() {
				r.Nearest = append(r.Nearest, sched.scheduledTime(before, "before"))
			}
			if after, ok := sched.following(change.Add(-time.Nanosecond)); ok {
				r.Nearest = append(r.Nearest, sched.scheduledTime(after, "after"))
			}
			r.Explanation = fmt.Sprintf("%s, and %s is not a time of %q that day: ", gap, wall, cj.Spec.Schedule)
			switch {
			case ofSchedule && sched.stock != nil && cronjob.IsFixedTime(sched.cj):
				// kubernetes/kubernetes#121594; docs/semantics.md.
				r.Explanation += "the CronJob is run by the stock CronJob controller (no steadycron Lease, or Jobs without steadycron.io/expected-start), which never runs a fixed time the clocks skip: it ran nothing for it that day (steadycron runs such a time right after the change)."
			case ofSchedule:
				r.Explanation += "the schedule follows the wall clock, and its times in the gap do not run."
			case sched.stock != nil:
				r.Explanation += "it is not a time of the schedule."
			default:
				r.Explanation += "it is not a time of the schedule (a fixed time of the schedule in the gap runs at the change)."
			}
			return
		}
		ask = change
		defer func() {
			r.Explanation = fmt.Sprintf("%s, and a time in the gap runs at the change, so this is about %s. ", gap, change.In(sched.loc).Format(time.RFC3339)) + r.Explanation
		}()
	}
	// A Job of the CronJob for the time asked about is what happened, whatever
	// the schedule says now.
	if asked {
		// A later time in the same minute, at or before ask (an @every
		// schedule with times less than a minute apart), is the time asked
		// about, whose Job's name s's Job holds (see sameMinuteJob); a Job
		// of a time after ask in its minute is not the Job of the time
		// asked about, which is earlier (atOrBefore).
		if j, s := f.jobAt(ask); j != nil && !s.After(ask) && !laterInMinute(sched, s, ask) {
			st := sched.scheduledTime(s, "")
			r.Scheduled = &st
			f.ranAs(r, sched, j, s)
			if !sched.isTime(s) {
				r.Explanation += fmt.Sprintf(" %s is not a time of the current schedule %q in %s: the schedule changed since.", st.Time, cj.Spec.Schedule, sched.zone())
				if c, ok := f.scheduleChanged(sched); ok {
					r.Evidence = append(r.Evidence, c.text(sched))
				}
			}
			return
		}
	}
	t, err := sched.atOrBefore(ask)
	if err != nil {
		r.Verdict, r.Reason = VerdictCannotEvaluate, "invalidSchedule"
		r.Explanation = fmt.Sprintf("The schedule %q has no time at all (%v): the controller records an InvalidSchedule warning and runs nothing.", cj.Spec.Schedule, err)
		r.Evidence = f.eventEvidence("InvalidSchedule")
		return
	}
	if asked && !sameMinute(t, ask) {
		// A time with seconds (@every) in the minute asked about.
		if t2, err := sched.atOrBefore(ask.Truncate(time.Minute).Add(time.Minute - time.Second)); err == nil && sameMinute(t2, ask) {
			t = t2
		}
	}
	// A time of the schedule in the minute asked about that came before the
	// creation (created at 02:30:20, asked about 02:30:45) is before it too,
	// and so is one at the creation's second (created at 10:00:00.4, which
	// creationTimestamp keeps as 10:00:00): the controller counts the times
	// after it.
	atCreation := func(m time.Time) bool { return m.Equal(cj.CreationTimestamp.Time) && sched.earliest().Equal(m) }
	if earliest := sched.earliest(); asked && (ask.Before(earliest) || (sched.matches(ask) && (sched.minute(ask).Before(earliest) || atCreation(sched.minute(ask))))) {
		// Before the CronJob existed no controller ran anything for it,
		// whatever the schedule says.
		created := fmt.Sprintf("the CronJob was created %s", earliest.In(sched.loc).Format(time.RFC3339))
		if n, ok := sched.after(earliest); ok {
			r.Nearest = append(r.Nearest, sched.scheduledTime(n, "first after creation"))
		}
		if sched.matches(ask) {
			st := sched.scheduledTime(sched.minute(ask), "")
			r.Scheduled = &st
			r.Verdict = VerdictBeforeCreation
			r.Explanation = fmt.Sprintf("%s matches the schedule %q, but %s: nothing was due then.", st.Time, cj.Spec.Schedule, created)
			if atCreation(sched.minute(ask)) {
				r.Explanation = fmt.Sprintf("%s matches the schedule %q, but %s, at that very second, and the controller counts the times after the creation: nothing was due then.", st.Time, cj.Spec.Schedule, created)
			}
			if len(f.earlierEvents) > 0 {
				// A CronJob of this name existed before: its Jobs went with
				// it (garbage collection), its events stay.
				name := cronjob.JobName(cj, sched.minute(ask))
				r.Explanation = fmt.Sprintf("%s matches the schedule %q, but this CronJob was created %s; an earlier CronJob of the same name (UID %s) left events, so it may have run this time (its Jobs were deleted with it).",
					st.Time, cj.Spec.Schedule, earliest.In(sched.loc).Format(time.RFC3339), f.earlierEvents[0].InvolvedObject.UID)
				for _, e := range f.earlierEvents {
					if e.Reason == "SuccessfulCreate" && eventMessage(e) == "Created job "+name {
						r.Explanation = fmt.Sprintf("%s matches the schedule %q; this CronJob was created %s, and an earlier CronJob of the same name (UID %s) ran this time as Job %s, which was deleted with it.",
							st.Time, cj.Spec.Schedule, earliest.In(sched.loc).Format(time.RFC3339), e.InvolvedObject.UID, name)
						r.Evidence = append(r.Evidence, describeEvent(e))
					}
				}
			}
			f.earlierJob(ctx, o, r, sched, sched.minute(ask), created)
			return
		}
		r.Verdict = VerdictNotScheduled
		r.Explanation = fmt.Sprintf("%s is not a scheduled time of %q in %s, and is before %s.", ask.In(sched.loc).Format(time.RFC3339), cj.Spec.Schedule, sched.zone(), created)
		return
	}
	change, changed := f.scheduleChanged(sched)
	if asked && (t.IsZero() || !sameMinute(t, ask)) {
		if !t.IsZero() {
			r.Nearest = append(r.Nearest, sched.scheduledTime(t, "before"))
		}
		if n, ok := sched.following(ask); ok {
			r.Nearest = append(r.Nearest, sched.scheduledTime(n, "after"))
		}
		askText := ask.In(sched.loc).Format(time.RFC3339)
		// The controller's events may name a Job of that minute: a time of an
		// earlier schedule that ran.
		if tr := f.traceJob(cronjob.JobName(cj, ask)); tr.fit(time.Time{}, ask.Truncate(time.Minute), time.Time{}) == timesJob {
			r.Verdict = VerdictRan
			r.Explanation = fmt.Sprintf("Ran as Job %s (the controller's events name it), though %s is not a time of the current schedule %q in %s: the schedule changed since. The Job is gone: %s. %s", tr.name, askText, cj.Spec.Schedule, sched.zone(), tr.goneText(f, nil, time.Time{}, now), tr.resultText())
			r.Evidence = tr.evidence()
			return
		}
		if changed && ask.Before(change.written) {
			r.Verdict = VerdictUnknown
			r.Reason = "scheduleChanged"
			r.Explanation = fmt.Sprintf("Cannot tell: %s is not a time of the current schedule %q in %s, but the schedule changed before %s, and the earlier schedule is not on record, so whether it was one of its times is not known; no Job and no event of the CronJob names it.",
				askText, cj.Spec.Schedule, sched.zone(), change.written.In(sched.loc).Format(time.RFC3339))
			r.Evidence = []string{change.text(sched)}
			return
		}
		// The write shows no change by itself (its manager may have
		// changed another field), but the Jobs of an earlier schedule that
		// would show one may be gone.
		if manager, written := managedAt(cj, "schedule", "timeZone"); written.After(cj.CreationTimestamp.Time) && ask.Before(written) {
			if why, gone := f.jobMayBeGone(ask, now); gone {
				r.Verdict, r.Reason = VerdictUnknown, "scheduleChanged"
				r.Explanation = fmt.Sprintf("Cannot tell: %s is not a time of the current schedule %q in %s, but spec.schedule or spec.timeZone was last written after it, and the Jobs that would show an earlier schedule may have been deleted since (%s), so whether it was a time of the schedule then is not known; no Job and no event of the CronJob names it.",
					askText, cj.Spec.Schedule, sched.zone(), why)
				r.Evidence = []string{fmt.Sprintf("spec.schedule or spec.timeZone was last written by %s at %s (metadata.managedFields)", manager, written.UTC().Format(time.RFC3339))}
				return
			}
		}
		r.Verdict = VerdictNotScheduled
		r.Explanation = fmt.Sprintf("%s is not a scheduled time of %q in %s.", askText, cj.Spec.Schedule, sched.zone())
		if x, atChange, ok := sched.stockSkipped(ask.Add(-time.Minute), ask); ok && !atChange && x.Equal(sched.minute(ask)) {
			r.Explanation = fmt.Sprintf("%s matches %q in %s, but the stock CronJob controller, which runs this CronJob, never meets it: %s.", askText, cj.Spec.Schedule, sched.zone(), sched.offHourText(x))
		} else if ok && atChange && x.Equal(sched.minute(ask)) {
			r.Explanation += " steadycron runs a fixed time the clocks skip right after the change, but the stock CronJob controller, which ran this CronJob then, never runs one (kubernetes/kubernetes#121594): nothing ran that day."
		}
		if first, ok := firstOccurrence(sched.loc, ask); ok {
			r.Explanation += fmt.Sprintf(" Clocks went back that day, so %s happens twice; this is the second occurrence", ask.In(sched.loc).Format("15:04"))
			if sched.isTime(first) {
				r.Explanation += fmt.Sprintf(", and a fixed time of the schedule runs once, at its first occurrence, %s", first.In(sched.loc).Format(time.RFC3339))
			}
			r.Explanation += "."
		}
		if domDowBoth(cj.Spec.Schedule) {
			r.Explanation += " Both day-of-month and day-of-week are restricted: cron runs on the days that match EITHER field, not both."
		}
		return
	}
	if t.IsZero() {
		r.Verdict = VerdictNoScheduleTime
		r.Explanation = fmt.Sprintf("No scheduled time between the CronJob's creation (%s) and %s.", cj.CreationTimestamp.UTC().Format(time.RFC3339), ask.UTC().Format(time.RFC3339))
		if n, ok := sched.following(ask); ok {
			r.Nearest = append(r.Nearest, sched.scheduledTime(n, "next"))
		}
		return
	}
	st := sched.scheduledTime(t, "")
	r.Scheduled = &st
	jobName := cronjob.JobName(cj, t)
	if j := f.jobFor(t); j != nil {
		// Also a time later than now: a controller whose clock was ahead ran it.
		f.ranAs(r, sched, j, t)
		return
	}
	if ls := cj.Status.LastScheduleTime; t.After(now) && ls != nil && ls.Time.Equal(t) {
		// status.lastScheduleTime later than now, without its Job.
		r.Verdict, r.Reason = VerdictUnknown, "clockAhead"
		r.Explanation = fmt.Sprintf("Cannot tell: status.lastScheduleTime says a controller started %s, later than now: its clock was ahead. No Job of that time is left", st.Time)
		if tr, fit := f.timeTrace(sched, jobName, t, nil); fit == timesJob {
			r.Explanation += fmt.Sprintf("; the controller's events name its Job %s: %s", jobName, tr.goneText(f, sched, t, now))
			r.Evidence = tr.evidence()
		}
		r.Explanation += ". A controller with a right clock starts no Job before the first scheduled time after it, unless it takes it for a clock jump (its FutureLastScheduleTime warning says which)."
		r.Evidence = append(append(r.Evidence, lastScheduleEvidence(cj)), f.eventEvidence("FutureLastScheduleTime", "JobCreatedEarly")...)
		return
	}
	if t.After(now) {
		// Only an --at in the future gets here: nothing can have happened
		// yet.
		r.Verdict = VerdictNotDue
		r.Explanation = fmt.Sprintf("Not due yet: it comes in %s.", untilText(now, t))
		stuck := f.stuckActive()
		if cj.Spec.Suspend != nil && *cj.Spec.Suspend {
			r.Explanation += " The CronJob is suspended now: unless it is resumed by then, the controller will not run it."
			if stuck != nil {
				r.Explanation = fmt.Sprintf("Not due yet: it comes in %s. The CronJob is suspended now, and a resume does not run it either: a resume leaves status.active as it is.", untilText(now, t))
			}
			r.Evidence = []string{"spec.suspend is true"}
		}
		if stuck != nil {
			r.Explanation += fmt.Sprintf(" Unless the entry is gone by then, the controller will skip it: %s.", stuck.text())
			r.Evidence = append(r.Evidence, stuck.evidence())
		}
		if being := beingDeleted(cj); being != "" {
			r.Explanation += " But " + being + "."
			r.Evidence = append(r.Evidence, deletionEvidence(cj))
		}
		return
	}

	// The name of the time's Job is held by the Job of another time of the
	// same minute: the events that name it are about that Job.
	if j, s := f.sameMinuteJob(jobName, t); j != nil {
		f.sameMinuteConflict(r, sched, j, s, t)
		return
	}
	// So is it by a Job made by hand under that name, unless the controller
	// created the time's Job before it (its SuccessfulCreate, at or after the
	// time; or status.lastScheduleTime is the time and steadycron ran it,
	// which sets it only once it created the time's Job: a name conflict
	// leaves it), or the Job made by hand came after the controller's last
	// chance to create the time's Job (the next time, or the starting
	// deadline if it comes first): the name was free when the controller
	// decided on the time. The Job made by hand is a rerun, and the events or
	// the status below tell of the controller's Job, if it made one.
	var rerun *batchv1.Job
	rerunAfter := "after the controller could last create the time's Job"
	for i := range f.jobs {
		if j := &f.jobs[i]; j.Name == jobName && f.isManual(j) {
			tr, fit := f.timeTrace(sched, jobName, t, j)
			next, _ := sched.after(t)
			last, _ := f.heldUntil(sched, t, next)
			late := !last.IsZero() && j.CreationTimestamp.Time.After(last)
			started := cj.Status.LastScheduleTime != nil && cj.Status.LastScheduleTime.Time.Equal(t) && !f.stockControllerAt(sched, t)
			if late || started || tr.created != nil && fit == timesJob {
				rerun = j
				if !late {
					rerunAfter = "after the controller created the time's Job"
				}
				break
			}
			f.manualWithTheName(r, sched, j, t)
			return
		}
	}
	if rerun != nil {
		// Whatever the time's verdict, the Job made by hand there now is
		// not its run.
		defer func() {
			r.Explanation += fmt.Sprintf(" The Job %s there now was %s at %s, %s: a rerun under the time's name, not the time's run.", rerun.Name, manualText(rerun), rerun.CreationTimestamp.UTC().Format(time.RFC3339), rerunAfter)
			r.Evidence = append(r.Evidence, manualEvidence(rerun))
		}()
	}
	// The controller's JobNameConflict for this very time: it found the
	// name held and created no Job at that sync.
	conflict := f.eventMatching(t, "JobNameConflict", t.UTC().Format(time.RFC3339))
	// The time's Job with no controller now: its ownerReferences removed
	// (kept out of the history limits for debugging), or restored without
	// them. The list of the CronJob's Jobs leaves it out, and the controller
	// no longer counts it (steadycron drops it from status.active:
	// InvalidActiveJob), but it is the time's run, unless the controller
	// said it held the name at this time (JobNameConflict).
	if rerun == nil && conflict == nil {
		if j := o.orphanedRun(ctx, f, jobName, t); j != nil {
			f.ranAs(r, sched, j, t)
			counted := "the CronJob no longer counts it: it is not in status.active, and no history limit deletes it"
			if inActive(cj, j) {
				// The stock controller keeps the entry (stuckActive).
				counted = "the controller no longer finds it among the CronJob's Jobs (it finds them by their controller): status.active still names it, and the controller never sees it end and never clears that entry, and no history limit deletes it"
				if f.stuckActive() != nil {
					counted += "; concurrencyPolicy is Forbid, so every later time is skipped until the entry is removed from status.active (or the Job's ownerReferences restored)"
				}
			}
			r.Explanation += fmt.Sprintf(" The Job has no controller now (its ownerReferences were removed, or it was restored without them): it carries the controller's %s of this time, but %s.", batchv1.CronJobScheduledTimestampAnnotation, counted)
			r.Evidence = append(r.Evidence, fmt.Sprintf("Job %s has %s %s and no controller reference", j.Name, batchv1.CronJobScheduledTimestampAnnotation, j.Annotations[batchv1.CronJobScheduledTimestampAnnotation]))
			return
		}
	}
	// The controller's events name the time's Job, dated at or after the
	// time: it ran, and is gone. Events of the name dated before the time are
	// another Job's (an earlier time of the same minute, one made by hand).
	// Unless the controller said it did not create it (JobNameConflict for
	// this very time): the events then name the Job that held the name (one
	// made by hand, finished before the time), and only its own creation at
	// or after the time (the holder deleted within the minute, the controller
	// created the time's Job at a later sync) shows a run.
	if tr, fit := f.timeTrace(sched, jobName, t, rerun); fit == timesJob && (conflict == nil || tr.created != nil) {
		r.Verdict = VerdictRan
		r.Explanation = fmt.Sprintf("Ran as Job %s (the controller's events name it); the Job is gone: %s. %s", jobName, tr.goneText(f, sched, t, now), tr.resultText())
		r.Evidence = tr.evidence()
		rerunAfter = "after the controller created the time's Job"
		return
	}
	// No Job is left, but the status says the controller started this very
	// time: its Job was removed since (history limits, ttlSecondsAfterFinished,
	// a deletion).
	if ls := cj.Status.LastScheduleTime; ls != nil && ls.Time.Equal(t) {
		r.Verdict = VerdictRan
		r.Explanation = fmt.Sprintf("Ran: the controller started this time (status.lastScheduleTime), but its Job %s is gone (the CronJob's history limits, the Job's ttlSecondsAfterFinished, or a deletion), so its start is not known. %s", jobName, lastSuccessText(cj, sched, t))
		if f.jobsUnknown {
			r.Explanation = fmt.Sprintf("Ran: the controller started this time (status.lastScheduleTime); its Job %s could not be read (see missing facts), so its start is not known. %s", jobName, lastSuccessText(cj, sched, t))
		}
		r.Evidence = []string{lastScheduleEvidence(cj), lastSuccessEvidence(cj)}
		return
	}
	// Neither controller schedules a CronJob being deleted (a foreground
	// deletion waiting on its Jobs, a finalizer): a time from the deletion
	// on never runs, whatever else the facts say.
	if dt := cj.DeletionTimestamp; dt != nil && !t.Before(dt.Time) {
		r.skipped("beingDeleted", "Skipped: "+beingDeleted(cj)+".", deletionEvidence(cj), lastScheduleEvidence(cj))
		return
	}
	// A time of the current schedule before the schedule changed to it was
	// never a time of the CronJob.
	if changed && t.Before(change.written) && (cj.Status.LastScheduleTime == nil || cj.Status.LastScheduleTime.Before(&metav1.Time{Time: t})) {
		r.Verdict, r.Reason = VerdictNotScheduled, "scheduleChanged"
		r.Explanation = fmt.Sprintf("Not a time of the CronJob then: %s is a time of the current schedule %q, which the CronJob had only from a change made after its last run and at %s at the latest; the controller runs the times of a new schedule after the change, not before.",
			st.Time, cj.Spec.Schedule, change.written.In(sched.loc).Format(time.RFC3339))
		if n, ok := sched.following(now); ok {
			r.Nearest = append(r.Nearest, sched.scheduledTime(n, "next"))
		}
		r.Evidence = []string{change.text(sched), lastScheduleEvidence(cj)}
		return
	}

	// Without spec.timeZone the controller evaluates the schedule in its own
	// zone, taken to be --controller-time-zone; its Jobs' scheduled-timestamp
	// annotations, written in the zone it evaluated in, may show another.
	if contradiction := f.zoneContradiction(sched); contradiction != "" {
		r.Verdict, r.Reason = VerdictUnknown, "controllerTimeZone"
		r.Explanation = fmt.Sprintf("Cannot tell: %s, and this time may not be one of its times. Ask again with --controller-time-zone set to the controller's zone.", contradiction)
		r.Evidence = []string{lastScheduleEvidence(cj)}
		return
	}
	// The time did not run. The events say why, when the controller recorded one.
	if ev := conflict; ev != nil {
		// The warning says why the Job of the name is not the time's
		// ("Not starting job for T: job X exists and is not controlled by
		// this cronjob" or "was made by hand").
		why := "is not this time's Job"
		if _, conflict, ok := strings.Cut(eventMessage(*ev), " exists and "); ok {
			why = conflict
		}
		skipped := fmt.Sprintf("Skipped: Job %s, the name of this time's Job, exists and %s, so the controller could not create the time's Job (its JobNameConflict warning).", jobName, why)
		// Once the Job that held the name is gone, the controller may have
		// created the time's Job after all: a deletion of a Job of the
		// CronJob syncs it, and the time is due until the next one. Its
		// SuccessfulCreate may be folded into a combined event or dropped
		// by the recorder's spam filter, and the Job deleted since.
		held, err := o.jobExists(ctx, cj.Namespace, jobName)
		if err != nil {
			r.Missing = append(r.Missing, fmt.Sprintf("Job %s: %v", jobName, err))
		}
		if held {
			r.skipped("nameConflict", skipped, describeEvent(*ev))
			return
		}
		next, _ := sched.after(t)
		end, until := f.heldUntil(sched, t, next)
		ambiguous, reason := f.laterCreateMayBeLost(t, end, until, now)
		if ambiguous == "" {
			r.skipped("nameConflict", fmt.Sprintf("Skipped: Job %s, the name of this time's Job, existed and %s at this time, so the controller could not create the time's Job (its JobNameConflict warning). It is gone now, and the controller's events, complete from this time until %s, after which it no longer runs this time, show no creation of the time's Job once the name was free.", jobName, why, until),
				describeEvent(*ev))
			return
		}
		r.Verdict, r.Reason = VerdictUnknown, reason
		r.Explanation = fmt.Sprintf("Cannot tell: Job %s, the name of this time's Job, existed and %s at this time (the controller's JobNameConflict warning), but it is gone now, and the controller may have created the time's Job once the name was free (a deletion of a Job of the CronJob makes it look again, and the time is due until the next one); no event shows that creation, but %s.", jobName, why, ambiguous)
		r.Evidence = []string{describeEvent(*ev), lastScheduleEvidence(cj)}
		return
	}
	// The Job of the name, when the list of Jobs did not show it; a rerun
	// (above) is no part of the time's story.
	if client, err := o.client(); err == nil && rerun == nil {
		if j, err := client.BatchV1().Jobs(cj.Namespace).Get(ctx, jobName, metav1.GetOptions{}); err == nil {
			if ref := metav1.GetControllerOf(j); ref == nil || ref.UID != cj.UID {
				r.skipped("nameConflict", fmt.Sprintf("Skipped: Job %s, the name of this time's Job, belongs to something else.", jobName), fmt.Sprintf("Job %s has no controller reference to this CronJob", jobName))
				return
			}
			if s, ok := f.scheduledTimeOf(j); ok && !s.Equal(t) {
				if heldName(j, s, t) {
					f.sameMinuteConflict(r, sched, j, s, t)
					return
				}
				// The Job of a later time of the minute: it says nothing
				// of this time, which the facts below judge.
			} else if f.isManual(j) {
				f.manualWithTheName(r, sched, j, t)
				return
			} else {
				// The list of Jobs did not show it (it could not be read,
				// or the Job came since): the time's own Job, controlled
				// by the CronJob, is what happened.
				f.ranAs(r, sched, j, t)
				return
			}
		} else if !apierrors.IsNotFound(err) {
			r.Missing = append(r.Missing, fmt.Sprintf("Job %s: %v", jobName, err))
		}
	}
	next, _ := sched.after(t)
	// The controller tried to create the time's Job and the API server
	// refused it (a quota, an admission webhook): it retries until the next
	// time or, with startingDeadlineSeconds, until the time is too old, and
	// then records MissSchedule as if it had come too late.
	if failed, spanning := f.failedCreatesFor(t, next, jobName); len(failed) > 0 {
		f.createFailed(r, cj, sched, t, next, now, jobName, failed, spanning)
		return
	}
	forbidEv, forbidDefinite := f.forbidCovering(t, next)
	// A JobAlreadyActive first seen in [t, next) says the controller got to
	// t on time and Forbid held it: the MissSchedule warnings of later syncs
	// report the same time again, once it is older than the deadline.
	heldByForbid := forbidEv != nil && !eventFirst(*forbidEv).Before(t) && (next.IsZero() || eventFirst(*forbidEv).Before(next))
	// So does one repeated from before t to after it (the recorder folds
	// the skips of several times into one event), when a Job of the
	// CronJob kept since was running at t and none of t could be gone.
	if forbidEv != nil && !heldByForbid && !f.jobsUnknown && f.runningAt(sched, t, now) != nil {
		_, gone := f.jobMayBeGone(t, now)
		heldByForbid = !gone
	}
	// The controller does not look at the times of a suspended CronJob, but
	// at the first sync after a resume its MissSchedule warning counts them
	// among the missed ones: a warning does not decide a time that the
	// CronJob may have been suspended at (spec.suspend written after it,
	// and no Job of the controller created in between). A write at the
	// creation shows the value the controller has seen all along, also for
	// the times before it that an older status.lastScheduleTime leaves due
	// (a CronJob restored from a backup).
	manager, suspendWritten := managedAt(cj, "suspend")
	mayBeSuspended := suspendWritten.After(t) && suspendWritten.After(cj.CreationTimestamp.Time) && !f.jobCreatedBetween(t, suspendWritten)
	if ev, catchUp := f.missScheduleCovering(sched, t); ev != nil && !heldByForbid && !mayBeSuspended {
		if catchUp {
			r.Verdict, r.Reason = VerdictSuperseded, "catchUp"
			r.Explanation = "Superseded: a catch-up ran only the most recent of the missed scheduled times, and the controller said so."
			r.Evidence = []string{describeEvent(*ev)}
			return
		}
		r.skipped("missedDeadline", "Skipped: the scheduled time was past startingDeadlineSeconds when the controller got to it, and the controller said so.", describeEvent(*ev))
		return
	}
	if ev := f.eventMatching(t, "MissSchedule", t.UTC().Format(time.RFC1123Z)); ev != nil && !heldByForbid && !mayBeSuspended {
		// The stock MissSchedule comes at the first sync after the
		// deadline; after refused creates of the time (their FailedCreate
		// warnings are weighed above) that sync follows the last of them by
		// up to the retry backoff. Once those warnings may have expired,
		// the MissSchedule does not show a late first look.
		if refusalsMayHaveExpired(eventFirst(*ev), now) {
			r.skipped("missedDeadline", fmt.Sprintf("Skipped: the time was past startingDeadlineSeconds (%ds) when the controller last got to it, and it said so; whether it first looked at it that late, or its creates of the time's Job were refused (a ResourceQuota, an admission webhook) and retried until then, is not known: the FailedCreate warnings of such refusals, the last up to the retry backoff (%s) before the MissSchedule warning, expire an hour after they were last seen and may be gone.", ptrInt(cj.Spec.StartingDeadlineSeconds), shortDuration(maxRetryBackoff)), describeEvent(*ev))
			return
		}
		r.skipped("missedDeadline", fmt.Sprintf("Skipped: the controller first looked at this time more than startingDeadlineSeconds (%ds) after it.", ptrInt(cj.Spec.StartingDeadlineSeconds)), describeEvent(*ev))
		return
	}
	if forbidEv != nil && !forbidDefinite && !f.jobsUnknown {
		// A repeated event that spans several times says t was skipped only
		// if no Job of t could have been deleted since.
		if why, gone := f.jobMayBeGone(t, now); gone {
			r.Verdict, r.Reason = VerdictUnknown, "ambiguousEvidence"
			r.Explanation = fmt.Sprintf("Cannot tell: the controller's JobAlreadyActive event was repeated from before this time to after it, so it may be about other scheduled times only, and a Job of this time that ran would have been deleted since (%s).", why)
			r.Evidence = []string{describeEvent(*forbidEv), lastScheduleEvidence(cj)}
			return
		}
		// No Job of t ran; Forbid skipped it only if a Job was running then.
		if blocker, _ := f.blockerFromEvents(t); f.runningAt(sched, t, now) == nil && blocker == "" {
			r.Verdict, r.Reason = VerdictUnknown, "ambiguousEvidence"
			r.Explanation = "Cannot tell: no Job of this time ran, but the controller's JobAlreadyActive event was repeated from before this time to after it, so it may be about other scheduled times only, and no Job of the CronJob is known to have been running at this time (none of the Jobs left was, and no event names one), so whether Forbid skipped it is not known."
			r.Evidence = []string{describeEvent(*forbidEv), lastScheduleEvidence(cj)}
			return
		}
		forbidDefinite = true
	}
	if forbidEv != nil && forbidDefinite {
		ev := forbidEv
		evidence := []string{describeEvent(*ev)}
		explanation := "Skipped: concurrencyPolicy is Forbid and a Job of the CronJob was still running; the controller said so."
		if f.stuckSkip(r, sched, t, ev) {
			return
		}
		if j := f.runningAt(sched, t, now); j != nil {
			evidence = append(evidence, fmt.Sprintf("Job %s was created at %s and %s", j.Name, j.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(j)))
			if f.heldForNow(r, sched, t, next, now, j, evidence) {
				return
			}
			explanation = fmt.Sprintf("Skipped: concurrencyPolicy is Forbid and Job %s was still running; the controller said so.", j.Name)
		} else {
			// The blocking Job is gone, so when it ended is not known
			// (unless its SawCompletedJob says it ended after the hold):
			// had it ended before the hold did, the controller ran this
			// time late, and the skip is final only if no Job of this time
			// could be gone and its SuccessfulCreate could not be lost.
			name, created := f.blockerFromEvents(t)
			if name != "" {
				explanation = fmt.Sprintf("Skipped: concurrencyPolicy is Forbid and Job %s (created %s, deleted since) was still running; the controller said so.", name, created.UTC().Format(time.RFC3339))
				evidence = append(evidence, f.traceJob(name).evidence()...)
			}
			end, until := f.heldUntil(sched, t, next)
			endedAfterHold := false
			if name != "" {
				// A combined event's first sighting is another Job's: its
				// message, and its last sighting, are the named Job's.
				if tr := f.traceJob(name); tr.finished != nil && !end.IsZero() {
					seen := eventFirst(*tr.finished)
					if strings.HasPrefix(tr.finished.Message, combinedPrefix) {
						seen = eventLast(*tr.finished)
					}
					endedAfterHold = !seen.Before(end)
				}
			}
			if gone, mayBeGone := f.jobMayBeGone(t, now); mayBeGone && !endedAfterHold {
				if lost, reason := f.laterCreateMayBeLost(t, end, until, now); lost != "" {
					r.Verdict, r.Reason = VerdictUnknown, reason
					r.Explanation = fmt.Sprintf("Cannot tell: concurrencyPolicy is Forbid and a Job of the CronJob was running at this time (the controller's JobAlreadyActive event), so the controller held it; but the controller runs a held time late when the blocking Job ends before %s, the blocking Job is gone, so when it ended is not known, a Job of this time that ran would have been deleted since (%s), and no event shows its creation, but %s.",
						until, gone, lost)
					r.Evidence = append(evidence, lastScheduleEvidence(cj))
					return
				}
			}
		}
		r.skipped("concurrencyPolicy", explanation, evidence...)
		return
	}
	// A status.lastScheduleTime later than now and than t: a controller whose
	// clock was ahead wrote it; whether t ran then, or the controller now
	// waits past it, the Jobs left do not tell.
	if ls := cj.Status.LastScheduleTime; ls != nil && ls.After(now) && ls.After(t) {
		r.Verdict, r.Reason = VerdictUnknown, "clockAhead"
		r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left, and status.lastScheduleTime (%s) is later than now: a controller whose clock was ahead wrote it. That controller may have run this time by its clock and the Job be gone, and a controller with a right clock starts no Job before the first scheduled time after it, unless it takes it for a clock jump (its FutureLastScheduleTime warning says which).",
			ls.In(sched.loc).Format(time.RFC3339))
		r.Evidence = append([]string{lastScheduleEvidence(cj)}, f.eventEvidence("FutureLastScheduleTime")...)
		return
	}
	// Every verdict below rests on there being no Job for the time.
	if f.jobsUnknown {
		r.unknown(cj, t, "the CronJob's Jobs could not be read, so whether a Job ran this time, or a running one blocked it, is not known")
		return
	}
	// The controller checks spec.suspend before the concurrency policy: a
	// CronJob suspended since before the time skipped it for that, whatever
	// ran then.
	writtenText := fmt.Sprintf("spec.suspend was last written by %s at %s", manager, suspendWritten.UTC().Format(time.RFC3339))
	suspended := cj.Spec.Suspend != nil && *cj.Spec.Suspend
	if suspended && !suspendWritten.After(t) {
		evidence := []string{"spec.suspend is true"}
		if manager != "" {
			evidence = append(evidence, writtenText)
		}
		resume := "Resuming it runs the most recent scheduled time if it is within startingDeadlineSeconds."
		if stuck := f.stuckActive(); stuck != nil {
			// A resume leaves status.active as it is.
			resume = fmt.Sprintf("A resume runs nothing while status.active holds a stuck entry: %s.", stuck.text())
			evidence = append(evidence, stuck.evidence())
		}
		r.skipped("suspended", "Skipped: the CronJob is suspended. "+resume, evidence...)
		return
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent {
		if f.stuckSkip(r, sched, t, nil) {
			return
		}
		if j := f.runningAt(sched, t, now); j != nil {
			evidence := []string{fmt.Sprintf("Job %s was created at %s and %s", j.Name, j.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(j))}
			// The stock controller does not count a Job re-created under
			// its time's name; one created late for no reason on record
			// may be that.
			if late, ok := f.lateUnexplained(sched, j); ok && f.stockControllerAt(sched, t) {
				r.Verdict, r.Reason = VerdictUnknown, "maybeRerun"
				r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left and no event names it. concurrencyPolicy is Forbid and Job %s was running then, but it was created %s after its own scheduled time with nothing on record to say why (no JobAlreadyActive or FailedCreate event, resume or change of leader). If a controller ran that time late, it counted the Job and Forbid skipped this time; if the Job was re-created under that time's name (kubectl replace --force, a rerun; the controller's SuccessfulCreate of the name, which would show it, may have expired), the stock CronJob controller, which runs this CronJob, left it out of status.active and Forbid did not wait for it.",
					j.Name, shortDuration(late.Round(time.Second)))
				if why, gone := f.jobMayBeGone(t, now); gone {
					r.Explanation += fmt.Sprintf(" A Job of this time that ran would have been deleted since (%s).", why)
				}
				r.Evidence = append(evidence, lastScheduleEvidence(cj))
				return
			}
			// As for spec.suspend: a policy written after the time may
			// not be the one the controller saw then.
			if manager, written := managedAt(cj, "concurrencyPolicy"); written.After(t) {
				r.Verdict, r.Reason = VerdictUnknown, "maybeNotForbid"
				r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left and no event names it; concurrencyPolicy is Forbid now and Job %s was running then, but spec.concurrencyPolicy was last written by %s at %s, after this time, so whether it was Forbid then is not known.", j.Name, manager, written.UTC().Format(time.RFC3339))
				r.Evidence = append(evidence, lastScheduleEvidence(cj))
				return
			}
			if f.heldForNow(r, sched, t, next, now, j, evidence) {
				return
			}
			r.skipped("concurrencyPolicy", fmt.Sprintf("Skipped: concurrencyPolicy is Forbid and Job %s was still running.", j.Name), evidence...)
			return
		}
	}
	if suspended {
		r.unknown(cj, t, fmt.Sprintf("the CronJob is suspended now, but %s, after this time, so whether it was suspended then is not known", writtenText))
		r.Evidence = append(r.Evidence, "spec.suspend is true")
		return
	}
	// The recorder folded events of the controller around this time into one
	// combined event: its word on this time (a SuccessfulCreate, a skip) may
	// be among those folded away, so no guess below may rest on "no event".
	if ev := f.combinedCovering(t, next); ev != nil {
		r.Verdict, r.Reason = VerdictUnknown, "eventsCombined"
		r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left, and the controller's events around it were combined by the event recorder (more than 10 similar events in 10 minutes keep only the latest message), so the controller's word on this time, or on its Job %s, may be lost.", jobName)
		if why, gone := f.jobMayBeGone(t, now); gone {
			r.Explanation += fmt.Sprintf(" A Job of this time that ran would have been deleted since (%s).", why)
		}
		r.Evidence = []string{describeEvent(*ev), lastScheduleEvidence(cj)}
		return
	}
	if why, gone := f.jobMayBeGone(t, now); gone {
		r.Verdict = VerdictUnknown
		r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left, but one that ran would have been deleted since (%s), and no event of the controller names the time or its Job %s.", why, jobName)
		r.Evidence = []string{lastScheduleEvidence(cj)}
		if tr, fit := f.timeTrace(sched, jobName, t, nil); tr.any() && fit != timesJob {
			other := "are dated before the time, so they are about another Job of that name (an earlier time of the same minute, or one made by hand)"
			none := ", and none names this time"
			next, _ := sched.after(t)
			switch alone := tr.fit(time.Time{}, t, time.Time{}); {
			case tr.created != nil && eventCount(*tr.created) > 2 && len(sightings(*tr.created)) > 1 && eventFirst(*tr.created).Before(t.Truncate(time.Second)) && !eventLast(*tr.created).Before(t):
				// Identical creations folded into one event, first seen
				// before the time and last seen after its window: the
				// sightings between, not dated, are creations of the name
				// for the times between, this one's perhaps.
				c := *tr.created
				other = fmt.Sprintf("include its SuccessfulCreate counted %d times from %s to %s (identical events folded into one): creations of the name for several times of the same minute, of which only the first and the last are dated, so whether one was this time's is not known", eventCount(c), eventFirst(c).UTC().Format(time.RFC3339), eventLast(c).UTC().Format(time.RFC3339))
				none = ""
			case fit == eitherJob:
				other = "do not include its creation, and fit the Job of another time of the same minute as well (a Job that runs past the next time of its minute holds the name then, and that time gets no Job), so whose they are is not known"
			case alone == timesJob && tr.fit(time.Time{}, t, next) == otherJob:
				other = fmt.Sprintf("are dated at or after the later time %s of the same minute, so they are about that time's Job, which has the same name", next.In(sched.loc).Format(time.RFC3339))
			case alone == timesJob:
				other = "came, without its creation, after the controller said it created none for this time (MissSchedule), so they are about a Job made by hand under that name since"
			}
			r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left, but one that ran would have been deleted since (%s); the controller's events that name its Job %s %s%s.", why, jobName, other, none)
			r.Evidence = append(r.Evidence, tr.evidence()...)
		}
		if now.Sub(t) > eventTTL {
			r.Explanation += " Events expire an hour after they were last seen, so the controller's word on this time may be gone."
		}
		return
	}
	// The controller's events name the time's Job without its creation,
	// and fit the Job of another time of the same minute as well
	// (jobTrace.fit): the time may have run as that Job, or not at all.
	if tr, fit := f.timeTrace(sched, jobName, t, rerun); fit == eitherJob {
		r.Verdict, r.Reason = VerdictUnknown, "ambiguousEvidence"
		r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left, and the controller's events that name its Job %s do not include its creation and fit the Job of another time of the same minute as well (a Job that runs past the next time of its minute holds the name then, and that time gets no Job), so whether this time ran as that Job is not known.", jobName)
		r.Evidence = append(tr.evidence(), lastScheduleEvidence(cj))
		return
	}
	// A managedFields entry that owns spec.suspend moves whenever its manager
	// changes any field it owns (a Helm chart that writes suspend: false owns
	// it, and every upgrade moves the entry), so its time does not show a
	// resume: it is evidence of a possible suspension, not of one.
	if mayBeSuspended {
		r.Verdict, r.Reason = VerdictUnknown, "maybeSuspended"
		r.Explanation = "Cannot tell: no Job of this time is left, and none was created between this time and the last write of a field set that includes spec.suspend (false now). The CronJob may have been suspended then, but that write may have changed any other field its manager owns, so it does not show a resume."
		r.Evidence = []string{writtenText, lastScheduleEvidence(cj)}
		return
	}
	if later := f.laterRun(t); later != nil {
		// A catch-up considers only the times within startingDeadlineSeconds
		// of it: one that came after t's deadline never looked at t.
		withinDeadline := true
		if d := cj.Spec.StartingDeadlineSeconds; d != nil && later.CreationTimestamp.Sub(t) > time.Duration(*d)*time.Second {
			withinDeadline = false
		}
		if s, ok := f.scheduledTimeOf(later); ok && withinDeadline && later.CreationTimestamp.Sub(s) > lateCreation {
			caughtUp := fmt.Sprintf("Job %s for the later time %s was created %s late", later.Name, s.In(sched.loc).Format(time.RFC3339), later.CreationTimestamp.Sub(s).Round(time.Second))
			r.Evidence = []string{fmt.Sprintf("Job %s created at %s", later.Name, later.CreationTimestamp.UTC().Format(time.RFC3339))}
			// The stock controller was up and backing off after refused
			// creates of earlier times: it did not get to this time.
			if e, ok := f.backingOffAt(sched, t, later); ok {
				r.skipped("createFailed", fmt.Sprintf("Skipped: nothing ran at this time, and %s; but the API server refused the controller's create of an earlier time's Job (its FailedCreate warning, last seen at %s, %s before this time), and no Job was created from then until that one. The stock controller, which ran the CronJob then, retries a failed sync with a backoff of up to %s, not by the next scheduled time, so it was most likely backing off at this time, not down: it did not get to the time, and the sync that came next ran only the most recent time.",
					caughtUp, eventLast(e).UTC().Format(time.RFC3339), t.Sub(eventLast(e)).Round(time.Second), shortDuration(maxRetryBackoff)), describeEvent(e))
				return
			}
			// A create of this time's Job that the API server refused (a
			// quota, an admission webhook) and the controller retried until
			// its last chance leaves the same Jobs; only its FailedCreate
			// warnings, last seen by then, tell it from a catch-up. The
			// retries back off, so the last one may come up to
			// maxRetryBackoff before that last chance.
			if end, _ := f.heldUntil(sched, t, next); f.eventsUnknown || refusalsMayHaveExpired(end, now) {
				gone := fmt.Sprintf("expire an hour after they were last seen, and this time's may be older (the controller's retries back off up to %s, so the last may come that long before %s)", shortDuration(maxRetryBackoff), end.In(sched.loc).Format(time.RFC3339))
				if f.eventsUnknown {
					gone = "could not be read (see missing facts)"
				}
				r.Verdict, r.Reason = VerdictUnknown, "catchUp"
				r.Explanation = fmt.Sprintf("Cannot tell for sure: nothing ran at this time, and %s, most likely when the controller caught up (it runs only the most recent missed time); but a create of this time's Job that the API server refused (a ResourceQuota, an admission webhook) and the controller retried until %s leaves the same Jobs, and the controller's FailedCreate warnings that would tell them apart %s.",
					caughtUp, end.In(sched.loc).Format(time.RFC3339), gone)
				r.Evidence = append(r.Evidence, lastScheduleEvidence(cj))
				return
			}
			r.Verdict, r.Reason = VerdictSuperseded, "catchUp"
			r.Explanation = fmt.Sprintf("Superseded: nothing ran at this time, and %s, when the controller caught up; it runs only the most recent missed time.", caughtUp)
			return
		}
	}
	// This machine's clock may be ahead of the cluster's: while the API
	// server's time is not known, a time that came after the last renewal of a
	// Lease still held may not have come yet by the cluster's clock.
	if !o.serverTimeKnown() && ptr.Deref(r.Controller.Leading, false) && f.lease.Spec.RenewTime.Time.Before(t) {
		r.Verdict, r.Reason = VerdictUnknown, "clientClock"
		r.Explanation = fmt.Sprintf("Cannot tell yet: no Job of this time, which came %s ago by this machine's clock; steadycron's Lease is held by %s and was last renewed %s, before this time, and the API server's own time was not read, so this machine's clock may be ahead of the cluster's and the time may not have come there yet. Ask again in a few seconds.",
			now.Sub(t).Round(time.Second), r.Controller.Holder, f.lease.Spec.RenewTime.UTC().Format(time.RFC3339))
		r.Evidence = []string{lastScheduleEvidence(cj)}
		return
	}
	// Before guessing at a deadline: was any controller leading at all? Only
	// a Lease that had expired by the scheduled time shows that none was.
	if f.leaseExpiredBefore(t) {
		r.Verdict = VerdictNoDecision
		r.Explanation = fmt.Sprintf("No Job%s for this time: steadycron's Lease was last renewed %s, before the scheduled time, so no controller was leading when it came.",
			noEventText(f), f.lease.Spec.RenewTime.UTC().Format(time.RFC3339))
		r.Evidence = []string{lastScheduleEvidence(cj)}
		return
	}
	// A Lease renewed just before the time, not since, and nothing done for
	// the CronJob since: its holder stopped (OOMKilled, its node lost) before
	// it decided on the time, and no controller has led since.
	if f.leaseLostAt(t, now) {
		renewed := f.lease.Spec.RenewTime.Time
		r.Verdict = VerdictNoDecision
		r.Explanation = fmt.Sprintf("No Job and no event for this time: steadycron's Lease was last renewed %s by %s, %s before the scheduled time, and expired at %s without being renewed; it is still expired now, and no Job was created and no event recorded for the CronJob since that renewal. Its holder stopped before it decided on this time, and no controller has led since.",
			renewed.UTC().Format(time.RFC3339), *f.lease.Spec.HolderIdentity, shortDuration(t.Sub(renewed).Round(time.Second)), renewed.Add(leaseDuration(f.lease)).UTC().Format(time.RFC3339))
		r.Evidence = []string{lastScheduleEvidence(cj)}
		return
	}
	// The verdicts below rest on there being no event for the time either.
	if f.eventsUnknown {
		r.unknown(cj, t, "the CronJob's events could not be read, so whether the controller recorded a skip (a missed deadline, a catch-up) is not known")
		return
	}
	// The controller has not started this time (status.lastScheduleTime is
	// before it), and spec.schedule or spec.timeZone was written after it:
	// an edit that made it a time of the schedule (0 * * * * to */30 * * * *
	// at 10:40 makes 10:30 one) leaves it out, as the controller evaluates a
	// new schedule from the change on. The entry moves whenever its manager
	// writes any field it owns, so the write does not show a change: Unknown.
	// So is a time before the last run when the object shows that the
	// schedule changed after it (a daily 0 9 * * * moved to 0 10 * * * at
	// 09:30 after its 09:00 run: yesterday's 10:00 was never a time of the
	// CronJob, and 09:00 is not one of the current schedule). Without that
	// sign, a last run that is a time of the current schedule leaves no
	// reason to doubt the times before it.
	if manager, written := managedAt(cj, "schedule", "timeZone"); written.After(t) && written.After(cj.CreationTimestamp.Time) &&
		(cj.Status.LastScheduleTime == nil || cj.Status.LastScheduleTime.Time.Before(t) || changed) {
		r.Verdict, r.Reason = VerdictUnknown, "scheduleChanged"
		r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left and no event names it, and the controller has not started it (status.lastScheduleTime is before it), but spec.schedule or spec.timeZone was last written at %s, after this time. If that write changed the schedule, this time may not have been one of the CronJob's then (the controller runs the times of a new schedule from the change on); the earlier schedule is not on record.",
			written.In(sched.loc).Format(time.RFC3339))
		if ls := cj.Status.LastScheduleTime; ls != nil && !ls.Time.Before(t) {
			r.Explanation = fmt.Sprintf("Cannot tell: no Job of this time is left and no event names it, and the schedule changed after this time: spec.schedule or spec.timeZone was last written at %s, and %s, before that write, is not a time of the current schedule. The CronJob had another schedule until then, which is not on record, so this time of the current schedule may never have been one of its times (the controller runs the times of a new schedule from the change on, never one before it).",
				written.In(sched.loc).Format(time.RFC3339), change.shownBy)
		}
		r.Evidence = []string{fmt.Sprintf("spec.schedule or spec.timeZone was last written by %s at %s (metadata.managedFields)", manager, written.UTC().Format(time.RFC3339)), lastScheduleEvidence(cj)}
		return
	}
	// A controller that runs the CronJob syncs it at each of its times: one
	// that got to none of several since the creation is not there.
	if n, ok := f.neverRun(sched, now); ok {
		r.Verdict, r.Reason = VerdictNoDecision, "noController"
		r.Explanation = fmt.Sprintf("No controller appears to have run this CronJob since its creation (%s): it never ran, though %s of its scheduled times came since; it has no Job a controller made, no status.lastScheduleTime and no event, and steadycron's Lease %s/%s is not found. Is a CronJob controller running? steadycron's install disables kube-controller-manager's (--controllers=-cronjob); a startingDeadlineSeconds or a schedule change does not explain every time being missed.",
			cj.CreationTimestamp.UTC().Format(time.RFC3339), n, o.LeaseNamespace, o.LeaseName)
		r.Evidence = []string{lastScheduleEvidence(cj)}
		return
	}
	// The stock controller's estimate of the missed times may step over
	// this time: then no sync of it runs it, and it says nothing.
	if until := now; sched.stock != nil {
		if !next.IsZero() && next.Before(until) {
			until = next
		}
		if x, ok := sched.stockStepsOver(t, until); ok {
			f.stockStepsOver(r, sched, x)
			return
		}
	}
	expired := ""
	if now.Sub(t) > eventTTL {
		expired = " Events expire an hour after they were last seen: the controller's word on this time may be gone."
	}
	if d := cj.Spec.StartingDeadlineSeconds; d != nil && now.Sub(t) > time.Duration(*d)*time.Second {
		// A deadline written after the time may not have been there then:
		// without one, a controller that looked at the time late still ran
		// it, up to the next time; only one whose first look came after
		// the write could have left it out for the deadline.
		if manager, written := managedAt(cj, "startingDeadlineSeconds"); written.After(t) {
			r.Verdict, r.Reason = VerdictUnknown, "maybeNoDeadline"
			r.Explanation = fmt.Sprintf("Cannot tell: no Job and no event for this time; startingDeadlineSeconds is %ds now, but it was last written by %s at %s, after this time, so whether the CronJob had that deadline then is not known. With it, a controller whose first look at this time came more than %ds after it left it out without an event; without it, a controller that looked late still ran the time, and no controller decided on it before the write.%s",
				*d, manager, written.UTC().Format(time.RFC3339), *d, expired)
			r.Evidence = []string{fmt.Sprintf("startingDeadlineSeconds was last written by %s at %s (metadata.managedFields)", manager, written.UTC().Format(time.RFC3339)), lastScheduleEvidence(cj)}
			return
		}
		r.skipped("missedDeadline", fmt.Sprintf("Skipped, most likely past its starting deadline: no Job and no event; a controller whose first look at this time comes more than %ds after it leaves it out without an event (steadycron counts it as skip/missedDeadline).%s", *d, expired),
			fmt.Sprintf("startingDeadlineSeconds is %d", *d), lastScheduleEvidence(cj))
		return
	}
	if now.Sub(t) < lateCreation {
		r.Verdict = VerdictNotDue
		r.Explanation = "The controller is about to create this time's Job (it syncs 10 ms after the time)."
		return
	}
	r.Verdict = VerdictNoDecision
	r.Explanation = "No Job and no event for this time: no controller decided on it."
	if end, until := f.heldUntil(sched, t, next); end.IsZero() || now.Before(end) {
		// A controller with many CronJobs due at once syncs them in turn:
		// it runs the time when it gets to it, until the next time or the
		// deadline.
		by := " before " + until
		if end.IsZero() {
			by = "" // the schedule has no later time, and there is no deadline
		}
		r.Explanation = fmt.Sprintf("No Job and no event for this time so far, %s after it: no controller has decided on it yet. A controller that gets to it%s still runs it (one with many CronJobs due at once gets to each in turn).", shortDuration(now.Sub(t).Round(time.Second)), by)
	}
	if expired != "" {
		r.Explanation = "No Job and no event for this time." + expired
	}
	switch {
	case f.leaseUnknown:
		r.Explanation += " steadycron's Lease could not be read, so whether a controller was leading is not known."
	case f.lease == nil && f.steadycronWithoutLease():
		r.Explanation += " steadycron's Lease was not found, and the latest scheduled Job shows steadycron runs the CronJob without leader election: whether it is running now is not known."
	case f.lease == nil:
		r.Explanation += " steadycron's Lease was not found; is a CronJob controller running?"
	case r.Controller.Holder == "":
		r.Explanation += " steadycron's Lease has no holder: the controller that held it released it (a graceful stop)"
		if r.Controller.RenewTime != "" {
			r.Explanation += ", last renewed " + r.Controller.RenewTime
		}
		r.Explanation += "; no controller leads until another takes it."
	case r.Controller.RenewTime != "":
		renew, _ := time.Parse(time.RFC3339, r.Controller.RenewTime)
		if ptr.Deref(r.Controller.Leading, false) {
			r.Explanation += fmt.Sprintf(" steadycron's Lease is held by %s, last renewed %s.", r.Controller.Holder, renew.UTC().Format(time.RFC3339))
		} else {
			// As the Controller line says it: an expired Lease names its
			// last holder, which holds it no more.
			r.Explanation += fmt.Sprintf(" steadycron's Lease has expired: its last holder, %s, renewed it %s.", r.Controller.Holder, renew.UTC().Format(time.RFC3339))
		}
		if f.leaseExpiredBefore(t) {
			r.Explanation += " It had expired by the scheduled time: no controller was leading."
		}
	}
	r.Evidence = []string{lastScheduleEvidence(cj)}
}

// lastSuccessText says what status.lastSuccessfulTime tells of the result
// of scheduled time t, the CronJob's last schedule time, whose Job is gone.
// Both controllers set it to the completion time of the latest succeeded Job
// of the CronJob they see finished, a Job made by hand too; a Job deleted
// before the controller saw it finish (a TTL of 0, a user) leaves it as it
// was.
func lastSuccessText(cj *batchv1.CronJob, sched *schedule, t time.Time) string {
	const unseen = "unless the controller never saw it finish (deleted at once by a ttlSecondsAfterFinished of 0, or by a user)"
	ls := cj.Status.LastSuccessfulTime
	switch {
	case ls == nil:
		return fmt.Sprintf("status.lastSuccessfulTime is not set: no Job of the CronJob completed that the controller saw, so this one did not complete, %s.", unseen)
	case ls.Before(&metav1.Time{Time: t}):
		return fmt.Sprintf("status.lastSuccessfulTime, %s, is before this time: no Job of the CronJob completed since, so this one did not complete (it failed, or was deleted unfinished), %s.", ls.In(sched.loc).Format(time.RFC3339), unseen)
	}
	return fmt.Sprintf("status.lastSuccessfulTime, %s, is after this time: a Job of the CronJob completed then, most likely this one (a Job made by hand that completed since sets it too).", ls.In(sched.loc).Format(time.RFC3339))
}

func lastSuccessEvidence(cj *batchv1.CronJob) string {
	if ls := cj.Status.LastSuccessfulTime; ls != nil {
		return "status.lastSuccessfulTime is " + ls.UTC().Format(time.RFC3339)
	}
	return "status.lastSuccessfulTime is not set"
}

// stockStepsOver fills in the verdict of a scheduled time without a Job or
// an event that the stock controller's count of missed times steps over
// from x on (schedule.stockStepsOver).
func (f *facts) stockStepsOver(r *Why, sched *schedule, x time.Time) {
	from := f.cj.CreationTimestamp.Time
	fromText := "the CronJob's creation"
	if ls := f.cj.Status.LastScheduleTime; ls != nil {
		from, fromText = ls.Time, "status.lastScheduleTime"
	}
	t1 := sched.stockNext(from)
	t2 := sched.stockNext(t1)
	count := fmt.Sprintf("its count of the times missed since %s (%s), an estimate from the gap between the first two times after it (%s and %s, %s apart; kube-controller-manager v1.37.2's mostRecentScheduleTime, which steadycron's patch 0001 makes exact), steps over it",
		fromText, from.In(sched.loc).Format(time.RFC3339), t1.In(sched.loc).Format(time.RFC3339), t2.In(sched.loc).Format(time.RFC3339), shortDuration(t2.Sub(t1)))
	r.skipped("stockMissedCount", fmt.Sprintf("Skipped: the stock CronJob controller, which runs this CronJob, runs this time only at a sync before %s: from then on %s, and it records no event. No Job of this time exists, so it did not get to the CronJob before then (it was not running, or not leading), and it never runs this time now.",
		x.In(sched.loc).Format(time.RFC3339), count), lastScheduleEvidence(f.cj), "startingDeadlineSeconds is not set")
}

// beingDeleted says that cj is being deleted and what that does to its
// times, or "" when it is not. Upstream's syncCronJob and steadycron's return
// before scheduling when metadata.deletionTimestamp is set ("The CronJob is
// being deleted. Don't do anything other than updating status."), and a
// deletion is never undone: the CronJob is gone once its finalizers are
// removed (foregroundDeletion: once its Jobs are deleted, which a pod stuck
// Terminating on a lost node holds up).
func beingDeleted(cj *batchv1.CronJob) string {
	dt := cj.DeletionTimestamp
	if dt == nil {
		return ""
	}
	waits := ""
	if len(cj.Finalizers) > 0 {
		waits = fmt.Sprintf(", waiting on its finalizers (%s)", strings.Join(cj.Finalizers, ", "))
	}
	return fmt.Sprintf("the CronJob is being deleted since %s%s, and no CronJob controller schedules a CronJob being deleted: no time from then on runs, and the CronJob is gone once its finalizers are removed",
		dt.UTC().Format(time.RFC3339), waits)
}

func deletionEvidence(cj *batchv1.CronJob) string {
	text := "metadata.deletionTimestamp is " + cj.DeletionTimestamp.UTC().Format(time.RFC3339)
	if len(cj.Finalizers) > 0 {
		text += ", metadata.finalizers " + strings.Join(cj.Finalizers, ", ")
	}
	return text
}

// untilText says how long from now until t, a later time: to the second under
// a minute, to the minute under a year, and in years after that (a
// time.Duration stops at about 292 years).
func untilText(now, t time.Time) string {
	d := t.Sub(now)
	switch {
	case d < time.Minute:
		return shortDuration(max(d.Round(time.Second), time.Second))
	case t.Before(now.AddDate(1, 0, 0)):
		return shortDuration(d.Round(time.Minute))
	}
	years := t.Year() - now.Year()
	if now.AddDate(years, 0, 0).After(t) {
		years--
	}
	if years == 1 {
		return "over a year"
	}
	return fmt.Sprintf("over %d years", years)
}

// earlierJob cites the Job of scheduled time t, before the CronJob's
// creation, that a CronJob of the same name left: the garbage collector
// leaves a CronJob's Jobs without an owner when it is deleted with
// --cascade=orphan, and they keep the name of their time.
func (f *facts) earlierJob(ctx context.Context, o *Options, r *Why, sched *schedule, t time.Time, created string) {
	client, err := o.client()
	if err != nil {
		return
	}
	name := cronjob.JobName(f.cj, t)
	j, err := client.BatchV1().Jobs(f.cj.Namespace).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return
	case err != nil:
		r.Missing = append(r.Missing, fmt.Sprintf("Job %s: %v", name, err))
		return
	case metav1.IsControlledBy(j, f.cj):
		return
	}
	owner := "no owner: its CronJob was deleted and the Job left (--cascade=orphan)"
	if ref := metav1.GetControllerOf(j); ref != nil {
		owner = fmt.Sprintf("controlled by %s %s (UID %s), not this CronJob", ref.Kind, ref.Name, ref.UID)
	}
	// A Job created since this CronJob was is no earlier CronJob's run:
	// something made it under that name (kubectl create job, a restore).
	if !j.CreationTimestamp.Before(&f.cj.CreationTimestamp) {
		owner = "no owner"
		if ref := metav1.GetControllerOf(j); ref != nil {
			owner = fmt.Sprintf("%s %s (UID %s) as its controller", ref.Kind, ref.Name, ref.UID)
		}
		r.Explanation = fmt.Sprintf("%s matches the schedule %q; this CronJob was created later (%s). Job %s, the name of this time's Job, is on the cluster with %s, but it was created at %s, after this CronJob was: it is no earlier CronJob's run of this time, but a Job made under that name by hand or by a tool (a restore).",
			sched.scheduledTime(t, "").Time, f.cj.Spec.Schedule, created, j.Name, owner, j.CreationTimestamp.UTC().Format(time.RFC3339))
		r.Evidence = append(r.Evidence, fmt.Sprintf("Job %s was created at %s and %s", j.Name, j.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(j)))
		return
	}
	run := f.run(sched, j)
	r.Run = &run
	r.Explanation = fmt.Sprintf("%s matches the schedule %q; this CronJob was created later (%s), but Job %s, the name of this time's Job, is on the cluster with %s: an earlier CronJob of the same name most likely ran this time with it; it is %s.",
		sched.scheduledTime(t, "").Time, f.cj.Spec.Schedule, created, j.Name, owner, runPhrase(run))
	r.Evidence = append(r.Evidence, fmt.Sprintf("Job %s was created at %s and %s", j.Name, j.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(j)))
}

// jobExists tells whether the Job called name is on the cluster (being
// deleted or not); err when it could not be read.
func (o *Options) jobExists(ctx context.Context, namespace, name string) (bool, error) {
	client, err := o.client()
	if err != nil {
		return false, err
	}
	_, err = client.BatchV1().Jobs(namespace).Get(ctx, name, metav1.GetOptions{})
	switch {
	case err == nil:
		return true, nil
	case apierrors.IsNotFound(err):
		return false, nil
	}
	return false, err
}

// orphanedRun returns the Job named name if it is the Job of scheduled time
// t that the controller created and that has no controller now: its
// scheduled-timestamp annotation (scheduledTimeOf) is t. A Job without the
// annotation and without a controller shows nothing of who made it.
func (o *Options) orphanedRun(ctx context.Context, f *facts, name string, t time.Time) *batchv1.Job {
	client, err := o.client()
	if err != nil {
		return nil
	}
	j, err := client.BatchV1().Jobs(f.cj.Namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil || metav1.GetControllerOf(j) != nil {
		return nil
	}
	if _, ok := j.Annotations[batchv1.CronJobScheduledTimestampAnnotation]; !ok {
		return nil
	}
	if st, ok := f.scheduledTimeOf(j); !ok || !st.Equal(t) {
		return nil
	}
	return j
}

// timeTrace returns the controller's events that name jobName, the name of
// scheduled time t's Job, and how they fit a Job the controller created for
// t (jobTrace.fit, weighing the times before and after t). A Job made by
// hand under that name, rerun (nil: none is there), is the Job of the events
// first seen since its creation: a name is one Job's at a time. Without a
// SuccessfulCreate of the time, the controller's own word that it created
// none for t (its MissSchedule warning whose missed times include t)
// outweighs the later steps of a Job of the name: they are those of a Job
// made by hand under it since (kubectl create job NAME-<minutes>
// --from=cronjob/NAME, a rerun, which steadycron adopts: AdoptedJob), and
// deleted.
func (f *facts) timeTrace(sched *schedule, jobName string, t time.Time, rerun *batchv1.Job) (jobTrace, traceFit) {
	tr := f.traceJob(jobName)
	if rerun != nil {
		tr = tr.before(rerun.CreationTimestamp.Time)
	}
	next, _ := sched.after(t)
	prev, err := sched.atOrBefore(t.Add(-time.Nanosecond))
	if err != nil {
		prev = time.Time{}
	}
	fit := tr.fit(prev, t, next)
	if fit == otherJob {
		return tr, otherJob
	}
	// The creation fits t by its first sighting only: the later ones are
	// the Job of the next time of the minute, under the same name.
	if tr.created != nil && !next.IsZero() && sameMinute(t, next) && !eventLast(*tr.created).Before(next.Truncate(time.Second)) {
		tr = tr.first()
	}
	if tr.created == nil {
		if ev, _ := f.missScheduleCovering(sched, t); ev != nil {
			return tr, otherJob
		}
	}
	return tr, fit
}

// laterInMinute tells whether the schedule has a time after s, in s's
// minute, at or before ask: s's Job holds the name of that time's Job.
func laterInMinute(sched *schedule, s, ask time.Time) bool {
	t, err := sched.atOrBefore(ask)
	return err == nil && t.After(s) && sameMinute(t, s)
}

// sameMinuteJob returns the Job of the CronJob called name, the name of
// scheduled time t's Job, when it is the Job of another time s of the same
// minute that held the name at t (heldName): a Job's name has the minute of
// its time only, so a schedule with times less than a minute apart (@every
// 30s) gets a Job for the first time of each minute only.
func (f *facts) sameMinuteJob(name string, t time.Time) (*batchv1.Job, time.Time) {
	for i := range f.jobs {
		j := &f.jobs[i]
		if j.Name != name {
			continue
		}
		if s, ok := f.scheduledTimeOf(j); ok && !s.Equal(t) && heldName(j, s, t) {
			return j, s
		}
	}
	return nil, time.Time{}
}

// heldName tells whether Job j, of scheduled time s, held the name of the
// Job of another time t of the same minute when the controller decided on t:
// the Job of an earlier time does, or one created before t; the Job of a
// later time, created at or after it, came when t's chance had passed (the
// controller creates a time's Job before the next time), so it kept no Job
// of t from being created.
func heldName(j *batchv1.Job, s, t time.Time) bool {
	return s.Before(t) || j.CreationTimestamp.Time.Before(t)
}

// sameMinuteConflict fills in the verdict of scheduled time t whose Job's
// name Job j, of the time s of the same minute, holds: t gets no Job of its
// own. steadycron records JobNameConflict; the stock controller takes j for
// t's Job and creates none.
func (f *facts) sameMinuteConflict(r *Why, sched *schedule, j *batchv1.Job, s, t time.Time) {
	r.skipped("nameConflict", fmt.Sprintf("Skipped: no Job of its own ran. Job %s, the name of this time's Job, is the Job of %s: a Job's name has the minute of its scheduled time only, so a schedule with times less than a minute apart gets a Job for the first time of each minute only.",
		j.Name, s.In(sched.loc).Format(time.RFC3339)),
		fmt.Sprintf("Job %s has the scheduled time %s", j.Name, s.UTC().Format(time.RFC3339)))
	if ev := f.eventMatching(t, "JobNameConflict", t.UTC().Format(time.RFC3339)); ev != nil {
		r.Evidence = append(r.Evidence, describeEvent(*ev))
	}
}

// manualWithTheName fills in the verdict of a scheduled time whose Job's
// name Job j, made by hand from the CronJob (kubectl create job NAME
// --from=cronjob/...), holds. steadycron does not take it for the time's Job
// and records JobNameConflict ("was made by hand"); the stock controller
// takes it for the time's Job and creates none: when j ended before t,
// nothing ran at t.
func (f *facts) manualWithTheName(r *Why, sched *schedule, j *batchv1.Job, t time.Time) {
	made := fmt.Sprintf("Job %s, the name of this time's Job, was %s at %s", j.Name, manualText(j), j.CreationTimestamp.UTC().Format(time.RFC3339))
	evidence := manualEvidence(j)
	if !f.stockControllerAt(sched, t) {
		r.skipped("nameConflict", fmt.Sprintf("Skipped: %s, so the controller could not create the time's Job: steadycron does not take a Job made by hand for a scheduled one.", made), evidence)
		return
	}
	run := f.run(sched, j)
	r.Run = &run
	if end, done := jobFinished(j); done && end.Before(t) {
		r.skipped("nameConflict", fmt.Sprintf("Skipped: %s, and the stock CronJob controller takes a Job of the CronJob under that name for the time's Job and creates none; it %s (%s), before the scheduled time: nothing ran at the time.",
			made, finishedText(j), jobResult(j)), evidence+" and "+finishedText(j))
		return
	}
	r.Verdict = VerdictRan
	if _, done := jobFinished(j); !done {
		r.Verdict = VerdictRunning
	}
	r.Explanation = fmt.Sprintf("Ran as Job %s: %s, and the stock CronJob controller takes a Job of the CronJob under that name for the time's Job and creates none; %s.", j.Name, made, runPhrase(run))
	r.Evidence = []string{evidence}
}

// heldForNow fills in the verdict of scheduled time t that Forbid skipped
// while Job blocker ran, and tells whether it did: it does while the
// blocker still runs and the skip is not final yet. Like the stock
// controller, steadycron runs a time it skipped for Forbid late when the
// blocking Job ends before the next scheduled time (next, zero: none) and,
// with startingDeadlineSeconds, before the time is older than the deadline;
// after that the skip is final.
func (f *facts) heldForNow(r *Why, sched *schedule, t, next, now time.Time, blocker *batchv1.Job, evidence []string) bool {
	end, until := f.heldUntil(sched, t, next)
	// The controller waits for every Job it counts as active: when the
	// blocker ended, another one (a Job of kubectl cronjob run --force,
	// which steadycron adopts) may have kept the time held.
	holder := f.holdingAfter(sched, blocker, t, now)
	if holder != blocker {
		evidence = append(evidence, fmt.Sprintf("Job %s was created at %s and %s", holder.Name, holder.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(holder)))
	}
	if ended, done := jobFinished(holder); done {
		return f.heldThenRan(r, sched, t, now, blocker, holder, ended, end, until, evidence)
	}
	if !end.IsZero() && !now.Before(end) {
		return false
	}
	r.Verdict, r.Reason = VerdictUnknown, "concurrencyPolicy"
	r.Explanation = fmt.Sprintf("Not run so far: concurrencyPolicy is Forbid and Job %s is still running, so the controller skipped this time for now. It runs it late if that Job ends before %s; after that the skip is final.", blocker.Name, until)
	if end.IsZero() {
		r.Explanation = fmt.Sprintf("Not run so far: concurrencyPolicy is Forbid and Job %s is still running, so the controller skipped this time for now; it runs it late when that Job ends (the schedule has no later time).", blocker.Name)
	}
	if holder != blocker {
		ended, _ := jobFinished(blocker)
		r.Explanation = fmt.Sprintf("Not run so far: concurrencyPolicy is Forbid and Job %s was running at this time, so the controller skipped it; that Job ended at %s, but Job %s, which the controller counts as active too, was running then and still is, and the controller waits for every active Job. It runs this time late if that Job ends before %s; after that the skip is final.",
			blocker.Name, ended.In(sched.loc).Format(time.RFC3339), holder.Name, until)
		if end.IsZero() {
			r.Explanation = fmt.Sprintf("Not run so far: concurrencyPolicy is Forbid and Job %s was running at this time, so the controller skipped it; that Job ended at %s, but Job %s, which the controller counts as active too, was running then and still is, and the controller waits for every active Job: it runs this time late when that Job ends (the schedule has no later time).",
				blocker.Name, ended.In(sched.loc).Format(time.RFC3339), holder.Name)
		}
		blocker = holder
	}
	r.Evidence = evidence
	// A suspended CronJob is not synced past the suspend check: the end of
	// the blocker does not run the held time unless the CronJob is resumed.
	if f.cj.Spec.Suspend != nil && *f.cj.Spec.Suspend {
		since := ""
		if manager, written := managedAt(f.cj, "suspend"); !written.IsZero() {
			since = fmt.Sprintf(" (spec.suspend was last written by %s at %s)", manager, written.UTC().Format(time.RFC3339))
		}
		r.Explanation = fmt.Sprintf("Not run so far: concurrencyPolicy is Forbid and Job %s is still running, so the controller skipped this time for now. The CronJob is suspended now%s, and the controller does not look at a suspended CronJob's times: it runs this one late only if the CronJob is resumed and that Job ends", blocker.Name, since)
		if end.IsZero() {
			r.Explanation += "."
		} else {
			r.Explanation += fmt.Sprintf(", both before %s; after that the skip is final.", until)
		}
		r.Evidence = append(r.Evidence, "spec.suspend is true")
	}
	return true
}

// holdingAfter returns the Job that holds a time Forbid held for Job
// blocker once the blocker ends: the controller waits for every Job it counts
// as active at t (runningAt's), so another one that was running when the
// blocker ended keeps the time held, and so on; the blocker itself when none
// was.
func (f *facts) holdingAfter(sched *schedule, blocker *batchv1.Job, t, now time.Time) *batchv1.Job {
	stock := f.stockControllerAt(sched, t)
	end := func(j *batchv1.Job) time.Time {
		if e, done := jobFinished(j); done {
			return e
		}
		return now
	}
	holder := blocker
	for range f.jobs {
		ended, done := jobFinished(holder)
		if !done {
			return holder
		}
		next := holder
		for i := range f.jobs {
			j := &f.jobs[i]
			if j == holder || (stock && f.stockLeavesOut(j)) || j.CreationTimestamp.After(ended) || !end(j).After(ended) {
				continue
			}
			if next == holder || end(j).After(end(next)) {
				next = j
			}
		}
		if next == holder {
			return holder
		}
		holder = next
	}
	return holder
}

// maxRetryBackoff is the longest wait between two syncs of a CronJob whose
// sync failed (a create the API server refused): the controllers' workqueue
// retries with client-go's DefaultTypedControllerRateLimiter, an exponential
// backoff from 5 ms that doubles up to 1000 s. So a time's last refused create,
// and its FailedCreate warning, may come that long before the end of its
// retries, and the sync that follows them that long after.
const maxRetryBackoff = 1000 * time.Second

// stuckSkip answers for scheduled time t when an entry of status.active
// that the stock controller never clears (stuckActive) was there before t
// (stuckEntry.since): the entry was there at t, and Forbid skipped t, whether or not
// the controller's JobAlreadyActive event for it (ev; nil: none covers t) is
// still kept. It tells whether it answered.
func (f *facts) stuckSkip(r *Why, sched *schedule, t time.Time, ev *corev1.Event) bool {
	stuck := f.stuckActive()
	if stuck == nil || !stuck.since(f.cj).Before(t) {
		return f.droppedEntrySkip(r, sched, t, ev)
	}
	state := "it was still running then"
	if end, ok := jobFinished(stuck.job); ok && end.Before(t) {
		state = "nothing of the CronJob was running then"
	}
	if stuck.replaced() && !stuck.job.CreationTimestamp.Time.Before(t) {
		// The Job there now came after t: the entry's own Job ran then,
		// or had ended unseen; the entry held t either way.
		state = "the entry's own Job, replaced since, was running then or had ended without the controller seeing it end: the entry was there either way"
	}
	said := "the stock controller skips every time while the entry is there, and its JobAlreadyActive event for a time expires an hour after it was last seen, so none is needed to show it"
	evidence := []string{stuck.evidence()}
	if ev != nil {
		said = "the controller said so"
		evidence = append([]string{describeEvent(*ev)}, evidence...)
	}
	r.skipped("concurrencyPolicy", fmt.Sprintf("Skipped: %s (%s); %s. It skips every later time too, until the entry is gone.", stuck.text(), state, said), evidence...)
	return true
}

// removedActiveJob is steadycron's InvalidActiveJob warning when it drops
// an entry of status.active whose Job the CronJob no longer controls (patch
// 0006), as at its first sync of a CronJob the stock controller left stuck.
var removedActiveJob = regexp.MustCompile(`^Removed active job (\S+): it is no longer controlled by this cronjob$`)

// droppedEntrySkip answers for scheduled time t when a controller's
// InvalidActiveJob warning (removedActiveJob), first seen after t, shows
// that status.active named a Job until then whose scheduled time (its name,
// jobNameTime) is before t: the entry was there at t, so Forbid skipped t
// (the stock controller never clears such an entry; steadycron drops it at
// its first sync, so it was not running then), finally when the warning
// came after t's hold (heldUntil): a drop before that would let the
// controller run t late. ev is the JobAlreadyActive event that covers t,
// nil when none does. It tells whether it answered.
func (f *facts) droppedEntrySkip(r *Why, sched *schedule, t time.Time, ev *corev1.Event) bool {
	if f.cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		return false
	}
	next, _ := sched.after(t)
	end, until := f.heldUntil(sched, t, next)
	for i := range f.events {
		e := &f.events[i]
		m := removedActiveJob.FindStringSubmatch(eventMessage(*e))
		if e.Reason != "InvalidActiveJob" || m == nil || !eventFirst(*e).After(t) || end.IsZero() || eventFirst(*e).Before(end) {
			continue
		}
		since, ok := jobNameTime(f.cj, m[1])
		if !ok || !since.Before(t) {
			continue
		}
		said := "its JobAlreadyActive event for this time, which expires an hour after it was last seen, is not needed to show it"
		evidence := []string{describeEvent(*e)}
		if ev != nil {
			said = "the controller said so"
			evidence = append([]string{describeEvent(*ev)}, evidence...)
		}
		r.skipped("concurrencyPolicy", fmt.Sprintf("Skipped: concurrencyPolicy is Forbid and status.active named Job %s, the Job of %s, at this time: the entry stayed until %s, when the controller removed it because the CronJob no longer controls that Job (its InvalidActiveJob warning, as steadycron's first sync of a CronJob the stock controller left stuck records it), after %s; a controller that counts the entry skips every time while it is there (the stock controller never clears such an entry), so this time was skipped for good; %s.",
			m[1], since.In(sched.loc).Format(time.RFC3339), eventFirst(*e).UTC().Format(time.RFC3339), until, said), evidence...)
		return true
	}
	return false
}

// refusalsMayHaveExpired tells whether, at now, the FailedCreate warnings of
// a time whose creates were retried until end (at the latest) may have
// expired: the last may have been seen up to maxRetryBackoff before end.
func refusalsMayHaveExpired(end, now time.Time) bool {
	return now.Sub(end.Add(-maxRetryBackoff)) > eventTTL
}

// heldUntil returns when Forbid's hold of scheduled time t ends for good,
// and how to say it: the next scheduled time (next, zero: none) or, with
// startingDeadlineSeconds, when t is older than the deadline, if that comes
// first. A blocking Job that ends before then lets the controller run t late.
func (f *facts) heldUntil(sched *schedule, t, next time.Time) (time.Time, string) {
	end, until := next, fmt.Sprintf("the next scheduled time, %s", next.In(sched.loc).Format(time.RFC3339))
	if d := f.cj.Spec.StartingDeadlineSeconds; d != nil {
		if dl := t.Add(time.Duration(*d) * time.Second); next.IsZero() || dl.Before(next) {
			end, until = dl, fmt.Sprintf("%s, when the time is older than startingDeadlineSeconds (%ds)", dl.In(sched.loc).Format(time.RFC3339), *d)
		}
	}
	return end, until
}

// heldThenRan fills in the verdict of scheduled time t, which Forbid held
// while Job blocker ran, when the blocker ended (at ended) before the hold
// did (end, said as until): the controller then ran t late, and no Job of t
// is left, so it was deleted since, or something kept the controller from
// it; Unknown either way. It tells whether it did: false when the blocker
// ended after the hold, which made the skip final.
func (f *facts) heldThenRan(r *Why, sched *schedule, t, now time.Time, blocker, holder *batchv1.Job, ended, end time.Time, until string, evidence []string) bool {
	if !end.IsZero() && !ended.Before(end) {
		return false
	}
	// Suspended since before the blocker ended: the controller did not look
	// at the held time when it did.
	if _, written := managedAt(f.cj, "suspend"); f.cj.Spec.Suspend != nil && *f.cj.Spec.Suspend && !written.IsZero() && written.Before(ended) {
		return false
	}
	r.Verdict, r.Reason = VerdictUnknown, "forbidHeld"
	r.Explanation = fmt.Sprintf("Cannot tell: concurrencyPolicy is Forbid and Job %s was running at this time, but it ended at %s, before %s, and the controller runs a time it held for Forbid late when the blocking Job ends by then. No Job of this time is left", blocker.Name, ended.In(sched.loc).Format(time.RFC3339), until)
	if holder != blocker {
		first, _ := jobFinished(blocker)
		r.Explanation = fmt.Sprintf("Cannot tell: concurrencyPolicy is Forbid and Job %s was running at this time; it ended at %s, and Job %s, which the controller counts as active too and waits for, ended at %s, before %s, and the controller runs a time it held for Forbid late when the Jobs it waits for have ended by then. No Job of this time is left",
			blocker.Name, first.In(sched.loc).Format(time.RFC3339), holder.Name, ended.In(sched.loc).Format(time.RFC3339), until)
	}
	if why, gone := f.jobMayBeGone(t, now); gone {
		r.Explanation += fmt.Sprintf(", and one that ran would have been deleted since (%s).", why)
	} else {
		r.Explanation += ", and nothing shown would have deleted it: a user's deletion, or a controller that did not get to it (its events, which say which, may have expired)."
	}
	r.Evidence = append(evidence, lastScheduleEvidence(f.cj))
	return true
}

// failedCreatesFor returns the controller's FailedCreate warnings ("Error
// creating job: ...") about the Job of scheduled time t: those whose message
// names the Job, those first seen at or after t and before next (zero:
// none), when every sync looks at t, and those whose message names no Job
// (an admission webhook's refusal, which the recorder folds over several
// times) and that were seen from before t to at or after it. spanning
// reports that one of them is only of the last kind: it may be about other
// times only.
func (f *facts) failedCreatesFor(t, next time.Time, jobName string) (out []corev1.Event, spanning bool) {
	for _, e := range f.events {
		if e.Reason != "FailedCreate" {
			continue
		}
		first, last := eventFirst(e), eventLast(e)
		inWindow := !first.Before(t) && (next.IsZero() || first.Before(next))
		named := strings.Contains(e.Message, strconv.Quote(jobName))
		unnamed := !strings.Contains(e.Message, `jobs.batch "`)
		switch {
		case inWindow || named:
			out = append(out, e)
		case unnamed && first.Before(t) && !last.Before(t):
			out = append(out, e)
			spanning = true
		}
	}
	return out, spanning
}

// backingOffAt returns the controller's latest FailedCreate warning last seen
// before scheduled time t of sched, when it shows the stock controller
// backing off at t after refused creates: the stock controller ran the
// CronJob at t (stockControllerAt), the warning came at most maxRetryBackoff
// before t (the next retry was due after t), and no Job of the controller
// was created from it until later, the Job of a later time that ran next.
// Such a controller did not get to t, whose Job it never tried to create:
// the times between backed-off retries are lost to the refusals, not to an
// outage. steadycron retries a failed sync by the next scheduled time
// (patch 0015): one that was up at t tried t's Job, so it is never read so.
func (f *facts) backingOffAt(sched *schedule, t time.Time, later *batchv1.Job) (corev1.Event, bool) {
	if !f.stockControllerAt(sched, t) {
		return corev1.Event{}, false
	}
	var latest corev1.Event
	found := false
	for _, e := range f.events {
		if last := eventLast(e); e.Reason == "FailedCreate" && last.Before(t) && (!found || last.After(eventLast(latest))) {
			latest, found = e, true
		}
	}
	if !found || t.Sub(eventLast(latest)) > maxRetryBackoff || f.jobCreatedBetween(eventLast(latest), later.CreationTimestamp.Time) {
		return corev1.Event{}, false
	}
	return latest, true
}

// spannedTimeRan returns a Job of a scheduled time from the first to the
// last sighting of the failed creates: a time whose create succeeded.
func (f *facts) spannedTimeRan(sched *schedule, failed []corev1.Event) *batchv1.Job {
	for _, e := range failed {
		s, err := sched.atOrBefore(eventFirst(e))
		ok := err == nil && !s.IsZero()
		for i := 0; ok && !s.After(eventLast(e)) && i < 10000; i++ {
			if j := f.jobFor(s); j != nil {
				return j
			}
			s, ok = sched.after(s)
		}
	}
	return nil
}

// createFailed fills in the verdict for scheduled time t whose Job the API
// server refused to create: failed are the controller's FailedCreate
// warnings about it. The controller retries with a backoff until the next
// scheduled time (next) or, with startingDeadlineSeconds, until t is older
// than the deadline; its MissSchedule warning then does not mean that it
// came late.
func (f *facts) createFailed(r *Why, cj *batchv1.CronJob, sched *schedule, t, next, now time.Time, jobName string, failed []corev1.Event, spanning bool) {
	var attempts int32
	first, last := eventFirst(failed[0]), eventLast(failed[0])
	var evidence []string
	for _, e := range failed {
		attempts += max(eventCount(e), 1)
		if eventFirst(e).Before(first) {
			first = eventFirst(e)
		}
		if eventLast(e).After(last) {
			last = eventLast(e)
		}
		evidence = append(evidence, describeEvent(e))
	}
	latest := failed[0]
	for _, e := range failed[1:] {
		if eventLast(e).After(eventLast(latest)) {
			latest = e
		}
	}
	tried := fmt.Sprintf("the controller tried to create Job %s and the API server refused it (%d FailedCreate warning(s), %s to %s; the last: %q)",
		jobName, attempts, first.UTC().Format(time.RFC3339), last.UTC().Format(time.RFC3339), eventMessage(latest))
	// The retries end at the deadline, when there is one, else at the next
	// scheduled time, whose Job the controller then tries instead.
	end, until := next, fmt.Sprintf("the next scheduled time (%s)", next.In(sched.loc).Format(time.RFC3339))
	if d := cj.Spec.StartingDeadlineSeconds; d != nil {
		if dl := t.Add(time.Duration(*d) * time.Second); next.IsZero() || dl.Before(next) {
			end, until = dl, fmt.Sprintf("the time was older than startingDeadlineSeconds (%ds)", *d)
		}
	} else if next.IsZero() {
		end, until = time.Time{}, "it succeeds"
	}
	var miss []string
	if ev, catchUp := f.missScheduleCovering(sched, t); ev != nil && !catchUp {
		miss = append(miss, describeEvent(*ev))
	} else if ev := f.eventMatching(t, "MissSchedule", t.UTC().Format(time.RFC1123Z)); ev != nil {
		miss = append(miss, describeEvent(*ev))
	}
	// A suspended CronJob is not synced past the suspend check: its
	// retries stop at the suspension.
	manager, suspendWritten := managedAt(cj, "suspend")
	suspendedSince := cj.Spec.Suspend != nil && *cj.Spec.Suspend && !suspendWritten.IsZero() && (end.IsZero() || suspendWritten.Before(end))
	unknown := func(explanation string, extra ...string) {
		r.Verdict, r.Reason = VerdictUnknown, "createFailed"
		r.Explanation = explanation
		r.Evidence = append(evidence, extra...)
	}
	// A folded warning that names no Job and was first seen before t may be
	// about other times only: it shows t refused only while no time it
	// spans has a Job.
	var spannedJob *batchv1.Job
	if spanning {
		spannedJob = f.spannedTimeRan(sched, failed)
	}
	switch {
	case len(miss) > 0 && !spanning:
		r.skipped("createFailed", fmt.Sprintf("Skipped: %s; it retried until %s, then gave the time up: its MissSchedule warning follows the failed creates, not a late look at the time.", tried, until), append(evidence, miss...)...)
	case spanning && f.jobsUnknown:
		unknown(fmt.Sprintf("Cannot tell: the controller's FailedCreate warning names no Job and was seen from before this time to after it, so it may be about other scheduled times only, and the CronJob's Jobs could not be read; %s.", tried))
	case spannedJob != nil:
		unknown(fmt.Sprintf("Cannot tell: the controller's FailedCreate warning names no Job and was seen from before this time to after it, so it may be about other scheduled times only: Job %s of a time it spans was created.", spannedJob.Name),
			fmt.Sprintf("Job %s was created at %s", spannedJob.Name, spannedJob.CreationTimestamp.UTC().Format(time.RFC3339)))
	case len(miss) > 0:
		r.skipped("createFailed", fmt.Sprintf("Skipped: %s; it retried until %s, then gave the time up: its MissSchedule warning follows the failed creates, not a late look at the time.", tried, until), append(evidence, miss...)...)
	case suspendedSince && (end.IsZero() || now.Before(end)):
		unknown(fmt.Sprintf("Not run so far: %s; the CronJob was suspended at %s (spec.suspend was last written by %s) and still is, and a suspended CronJob gets no retries: only a resume before %s would try again.", tried, suspendWritten.UTC().Format(time.RFC3339), manager, until),
			"spec.suspend is true")
	case end.IsZero() || now.Before(end):
		unknown(fmt.Sprintf("Not run so far: %s; it retries with a backoff until %s, so a later attempt may still create it.", tried, until))
	case f.jobsUnknown:
		unknown(fmt.Sprintf("Cannot tell: %s, but a retry may have run it: the CronJob's Jobs could not be read.", tried))
	default:
		if why, gone := f.jobMayBeGone(t, now); gone {
			unknown(fmt.Sprintf("Cannot tell: %s, but a retry may have run it, and its Job would have been deleted since (%s).", tried, why))
			return
		}
		if suspendedSince {
			r.skipped("createFailed", fmt.Sprintf("Skipped: %s; its retries stopped when the CronJob was suspended at %s (spec.suspend was last written by %s), and it created no Job for this time.", tried, suspendWritten.UTC().Format(time.RFC3339), manager), append(evidence, "spec.suspend is true")...)
			return
		}
		r.skipped("createFailed", fmt.Sprintf("Skipped: %s; it retried until %s and created no Job for this time.", tried, until), evidence...)
	}
}

// zoneContradicted returns the latest scheduled Job of a CronJob without
// spec.timeZone (nor a zone in its schedule), and its scheduled time, when
// that time is not a time of the schedule in sched's zone: the controller
// evaluated the schedule in another zone than the one assumed (0 9 * * * in
// Europe/Berlin runs at 08:00Z in winter, no time of it in UTC). The
// batch.kubernetes.io/cronjob-scheduled-timestamp annotation does not show
// the zone by its offset: for a CronJob without spec.timeZone both stock
// kube-controller-manager and steadycron write it in UTC
// (time.LoadLocation("")), whatever zone they run in. Only the latest Job
// counts, and only when neither spec.schedule nor spec.timeZone was written
// after its creation and its scheduled timestamp is in UTC: older ones may
// come from an earlier schedule or from before spec.timeZone was removed (a
// removed field leaves no trace in metadata.managedFields), when the
// controller used the zone it named, and wrote its offset.
func (f *facts) zoneContradicted(sched *schedule) (*batchv1.Job, time.Time) {
	if f.cj.Spec.TimeZone != nil || strings.Contains(f.cj.Spec.Schedule, "TZ=") {
		return nil, time.Time{}
	}
	var latest *batchv1.Job
	var latestTS time.Time
	for i := range f.jobs {
		ts, ok := f.scheduledTimeOf(&f.jobs[i])
		if !ok || (latest != nil && !ts.After(latestTS)) {
			continue
		}
		latest, latestTS = &f.jobs[i], ts
	}
	// Either controller's times: the stock controller runs a time the
	// clocks repeat twice, steadycron a time they skip at the change.
	if latest == nil || sched.isTime(latestTS) || sched.asStock(true).isTime(latestTS) {
		return nil, time.Time{}
	}
	if _, written := managedAt(f.cj, "schedule", "timeZone"); written.After(latest.CreationTimestamp.Time) {
		return nil, time.Time{}
	}
	// A scheduled timestamp with another offset than UTC's was written for
	// a CronJob with spec.timeZone (removed since, by a manager that left no
	// trace in managedFields): the Job shows that zone, not the controller's.
	if ts, err := time.Parse(time.RFC3339, latest.Annotations[batchv1.CronJobScheduledTimestampAnnotation]); err == nil {
		if _, off := ts.Zone(); off != 0 {
			return nil, time.Time{}
		}
	}
	return latest, latestTS
}

// zoneContradiction says what zoneContradicted finds, or "" when it finds
// nothing: why, status, next NAME and lint say it in these words.
func (f *facts) zoneContradiction(sched *schedule) string {
	j, ts := f.zoneContradicted(sched)
	if j == nil {
		return ""
	}
	return fmt.Sprintf("the CronJob has no spec.timeZone, so the controller evaluates its schedule in its own time zone, taken to be %s (--controller-time-zone), but the latest scheduled Job, %s, is for %s, which is not a time of %q in %s: the controller's zone is another",
		sched.zone(), j.Name, ts.In(sched.loc).Format(time.RFC3339), f.cj.Spec.Schedule, sched.zone())
}

// springGap returns the instant of the spring change of loc's clocks whose
// gap holds t's wall-clock time read with t's own UTC offset (2027-03-14
// 02:30 -05:00 in America/New_York, where clocks went from 02:00 to 03:00),
// when that offset is loc's before the change and not loc's at t: the wall
// time the caller means does not exist in loc. A time with another offset
// (02:30Z) is an instant, whatever its wall time.
func springGap(loc *time.Location, t time.Time) (time.Time, bool) {
	_, askOff := t.Zone()
	if _, off := t.In(loc).Zone(); off == askOff {
		return time.Time{}, false
	}
	wall := t.UTC().Add(time.Duration(askOff) * time.Second)
	start, end := t.In(loc).ZoneBounds()
	for _, change := range []time.Time{start, end} {
		if change.IsZero() {
			continue
		}
		_, before := change.Add(-time.Nanosecond).In(loc).Zone()
		_, after := change.In(loc).Zone()
		// Only loc's own offset before the change says that t is a wall
		// time of loc: 02:30Z is an instant, not 02:30 in New York.
		if after <= before || before != askOff {
			continue
		}
		from, to := change.Add(time.Duration(before)*time.Second), change.Add(time.Duration(after)*time.Second)
		if !wall.Before(from) && wall.Before(to) {
			return change, true
		}
	}
	return time.Time{}, false
}

// wallBefore is the wall-clock time that loc's clocks showed when they
// reached change, before they were set (02:00 for a change from 02:00 to
// 03:00), as a time in UTC whose fields are that wall time.
func wallBefore(loc *time.Location, change time.Time) time.Time {
	_, before := change.Add(-time.Nanosecond).In(loc).Zone()
	return change.UTC().Add(time.Duration(before) * time.Second)
}

// firstOccurrence returns the first occurrence of t's wall-clock time in loc
// when t is the second one (clocks went back over it that day).
func firstOccurrence(loc *time.Location, t time.Time) (time.Time, bool) {
	start, _ := t.In(loc).ZoneBounds()
	if start.IsZero() {
		return time.Time{}, false
	}
	_, offBefore := start.Add(-time.Nanosecond).In(loc).Zone()
	_, offAfter := start.In(loc).Zone()
	if offBefore <= offAfter {
		return time.Time{}, false
	}
	first := t.Add(-time.Duration(offBefore-offAfter) * time.Second)
	if !first.Before(start) || first.In(loc).Format("2006-01-02 15:04:05") != t.In(loc).Format("2006-01-02 15:04:05") {
		return time.Time{}, false
	}
	return first, true
}

// neverRunTimes is how many scheduled times, all past lateCreation, a
// CronJob must have had without any sign of a controller for why to say
// that no controller runs it.
const neverRunTimes = 2

// neverRun tells whether nothing shows that a controller ever ran the
// CronJob, and how many scheduled times ("100 or more") came since its
// creation: it has no status.lastScheduleTime, no Job but manual ones, no
// event, and steadycron's Lease is not found, while at least neverRunTimes
// times came more than lateCreation ago. Facts that could not be read are
// no such absence.
func (f *facts) neverRun(sched *schedule, now time.Time) (string, bool) {
	if f.cj.Status.LastScheduleTime != nil || f.jobsUnknown || f.eventsUnknown || len(f.events) > 0 || f.lease != nil || f.leaseUnknown {
		return "", false
	}
	for i := range f.jobs {
		if !f.isManual(&f.jobs[i]) {
			return "", false
		}
	}
	const limit = 100
	times := sched.between(sched.earliest(), now.Add(-lateCreation), limit)
	switch {
	case len(times) < neverRunTimes:
		return "", false
	case len(times) == limit:
		return fmt.Sprintf("%d or more", limit), true
	}
	return strconv.Itoa(len(times)), true
}

// leaseExpiredBefore tells whether steadycron's Lease, as read, had expired
// before t: renewed last more than its leaseDurationSeconds (15 s when unset)
// before t. A Lease renewed before t but within its duration was still held.
// It is false too when a Job of the CronJob was created after the Lease
// expired: another controller (kube-controller-manager's, after steadycron
// was removed and left its Lease) runs the CronJob, so the Lease does not
// show that no controller was leading.
func (f *facts) leaseExpiredBefore(t time.Time) bool {
	if f.lease == nil || f.lease.Spec.RenewTime == nil {
		return false
	}
	if f.otherControllerSinceLeaseExpired() {
		return false
	}
	return f.lease.Spec.RenewTime.Add(leaseDuration(f.lease)).Before(t)
}

// ranAs fills in the verdict for scheduled time t that Job j ran, or, when
// j is a re-creation of the time's Job (recreation), that the Job the
// controller created ran (ranBeforeRerun).
func (f *facts) ranAs(r *Why, sched *schedule, j *batchv1.Job, t time.Time) {
	if shown := f.recreation(j); shown != "" {
		f.ranBeforeRerun(r, j, shown)
		return
	}
	run := f.run(sched, j)
	r.Run = &run
	r.Verdict = VerdictRan
	if _, done := jobFinished(j); !done {
		r.Verdict = VerdictRunning
	}
	late := j.CreationTimestamp.Sub(t).Round(time.Millisecond)
	if late < 0 {
		r.Explanation = fmt.Sprintf("Ran as Job %s, created %s before the scheduled time by the API server's clock (the controller's clock was ahead of it); %s.", j.Name, -late, runPhrase(run))
		r.Evidence = append(r.Evidence, f.eventsNaming(j.Name, "JobCreatedEarly")...)
	} else {
		r.Explanation = fmt.Sprintf("Ran as Job %s, created %s after the scheduled time; %s.", j.Name, late, runPhrase(run))
	}
	if run.StartDelay != "" {
		r.Explanation += fmt.Sprintf(" Its app container first ran at %s: a start delay of %s.", run.FirstRunning, run.StartDelay)
	}
	if run.Result == "Suspended" {
		r.Explanation += " The Job's spec.suspend is true: it starts no pod until something resumes it, such as a queue controller (Kueue) admitting it."
		r.Evidence = append(r.Evidence, fmt.Sprintf("Job %s has spec.suspend true", j.Name))
	}
	if late <= lateCreation {
		return
	}
	cause, evidence := f.lateCause(sched, j, t)
	if cause == "" {
		cause = " It was created late: was a controller leading at the scheduled time, or was the Job re-created under its name since (kubectl replace --force keeps the name and the annotations)?"
	}
	r.Explanation += cause
	r.Evidence = append(r.Evidence, evidence...)
}

// ranBeforeRerun fills in the verdict for the scheduled time whose Job's
// name Job j holds as a re-creation (shown says what shows it: recreation):
// the time ran as the Job the controller created, whose end only the
// controller's events from before j's creation tell (SawCompletedJob); j is
// a rerun, and neither its state nor its creation says anything of the
// time's run.
func (f *facts) ranBeforeRerun(r *Why, j *batchv1.Job, shown string) {
	tr := f.traceJob(j.Name).before(j.CreationTimestamp.Time)
	r.Verdict, r.Run = VerdictRan, nil
	created := "the Job the controller created for it"
	if tr.created != nil {
		created = fmt.Sprintf("the Job the controller created for it at %s (its SuccessfulCreate)", eventFirst(*tr.created).UTC().Format(time.RFC3339))
	}
	r.Explanation = fmt.Sprintf("Ran as %s, under the name %s. %s The Job %s there now is another Job of that name, created at %s (%s): a re-creation under the time's name (kubectl replace --force deletes a Job and creates it again with the same name, annotations and ownerReferences and a new UID, the usual way to re-run a failed Job with a changed template), a rerun whose state (%s) is not the time's result, and whose creation says nothing of when the time ran.",
		created, j.Name, tr.resultText(), j.Name, j.CreationTimestamp.UTC().Format(time.RFC3339), shown, resultPhrase(jobResult(j)))
	r.Evidence = append(tr.evidence(), fmt.Sprintf("Job %s (UID %s) was created at %s and %s", j.Name, j.UID, j.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(j)))
}

// recreation says what shows that Job j, under the name of its scheduled
// time's Job, is not the Job the controller created for that time but one
// created again under the name since (kubectl replace --force: the same
// name, annotations and ownerReferences, a new UID), or "" when nothing
// does: the controller's SuccessfulCreate of the name, last seen more than
// lateCreation before j's creation (the controller records it as it
// creates the Job), or an entry of status.active with the name and another
// UID (the controller wrote it with the UID of the Job it created). Neither
// controller creates a Job of the name again once it exists (a later Job of
// the minute, @every under a minute, comes after the first is gone, and its
// SuccessfulCreate is a later sighting).
func (f *facts) recreation(j *batchv1.Job) string {
	if tr := f.traceJob(j.Name); tr.created != nil {
		if seen := eventLast(*tr.created); seen.Before(j.CreationTimestamp.Add(-lateCreation)) {
			return fmt.Sprintf("%s after the controller's SuccessfulCreate of the name, last seen at %s", shortDuration(j.CreationTimestamp.Sub(seen).Round(time.Second)), seen.UTC().Format(time.RFC3339))
		}
	}
	for _, a := range f.cj.Status.Active {
		if a.Name == j.Name && a.UID != "" && a.UID != j.UID {
			return fmt.Sprintf("status.active names Job %s with UID %s, the Job the controller created, and this one has UID %s", a.Name, a.UID, j.UID)
		}
	}
	return ""
}

// lateCause says why Job j of scheduled time t, created more than
// lateCreation after it, was created late, as far as the facts tell: Forbid
// held the time, the API server refused its create until then, a resume, or
// a change of leader; "" when nothing on record explains it.
func (f *facts) lateCause(sched *schedule, j *batchv1.Job, t time.Time) (text string, evidence []string) {
	// Forbid held the time and the controller ran it when the blocking Job
	// ended: its JobAlreadyActive event of the time says so.
	next, _ := sched.after(t)
	if ev, definite := f.forbidCovering(t, next); ev != nil && definite {
		evidence = append(evidence, describeEvent(*ev))
		if b := f.runningAt(sched, t, j.CreationTimestamp.Time); b != nil && b != j {
			evidence = append(evidence, fmt.Sprintf("Job %s was created at %s and %s", b.Name, b.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(b)))
			return fmt.Sprintf(" It was created late because concurrencyPolicy is Forbid and Job %s was still running at the scheduled time (the controller's JobAlreadyActive event); the controller ran this time when that Job ended.", b.Name), evidence
		} else if name, created := f.blockerFromEvents(t); name != "" {
			return fmt.Sprintf(" It was created late because concurrencyPolicy is Forbid and Job %s (created %s, deleted since) was still running at the scheduled time (the controller's JobAlreadyActive event); the controller ran this time when that Job ended.", name, created.UTC().Format(time.RFC3339)), evidence
		}
		return " It was created late because concurrencyPolicy is Forbid and a Job of the CronJob was still running at the scheduled time (the controller's JobAlreadyActive event); the controller ran this time when that Job ended.", evidence
	}
	// The API server refused the Job's create until then: the controller's
	// FailedCreate warnings name it, seen from the time up to its creation,
	// and its retry created it.
	var refused []corev1.Event
	for _, e := range f.events {
		if e.Reason == "FailedCreate" && strings.Contains(e.Message, strconv.Quote(j.Name)) &&
			!eventLast(e).Before(t.Truncate(time.Second)) && !eventFirst(e).After(j.CreationTimestamp.Time) {
			refused = append(refused, e)
		}
	}
	if len(refused) > 0 {
		var attempts int32
		latest := refused[0]
		for _, e := range refused {
			attempts += eventCount(e)
			if eventLast(e).After(eventLast(latest)) {
				latest = e
			}
			evidence = append(evidence, describeEvent(e))
		}
		return fmt.Sprintf(" It was created late because the API server refused its create until then: the controller's %d FailedCreate warning(s), the last at %s (%q), and its retry created it.",
			attempts, eventLast(latest).UTC().Format(time.RFC3339), eventMessage(latest)), evidence
	}
	// The events are gone; the objects left may still say why.
	created := j.CreationTimestamp.Time
	if f.cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent {
		if b := f.runningAt(sched, t, created); b != nil && b != j {
			if ended, done := jobFinished(b); done && !ended.After(created) && created.Sub(ended) <= lateExplained {
				return fmt.Sprintf(" It was most likely created late because concurrencyPolicy is Forbid and Job %s was running at the scheduled time: it ended at %s, when this Job was created, and the controller runs a time it held late when the blocking Job ends.", b.Name, ended.UTC().Format(time.RFC3339)),
					[]string{fmt.Sprintf("Job %s was created at %s and %s", b.Name, b.CreationTimestamp.UTC().Format(time.RFC3339), finishedText(b))}
			}
		}
	}
	if manager, written := managedAt(f.cj, "suspend"); written.After(t) && !written.After(created) && created.Sub(written) <= lateExplained {
		return fmt.Sprintf(" It was most likely created late because the CronJob was suspended at the scheduled time: spec.suspend was last written by %s at %s, when this Job was created, and a resume runs the most recent missed time.", manager, written.UTC().Format(time.RFC3339)),
			[]string{fmt.Sprintf("spec.suspend was last written by %s at %s (metadata.managedFields)", manager, written.UTC().Format(time.RFC3339))}
	}
	// A leader that took steadycron's Lease after the time syncs every
	// CronJob as it starts: the Lease's acquireTime shows the latest change.
	if l := f.lease; l != nil && l.Spec.AcquireTime != nil && l.Spec.HolderIdentity != nil {
		if acquired := l.Spec.AcquireTime.Time; acquired.After(t) && !acquired.After(created) && created.Sub(acquired) <= lateExplained {
			return fmt.Sprintf(" It was most likely created late because of a change of leader: %s acquired steadycron's Lease at %s, after the scheduled time, when the Job was created; a new leader syncs every CronJob as it takes over, and no controller ran the time before.",
					*l.Spec.HolderIdentity, acquired.UTC().Format(time.RFC3339)),
				[]string{fmt.Sprintf("Lease %s/%s: holder %s, acquireTime %s, leaseTransitions %d", l.Namespace, l.Name, *l.Spec.HolderIdentity, acquired.UTC().Format(time.RFC3339), ptr.Deref(l.Spec.LeaseTransitions, 0))}
		}
	}
	return "", nil
}

// runPhrase is resultPhrase of run's result, with how the app container of a
// failed run ended (a pending run's pods are explained by podsNotRunning).
func runPhrase(run Run) string {
	if strings.HasPrefix(run.Result, "Failed") {
		return resultPhrase(resultText(run))
	}
	return resultPhrase(run.Result)
}

// resultPhrase is a Job's result (jobResult) as words in a sentence: the
// result's first word in lower case, its reason as the Job has it
// ("failed (DeadlineExceeded)"), and what a condition before the end means.
func resultPhrase(result string) string {
	switch {
	case strings.HasPrefix(result, "FailureTarget"):
		return "not finished: it has the condition " + result + ", so it has failed and its pods are being stopped; it counts as active until it is Failed"
	case result == "SuccessCriteriaMet":
		return "not finished: it has the condition SuccessCriteriaMet, so it has succeeded and its remaining pods are being stopped; it counts as active until it is Complete"
	case result == "Terminating":
		return "being deleted (its pods are stopping); it counts as active while it is in status.active"
	}
	word, rest, _ := strings.Cut(result, " ")
	if rest != "" {
		rest = " " + rest
	}
	return strings.ToLower(word) + rest
}

// lateExplained is how soon after the end of a blocking Job, or a write of
// spec.suspend, a late Job must be created for why to take it as the cause:
// the controller syncs the CronJob on the Job's update, or the CronJob's.
const lateExplained = 10 * time.Second

// noteClock adds what the controller said of a clock ahead: a
// status.lastScheduleTime later than now (FutureLastScheduleTime).
func (f *facts) noteClock(r *Why, sched *schedule, now time.Time) {
	ls := f.cj.Status.LastScheduleTime
	if ls == nil || !ls.After(now) || r.Reason == "clockAhead" {
		return
	}
	r.Explanation += fmt.Sprintf(" status.lastScheduleTime (%s) is later than now: a controller whose clock was ahead wrote it; the controller starts no Job before the first scheduled time after it, unless it takes it for a clock jump (its FutureLastScheduleTime warning says which).",
		ls.In(sched.loc).Format(time.RFC3339))
	r.Evidence = append(r.Evidence, f.eventEvidence("FutureLastScheduleTime")...)
}

// eventsNaming describes the events of reason whose message names the Job.
func (f *facts) eventsNaming(job, reason string) []string {
	var out []string
	for _, e := range f.events {
		if e.Reason == reason && strings.Contains(e.Message, "Job "+job+" ") {
			out = append(out, describeEvent(e))
		}
	}
	return out
}

func sameMinute(a, b time.Time) bool {
	return a.Truncate(time.Minute).Equal(b.Truncate(time.Minute))
}

// unknown says that the time did not run as far as the facts read show, but
// that why cannot be told: what could not be read is in r.Missing.
func (r *Why) unknown(cj *batchv1.CronJob, t time.Time, cannot string) {
	r.Verdict = VerdictUnknown
	r.Explanation = "Cannot tell: " + cannot + " (see missing facts)."
	if ls := cj.Status.LastScheduleTime; ls != nil && ls.Time.Before(t) {
		r.Explanation += " status.lastScheduleTime is before this time, so the controller has not started it."
	}
	r.Evidence = []string{lastScheduleEvidence(cj)}
}

// noEventText is " and no event", or nothing when the events could not be
// read.
func noEventText(f *facts) string {
	if f.eventsUnknown {
		return ""
	}
	return " and no event"
}

func (r *Why) skipped(reason, explanation string, evidence ...string) {
	r.Verdict, r.Reason, r.Explanation = VerdictSkipped, reason, explanation
	for _, e := range evidence {
		if e != "" {
			r.Evidence = append(r.Evidence, e)
		}
	}
}

func ptrInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func lastScheduleEvidence(cj *batchv1.CronJob) string {
	if cj.Status.LastScheduleTime == nil {
		return "status.lastScheduleTime is not set"
	}
	return "status.lastScheduleTime is " + cj.Status.LastScheduleTime.UTC().Format(time.RFC3339)
}

func finishedText(j *batchv1.Job) string {
	if t, ok := jobFinished(j); ok {
		return "finished at " + t.UTC().Format(time.RFC3339)
	}
	return "is still running"
}

// runningAt returns a Job of the CronJob that was running at t, and that the
// controller counts as active: a Job made by hand (kubectl create job --from,
// kubectl cronjob run), or one re-created under a time's name (kubectl
// replace --force), only when steadycron ran the CronJob at t
// (stockControllerAt).
// The stock controller never adds one to status.active (stockLeavesOut), so
// Forbid does not wait for it.
func (f *facts) runningAt(sched *schedule, t, now time.Time) *batchv1.Job {
	stock := f.stockControllerAt(sched, t)
	for i := range f.jobs {
		j := &f.jobs[i]
		if stock && f.stockLeavesOut(j) {
			continue
		}
		end, ok := jobFinished(j)
		if !ok {
			end = now
		}
		if !j.CreationTimestamp.After(t) && end.After(t) {
			return j
		}
	}
	return nil
}

// stockLeavesOut tells whether the stock CronJob controller leaves Job j of
// the CronJob out of status.active, and so out of what Forbid waits for and
// Replace deletes: a Job made by hand (it records UnexpectedJob), or one
// re-created under the name of a time's Job (recreation), whose UID is not
// the one it wrote in status.active. steadycron adopts both (AdoptedJob).
func (f *facts) stockLeavesOut(j *batchv1.Job) bool {
	return f.isManual(j) || f.recreation(j) != ""
}

// lateUnexplained tells how late Job j was created after its scheduled
// time, when it was created more than lateCreation after it and nothing on
// record explains it (lateCause): a controller that came late (a catch-up),
// or a re-creation under the time's name whose SuccessfulCreate, which
// would show it (recreation), has expired.
func (f *facts) lateUnexplained(sched *schedule, j *batchv1.Job) (time.Duration, bool) {
	s, ok := f.scheduledTimeOf(j)
	if !ok {
		return 0, false
	}
	late := j.CreationTimestamp.Sub(s)
	if late <= lateCreation {
		return 0, false
	}
	cause, _ := f.lateCause(sched, j, s)
	return late, cause == ""
}

// stockController tells whether the stock CronJob controller, not
// steadycron, runs the CronJob: steadycron's Lease is not found, or a Job
// of the CronJob was created, or a controller recorded a decision about it,
// after the Lease expired, and the latest scheduled Job has no
// steadycron.io/expected-start (steadycronWithoutLease); or the Lease
// could not be read and the latest scheduled Job has none.
func (f *facts) stockController() bool {
	switch {
	case f.leaseUnknown:
		latest := f.latestScheduledJob()
		return latest != nil && !f.madeBySteadycron(latest)
	case f.steadycronWithoutLease():
		return false
	case f.lease == nil:
		return true
	}
	return f.otherControllerSinceLeaseExpired()
}

// stockSkipNote adds to the answer about the latest time of a CronJob the
// stock controller runs the times after it and before ask that steadycron
// has and the stock controller does not (schedule.stockSkipped): a fixed
// time the clocks skipped, which steadycron runs right after the change, or
// one robfig/cron's chain steps over after a change by 30 minutes (the
// question of the day of the change: "why did my cron not run today?").
func stockSkipNote(r *Why, stock *schedule, ask time.Time) {
	if r.Scheduled == nil {
		return
	}
	t, err := time.Parse(time.RFC3339, r.Scheduled.UTC)
	if err != nil {
		return
	}
	x, atChange, ok := stock.stockSkipped(t, ask)
	switch {
	case !ok:
	case atChange:
		r.Explanation += fmt.Sprintf(" On %s the clocks went forward over the schedule's time, and the stock CronJob controller, which runs this CronJob, never runs a fixed time the clocks skip (kubernetes/kubernetes#121594): nothing ran that day (steadycron runs such a time right after the change, %s).",
			x.In(stock.loc).Format(time.DateOnly), x.In(stock.loc).Format(time.RFC3339))
	default:
		r.Explanation += fmt.Sprintf(" The stock CronJob controller, which runs this CronJob, did not run %s: %s.", x.In(stock.loc).Format(time.RFC3339), stock.offHourText(x))
	}
}

// stockTimes tells whether the CronJob's times are the stock controller's
// (schedule.asStock): stockController, on evidence of it, a Job a
// controller made without steadycron.io/expected-start or steadycron's
// Lease; with neither (a CronJob that never ran and no Lease), the
// controller is not known, and the times are steadycron's.
func (f *facts) stockTimes() bool {
	if !f.stockController() {
		return false
	}
	if f.lease != nil {
		return true
	}
	for i := range f.jobs {
		if !f.isManual(&f.jobs[i]) {
			return true
		}
	}
	return false
}

// stockAt tells whether the stock CronJob controller made, or makes, the
// Job of the scheduled time in t's minute of s: the Jobs show it
// (stockByJobsAt) whichever runs the CronJob now; otherwise the controller
// that runs it now (stockTimes).
func (f *facts) stockAt(s *schedule, t time.Time) bool {
	if stock, ok := f.stockByJobsAt(s, t); ok {
		return stock
	}
	return f.stockTimes()
}

// stockControllerAt tells whether the stock CronJob controller ran the
// CronJob at scheduled time t of s, for what it counts as a time's Job or as
// active (a Job made by hand): stockByJobsAt, else stockController.
func (f *facts) stockControllerAt(s *schedule, t time.Time) bool {
	if stock, ok := f.stockByJobsAt(s, t); ok {
		return stock
	}
	return f.stockController()
}

// stockByJobsAt tells whether the Jobs show that the stock CronJob
// controller, not steadycron, ran the CronJob at the scheduled time of s in
// t's minute, and whether they show it: a Job a controller made for the time
// shows which by steadycron.io/expected-start (madeBySteadycron), whichever
// runs the CronJob now (a CronJob steadycron ran before the stock
// controller, or after it), except at a change of the clocks that skipped a
// fixed time of the schedule: the stock controller never runs one
// (stockSkipped), so a Job of it without the annotation is steadycron's, a
// version that did not write it. Without a Job of the time (deleted, or one
// made by hand under its name), the scheduled Jobs just before and after t
// show the controller that ran the CronJob then, when both were made by the
// same.
func (f *facts) stockByJobsAt(s *schedule, t time.Time) (stock, ok bool) {
	if j, st := f.jobAt(t); j != nil && !f.isManual(j) {
		if x, atChange, skipped := s.asStock(true).stockSkipped(st.Add(-time.Minute), st); skipped && atChange && x.Equal(st) {
			return false, true
		}
		return !f.madeBySteadycron(j), true
	}
	if before, after := f.scheduledAround(t); before != nil && after != nil && f.madeBySteadycron(before) == f.madeBySteadycron(after) {
		return !f.madeBySteadycron(before), true
	}
	return false, false
}

// scheduledAround returns the Jobs a controller made (not by hand) for the
// scheduled times just before and just after t's minute, nil where none.
func (f *facts) scheduledAround(t time.Time) (before, after *batchv1.Job) {
	m := t.Truncate(time.Minute)
	var beforeTime, afterTime time.Time
	for i := range f.jobs {
		j := &f.jobs[i]
		s, ok := f.scheduledTimeOf(j)
		if !ok || f.isManual(j) {
			continue
		}
		switch s = s.Truncate(time.Minute); {
		case s.Before(m) && (before == nil || s.After(beforeTime)):
			before, beforeTime = j, s
		case s.After(m) && (after == nil || s.Before(afterTime)):
			after, afterTime = j, s
		}
	}
	return before, after
}

// laterRun returns the first scheduled run after t.
func (f *facts) laterRun(t time.Time) *batchv1.Job {
	var best *batchv1.Job
	var bestTime time.Time
	for i := range f.jobs {
		if s, ok := f.scheduledTimeOf(&f.jobs[i]); ok && s.After(t) && (best == nil || s.Before(bestTime)) {
			best, bestTime = &f.jobs[i], s
		}
	}
	return best
}

// eventMatching returns an event of one of reason whose message contains text.
func (f *facts) eventMatching(_ time.Time, reason, text string) *corev1.Event {
	for i := range f.events {
		if f.events[i].Reason == reason && strings.Contains(f.events[i].Message, text) {
			return &f.events[i]
		}
	}
	return nil
}

// missScheduleUpTo finds the time in the MissSchedule warnings of steadycron's
// controller ("Missed 3 scheduled times up to 2026-11-29T02:30:00Z: ...").
var missScheduleUpTo = regexp.MustCompile(`^Missed .* up to (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ): `)

// missScheduleCovering returns the MissSchedule warning of steadycron's
// controller that covers scheduled time t, seen at or after t: one that says
// a deadline of 0 never runs, or one whose missed times include t: it names
// how many times it covers and the last of them ("Missed 3 scheduled times up
// to 2026-11-29T02:30:00Z"), so it covers t when t is at or before that last
// time and no more than that many times of the schedule lie from t to it. A
// warning of more than 100 times covers every time up to its last. catchUp
// tells a catch-up's warning (the times it jumped over) from a deadline's.
// The stock controller's message has another form (see eventMatching's
// caller).
func (f *facts) missScheduleCovering(s *schedule, t time.Time) (ev *corev1.Event, catchUp bool) {
	for i := range f.events {
		e := &f.events[i]
		if e.Reason != "MissSchedule" || eventLast(*e).Before(t) {
			continue
		}
		if strings.HasPrefix(e.Message, "startingDeadlineSeconds is 0") {
			return e, false
		}
		m := missScheduleUpTo.FindStringSubmatch(e.Message)
		if m == nil {
			continue
		}
		upTo, err := time.Parse(time.RFC3339, m[1])
		n, ok := missedCount(e.Message)
		if err != nil || !ok || upTo.Before(t) {
			continue
		}
		if n >= 0 && len(s.between(t.Add(-time.Second), upTo, n+1)) > n {
			continue // the warning is about later times only
		}
		return e, strings.Contains(e.Message, "a catch-up starts only")
	}
	return nil, false
}

// eventEvidence describes the CronJob's events of the given reasons, whenever
// they were seen: the warnings it cites are about the CronJob, not about a
// scheduled time (the verdicts about a time pick their events themselves,
// from the time up to the next one).
func (f *facts) eventEvidence(reasons ...string) []string {
	var out []string
	for _, e := range f.events {
		if slices.Contains(reasons, e.Reason) {
			out = append(out, describeEvent(e))
		}
	}
	return out
}

func describeEvent(e corev1.Event) string {
	s := fmt.Sprintf("event %s %s: %q", e.Type, e.Reason, e.Message)
	if n := eventCount(e); n > 1 {
		return s + fmt.Sprintf(" (%d times, %s to %s)", n, eventFirst(e).UTC().Format(time.RFC3339), eventLast(e).UTC().Format(time.RFC3339))
	}
	return s + " at " + eventLast(e).UTC().Format(time.RFC3339)
}

// domDowBoth reports whether a five-field schedule restricts both the day of
// the month and the day of the week, where cron runs on days matching either.
func domDowBoth(schedule string) bool {
	fields := strings.Fields(schedule)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "TZ=") || len(fields) > 0 && strings.HasPrefix(fields[0], "CRON_TZ=") {
		fields = fields[1:]
	}
	if len(fields) != 5 {
		return false
	}
	return restrictedField(fields[2]) && restrictedField(fields[4])
}

// restrictedField reports whether a day field restricts the days as
// robfig/cron (the controller's parser) and cron(8) read it: a field that
// starts with * or ? with a step of 1 ("*", "?", "*/1"), alone or in a list,
// leaves it unrestricted, so that the other day field alone decides; "*/2"
// restricts.
func restrictedField(field string) bool {
	for _, part := range strings.Split(field, ",") {
		rangeAndStep := strings.Split(part, "/")
		if rangeAndStep[0] != "*" && rangeAndStep[0] != "?" {
			continue
		}
		if len(rangeAndStep) == 1 {
			return false
		}
		if step, err := strconv.Atoi(rangeAndStep[1]); err == nil && step == 1 {
			return false
		}
	}
	return true
}

func (o *Options) printWhy(r *Why) error {
	if done, err := o.printObject(r, o.Out); done {
		return err
	}
	w := printers.GetNewTabWriter(o.Out)
	fmt.Fprintf(w, "CronJob:\t%s\n", r.CronJob)
	if r.Scheduled != nil {
		fmt.Fprintf(w, "Scheduled time:\t%s (UTC %s)\n", r.Scheduled.Time, r.Scheduled.UTC)
	} else {
		fmt.Fprintf(w, "Asked about:\t%s\n", r.At)
	}
	verdict := r.Verdict
	if r.Reason != "" {
		verdict += " (" + r.Reason + ")"
	}
	fmt.Fprintf(w, "Verdict:\t%s\n", verdict)
	fmt.Fprintf(w, "Why:\t%s\n", r.Explanation)
	writeList(w, "Nearest", nearestText(r.Nearest))
	writeList(w, "Evidence", r.Evidence)
	fmt.Fprintf(w, "Controller:\t%s\n", controllerText(r.Controller))
	writeList(w, "Missing facts", r.Missing)
	return w.Flush()
}

func nearestText(times []ScheduledTime) []string {
	var out []string
	for _, t := range times {
		out = append(out, fmt.Sprintf("%s: %s (UTC %s)", t.Note, t.Time, t.UTC))
	}
	return out
}

func writeList(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "  - %s\n", it)
	}
}

func controllerText(c Controller) string {
	if c.Holder == "" {
		return fmt.Sprintf("Lease %s: %s", c.Lease, c.Note)
	}
	s := fmt.Sprintf("Lease %s held by %s, renewed %s", c.Lease, c.Holder, c.RenewTime)
	if c.Leading != nil && !*c.Leading {
		// An expired Lease names its last holder, which holds it no more.
		s = fmt.Sprintf("Lease %s expired: its last holder, %s, renewed it %s", c.Lease, c.Holder, c.RenewTime)
	}
	if c.Note != "" {
		s += "; " + c.Note
	}
	return s
}
