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

package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

const (
	// forOverride replaces the `for: 5m` of SteadycronDown and
	// SteadycronNoLeader in this suite's Prometheus, so that both can be
	// driven in about a minute. Only `for:` changes (framework.
	// PrometheusOptions.For): the expressions are the shipped ones, and the
	// promtool rule unit tests check the shipped 5 minutes.
	forOverride = 20 * time.Second
	// counterWindow is the window of the shipped counter alerts: an alert
	// that fires must do so well within it.
	counterWindow = 15 * time.Minute
	// recorded is how long a count takes to reach a counter alert: the
	// shipped group steadycron.increments records every minute (its
	// interval is not shortened here), reading each minute 30 s late, plus
	// a scrape and an evaluation.
	recorded = 110 * time.Second

	skippedRun     = "SteadycronCronJobSkippedRun"
	missed         = "SteadycronMissedSchedules"
	jobFailed      = "SteadycronJobFailed"
	startDelayHigh = "SteadycronJobStartDelayHigh"
	down           = "SteadycronDown"
	noLeader       = "SteadycronNoLeader"
	leaderUnknown  = "SteadycronLeaderNotScraped"

	dashboardFile = "deploy/monitoring/dashboards/steadycron.json"
	metricsDoc    = "docs/metrics.md"
)

var counterAlerts = []string{skippedRun, missed, jobFailed, startDelayHigh}

