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
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestDecisionsAddUpAcrossLeaderKills: Forbid CronJobs `* * * * *` whose first
// Job runs on, so that every later scheduled time is a skip, tentative until
// the next one supersedes it. The leader is killed (SIGKILL) three times, each
// time while those skips are pending (20 to 40 s after a minute mark), after a
// last scrape of its metrics, as Prometheus would have; the killed replica
// comes back as the standby. At the end, for each CronJob, the decisions plus
// the missed schedules counted by every process that led add up to its
// scheduled times (the last one's skip is still tentative, and not expected):
// none lost at a kill, none counted twice.
func TestDecisionsAddUpAcrossLeaderKills(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	requireLong(t)
	ctx := t.Context()
	replicas(t)
	ns := cluster.NewNamespace(t)

	tally := newForbidTally(t, ns, 5)
	add := tally.add
	for kill := range 3 {
		at := framework.NextMinute(time.Now()).Add(time.Duration(20+10*kill) * time.Second)
		waitUntil(t, fmt.Sprintf("kill %d, while the skips of the last scheduled time are pending", kill+1), at)
		leader, err := cluster.SteadycronLeader(ctx)
		require.NoError(t, err)
		add(leader)
		require.NoError(t, leader.Kill())
		t.Logf("kill %d: killed the leader %s at %s", kill+1, leader.Name, time.Now().UTC().Format(time.TimeOnly))
		next, err := cluster.WaitSteadycronLeader(ctx, 3*leaseDuration)
		require.NoError(t, err)
		require.NotSame(t, leader, next)
		require.NoError(t, leader.Start(ctx), "restarting %s as the standby", leader.Name)
	}

	record(t, "decisions-across-kills", tally.check(figures{"kills": 3}))
}

// TestDecisionsAddUpAcrossGracefulHandovers: Forbid CronJobs `* * * * *`
// whose first Job runs on, so that every later scheduled time is a skip,
// tentative until the next one supersedes it. Twice, 50 s after a minute
// mark, the standby and then the leader are stopped (SIGTERM) while those
// skips are pending, and one replica starts again 10 s after the next mark
// (the other follows as the standby): the new leader first sees a later
// scheduled time than the one its predecessor skipped, so it counts that
// skip only because the stopping leader handed it over (the ConfigMap
// steadycron-handover, patch 0023). At the end, for each CronJob, the
// decisions plus the missed schedules counted by every process that led add
// up to its scheduled times (the last one's skip is still tentative, and not
// expected).
func TestDecisionsAddUpAcrossGracefulHandovers(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	requireLong(t)
	ctx := t.Context()
	replicas(t)
	ns := cluster.NewNamespace(t)

	tally := newForbidTally(t, ns, 3)
	add := tally.add
	const handovers = 2
	// The first handover comes after a skip: the first time runs, the next
	// is skipped.
	waitUntil(t, "a first skip", framework.NextMinute(framework.NextMinute(tally.createdAt)).Add(time.Second))
	for h := range handovers {
		at := framework.NextMinute(time.Now()).Add(-10 * time.Second)
		waitUntil(t, fmt.Sprintf("handover %d, while the skips of the last scheduled time are pending", h+1), at)
		leader, err := cluster.SteadycronLeader(ctx)
		require.NoError(t, err)
		for _, s := range cluster.SteadycronInstances() {
			if s != leader {
				require.NoError(t, s.Stop(), "stopping the standby %s", s.Name)
			}
		}
		add(leader)
		require.NoError(t, leader.Stop())
		t.Logf("handover %d: stopped the leader %s at %s", h+1, leader.Name, time.Now().UTC().Format(time.TimeOnly))
		waitUntil(t, "a later scheduled time, due while nobody leads", framework.NextMinute(time.Now()).Add(10*time.Second))
		require.NoError(t, leader.Start(ctx), "restarting %s", leader.Name)
		require.NoError(t, leader.WaitLeading(ctx, cluster, 3*leaseDuration))
		for _, s := range cluster.SteadycronInstances() {
			if s != leader {
				require.NoError(t, s.Start(ctx), "restarting %s as the standby", s.Name)
			}
		}
	}

	record(t, "decisions-across-graceful-handovers", tally.check(figures{"handovers": handovers}))
}

