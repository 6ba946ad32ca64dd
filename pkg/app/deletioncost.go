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
	"context"
	"encoding/json"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
)

const (
	// podDeletionCostAnnotation is the ReplicaSet controller's
	// controller.kubernetes.io/pod-deletion-cost: scaling down, it deletes
	// the pods of lower cost first (a missing annotation is 0).
	podDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"
	// leaderPodDeletionCost is the cost the leader puts on its own pod, so
	// that a rolling update of the Deployment deletes the standby (cost 0)
	// before the leader, and leadership moves once.
	leaderPodDeletionCost = "1000"
	// podNameEnv and podNamespaceEnv name this process's pod; the
	// Deployment sets them with the downward API.
	podNameEnv      = "POD_NAME"
	podNamespaceEnv = "POD_NAMESPACE"
	// markPodTimeout bounds the one attempt to mark the leader's pod.
	markPodTimeout = 10 * time.Second
)

// ownPod returns the namespace and name of the pod this process runs in, from
// the environment variables POD_NAMESPACE and POD_NAME (getenv is os.Getenv
// in the binary). ok is false unless both are set: outside a pod, or in a pod
// whose manifest does not set them (the kcm sidecar).
func ownPod(getenv func(string) string) (namespace, name string, ok bool) {
	namespace, name = getenv(podNamespaceEnv), getenv(podNameEnv)
	return namespace, name, namespace != "" && name != ""
}

// markLeaderPod sets podDeletionCostAnnotation to leaderPodDeletionCost on
// the pod namespace/name with one merge patch of its metadata. It returns the
// API server's error, wrapped; the caller only logs it, since leading does
// not depend on it.
func markLeaderPod(ctx context.Context, client clientset.Interface, namespace, name string) error {
	patch, err := json.Marshal(map[string]any{
		"metadata": map[string]any{
			"annotations": map[string]string{podDeletionCostAnnotation: leaderPodDeletionCost},
		},
	})
	if err != nil {
		return fmt.Errorf("encoding the patch: %w", err)
	}
	if _, err := client.CoreV1().Pods(namespace).Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
		return fmt.Errorf("patching pod %s/%s with %s=%s: %w", namespace, name, podDeletionCostAnnotation, leaderPodDeletionCost, err)
	}
	return nil
}

// markOwnPodAsLeader is what a new leader does, best effort: it marks its own
// pod (ownPod) as the last to delete in a rolling update, and logs why when it
// cannot: at V(2) outside a pod, as information when RBAC forbids it (the
// default install), as an error otherwise. It never blocks leading.
func markOwnPodAsLeader(ctx context.Context, client clientset.Interface, getenv func(string) string) {
	logger := klog.FromContext(ctx)
	namespace, name, ok := ownPod(getenv)
	if !ok {
		logger.V(2).Info("Not marking this pod as the leader's: POD_NAMESPACE and POD_NAME are not both set",
			"annotation", podDeletionCostAnnotation)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, markPodTimeout)
	defer cancel()
	if err := markLeaderPod(ctx, client, namespace, name); err != nil {
		msg := "Could not mark this pod as the leader's: a rolling update may replace it before the standby, and hand over twice"
		if apierrors.IsForbidden(err) {
			// The default RBAC does not allow it (deploy/leader-pod-deletion-cost/ does).
			logger.Info(msg, "pod", klog.KRef(namespace, name), "annotation", podDeletionCostAnnotation, "reason", err)
			return
		}
		logger.Error(err, msg, "pod", klog.KRef(namespace, name), "annotation", podDeletionCostAnnotation)
		return
	}
	logger.Info("Marked this pod as the leader's: a rolling update replaces the standby first",
		"pod", klog.KRef(namespace, name), "annotation", podDeletionCostAnnotation, "cost", leaderPodDeletionCost)
}