// TestAlerts drives the default alerts on the local control plane (all but
// SteadycronJobOverlapped and the firing of SteadycronLeaderNotScraped: the
// rule unit tests drive those), with a
// Prometheus that scrapes steadycron every 2 s and evaluates the shipped
// rules every 2 s:
//
//   - one CronJob per skip reason (missedDeadline, concurrencyPolicy,
//     suspended, invalidSchedule, invalidTimeZone, error), a failing Job and
//     a run that starts more than 5 minutes after its scheduled time, all in
//     parallel: each first count fires its alert (a suspended CronJob's skip
//     is recorded and fires none), and a CronJob that runs on time fires
//     none;
//   - then steadycron is stopped (SteadycronDown fires), started while
//     another holder keeps its Lease (SteadycronDown resolves,
//     SteadycronNoLeader fires), and the Lease is freed (SteadycronNoLeader
//     resolves, and the restarted leader's count of the schedules a CronJob
//     missed during a downtime fires SteadycronMissedSchedules);
//   - every query of the Grafana dashboard runs without error, with data.
//
// The counter alerts' 15-minute and 1-hour windows are the shipped ones:
// the suite checks that they fire, not that they resolve 15 minutes later
// (the rule unit tests do).
func TestAlerts(t *testing.T) {
	cluster.RequireLocal(t, "starts Prometheus and stops steadycron")
	ctx := t.Context()
	prom, err := cluster.StartPrometheus(ctx, framework.PrometheusOptions{For: forOverride})
	require.NoError(t, err)
	t.Logf("Prometheus at %s", prom.URL())

	// A CronJob that runs on time all along: no alert may name it.
	hbNS := cluster.NewNamespace(t)
	heartbeat, err := cluster.CreateCronJob(ctx, hbNS, cluster.NewCronJob("heartbeat", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	// A skip whose series outlives the parallel subtests' namespaces, for
	// the dashboard's and the docs' queries at the end (counted again by
	// the restarted leader).
	_, err = cluster.CreateCronJob(ctx, hbNS, cluster.NewCronJob("never", framework.NeverFiringSchedule, framework.Succeeds))
	require.NoError(t, err)

	t.Run("cronjobs", func(t *testing.T) {
		t.Run("skip missedDeadline, and missed schedules born at 2", testMissedDeadline)
		t.Run("skip concurrencyPolicy", testConcurrencyPolicy)
		t.Run("skip suspended", testSuspended)
		t.Run("skip invalidSchedule", testInvalidSchedule)
		t.Run("skip invalidTimeZone", testInvalidTimeZone)
		t.Run("skip error", testCreateError)
		t.Run("first failure", testFirstFailure)
		t.Run("start delay over 5 minutes", testStartDelay)
	})
	t.Run("on time: no alert", func(t *testing.T) {
		_, err := cluster.WaitForJobs(ctx, heartbeat, 2, 10*time.Second)
		require.NoError(t, err, "the on-time CronJob did not run every minute")
		for _, name := range counterAlerts {
			alerts, err := prom.Alerts(ctx, name, map[string]string{"namespace": hbNS, "cronjob": heartbeat.Name})
			require.NoError(t, err)
			assert.Empty(t, alerts, "%s names a CronJob that ran on time", name)
		}
		// The series a CronJob that runs on time has (docs/metrics.md sizes
		// the option of creating series at 0 with it).
		q := fmt.Sprintf(`count({job=%q, namespace=%q, cronjob=%q})`, framework.PrometheusJob, hbNS, heartbeat.Name)
		v, err := prom.Query(ctx, q)
		require.NoError(t, err)
		t.Logf("figure: series of a CronJob that runs on time: %s = %v", q, v)
	})
	if t.Failed() {
		return
	}
	t.Run("controller down, no leader, missed schedules after a downtime", testControllerAlerts)
	t.Run("rules evaluate without error", func(t *testing.T) {
		rules, err := prom.API().Rules(ctx, nil)
		require.NoError(t, err)
		n, records := 0, 0
		for _, g := range rules.Groups {
			for _, r := range g.Rules {
				switch r := r.(type) {
				case promv1.AlertingRule:
					n++
					assert.Equal(t, string(promv1.RuleHealthGood), string(r.Health), "%s: %s", r.Name, r.LastError)
				case promv1.RecordingRule:
					records++
					assert.Equal(t, string(promv1.RuleHealthGood), string(r.Health), "%s: %s", r.Name, r.LastError)
				}
			}
		}
		assert.Equal(t, 9, n, "alerting rules loaded")
		assert.Equal(t, 6, records, "recording rules loaded")
	})
	t.Run("dashboard queries", testDashboardQueries)
	t.Run("docs/metrics.md queries", testDocQueries)
}

// fired waits for the alert and logs how long after since it became active
// (Prometheus' activeAt) and was seen firing; the figure lines are what
// docs/operations.md quotes.
func fired(t *testing.T, name string, match map[string]string, since time.Time, timeout time.Duration) framework.Alert {
	t.Helper()
	a, err := cluster.Prometheus().WaitAlertFiring(t.Context(), name, match, timeout)
	require.NoError(t, err)
	t.Logf("figure: %s %v active %.1fs and seen firing %.1fs after the event; value %s; summary %q",
		name, match, a.ActiveAt.Sub(since).Seconds(), time.Since(since).Seconds(), a.Value, a.Annotations["summary"])
	assert.Less(t, a.ActiveAt.Sub(since), counterWindow)
	return a
}

func cronJobLabels(ns, name string, kv ...string) map[string]string {
	m := map[string]string{"namespace": ns, "cronjob": name}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// untilMinuteMarks is long enough for a minutely CronJob created now to
// reach n scheduled times, plus the scrape and evaluation.
func untilMinuteMarks(n int) time.Duration {
	return framework.UntilNextMinute(0) + time.Duration(n-1)*time.Minute + recorded
}

// testMissedDeadline: a CronJob whose last scheduled time is 3 minutes back
// and whose deadline is 10 s: the most recent time is skipped
// (missedDeadline) and the two before it are missed. Both series are born
// by this count: at 1 and at 2.
func testMissedDeadline(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	cj, _, err := cluster.CreateCronJobPastItsDeadline(ctx, ns, "deadline")
	require.NoError(t, err)
	event := time.Now()
	fired(t, skippedRun, cronJobLabels(ns, cj.Name, "reason", "missedDeadline"), event, recorded)
	a := fired(t, missed, cronJobLabels(ns, cj.Name), event, recorded)
	assert.Equal(t, fmt.Sprintf("CronJob %s/%s jumped over 2 scheduled times.", ns, cj.Name), string(a.Annotations["summary"]))
}

// testConcurrencyPolicy: Forbid and a Job that never ends; the next
// scheduled time is counted as skipped when the one after it comes.
func testConcurrencyPolicy(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	tmpl := cluster.NewCronJob("forbid", "* * * * *", framework.RunsForever)
	tmpl.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
	require.NoError(t, err)
	timeout := untilMinuteMarks(3)
	// The count comes at the third minute mark; measure from it.
	third := framework.NextMinute(time.Now()).Add(2 * time.Minute)
	fired(t, skippedRun, cronJobLabels(ns, cj.Name, "reason", "concurrencyPolicy"), third, timeout)
}

// testSuspended: every scheduled time of a suspended CronJob is counted as
// skipped once the next one comes, and recorded; SteadycronCronJobSkippedRun
// leaves reason="suspended" out (a suspend is the owner's choice).
func testSuspended(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	tmpl := cluster.NewCronJob("suspended", "* * * * *", framework.Succeeds)
	tmpl.Spec.Suspend = ptr.To(true)
	cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
	require.NoError(t, err)
	q := fmt.Sprintf(`sum(sum_over_time(cronjob:cronjob_controller_skips:increase1m{namespace=%q, cronjob=%q, reason="suspended"}[15m])) > 0`, ns, cj.Name)
	err = framework.WaitFor(ctx, "the suspended skip recorded", untilMinuteMarks(3), func(ctx context.Context) (bool, error) {
		v, err := cluster.Prometheus().Query(ctx, q)
		if err != nil {
			return false, err
		}
		vec, ok := v.(model.Vector)
		return ok && len(vec) == 1, nil
	})
	require.NoError(t, err)
	// The alert groups are evaluated every 2 s: five evaluations that see
	// the recorded skip must not make it pending.
	_, err = cluster.Prometheus().WaitAlertFiring(ctx, skippedRun, cronJobLabels(ns, cj.Name), 10*time.Second)
	assert.Error(t, err, "%s names a suspended CronJob", skippedRun)
}

// testInvalidSchedule: a schedule with no date (February 31st) is counted
// once as invalidSchedule, at the first sync.
func testInvalidSchedule(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("february", framework.NeverFiringSchedule, framework.Succeeds))
	require.NoError(t, err)
	fired(t, skippedRun, cronJobLabels(ns, cj.Name, "reason", "invalidSchedule"), cj.CreationTimestamp.Time, recorded)
}

// testInvalidTimeZone: a time zone the controller does not know (stored
// before the API server's validation refused it) is counted once.
func testInvalidTimeZone(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	bad := cluster.NewCronJob("mars", "* * * * *", framework.Succeeds)
	bad.Spec.TimeZone = ptr.To("Mars/Olympus_Mons")
	// What the API server's defaulting would have set.
	bad.Spec.Suspend = ptr.To(false)
	bad.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3)
	bad.Spec.FailedJobsHistoryLimit = ptr.To[int32](1)
	stored, err := cluster.StoreCronJobBypassingValidation(ctx, ns, bad)
	require.NoError(t, err)
	fired(t, skippedRun, cronJobLabels(ns, stored.Name, "reason", "invalidTimeZone"), time.Now(), recorded)
}

// testCreateError: a ResourceQuota of zero Jobs makes every create fail; a
// failed create is a tentative skip, counted as error when the next
// scheduled time supersedes it.
func testCreateError(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	require.NoError(t, cluster.RefuseJobs(ctx, ns))
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("quota", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	second := framework.NextMinute(time.Now()).Add(time.Minute)
	fired(t, skippedRun, cronJobLabels(ns, cj.Name, "reason", "error"), second, untilMinuteMarks(3))
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	assert.Empty(t, jobs)
}

// testFirstFailure: the first Job of a CronJob fails: the failure series is
// born at 1, and SteadycronJobFailed fires.
func testFirstFailure(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("fails", "* * * * *", framework.Fails))
	require.NoError(t, err)
	var failedAt time.Time
	err = framework.WaitFor(ctx, "the first Job to fail", untilMinuteMarks(1), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		if err != nil {
			return false, err
		}
		for _, j := range jobs {
			for _, c := range j.Status.Conditions {
				if c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue {
					failedAt = c.LastTransitionTime.Time
					return true, nil
				}
			}
		}
		return false, nil
	})
	require.NoError(t, err)
	fired(t, jobFailed, cronJobLabels(ns, cj.Name), failedAt, recorded)
}

