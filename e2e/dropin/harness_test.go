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
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestHarnessPodBehaviours checks the test cluster rather than steadycron:
// pods of plain Jobs (no CronJob involved) stay Pending, run, and succeed or
// fail as framework.Pod asks, so the CronJob tests can rely on it.
func TestHarnessPodBehaviours(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	newJob := func(name string, p framework.Pod) *batchv1.Job {
		return &batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec:       batchv1.JobSpec{BackoffLimit: ptr.To[int32](0), Template: cluster.PodTemplate(p)},
		}
	}
	podOf := func(ctx context.Context, job string) (*corev1.Pod, error) {
		pods, err := cluster.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "job-name=" + job})
		if err != nil || len(pods.Items) != 1 {
			return nil, err
		}
		return &pods.Items[0], nil
	}
	waitPhase := func(job string, phase corev1.PodPhase, timeout time.Duration) *corev1.Pod {
		t.Helper()
		var pod *corev1.Pod
		err := framework.WaitFor(ctx, fmt.Sprintf("the pod of Job %s to be %s", job, phase), timeout, func(ctx context.Context) (bool, error) {
			p, err := podOf(ctx, job)
			if p == nil || err != nil {
				return false, err
			}
			pod = p
			return p.Status.Phase == phase, nil
		})
		require.NoError(t, err)
		return pod
	}

	slow := framework.Pod{PendingFor: 3 * time.Second, RunFor: 3 * time.Second}
	failing := framework.Pod{ExitCode: 3}
	for name, p := range map[string]framework.Pod{"slow": slow, "failing": failing} {
		_, err := cluster.Client.BatchV1().Jobs(ns).Create(ctx, newJob(name, p), metav1.CreateOptions{})
		require.NoError(t, err)
	}

	created := time.Now()
	pod := waitPhase("slow", corev1.PodRunning, 30*time.Second)
	require.GreaterOrEqual(t, time.Since(created), 2*time.Second, "pending-for was not honoured")
	require.NotNil(t, pod.Status.ContainerStatuses[0].State.Running)
	started := pod.Status.ContainerStatuses[0].State.Running.StartedAt

	pod = waitPhase("slow", corev1.PodSucceeded, 30*time.Second)
	term := pod.Status.ContainerStatuses[0].State.Terminated
	require.NotNil(t, term)
	require.Equal(t, int32(0), term.ExitCode)
	require.True(t, term.StartedAt.Equal(&started), "startedAt changed from %s to %s", started, term.StartedAt)
	require.GreaterOrEqual(t, term.FinishedAt.Sub(term.StartedAt.Time), 2*time.Second, "run-for was not honoured")

	pod = waitPhase("failing", corev1.PodFailed, 30*time.Second)
	require.Equal(t, int32(3), pod.Status.ContainerStatuses[0].State.Terminated.ExitCode)

	for job, want := range map[string]batchv1.JobConditionType{"slow": batchv1.JobComplete, "failing": batchv1.JobFailed} {
		err := framework.WaitFor(ctx, "Job "+job+" to be "+string(want), 30*time.Second, func(ctx context.Context) (bool, error) {
			j, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, job, metav1.GetOptions{})
			if err != nil {
				return false, err
			}
			cond, ok := framework.JobFinished(j)
			return ok && cond == want, nil
		})
		require.NoError(t, err)
	}
}
