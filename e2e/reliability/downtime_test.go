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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// downtimeCronJobs is how many minutely CronJobs each downtime case has.
const downtimeCronJobs = 10

// TestDowntimeRunsMostRecentOnce: steadycron is stopped while minutely
// CronJobs miss many scheduled times (simulated by pushing lastScheduleTime
// back). On restart each gets exactly one Job at once, for its most recent
// scheduled time; the times jumped over are counted as missed, exactly; more
// than 100 give one TooManyMissedTimes warning; and no CronJob stalls. The
// missed count is exact up to its documented cap of 100 per jump
// (docs/metrics.md).
func TestDowntimeRunsMostRecentOnce(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	ctx := t.Context()
	type downtimeCase struct {
		name     string
		missed   int  // scheduled times passed while stopped, before the most recent one
		tooMany  bool // more than 100 start times were due: missed+1 > 100
		cronJobs []*batchv1.CronJob
	}
	cases := []*downtimeCase{
		{name: "5 minutes", missed: 4},
		{name: "100 minutes", missed: 99},
		{name: "101 minutes", missed: 100, tooMany: true},
		{name: "102 minutes", missed: 101, tooMany: true},
		{name: "150 minutes", missed: 149, tooMany: true},
	}
	replicas(t)
	ns := cluster.NewNamespace(t)
	// Act well clear of a scheduled time, so that the most recent one cannot
	// change between the stop and the checks.
	require.NoError(t, framework.WaitForSecondsPastMinute(t.Context(), 2, 30))
	mostRecent := time.Now().Truncate(time.Minute)
	stopReplicas(t)
	// The downtime is simulated: the Lease the replicas released says that
	// its holder led until now. Date its last renewal back to before the
	// longest downtime, as a leader that went down then would have left it:
	// the times since are the next leader's to count (docs/metrics.md,
	// "Which process counts a scheduled time").
	backdateLease(t, mostRecent.Add(-time.Duration(cases[len(cases)-1].missed+2)*time.Minute))
	for _, tc := range cases {
		for i := range downtimeCronJobs {
			tmpl := cluster.NewCronJob(fmt.Sprintf("down-%d-%d", tc.missed, i), "* * * * *", framework.Succeeds)
			tmpl.Spec.JobTemplate.Spec.Suspend = ptr.To(true)
			cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
			require.NoError(t, err)
			last := mostRecent.Add(-time.Duration(tc.missed+1) * time.Minute)
			cj, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
				c.Status.LastScheduleTime = &metav1.Time{Time: last}
			})
			require.NoError(t, err)
			tc.cronJobs = append(tc.cronJobs, cj)
		}
	}

	restartedAt := time.Now()
	replicas(t)
	want := map[types.UID][]time.Time{}
	var all []*batchv1.CronJob
	for _, tc := range cases {
		for _, cj := range tc.cronJobs {
			want[cj.UID] = []time.Time{mostRecent}
			all = append(all, cj)
		}
	}
	var doneAt time.Time
	err := framework.WaitFor(ctx, "every CronJob to run its most recent scheduled time", time.Minute, func(ctx context.Context) (bool, error) {
		for _, cj := range all {
			jobs, err := cluster.JobsOf(ctx, cj)
			if err != nil || len(jobs) == 0 {
				return false, nil //nolint:nilerr // retried until the timeout
			}
		}
		doneAt = time.Now()
		return true, nil
	})
	require.NoError(t, err, "a CronJob stalled after the downtime")
	require.True(t, time.Now().Before(mostRecent.Add(time.Minute)), "a scheduled time passed during the checks; the test acts too slowly")
	r := audit(t, ns, want)
	for _, cj := range all {
		jobs, err := cluster.JobsOf(ctx, cj)
		require.NoError(t, err)
		assert.Len(t, jobs, 1, "CronJob %s: exactly one Job after the downtime", cj.Name)
	}
	record(t, "downtime-simulated", figures{
		"cronjobs": len(all), "duplicates": r.duplicates, "concurrent": r.concurrent, "created_without_lease": r.withoutLease, "lost": r.lost,
		"recovery_seconds": seconds(doneAt.Sub(restartedAt)),
	})
	r.assertClean(t)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, cj := range tc.cronJobs {
				_, err := framework.WaitCounter(t.Context(), cluster.LeaderMetrics(), decisionsMetric, framework.Decision(ns, cj.Name, "invoke", "late"), 1, 10*time.Second)
				require.NoError(t, err)
				events, err := cluster.EventsFor(ctx, ns, cj)
				require.NoError(t, err)
				tooMany := 0
				for _, e := range events {
					if e.Reason == "TooManyMissedTimes" {
						tooMany++
					}
				}
				if tc.tooMany {
					assert.Positive(t, tooMany, "CronJob %s: no TooManyMissedTimes warning after %d missed times", cj.Name, tc.missed)
				} else {
					assert.Zero(t, tooMany, "CronJob %s: TooManyMissedTimes after only %d missed times", cj.Name, tc.missed)
				}
			}
			t.Run("missed count is exact up to its cap", func(t *testing.T) {
				want := min(tc.missed, missedCountCap)
				for _, cj := range tc.cronJobs {
					got, err := framework.WaitCounter(t.Context(), cluster.LeaderMetrics(), missedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name}, 1, 10*time.Second)
					require.NoError(t, err)
					assert.Equal(t, float64(want), got, "CronJob %s: %s", cj.Name, missedMetric)
				}
			})
		})
	}
}

