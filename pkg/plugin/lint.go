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

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// Severities of lint findings; an error makes lint exit non-zero.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

const (
	// shortDeadline is the starting deadline below which a controller that
	// is a few seconds late (a restart, a leader change, a burst) skips runs.
	shortDeadline = 10
	// longSuspend is how long a CronJob may stay suspended before lint says so.
	longSuspend = 7 * 24 * time.Hour
	// crowdedMinute is how many CronJobs due in the same minute lint reports:
	// kube-controller-manager's CronJob controller at its default client
	// budget (QPS 20, burst 30) creates about 8.6 Jobs a second
	// (docs/benchmarks.md), so with 10 the last Job comes over a second late,
	// and later the more there are.
	crowdedMinute = 10
	// legacyNameLength is the longest CronJob name the API server accepts
	// today: the Job's name adds 11 characters and must stay within 63.
	legacyNameLength = 52
	// maxJobNameLength is the longest name of a Job the controller can
	// create: the name is also the value of its job-name label.
	maxJobNameLength = 63
)

func newLintCommand(o *Options) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "lint [NAME | -A]",
		Short: "The risks a CronJob runs into, each with what happens and how to fix it; exits non-zero on errors",
		Long: `lint lists the risks of a CronJob, of the namespace's CronJobs, or (-A) of the cluster's:
each finding has a severity (error, warning, info), what happens and how to fix it. It exits
non-zero when a finding is an error, for CI. Without findings it prints "No findings in N
CronJob(s)." to stderr, as kubectl get prints "No resources found". The crowded-minute check counts, among the namespace's CronJobs (the cluster's
with -A, the namespace's also for lint NAME), those due in the same minute of the next 24
hours, and reports each of them from 10 on.`,
		Example: `  kubectl cronjob lint backup
  kubectl cronjob lint            # every CronJob of the namespace
  kubectl cronjob lint -A         # every CronJob of the cluster`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			report, err := o.lint(cmd.Context(), name, all)
			if err != nil {
				return err
			}
			if err := o.printLint(report); err != nil {
				return err
			}
			if n := countSeverity(report.Findings, SeverityError); n > 0 {
				return fmt.Errorf("%d error finding(s)", n)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&all, "all-namespaces", "A", false, "Lint the CronJobs of every namespace.")
	return cmd
}

func countSeverity(findings []Finding, severity string) int {
	n := 0
	for _, f := range findings {
		if f.Severity == severity {
			n++
		}
	}
	return n
}

func (o *Options) lint(ctx context.Context, name string, all bool) (*LintReport, error) {
	if all && name != "" {
		return nil, fmt.Errorf("give a NAME or -A, not both")
	}
	client, err := o.client()
	if err != nil {
		return nil, err
	}
	ns := metav1.NamespaceAll
	if !all {
		if ns, err = o.namespace(); err != nil {
			return nil, err
		}
	}
	report := &LintReport{Findings: []Finding{}}
	// cjs are the CronJobs linted; listed are the ones counted for the
	// same-minute check: those of the namespace (or the cluster, with -A),
	// also when one CronJob is linted.
	var cjs, listed []batchv1.CronJob
	if name != "" {
		cj, err := o.getCronJob(ctx, name)
		if err != nil {
			return nil, err
		}
		cjs = []batchv1.CronJob{*cj}
		if listed, err = listCronJobs(ctx, client, ns); err != nil {
			report.Missing = append(report.Missing, fmt.Sprintf("the other CronJobs of %s (the same-minute check counts only %s): %v", ns, cj.Name, err))
			listed = cjs
		}
	} else {
		if cjs, err = listCronJobs(ctx, client, ns); err != nil {
			return nil, fmt.Errorf("listing cronjobs: %w", err)
		}
		listed = cjs
	}
	jobs := map[string][]batchv1.Job{} // by the UID of their CronJob
	err = listEach(ctx, metav1.ListOptions{}, func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return client.BatchV1().Jobs(ns).List(ctx, opts)
	}, func(obj runtime.Object) {
		j := obj.(*batchv1.Job)
		if ref := metav1.GetControllerOf(j); ref != nil && ref.Kind == "CronJob" {
			jobs[string(ref.UID)] = append(jobs[string(ref.UID)], *j)
		}
	})
	if err != nil {
		jobs = map[string][]batchv1.Job{}
		report.Missing = append(report.Missing, fmt.Sprintf("Jobs (the forbid-longer-than-period check needs their run times): %v", err))
	}
	now := o.now()
	cache := &scheduleCache{}
	busiest := busiestMinutes(listed, now, o.ControllerTimeZone, cache)
	report.Checked = len(cjs)
	for i := range cjs {
		cj := &cjs[i]
		report.Findings = append(report.Findings, lintCronJob(cj, jobs[string(cj.UID)], now, o.ControllerTimeZone, cache)...)
		if f, ok := crowdedFinding(cj, busiest, ns); ok {
			report.Findings = append(report.Findings, f)
		}
	}
	return report, nil
}

