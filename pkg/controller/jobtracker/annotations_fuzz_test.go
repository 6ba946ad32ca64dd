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
	"slices"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// Fuzz targets for everything the job tracker parses from objects that users
// can write: the time annotations on Jobs and the app-container annotation
// on pods. Run each for ten minutes with (docs/reliability.md):
//
//	go test -run XXX -fuzz FuzzJobTimeAnnotations -fuzztime 10m -parallel 1 ./pkg/controller/jobtracker/
//	go test -run XXX -fuzz FuzzAppContainer -fuzztime 10m -parallel 1 ./pkg/controller/jobtracker/
//
// Without -fuzz, go test runs the seeds as ordinary tests.

// FuzzJobTimeAnnotations: whatever a user writes into expected-start,
// upstream's scheduled-timestamp, first-running and the instantiate
// annotation, parsing never panics, an expected start always comes back (the
// creation time at worst), and an error is reported exactly when an
// annotation that was used does not parse.
func FuzzJobTimeAnnotations(f *testing.F) {
	for _, seed := range []struct {
		expectedStart, scheduledTimestamp, firstRunning, instantiate string
		presence                                                     uint8
	}{
		{"2026-11-22T10:00:00Z", "2026-11-22T11:00:00+01:00", "2026-11-22T10:00:02Z", "", 0b0111},
		{"yesterday", "2026-11-22T11:00:00+01:00", "", "", 0b0011},
		{"", "", "not a time", "manual", 0b1100},
		{"2026-11-22T10:00:00.123456789Z", "2026-02-30T10:00:00Z", "2026-11-22T10:00:00+25:00", "", 0b0111},
		{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00-00:00", "scheduled", 0b1111},
		{"\x00", "\xff\xfe", "2026-11-22T10:00:00", "manual", 0b1111},
	} {
		f.Add(seed.expectedStart, seed.scheduledTimestamp, seed.firstRunning, seed.instantiate, seed.presence)
	}
	created := time.Date(2026, 11, 22, 10, 0, 0, 250_000_000, time.UTC)
	f.Fuzz(func(t *testing.T, expected, scheduledTS, first, instantiate string, presence uint8) {
		// The controller's name for its Job of a time: only the annotations
		// say whether it made it (triggerOf).
		job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{
			Name: "nightly-29922360", Namespace: "ns", CreationTimestamp: metav1.NewTime(created),
			Annotations:     map[string]string{},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: "nightly", UID: "cj-uid", Controller: ptr.To(true)}},
		}}
		for bit, kv := range [][2]string{
			{ExpectedStartAnnotation, expected},
			{batchv1.CronJobScheduledTimestampAnnotation, scheduledTS},
			{FirstRunningAnnotation, first},
			{instantiateAnnotation, instantiate},
		} {
			if presence&(1<<bit) != 0 {
				job.Annotations[kv[0]] = kv[1]
			}
		}

		got, err := expectedStart(job)
		switch {
		case triggerOf(job) == triggerManual:
			if err != nil || !got.Equal(created) {
				t.Fatalf("manual Job: expectedStart = %v, %v; want the creation time %v and no error", got, err, created)
			}
		default:
			want, wantErr := created, false
			for _, key := range []string{ExpectedStartAnnotation, batchv1.CronJobScheduledTimestampAnnotation} {
				v, ok := job.Annotations[key]
				if !ok {
					continue
				}
				if parsed, perr := time.Parse(time.RFC3339, v); perr == nil {
					want = parsed
					break
				}
				wantErr = true
			}
			if !got.Equal(want) || (err != nil) != wantErr {
				t.Fatalf("expectedStart(%q) = %v, %v; want %v, error %t", job.Annotations, got, err, want, wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "is not an RFC3339 time") {
				t.Fatalf("expectedStart error does not say what is wrong: %v", err)
			}
		}

		fr, set, err := annotatedFirstRunning(job)
		_, present := job.Annotations[FirstRunningAnnotation]
		if set != present {
			t.Fatalf("annotatedFirstRunning set = %t with the annotation present = %t", set, present)
		}
		if err != nil && (!present || !fr.IsZero()) {
			t.Fatalf("annotatedFirstRunning returned an error with a time (%v) or without an annotation: %v", fr, err)
		}
		if err == nil && present {
			// A value that parses is kept to the second, as written back by
			// writeFirstRunning.
			if again, perr := time.Parse(time.RFC3339, first); perr != nil || !again.Equal(fr) {
				t.Fatalf("annotatedFirstRunning(%q) = %v, but time.Parse gives %v, %v", first, fr, again, perr)
			}
		}
	})
}

