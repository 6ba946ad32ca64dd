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
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestNegativeControlNoJobWithoutSteadycron stops steadycron and shows that a
// due CronJob gets no Job at the minute mark: nothing else in the cluster
// (kube-controller-manager in particular) runs a CronJob controller. Then it
// starts steadycron again and shows the same CronJob does get its Job, so the
// absence was not the CronJob's fault.
//
// It does not call t.Parallel, so it runs before the parallel tests start.
// To see it fail, start kcm with its CronJob controller:
//
//	E2E_KCM_CRONJOB_CONTROLLER=true scripts/e2e.sh -run TestNegativeControl
func TestNegativeControlNoJobWithoutSteadycron(t *testing.T) {
	cluster.RequireLocal(t, "needs to stop steadycron")
	ctx := t.Context()
	sc := cluster.Steadycron()
	ns := cluster.NewNamespace(t)

	require.NoError(t, sc.Stop(), "stopping steadycron")
	t.Cleanup(func() { // the parallel tests need it back whatever happens here
		if !sc.Running() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := sc.Start(ctx); err != nil {
				t.Errorf("restarting steadycron: %v", err)
			}
		}
	})

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("negative-control", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	due := framework.NextMinute(cj.CreationTimestamp.Time)
	t.Logf("CronJob created at %s, due at %s, with steadycron stopped", cj.CreationTimestamp.UTC().Format(time.RFC3339), due.UTC().Format(time.RFC3339))

	// kcm's controller would create the Job within a second or two of the
	// minute mark; give it 15 seconds.
	err = framework.Consistently(ctx, "no Job exists in "+ns, due.Add(15*time.Second), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.Client.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, fmt.Errorf("listing Jobs: %w", err)
		}
		for _, j := range jobs.Items {
			t.Errorf("Job %s was created at %s while steadycron was stopped: another CronJob controller is running",
				j.Name, j.CreationTimestamp.UTC().Format(time.RFC3339))
		}
		return len(jobs.Items) == 0, nil
	})
	require.NoError(t, err)

	require.NoError(t, sc.Start(ctx), "restarting steadycron")
	require.NoError(t, sc.WaitLeading(ctx, cluster, time.Minute))
	// The missed run is still due (no startingDeadlineSeconds): steadycron
	// starts it as soon as it leads.
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, 30*time.Second)
	require.NoError(t, err, "steadycron did not start the missed run")
	scheduled, err := framework.ScheduledTime(&jobs[0])
	require.NoError(t, err)
	require.True(t, scheduled.Equal(due), "Job %s scheduled for %s, want the missed %s", jobs[0].Name, scheduled, due)
}