// crowdedFinding returns the crowded-minute finding of cj, when the busiest
// minute of its times has crowdedMinute or more CronJobs of ns (all
// namespaces: metav1.NamespaceAll) due in it.
func crowdedFinding(cj *batchv1.CronJob, busiest map[string]crowd, ns string) (Finding, bool) {
	c, ok := busiest[cj.Namespace+"/"+cj.Name]
	if !ok || c.n < crowdedMinute {
		return Finding{}, false
	}
	scope := "in namespace " + ns
	if ns == metav1.NamespaceAll {
		scope = "in the cluster"
	}
	return Finding{
		CronJob: cj.Namespace + "/" + cj.Name, Severity: SeverityInfo, Check: "crowded-minute",
		What: fmt.Sprintf("%d CronJobs %s are due in the same minute, %s: their Jobs and pods are created in one burst, and the last ones start later (kube-controller-manager's default client budget creates about 8 Jobs a second)",
			c.n, scope, c.at.UTC().Format(time.RFC3339)),
		Fix: "spread the minutes (for example 7 * * * * rather than 0 * * * *) where the exact minute does not matter",
	}, true
}

// lintFindings returns the findings of `lint NAME` for cj, whose Jobs are
// jobs: lintCronJob's, and crowded-minute among the CronJobs of its
// namespace. missing says why the namespace's CronJobs could not be listed,
// if they could not (the check then counts cj alone).
func (o *Options) lintFindings(ctx context.Context, cj *batchv1.CronJob, jobs []batchv1.Job, now time.Time) (findings []Finding, missing string) {
	cache := &scheduleCache{}
	findings = lintCronJob(cj, jobs, now, o.ControllerTimeZone, cache)
	listed := []batchv1.CronJob{*cj}
	client, err := o.client()
	if err == nil {
		var all []batchv1.CronJob
		if all, err = listCronJobs(ctx, client, cj.Namespace); err == nil {
			listed = all
		}
	}
	if err != nil {
		missing = fmt.Sprintf("the other CronJobs of %s (the same-minute check counts only %s): %v", cj.Namespace, cj.Name, err)
	}
	if f, ok := crowdedFinding(cj, busiestMinutes(listed, now, o.ControllerTimeZone, cache), cj.Namespace); ok {
		findings = append(findings, f)
	}
	return findings, missing
}

// listCronJobs lists the CronJobs of ns (all namespaces: metav1.NamespaceAll)
// a page at a time.
func listCronJobs(ctx context.Context, client kubernetes.Interface, ns string) ([]batchv1.CronJob, error) {
	var cjs []batchv1.CronJob
	err := listEach(ctx, metav1.ListOptions{}, func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return client.BatchV1().CronJobs(ns).List(ctx, opts)
	}, func(obj runtime.Object) { cjs = append(cjs, *obj.(*batchv1.CronJob)) })
	if err != nil {
		return nil, err
	}
	return cjs, nil
}

