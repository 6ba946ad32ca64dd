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
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	admissionv1 "k8s.io/api/admission/v1"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

const (
	reexecutionsMetric = "cronjob_job_reexecutions_total"
	attemptsMetric     = "cronjob_job_attempts"
	// reexecutionsAnnotation records on a Job the re-executions counted.
	reexecutionsAnnotation = "steadycron.io/reexecutions"
)

// manualJob creates a Job by hand from a suspended CronJob made of p (as
// kubectl create job --from=cronjob/NAME does), so a test need not wait
// for a minute mark; mutate edits the CronJob's Job template first.
func manualJob(t *testing.T, ns, name string, p framework.Pod, mutate func(*batchv1.JobSpec)) (*batchv1.CronJob, *batchv1.Job) {
	t.Helper()
	ctx := t.Context()
	template := cluster.NewCronJob(name, "0 0 1 1 *", p)
	template.Spec.Suspend = ptr.To(true)
	if mutate != nil {
		mutate(&template.Spec.JobTemplate.Spec)
	}
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	job, err := cluster.CreateManualJob(ctx, cj, name+"-manual")
	require.NoError(t, err)
	return cj, job
}

// injectSidecarFirst registers a mutating admission webhook, served by the
// test, that puts an istio-proxy container first in every pod created in ns,
// as a service mesh that makes the app wait for its proxy does.
func injectSidecarFirst(t *testing.T, ns string) {
	t.Helper()
	ctx := t.Context()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var review admissionv1.AdmissionReview
		if err := json.NewDecoder(r.Body).Decode(&review); err != nil || review.Request == nil {
			http.Error(w, "not an AdmissionReview", http.StatusBadRequest)
			return
		}
		patch, _ := json.Marshal([]map[string]any{{
			"op": "add", "path": "/spec/containers/0",
			"value": corev1.Container{Name: "istio-proxy", Image: "registry.k8s.io/pause:3.10"},
		}})
		review.Response = &admissionv1.AdmissionResponse{
			UID: review.Request.UID, Allowed: true, Patch: patch, PatchType: ptr.To(admissionv1.PatchTypeJSONPatch),
		}
		review.Request = nil
		_ = json.NewEncoder(w).Encode(review)
	}))
	t.Cleanup(srv.Close)

	config := &admissionregistrationv1.MutatingWebhookConfiguration{
		ObjectMeta: metav1.ObjectMeta{Name: "inject-sidecar-" + ns},
		Webhooks: []admissionregistrationv1.MutatingWebhook{{
			Name: "inject-sidecar.e2e.steadycron.io",
			ClientConfig: admissionregistrationv1.WebhookClientConfig{
				URL:      ptr.To(srv.URL + "/inject"),
				CABundle: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}),
			},
			Rules: []admissionregistrationv1.RuleWithOperations{{
				Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create},
				Rule:       admissionregistrationv1.Rule{APIGroups: []string{""}, APIVersions: []string{"v1"}, Resources: []string{"pods"}},
			}},
			NamespaceSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: ns}},
			FailurePolicy:           ptr.To(admissionregistrationv1.Fail),
			SideEffects:             ptr.To(admissionregistrationv1.SideEffectClassNone),
			AdmissionReviewVersions: []string{"v1"},
			TimeoutSeconds:          ptr.To[int32](5),
		}},
	}
	_, err := cluster.Client.AdmissionregistrationV1().MutatingWebhookConfigurations().Create(ctx, config, metav1.CreateOptions{})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = cluster.Client.AdmissionregistrationV1().MutatingWebhookConfigurations().Delete(context.Background(), config.Name, metav1.DeleteOptions{})
	})
	// The API server uses the webhook once its informer has it: probe with
	// dry-run creations.
	probe := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "probe"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.k8s.io/pause:3.10"}}},
	}
	err = framework.WaitFor(ctx, "the injecting webhook to be used", 30*time.Second, func(ctx context.Context) (bool, error) {
		got, err := cluster.Client.CoreV1().Pods(ns).Create(ctx, probe, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		return err == nil && len(got.Spec.Containers) == 2, nil
	})
	require.NoError(t, err)
}

// TestInjectedSidecarFirstGetsTheAppsStart: a mesh injects its proxy first
// into the Job's pod, and the proxy starts several seconds before the app
// (the app waits for it); first-running is the app container's start.
func TestInjectedSidecarFirstGetsTheAppsStart(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	injectSidecarFirst(t, ns)

	_, job := manualJob(t, ns, "meshed", framework.Pod{PendingFor: 8 * time.Second, RunFor: 2 * time.Second}, nil)
	var pod *corev1.Pod
	err := framework.WaitFor(ctx, "the Job's pod", 30*time.Second, func(ctx context.Context) (bool, error) {
		pods, err := cluster.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: batchv1.ControllerUidLabel + "=" + string(job.UID)})
		if err != nil || len(pods.Items) == 0 {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		pod = &pods.Items[0]
		return true, nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"istio-proxy", "app"}, []string{pod.Spec.Containers[0].Name, pod.Spec.Containers[1].Name}, "the webhook injected the proxy first")

	// The proxy runs, the app waits for it, as the kubelet reports it; kwok
	// starts the app when the pod's pending-for ends.
	// The scheduler and kwok update the pod too: write on its latest version.
	proxyStarted := metav1.NewTime(time.Now().Truncate(time.Second))
	err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
		latest, err := cluster.Client.CoreV1().Pods(ns).Get(ctx, pod.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		latest.Status.ContainerStatuses = []corev1.ContainerStatus{
			{Name: "istio-proxy", Image: "registry.k8s.io/pause:3.10", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: proxyStarted}}},
			{Name: "app", Image: "registry.k8s.io/pause:3.10", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}}},
		}
		_, err = cluster.Client.CoreV1().Pods(ns).UpdateStatus(ctx, latest, metav1.UpdateOptions{})
		return err
	})
	require.NoError(t, err)

	firstRunning := waitAnnotation(t, ns, job.Name, firstRunningAnnotation, time.Minute)
	appStarted, err := appStartedAt(ctx, job)
	require.NoError(t, err)
	assert.Equal(t, appStarted.UTC().Format(time.RFC3339), firstRunning, "first-running is the app's start")
	assert.NotEqual(t, proxyStarted.UTC().Format(time.RFC3339), firstRunning, "first-running is the injected proxy's start")
}

