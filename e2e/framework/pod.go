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

package framework

import (
	"fmt"
	"os"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// Pod annotations read by the kwok stages (kwok-stages.yaml).
const (
	AnnotationPendingFor   = "e2e.steadycron.io/pending-for"
	AnnotationRunFor       = "e2e.steadycron.io/run-for"
	AnnotationExitCode     = "e2e.steadycron.io/exit-code"
	AnnotationTerminateFor = "e2e.steadycron.io/terminate-for"
	runForever             = "forever"

	// EnvImage is the image of the real containers used on an external
	// cluster (default busybox); kwok never pulls an image.
	EnvImage     = "E2E_IMAGE"
	defaultImage = "busybox:1.36"
	fakeImage    = "registry.k8s.io/pause:3.10"
)

// Pod says how the pods of a test's Jobs behave.
type Pod struct {
	// PendingFor keeps the pod Pending this long before its container runs.
	PendingFor time.Duration
	// RunFor is how long the container runs (default 1s).
	RunFor time.Duration
	// Forever keeps the container running until the pod is deleted.
	Forever bool
	// ExitCode is the container's exit code; non-zero fails the pod.
	ExitCode int
	// TerminateFor keeps a deleted pod's container running until this long
	// after the pod's creation (kwok counts a stage's delay from the
	// creation, not from the deletion) before it exits; zero: it goes at
	// once.
	TerminateFor time.Duration
}

// Succeeds is a pod that runs for about a second and succeeds.
var Succeeds = Pod{}

// RunsForever is a pod that runs until deleted.
var RunsForever = Pod{Forever: true}

// Fails is a pod that runs for about a second and exits 1.
var Fails = Pod{ExitCode: 1}

// PodTemplate renders p for this cluster. Locally the pod is left to
// kube-scheduler, which has only kwok's nodes, and steered by annotations;
// with E2E_FAKE_NODE it is bound to that kwok node too; on an external
// cluster otherwise it is a real container that sleeps and exits.
func (c *Cluster) PodTemplate(p Pod) corev1.PodTemplateSpec {
	if c.opts.Kwok {
		ann := map[string]string{}
		if p.PendingFor > 0 {
			ann[AnnotationPendingFor] = p.PendingFor.String()
		}
		switch {
		case p.Forever:
			ann[AnnotationRunFor] = runForever
		case p.RunFor > 0:
			ann[AnnotationRunFor] = p.RunFor.String()
		}
		if p.ExitCode != 0 {
			ann[AnnotationExitCode] = strconv.Itoa(p.ExitCode)
		}
		if p.TerminateFor > 0 {
			ann[AnnotationTerminateFor] = p.TerminateFor.String()
		}
		return corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Annotations: ann},
			Spec: corev1.PodSpec{
				NodeName:      c.opts.FakeNode,
				RestartPolicy: corev1.RestartPolicyNever,
				Containers:    []corev1.Container{{Name: "app", Image: fakeImage}},
			},
		}
	}

	image := ContainerImage()
	run := "sleep 1"
	switch {
	case p.Forever:
		run = "sleep 2147483647"
	case p.RunFor > 0:
		run = fmt.Sprintf("sleep %d", int(p.RunFor.Round(time.Second).Seconds()))
	}
	spec := corev1.PodSpec{
		RestartPolicy:                 corev1.RestartPolicyNever,
		TerminationGracePeriodSeconds: ptr.To[int64](1),
		Containers: []corev1.Container{{
			Name: "app", Image: image,
			Command: []string{"sh", "-c", fmt.Sprintf("%s; exit %d", run, p.ExitCode)},
		}},
	}
	if p.TerminateFor > 0 {
		// sh as PID 1 ignores SIGTERM: the container runs until the
		// grace period ends and it is killed.
		spec.TerminationGracePeriodSeconds = ptr.To(int64(p.TerminateFor.Round(time.Second).Seconds()))
	}
	if p.PendingFor > 0 { // an init container keeps the pod Pending
		spec.InitContainers = []corev1.Container{{
			Name: "pending", Image: image,
			Command: []string{"sleep", strconv.Itoa(int(p.PendingFor.Round(time.Second).Seconds()))},
		}}
	}
	return corev1.PodTemplateSpec{Spec: spec}
}

// ContainerImage is the image of test pods' real containers on an external
// cluster: E2E_IMAGE, default busybox (it needs sh and sleep).
func ContainerImage() string {
	if image := os.Getenv(EnvImage); image != "" {
		return image
	}
	return defaultImage
}

// NeverFiringSchedule parses (the API server accepts it) but names no time
// that exists, February 31: the controller reports it as InvalidSchedule and
// counts a skip with reason invalidSchedule.
const NeverFiringSchedule = "59 23 31 2 *"

// NewCronJob returns a CronJob (not yet created) with the given schedule whose
// Jobs run one pod behaving as p, with no retries. Tests set the rest.
func (c *Cluster) NewCronJob(name, schedule string, p Pod) *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: batchv1.CronJobSpec{
			Schedule:          schedule,
			ConcurrencyPolicy: batchv1.AllowConcurrent,
			JobTemplate: batchv1.JobTemplateSpec{
				Spec: batchv1.JobSpec{
					BackoffLimit: ptr.To[int32](0),
					Template:     c.PodTemplate(p),
				},
			},
		},
	}
}
