package deploy

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/steadycron/steadycron/e2e/framework"
)

// TestDeployLeaderMayMarkOnlyItsOwnPods: with deploy/controller's
// leader-pod.yaml applied, the steadycron ServiceAccount may set
// controller.kubernetes.io/pod-deletion-cost on a steadycron pod in
// kube-system (what the leader does), and the admission policy refuses any
// other change of that pod and any change of another pod, which the Role
// alone would allow.
func TestDeployLeaderMayMarkOnlyItsOwnPods(t *testing.T) {
	ctx := t.Context()
	var leaderPod []*unstructured.Unstructured
	for _, o := range kustomize(t, "deploy/controller") {
		if o.GetName() == "steadycron-leader-pod" {
			leaderPod = append(leaderPod, o)
		}
	}
	require.Len(t, leaderPod, 4, "Role, RoleBinding, ValidatingAdmissionPolicy and its binding")
	_, skipped := apply(t, leaderPod)
	require.Empty(t, skipped)

	ours := createPod(t, map[string]string{"app.kubernetes.io/name": "steadycron"})
	other := createPod(t, map[string]string{"app.kubernetes.io/name": "something-else"})

	cfg := rest.CopyConfig(cluster.Config)
	cfg.Impersonate = rest.ImpersonationConfig{
		UserName: "system:serviceaccount:kube-system:steadycron",
		Groups:   []string{"system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"},
	}
	sa, err := kubernetes.NewForConfig(cfg)
	require.NoError(t, err)
	patch := func(name, body string) error {
		_, err := sa.CoreV1().Pods("kube-system").Patch(ctx, name, types.MergePatchType, []byte(body), metav1.PatchOptions{})
		return err
	}
	const cost = `{"metadata":{"annotations":{"controller.kubernetes.io/pod-deletion-cost":"1000"}}}`

	// The policy takes effect once the API server has loaded it.
	err = framework.WaitFor(ctx, "the admission policy to refuse a label change", 30*time.Second, func(context.Context) (bool, error) {
		err := patch(ours, `{"metadata":{"labels":{"extra":"x"}}}`)
		return apierrors.IsInvalid(err) || apierrors.IsForbidden(err), nil
	})
	require.NoError(t, err)

	assert.NoError(t, patch(ours, cost), "the leader marks its own pod")
	got, err := cluster.Client.CoreV1().Pods("kube-system").Get(ctx, ours, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "1000", got.Annotations["controller.kubernetes.io/pod-deletion-cost"])

	for what, tc := range map[string]struct{ pod, body string }{
		"another pod's cost":   {other, cost},
		"another annotation":   {ours, `{"metadata":{"annotations":{"other":"x"}}}`},
		"the pod's image":      {ours, `{"spec":{"containers":[{"name":"app","image":"evil"}]}}`},
		"the cost and a label": {ours, `{"metadata":{"labels":{"extra":"x"},"annotations":{"controller.kubernetes.io/pod-deletion-cost":"5"}}}`},
	} {
		err := patch(tc.pod, tc.body)
		assert.True(t, apierrors.IsInvalid(err) || apierrors.IsForbidden(err), "%s: want refused, got %v", what, err)
	}
}

// createPod creates a pod in kube-system with labels that is never scheduled
// (nothing binds it), and deletes it when the test ends.
func createPod(t *testing.T, labels map[string]string) string {
	t.Helper()
	tmpl := cluster.PodTemplate(framework.Pod{})
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "steadycron-e2e-leader-pod-", Namespace: "kube-system", Labels: labels},
		Spec:       tmpl.Spec,
	}
	pod.Spec.NodeName = ""
	created, err := cluster.Client.CoreV1().Pods("kube-system").Create(t.Context(), pod, metav1.CreateOptions{})
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cluster.Client.CoreV1().Pods("kube-system").Delete(ctx, created.Name, metav1.DeleteOptions{GracePeriodSeconds: new(int64)}); err != nil && !apierrors.IsNotFound(err) {
			t.Logf("deleting pod %s: %v", created.Name, err)
		}
	})
	return created.Name
}
