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

package steadycron

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestServedMetricsMatchTheContract: after the code paths that create every
// family of docs/metrics-contract.yaml have run (a catch-up over missed
// scheduled times, a scheduled Job that succeeds, a manual Job that fails and
// is retried, an app-container annotation that names no container), the
// leader's /metrics serves every listed family (but those listed as served
// only under faults) with the listed type, help, stability, labels and label
// values, no steadycron, workqueue or leader-election family the contract
// lacks, and nothing promlint objects to beyond the contract's exceptions.
// The scrape is kept as served-metrics.txt in the suite's artifacts.
func TestServedMetricsMatchTheContract(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	contract, err := cluster.LoadContract()
	require.NoError(t, err)

	// A scheduled time run late after two were jumped over: decisions
	// (invoke/late), missed schedules, the creation skew, and a scheduled
	// Job's start, delay, run time, success and attempts.
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("catchup", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
		c.Status.LastScheduleTime = &metav1.Time{Time: time.Now().Truncate(time.Minute).Add(-3 * time.Minute)}
	})
	require.NoError(t, err)

	// A manual Job whose pod fails and is retried once, with an
	// app-container annotation that names no container: a retry, a
	// failure, attempts, and an invalid annotation, with trigger="manual".
	manualJob(t, ns, "retried", framework.Fails, func(spec *batchv1.JobSpec) {
		spec.BackoffLimit = ptr.To[int32](1)
		spec.Template.Annotations["steadycron.io/app-container"] = "no-such-container"
	})

	// The last scrape that answered is kept and checked, so a wait that ends
	// unmet shows what was missing rather than an empty scrape.
	var served map[string]*dto.MetricFamily
	err = framework.WaitFor(ctx, "every family of the contract to be served by the leader", 4*time.Minute, func(ctx context.Context) (bool, error) {
		scrape, err := cluster.LeaderMetrics().Metrics(ctx)
		if err != nil {
			t.Logf("scraping the leader: %v", err)
			return false, nil
		}
		served = scrape
		return len(contract.Unserved(served)) == 0 && len(served[finishedMetric].GetMetric()) >= 2, nil
	})
	keepScrape(t, served)
	require.Empty(t, contract.Unserved(served), "listed families the leader never served (%v)", err)
	require.GreaterOrEqual(t, len(served[finishedMetric].GetMetric()), 2, "%s series, one for the catch-up's success and one for the manual Job's failure (%v)", finishedMetric, err)
	require.NoError(t, err)

	for _, p := range contract.CheckServed(served) {
		t.Error(p)
	}
	problems, stale, err := contract.Lint(served)
	require.NoError(t, err)
	for _, p := range problems {
		t.Errorf("promlint: %s (fix it, or list it with its reason under promlintExceptions in %s)", p, framework.ContractFile)
	}
	for _, p := range stale {
		t.Errorf("promlint no longer reports %q: drop it from promlintExceptions in %s", p, framework.ContractFile)
	}
}

// keepScrape writes the families in the text format to the suite's
// artifacts, for reading what was served when a check failed.
func keepScrape(t *testing.T, served map[string]*dto.MetricFamily) {
	t.Helper()
	var b strings.Builder
	for _, mf := range served {
		if _, err := expfmt.MetricFamilyToText(&b, mf); err != nil {
			t.Logf("writing the scrape: %v", err)
			return
		}
	}
	path := filepath.Join(cluster.ArtifactsDir, "served-metrics.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Logf("writing the scrape: %v", err)
		return
	}
	t.Logf("the leader's /metrics: %s", path)
}
