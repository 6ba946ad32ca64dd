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
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// The tests in this file need what only a real kubelet and container runtime
// do: start a pod's containers one after the other, run lifecycle hooks, and
// deliver SIGTERM to a container on graceful deletion. kwok sets every
// container's state at once, so they run only with real containers
// (make kind-e2e).

func requireRealContainers(t *testing.T) {
	t.Helper()
	if !cluster.RealContainers() {
		t.Skip("needs a real kubelet and container runtime: make kind-e2e")
	}
}

// TestFirstRunningIsTheAppContainerNotANativeSidecar: a Job whose pod starts a
// native sidecar (a restartable init container) seconds before the app
// container gets first-running from the app container's startedAt, not from
// the sidecar's.
func TestFirstRunningIsTheAppContainerNotANativeSidecar(t *testing.T) {
	requireRealContainers(t)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	image := framework.ContainerImage()
	template := cluster.NewCronJob("sidecar", "* * * * *", framework.Succeeds)
	template.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	template.Spec.JobTemplate.Spec.Template.Spec = corev1.PodSpec{
		RestartPolicy:                 corev1.RestartPolicyNever,
		TerminationGracePeriodSeconds: ptr.To[int64](1),
		// The kubelet starts the app only once the sidecar has started,
		// which includes its postStart hook: 3 seconds.
		InitContainers: []corev1.Container{{
			Name: "proxy", Image: image, RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways),
			Command:   []string{"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"},
			Lifecycle: &corev1.Lifecycle{PostStart: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"sleep", "3"}}}},
		}},
		Containers: []corev1.Container{{Name: "app", Image: image, Command: []string{"sh", "-c", "sleep 2"}}},
	}
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, untilMinuteMarks(1))
	require.NoError(t, err)
	job := &jobs[0]
	// The image may have to be pulled first.
	firstRunning := waitAnnotation(t, ns, job.Name, firstRunningAnnotation, 2*time.Minute)

	pod := onlyPod(t, job)
	app, proxy := containerStartedAt(pod.Status.ContainerStatuses, "app"), containerStartedAt(pod.Status.InitContainerStatuses, "proxy")
	require.False(t, app.IsZero(), "the app container has no startedAt: %+v", pod.Status.ContainerStatuses)
	require.False(t, proxy.IsZero(), "the sidecar has no startedAt: %+v", pod.Status.InitContainerStatuses)
	require.GreaterOrEqual(t, app.Sub(proxy), 2*time.Second,
		"the kubelet started the app %s after the sidecar, not after the sidecar's 3s postStart hook: the test cannot tell them apart", app.Sub(proxy))
	assert.Equal(t, app.UTC().Format(time.RFC3339), firstRunning, "first-running is the app container's startedAt, not the sidecar's (%s)", proxy.UTC().Format(time.RFC3339))
}

// TestReplaceLetsTheReplacedPodTerminateGracefully: with concurrencyPolicy
// Replace, the running Job of the previous scheduled time is deleted the way
// kubectl delete does it, so its pod gets SIGTERM and its grace period (here
// it takes 5 seconds to exit cleanly) instead of being killed; the replacing
// Job gets a first-running of its own from its own pod.
func TestReplaceLetsTheReplacedPodTerminateGracefully(t *testing.T) {
	requireRealContainers(t)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("replace", "* * * * *", framework.RunsForever)
	template.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
	spec := &template.Spec.JobTemplate.Spec.Template.Spec
	spec.TerminationGracePeriodSeconds = ptr.To[int64](30)
	spec.InitContainers = nil
	spec.Containers = []corev1.Container{{
		Name: "app", Image: framework.ContainerImage(),
		// sh waits for the running sleep before it runs the trap: at most 1s.
		Command: []string{"sh", "-c", "trap 'sleep 5; exit 0' TERM; while true; do sleep 1; done"},
	}}
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)

	got, err := cluster.WaitForActive(ctx, ns, cj.Name, 1, untilMinuteMarks(1))
	require.NoError(t, err)
	replaced := got.Status.Active[0].Name
	replacedFirstRunning := waitAnnotation(t, ns, replaced, firstRunningAnnotation, 2*time.Minute)
	replacedJob, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, replaced, metav1.GetOptions{})
	require.NoError(t, err)
	oldPod := onlyPod(t, replacedJob)

	// Follow the replaced pod to its end: its last status comes with the
	// DELETED event.
	ended := make(chan podEnd, 1)
	watchCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	go func() { ended <- watchPodEnd(watchCtx, oldPod) }()

	got, err = cluster.WaitForCronJob(ctx, ns, cj.Name, "a new Job replaces "+replaced, time.Minute+scheduleWaitMargin, func(cj *batchv1.CronJob) bool {
		names := activeNames(cj)
		return len(names) == 1 && names[0] != replaced
	})
	require.NoError(t, err)
	replacing := got.Status.Active[0].Name

	end := <-ended
	require.NoError(t, end.err)
	require.NotNil(t, end.deletionSeen, "the replaced pod was never marked for deletion")
	app := findStatus(end.last.Status.ContainerStatuses, "app")
	require.NotNil(t, app, "the replaced pod's last status has no app container: %+v", end.last.Status)
	require.NotNil(t, app.State.Terminated, "the replaced pod's app container did not terminate: %+v", app.State)
	assert.Equal(t, int32(0), app.State.Terminated.ExitCode,
		"the replaced pod's app exited %d (%s): it was killed instead of finishing its SIGTERM handler", app.State.Terminated.ExitCode, app.State.Terminated.Reason)
	assert.GreaterOrEqual(t, end.gone.Sub(*end.deletionSeen), 4*time.Second,
		"the replaced pod was gone %s after its deletion started: no grace period", end.gone.Sub(*end.deletionSeen))

	firstRunning := waitAnnotation(t, ns, replacing, firstRunningAnnotation, 2*time.Minute)
	assert.NotEqual(t, replacedFirstRunning, firstRunning, "the replacing Job has the replaced Job's first-running")
	replacingJob, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, replacing, metav1.GetOptions{})
	require.NoError(t, err)
	started, err := appStartedAt(ctx, replacingJob)
	require.NoError(t, err)
	assert.Equal(t, started.UTC().Format(time.RFC3339), firstRunning, "first-running is the replacing pod's app startedAt")
}

