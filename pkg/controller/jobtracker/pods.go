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

package jobtracker

import (
	"context"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	clientset "k8s.io/client-go/kubernetes"
	batchv1listers "k8s.io/client-go/listers/batch/v1"
	"k8s.io/client-go/tools/cache"
)

// NewPodInformer returns the pod informer the tracker uses: pods of the Jobs
// of CronJobs that jobs holds, each stripped to what the tracker reads (see
// newPodInformer). jobs must have synced before it starts. It is exported for
// the memory benchmark's floor (bench/cmd/cachefloor), which caches the same
// objects as steadycron and nothing else.
func NewPodInformer(client clientset.Interface, jobs batchv1listers.JobLister, resync time.Duration) cache.SharedIndexInformer {
	return newPodInformer(client, func(pod *corev1.Pod) bool { return podOfCronJob(jobs, pod) }, resync)
}

// podOfCronJob reports whether pod belongs to a Job that jobs holds (same
// name and UID) and that a CronJob controls.
func podOfCronJob(jobs batchv1listers.JobLister, pod *corev1.Pod) bool {
	jobName, uid := pod.Labels[batchv1.JobNameLabel], pod.Labels[batchv1.ControllerUidLabel]
	if jobName == "" || uid == "" {
		return false
	}
	job, err := jobs.Jobs(pod.Namespace).Get(jobName)
	return err == nil && string(job.UID) == uid && cronJobOf(job) != ""
}

// newPodInformer returns an informer that holds only the pods keep accepts,
// each stripped to what the tracker reads.
//
// Memory stays bounded by the CronJob pods, not by the cluster: the API server
// sends only pods that carry a Job's controller-uid label (a label selector),
// and of those the list and watch pass on only the ones keep accepts (pods of
// a Job of a CronJob), so nothing else ever reaches the store. A pod seen
// before its Job is known is dropped, and admitted by its next event (a pod
// changes status on its way to Running), or, if it has none (it ended before
// its Job was shown), listed once when the Job is first shown with pods
// (Controller.admitPodsOfLateJob); deletions always pass, and the pods of a
// Job that is deleted or stops being a CronJob's (its CronJob deleted with
// --cascade=orphan) are dropped from the store (Controller.dropPodsOf), so
// nothing admitted stays behind.
func newPodInformer(client clientset.Interface, keep func(*corev1.Pod) bool, resync time.Duration) cache.SharedIndexInformer {
	selector := batchv1.ControllerUidLabel // exists
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, options metav1.ListOptions) (runtime.Object, error) {
			options.LabelSelector = selector
			list, err := client.CoreV1().Pods(metav1.NamespaceAll).List(ctx, options)
			if err != nil {
				return nil, err
			}
			kept := list.Items[:0]
			for i := range list.Items {
				if keep(&list.Items[i]) {
					kept = append(kept, list.Items[i])
				}
			}
			list.Items = kept
			return list, nil
		},
		WatchFuncWithContext: func(ctx context.Context, options metav1.ListOptions) (watch.Interface, error) {
			options.LabelSelector = selector
			w, err := client.CoreV1().Pods(metav1.NamespaceAll).Watch(ctx, options)
			if err != nil {
				return nil, err
			}
			return watch.Filter(w, func(e watch.Event) (watch.Event, bool) {
				pod, ok := e.Object.(*corev1.Pod)
				if !ok || e.Type == watch.Deleted || e.Type == watch.Bookmark {
					return e, true
				}
				return e, keep(pod)
			}), nil
		},
	}
	// Like client-go's own informers, stream the initial list (watch-list)
	// only when the client supports it.
	informer := cache.NewSharedIndexInformer(cache.ToListWatcherWithWatchListSemantics(lw, client), &corev1.Pod{}, resync, cache.Indexers{})
	if err := informer.SetTransform(stripPod); err != nil {
		panic(err) // only fails once the informer has started
	}
	return informer
}

// stripPod keeps only what the tracker reads: identity, creation and
// deletion times, the Job labels, the completion index and the regular
// containers' statuses. The app container is chosen from the
// Job's pod template (appContainer), so the pod's spec is not kept.
func stripPod(obj any) (any, error) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return obj, nil
	}
	stripped := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:                       pod.Name,
			Namespace:                  pod.Namespace,
			UID:                        pod.UID,
			ResourceVersion:            pod.ResourceVersion,
			CreationTimestamp:          pod.CreationTimestamp,
			DeletionTimestamp:          pod.DeletionTimestamp,
			DeletionGracePeriodSeconds: pod.DeletionGracePeriodSeconds,
			Labels: map[string]string{
				batchv1.JobNameLabel:       pod.Labels[batchv1.JobNameLabel],
				batchv1.ControllerUidLabel: pod.Labels[batchv1.ControllerUidLabel],
			},
		},
		Status: corev1.PodStatus{
			Phase:             pod.Status.Phase,
			ContainerStatuses: pod.Status.ContainerStatuses,
		},
	}
	// The completion index of an Indexed Job's pod: a piece of the Job's
	// work (see jobRuns.reexecutions).
	if v, ok := pod.Annotations[batchv1.JobCompletionIndexAnnotation]; ok {
		stripped.Annotations = map[string]string{batchv1.JobCompletionIndexAnnotation: v}
	}
	for i := range stripped.Status.ContainerStatuses {
		// Image digests and resource status are not read.
		s := &stripped.Status.ContainerStatuses[i]
		s.Image, s.ImageID, s.ContainerID, s.Resources, s.AllocatedResources, s.VolumeMounts, s.User, s.AllocatedResourcesStatus = "", "", "", nil, nil, nil, nil, nil
	}
	return stripped, nil
}
