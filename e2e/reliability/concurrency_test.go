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

package reliability

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

const (
	// runningPodFor is how long the pods of these tests' Jobs run: past the
	// two scheduled times that follow a failover, and past the sampling.
	runningPodFor = 5 * time.Minute
	// manualInstantiation is the annotation (and value) kubectl create job
	// --from=cronjob/NAME puts on the Job it makes.
	manualInstantiation = "cronjob.kubernetes.io/instantiate"
)

// TestForbidFailoverNoConcurrentRuns: with statuses written behind Job
// creation (steadycron's default --create-jobs-first), the leader creates
// the Jobs of a scheduled time for N Forbid and N Replace CronJobs, whose
// pods run five minutes, and stops: SIGKILL as soon as the first Job of the
// time exists, before it writes their statuses (the test fails unless the
// killed leader left at least one running Job that no status.active lists:
// the kill must land mid-burst), or SIGTERM in the long variant (then every
// status must be written before the Lease is released). The
// other replica is kept stopped and started only after the following
// scheduled time, so that it first meets those Jobs when the next time is
// due. Sampling the Jobs once a second from then until shortly before the
// third scheduled time: no CronJob ever has two running Jobs (Forbid skips
// while its Job runs; Replace deletes the older Job when it creates the
// newer), no scheduled time after the failed leader's is lost (one the
// failed leader did not run is missed by the documented rule: after a
// downtime only the most recent time runs), no time has two Jobs, and at the
// end every running Job is in its CronJob's status.active.
func TestForbidFailoverNoConcurrentRuns(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	for _, tc := range []struct {
		name string
		kill bool // SIGKILL; otherwise SIGTERM, a graceful stop that releases the Lease
		long bool // only in the long variant, to keep make e2e short
	}{
		{name: "SIGKILL", kill: true},
		{name: "SIGTERM", long: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long {
				requireLong(t)
			}
			failoverWithRunningJobs(t, tc.name, tc.kill)
		})
	}
}