// crowd is the busiest minute a CronJob is due in, and how many CronJobs are
// due then.
type crowd struct {
	at time.Time
	n  int
}

// busiestMinutes returns, by namespace/name, the minute in the 24 hours after
// now in which each CronJob is due together with the most others of cjs
// (the earliest such minute), counting each CronJob that is not suspended
// and whose schedule the controller can evaluate. Times come from the
// controller's schedule code (schedule.after). CronJobs that share a
// schedule and time zone share their times: each such group's times are
// enumerated once, so the work is the number of CronJobs plus the times that
// occur in the window per distinct schedule. An @every schedule's times count
// from each CronJob's own last run, so it forms a group with the CronJobs
// whose next time is the same.
func busiestMinutes(cjs []batchv1.CronJob, now time.Time, controllerZone string, cache *scheduleCache) map[string]crowd {
	const window = 24 * time.Hour
	type groupID struct {
		key   scheduleKey
		first time.Time // the next time, for an @every schedule
	}
	type group struct {
		members []string // namespace/name
		times   []time.Time
	}
	groups := map[groupID]*group{}
	var order []*group
	for i := range cjs {
		cj := &cjs[i]
		if cj.Spec.Suspend != nil && *cj.Spec.Suspend {
			continue
		}
		s, err := cache.parse(cj, controllerZone)
		if err != nil {
			continue
		}
		id := groupID{key: scheduleKey{s.cj.Spec.Schedule, ptrString(s.cj.Spec.TimeZone)}}
		if s.every() {
			first, ok := cronjob.NextScheduleTime(s.cj, now, s.cron)
			if !ok {
				continue
			}
			id.first = first.UTC()
		}
		g, ok := groups[id]
		if !ok {
			g = &group{}
			t, ok := id.first, !id.first.IsZero()
			if !ok {
				t, ok = s.after(now)
			}
			for ok && !t.After(now.Add(window)) {
				// A CronJob is counted once in a minute, also one with
				// times less than a minute apart (@every 10s).
				if m := t.UTC().Truncate(time.Minute); len(g.times) == 0 || !g.times[len(g.times)-1].Equal(m) {
					g.times = append(g.times, m)
				}
				t, ok = s.after(t)
			}
			groups[id] = g
			order = append(order, g)
		}
		g.members = append(g.members, cj.Namespace+"/"+cj.Name)
	}
	count := map[time.Time]int{}
	for _, g := range order {
		for _, t := range g.times {
			count[t] += len(g.members)
		}
	}
	out := map[string]crowd{}
	for _, g := range order {
		var best crowd
		for _, t := range g.times {
			if count[t] > best.n || count[t] == best.n && t.Before(best.at) {
				best = crowd{at: t, n: count[t]}
			}
		}
		for _, m := range g.members {
			out[m] = best
		}
	}
	return out
}

