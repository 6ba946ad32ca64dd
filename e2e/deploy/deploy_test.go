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

package deploy

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/steadycron/steadycron/e2e/framework"
)

const fieldManager = "steadycron-e2e-deploy"

// rbacKinds are applied for real (the tests ask the authorizer about them);
// everything else is applied with dryRun=All: validated, defaulted and
// admitted by the API server, never stored.
var rbacKinds = []string{"ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}

// TestDeployControllerManifestsApply: `kubectl apply -k deploy/` would be
// accepted as it is.
func TestDeployControllerManifestsApply(t *testing.T) {
	t.Parallel()
	objs := kustomize(t, "deploy")
	applied, skipped := apply(t, objs)
	assert.Empty(t, skipped, "every API deploy/ uses is built in")
	for _, kind := range []string{"Deployment", "Service", "PodDisruptionBudget", "ServiceAccount", "ClusterRole", "Role"} {
		assert.Contains(t, applied, kind)
	}
}

// TestDeployOwnImageOverlayApplies: the install with an image you built
// yourself (docs/operations.md, examples/own-image) is accepted by the API
// server as `kubectl apply -k --dry-run=server` sends it, and its Deployment
// runs the overlay's image, pinned by digest, not the default's :dev.
func TestDeployOwnImageOverlayApplies(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := cluster.Kubectl(ctx, "apply", "-k", filepath.Join(root, "examples", "own-image"),
		"--dry-run=server", "--server-side", "--field-manager="+fieldManager, "-o", "yaml")
	require.NoError(t, err)
	docs, err := framework.ParseObjects([]byte(out))
	require.NoError(t, err)
	// kubectl prints several objects as one List.
	var objs []*unstructured.Unstructured
	for _, d := range docs {
		if !d.IsList() {
			objs = append(objs, d)
			continue
		}
		require.NoError(t, d.EachListItem(func(o runtime.Object) error {
			objs = append(objs, o.(*unstructured.Unstructured))
			return nil
		}))
	}

	var kinds, images []string
	for _, o := range objs {
		kinds = append(kinds, o.GetKind())
		if o.GetKind() != "Deployment" {
			continue
		}
		containers, _, err := unstructured.NestedSlice(o.Object, "spec", "template", "spec", "containers")
		require.NoError(t, err)
		for _, c := range containers {
			images = append(images, c.(map[string]any)["image"].(string))
		}
	}
	for _, kind := range []string{"Deployment", "Service", "PodDisruptionBudget", "ServiceAccount", "ClusterRole", "Role"} {
		assert.Contains(t, kinds, kind, "the API server accepted the overlay's %s", kind)
	}
	assert.Equal(t, []string{"registry.example/platform/cronjob-controller:v0.1.0@sha256:4b0b2ec7e7b5e0f3c5b5c1c8a39a1b6a8f5d9e1a2c3b4d5e6f708192a3b4c5d6"}, images,
		"the Deployment runs examples/own-image's image")
}

// TestDeployMonitoringManifestsApply: deploy/monitoring applies, except the
// Prometheus Operator's kinds where their CRDs are not installed, and its
// ClusterRole lets the Prometheus ServiceAccount read /metrics.
func TestDeployMonitoringManifestsApply(t *testing.T) {
	t.Parallel()
	objs := kustomize(t, "deploy/monitoring")
	applied, skipped := apply(t, objs)
	for _, kind := range skipped {
		assert.Contains(t, []string{"ServiceMonitor", "PrometheusRule"}, kind, "only the Prometheus Operator's kinds may be missing")
	}
	assert.Contains(t, applied, "ConfigMap", "the dashboard")

	var subject framework.Subject
	for _, o := range objs {
		if o.GetKind() == "ClusterRoleBinding" && o.GetName() == "steadycron-metrics-reader" {
			subjects, _, _ := unstructured.NestedSlice(o.Object, "subjects")
			require.Len(t, subjects, 1)
			s := subjects[0].(map[string]any)
			subject = framework.ServiceAccountSubject(s["namespace"].(string), s["name"].(string))
		}
	}
	require.NotEmpty(t, subject.User, "the metrics-reader binding")
	cluster.ExpectAccess(t, subject, true, framework.NonResourceAccess("get", "/metrics"))
	cluster.ExpectAccess(t, subject, false, framework.NonResourceAccess("get", "/debug/pprof/"))
}

// TestDeploySidecarRBACGrantsKubeControllerManager: after `kubectl apply -k
// deploy/kubeadm/`, the identity of kcm's kubeconfig, which the sidecar
// uses, may do everything steadycron does: its own role already covers
// delegated authentication, the bindings add the rest.
func TestDeploySidecarRBACGrantsKubeControllerManager(t *testing.T) {
	t.Parallel()
	_, skipped := apply(t, kustomize(t, "deploy/kubeadm"))
	assert.Empty(t, skipped)
	kcm := framework.Subject{User: "system:kube-controller-manager", Groups: []string{"system:authenticated"}}
	cluster.ExpectAccess(t, kcm, true, framework.SteadycronNeeds...)
}

// TestDeployPodPassesRestrictedPodSecurity: the Deployment's pod is admitted
// in a namespace that enforces the restricted Pod Security Standard (the
// strictest built-in level), so it runs wherever policy demands it.
func TestDeployPodPassesRestrictedPodSecurity(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	var dep *unstructured.Unstructured
	for _, o := range kustomize(t, "deploy") {
		if o.GetKind() == "Deployment" {
			dep = o
		}
	}
	require.NotNil(t, dep, "deploy/ has a Deployment")
	tmpl, found, err := unstructured.NestedMap(dep.Object, "spec", "template")
	require.NoError(t, err)
	require.True(t, found)
	var pt corev1.PodTemplateSpec
	require.NoError(t, runtime.DefaultUnstructuredConverter.FromUnstructured(tmpl, &pt))

	ns := cluster.NewNamespace(t)
	const restricted = `{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"restricted","pod-security.kubernetes.io/enforce-version":"latest"}}}`
	_, err = cluster.Client.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, []byte(restricted), metav1.PatchOptions{})
	require.NoError(t, err)
	_, err = cluster.Client.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{
		ObjectMeta: metav1.ObjectMeta{Name: pt.Spec.ServiceAccountName},
	}, metav1.CreateOptions{})
	require.NoError(t, err)

	// First show that the namespace does enforce: a pod without the
	// settings is refused.
	bare := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "bare"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: pt.Spec.Containers[0].Image}}},
	}
	_, err = cluster.Client.CoreV1().Pods(ns).Create(ctx, bare, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	require.Error(t, err, "the namespace enforces restricted")
	require.True(t, apierrors.IsForbidden(err), "refused by Pod Security admission: %v", err)

	pod := &corev1.Pod{ObjectMeta: pt.ObjectMeta, Spec: pt.Spec}
	pod.Name = "steadycron"
	_, err = cluster.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	assert.NoError(t, err, "steadycron's pod under the restricted Pod Security Standard")
}

