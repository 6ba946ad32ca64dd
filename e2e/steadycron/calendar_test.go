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