// TestInterruptedPodOverlapsItsReplacement: a pod deleted with a grace
// period keeps running while the Job controller's replacement starts (the
// default podReplacementPolicy): one overlap, its Warning event, and two
// attempts when the Job finishes.
func TestInterruptedPodOverlapsItsReplacement(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	// kwok counts TerminateFor from the pod's creation: 45 s leaves the
	// replacement half a minute to be scheduled and start beside the
	// deleted pod, also on a loaded machine (15 s left it 6 s, and a
	// replacement bound 7 s after its creation came too late).
	cj, job := manualJob(t, ns, "interrupted", framework.Pod{Forever: true, TerminateFor: 45 * time.Second}, func(s *batchv1.JobSpec) {
		s.BackoffLimit = ptr.To[int32](2)
	})
	waitAnnotation(t, ns, job.Name, firstRunningAnnotation, time.Minute)
	first := runningPods(t, job, 1)[0]
	// An eviction or drain: the pod gets its grace period to stop.
	require.NoError(t, cluster.Client.CoreV1().Pods(ns).Delete(ctx, first.Name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](60)}))

	event, err := cluster.WaitForEvent(ctx, ns, job, time.Minute, "OverlappingRun")
	require.NoError(t, err)
	assert.Equal(t, corev1.EventTypeWarning, event.Type)
	assert.Contains(t, event.Message, "while the one of pod "+first.Name)

	labels := map[string]string{"namespace": ns, "cronjob": cj.Name, "trigger": "manual"}
	overlap := map[string]string{"namespace": ns, "cronjob": cj.Name, "kind": "overlap"}
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), reexecutionsMetric, overlap, 1, 30*time.Second)
	require.NoError(t, err)

	var replacement corev1.Pod
	for _, p := range runningPods(t, job, 1) {
		if p.UID != first.UID && p.DeletionTimestamp == nil {
			replacement = p
		}
	}
	require.NotEmpty(t, replacement.Name, "no replacement pod runs")
	finishPod(t, &replacement, 0)
	_, err = framework.WaitCounter(ctx, cluster.Steadycron(), finishedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "result": "success"}, 1, time.Minute)
	require.NoError(t, err)
	observed, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), attemptsMetric, labels)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), observed.Count, "attempts observed once, when the Job finished")
	assert.Equal(t, 2.0, observed.Sum, "two app container starts")
	overlaps, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), reexecutionsMetric, overlap)
	require.NoError(t, err)
	assert.Equal(t, 1.0, overlaps.Value)
	recorded, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "overlap=1,retry=0", recorded.Annotations[reexecutionsAnnotation], "what was counted is recorded on the Job")
	retries, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), reexecutionsMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "kind": "retry"})
	require.NoError(t, err)
	assert.Zero(t, retries.Value)
}

// TestParallelPodsAreNotReexecutions: the pods of a Job that runs several
// pieces of work side by side (parallelism with completions, NonIndexed and
// Indexed) are one run each: no re-execution, no record on the Job, and the
// attempts are the pods' starts.
func TestParallelPodsAreNotReexecutions(t *testing.T) {
	cluster.RequireLocal(t, scrapesMetrics)
	t.Parallel()
	for name, mode := range map[string]batchv1.CompletionMode{"nonindexed": batchv1.NonIndexedCompletion, "indexed": batchv1.IndexedCompletion} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, ns := t.Context(), cluster.NewNamespace(t)
			cj, job := manualJob(t, ns, "parallel-"+name, framework.Pod{RunFor: 3 * time.Second}, func(s *batchv1.JobSpec) {
				s.Completions, s.Parallelism, s.CompletionMode = ptr.To[int32](3), ptr.To[int32](3), ptr.To(mode)
			})
			labels := map[string]string{"namespace": ns, "cronjob": cj.Name, "trigger": "manual"}
			_, err := framework.WaitCounter(ctx, cluster.Steadycron(), finishedMetric, map[string]string{"namespace": ns, "cronjob": cj.Name, "result": "success"}, 1, 90*time.Second)
			require.NoError(t, err)
			err = framework.WaitFor(ctx, "the Job's attempts observed", 45*time.Second, func(ctx context.Context) (bool, error) {
				observed, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), attemptsMetric, labels)
				return err == nil && observed.Count == 1, nil
			})
			require.NoError(t, err)
			observed, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), attemptsMetric, labels)
			require.NoError(t, err)
			assert.Equal(t, 3.0, observed.Sum, "three pods, one start each")
			reexecutions, err := framework.ScrapeSeries(ctx, cluster.Steadycron(), reexecutionsMetric, map[string]string{"namespace": ns, "cronjob": cj.Name})
			require.NoError(t, err)
			assert.Zero(t, reexecutions.Value)
			got, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, job.Name, metav1.GetOptions{})
			require.NoError(t, err)
			assert.NotContains(t, got.Annotations, reexecutionsAnnotation)
		})
	}
}