// failoverWithRunningJobs is one case of TestForbidFailoverNoConcurrentRuns:
// the leader is stopped with SIGKILL when kill is set, else with SIGTERM
// (signal names it in the log and the figures).
func failoverWithRunningJobs(t *testing.T, signal string, kill bool) {
	ctx := t.Context()
	n := runningSize(t)
	all := replicas(t)
	leader, err := cluster.WaitSteadycronLeader(ctx, time.Minute)
	require.NoError(t, err)
	// The next leader must first sync after the following scheduled time:
	// stop the standby now, start it then.
	var next *framework.Steadycron
	for _, s := range all {
		if s != leader {
			require.NoError(t, s.Stop(), "stopping the standby %s", s.Name)
			next = s
		}
	}
	require.NotNil(t, next, "no standby replica")

	policies := []batchv1.ConcurrencyPolicy{batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}
	b := createBurst(t, time.Minute, len(policies)*n, func(i int) *batchv1.CronJob {
		policy := policies[i/n]
		cj := cluster.NewCronJob(fmt.Sprintf("%s-%04d", strings.ToLower(string(policy)), i%n), "* * * * *", framework.Pod{RunFor: runningPodFor})
		cj.Spec.TimeZone = ptr.To("Etc/UTC")
		cj.Spec.ConcurrencyPolicy = policy
		return cj
	})
	first := b.watchFirstJob(t)
	select {
	case <-first:
	case <-time.After(time.Until(b.mark) + 30*time.Second):
		t.Fatalf("no Job for %s in %s within 30 s of it", b.mark.UTC().Format(time.RFC3339), b.ns)
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	if kill {
		require.NoError(t, leader.Kill())
	} else {
		require.NoError(t, leader.Stop())
	}
	stoppedAt := time.Now()
	atStop, err := b.jobsAt(ctx)
	require.NoError(t, err)
	t.Logf("%s to the leader %s %s after %s, with %d of %d Jobs created", signal, leader.Name,
		stoppedAt.Sub(b.mark).Round(time.Millisecond), b.mark.UTC().Format(time.RFC3339), atStop, len(b.cronJobs))

	following := b.mark.Add(b.period)
	waitUntil(t, "the scheduled time after the stopped leader's", following.Add(time.Second))
	// No replica has run since the stop (requests in flight then have
	// landed): this is what the stopped leader left behind.
	left, err := b.jobsAt(ctx)
	require.NoError(t, err)
	_, unrecorded, err := runningNotActive(ctx, b.ns)
	require.NoError(t, err)
	t.Logf("the stopped leader left %d Jobs for %s, %d of them in no status.active", left, b.mark.UTC().Format(time.RFC3339), len(unrecorded))
	if kill {
		require.NotEmpty(t, unrecorded, "the %s did not land mid-burst: the leader had written the status of every one of the %d Jobs it created, "+
			"so no Job is left for the next leader to adopt and the test shows nothing; raise %s", signal, left, envRunningN)
	} else {
		// A graceful stop writes the statuses it decided on before it
		// releases the Lease (docs/semantics.md, "Stopping and leader changes").
		assert.Empty(t, unrecorded, "SIGTERM: the stopping leader released the Lease with %d of its %d Jobs in no status.active", len(unrecorded), left)
	}

	startedAt := time.Now()
	require.NoError(t, next.Start(ctx), "starting %s", next.Name)
	newLeader, err := cluster.WaitSteadycronLeader(ctx, 3*leaseDuration)
	require.NoError(t, err)
	require.Same(t, next, newLeader)
	lease, err := cluster.Client.CoordinationV1().Leases(framework.SteadycronNamespace).Get(ctx, framework.SteadycronLease, metav1.GetOptions{})
	require.NoError(t, err)
	require.NotNil(t, lease.Spec.AcquireTime)

	// Sample until shortly before the third scheduled time, clear of its
	// burst: the new leader's first time (following) and the next one.
	s := sampleJobs(t, b.ns, b.mark.Add(3*b.period-5*time.Second))
	_, notActive, err := runningNotActive(ctx, b.ns)
	require.NoError(t, err)
	adopted, adoptedJobs, err := eventCounts(ctx, b.ns, "AdoptedJob")
	require.NoError(t, err)
	var again []string
	for m, c := range adoptedJobs {
		if c > 1 {
			again = append(again, fmt.Sprintf("%dx %s", c, m))
		}
	}
	slices.Sort(again)
	if len(again) > 0 {
		t.Logf("Jobs adopted more than once: %v", again)
	}
	unexpected, err := eventCount(ctx, b.ns, "UnexpectedJob")
	require.NoError(t, err)

	checked := []time.Time{following, following.Add(b.period)}
	results := map[batchv1.ConcurrencyPolicy]policyResult{}
	for _, p := range policies {
		results[p] = s.check(b.cronJobs, p, checked)
	}
	f := figures{
		"n_per_policy": n, "signal": signal,
		"jobs_at_stop":                 atStop,
		"jobs_left":                    left,
		"unrecorded_left":              len(unrecorded),
		"missed_by_downtime":           len(b.cronJobs) - left,
		"stop_after_mark_seconds":      seconds(stoppedAt.Sub(b.mark)),
		"next_leader_started_seconds":  seconds(startedAt.Sub(following)),
		"takeover_after_start_seconds": seconds(lease.Spec.AcquireTime.Sub(startedAt)),
		"samples":                      s.samples,
		"sample_errors":                s.errors,
		"not_active_at_end":            len(notActive),
		"adopted_job_events":           adopted,
		"adopted_jobs":                 len(adoptedJobs),
		"unexpected_job_events":        unexpected,
	}
	for p, r := range results {
		name := strings.ToLower(string(p))
		f["concurrent_instants_"+name] = r.concurrentInstants
		f["cronjobs_with_concurrent_runs_"+name] = r.concurrentCronJobs
		f["lost_"+name] = r.lost
		f["duplicates_"+name] = r.duplicates
		f["not_deleted_"+name] = r.extraAtEnd
	}
	withoutLease, withoutLeaseProblem := jobsCreatedWithoutLease(t, b.ns)
	f["created_without_lease"] = len(withoutLease)
	record(t, "failover-running-jobs", f)
	assert.Empty(t, withoutLease, withoutLeaseProblem)

	for _, p := range policies {
		t.Run(string(p), func(t *testing.T) {
			r := results[p]
			assert.Zero(t, r.concurrentInstants, "instants (sampled once a second) with two unfinished Jobs of one %s CronJob, on %d CronJobs; first: %v",
				p, r.concurrentCronJobs, head(r.problems["concurrent"], 5))
			assert.Zero(t, r.extraAtEnd, "%s CronJobs with more than one Job at the end (an older Job neither skipped for nor deleted): %v", p, head(r.problems["extra"], 5))
			assert.Zero(t, r.lost, "scheduled times lost beyond the rule: %v", head(r.problems["lost"], 5))
			assert.Zero(t, r.duplicates, "%v", head(r.problems["duplicate"], 5))
		})
	}
	assert.Empty(t, notActive, "running Jobs that their CronJob's status.active does not list at the end")
	t.Run("one AdoptedJob event per Job", func(t *testing.T) {
		skipKnownBug(t, "patch 0005 adopts a Replace CronJob's Job again after deleting it, "+
			"when a sync runs before the informer sees the deletion (two AdoptedJob events for one Job; seen at N=300)")
		assert.Empty(t, again, "Jobs adopted more than once")
	})

	assert.NoError(t, leader.Start(ctx), "restarting the stopped replica as the standby")
}

// TestManualJobBlocksForbid: a Job made by hand with kubectl create job
// --from=cronjob/NAME from a Forbid CronJob, whose pod runs five minutes,
// is adopted into status.active (one AdoptedJob event, no UnexpectedJob
// warning), and no scheduled Job runs beside it for the next two scheduled
// times; the first of them is counted skip/concurrencyPolicy (a tentative
// skip is counted when the next scheduled time supersedes it).
func TestManualJobBlocksForbid(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	// Leave time for the manual run and its adoption before a scheduled time.
	if time.Until(framework.NextMinute(time.Now())) < 15*time.Second {
		waitUntil(t, "a scheduled time too close to pass", framework.NextMinute(time.Now()).Add(time.Second))
	}
	tmpl := cluster.NewCronJob("minutely", "* * * * *", framework.Pod{RunFor: runningPodFor})
	tmpl.Spec.TimeZone = ptr.To("Etc/UTC")
	tmpl.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
	require.NoError(t, err)
	const name = "m1"
	_, err = cluster.Kubectl(ctx, "--namespace="+ns, "create", "job", name, "--from=cronjob/"+cj.Name)
	require.NoError(t, err)
	createdAt := time.Now()
	manual, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, name, metav1.GetOptions{})
	require.NoError(t, err)
	require.Equal(t, "manual", manual.Annotations[manualInstantiation], "kubectl marks the Job as made by hand")
	require.True(t, metav1.IsControlledBy(manual, cj), "kubectl makes the CronJob the Job's controller")
	scheduled := framework.NextMinute(createdAt)

	_, err = cluster.WaitForCronJob(ctx, ns, cj.Name, "status.active lists the manual Job", time.Until(scheduled), func(c *batchv1.CronJob) bool {
		return slices.ContainsFunc(c.Status.Active, func(r corev1.ObjectReference) bool { return r.UID == manual.UID })
	})
	assert.NoError(t, err, "the manual Job was not in status.active before the next scheduled time")
	adoptedAt := time.Now()
	_, err = cluster.WaitForEvent(ctx, ns, cj, 10*time.Second, "AdoptedJob")
	assert.NoError(t, err)

	var beside []string
	err = framework.Consistently(ctx, "the manual Job is the CronJob's only Job", scheduled.Add(time.Minute+5*time.Second), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		if err != nil {
			return false, err
		}
		beside = beside[:0]
		for _, j := range jobs {
			if j.UID != manual.UID {
				beside = append(beside, j.Name)
			}
		}
		return len(beside) == 0, nil
	})
	assert.NoError(t, err, "scheduled Jobs running beside the manual one: %v", beside)
	_, err = cluster.WaitForEvent(ctx, ns, cj, 10*time.Second, "JobAlreadyActive")
	assert.NoError(t, err)
	unexpected, err := eventCount(ctx, ns, "UnexpectedJob")
	require.NoError(t, err)
	assert.Zero(t, unexpected, "UnexpectedJob warnings about the manual Job")
	skips, err := framework.WaitCounter(ctx, cluster.LeaderMetrics(), decisionsMetric, framework.Decision(ns, cj.Name, "skip", "concurrencyPolicy"), 1, 30*time.Second)
	require.NoError(t, err)

	record(t, "manual-job-forbid", figures{
		"adopted_seconds":       seconds(adoptedAt.Sub(createdAt)),
		"scheduled_times":       2,
		"jobs_beside":           len(beside),
		"unexpected_job_events": unexpected,
		"skips_counted":         skips,
	})
}