// podEnd is what watchPodEnd saw of a pod's end.
type podEnd struct {
	deletionSeen *time.Time // when the watch first saw a deletionTimestamp (local clock)
	gone         time.Time  // when the watch saw it DELETED
	last         *corev1.Pod
	err          error
}

// watchPodEnd watches pod until it is deleted.
func watchPodEnd(ctx context.Context, pod *corev1.Pod) podEnd {
	var end podEnd
	w, err := cluster.Client.CoreV1().Pods(pod.Namespace).Watch(ctx, metav1.ListOptions{
		FieldSelector: "metadata.name=" + pod.Name, ResourceVersion: pod.ResourceVersion,
	})
	if err != nil {
		end.err = fmt.Errorf("watching pod %s: %w", pod.Name, err)
		return end
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		p, ok := ev.Object.(*corev1.Pod)
		if !ok {
			continue
		}
		now := time.Now()
		if p.DeletionTimestamp != nil && end.deletionSeen == nil {
			end.deletionSeen = &now
		}
		end.last = p
		if ev.Type == watch.Deleted {
			end.gone = now
			return end
		}
	}
	end.err = fmt.Errorf("the watch of pod %s ended before the pod was deleted: %w", pod.Name, ctx.Err())
	return end
}

// onlyPod waits for the Job's one pod to have its containers' statuses.
func onlyPod(t *testing.T, job *batchv1.Job) *corev1.Pod {
	t.Helper()
	var pod *corev1.Pod
	err := framework.WaitFor(t.Context(), "the pod of Job "+job.Name, time.Minute, func(ctx context.Context) (bool, error) {
		pods, err := cluster.Client.CoreV1().Pods(job.Namespace).List(ctx, metav1.ListOptions{LabelSelector: batchv1.ControllerUidLabel + "=" + string(job.UID)})
		if err != nil || len(pods.Items) != 1 || len(pods.Items[0].Status.ContainerStatuses) == 0 {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		pod = &pods.Items[0]
		return true, nil
	})
	require.NoError(t, err)
	return pod
}

func findStatus(statuses []corev1.ContainerStatus, name string) *corev1.ContainerStatus {
	for i := range statuses {
		if statuses[i].Name == name {
			return &statuses[i]
		}
	}
	return nil
}

// containerStartedAt is the start of the named container's current or last
// run, or zero.
func containerStartedAt(statuses []corev1.ContainerStatus, name string) time.Time {
	s := findStatus(statuses, name)
	if s == nil {
		return time.Time{}
	}
	for _, st := range []corev1.ContainerState{s.State, s.LastTerminationState} {
		switch {
		case st.Running != nil:
			return st.Running.StartedAt.Time
		case st.Terminated != nil:
			return st.Terminated.StartedAt.Time
		}
	}
	return time.Time{}
}

func activeNames(cj *batchv1.CronJob) []string {
	names := make([]string, 0, len(cj.Status.Active))
	for _, ref := range cj.Status.Active {
		names = append(names, ref.Name)
	}
	return names
}
