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
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

const (
	// faultsLocal is why every test of the suite needs the local cluster
	// (Cluster.RequireLocal).
	faultsLocal = "kills and restarts processes of the local control plane"

	envLong      = "E2E_RELIABILITY_LONG"
	envN         = "E2E_RELIABILITY_N"
	envRunningN  = "E2E_RELIABILITY_RUNNING_N"
	envKnownBugs = "E2E_RELIABILITY_KNOWN_BUGS"

	decisionsMetric = "cronjob_controller_scheduling_decisions_total"
	missedMetric    = "cronjob_controller_missed_schedules_total"

	// leaseDuration is steadycron's default --leader-elect-lease-duration,
	// which the suite runs with: a standby takes over about this long after
	// the leader dies.
	leaseDuration = 15 * time.Second
	// retryPeriod is steadycron's default --leader-elect-retry-period.
	retryPeriod = 2 * time.Second
	// maxTakeover bounds the time from killing the leader to the standby's
	// acquisition of the Lease. client-go's standby counts the lease
	// duration from when it observed the last renewal, not from the renewal
	// itself, and it looks at the Lease every retry period stretched by up
	// to leaderelection.JitterFactor: up to one jittered retry to see the
	// last renewal, the lease duration, and up to one more to take the
	// Lease (15 s + 2 × 4.4 s), plus a second for the API calls of a loaded
	// machine. CI measured 20.2 s once, past the 20 s this used to allow.
	maxTakeover = leaseDuration + 2*time.Duration((1+leaderelection.JitterFactor)*float64(retryPeriod)) + time.Second
	// fastPoll is how often the burst tests look at the Jobs, so that
	// "first Job", "kill" and "done" are timed to about a tenth of a second.
	fastPoll = 100 * time.Millisecond
)

func envBool(t *testing.T, name string) bool {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	require.NoError(t, err, "%s=%q", name, v)
	return b
}

// long reports whether the long variants run (make reliability).
func long(t *testing.T) bool { return envBool(t, envLong) }

// requireLong skips a long variant unless E2E_RELIABILITY_LONG=true.
func requireLong(t *testing.T) {
	t.Helper()
	if !long(t) {
		t.Skip("long variant: run with make reliability (" + envLong + "=true)")
	}
}

// skipKnownBug skips a case that fails because of a reported controller bug,
// unless E2E_RELIABILITY_KNOWN_BUGS=true asks to see it fail.
func skipKnownBug(t *testing.T, bug string) {
	t.Helper()
	if bug != "" && !envBool(t, envKnownBugs) {
		t.Skipf("known controller bug, reported to the patch owner (%s=true runs it): %s", envKnownBugs, bug)
	}
}

// burstSize is N, the number of CronJobs due at once in the burst tests.
func burstSize(t *testing.T) int { return size(t, envN, 150, 500) }

// runningSize is the number of CronJobs per concurrency policy in the tests
// whose Jobs keep running (TestForbidFailoverNoConcurrentRuns): each runs a
// pod for minutes, so fewer than burstSize.
func runningSize(t *testing.T) int { return size(t, envRunningN, 60, 300) }

// size reads a positive count from the environment variable name, with a
// default for the quick and for the long variants.
func size(t *testing.T, name string, quick, longDefault int) int {
	t.Helper()
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "%s=%q", name, v)
		require.Positive(t, n, name)
		return n
	}
	if long(t) {
		return longDefault
	}
	return quick
}

var standby struct {
	once sync.Once
	s    *framework.Steadycron
	err  error
}

// replicas makes sure two steadycron replicas run, the cluster's own and a
// second one made on first use, as a Deployment of two would, and waits
// until one leads.
func replicas(t *testing.T) []*framework.Steadycron {
	t.Helper()
	standby.once.Do(func() {
		standby.s, standby.err = cluster.NewSteadycron("cronjob-controller-b")
	})
	require.NoError(t, standby.err)
	leaseHistory(t)
	all := []*framework.Steadycron{cluster.Steadycron(), standby.s}
	for _, s := range all {
		if !s.Running() {
			require.NoError(t, s.Start(t.Context()), "starting %s", s.Name)
		}
	}
	_, err := cluster.WaitSteadycronLeader(t.Context(), 3*leaseDuration)
	require.NoError(t, err)
	return all
}

// stopReplicas stops every replica with SIGTERM (the lease is released).
func stopReplicas(t *testing.T) {
	t.Helper()
	for _, s := range cluster.SteadycronInstances() {
		require.NoError(t, s.Stop(), "stopping %s", s.Name)
	}
}