// watchFirstJob starts watching the burst's Jobs and returns a channel that
// is closed when the first Job for its scheduled time is added. A watch event
// comes milliseconds after the Job's creation, where waitJobs's polling takes
// up to fastPoll: a fault injected on it lands early in the burst.
func (b *burst) watchFirstJob(t *testing.T) <-chan struct{} {
	t.Helper()
	w, err := cluster.Client.BatchV1().Jobs(b.ns).Watch(t.Context(), metav1.ListOptions{})
	require.NoError(t, err)
	t.Cleanup(w.Stop)
	first := make(chan struct{})
	go func() {
		for ev := range w.ResultChan() {
			if j, ok := ev.Object.(*batchv1.Job); ok {
				if s, err := framework.ScheduledTime(j); err == nil && s.Equal(b.mark) {
					close(first)
					return
				}
			}
		}
	}()
	return first
}

// running reports whether a Job still runs: not finished, not being deleted.
func running(j *batchv1.Job) bool {
	_, finished := framework.JobFinished(j)
	return !finished && j.DeletionTimestamp == nil
}

// runningNotActive lists the Jobs and CronJobs of ns and returns how many
// Jobs that a CronJob controls are running, and those of them that their
// CronJob's status.active does not list.
func runningNotActive(ctx context.Context, ns string) (int, []string, error) {
	jobs, err := cluster.Client.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0, nil, fmt.Errorf("listing Jobs in %s: %w", ns, err)
	}
	cjs, err := cluster.Client.BatchV1().CronJobs(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0, nil, fmt.Errorf("listing CronJobs in %s: %w", ns, err)
	}
	active := map[types.UID]bool{}
	for _, cj := range cjs.Items {
		for _, r := range cj.Status.Active {
			active[r.UID] = true
		}
	}
	n := 0
	var missing []string
	for i := range jobs.Items {
		j := &jobs.Items[i]
		if metav1.GetControllerOf(j) == nil || !running(j) {
			continue
		}
		n++
		if !active[j.UID] {
			missing = append(missing, j.Name)
		}
	}
	return n, missing, nil
}

