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
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestJobRecordsExpectedStartAndFirstRunning: a scheduled Job carries its
// scheduled time in UTC as expected-start, and once its pod runs, the time its
// app container started (as the kubelet reported it) as first-running; the
// start, its delay, the run time and the success are counted. On an external
// cluster (kind) the annotations are checked against a real runtime's
// startedAt; the metrics only where the test can scrape steadycron (local).
func TestJobRecordsExpectedStartAndFirstRunning(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("tracked", "* * * * *", framework.Pod{PendingFor: 2 * time.Second, RunFor: 3 * time.Second}))
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, untilMinuteMarks(1))
	require.NoError(t, err)
	job := &jobs[0]

	scheduled, err := framework.ScheduledTime(job)
	require.NoError(t, err)
	assert.Equal(t, scheduled.UTC().Format(time.RFC3339), job.Annotations[expectedStartAnnotation],
		"expected-start is the scheduled minute in UTC")

	firstRunning := waitAnnotation(t, ns, job.Name, firstRunningAnnotation, time.Minute)
	started, err := appStartedAt(ctx, job)
	require.NoError(t, err)
	assert.Equal(t, started.UTC().Format(time.RFC3339), firstRunning, "first-running is the app container's startedAt")
	assert.False(t, started.Before(scheduled), "the app cannot start before its scheduled time")
	assert.GreaterOrEqual(t, started.Sub(scheduled), time.Second, "the pod stayed Pending 2s, so its app started at least a second late")

	_, err = cluster.WaitForCronJob(ctx, ns, cj.Name, "a successful run", time.Minute, func(c *batchv1.CronJob) bool { return c.Status.LastSuccessfulTime != nil })
	require.NoError(t, err)

	if !cluster.Local() {
		return // the metrics: local cluster only (scrapesMetrics)
	}
	labels := map[string]string{"namespace": ns, "cronjob": cj.Name, "trigger": "scheduled"}
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), startedMetric, labels, 1, 30*time.Second)
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), finishedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "result": "success"}, 1, 30*time.Second)
	require.NoError(t, err)
	observed, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), startDelayMetric, labels)
	require.NoError(t, err)
	require.GreaterOrEqual(t, observed.Count, uint64(1), "start delay observed")
	assert.GreaterOrEqual(t, observed.Sum, 0.0, "start delay is never negative")
	assert.GreaterOrEqual(t, observed.Sum/float64(observed.Count), 1.0, "the pod stayed Pending 2s, so its app started at least a second late")
	err = framework.WaitFor(ctx, "app container run time observed", 30*time.Second, func(ctx context.Context) (bool, error) {
		duration, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), appDurationMetric, labels)
		return err == nil && duration.Count >= 1, nil
	})
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), decisionsMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "decision": "invoke", "reason": "onTime"}, 1, 10*time.Second)
	require.NoError(t, err)

	// A run that executed once: one attempt, no re-execution.
	observed, err = framework.ScrapeSeries(ctx, cluster.Steadycron(), attemptsMetric, labels)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), observed.Count, "attempts observed when the Job finished")
	assert.Equal(t, 1.0, observed.Sum, "one app container start")
	reexecutions, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), reexecutionsMetric, map[string]string{"namespace": ns, "cronjob": cj.Name})
	require.NoError(t, err)
	assert.Zero(t, reexecutions.Value)
}

// TestFailedJobIsCountedAsFailure: a Job whose pod fails is counted as a
// failure, and its first-running annotation is still set.
func TestFailedJobIsCountedAsFailure(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("failing", "* * * * *", framework.Fails))
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, untilMinuteMarks(1))
	require.NoError(t, err)
	waitAnnotation(t, ns, jobs[0].Name, firstRunningAnnotation, time.Minute)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), finishedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "result": "failure"}, 1, time.Minute)
	require.NoError(t, err)
}

// TestManualJobIsTracked: a Job made by hand from a CronJob (as kubectl create
// job --from=cronjob/NAME makes it) gets first-running and counts as manual.
func TestManualJobIsTracked(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("manual", "0 0 1 1 *", framework.Succeeds)
	template.Spec.Suspend = ptr.To(true)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	job, err := cluster.CreateManualJob(ctx, cj, "manual-run")
	require.NoError(t, err)

	waitAnnotation(t, ns, job.Name, firstRunningAnnotation, time.Minute)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), startedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "trigger": "manual"}, 1, 30*time.Second)
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), finishedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "trigger": "manual", "result": "success"}, 1, time.Minute)
	require.NoError(t, err)
}

// TestTrackerCachesOnlyCronJobPods: with 1,000 pods in the cluster that
// belong to no Job, the job tracker's pod cache holds none of them.
func TestTrackerCachesOnlyCronJobPods(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	const unrelated = 1000
	for i := range unrelated {
		// Not bound to a node, so they stay Pending and cost kwok nothing.
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("web-%d", i), Labels: map[string]string{"app": "web"}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "registry.k8s.io/pause:3.10"}}},
		}
		_, err := cluster.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
		require.NoError(t, err)
	}
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("tracked", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, untilMinuteMarks(1))
	require.NoError(t, err)
	// The tracker saw this CronJob's pod...
	waitAnnotation(t, ns, jobs[0].Name, firstRunningAnnotation, time.Minute)
	// ...and holds only CronJob pods: every test's together are far fewer
	// than the unrelated pods of this one.
	families, err := cluster.Steadycron().Metrics(ctx)
	require.NoError(t, err)
	gauge, ok := families["cronjob_jobtracker_cached_pods"]
	require.True(t, ok, "cronjob_jobtracker_cached_pods is missing")
	cached := gauge.GetMetric()[0].GetGauge().GetValue()
	assert.GreaterOrEqual(t, cached, 1.0)
	assert.Less(t, cached, 100.0, "the tracker caches pods that belong to no CronJob")
}

