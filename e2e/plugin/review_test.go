//go:build review

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

package plugin

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestReviewWhyAfterTheHistoryLimit: a CronJob every minute with
// successfulJobsHistoryLimit 1 and startingDeadlineSeconds 30. Once its
// first Job ran and the history limit deleted it (the events SuccessfulCreate
// and SuccessfulDelete say both), why --at that first time must not say it
// was skipped:
// E2E_PKGS=./e2e/plugin/ scripts/e2e.sh -tags review -run TestReviewWhyAfterTheHistoryLimit
func TestReviewWhyAfterTheHistoryLimit(t *testing.T) {
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	template := cluster.NewCronJob("history", "* * * * *", framework.Succeeds)
	template.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](1)
	template.Spec.StartingDeadlineSeconds = ptr.To[int64](30)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(0)+scheduleWaitMargin)
	require.NoError(t, err)
	first, err := framework.ScheduledTime(&jobs[0])
	require.NoError(t, err)
	err = framework.WaitFor(ctx, "the first Job deleted by the history limit", 3*time.Minute, func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		if err != nil {
			return false, nil //nolint:nilerr // retried
		}
		for _, j := range jobs {
			if s, _ := framework.ScheduledTime(&j); s.Equal(first) {
				return false, nil
			}
		}
		return len(jobs) > 0, nil
	})
	require.NoError(t, err)
	w := why(t, ns, "history", "--at", first.Format(time.RFC3339))
	assert.NotEqual(t, "Skipped", w.Verdict, "%s ran (SuccessfulCreate, SuccessfulDelete): %s", first, w.Explanation)
	_, _ = kubectlCronJob(t, ns, "status", "history")
	_ = batchv1.ForbidConcurrent
}
