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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestLeaderKilledMidBurst: with two replicas, N CronJobs come due at once
// and the leader is killed with SIGKILL once a fifth of their Jobs exists.
// The standby takes the lease about a lease duration later and creates the
// rest: no CronJob gets two Jobs for the scheduled time, none gets none, and
// every status records the run (the ones the dead leader created a Job for
// but could not record are repaired).
//
// Both replicas run with a client throttled by burstThrottle for this test only:
// at the default 500 QPS a fast machine creates the whole burst in a few
// hundred milliseconds, before the SIGKILL lands (CI saw 150 of 150), and no
// failover would be tested. The statuses stay deferred as by default, so the
// dead leader leaves Jobs whose statuses it never wrote.
func TestLeaderKilledMidBurst(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	ctx := t.Context()
	all := replicas(t)
	stopReplicas(t)
	for _, s := range all {
		require.NoError(t, s.Start(ctx, burstThrottle...), "starting %s throttled", s.Name)
	}
	// The next test's replicas() starts them again as prepared.
	t.Cleanup(func() { stopReplicas(t) })
	_, err := cluster.WaitSteadycronLeader(ctx, 3*leaseDuration)
	require.NoError(t, err)
	n := burstSize(t)
	b := newBurst(t, n)
	leader, err := cluster.WaitSteadycronLeader(ctx, time.Minute)
	require.NoError(t, err)

	// A watch sees the burst's Jobs within milliseconds of their creation,
	// while the rest are still being created (polling can miss the burst).
	jobs, err := cluster.Client.BatchV1().Jobs(b.ns).Watch(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	defer jobs.Stop()
	waitUntil(t, "the burst's scheduled time", b.mark)
	killAfter := max(1, n/5)
	for seen := 0; seen < killAfter; {
		select {
		case ev, ok := <-jobs.ResultChan():
			require.True(t, ok, "the watch of the burst's Jobs ended")
			if ev.Type == watch.Added {
				seen++
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%d Jobs of the burst seen 30s after the last one (waiting for %d)", seen, killAfter)
		}
	}
	require.NoError(t, leader.Kill())
	killedAt := time.Now()
	atKill, err := b.jobsAt(ctx)
	require.NoError(t, err)
	t.Logf("killed the leader %s with %d of %d Jobs created", leader.Name, atKill, n)
	if atKill >= n {
		// The creates of the whole burst were already in flight: this run tests
		// no failover, which must not pass as one.
		t.Fatalf("the whole burst (%d Jobs) was created before the kill landed: no failover tested (lower burstThrottle's QPS)", n)
	}

	progressAt, doneAt, _ := b.waitJobs(t, atKill, n, time.Duration(b.deadline)*time.Second)
	newLeader, err := cluster.WaitSteadycronLeader(ctx, 3*leaseDuration)
	require.NoError(t, err)
	require.NotSame(t, leader, newLeader)
	lease, err := cluster.Client.CoordinationV1().Leases(framework.SteadycronNamespace).Get(ctx, framework.SteadycronLease, metav1.GetOptions{})
	require.NoError(t, err)
	require.NotNil(t, lease.Spec.AcquireTime)
	takeover := lease.Spec.AcquireTime.Sub(killedAt)

	b.waitStatus(t, time.Minute)
	r := b.audit(t)
	f := figures{
		"n": n, "jobs_at_kill": atKill, "duplicates": r.duplicates, "concurrent": r.concurrent, "created_without_lease": r.withoutLease, "lost": r.lost,
		"takeover_seconds":   seconds(takeover),
		"lease_seconds":      leaseDuration.Seconds(),
		"recovery_seconds":   seconds(doneAt.Sub(killedAt)),
		"burst_done_seconds": seconds(doneAt.Sub(b.mark)),
	}
	if !progressAt.IsZero() {
		f["first_job_after_kill_seconds"] = seconds(progressAt.Sub(killedAt))
	}
	record(t, "failover", f)
	r.assertClean(t)
	assert.Less(t, takeover, maxTakeover, "the standby took longer than the lease duration and two of its retries to take over")
}

// burstThrottle is the client of TestLeaderKilledMidBurst's replicas: 25
// creates a second take 6 s for the quick burst of 150, and a fifth of it
// 1.2 s, so the kill lands mid-burst on any machine.
var burstThrottle = []string{"--kube-api-qps=25", "--kube-api-burst=5"}

// TestHandoverOnSIGTERM is one step of a rolling update of the Deployment
// that replaces the leader: the leader gets SIGTERM while the standby runs.
// It stops its controllers, writes the statuses it decided on and releases
// the Lease; the standby acquires it at its next retry
// (--leader-elect-retry-period, 2 s, with client-go's jitter up to 4.4 s).
// Measured from the Lease's versions: SIGTERM to the release, and the
// release to the standby's acquisition (the time with no leader).
func TestHandoverOnSIGTERM(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	ctx := t.Context()
	replicas(t)
	history := leaseHistory(t)
	leader, err := cluster.WaitSteadycronLeader(ctx, time.Minute)
	require.NoError(t, err)

	before := len(history.Tenures())
	termAt := time.Now()
	require.NoError(t, leader.Stop())
	exitedAt := time.Now()
	newLeader, err := cluster.WaitSteadycronLeader(ctx, 3*leaseDuration)
	require.NoError(t, err)
	require.NotSame(t, leader, newLeader)
	var tenures []framework.LeaseTenure
	err = framework.WaitFor(ctx, "the watch to see the new holder's acquisition", 10*time.Second, func(context.Context) (bool, error) {
		tenures = history.Tenures()
		return len(tenures) >= before+1 && tenures[len(tenures)-1].From.After(termAt), nil
	})
	require.NoError(t, err)
	old, acquired := tenures[len(tenures)-2], tenures[len(tenures)-1]
	gap := acquired.From.Sub(old.To)
	record(t, "handover-sigterm", figures{
		"released":               old.Released,
		"term_to_release":        seconds(old.To.Sub(termAt)),
		"term_to_exit":           seconds(exitedAt.Sub(termAt)),
		"release_to_acquire":     seconds(gap),
		"retry_period_seconds":   retryPeriod.Seconds(),
		"lease_duration_seconds": leaseDuration.Seconds(),
	})
	assert.True(t, old.Released, "the stopping leader did not release the Lease (tenures %v)", tenures)
	assert.Less(t, gap, 2*retryPeriod+time.Second, "no replica led for longer than the standby's retry period with its jitter")
	require.NoError(t, leader.Start(ctx), "restarting the stopped replica as the standby")
}
