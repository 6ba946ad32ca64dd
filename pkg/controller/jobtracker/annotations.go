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
	"strings"
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
	// AppContainerAnnotation on a Job's pod template names the container
	// whose start is the application's start; by default it is the first
	// regular container of the template (see appContainer).
	AppContainerAnnotation = "steadycron.io/app-container"
	// ReexecutionsAnnotation is set by this controller on a Job whose work
	// ran more than once: the re-executions counted so far, by kind,
	// "overlap=N,retry=M". Each process counts only what its own write
	// (conditional on the Job's resourceVersion) added to it.
	ReexecutionsAnnotation = "steadycron.io/reexecutions"

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

// triggerOf says how job, a Job of a CronJob, came about, by the rule of the
// CronJob controller's madeByHand. The controller names every Job it creates
// for its scheduled time, <cronjob>-<Unix seconds / 60> (upstream's
// getJobName), and records that time in the scheduled-timestamp annotation
// (and steadycron's ExpectedStartAnnotation). The template's annotations are
// copied onto every Job, by the controller and by kubectl or k9s alike, so a
// Job whose recorded time does not give its name was made by hand. A Job
// without a recorded time is made by hand if kubectl marked it with
// instantiateAnnotation "manual" or if its name is not the controller's
// (k9s's trigger names its Jobs <cronjob>-manual-<suffix>), else an older
// controller's (before Kubernetes 1.28's scheduled-timestamp).
func triggerOf(job *batchv1.Job) string {
	prefix := cronJobOf(job) + "-"
	for _, a := range []string{batchv1.CronJobScheduledTimestampAnnotation, ExpectedStartAnnotation} {
		value, ok := job.Annotations[a]
		if !ok {
			continue
		}
		if t, err := time.Parse(time.RFC3339, value); err == nil {
			if job.Name == fmt.Sprintf("%s%d", prefix, t.Unix()/60) {
				return triggerScheduled
			}
			return triggerManual
		}
	}
	minutes, ok := strings.CutPrefix(job.Name, prefix)
	if !ok || minutes == "" || strings.Trim(minutes, "0123456789") != "" || job.Annotations[instantiateAnnotation] == "manual" {
		return triggerManual
	}
	return triggerScheduled
}

// annotationError is an annotation of a Job that does not parse.
type annotationError struct {
	annotation, value string
}

func (e *annotationError) Error() string {
	return fmt.Sprintf("annotation %s=%q is not an RFC3339 time", e.annotation, e.value)
}

// expectedStart is when the Job was meant to start: the expected-start
// annotation, else upstream's scheduled-timestamp annotation (same instant, in
// the CronJob's time zone), else for manual Jobs and Jobs created before
// either annotation existed, the creation time. The first annotation present
// that does not parse is reported in err (even when the next source parses),
// and the next source is used.
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
			err = &annotationError{annotation: key, value: value}
		}
	}
	return job.CreationTimestamp.Time, err
}

// annotatedFirstRunning returns the Job's first running as its first-running
// annotation records it, if the annotation is set and valid.
func annotatedFirstRunning(job *batchv1.Job) (t time.Time, set bool, err error) {
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

// appContainer returns the name of the Job's app container: the container
// whose start is the application's start. It is read from the Job's own pod
// template, which is what the CronJob's author wrote: admission webhooks
// inject sidecars (a mesh proxy, often first) into the pods, never into the
// Job. It is the template's first regular container, unless the template's
// steadycron.io/app-container annotation names another regular container.
// Init containers, native sidecars (init containers with restartPolicy
// Always) included, are never the app container. An annotation that names
// no regular container of the template is reported in err, and the first
// container is used; the name is "" only for a template without containers,
// which the API server does not accept.
func appContainer(job *batchv1.Job) (string, error) {
	containers := job.Spec.Template.Spec.Containers
	if len(containers) == 0 {
		return "", fmt.Errorf("the pod template of job %s/%s has no containers", job.Namespace, job.Name)
	}
	first := containers[0].Name
	named, ok := job.Spec.Template.Annotations[AppContainerAnnotation]
	if !ok {
		return first, nil
	}
	for _, c := range containers {
		if c.Name == named {
			return named, nil
		}
	}
	what := "no container"
	for _, c := range job.Spec.Template.Spec.InitContainers {
		if c.Name == named {
			what = "an init container"
			if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
				what = "a native sidecar container"
			}
		}
	}
	return first, fmt.Errorf("annotation %s=%q names %s of the pod template of job %s/%s, not a regular container; using %q",
		AppContainerAnnotation, named, what, job.Namespace, job.Name, first)
}

// appContainerStatus returns the status of the container called name among
// the pod's regular containers (never an init or native sidecar container,
// whose statuses the kubelet reports apart), if the kubelet reported one.
// Containers are matched by name, so sidecars injected before or after the
// app container do not matter.
func appContainerStatus(pod *corev1.Pod, name string) *corev1.ContainerStatus {
	if name == "" {
		return nil
	}
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == name {
			return &pod.Status.ContainerStatuses[i]
		}
	}
	return nil
}

// containerFirstRunning is the first running of one app container: the
// earliest time its status shows it started (its current run's startedAt, or
// that of the run before a restart, or of the run that already ended when we
// first saw the pod). It is zero when the container never ran.
func containerFirstRunning(status *corev1.ContainerStatus) time.Time {
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
