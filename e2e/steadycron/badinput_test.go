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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestUnknownTimeZoneIsCounted: a CronJob whose time zone the controller does
// not know (stored before validation refused it) gets an UnknownTimeZone
// warning and one skip/invalidTimeZone, creates no Job, and does not keep the
// CronJob next to it from running.
func TestUnknownTimeZoneIsCounted(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	bad := cluster.NewCronJob("mars", "* * * * *", framework.Succeeds)
	bad.Spec.TimeZone = ptr.To("Mars/Olympus_Mons")
	bad.Spec.ConcurrencyPolicy = batchv1.AllowConcurrent
	bad.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
	stored, err := cluster.StoreCronJobBypassingValidation(ctx, ns, bad)
	require.NoError(t, err)
	good, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("earth", "* * * * *", framework.Succeeds))
	require.NoError(t, err)

	_, err = cluster.WaitForEvent(ctx, ns, stored, time.Minute, "UnknownTimeZone")
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, stored.Name, "skip", "invalidTimeZone"), 1, 10*time.Second)
	require.NoError(t, err)

	_, err = cluster.WaitForJobs(ctx, good, 1, untilMinuteMarks(1))
	require.NoError(t, err, "a CronJob with a bad time zone stalled the one next to it")
	jobs, err := cluster.JobsOf(ctx, stored)
	require.NoError(t, err)
	assert.Empty(t, jobs)
	skips, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), decisionsMetric, framework.Decision(ns, stored.Name, "skip", "invalidTimeZone"))
	require.NoError(t, err)
	assert.Equal(t, 1.0, skips.Value, "counted once, however often the CronJob is synced")
}