// testStartDelay: a daily CronJob (UTC) whose scheduled time was 7 minutes
// ago and had not run yet (its last scheduled time is before it) is run late
// by the controller; kwok keeps the pod Pending 5 s. The start delay, about
// 7 minutes, is above the 5-minute SLO: the first observation of the
// histogram fires SteadycronJobStartDelayHigh.
func testStartDelay(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	scheduled := time.Now().UTC().Truncate(time.Minute).Add(-7 * time.Minute)
	tmpl := cluster.NewCronJob("late", fmt.Sprintf("%d %d * * *", scheduled.Minute(), scheduled.Hour()), framework.Pod{PendingFor: 5 * time.Second})
	tmpl.Spec.TimeZone = ptr.To("Etc/UTC")
	cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
	require.NoError(t, err)
	_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
		// Yesterday's run: a time of the schedule. A last schedule time
		// that is not one (a minute before today's time) reads as a
		// schedule edited at the CronJob's creation, after today's time,
		// which then does not run (docs/semantics.md, schedule edits).
		c.Status.LastScheduleTime = &metav1.Time{Time: scheduled.AddDate(0, 0, -1)}
	})
	require.NoError(t, err)
	// The catch-up Job, its pod's 5 s in Pending and the tracker's observation
	// come first (about 30 s on a busy machine), then the recording.
	a := fired(t, startDelayHigh, cronJobLabels(ns, cj.Name), time.Now(), 90*time.Second+recorded)
	v, err := strconv.ParseFloat(a.Value, 64)
	require.NoError(t, err)
	// The value is the fraction of the hour's scheduled starts later than
	// 5 minutes: the one start there is.
	assert.InDelta(t, 1.0, v, 1e-9)
}

