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
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestControlPlaneRestartMidBurst: N CronJobs come due at once and, as soon
// as the first of their Jobs exists, kube-apiserver (or etcd) is killed with
// SIGKILL and started again on the same ports and data. steadycron recovers
// by itself: every CronJob gets exactly one Job for the scheduled time.
func TestControlPlaneRestartMidBurst(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	for _, tc := range []struct {
		name      string
		component string
		long      bool // only in the long variant, to keep make e2e short
	}{
		{name: "kube-apiserver", component: framework.ComponentAPIServer},
		{name: "etcd", component: framework.ComponentEtcd, long: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long {
				requireLong(t)
			}
			ctx := t.Context()
			replicas(t)
			leader, err := cluster.WaitSteadycronLeader(ctx, time.Minute)
			require.NoError(t, err)
			n := burstSize(t)
			b := newBurst(t, n)

			waitUntil(t, "the burst's scheduled time", b.mark)
			_, _, atKill := b.waitJobs(t, 0, 1, 30*time.Second)
			downAt := time.Now()
			require.NoError(t, cluster.StopComponent(tc.component, true))
			require.NoError(t, cluster.StartComponent(ctx, tc.component))
			upAt := time.Now()
			t.Logf("%s killed with %d of %d Jobs created, serving again after %s", tc.component, atKill, n, upAt.Sub(downAt).Round(time.Millisecond))

			atUp, err := b.jobsAt(ctx)
			if err != nil {
				atUp = atKill
			}
			progressAt, doneAt, _ := b.waitJobs(t, atUp, n, time.Duration(b.deadline)*time.Second)
			b.waitStatus(t, time.Minute)
			r := b.audit(t)
			after, err := cluster.WaitSteadycronLeader(ctx, 3*leaseDuration)
			require.NoError(t, err)
			f := figures{
				"n": n, "component": tc.component, "jobs_at_kill": atKill, "duplicates": r.duplicates, "concurrent": r.concurrent, "created_without_lease": r.withoutLease, "lost": r.lost,
				"outage_seconds":   seconds(upAt.Sub(downAt)),
				"recovery_seconds": seconds(doneAt.Sub(upAt)),
				"leader_kept":      after == leader,
			}
			if !progressAt.IsZero() {
				f["first_job_after_restart_seconds"] = seconds(progressAt.Sub(upAt))
			}
			record(t, "restart-"+tc.component, f)
			r.assertClean(t)
		})
	}
}