// eventCount sums the counts of the events in ns with this reason.
func eventCount(ctx context.Context, ns, reason string) (int, error) {
	n, _, err := eventCounts(ctx, ns, reason)
	return n, err
}

// eventCounts sums the counts of the events in ns with this reason, and
// counts them per message.
func eventCounts(ctx context.Context, ns, reason string) (int, map[string]int, error) {
	list, err := cluster.Client.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("reason", reason).String()})
	if err != nil {
		return 0, nil, fmt.Errorf("listing %s events in %s: %w", reason, ns, err)
	}
	n, perMessage := 0, map[string]int{}
	for _, e := range list.Items {
		c := int(max(e.Count, 1))
		n += c
		perMessage[e.InvolvedObject.Name+": "+e.Message] += c
	}
	return n, perMessage, nil
}

// seenJob is one Job as sampleJobs saw it.
type seenJob struct {
	name      string
	cronJob   types.UID
	scheduled time.Time
	// lastRunning is the last sample that saw it running (zero if none).
	lastRunning time.Time
}

// jobSamples is what listing a namespace's Jobs once a second saw.
type jobSamples struct {
	samples, errors int
	jobs            map[types.UID]*seenJob
	// concurrent has, per CronJob, one line per sample that saw more than
	// one of its Jobs running.
	concurrent map[types.UID][]string
	// last is the number of Jobs (not being deleted) of each CronJob in the
	// last sample.
	last map[types.UID]int
}

// sampleJobs lists the Jobs of ns once a second until until. API errors are
// counted and the sample is skipped.
func sampleJobs(t *testing.T, ns string, until time.Time) *jobSamples {
	t.Helper()
	ctx := t.Context()
	s := &jobSamples{jobs: map[types.UID]*seenJob{}, concurrent: map[types.UID][]string{}}
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for time.Now().Before(until) {
		list, err := cluster.Client.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
		now := time.Now()
		if err != nil {
			s.errors++
		} else {
			s.samples++
			s.observe(now, list.Items)
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-ticker.C:
		}
	}
	require.Positive(t, s.samples, "no sample of the Jobs of %s succeeded", ns)
	return s
}

