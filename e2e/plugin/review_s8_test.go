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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/steadycron/steadycron/e2e/framework"
	"github.com/steadycron/steadycron/pkg/plugin"
)

// TestReviewWhyFailedCreate (attack s8): a ResourceQuota of 0 Jobs makes the
// API server refuse every Job of the CronJob; the controller records a
// FailedCreate warning for the time and retries. why must cite it, not say
// "no Job and no event: no controller decided on it".
func TestReviewWhyFailedCreate(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	_, err := cluster.Client.CoreV1().ResourceQuotas(ns).Create(ctx, &corev1.ResourceQuota{
		ObjectMeta: metav1.ObjectMeta{Name: "no-jobs"},
		Spec:       corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{"count/jobs.batch": resource.MustParse("0")}},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("quota", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	ev, err := cluster.WaitForEvent(ctx, ns, cj, framework.UntilNextMinute(0)+scheduleWaitMargin, "FailedCreate")
	require.NoError(t, err)
	t.Logf("event %s: %s", ev.Reason, ev.Message)
	// The time is NotDueYet for 5 s after it; ask until it is not.
	var w plugin.Why
	err = framework.WaitFor(ctx, "why past the time's first seconds", time.Minute, func(context.Context) (bool, error) {
		w = why(t, ns, "quota")
		return w.Verdict != plugin.VerdictNotDue, nil
	})
	require.NoError(t, err)
	assert.NotEqual(t, plugin.VerdictNoDecision, w.Verdict, w.Explanation)
	assert.Contains(t, w.Explanation+strings.Join(w.Evidence, "\n"), "FailedCreate")
}
