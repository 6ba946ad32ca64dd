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
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestDeadlineOfZeroSaysItNeverRuns: a CronJob with startingDeadlineSeconds: 0
// can never start a Job in time; a Warning MissSchedule event says so once its
// first scheduled time has passed, and no Job is created.
func TestDeadlineOfZeroSaysItNeverRuns(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("never", "* * * * *", framework.Succeeds)
	template.Spec.StartingDeadlineSeconds = ptr.To[int64](0)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)

	event, err := cluster.WaitForEvent(ctx, ns, cj, 90*time.Second, "MissSchedule")
	require.NoError(t, err)
	assert.Equal(t, corev1.EventTypeWarning, event.Type)
	assert.Contains(t, event.Message, "startingDeadlineSeconds is 0")
	assert.Contains(t, event.Message, "never runs")
	jobs, err := cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	assert.Empty(t, jobs, "a CronJob with a deadline of 0 created a Job")
}