// forbidTally is n Forbid CronJobs `* * * * *` (UTC) whose Jobs run forever,
// and what the processes that counted their decisions and are gone counted.
type forbidTally struct {
	t         *testing.T
	ns        string
	n         int
	createdAt time.Time
	counted   map[string]float64 // per CronJob
}

// newForbidTally creates the CronJobs forbid-0 … forbid-(n-1) in ns, not within
// 15 s before a minute mark.
func newForbidTally(t *testing.T, ns string, n int) *forbidTally {
	t.Helper()
	if time.Until(framework.NextMinute(time.Now())) < 15*time.Second {
		waitUntil(t, "a scheduled time too close to pass", framework.NextMinute(time.Now()).Add(time.Second))
	}
	for i := range n {
		tmpl := cluster.NewCronJob(fmt.Sprintf("forbid-%d", i), "* * * * *", framework.RunsForever)
		tmpl.Spec.TimeZone = ptr.To("Etc/UTC")
		tmpl.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		_, err := cluster.CreateCronJob(t.Context(), ns, tmpl)
		require.NoError(t, err)
	}
	return &forbidTally{t: t, ns: ns, n: n, createdAt: time.Now(), counted: map[string]float64{}}
}

// add adds what the process s counted (scraped before it goes, as Prometheus
// would have).
func (c *forbidTally) add(s *framework.Steadycron) {
	c.t.Helper()
	got, err := outcomes(c.t.Context(), s, c.ns)
	require.NoError(c.t, err, "scraping %s", s.Name)
	for cj, v := range got {
		c.counted[cj] += v
	}
}

// check waits for the decisions of the next scheduled time, adds the running
// processes' counts, and asserts that, per CronJob, the decisions plus the
// missed schedules of every process add up to its scheduled times after the
// creation and before that last one (the first invoked, the others skipped;
// the last one's skip is still tentative). It returns f with the figures.
func (c *forbidTally) check(f figures) figures {
	c.t.Helper()
	last := framework.NextMinute(time.Now())
	waitUntil(c.t, "the last scheduled time's decisions", last.Add(10*time.Second))
	for _, s := range cluster.SteadycronInstances() {
		if s.Running() {
			c.add(s)
		}
	}
	want := 0
	for m := framework.NextMinute(c.createdAt); m.Before(last); m = m.Add(time.Minute) {
		want++
	}
	f["cronjobs"], f["scheduled_times"] = c.n, want
	for i := range c.n {
		name := fmt.Sprintf("forbid-%d", i)
		assert.Equal(c.t, float64(want), c.counted[name], "CronJob %s: decisions plus missed schedules over every process", name)
		f["counted_"+name] = c.counted[name]
	}
	return f
}

// outcomes returns, per CronJob of ns, the scheduling decisions plus the
// missed schedules that the process s counted.
func outcomes(ctx context.Context, s *framework.Steadycron, ns string) (map[string]float64, error) {
	families, err := s.Metrics(ctx)
	if err != nil {
		return nil, err
	}
	got := map[string]float64{}
	for _, metric := range []string{decisionsMetric, missedMetric} {
		for _, m := range families[metric].GetMetric() {
			var namespace, cronJob string
			for _, l := range m.GetLabel() {
				switch l.GetName() {
				case "namespace":
					namespace = l.GetValue()
				case "cronjob":
					cronJob = l.GetValue()
				}
			}
			if namespace == ns {
				got[cronJob] += m.GetCounter().GetValue()
			}
		}
	}
	return got, nil
}