// missedCountCap is the documented cap of cronjob_controller_missed_schedules_total
// per jump (docs/metrics.md): counting stops at 101 start times.
const missedCountCap = 100

// TestRealDowntimeRunsMostRecentOnce is the same across a real downtime of a
// few minutes (long variant): both replicas are stopped for three scheduled
// times; on restart each CronJob runs the most recent one at once, and the
// two before it are counted as missed.
func TestRealDowntimeRunsMostRecentOnce(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	requireLong(t)
	ctx := t.Context()
	replicas(t)
	ns := cluster.NewNamespace(t)
	var cjs []*batchv1.CronJob
	for i := range downtimeCronJobs {
		tmpl := cluster.NewCronJob(fmt.Sprintf("real-%d", i), "* * * * *", framework.Succeeds)
		tmpl.Spec.JobTemplate.Spec.Suspend = ptr.To(true)
		cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
		require.NoError(t, err)
		cjs = append(cjs, cj)
	}
	for _, cj := range cjs {
		_, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(30*time.Second))
		require.NoError(t, err)
	}
	firstRun := time.Now().Truncate(time.Minute)
	stopReplicas(t)
	stoppedAt := time.Now()
	waitUntil(t, "three scheduled times to pass with steadycron stopped", firstRun.Add(3*time.Minute+5*time.Second))
	mostRecent := firstRun.Add(3 * time.Minute)
	restartedAt := time.Now()
	replicas(t)

	want := map[types.UID][]time.Time{}
	for _, cj := range cjs {
		want[cj.UID] = []time.Time{firstRun, mostRecent}
		_, err := cluster.WaitForJobs(ctx, cj, 2, 30*time.Second)
		require.NoError(t, err, "CronJob %s stalled after the downtime", cj.Name)
	}
	doneAt := time.Now()
	r := audit(t, ns, want)
	for _, cj := range cjs {
		jobs, err := cluster.JobsOf(ctx, cj)
		require.NoError(t, err)
		assert.Len(t, jobs, 2, "CronJob %s: one Job before, one after the downtime", cj.Name)
		got, err := framework.WaitCounter(ctx, cluster.LeaderMetrics(), missedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name}, 1, 10*time.Second)
		require.NoError(t, err)
		assert.Equal(t, 2.0, got, "CronJob %s: the two times before the most recent are missed", cj.Name)
	}
	record(t, "downtime-real", figures{
		"cronjobs": len(cjs), "downtime_seconds": seconds(restartedAt.Sub(stoppedAt)),
		"duplicates": r.duplicates, "concurrent": r.concurrent, "created_without_lease": r.withoutLease, "lost": r.lost, "recovery_seconds": seconds(doneAt.Sub(restartedAt)),
	})
	r.assertClean(t)
}

// backdateLease sets the last renewal (and acquisition) of steadycron's
// released Lease to at, as if its last holder had stopped then.
func backdateLease(t *testing.T, at time.Time) {
	t.Helper()
	ctx := t.Context()
	leases := cluster.Client.CoordinationV1().Leases(framework.SteadycronNamespace)
	lease, err := leases.Get(ctx, framework.SteadycronLease, metav1.GetOptions{})
	require.NoError(t, err)
	renewed := metav1.NewMicroTime(at)
	lease.Spec.RenewTime, lease.Spec.AcquireTime = &renewed, &renewed
	_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
	require.NoError(t, err)
}