// testControllerAlerts: steadycron stopped, then up without the Lease, then
// leading again after a downtime.
func testControllerAlerts(t *testing.T) {
	ctx := t.Context()
	prom, sc := cluster.Prometheus(), cluster.Steadycron()

	// SIGTERM: the leader releases its Lease. Another holder then takes
	// it for an hour, as a stuck or foreign leader would.
	require.NoError(t, sc.Stop())
	stopped := time.Now()
	squatLease(t)
	fired(t, down, nil, stopped, forOverride+time.Minute)

	// What a downtime leaves behind: a CronJob whose last scheduled time is
	// 4 minutes back (created now, with that status).
	ns := cluster.NewNamespace(t)
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("downtime", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
		c.Status.LastScheduleTime = &metav1.Time{Time: time.Now().Truncate(time.Minute).Add(-4 * time.Minute)}
	})
	require.NoError(t, err)

	// Up again, but the Lease is held: a ready standby and no leader.
	require.NoError(t, sc.Start(ctx))
	started := time.Now()
	require.NoError(t, prom.WaitAlertInactive(ctx, down, nil, 30*time.Second))
	t.Logf("figure: %s resolved %.1fs after steadycron started", down, time.Since(started).Seconds())
	fired(t, noLeader, nil, started, forOverride+time.Minute)
	// Every replica is scraped: leadership is known to be absent, not
	// unknown.
	unknown, err := prom.Alerts(ctx, leaderUnknown, nil)
	require.NoError(t, err)
	assert.Empty(t, unknown, "%s with every replica scraped", leaderUnknown)

	// Free the Lease: steadycron leads, counts the missed schedules of the
	// downtime CronJob in a process that has just started.
	require.NoError(t, cluster.Client.CoordinationV1().Leases(framework.SteadycronNamespace).Delete(ctx, framework.SteadycronLease, metav1.DeleteOptions{}))
	freed := time.Now()
	require.NoError(t, sc.WaitLeading(ctx, cluster, time.Minute))
	require.NoError(t, prom.WaitAlertInactive(ctx, noLeader, nil, 30*time.Second))
	t.Logf("figure: %s resolved %.1fs after the Lease was freed", noLeader, time.Since(freed).Seconds())
	a := fired(t, missed, cronJobLabels(ns, cj.Name), freed, 20*time.Second+recorded)
	assert.Regexp(t, `jumped over [34] scheduled times\.$`, a.Annotations["summary"])
}