// TestRetryPodKeepsFirstRunning: when a Job's first pod fails and its retry
// succeeds, first-running stays the first pod's start and the Job counts as a
// success. kwok gives every pod of a Job the same fate, so the test reports
// the two outcomes itself, as the kubelet would; the job controller makes
// the retry.
func TestRetryPodKeepsFirstRunning(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("retried", "* * * * *", framework.RunsForever)
	template.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	template.Spec.JobTemplate.Spec.BackoffLimit = ptr.To[int32](1)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, untilMinuteMarks(1))
	require.NoError(t, err)
	job := &jobs[0]
	firstRunning := waitAnnotation(t, ns, job.Name, firstRunningAnnotation, time.Minute)

	first := runningPods(t, job, 1)[0]
	finishPod(t, &first, 1)
	var retry corev1.Pod
	err = framework.WaitFor(ctx, "the retry pod to run", 90*time.Second, func(ctx context.Context) (bool, error) {
		for _, p := range runningPods(t, job, 0) {
			if p.UID != first.UID {
				retry = p
				return true, nil
			}
		}
		return false, nil
	})
	require.NoError(t, err)
	finishPod(t, &retry, 0)

	_, err = cluster.WaitForCronJob(ctx, ns, cj.Name, "a successful run", time.Minute, func(c *batchv1.CronJob) bool { return c.Status.LastSuccessfulTime != nil })
	require.NoError(t, err)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), finishedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "result": "success"}, 1, 30*time.Second)
	require.NoError(t, err)
	got, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, firstRunning, got.Annotations[firstRunningAnnotation], "the retry pod changed first-running")
	failures, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), finishedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "result": "failure"})
	require.NoError(t, err)
	assert.Zero(t, failures.Value, "a failed pod that was retried is not a failed Job")

	// The retry is one re-execution, sequential: no overlap, no event.
	retries, err := framework.WaitCounter(ctx, cluster.Steadycron(), reexecutionsMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "kind": "retry"}, 1, 30*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 1.0, retries)
	overlaps, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), reexecutionsMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "kind": "overlap"})
	require.NoError(t, err)
	assert.Zero(t, overlaps.Value)
	observed, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), attemptsMetric, map[string]string{"namespace": ns, "cronjob": cj.Name})
	require.NoError(t, err)
	assert.Equal(t, uint64(1), observed.Count)
	assert.Equal(t, 2.0, observed.Sum, "two app container starts")
	recorded, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "overlap=0,retry=1", recorded.Annotations[reexecutionsAnnotation], "what was counted is recorded on the Job")
	events, err := cluster.EventsFor(ctx, ns, job)
	require.NoError(t, err)
	for _, e := range events {
		assert.NotEqual(t, "OverlappingRun", e.Reason, "a retry is not an overlap")
	}
}

// runningPods lists the Job's pods whose app container runs, waiting for at
// least n of them.
func runningPods(t *testing.T, job *batchv1.Job, n int) []corev1.Pod {
	t.Helper()
	var running []corev1.Pod
	err := framework.WaitFor(t.Context(), fmt.Sprintf("%d running pods of Job %s", n, job.Name), time.Minute, func(ctx context.Context) (bool, error) {
		pods, err := cluster.Client.CoreV1().Pods(job.Namespace).List(ctx, metav1.ListOptions{LabelSelector: batchv1.ControllerUidLabel + "=" + string(job.UID)})
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		running = running[:0]
		for _, p := range pods.Items {
			if p.Status.Phase == corev1.PodRunning && len(p.Status.ContainerStatuses) > 0 && p.Status.ContainerStatuses[0].State.Running != nil {
				running = append(running, p)
			}
		}
		return len(running) >= n, nil
	})
	require.NoError(t, err)
	return running
}

// finishPod reports the pod's app container as exited with exitCode, as the
// kubelet would.
func finishPod(t *testing.T, pod *corev1.Pod, exitCode int32) {
	t.Helper()
	started := pod.Status.ContainerStatuses[0].State.Running.StartedAt
	// kwok and the Job controller may update the pod too: write on its
	// latest version.
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		latest, err := cluster.Client.CoreV1().Pods(pod.Namespace).Get(t.Context(), pod.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		status := &latest.Status.ContainerStatuses[0]
		status.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: exitCode, StartedAt: started, FinishedAt: metav1.Now(), Reason: "Completed",
		}}
		status.Ready = false
		latest.Status.Phase = corev1.PodSucceeded
		if exitCode != 0 {
			latest.Status.Phase = corev1.PodFailed
			status.State.Terminated.Reason = "Error"
		}
		_, err = cluster.Client.CoreV1().Pods(pod.Namespace).UpdateStatus(t.Context(), latest, metav1.UpdateOptions{})
		return err
	})
	require.NoError(t, err)
}