// kustomize renders a kustomization of the repository with kubectl's
// built-in kustomize, as `kubectl apply -k` does.
func kustomize(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := cluster.Kubectl(ctx, "kustomize", filepath.Join(root, dir))
	require.NoError(t, err)
	objs, err := framework.ParseObjects([]byte(out))
	require.NoError(t, err, "kubectl kustomize %s", dir)
	require.NotEmpty(t, objs, "kubectl kustomize %s rendered nothing", dir)
	return objs
}

// apply server-side applies objs: RBAC objects for real, the rest with
// dryRun=All. It returns the kinds applied and the kinds whose API the
// server does not serve (skipped), and fails the test on any other error.
// Objects it created are deleted when the test ends.
func apply(t *testing.T, objs []*unstructured.Unstructured) (applied, skipped []string) {
	t.Helper()
	res, err := framework.ApplyObjects(t.Context(), cluster.Config, objs, framework.ApplyOptions{
		FieldManager: fieldManager,
		DryRun:       func(o *unstructured.Unstructured) bool { return !slices.Contains(rbacKinds, o.GetKind()) },
		SkipUnserved: true,
		Created: func(what string, remove func(context.Context) error) {
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				if err := remove(ctx); err != nil {
					t.Log(err)
				}
			})
		},
	})
	require.NoError(t, err)
	if len(res.Skipped) > 0 {
		t.Logf("skipped %v: the API server does not serve them", res.Skipped)
	}
	return res.Applied, res.Skipped
}

// TestDeployLeaderPodDeletionCostRBAC: `kubectl apply -k
// deploy/leader-pod-deletion-cost/` lets steadycron's ServiceAccount patch
// pods in kube-system (the leader's own, for pod-deletion-cost), and nowhere
// else; without it, it may not.
func TestDeployLeaderPodDeletionCostRBAC(t *testing.T) {
	sa := framework.ServiceAccountSubject("kube-system", "steadycron")
	patchPods := framework.ResourceAccess("patch", "", "pods", "", "kube-system", "")
	cluster.ExpectAccess(t, sa, false, patchPods)
	_, skipped := apply(t, kustomize(t, "deploy/leader-pod-deletion-cost"))
	assert.Empty(t, skipped)
	cluster.ExpectAccess(t, sa, true, patchPods)
	cluster.ExpectAccess(t, sa, false, framework.ResourceAccess("patch", "", "pods", "", "default", ""), framework.ResourceAccess("update", "", "pods", "", "kube-system", ""))
}