func (s *jobSamples) observe(now time.Time, jobs []batchv1.Job) {
	runs := map[types.UID][]string{}
	s.last = map[types.UID]int{}
	for i := range jobs {
		j := &jobs[i]
		ref := metav1.GetControllerOf(j)
		if ref == nil {
			continue
		}
		seen := s.jobs[j.UID]
		if seen == nil {
			at, _ := framework.ScheduledTime(j)
			seen = &seenJob{name: j.Name, cronJob: ref.UID, scheduled: at}
			s.jobs[j.UID] = seen
		}
		if j.DeletionTimestamp == nil {
			s.last[ref.UID]++
		}
		if running(j) {
			seen.lastRunning = now
			runs[ref.UID] = append(runs[ref.UID], fmt.Sprintf("%s (%s)", j.Name, seen.scheduled.UTC().Format("15:04")))
		}
	}
	for uid, names := range runs {
		if len(names) > 1 {
			slices.Sort(names)
			s.concurrent[uid] = append(s.concurrent[uid], fmt.Sprintf("%s: %v", now.UTC().Format("15:04:05"), names))
		}
	}
}

// policyResult counts what went wrong for the CronJobs of one concurrency policy.
type policyResult struct {
	concurrentInstants int // (sample, CronJob) pairs with more than one running Job
	concurrentCronJobs int
	extraAtEnd         int // CronJobs with more than one Job in the last sample
	lost               int // checked (CronJob, time) pairs that are neither run nor skipped by the policy
	duplicates         int // Jobs beyond the first for one CronJob and time
	problems           map[string][]string
}

// check judges the samples for the CronJobs of cronJobs with policy. Each of
// them must have a Job for each scheduled time in checked, unless the
// policy is Forbid and an older Job of it was still running at that time
// (seen running by a sample taken after it).
func (s *jobSamples) check(cronJobs []*batchv1.CronJob, policy batchv1.ConcurrencyPolicy, checked []time.Time) policyResult {
	r := policyResult{problems: map[string][]string{}}
	byCronJob := map[types.UID][]*seenJob{}
	for _, j := range s.jobs {
		byCronJob[j.cronJob] = append(byCronJob[j.cronJob], j)
	}
	for _, cj := range cronJobs {
		if cj.Spec.ConcurrencyPolicy != policy {
			continue
		}
		if c := s.concurrent[cj.UID]; len(c) > 0 {
			r.concurrentInstants += len(c)
			r.concurrentCronJobs++
			r.problems["concurrent"] = append(r.problems["concurrent"], fmt.Sprintf("%s %s", cj.Name, c[0]))
		}
		if s.last[cj.UID] > 1 {
			r.extraAtEnd++
			r.problems["extra"] = append(r.problems["extra"], fmt.Sprintf("%s has %d Jobs", cj.Name, s.last[cj.UID]))
		}
		jobs := byCronJob[cj.UID]
		perTime := map[int64][]string{}
		for _, j := range jobs {
			perTime[j.scheduled.Unix()] = append(perTime[j.scheduled.Unix()], j.name)
		}
		for at, names := range perTime {
			if len(names) > 1 {
				r.duplicates += len(names) - 1
				r.problems["duplicate"] = append(r.problems["duplicate"], fmt.Sprintf("duplicate: %s at %s has Jobs %v", cj.Name, time.Unix(at, 0).UTC().Format(time.RFC3339), names))
			}
		}
		for _, at := range checked {
			if len(perTime[at.Unix()]) > 0 {
				continue
			}
			skipped := policy == batchv1.ForbidConcurrent && slices.ContainsFunc(jobs, func(j *seenJob) bool {
				return j.scheduled.Before(at) && !j.lastRunning.Before(at)
			})
			if !skipped {
				r.lost++
				r.problems["lost"] = append(r.problems["lost"], fmt.Sprintf("lost: %s has no Job for %s", cj.Name, at.UTC().Format(time.RFC3339)))
			}
		}
	}
	return r
}

// head returns at most the first n of lines.
func head(lines []string, n int) []string {
	return lines[:min(n, len(lines))]
}
