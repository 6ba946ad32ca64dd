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

package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
)

func TestOwnPod(t *testing.T) {
	cases := map[string]struct {
		env           map[string]string
		wantNamespace string
		wantName      string
		wantOK        bool
	}{
		"both set":       {env: map[string]string{"POD_NAMESPACE": "kube-system", "POD_NAME": "steadycron-abc"}, wantNamespace: "kube-system", wantName: "steadycron-abc", wantOK: true},
		"name only":      {env: map[string]string{"POD_NAME": "steadycron-abc"}, wantName: "steadycron-abc"},
		"namespace only": {env: map[string]string{"POD_NAMESPACE": "kube-system"}, wantNamespace: "kube-system"},
		"neither":        {env: map[string]string{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			namespace, pod, ok := ownPod(func(k string) string { return tc.env[k] })
			assert.Equal(t, tc.wantNamespace, namespace)
			assert.Equal(t, tc.wantName, pod)
			assert.Equal(t, tc.wantOK, ok)
		})
	}
}

func TestMarkLeaderPod(t *testing.T) {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{
		Namespace:   "kube-system",
		Name:        "steadycron-abc",
		Labels:      map[string]string{"app.kubernetes.io/name": "steadycron"},
		Annotations: map[string]string{"kept": "yes"},
	}}
	cases := map[string]struct {
		objects     []runtime.Object
		reactor     clienttesting.ReactionFunc
		wantErr     string
		wantAnnotes map[string]string
	}{
		"sets the cost and keeps the other annotations": {
			objects:     []runtime.Object{pod},
			wantAnnotes: map[string]string{"kept": "yes", podDeletionCostAnnotation: leaderPodDeletionCost},
		},
		"overwrites a lower cost": {
			objects: []runtime.Object{func() *corev1.Pod {
				p := pod.DeepCopy()
				p.Annotations[podDeletionCostAnnotation] = "0"
				return p
			}()},
			wantAnnotes: map[string]string{"kept": "yes", podDeletionCostAnnotation: leaderPodDeletionCost},
		},
		"no such pod": {
			wantErr: `patching pod kube-system/steadycron-abc with controller.kubernetes.io/pod-deletion-cost=1000: pods "steadycron-abc" not found`,
		},
		"forbidden": {
			objects: []runtime.Object{pod},
			reactor: func(clienttesting.Action) (bool, runtime.Object, error) {
				return true, nil, apierrors.NewForbidden(corev1.Resource("pods"), "steadycron-abc", nil)
			},
			wantErr:     "forbidden",
			wantAnnotes: map[string]string{"kept": "yes"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			client := fake.NewClientset(tc.objects...)
			if tc.reactor != nil {
				client.PrependReactor("patch", "pods", tc.reactor)
			}
			err := markLeaderPod(t.Context(), client, "kube-system", "steadycron-abc")
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			var patches []clienttesting.PatchAction
			for _, a := range client.Actions() {
				if p, ok := a.(clienttesting.PatchAction); ok {
					patches = append(patches, p)
				}
			}
			require.Len(t, patches, 1, "one patch, whatever the outcome")
			assert.Equal(t, types.MergePatchType, patches[0].GetPatchType())
			assert.JSONEq(t, `{"metadata":{"annotations":{"controller.kubernetes.io/pod-deletion-cost":"1000"}}}`, string(patches[0].GetPatch()))
			if tc.wantAnnotes != nil {
				got, err := client.CoreV1().Pods("kube-system").Get(t.Context(), "steadycron-abc", metav1.GetOptions{})
				require.NoError(t, err)
				assert.Equal(t, tc.wantAnnotes, got.Annotations)
			}
		})
	}
}

func TestMarkOwnPodAsLeaderOutsideAPodCallsNothing(t *testing.T) {
	client := fake.NewClientset()
	markOwnPodAsLeader(t.Context(), client, func(string) string { return "" })
	assert.Empty(t, client.Actions())
}