// squatLease makes steadycron's Lease held by someone else for an hour, a
// holder that last renewed it five minutes ago (a stuck leader): the
// scheduled times since then are the next leader's to count
// (docs/metrics.md, "Which process counts a scheduled time").
func squatLease(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	leases := cluster.Client.CoordinationV1().Leases(framework.SteadycronNamespace)
	now := metav1.NewMicroTime(time.Now().Add(-5 * time.Minute))
	spec := coordinationv1.LeaseSpec{
		HolderIdentity:       ptr.To("e2e-squatter"),
		LeaseDurationSeconds: ptr.To[int32](3600),
		AcquireTime:          &now,
		RenewTime:            &now,
	}
	lease, err := leases.Get(ctx, framework.SteadycronLease, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = leases.Create(ctx, &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Name: framework.SteadycronLease, Namespace: framework.SteadycronNamespace},
			Spec:       spec,
		}, metav1.CreateOptions{})
		require.NoError(t, err)
		return
	}
	require.NoError(t, err)
	lease.Spec = spec
	_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
	require.NoError(t, err)
}

// Grafana's variables, as the dashboard would set them here: all
// namespaces and CronJobs, a range covering the suite, a rate interval
// that spans a minutely schedule's runs, and the 1-minute interval of the
// count panels (their minimum: one recording per minute).
var dashboardVars = map[string]string{
	"job": framework.PrometheusJob, "namespace": ".*", "cronjob": ".*",
	"__rate_interval": "2m", "__interval": "1m", "__range": "10m", "__range_s": "600",
}

var varRE = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)(?::[a-z]+)?\}|\$([A-Za-z0-9_]+)`)

// testDashboardQueries runs every panel query of the dashboard against the
// suite's Prometheus: each must evaluate without error or warning and
// return data (the scenarios above produce data for every panel but the
// re-execution ones).
func testDashboardQueries(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(cluster.RepoRoot(), dashboardFile))
	require.NoError(t, err)
	var d struct {
		Panels []dashboardPanel `json:"panels"`
	}
	require.NoError(t, json.Unmarshal(data, &d))
	var panels []dashboardPanel
	var walk func([]dashboardPanel)
	walk = func(ps []dashboardPanel) {
		for _, p := range ps {
			if p.Type == "row" {
				walk(p.Panels)
				continue
			}
			panels = append(panels, p)
		}
	}
	walk(d.Panels)
	require.NotEmpty(t, panels)
	for _, p := range panels {
		for _, target := range p.Targets {
			expr := varRE.ReplaceAllStringFunc(target.Expr, func(m string) string {
				sub := varRE.FindStringSubmatch(m)
				v, ok := dashboardVars[sub[1]+sub[2]]
				if !ok {
					t.Errorf("panel %q: unknown variable %s", p.Title, m)
				}
				return v
			})
			v, err := cluster.Prometheus().Query(t.Context(), expr)
			if !assert.NoError(t, err, "panel %q", p.Title) {
				continue
			}
			n := resultLen(v)
			t.Logf("panel %q %s: %d series", p.Title, target.RefID, n)
			if strings.Contains(expr, "cronjob_job_reexecutions") {
				// No scenario of this suite runs a Job twice; e2e/steadycron's
				// overlap and retry tests produce these series.
				continue
			}
			assert.Positive(t, n, "panel %q query %s returned no data: %s", p.Title, target.RefID, expr)
		}
	}
}

type dashboardPanel struct {
	Title   string           `json:"title"`
	Type    string           `json:"type"`
	Panels  []dashboardPanel `json:"panels"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
}

func resultLen(v model.Value) int {
	switch r := v.(type) {
	case model.Vector:
		return len(r)
	case model.Matrix:
		return len(r)
	case *model.Scalar:
		return 1
	default:
		return 0
	}
}

var promqlBlockRE = regexp.MustCompile("(?ms)^```promql\n(.*?)^```")

// testDocQueries runs the example queries of docs/metrics.md: each must
// evaluate without error or warning.
func testDocQueries(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(cluster.RepoRoot(), metricsDoc))
	require.NoError(t, err)
	blocks := promqlBlockRE.FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, blocks)
	for _, b := range blocks {
		v, err := cluster.Prometheus().Query(t.Context(), b[1])
		if assert.NoError(t, err) {
			t.Logf("%d series: %s", resultLen(v), strings.Join(strings.Fields(b[1]), " "))
		}
	}
}