// FuzzAppContainer: whatever the app-container annotation, the regular and
// init containers of the Job's pod template and the containers an admission
// webhook added to the pod are, the app container is always one of the
// template's regular containers (the first unless the annotation names
// another), never an init or native sidecar container unless it is also a
// regular one, an annotation that names no regular container is reported,
// and its status is the pod's status of that name, never an injected one.
func FuzzAppContainer(f *testing.F) {
	f.Add("app,sidecar", "", "sidecar", true, "istio-proxy", "sidecar")
	f.Add("app,sidecar", "", "missing", true, "", "app")
	f.Add("app", "", "", false, "istio-proxy", "istio-proxy")
	f.Add("app", "setup,proxy", "proxy", true, "", "app")
	f.Add("", "app", "app", true, "", "")
	f.Add("a,,a,b", "", "", true, "b", "b")
	f.Add("\x00,\xff", "\xff", "\xff", true, "\x00", "\x00")
	f.Fuzz(func(t *testing.T, names, initNames, named string, annotated bool, injected, statusFor string) {
		job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "j", Namespace: "ns"}}
		if annotated {
			job.Spec.Template.Annotations = map[string]string{AppContainerAnnotation: named}
		}
		var containers []string
		if names != "" {
			containers = strings.Split(names, ",")
		}
		for _, n := range containers {
			job.Spec.Template.Spec.Containers = append(job.Spec.Template.Spec.Containers, corev1.Container{Name: n})
		}
		var inits []string
		if initNames != "" {
			inits = strings.Split(initNames, ",")
		}
		for i, n := range inits {
			c := corev1.Container{Name: n}
			if i%2 == 1 { // every other one a native sidecar
				c.RestartPolicy = ptr.To(corev1.ContainerRestartPolicyAlways)
			}
			job.Spec.Template.Spec.InitContainers = append(job.Spec.Template.Spec.InitContainers, c)
		}

		got, err := appContainer(job)
		switch {
		case len(containers) == 0:
			if got != "" || err == nil {
				t.Fatalf("template without containers: appContainer = %q, %v; want an error", got, err)
			}
		case annotated && slices.Contains(containers, named):
			if got != named || err != nil {
				t.Fatalf("appContainer = %q, %v; want the named %q", got, err, named)
			}
		case annotated:
			if got != containers[0] || err == nil {
				t.Fatalf("annotation names no regular container: appContainer = %q, %v; want %q and an error", got, err, containers[0])
			}
		default:
			if got != containers[0] || err != nil {
				t.Fatalf("appContainer = %q, %v; want the first container %q", got, err, containers[0])
			}
		}
		if got != "" && !slices.Contains(containers, got) {
			t.Fatalf("appContainer = %q is not a regular container of the template %q", got, containers)
		}

		// The pod as admission left it: the injected container first, then
		// the template's; statuses of init containers are reported apart.
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns"}}
		started := metav1.NewTime(time.Unix(1, 0))
		for i, n := range append([]string{injected}, statusFor) {
			pod.Status.ContainerStatuses = append(pod.Status.ContainerStatuses, corev1.ContainerStatus{
				Name:  n,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(started.Add(time.Duration(i+1) * time.Second))}},
			})
		}
		for _, n := range inits {
			pod.Status.InitContainerStatuses = append(pod.Status.InitContainerStatuses, corev1.ContainerStatus{Name: n})
		}
		status := appContainerStatus(pod, got)
		switch {
		case got == "" && status != nil:
			t.Fatalf("a status %q for no app container", status.Name)
		case status != nil && status.Name != got:
			t.Fatalf("appContainerStatus is of %q, the app container is %q", status.Name, got)
		case got != "" && (got == injected || got == statusFor) && status == nil:
			t.Fatalf("the pod reports %q, but no status was found", got)
		}
		if status != nil && containerFirstRunning(status).IsZero() {
			t.Fatalf("containerFirstRunning of a running status is zero")
		}
	})
}
