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
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The annotations of steadycron's contract (see docs/metrics.md).
const (
	// ExpectedStartAnnotation is set by the patched CronJob controller on each
	// Job it creates: the scheduled time, RFC3339 in UTC.
	ExpectedStartAnnotation = "steadycron.io/expected-start"
	// FirstRunningAnnotation is set by this controller, once: the startedAt of
	// the app container of the first pod of the Job that ran, RFC3339 in UTC.
	FirstRunningAnnotation = "steadycron.io/first-running"
	// AppContainerAnnotation on a pod template names the container whose start
	// is the application's start; by default it is the first regular container.
	AppContainerAnnotation = "steadycron.io/app-container"

	// instantiateAnnotation marks a Job made by hand from a CronJob
	// (kubectl create job --from=cronjob/NAME sets it to "manual").
	instantiateAnnotation = "cronjob.kubernetes.io/instantiate"
)

// Trigger label values.
const (
	triggerScheduled = "scheduled"
	triggerManual    = "manual"
)

// cronJobOf returns the name of the CronJob that controls job, or "" when it is
// not a CronJob's Job. Jobs made by hand from a CronJob carry a controller
// reference to it too.
func cronJobOf(job *batchv1.Job) string {
	ref := metav1.GetControllerOf(job)
	if ref == nil || ref.Kind != "CronJob" || ref.APIVersion != batchv1.SchemeGroupVersion.String() {
		return ""
	}
	return ref.Name
}

func triggerOf(job *batchv1.Job) string {
	if job.Annotations[instantiateAnnotation] == "manual" {
		return triggerManual
	}
	return triggerScheduled
}

// expectedStart is when the Job was meant to start: the expected-start
// annotation, else upstream's scheduled-timestamp annotation (same instant, in
// the CronJob's time zone), else for manual Jobs and Jobs created before
// either annotation existed, the creation time. An annotation that does not
// parse is reported in err, and the next source is used.
func expectedStart(job *batchv1.Job) (t time.Time, err error) {
	if triggerOf(job) == triggerManual {
		return job.CreationTimestamp.Time, nil
	}
	for _, key := range []string{ExpectedStartAnnotation, batchv1.CronJobScheduledTimestampAnnotation} {
		value, ok := job.Annotations[key]
		if !ok {
			continue
		}
		parsed, perr := time.Parse(time.RFC3339, value)
		if perr == nil {
			return parsed, err
		}
		if err == nil {
			err = fmt.Errorf("annotation %s=%q is not an RFC3339 time", key, value)
		}
	}
	return job.CreationTimestamp.Time, err
}

// firstRunning returns the Job's first-running annotation, if it is set and valid.
func firstRunning(job *batchv1.Job) (t time.Time, set bool, err error) {
	value, ok := job.Annotations[FirstRunningAnnotation]
	if !ok {
		return time.Time{}, false, nil
	}
	t, err = time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, true, fmt.Errorf("annotation %s=%q is not an RFC3339 time", FirstRunningAnnotation, value)
	}
	return t, true, nil
}

// appContainer returns the name of the pod's app container, and an error when
// the pod names one it does not have (the first regular container is used).
func appContainer(pod *corev1.Pod) (string, error) {
	if len(pod.Spec.Containers) == 0 {
		return "", fmt.Errorf("pod %s/%s has no containers", pod.Namespace, pod.Name)
	}
	first := pod.Spec.Containers[0].Name
	named, ok := pod.Annotations[AppContainerAnnotation]
	if !ok {
		return first, nil
	}
	for _, c := range pod.Spec.Containers {
		if c.Name == named {
			return named, nil
		}
	}
	return first, fmt.Errorf("annotation %s=%q names no container of pod %s/%s; using %q", AppContainerAnnotation, named, pod.Namespace, pod.Name, first)
}

// appContainerStatus returns the status of the pod's app container, if the
// kubelet reported one.
func appContainerStatus(pod *corev1.Pod) (*corev1.ContainerStatus, error) {
	name, err := appContainer(pod)
	if name == "" {
		return nil, err
	}
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == name {
			return &pod.Status.ContainerStatuses[i], err
		}
	}
	return nil, err
}

// firstStarted is the earliest time the app container of pod is known to have
// started: its current run's startedAt, or that of the run before a restart,
// or of the run that already ended when we first saw the pod. It is zero when
// the container never ran.
func firstStarted(status *corev1.ContainerStatus) time.Time {
	if status == nil {
		return time.Time{}
	}
	var earliest time.Time
	for _, state := range []corev1.ContainerState{status.LastTerminationState, status.State} {
		var started metav1.Time
		switch {
		case state.Running != nil:
			started = state.Running.StartedAt
		case state.Terminated != nil:
			started = state.Terminated.StartedAt
		}
		if !started.IsZero() && (earliest.IsZero() || started.Time.Before(earliest)) {
			earliest = started.Time
		}
	}
	return earliest
}
