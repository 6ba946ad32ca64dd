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
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

const (
	startedMetric     = "cronjob_job_started_total"
	finishedMetric    = "cronjob_job_finished_total"
	appDurationMetric = "cronjob_app_container_duration_seconds"
	attemptsMetric    = "cronjob_job_attempts"
)

// TestRestartObservesNoFinishedRunAgain: after steadycron restarts (and
// another replica may lead), the runs that ended and the Jobs that finished
// before are not observed again: each run is counted once across processes
// (docs/metrics.md, "Exactly once, across processes").
func TestRestartObservesNoFinishedRunAgain(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	ctx := t.Context()
	replicas(t)
	ns := cluster.NewNamespace(t)

	template := cluster.NewCronJob("observed", "0 0 1 1 *", framework.Succeeds)
	template.Spec.Suspend = ptr.To(true)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	run := func(name string) {
		t.Helper()
		_, err := cluster.CreateManualJob(ctx, cj, name)
		require.NoError(t, err)
	}
	labels := map[string]string{"namespace": ns, "cronjob": cj.Name, "trigger": "manual"}
	finished := map[string]string{"namespace": ns, "cronjob": cj.Name, "trigger": "manual", "result": "success"}
	waitRuns := func(n uint64) {
		t.Helper()
		_, err := framework.WaitCounter(ctx, cluster.LeaderMetrics(), finishedMetric, finished, float64(n), time.Minute)
		require.NoError(t, err)
		err = framework.WaitFor(ctx, "the app container's run to be observed", 30*time.Second, func(ctx context.Context) (bool, error) {
			got, err := framework.ScrapeSeries(ctx, cluster.LeaderMetrics(), appDurationMetric, labels)
			return err == nil && got.Count >= n, nil
		})
		require.NoError(t, err)
	}

	run("before-restart")
	waitRuns(1)

	stopReplicas(t)
	replicas(t)
	leader, err := cluster.WaitSteadycronLeader(ctx, 3*leaseDuration)
	require.NoError(t, err)
	// Ready: the leader's caches, the job tracker's pods included, have
	// synced, so every pod still in the cluster has been seen.
	err = framework.WaitFor(ctx, "the new leader to be ready", time.Minute, func(ctx context.Context) (bool, error) {
		resp, err := http.Get(leader.URL("/readyz"))
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	require.NoError(t, err)

	run("after-restart")
	waitRuns(1)
	for metric, want := range map[string]map[string]string{finishedMetric: finished, startedMetric: labels} {
		got, err := framework.ScrapeSeries(ctx, cluster.LeaderMetrics(), metric, want)
		require.NoError(t, err)
		assert.Equal(t, 1.0, got.Value, "%s: only the run after the restart", metric)
	}
	for _, metric := range []string{appDurationMetric, attemptsMetric} {
		got, err := framework.ScrapeSeries(ctx, cluster.LeaderMetrics(), metric, labels)
		require.NoError(t, err)
		assert.Equal(t, uint64(1), got.Count, "%s: the run that ended before the restart was observed again", metric)
	}
}