// lintCronJob returns the findings for one CronJob; jobs are its Jobs.
func lintCronJob(cj *batchv1.CronJob, jobs []batchv1.Job, now time.Time, controllerZone string, cache *scheduleCache) []Finding {
	name := cj.Namespace + "/" + cj.Name
	var out []Finding
	add := func(severity, check, what, fix string) {
		out = append(out, Finding{CronJob: name, Severity: severity, Check: check, What: what, Fix: fix})
	}
	spec := cj.Spec
	podSpec := spec.JobTemplate.Spec.Template.Spec

	sched, err := cache.parse(cj, controllerZone)
	legacyZone, legacy := scheduleZone(spec.Schedule)
	switch {
	case err != nil && strings.Contains(err.Error(), "invalid timeZone"):
		add(SeverityError, "unknown-time-zone", fmt.Sprintf("the controller cannot load time zone %q: it never runs this CronJob and records UnknownTimeZone warnings", ptrString(spec.TimeZone)),
			"use an IANA name such as Europe/Berlin (see the tz database)")
	case err != nil && legacy && !loadable(legacyZone):
		// robfig/cron refuses the schedule for its CRON_TZ= or TZ= zone.
		add(SeverityError, "unknown-time-zone", fmt.Sprintf("the controller cannot load time zone %q of the schedule: it never runs this CronJob and records UnparseableSchedule warnings", legacyZone),
			"use an IANA name such as Europe/Berlin (see the tz database), better in .spec.timeZone than in the schedule")
	case err != nil:
		add(SeverityError, "invalid-schedule", fmt.Sprintf("%v: the controller never runs this CronJob", err), "fix .spec.schedule (five fields: minute hour day-of-month month day-of-week)")
	case len(sched.next(now, 1)) == 0:
		add(SeverityError, "invalid-schedule", fmt.Sprintf("schedule %q has no time in the next five years (its days do not exist, such as February 31st): the controller never runs this CronJob and records InvalidSchedule warnings", spec.Schedule),
			"fix .spec.schedule so that its day-of-month exists in its months")
	}
	// The API server refuses TZ= and CRON_TZ= in the schedule of a new
	// CronJob, and keeps them only where the stored schedule had them
	// (k8s.io/kubernetes pkg/apis/batch/validation, validateScheduleFormat).
	if legacy && err == nil {
		what := fmt.Sprintf("the schedule sets its time zone with %s: the API server keeps it only on a CronJob whose stored schedule has it, and refuses it in a new one (\"cannot use TZ or CRON_TZ in schedule, use timeZone field instead\"), so a copy of this manifest cannot be created", strings.Fields(spec.Schedule)[0])
		fix := fmt.Sprintf("move the zone to .spec.timeZone: %s", legacyZone)
		if legacyZone == "Local" {
			what += fmt.Sprintf("; Local is the controller process's own zone (taken to be %s, --controller-time-zone), which changes with the host it runs on", controllerZone)
			fix = "set .spec.timeZone to the IANA name of the zone meant (such as Europe/Berlin) and drop the prefix"
		}
		add(SeverityWarning, "zone-in-schedule", what, fix)
	}
	// The controller names a Job NAME-<minutes since the epoch of the
	// scheduled time>, and the Job's name must fit a label value (63
	// characters): the API server's limit of 52 leaves room for 10 digits,
	// while the minutes have 8 digits until the year 2160.
	if jobName := fmt.Sprintf("%s-%d", cj.Name, now.Unix()/60); len(jobName) > maxJobNameLength {
		add(SeverityError, "name-too-long", fmt.Sprintf("the name has %d characters: its Jobs' names (name-<minutes>, %d characters now) exceed %d characters and cannot be created", len(cj.Name), len(jobName), maxJobNameLength),
			fmt.Sprintf("recreate the CronJob with a name of at most %d characters", legacyNameLength))
	}
	if d := spec.StartingDeadlineSeconds; d != nil && *d < shortDeadline {
		add(SeverityError, "short-deadline", fmt.Sprintf("startingDeadlineSeconds is %d: a controller that is more than %ds late (a restart, a leader change, many CronJobs due at once) skips the run, counted as missedDeadline", *d, *d),
			"set startingDeadlineSeconds to a minute or more, or leave it unset")
	}
	if spec.StartingDeadlineSeconds == nil {
		add(SeverityInfo, "no-deadline", "no startingDeadlineSeconds: after an outage the controller runs the most recent missed time at once, however late",
			"set startingDeadlineSeconds to how late a run is still useful")
	}
	if spec.ConcurrencyPolicy == batchv1.ForbidConcurrent {
		if spec.JobTemplate.Spec.ActiveDeadlineSeconds == nil {
			add(SeverityWarning, "forbid-without-active-deadline", "concurrencyPolicy is Forbid and Jobs have no activeDeadlineSeconds: a hung run blocks every later run, forever",
				"set jobTemplate.spec.activeDeadlineSeconds below the schedule's period")
		}
		if sched != nil {
			if period, ok := shortestGap(sched, now); ok {
				// The same risk set by the deadline's value: a hung run
				// blocks the times within it, before any Job has run that
				// long (forbid-longer-than-period, below).
				if d := spec.JobTemplate.Spec.ActiveDeadlineSeconds; d != nil && time.Duration(*d)*time.Second > period {
					deadline := time.Duration(*d) * time.Second
					add(SeverityWarning, "forbid-without-active-deadline", fmt.Sprintf("concurrencyPolicy is Forbid and Jobs' activeDeadlineSeconds (%s) is longer than the schedule's shortest period (%s): a hung run blocks up to %d later runs before the deadline stops it",
						shortDuration(deadline), shortDuration(period), int((deadline-time.Nanosecond)/period)),
						"set jobTemplate.spec.activeDeadlineSeconds below the schedule's period")
				}
				for i := range jobs {
					ran := "ran"
					end, ok := jobFinished(&jobs[i])
					if !ok {
						// A run still going blocks the CronJob right now,
						// also one whose pods do not run (Pending).
						ran, end = "has been running", now
						if result := jobResult(&jobs[i]); result != "Running" {
							ran = fmt.Sprintf("has been %s, not running, for", result)
						}
					}
					if took := end.Sub(jobs[i].CreationTimestamp.Time); took > period {
						add(SeverityWarning, "forbid-longer-than-period", fmt.Sprintf("Job %s %s %s, longer than the schedule's shortest period (%s): with Forbid, the times in between are skipped", jobs[i].Name, ran, took.Round(time.Second), period),
							"make runs shorter than the period, or run less often")
						break
					}
				}
			}
		}
	}
	if podSpec.RestartPolicy == corev1.RestartPolicyNever {
		// With backoffLimitPerIndex (an Indexed Job), each index is retried up
		// to that many times, and backoffLimit defaults to the maximum.
		if b := spec.JobTemplate.Spec.BackoffLimit; spec.JobTemplate.Spec.BackoffLimitPerIndex == nil && (b == nil || *b == 6) {
			add(SeverityWarning, "default-backoff-limit", "backoffLimit is 6 with restartPolicy Never: a failing run executes the same work up to 7 times, each in a new pod",
				"make the work idempotent, or set jobTemplate.spec.backoffLimit to what it tolerates (0 for once)")
		}
	}
	if spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent {
		if g := podSpec.TerminationGracePeriodSeconds; g != nil && *g > 30 {
			add(SeverityWarning, "replace-long-grace", fmt.Sprintf("concurrencyPolicy is Replace and terminationGracePeriodSeconds is %d: a replaced run keeps running up to %ds beside the new one", *g, *g),
				"lower terminationGracePeriodSeconds, or use Forbid")
		}
	}
	if sched != nil {
		// The controller names a Job after the minute of its time, so a
		// later time of the same minute finds the name taken.
		if gap, ok := shortestGap(sched, now); ok && gap < time.Minute {
			add(SeverityWarning, "sub-minute-schedule", fmt.Sprintf("the schedule %q has times %s apart, but a Job's name has only the minute of its time: only the first time of each minute gets a Job, and the controller skips the others (JobNameConflict)", spec.Schedule, gap),
				"run at most once a minute (@every 1m, or a cron schedule), and repeat the work inside the Job if it must run more often")
		}
	}
	if domDowBoth(spec.Schedule) {
		add(SeverityWarning, "day-of-month-or-week", "both day-of-month and day-of-week are restricted: cron runs on the days matching EITHER, not both (kubernetes/kubernetes#125610)",
			"restrict one of them and check the other in the Job, or use two CronJobs")
	}
	if sched != nil {
		if contradiction := (&facts{cj: cj, sched: sched, jobs: jobs}).zoneContradiction(sched); contradiction != "" {
			add(SeverityWarning, "controller-time-zone", contradiction+": the schedule's times, and the checks of them here, are computed in "+sched.zone()+", not in the zone the controller runs it in",
				"set spec.timeZone to the zone meant; to check the CronJob as it runs now, give the controller's zone with --controller-time-zone")
		}
		if note, window := fixedTimeInTransition(sched, now); note != "" {
			add(SeverityWarning, "dst-transition", note, fmt.Sprintf("pick a time outside %s local time, when %s changes its clocks, or a time zone without daylight saving time (UTC)", window, sched.loc))
		}
	}
	// kubectl create job --from marks the Jobs it makes by hand with the
	// instantiate annotation; a manifest made from such a Job carries it
	// into the template, and every scheduled Job copies it.
	if spec.JobTemplate.Annotations[instantiateAnnotation] == "manual" {
		add(SeverityWarning, "manual-annotation-in-template", fmt.Sprintf("jobTemplate.metadata.annotations has %s: manual, which kubectl writes on the Jobs it makes by hand: every scheduled Job carries it, so tools that go by it alone (the stock controller does not read it; steadycron's controller and job tracker go by the scheduled-timestamp too) take the scheduled runs for manual ones: remove it from the template", instantiateAnnotation),
			fmt.Sprintf("remove %s from jobTemplate.metadata.annotations", instantiateAnnotation))
	}
	if ttl := spec.JobTemplate.Spec.TTLSecondsAfterFinished; ttl != nil && *ttl == 0 {
		add(SeverityWarning, "no-history", "jobTemplate.spec.ttlSecondsAfterFinished is 0: every Job, failed ones too, is deleted as soon as it finishes, with its pods and logs and the evidence of when it ran, whatever the history limits",
			"set it to what you need to look back on (an hour or more), or unset it and rely on the history limits")
	}
	if l := spec.SuccessfulJobsHistoryLimit; l != nil && *l == 0 {
		add(SeverityWarning, "no-history", "successfulJobsHistoryLimit is 0: successful Jobs are deleted at once, with the evidence of when they ran",
			"keep at least 1")
	}
	if l := spec.FailedJobsHistoryLimit; l != nil && *l == 0 {
		add(SeverityWarning, "no-history", "failedJobsHistoryLimit is 0: failed Jobs are deleted at once, with their pods and logs",
			"keep at least 1")
	}
	if spec.Suspend != nil && *spec.Suspend {
		if m, when := managedAt(cj, "suspend"); m != "" && now.Sub(when) > longSuspend {
			add(SeverityInfo, "long-suspended", fmt.Sprintf("suspended since at least %s (%d days)", when.UTC().Format(time.RFC3339), int(now.Sub(when).Hours()/24)),
				"delete the CronJob if it is no longer needed")
		}
	}
	return out
}

