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

package dropin

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/steadycron/steadycron/e2e/framework"
)

// skewMetric is upstream's STABLE CronJob metric; steadycron keeps its name,
// buckets and meaning, so dashboards built on kcm's keep working.
const skewMetric = "cronjob_controller_job_creation_skew_duration_seconds"

// TestCronJobCreationSkewMetric: once steadycron has created a Job, /metrics
// has upstream's job-creation skew histogram with that creation counted.
func TestCronJobCreationSkewMetric(t *testing.T) {
	cluster.RequireLocal(t, "scrapes steadycron's plain-HTTP metrics endpoint")
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("skew", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	_, err = cluster.WaitForJobs(ctx, cj, 1, oneMinute())
	require.NoError(t, err)

	families, err := cluster.Steadycron().Metrics(ctx)
	require.NoError(t, err)
	family, ok := families[skewMetric]
	require.True(t, ok, "%s is missing from %s", skewMetric, cluster.Steadycron().URL("/metrics"))
	require.Equal(t, "HISTOGRAM", family.GetType().String())
	require.Positive(t, framework.SumSeries(families, skewMetric, nil).Count, "%s counted no Job creation", skewMetric)
}