// waitUntil waits for the wall clock to reach at, as a condition.
func waitUntil(t *testing.T, what string, at time.Time) {
	t.Helper()
	err := framework.WaitFor(t.Context(), what+" at "+at.UTC().Format(time.RFC3339), time.Until(at)+10*time.Second, func(context.Context) (bool, error) {
		return !time.Now().Before(at), nil
	})
	require.NoError(t, err)
}

// nextMark is the first time after t that a schedule firing every period
// (a whole number of minutes, in UTC) fires.
func nextMark(t time.Time, period time.Duration) time.Time {
	return t.Truncate(period).Add(period)
}

// figures are a scenario's measurements: logged, and appended as one JSON
// line to <artifacts>/figures.jsonl for docs/reliability.md.
type figures map[string]any

func record(t *testing.T, scenario string, f figures) {
	t.Helper()
	f["scenario"] = scenario
	f["at"] = time.Now().UTC().Format(time.RFC3339)
	line, err := json.Marshal(f)
	require.NoError(t, err)
	t.Logf("FIGURES %s", line)
	file, err := os.OpenFile(filepath.Join(cluster.ArtifactsDir, "figures.jsonl"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	defer func() { _ = file.Close() }()
	_, err = file.Write(append(line, '\n'))
	require.NoError(t, err)
}

func seconds(d time.Duration) float64 { return d.Round(10 * time.Millisecond).Seconds() }

// burst is N CronJobs in one namespace, all due at the same scheduled time.
// newBurst's Jobs are suspended, so that no pod runs and only the
// controller's work is measured.
type burst struct {
	ns       string
	period   time.Duration
	deadline int64
	cronJobs []*batchv1.CronJob
	mark     time.Time // the scheduled time all are due at
}

// newBurst creates n CronJobs clear of a scheduled time and returns the burst
// due at the next one. The schedule fires every minute (every two in the long
// variant, so that a large N fits), and startingDeadlineSeconds ends five
// seconds before the next scheduled time: a time not run by then is lost.
func newBurst(t *testing.T, n int) *burst {
	t.Helper()
	period, schedule := time.Minute, "* * * * *"
	if long(t) {
		period, schedule = 2*time.Minute, "*/2 * * * *"
	}
	deadline := int64((period - 5*time.Second).Seconds())
	b := createBurst(t, period, n, func(i int) *batchv1.CronJob {
		cj := cluster.NewCronJob(fmt.Sprintf("burst-%04d", i), schedule, framework.Succeeds)
		cj.Spec.TimeZone = ptr.To("Etc/UTC")
		cj.Spec.StartingDeadlineSeconds = ptr.To(deadline)
		cj.Spec.JobTemplate.Spec.Suspend = ptr.To(true)
		// Forbid, so that the audit's concurrent count applies: a burst's
		// Jobs never finish, and any second Job of one of its CronJobs would
		// run beside the first.
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		return cj
	})
	b.deadline = deadline
	return b
}

// createBurst creates the n CronJobs that cronJob(0) ... cronJob(n-1) return,
// in a new namespace, all on a schedule that fires every period (in UTC),
// clear of a scheduled time, and returns the burst due at the next one.
func createBurst(t *testing.T, period time.Duration, n int, cronJob func(i int) *batchv1.CronJob) *burst {
	t.Helper()
	ctx := t.Context()
	b := &burst{ns: cluster.NewNamespace(t), period: period}
	// The admin client creates about 100 CronJobs a second; leave twice that.
	need := time.Duration(n)*20*time.Millisecond + 5*time.Second
	if time.Until(nextMark(time.Now(), b.period)) < need {
		waitUntil(t, "the scheduled time too close for creating the burst to pass", nextMark(time.Now(), b.period).Add(time.Second))
	}
	b.mark = nextMark(time.Now(), b.period)
	for i := range n {
		created, err := cluster.CreateCronJob(ctx, b.ns, cronJob(i))
		require.NoError(t, err)
		require.True(t, created.CreationTimestamp.Before(&metav1.Time{Time: b.mark}), "CronJob %s created after the burst's scheduled time", created.Name)
		b.cronJobs = append(b.cronJobs, created)
	}
	t.Logf("burst: %d CronJobs in %s due at %s", n, b.ns, b.mark.UTC().Format(time.RFC3339))
	return b
}

// jobsAt counts the burst's Jobs for its scheduled time.
func (b *burst) jobsAt(ctx context.Context) (int, error) {
	list, err := cluster.Client.BatchV1().Jobs(b.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0, fmt.Errorf("listing Jobs in %s: %w", b.ns, err)
	}
	n := 0
	for i := range list.Items {
		if s, err := framework.ScheduledTime(&list.Items[i]); err == nil && s.Equal(b.mark) {
			n++
		}
	}
	return n, nil
}

// waitJobs polls every fastPoll until at least n Jobs exist for the burst's
// scheduled time. It returns when the count first grew past from (0 if it
// never did), when it reached n, and the count then. API errors (an API
// server being restarted) are retried.
func (b *burst) waitJobs(t *testing.T, from, n int, timeout time.Duration) (progressAt, doneAt time.Time, count int) {
	t.Helper()
	ctx := t.Context()
	deadline := time.Now().Add(timeout)
	ticker := time.NewTicker(fastPoll)
	defer ticker.Stop()
	for {
		c, err := b.jobsAt(ctx)
		now := time.Now()
		if err == nil {
			count = c
			if c > from && progressAt.IsZero() {
				progressAt = now
			}
			if c >= n {
				return progressAt, now, c
			}
		}
		if now.After(deadline) {
			t.Fatalf("waited %s for %d Jobs of %s at %s: %d exist (last error: %v)", timeout, n, b.ns, b.mark.UTC().Format(time.RFC3339), count, err)
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-ticker.C:
		}
	}
}

// auditResult counts what went wrong for a set of CronJobs and scheduled
// times, from the Jobs in the cluster afterwards. Each count is something the
// API server does not prevent by itself, so each can be non-zero:
type auditResult struct {
	// duplicates: Jobs beyond the first that name one CronJob's scheduled
	// time, by upstream's scheduled-timestamp or steadycron's expected-start
	// annotation, whatever the Jobs' names. (The controller names a time's Job
	// after the time, so a second Job of the same name is refused by the API
	// server; this counts a second Job under another name.)
	duplicates int
	// concurrent: pairs of Jobs of one Forbid or Replace CronJob that were
	// unfinished at the same time (one created before the other completed or
	// failed), from the Jobs' creation and finish times.
	concurrent int
	// withoutLease: Jobs created while no replica held steadycron's Lease,
	// after a release or an expiry and before the next acquisition, from the
	// Lease's versions as watched since the first replicas() or audit.
	withoutLease int
	// unjudged: Jobs created before the first recorded Lease tenure.
	unjudged int
	// lost: (CronJob, scheduled time) pairs that should have a Job and have none.
	lost     int
	problems []string
}

// assertClean fails the test for every non-zero count.
func (r auditResult) assertClean(t *testing.T) {
	t.Helper()
	assert.Zero(t, r.duplicates, "%v", r.problems)
	assert.Zero(t, r.concurrent, "%v", r.problems)
	assert.Zero(t, r.withoutLease, "%v", r.problems)
	assert.Zero(t, r.lost, "%v", r.problems)
}

var leaseRecorder struct {
	once    sync.Once
	history *framework.LeaseHistory
	err     error
}

// leaseHistory starts, on first use, a watch of steadycron's Lease that
// lasts as long as the package's tests, and returns what it has seen.
func leaseHistory(t *testing.T) *framework.LeaseHistory {
	t.Helper()
	leaseRecorder.once.Do(func() {
		leaseRecorder.history, leaseRecorder.err = cluster.RecordLease(context.Background(), framework.SteadycronNamespace, framework.SteadycronLease)
	})
	require.NoError(t, leaseRecorder.err)
	return leaseRecorder.history
}

// audit lists the Jobs of ns and checks that each CronJob has exactly one Job
// for each of its scheduled times in want, never two Jobs for one time, under
// Forbid and Replace never two unfinished Jobs at once, and that no Job was
// created while no replica held the Lease.
func audit(t *testing.T, ns string, want map[types.UID][]time.Time) auditResult {
	t.Helper()
	tenures := leaseHistory(t).Tenures()
	list, err := cluster.Client.BatchV1().Jobs(ns).List(t.Context(), metav1.ListOptions{})
	require.NoError(t, err)
	cronJobs, err := cluster.Client.BatchV1().CronJobs(ns).List(t.Context(), metav1.ListOptions{})
	require.NoError(t, err)
	policy := map[types.UID]batchv1.ConcurrencyPolicy{}
	for _, cj := range cronJobs.Items {
		policy[cj.UID] = cj.Spec.ConcurrencyPolicy
	}
	type key struct {
		uid types.UID
		at  int64
	}
	jobs := map[key][]string{}
	byCronJob := map[types.UID][]batchv1.Job{}
	var r auditResult
	for i := range list.Items {
		j := &list.Items[i]
		ref := metav1.GetControllerOf(j)
		if ref == nil {
			continue
		}
		byCronJob[ref.UID] = append(byCronJob[ref.UID], *j)
		times, err := framework.ScheduledTimes(j)
		if err != nil {
			continue // bad input: an annotation that does not parse
		}
		for _, s := range times {
			k := key{ref.UID, s.Unix()}
			jobs[k] = append(jobs[k], j.Name)
		}
	}
	for k, names := range jobs {
		if len(names) > 1 {
			r.duplicates += len(names) - 1
			r.problems = append(r.problems, fmt.Sprintf("duplicate: CronJob %s at %s has Jobs %v", k.uid, time.Unix(k.at, 0).UTC().Format(time.RFC3339), names))
		}
	}
	for uid, js := range byCronJob {
		if p := policy[uid]; p != batchv1.ForbidConcurrent && p != batchv1.ReplaceConcurrent {
			continue
		}
		for _, pair := range framework.ConcurrentJobs(js) {
			r.concurrent++
			r.problems = append(r.problems, fmt.Sprintf("concurrent: CronJob %s (%s) had Jobs %s and %s unfinished at once", uid, policy[uid], pair[0], pair[1]))
		}
	}
	names, unjudged := framework.JobsCreatedWithoutLease(tenures, list.Items)
	r.withoutLease, r.unjudged = len(names), unjudged
	if len(names) > 0 {
		r.problems = append(r.problems, withoutLeaseProblem(ns, names, tenures))
	}
	for uid, times := range want {
		for _, at := range times {
			if len(jobs[key{uid, at.Unix()}]) == 0 {
				r.lost++
				r.problems = append(r.problems, fmt.Sprintf("lost: CronJob %s has no Job for %s", uid, at.UTC().Format(time.RFC3339)))
			}
		}
	}
	return r
}

func withoutLeaseProblem(ns string, names []string, tenures []framework.LeaseTenure) string {
	var held []string
	for _, t := range tenures {
		held = append(held, fmt.Sprintf("%s %s..%s", t.Holder, t.From.UTC().Format("15:04:05.000"), t.To.UTC().Format("15:04:05.000")))
	}
	return fmt.Sprintf("without lease: Jobs %v in %s were created while no replica held the Lease (tenures: %v)", names, ns, held)
}

// jobsCreatedWithoutLease lists the Jobs of ns and returns those created
// while no replica held steadycron's Lease (framework.JobsCreatedWithoutLease).
func jobsCreatedWithoutLease(t *testing.T, ns string) (names []string, problem string) {
	t.Helper()
	tenures := leaseHistory(t).Tenures()
	list, err := cluster.Client.BatchV1().Jobs(ns).List(t.Context(), metav1.ListOptions{})
	require.NoError(t, err)
	names, _ = framework.JobsCreatedWithoutLease(tenures, list.Items)
	if len(names) > 0 {
		problem = withoutLeaseProblem(ns, names, tenures)
	}
	return names, problem
}

// audit checks the burst: one Job per CronJob for its scheduled time.
func (b *burst) audit(t *testing.T) auditResult {
	t.Helper()
	want := map[types.UID][]time.Time{}
	for _, cj := range b.cronJobs {
		want[cj.UID] = []time.Time{b.mark}
	}
	return audit(t, b.ns, want)
}

// waitStatus waits until every CronJob of the burst records the scheduled
// time as its lastScheduleTime and its Job as active: a status update lost in
// a crash or an outage was made again.
func (b *burst) waitStatus(t *testing.T, timeout time.Duration) {
	t.Helper()
	err := framework.WaitFor(t.Context(), "every CronJob of the burst to record its run in its status", timeout, func(ctx context.Context) (bool, error) {
		list, err := cluster.Client.BatchV1().CronJobs(b.ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		for _, cj := range list.Items {
			if cj.Status.LastScheduleTime == nil || cj.Status.LastScheduleTime.Time.Before(b.mark) || len(cj.Status.Active) == 0 {
				return false, nil
			}
		}
		return len(list.Items) == len(b.cronJobs), nil
	})
	require.NoError(t, err)
}