// periodWindow is how far ahead shortestGap looks: a week and a day, so
// that a weekly schedule's times are all seen.
const periodWindow = 8 * 24 * time.Hour

// shortestGap returns the shortest time between two consecutive scheduled
// times in the periodWindow after now (at most 1000 times; a schedule with
// more repeats its shortest gap within them), or between the next two when
// the window holds fewer. It is false when the schedule has fewer than two
// times ahead.
func shortestGap(sched *schedule, now time.Time) (time.Duration, bool) {
	times := sched.between(now, now.Add(periodWindow), 1000)
	if len(times) < 2 {
		times = sched.next(now, 2)
	}
	if len(times) < 2 {
		return 0, false
	}
	gap := times[1].Sub(times[0])
	for i := 2; i < len(times); i++ {
		gap = min(gap, times[i].Sub(times[i-1]))
	}
	return gap, true
}

// fixedTimeInTransition returns a note when a scheduled time of a schedule
// at fixed wall-clock times falls into a daylight saving time gap (the time
// does not exist) or overlap (it exists twice) in the year after now. It
// probes the schedule's own times at each transition, on the days it runs
// (a Wednesday-only schedule never meets a Sunday transition): the wall-clock
// times of the schedule (robfig/cron, the controller's parser, in the fixed
// offset before or after the change, as the controller's evaluation does)
// that the change skips or repeats, and what the controller's evaluation
// (sched) does with them: a fixed time of day in a gap runs at the change,
// one in an overlap runs once. A schedule with "*" in its minute or hour
// follows the wall clock (it runs at both occurrences of a repeated time,
// never in a gap, and an hourly one every real hour) and gets no note.
// window is the wall-clock span of the change the note is about: the
// shift either side of the wall time the clocks change at ("01:00–03:00"
// for a change at 02:00 by 1h, "23:00–01:00" for one at midnight).
func fixedTimeInTransition(sched *schedule, now time.Time) (note, window string) {
	loc := sched.loc
	firstIn := sched.wallTimeIn
	t := now.In(loc)
	for i := 0; i < 8; i++ {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Sub(now) > 366*24*time.Hour {
			return "", ""
		}
		t = end.In(loc)
		_, offBefore := end.Add(-time.Nanosecond).In(loc).Zone()
		_, offAfter := end.In(loc).Zone()
		shift := time.Duration(offAfter-offBefore) * time.Second
		at := wallOfDay(end.In(time.FixedZone("", offBefore)))
		window = clockText((at-shift.Abs()+24*time.Hour)%(24*time.Hour)) + "–" + clockText((at+shift.Abs())%(24*time.Hour))
		switch {
		case shift > 0:
			// The wall-clock times of [end, end+shift) in the old offset do not
			// exist. The controller runs a fixed time among them at the change
			// (asked from the minute before it, in the old offset); when that
			// is also the schedule's own time ("0 2,3 * * *"), the two runs
			// are one, and a run is lost. A wall-clock schedule ("0 * * * *")
			// never ran in the gap: no note.
			n := firstIn(offBefore, end, end.Add(shift))
			if n.IsZero() || !cronjob.IsFixedTime(sched.cj) || !sched.cron.Next(end.Add(-time.Minute)).Equal(end) {
				continue
			}
			w := n.In(time.FixedZone("", offBefore))
			note = fmt.Sprintf("%s does not exist on %s in %s (clocks go forward %s)", w.Format("15:04"), w.Format(time.DateOnly), loc, shortDuration(shift))
			if own := firstIn(offAfter, end, end.Add(time.Second)); !own.IsZero() {
				note += fmt.Sprintf(", and its run at the change is the one of %s, also a time of the schedule: one run is lost", own.In(loc).Format("15:04"))
			}
			return note + ": see what the controller does with `kubectl cronjob next`", window
		case shift < 0:
			// The wall-clock times of [end+shift, end) in the old offset happen
			// again in [end, end-shift) in the new one. The controller runs a
			// fixed time once; a wall-clock one twice.
			n := firstIn(offBefore, end.Add(shift), end)
			if n.IsZero() || sched.cron.Next(end.Add(-time.Second)).Equal(n.Add(-shift)) {
				continue
			}
			w := n.In(loc)
			return fmt.Sprintf("%s happens twice on %s in %s (clocks go back %s): see what the controller does with `kubectl cronjob next`", w.Format("15:04"), w.Format(time.DateOnly), loc, shortDuration(-shift)), window
		}
	}
	return "", ""
}

// loadable tells whether time.LoadLocation, which the controller uses, loads
// zone.
func loadable(zone string) bool {
	_, err := time.LoadLocation(zone)
	return err == nil
}

func (o *Options) printLint(r *LintReport) error {
	if done, err := o.printObject(r, o.Out); done {
		return err
	}
	for _, m := range r.Missing {
		fmt.Fprintf(o.ErrOut, "Missing facts: %s\n", m)
	}
	if len(r.Findings) == 0 {
		// As kubectl get's "No resources found": on stderr, so that the
		// table on stdout has one line per finding.
		_, err := fmt.Fprintf(o.ErrOut, "No findings in %d CronJob(s).\n", r.Checked)
		return err
	}
	rows := make([][]string, 0, len(r.Findings))
	for _, f := range r.Findings {
		rows = append(rows, []string{f.CronJob, f.Severity, f.Check, f.What, f.Fix})
	}
	return o.printTable(o.Out, []string{"CRONJOB", "SEVERITY", "CHECK", "WHAT HAPPENS", "FIX"}, rows)
}
