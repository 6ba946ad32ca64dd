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
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	core "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/component-base/metrics/legacyregistry"
	"k8s.io/component-base/metrics/testutil"
	"k8s.io/klog/v2/ktesting"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
)

var (
	scheduled = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cronJob   = &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "nightly", Namespace: "team-a", UID: "cj-uid"}}
)

func newJob(mutate ...func(*batchv1.Job)) *batchv1.Job {
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name: "nightly-29922360", Namespace: "team-a", UID: "job-uid", ResourceVersion: "7",
			CreationTimestamp: metav1.NewTime(scheduled.Add(200 * time.Millisecond)),
			Annotations: map[string]string{
				ExpectedStartAnnotation:                     scheduled.Format(time.RFC3339),
				batchv1.CronJobScheduledTimestampAnnotation: scheduled.Format(time.RFC3339),
			},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cronJob, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
		},
		// What the CronJob's author wrote: one container.
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: "busybox"}},
		}}},
	}
	for _, m := range mutate {
		m(job)
	}
	return job
}

// unscheduled takes the CronJob controller's annotations off a Job (an older
// controller's, or one made by hand).
func unscheduled(j *batchv1.Job) {
	delete(j.Annotations, ExpectedStartAnnotation)
	delete(j.Annotations, batchv1.CronJobScheduledTimestampAnnotation)
}

// madeByK9s makes a Job one made by k9s's trigger: no annotation, and not
// the controller's name.
func madeByK9s(j *batchv1.Job) {
	unscheduled(j)
	j.Name = "nightly-manual-x7k"
}

// madeByKubectl makes a Job one made by kubectl create job --from=cronjob/NAME.
func madeByKubectl(j *batchv1.Job) {
	unscheduled(j)
	j.Annotations[instantiateAnnotation] = "manual"
}

// newPod is a pod of job with these container statuses; its regular
// containers are the statuses' containers, in their order (as admission left
// them: an injected sidecar can come first).
func newPod(name string, job *batchv1.Job, statuses ...corev1.ContainerStatus) *corev1.Pod {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: job.Namespace, UID: types.UID(name + "-uid"),
			Labels: map[string]string{batchv1.JobNameLabel: job.Name, batchv1.ControllerUidLabel: string(job.UID)},
		},
	}
	for _, s := range statuses {
		pod.Spec.Containers = append(pod.Spec.Containers, corev1.Container{Name: s.Name})
	}
	pod.Status.ContainerStatuses = statuses
	return pod
}

// withContainers gives the Job's pod template these regular containers.
func withContainers(names ...string) func(*batchv1.Job) {
	return func(j *batchv1.Job) {
		j.Spec.Template.Spec.Containers = nil
		for _, n := range names {
			j.Spec.Template.Spec.Containers = append(j.Spec.Template.Spec.Containers, corev1.Container{Name: n})
		}
	}
}

// withAppContainer sets the app-container annotation of the Job's pod template.
func withAppContainer(name string) func(*batchv1.Job) {
	return func(j *batchv1.Job) {
		j.Spec.Template.Annotations = map[string]string{AppContainerAnnotation: name}
	}
}

// leading is when the fixture's process started leading: before anything
// the tests' Jobs do, unless a test says otherwise.
var leading = scheduled.Add(-time.Hour)

func running(container string, startedAt time.Time) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: container, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(startedAt)}}}
}

func terminated(container string, startedAt, finishedAt time.Time, exitCode int32) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: container, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		StartedAt: metav1.NewTime(startedAt), FinishedAt: metav1.NewTime(finishedAt), ExitCode: exitCode}}}
}

type fixture struct {
	ctx      context.Context
	jobs     cache.Indexer
	cronJobs cache.Indexer
	client   *fake.Clientset
	c        *Controller
	recorder *record.FakeRecorder
	clock    *clocktesting.FakeClock
}

// newFixture builds a tracker that started leading at opts.Clock's time
// (leading, when opts has no clock), with job and pods in its caches.
func newFixture(t *testing.T, opts Options, job *batchv1.Job, pods ...*corev1.Pod) *fixture {
	t.Helper()
	_, ctx := ktesting.NewTestContext(t)
	if opts.Clock == nil {
		opts.Clock = clocktesting.NewFakeClock(leading)
	}
	var objs []runtime.Object
	if job != nil {
		objs = append(objs, job)
	}
	client := fake.NewClientset(objs...)
	enforceResourceVersions(t, client)
	factory := informers.NewSharedInformerFactory(client, 0)
	c, err := New(ctx, factory.Batch().V1().Jobs(), factory.Batch().V1().CronJobs(), client, opts)
	require.NoError(t, err)
	recorder := record.NewFakeRecorder(10)
	c.recorder = recorder
	if job != nil {
		require.NoError(t, factory.Batch().V1().Jobs().Informer().GetIndexer().Add(job))
	}
	require.NoError(t, factory.Batch().V1().CronJobs().Informer().GetIndexer().Add(cronJob))
	for _, p := range pods {
		stripped, _ := stripPod(p)
		require.NoError(t, c.podInformer.GetIndexer().Add(stripped))
	}
	resetMetrics()
	clk, _ := opts.Clock.(*clocktesting.FakeClock)
	return &fixture{ctx: ctx, jobs: factory.Batch().V1().Jobs().Informer().GetIndexer(), cronJobs: factory.Batch().V1().CronJobs().Informer().GetIndexer(), client: client, c: c, recorder: recorder, clock: clk}
}

// enforceResourceVersions makes the fake client's Job patches behave as the
// API server's: a patch that carries a resourceVersion other than the
// stored one fails with a conflict, and each write bumps the version.
func enforceResourceVersions(t *testing.T, client *fake.Clientset) {
	client.PrependReactor("patch", "jobs", func(a core.Action) (bool, runtime.Object, error) {
		obj, err := patchJob(t, client, a.(core.PatchAction))
		return true, obj, err
	})
}

// patchJob carries out a Job patch as the API server does (see
// enforceResourceVersions).
func patchJob(t *testing.T, client *fake.Clientset, pa core.PatchAction) (runtime.Object, error) {
	gvr := batchv1.SchemeGroupVersion.WithResource("jobs")
	obj, err := client.Tracker().Get(gvr, pa.GetNamespace(), pa.GetName())
	if err != nil {
		return nil, err
	}
	stored := obj.(*batchv1.Job)
	var meta struct {
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
	}
	require.NoError(t, json.Unmarshal(pa.GetPatch(), &meta))
	if rv := meta.Metadata.ResourceVersion; rv != "" && rv != stored.ResourceVersion {
		return nil, apierrors.NewConflict(batchv1.Resource("jobs"), pa.GetName(), fmt.Errorf("the object has been modified"))
	}
	current, err := json.Marshal(stored)
	require.NoError(t, err)
	merged, err := strategicpatch.StrategicMergePatch(current, pa.GetPatch(), batchv1.Job{})
	require.NoError(t, err)
	patched := &batchv1.Job{}
	require.NoError(t, json.Unmarshal(merged, patched))
	rv, _ := strconv.Atoi(stored.ResourceVersion)
	patched.ResourceVersion = strconv.Itoa(rv + 1)
	require.NoError(t, client.Tracker().Update(gvr, patched, patched.Namespace))
	return patched, nil
}

// deleteCronJob deletes the CronJob as its informer does: from the cache,
// then the handler.
func (f *fixture) deleteCronJob(t *testing.T, cj *batchv1.CronJob) {
	t.Helper()
	require.NoError(t, f.cronJobs.Delete(cj))
	f.c.cronJobDeleted(cj)
}

// deleteJob deletes the Job as its informer does (from the cache, then the
// handler), and runs the tracker's worker on its key.
func (f *fixture) deleteJob(t *testing.T, job *batchv1.Job) {
	t.Helper()
	if _, exists, _ := f.jobs.Get(job); exists {
		require.NoError(t, f.jobs.Delete(job))
	}
	f.c.jobDeleted(f.ctx, job)
	require.NoError(t, f.c.sync(f.ctx, job.Namespace+"/"+job.Name))
}

// sync runs the tracker's worker on the Job, then lets the Job informer
// deliver what the API server now has (when deliver is set).
func (f *fixture) sync(t *testing.T, job *batchv1.Job, deliver bool) {
	t.Helper()
	require.NoError(t, f.c.sync(f.ctx, job.Namespace+"/"+job.Name))
	if deliver {
		f.deliver(t, job)
	}
}

// deliver lets the Job informer deliver the Job as the API server has it.
func (f *fixture) deliver(t *testing.T, job *batchv1.Job) {
	t.Helper()
	got, err := f.client.BatchV1().Jobs(job.Namespace).Get(f.ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	f.deliverJob(t, got)
}

// deliverJob lets the Job informer deliver got.
func (f *fixture) deliverJob(t *testing.T, got *batchv1.Job) {
	t.Helper()
	old, _, _ := f.jobs.Get(got)
	require.NoError(t, f.jobs.Update(got))
	f.c.jobChanged(f.ctx, old, got)
}

// lostAnswer is how the tracker's first patch of a Job fares (see
// loseFirstPatch).
type lostAnswer struct {
	// err is the answer the tracker gets.
	err error
	// carriedOut: the API server carried the patch out before err.
	carriedOut bool
	// seenFirst: the informer delivers the patched Job before the answer
	// reaches the tracker.
	seenFirst bool
}

// loseFirstPatch makes the tracker's first patch of a Job be answered with
// a.err, carried out by the API server or not.
func (f *fixture) loseFirstPatch(t *testing.T, a lostAnswer) {
	first := true
	f.client.PrependReactor("patch", "jobs", func(action core.Action) (bool, runtime.Object, error) {
		if !first {
			return false, nil, nil
		}
		first = false
		if a.carriedOut {
			patched, err := patchJob(t, f.client, action.(core.PatchAction))
			require.NoError(t, err)
			if a.seenFirst {
				// The fake client is locked while it runs a reactor:
				// the patched Job as the informer would deliver it.
				f.deliverJob(t, patched.(*batchv1.Job))
			}
		}
		return true, nil, a.err
	})
}

// Answers to a patch, for the lost-answer tests: a timeout, a 5xx and a
// broken connection do not say whether the API server carried it out; a 4xx
// says it did not.
var (
	answerTimeout     = apierrors.NewTimeoutError("request did not complete within the allowed duration", 0)
	answerUnavailable = apierrors.NewServiceUnavailable("etcd leader changed")
	answerBroken      = errors.New("http2: client connection lost")
	answerThrottled   = apierrors.NewTooManyRequests("the server has received too many requests", 1)
)

// update makes the API server's and the informer's Job be job (another
// writer, or the Job controller), and delivers the change.
func (f *fixture) update(t *testing.T, job *batchv1.Job) *batchv1.Job {
	t.Helper()
	stored, err := f.client.BatchV1().Jobs(job.Namespace).Get(f.ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	job = job.DeepCopy()
	rv, _ := strconv.Atoi(stored.ResourceVersion)
	job.ResourceVersion = strconv.Itoa(rv + 1)
	require.NoError(t, f.client.Tracker().Update(batchv1.SchemeGroupVersion.WithResource("jobs"), job, job.Namespace))
	old, _, _ := f.jobs.Get(job)
	require.NoError(t, f.jobs.Update(job))
	f.c.jobChanged(f.ctx, old, job)
	return job
}

func resetMetrics() {
	jobStarted.Reset()
	jobFinished.Reset()
	jobStartDelay.Reset()
	appContainerDuration.Reset()
	jobReexecutions.Reset()
	jobAttempts.Reset()
	invalidAnnotations.Reset()
}

// events returns the events recorded so far.
func (f *fixture) events() []string {
	var events []string
	for {
		select {
		case e := <-f.recorder.Events:
			events = append(events, e)
		default:
			return events
		}
	}
}

// assertReportedOnce checks that the tracker reported a broken annotation
// of the Job (or its pods) once, with an event containing wantEvent and one
// count of cronjob_jobtracker_invalid_annotations_total{annotation}, or, with
// wantEvent "", not at all.
func (f *fixture) assertReportedOnce(t *testing.T, annotation, wantEvent string) {
	t.Helper()
	events := f.events()
	count, err := testutil.GetCounterMetricValue(invalidAnnotations.WithLabelValues("team-a", "nightly", annotation))
	require.NoError(t, err)
	if wantEvent == "" {
		assert.Empty(t, events)
		assert.Zero(t, count)
		return
	}
	if assert.Len(t, events, 1) {
		assert.Contains(t, events[0], wantEvent)
	}
	assert.Equal(t, 1.0, count)
}

// patchedValue returns the first-running value written by the only patch, or "".
func (f *fixture) patchedValue(t *testing.T) string {
	t.Helper()
	var values []string
	for _, a := range f.client.Actions() {
		if p, ok := a.(core.PatchAction); ok && a.GetResource().Resource == "jobs" {
			values = append(values, string(p.GetPatch()))
		}
	}
	require.LessOrEqual(t, len(values), 1, "patches: %v", values)
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

func TestSyncSetsFirstRunning(t *testing.T) {
	started := scheduled.Add(3 * time.Second)
	testCases := map[string]struct {
		// spec
		job  *batchv1.Job
		pods func(job *batchv1.Job) []*corev1.Pod
		// expectations
		wantFirstRunning time.Time // zero: no write
		wantDelay        float64
		wantTrigger      string
		wantEvent        string
	}{
		"app container running: its startedAt": {
			job:              newJob(),
			pods:             func(j *batchv1.Job) []*corev1.Pod { return []*corev1.Pod{newPod("p1", j, running("app", started))} },
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"only the sidecar runs: no write": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, corev1.ContainerStatus{Name: "app"}, running("proxy", started))}
			},
		},
		"no pod yet: no write": {
			job:  newJob(),
			pods: func(*batchv1.Job) []*corev1.Pod { return nil },
		},
		"annotation already set: kept, no write": {
			job: newJob(func(j *batchv1.Job) {
				j.Annotations[FirstRunningAnnotation] = scheduled.Add(time.Second).Format(time.RFC3339)
			}),
			pods: func(j *batchv1.Job) []*corev1.Pod { return []*corev1.Pod{newPod("retry", j, running("app", started))} },
		},
		"a failed pod and its retry: the first pod's start": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{
					newPod("retry", j, running("app", started.Add(time.Minute))),
					newPod("failed", j, terminated("app", started, started.Add(10*time.Second), 1)),
				}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"a restarted container: the start before the restart": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				s := running("app", started.Add(time.Minute))
				s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{StartedAt: metav1.NewTime(started), FinishedAt: metav1.NewTime(started.Add(time.Second))}
				return []*corev1.Pod{newPod("p1", j, s)}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"pod already finished when first seen: the terminated state's startedAt": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, terminated("app", started, started.Add(time.Hour), 0))}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"a sidecar injected first (mesh proxy that the app waits for): the app's start": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("istio-proxy", scheduled.Add(time.Second)), running("app", started))}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"a sidecar injected last: the app's start": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("app", started), running("linkerd-proxy", scheduled.Add(time.Second)))}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"only the injected sidecar runs yet: no write": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("istio-proxy", started), corev1.ContainerStatus{Name: "app"})}
			},
		},
		"native sidecars (init containers with restartPolicy Always) run before the app, a debug container too: the app's start": {
			job: newJob(func(j *batchv1.Job) {
				j.Spec.Template.Spec.InitContainers = []corev1.Container{
					{Name: "setup"}, {Name: "log-shipper", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)},
				}
			}),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				p := newPod("p1", j, running("app", started))
				p.Status.InitContainerStatuses = []corev1.ContainerStatus{
					terminated("setup", scheduled, scheduled.Add(time.Second), 0),
					running("log-shipper", scheduled.Add(time.Second)),
					running("istio-proxy", scheduled.Add(time.Second)), // injected as a native sidecar
				}
				p.Status.EphemeralContainerStatuses = []corev1.ContainerStatus{running("debugger", scheduled)}
				return []*corev1.Pod{p}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"app container named by the pod template's annotation": {
			job: newJob(withContainers("fetch", "worker"), withAppContainer("worker")),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("istio-proxy", scheduled), running("fetch", scheduled.Add(time.Second)), running("worker", started))}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"app container annotation names no container: the first one, and a warning": {
			job: newJob(withAppContainer("main")),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("istio-proxy", scheduled), running("app", started))}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
			wantEvent: `Warning InvalidAppContainer annotation steadycron.io/app-container="main" names no container of the pod template of job team-a/nightly-29922360, not a regular container; using "app"`,
		},
		"app container annotation names a native sidecar: the first regular container, and a warning": {
			job: newJob(withAppContainer("log-shipper"), func(j *batchv1.Job) {
				j.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "log-shipper", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)}}
			}),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				p := newPod("p1", j, running("app", started))
				p.Status.InitContainerStatuses = []corev1.ContainerStatus{running("log-shipper", scheduled)}
				return []*corev1.Pod{p}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
			wantEvent: `Warning InvalidAppContainer annotation steadycron.io/app-container="log-shipper" names a native sidecar container`,
		},
		"app container annotation names an init container: the first regular container, and a warning": {
			job: newJob(withAppContainer("setup"), func(j *batchv1.Job) {
				j.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "setup"}}
			}),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				p := newPod("p1", j, running("app", started))
				p.Status.InitContainerStatuses = []corev1.ContainerStatus{terminated("setup", scheduled, scheduled.Add(time.Second), 0)}
				return []*corev1.Pod{p}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
			wantEvent: `Warning InvalidAppContainer annotation steadycron.io/app-container="setup" names an init container`,
		},
		"manual job: delay from its creation": {
			job: newJob(func(j *batchv1.Job) {
				j.Annotations = map[string]string{instantiateAnnotation: "manual"}
				j.CreationTimestamp = metav1.NewTime(scheduled)
			}),
			pods:             func(j *batchv1.Job) []*corev1.Pod { return []*corev1.Pod{newPod("p1", j, running("app", started))} },
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerManual,
		},
		"only upstream's scheduled timestamp, in the CronJob's zone": {
			job: newJob(func(j *batchv1.Job) {
				tokyo := time.FixedZone("JST", 9*3600)
				j.Annotations = map[string]string{batchv1.CronJobScheduledTimestampAnnotation: scheduled.In(tokyo).Format(time.RFC3339)}
			}),
			pods:             func(j *batchv1.Job) []*corev1.Pod { return []*corev1.Pod{newPod("p1", j, running("app", started))} },
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
		},
		"broken expected-start: upstream's annotation is used, and a warning": {
			job: newJob(func(j *batchv1.Job) { j.Annotations[ExpectedStartAnnotation] = "yesterday" }),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("app", started))}
			},
			wantFirstRunning: started, wantDelay: 3, wantTrigger: triggerScheduled,
			wantEvent: `Warning InvalidExpectedStart annotation steadycron.io/expected-start="yesterday" is not an RFC3339 time`,
		},
		"no expected-start, broken upstream scheduled-timestamp: the creation time, and a warning naming upstream's annotation": {
			job: newJob(func(j *batchv1.Job) {
				j.Annotations = map[string]string{batchv1.CronJobScheduledTimestampAnnotation: "noon"}
			}),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("app", started))}
			},
			wantFirstRunning: started, wantDelay: 2.8, wantTrigger: triggerScheduled,
			wantEvent: `Warning InvalidExpectedStart annotation batch.kubernetes.io/cronjob-scheduled-timestamp="noon" is not an RFC3339 time`,
		},
		"started before the expected start (clock skew): zero delay": {
			job: newJob(),
			pods: func(j *batchv1.Job) []*corev1.Pod {
				return []*corev1.Pod{newPod("p1", j, running("app", scheduled.Add(-2*time.Second)))}
			},
			wantFirstRunning: scheduled.Add(-2 * time.Second), wantDelay: 0, wantTrigger: triggerScheduled,
		},
		"a Job that is not a CronJob's: ignored": {
			job:  newJob(func(j *batchv1.Job) { j.OwnerReferences = nil }),
			pods: func(j *batchv1.Job) []*corev1.Pod { return []*corev1.Pod{newPod("p1", j, running("app", started))} },
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, Options{PerCronJobLabels: true}, tc.job, tc.pods(tc.job)...)
			require.NoError(t, f.c.sync(f.ctx, "team-a/"+tc.job.Name))

			patch := f.patchedValue(t)
			startedMetric := jobStarted.WithLabelValues("team-a", "nightly", tc.wantTrigger)
			if tc.wantFirstRunning.IsZero() {
				assert.Empty(t, patch)
			} else {
				assert.Contains(t, patch, fmt.Sprintf(`"%s":"%s"`, FirstRunningAnnotation, tc.wantFirstRunning.UTC().Format(time.RFC3339)))
				assert.Contains(t, patch, `"resourceVersion":"7"`, "the write must be conditional on the version read")
				got, err := f.client.BatchV1().Jobs("team-a").Get(f.ctx, tc.job.Name, metav1.GetOptions{})
				require.NoError(t, err)
				assert.Equal(t, tc.wantFirstRunning.UTC().Format(time.RFC3339), got.Annotations[FirstRunningAnnotation])

				count, err := testutil.GetCounterMetricValue(startedMetric)
				require.NoError(t, err)
				assert.Equal(t, 1.0, count)
				delay := jobStartDelay.WithLabelValues("team-a", "nightly", tc.wantTrigger)
				n, err := testutil.GetHistogramMetricCount(delay)
				require.NoError(t, err)
				assert.Equal(t, uint64(1), n)
				sum, err := testutil.GetHistogramMetricValue(delay)
				require.NoError(t, err)
				assert.InDelta(t, tc.wantDelay, sum, 0.001)
			}
			select {
			case e := <-f.recorder.Events:
				assert.Contains(t, e, tc.wantEvent)
			default:
				assert.Empty(t, tc.wantEvent, "expected an event")
			}
			if tc.wantEvent != "" {
				annotation := ExpectedStartAnnotation
				for _, a := range []string{AppContainerAnnotation, batchv1.CronJobScheduledTimestampAnnotation} {
					if strings.Contains(tc.wantEvent, a) {
						annotation = a
					}
				}
				count, err := testutil.GetCounterMetricValue(invalidAnnotations.WithLabelValues("team-a", "nightly", annotation))
				require.NoError(t, err)
				assert.Equal(t, 1.0, count, "every Warning about an annotation is counted")
			}
		})
	}
}

// A first-running annotation that is not a time is left as it is, and
// reported once however often the Job changes, by the replica leading when
// the Job was created: a restart or failover does not report again the
// broken Jobs the cluster still keeps.
func TestInvalidFirstRunningIsReportedOnce(t *testing.T) {
	testCases := map[string]struct {
		// environment
		leading time.Time
		// expectations
		wantReports int
	}{
		"the Job was created while this process led: reported once": {
			leading: leading, wantReports: 1,
		},
		"the Job was created before this process led (a restart): the previous leader reported it": {
			leading: scheduled.Add(2 * time.Hour),
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob(func(j *batchv1.Job) { j.Annotations[FirstRunningAnnotation] = "soon" })
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(tc.leading)}, job)
			f.c.jobChanged(f.ctx, nil, job)
			for range 3 {
				f.c.jobChanged(f.ctx, job, job)
				f.sync(t, job, false)
			}
			assert.Empty(t, f.client.Actions(), "a set annotation, even a broken one, is not rewritten")
			events := f.events()
			if assert.Len(t, events, tc.wantReports) && tc.wantReports > 0 {
				assert.Contains(t, events[0], `Warning InvalidFirstRunning annotation steadycron.io/first-running="soon" is not an RFC3339 time; left as it is`)
			}
			count, _ := testutil.GetCounterMetricValue(invalidAnnotations.WithLabelValues("team-a", "nightly", FirstRunningAnnotation))
			assert.Equal(t, float64(tc.wantReports), count)

			f.deleteJob(t, job)
			assert.Empty(t, f.c.invalidFirstRunning, "forgotten with the Job")
		})
	}
}

// First writer wins: once this process saw the first-running annotation
// (or wrote it), another writer that changes or removes it does not make
// the tracker write it again, nor count the start again.
func TestFirstRunningIsNeverWrittenTwice(t *testing.T) {
	testCases := map[string]struct {
		// spec: what another writer does to the annotation after it was set
		value  string
		remove bool
	}{
		"rewritten to another time":   {value: scheduled.Add(time.Hour).Format(time.RFC3339)},
		"removed":                     {remove: true},
		"rewritten to something else": {value: "later"},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, job, newPod("p1", job, running("app", scheduled.Add(time.Second))))
			f.sync(t, job, true)
			require.Equal(t, scheduled.Add(time.Second).Format(time.RFC3339), f.annotation(t, FirstRunningAnnotation))

			stored, err := f.client.BatchV1().Jobs("team-a").Get(f.ctx, job.Name, metav1.GetOptions{})
			require.NoError(t, err)
			if tc.remove {
				delete(stored.Annotations, FirstRunningAnnotation)
			} else {
				stored.Annotations[FirstRunningAnnotation] = tc.value
			}
			other := f.update(t, stored)
			f.client.ClearActions()
			for range 3 {
				f.sync(t, other, true)
			}
			for _, a := range f.client.Actions() {
				assert.NotEqual(t, "patch", a.GetVerb(), "written again")
			}
			count, _ := testutil.GetCounterMetricValue(jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled))
			assert.Equal(t, 1.0, count, "the start counted once")
			n, _ := testutil.GetHistogramMetricCount(jobStartDelay.WithLabelValues("team-a", "nightly", triggerScheduled))
			assert.Equal(t, uint64(1), n, "the start delay observed once")
		})
	}
}

// stored is the Job as the API server has it.
func (f *fixture) stored(t *testing.T, job *batchv1.Job) *batchv1.Job {
	t.Helper()
	got, err := f.client.BatchV1().Jobs(job.Namespace).Get(f.ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	return got
}

// annotation is the Job's annotation key as the API server has it.
func (f *fixture) annotation(t *testing.T, key string) string {
	t.Helper()
	jobs, err := f.client.BatchV1().Jobs("team-a").List(f.ctx, metav1.ListOptions{})
	require.NoError(t, err)
	require.Len(t, jobs.Items, 1)
	return jobs.Items[0].Annotations[key]
}

func TestSyncIsIdempotent(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job, newPod("p1", job, running("app", scheduled.Add(time.Second))))
	require.NoError(t, f.c.sync(f.ctx, "team-a/"+job.Name))
	// The informer delivers the annotated Job; later syncs (resync, retry pod) write nothing.
	annotated, err := f.client.BatchV1().Jobs("team-a").Get(f.ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	require.NoError(t, f.jobs.Update(annotated))
	f.client.ClearActions()
	retry := newPod("p2", job, running("app", scheduled.Add(time.Minute)))
	require.NoError(t, f.c.podInformer.GetIndexer().Add(retry))
	for range 3 {
		require.NoError(t, f.c.sync(f.ctx, "team-a/"+job.Name))
	}
	assert.Empty(t, f.client.Actions())
	count, _ := testutil.GetCounterMetricValue(jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled))
	assert.Equal(t, 1.0, count)
}

// The first pod's app started, then the pod was removed (evicted with a
// short grace, force-deleted) before a worker synced the Job (a backlog, a
// rate-limited retry): first-running is still that pod's start, which this
// process saw, not its replacement's.
func TestFirstRunningCountsAPodRemovedBeforeTheSync(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	idx := f.c.podInformer.GetIndexer()
	see := func(p *corev1.Pod) {
		stripped, _ := stripPod(p)
		require.NoError(t, idx.Update(stripped))
		f.c.podChanged(f.ctx, nil, p)
	}
	p1 := newPod("p1", job, running("app", t0))
	see(p1) // queued, not synced yet
	stripped, _ := stripPod(p1)
	require.NoError(t, idx.Delete(stripped))
	f.clock.SetTime(t0.Add(3 * time.Second))
	f.c.podDeleted(terminating(newPod("p1", job, running("app", t0)), t0.Add(3*time.Second), 0))
	see(created(newPod("p2", job, running("app", t0.Add(20*time.Second))), t0.Add(3*time.Second)))
	f.sync(t, job, true)
	assert.Equal(t, t0.Format(time.RFC3339), f.annotation(t, FirstRunningAnnotation), "the app first started in p1")
	h := jobStartDelay.WithLabelValues("team-a", "nightly", triggerScheduled)
	sum, _ := testutil.GetHistogramMetricValue(h)
	assert.Equal(t, 2.0, sum)
}

func TestWriteFirstRunningOnConflict(t *testing.T) {
	started := scheduled.Add(2 * time.Second)
	testCases := map[string]struct {
		// environment: what another writer did before our patch landed
		otherValue string
		// expectations
		wantValue   string
		wantPatches int
		wantStarted float64
	}{
		"someone else set it first: their value is kept": {
			otherValue:  scheduled.Add(time.Second).Format(time.RFC3339),
			wantValue:   scheduled.Add(time.Second).Format(time.RFC3339),
			wantPatches: 1,
		},
		"someone changed something else: retried on the new version": {
			wantValue:   started.Format(time.RFC3339),
			wantPatches: 2,
			wantStarted: 1,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, job, newPod("p1", job, running("app", started)))
			conflicted := false
			f.client.PrependReactor("patch", "jobs", func(core.Action) (bool, runtime.Object, error) {
				if conflicted {
					return false, nil, nil
				}
				conflicted = true
				// Another writer updates the Job between our read and our patch.
				other := job.DeepCopy()
				other.ResourceVersion = "8"
				other.Labels = map[string]string{"edited": "true"}
				if tc.otherValue != "" {
					other.Annotations[FirstRunningAnnotation] = tc.otherValue
				}
				require.NoError(t, f.client.Tracker().Update(batchv1.SchemeGroupVersion.WithResource("jobs"), other, other.Namespace))
				return true, nil, apierrors.NewConflict(batchv1.Resource("jobs"), job.Name, fmt.Errorf("the object has been modified"))
			})
			require.NoError(t, f.c.sync(f.ctx, "team-a/"+job.Name))

			got, err := f.client.BatchV1().Jobs("team-a").Get(f.ctx, job.Name, metav1.GetOptions{})
			require.NoError(t, err)
			assert.Equal(t, tc.wantValue, got.Annotations[FirstRunningAnnotation])
			var patches []string
			for _, a := range f.client.Actions() {
				if p, ok := a.(core.PatchAction); ok {
					patches = append(patches, string(p.GetPatch()))
				}
			}
			assert.Len(t, patches, tc.wantPatches)
			if tc.wantPatches == 2 {
				assert.Contains(t, patches[1], `"resourceVersion":"8"`, "the retry must be conditional on the version re-read")
			}
			count, _ := testutil.GetCounterMetricValue(jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled))
			assert.Equal(t, tc.wantStarted, count, "only the writer counts the start")
		})
	}
}

// The start belongs to the replica whose conditional write set
// first-running. When the API server carried the patch out but its answer
// was lost (a timeout, a 5xx, a broken connection), the retry finds the
// annotation set, by the informer or by a conflict and a re-read: the value
// this process sent is its own write, and the start is counted then, once
// (before review h15m row 8, it was taken for another writer's and counted
// by nobody). A value other than the one sent is another writer's.
func TestAStartWhosePatchAnswerWasLostIsCountedOnce(t *testing.T) {
	started := scheduled.Add(3 * time.Second)
	testCases := map[string]struct {
		answer lostAnswer
		// what happens between the failed sync and its retry
		deliver    bool
		otherValue string
		deleteJob  bool
		// expectations
		wantValue   string
		wantStarted float64
	}{
		"carried out, timed out; the informer shows it before the retry": {
			answer: lostAnswer{err: answerTimeout, carriedOut: true}, deliver: true,
			wantValue: started.Format(time.RFC3339), wantStarted: 1,
		},
		"carried out, 503; the retry's patch conflicts and the re-read finds it": {
			answer:    lostAnswer{err: answerUnavailable, carriedOut: true},
			wantValue: started.Format(time.RFC3339), wantStarted: 1,
		},
		"carried out, connection lost; the informer showed it before the answer": {
			answer:    lostAnswer{err: answerBroken, carriedOut: true, seenFirst: true},
			wantValue: started.Format(time.RFC3339), wantStarted: 1,
		},
		"not carried out, timed out: the retry writes": {
			answer:    lostAnswer{err: answerTimeout},
			wantValue: started.Format(time.RFC3339), wantStarted: 1,
		},
		"refused (429): the retry writes": {
			answer:    lostAnswer{err: answerThrottled},
			wantValue: started.Format(time.RFC3339), wantStarted: 1,
		},
		"carried out, timed out, then another writer set another value: theirs": {
			answer: lostAnswer{err: answerTimeout, carriedOut: true}, otherValue: scheduled.Add(time.Second).Format(time.RFC3339), deliver: true,
			wantValue: scheduled.Add(time.Second).Format(time.RFC3339),
		},
		"carried out, timed out, then the Job was deleted: forgotten": {
			answer: lostAnswer{err: answerTimeout, carriedOut: true}, deleteJob: true,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, job, newPod("p1", job, running("app", started)))
			f.loseFirstPatch(t, tc.answer)
			assert.Error(t, f.c.sync(f.ctx, "team-a/"+job.Name), "the first patch's answer")
			if tc.otherValue != "" {
				other := f.stored(t, job)
				other.Annotations[FirstRunningAnnotation] = tc.otherValue
				f.update(t, other)
			}
			if tc.deliver {
				f.deliver(t, job)
			}
			if tc.deleteJob {
				f.deleteJob(t, f.stored(t, job))
				assert.Empty(t, f.c.firstRunningSent, "the values sent, after the Job's deletion")
			} else {
				// The retry, then a resync once the informer shows
				// what the API server has.
				f.sync(t, job, true)
				f.sync(t, job, true)
				assert.Equal(t, tc.wantValue, f.annotation(t, FirstRunningAnnotation))
			}
			count, err := testutil.GetCounterMetricValue(jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled))
			require.NoError(t, err)
			assert.Equal(t, tc.wantStarted, count, "cronjob_job_started_total")
			n, err := testutil.GetHistogramMetricCount(jobStartDelay.WithLabelValues("team-a", "nightly", triggerScheduled))
			require.NoError(t, err)
			assert.Equal(t, uint64(tc.wantStarted), n, "cronjob_job_start_delay_seconds observations")
		})
	}
}

func TestRecordFinished(t *testing.T) {
	finished := func(cond batchv1.JobConditionType) func(*batchv1.Job) {
		return func(j *batchv1.Job) {
			j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(scheduled.Add(time.Minute))}}
		}
	}
	testCases := map[string]struct {
		// spec
		old, cur   *batchv1.Job
		perCronJob bool
		// expectations
		wantLabels []string // namespace, cronjob, trigger, result; nil: nothing counted
	}{
		"completes: success": {
			old: newJob(), cur: newJob(finished(batchv1.JobComplete)), perCronJob: true,
			wantLabels: []string{"team-a", "nightly", triggerScheduled, resultSuccess},
		},
		"fails: failure": {
			old: newJob(), cur: newJob(finished(batchv1.JobFailed)), perCronJob: true,
			wantLabels: []string{"team-a", "nightly", triggerScheduled, resultFailure},
		},
		"manual job fails": {
			old:        newJob(madeByKubectl),
			cur:        newJob(madeByKubectl, finished(batchv1.JobFailed)),
			perCronJob: true,
			wantLabels: []string{"team-a", "nightly", triggerManual, resultFailure},
		},
		"a Job made by k9s's trigger (no annotation) fails: manual": {
			old:        newJob(madeByK9s),
			cur:        newJob(madeByK9s, finished(batchv1.JobFailed)),
			perCronJob: true,
			wantLabels: []string{"team-a", "nightly", triggerManual, resultFailure},
		},
		"an older controller's Job (no annotation, the controller's name) fails: scheduled": {
			old:        newJob(unscheduled),
			cur:        newJob(unscheduled, finished(batchv1.JobFailed)),
			perCronJob: true,
			wantLabels: []string{"team-a", "nightly", triggerScheduled, resultFailure},
		},
		"a Job made with kubectl from a template that carries the controller's annotations fails: manual": {
			old:        newJob(func(j *batchv1.Job) { j.Name, j.Annotations[instantiateAnnotation] = "nightly-test", "manual" }),
			cur:        newJob(func(j *batchv1.Job) { j.Name, j.Annotations[instantiateAnnotation] = "nightly-test", "manual" }, finished(batchv1.JobFailed)),
			perCronJob: true,
			wantLabels: []string{"team-a", "nightly", triggerManual, resultFailure},
		},
		"a scheduled Job whose template carries the manual annotation fails: scheduled": {
			old:        newJob(func(j *batchv1.Job) { j.Annotations[instantiateAnnotation] = "manual" }),
			cur:        newJob(func(j *batchv1.Job) { j.Annotations[instantiateAnnotation] = "manual" }, finished(batchv1.JobFailed)),
			perCronJob: true,
			wantLabels: []string{"team-a", "nightly", triggerScheduled, resultFailure},
		},
		"already finished (a resync or relist): not counted again": {
			old: newJob(finished(batchv1.JobComplete)), cur: newJob(finished(batchv1.JobComplete)), perCronJob: true,
		},
		"still running: not counted": {
			old: newJob(), cur: newJob(), perCronJob: true,
		},
		"per-CronJob labels off: namespace and cronjob are empty": {
			old: newJob(), cur: newJob(finished(batchv1.JobComplete)), perCronJob: false,
			wantLabels: []string{"", "", triggerScheduled, resultSuccess},
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, Options{PerCronJobLabels: tc.perCronJob}, tc.old)
			f.c.jobChanged(f.ctx, tc.old, tc.cur)
			// A worker counts it.
			f.c.countFinished(f.ctx, tc.cur.UID)
			total := 0.0
			for _, trigger := range []string{triggerScheduled, triggerManual} {
				for _, result := range []string{resultSuccess, resultFailure} {
					for _, l := range [][]string{{"team-a", "nightly"}, {"", ""}} {
						v, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues(l[0], l[1], trigger, result))
						total += v
					}
				}
			}
			if tc.wantLabels == nil {
				assert.Zero(t, total)
				return
			}
			assert.Equal(t, 1.0, total)
			v, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues(tc.wantLabels...))
			assert.Equal(t, 1.0, v)
		})
	}
}

func TestAppContainerRunIsObservedOncePerRun(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	start := scheduled.Add(time.Second)
	runningPod := newPod("p1", job, running("app", start))
	ended := newPod("p1", job, terminated("app", start, start.Add(90*time.Second), 0))

	f.c.podChanged(f.ctx, nil, runningPod)
	f.c.podChanged(f.ctx, runningPod, ended)
	f.c.podChanged(f.ctx, ended, ended) // resync
	restarted := newPod("p1", job, terminated("app", start.Add(2*time.Minute), start.Add(2*time.Minute+30*time.Second), 1))
	f.c.podChanged(f.ctx, ended, restarted) // a second run of the container

	h := appContainerDuration.WithLabelValues("team-a", "nightly", triggerScheduled)
	n, _ := testutil.GetHistogramMetricCount(h)
	sum, _ := testutil.GetHistogramMetricValue(h)
	assert.Equal(t, uint64(2), n)
	assert.InDelta(t, 120.0, sum, 0.001)
}

func TestCronJobDeletionRemovesItsSeries(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled).Inc()
	jobFinished.WithLabelValues("team-a", "nightly", triggerManual, resultFailure).Inc()
	jobStartDelay.WithLabelValues("team-a", "nightly", triggerScheduled).Observe(1)
	appContainerDuration.WithLabelValues("team-a", "nightly", triggerScheduled).Observe(1)
	jobStarted.WithLabelValues("team-a", "hourly", triggerScheduled).Inc()

	f.c.cronJobDeleted(cache.DeletedFinalStateUnknown{Key: "team-a/nightly", Obj: cronJob})

	families, err := legacyregistry.DefaultGatherer.Gather()
	require.NoError(t, err)
	var nightly, hourly int
	for _, mf := range families {
		if !strings.HasPrefix(mf.GetName(), "cronjob_") {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "cronjob" && l.GetValue() == "nightly" {
					nightly++
				}
				if l.GetName() == "cronjob" && l.GetValue() == "hourly" {
					hourly++
				}
			}
		}
	}
	assert.Zero(t, nightly, "the deleted CronJob's series must be gone")
	assert.Equal(t, 1, hourly, "other CronJobs' series stay")
}

// seriesOf counts the series of the metric family name that carry cronjob=cronJob.
func seriesOf(t *testing.T, name, cronJob string) int {
	t.Helper()
	families, err := legacyregistry.DefaultGatherer.Gather()
	require.NoError(t, err)
	n := 0
	for _, mf := range families {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "cronjob" && l.GetValue() == cronJob {
					n++
				}
			}
		}
	}
	return n
}

// A CronJob deleted with the default (background) cascade: its series are
// deleted at once, while its Jobs and pods live on until the garbage
// collector removes them. What they do meanwhile (a run that ends, a Job
// that finishes, its attempts, a broken annotation) does not bring the
// series back, also when another CronJob of the same name exists by then.
func TestSeriesOfADeletedCronJobStayDeleted(t *testing.T) {
	testCases := map[string]struct {
		// environment: another CronJob of the same name, created after the
		// deletion
		recreated bool
	}{
		"deleted":                    {},
		"deleted, and created again": {recreated: true},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			t0 := scheduled.Add(2 * time.Second)
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, job)
			f.drive(t, job, []podStep{{pod: newPod("p1", job, running("app", t0))}})
			require.Equal(t, 1, seriesOf(t, "cronjob_job_started_total", "nightly"))
			f.deleteCronJob(t, cronJob)
			require.Zero(t, seriesOf(t, "cronjob_job_started_total", "nightly"))
			if tc.recreated {
				again := cronJob.DeepCopy()
				again.UID = "cj-uid-2"
				require.NoError(t, f.cronJobs.Add(again))
			}

			f.drive(t, job, []podStep{
				{pod: failed(newPod("p1", job, terminated("app", t0, t0.Add(30*time.Second), 1)))},
				{pod: created(newPod("p2", job, running("app", t0.Add(35*time.Second))), t0.Add(31*time.Second))},
				{pod: succeeded(created(newPod("p2", job, terminated("app", t0.Add(35*time.Second), t0.Add(40*time.Second), 0)), t0.Add(31*time.Second)))},
			})
			f.finish(t, job, t0.Add(41*time.Second), 1)
			families, err := legacyregistry.DefaultGatherer.Gather()
			require.NoError(t, err)
			for _, mf := range families {
				assert.Zero(t, seriesOf(t, mf.GetName(), "nightly"), "%s of a deleted CronJob exists again", mf.GetName())
			}
			assert.Equal(t, "overlap=0,retry=1", f.stored(t, job).Annotations[ReexecutionsAnnotation], "the Job's record is still kept")
		})
	}
}

func TestPodInformerHoldsOnlyCronJobPods(t *testing.T) {
	cronJobJob := newJob()
	plainJob := newJob(func(j *batchv1.Job) { j.Name, j.UID, j.OwnerReferences = "batch-import", "plain-uid", nil })
	objs := []runtime.Object{cronJobJob, plainJob}
	for i := range 1000 {
		objs = append(objs, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{
			Name: fmt.Sprintf("web-%d", i), Namespace: "team-a", Labels: map[string]string{"app": "web"},
		}})
	}
	tracked := newPod("nightly-abc", cronJobJob, running("app", scheduled))
	tracked.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "kubelet"}}
	tracked.Spec.Volumes = []corev1.Volume{{Name: "data"}}
	objs = append(objs, tracked, newPod("batch-import-xyz", plainJob, running("app", scheduled)))

	_, ctx := ktesting.NewTestContext(t)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := fake.NewClientset(objs...)
	enforceResourceVersions(t, client)
	c := runTracker(ctx, t, client)

	keys := c.podInformer.GetStore().ListKeys()
	assert.Equal(t, []string{"team-a/nightly-abc"}, keys, "only pods of CronJobs' Jobs are cached")
	assert.Equal(t, 1.0, cachedPodsValue(t), "the gauge reports the cache size")
	obj, _, _ := c.podInformer.GetStore().GetByKey("team-a/nightly-abc")
	pod := obj.(*corev1.Pod)
	assert.Empty(t, pod.ManagedFields)
	assert.Empty(t, pod.Spec.Volumes)
	assert.Empty(t, pod.Spec.Containers, "the app container is read from the Job's template")
	assert.NotNil(t, pod.Status.ContainerStatuses[0].State.Running)
}

func TestExpectedStartSources(t *testing.T) {
	created := metav1.NewTime(scheduled.Add(5 * time.Second))
	testCases := map[string]struct {
		annotations map[string]string
		want        time.Time
		wantErr     bool
	}{
		"expected-start":            {annotations: map[string]string{ExpectedStartAnnotation: "2026-11-22T10:00:00Z"}, want: scheduled},
		"upstream's timestamp only": {annotations: map[string]string{batchv1.CronJobScheduledTimestampAnnotation: "2026-11-22T05:00:00-05:00"}, want: scheduled},
		"neither: creation time":    {want: created.Time},
		"manual: creation time":     {annotations: map[string]string{instantiateAnnotation: "manual"}, want: created.Time},
		"the template's manual mark on the controller's Job: its expected start": {
			annotations: map[string]string{instantiateAnnotation: "manual", ExpectedStartAnnotation: "2026-11-22T10:00:00Z"}, want: scheduled,
		},
		"broken, no fallback":          {annotations: map[string]string{ExpectedStartAnnotation: "10:00"}, want: created.Time, wantErr: true},
		"broken, upstream's as backup": {annotations: map[string]string{ExpectedStartAnnotation: "", batchv1.CronJobScheduledTimestampAnnotation: "2026-11-22T10:00:00Z"}, want: scheduled, wantErr: true},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob(func(j *batchv1.Job) { j.Annotations, j.CreationTimestamp = tc.annotations, created })
			got, err := expectedStart(job)
			assert.True(t, tc.want.Equal(got), "got %v want %v", got, tc.want)
			assert.Equal(t, tc.wantErr, err != nil, "err: %v", err)
		})
	}
}

func TestCronJobOf(t *testing.T) {
	assert.Equal(t, "nightly", cronJobOf(newJob()))
	assert.Empty(t, cronJobOf(newJob(func(j *batchv1.Job) { j.OwnerReferences[0].Controller = ptr.To(false) })), "an owner that does not control it")
	assert.Empty(t, cronJobOf(newJob(func(j *batchv1.Job) { j.OwnerReferences[0].Kind = "Workflow" })))
}

// cachedPodsValue is cronjob_jobtracker_cached_pods as /metrics serves it.
func cachedPodsValue(t *testing.T) float64 {
	t.Helper()
	families, err := legacyregistry.DefaultGatherer.Gather()
	require.NoError(t, err)
	for _, mf := range families {
		if mf.GetName() == "cronjob_jobtracker_cached_pods" {
			require.Len(t, mf.GetMetric(), 1)
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatal("cronjob_jobtracker_cached_pods is not served")
	return 0
}

// The cached-pods gauge is the size of the cache: the informer also reports
// the deletion of pods its filter never admitted, which must not count.
func TestCachedPodsIsTheCacheSize(t *testing.T) {
	cronJobJob := newJob()
	plainJob := newJob(func(j *batchv1.Job) { j.Name, j.UID, j.OwnerReferences = "batch-import", "plain-uid", nil })
	_, ctx := ktesting.NewTestContext(t)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := fake.NewClientset(cronJobJob, plainJob, newPod("p1", cronJobJob, running("app", scheduled)))
	c := runTracker(ctx, t, client)
	assert.Equal(t, 1.0, cachedPodsValue(t))

	pods := client.CoreV1().Pods("team-a")
	untracked := newPod("batch-import-xyz", plainJob, running("app", scheduled))
	_, err := pods.Create(ctx, untracked, metav1.CreateOptions{})
	require.NoError(t, err)
	require.NoError(t, pods.Delete(ctx, untracked.Name, metav1.DeleteOptions{}))
	_, err = pods.Create(ctx, newPod("p2", cronJobJob, running("app", scheduled)), metav1.CreateOptions{})
	require.NoError(t, err)
	// Events are handled in order: once p2 is cached, the untracked pod's
	// deletion has been handled too.
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
		_, ok, _ := c.podInformer.GetStore().GetByKey("team-a/p2")
		return ok, nil
	}))
	assert.Equal(t, 2.0, cachedPodsValue(t), "a deleted pod that was never cached changed the gauge")

	for _, name := range []string{"p1", "p2"} {
		require.NoError(t, pods.Delete(ctx, name, metav1.DeleteOptions{}))
	}
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
		return len(c.podInformer.GetStore().ListKeys()) == 0, nil
	}))
	assert.Equal(t, 0.0, cachedPodsValue(t))
}

// The pod cache holds only pods of CronJobs' Jobs (docs/metrics.md,
// cronjob_jobtracker_cached_pods): the pods of a Job that stops being a
// CronJob's (its CronJob deleted with --cascade=orphan: the garbage collector
// takes the owner reference off the Job, which keeps its pods) or that is
// deleted without its pods leave the cache, whether or not they change
// afterwards. The informer's filter drops their updates; before, their cached
// copies stayed, their status frozen, as long as the pods lived (review h15m
// row 7).
func TestPodsOfAJobNoLongerACronJobsLeaveTheCache(t *testing.T) {
	testCases := map[string]struct {
		// what happens to p1's Job, then to p1
		orphan, deleteJob      bool
		podFinishes, deletePod bool
	}{
		"its CronJob deleted with --cascade=orphan, the pod finishes after":  {orphan: true, podFinishes: true},
		"its CronJob deleted with --cascade=orphan, the pod changes no more": {orphan: true},
		"the Job deleted with --cascade=orphan":                              {deleteJob: true},
		"its CronJob deleted with --cascade=orphan, the pod deleted":         {orphan: true, deletePod: true},
		"the pod deleted": {deletePod: true},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			_, ctx := ktesting.NewTestContext(t)
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			client := fake.NewClientset(job, newPod("p1", job, running("app", scheduled)))
			c := runTracker(ctx, t, client)
			require.Equal(t, 1.0, cachedPodsValue(t))

			jobs := client.BatchV1().Jobs(job.Namespace)
			var err error
			switch {
			case tc.orphan:
				orphaned := job.DeepCopy()
				orphaned.OwnerReferences = nil
				_, err = jobs.Update(ctx, orphaned, metav1.UpdateOptions{})
			case tc.deleteJob:
				err = jobs.Delete(ctx, job.Name, metav1.DeleteOptions{})
			}
			require.NoError(t, err)
			require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
				j, err := c.jobLister.Jobs(job.Namespace).Get(job.Name)
				return (tc.deleteJob && apierrors.IsNotFound(err)) || (err == nil && cronJobOf(j) == "") || (!tc.orphan && !tc.deleteJob), nil
			}))
			pods := client.CoreV1().Pods(job.Namespace)
			switch {
			case tc.deletePod:
				require.NoError(t, pods.Delete(ctx, "p1", metav1.DeleteOptions{}))
			case tc.podFinishes:
				p, err := pods.Get(ctx, "p1", metav1.GetOptions{})
				require.NoError(t, err)
				p.Status.ContainerStatuses = []corev1.ContainerStatus{terminated("app", scheduled, scheduled.Add(time.Minute), 0)}
				_, err = pods.UpdateStatus(ctx, p, metav1.UpdateOptions{})
				require.NoError(t, err)
			}
			// A pod of another Job of the CronJob, created after: once it
			// is cached, the events before it were handled.
			other := newJob(func(j *batchv1.Job) { j.Name, j.UID = "nightly-29922361", "other-uid" })
			_, err = jobs.Create(ctx, other, metav1.CreateOptions{})
			require.NoError(t, err)
			require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
				_, err := c.jobLister.Jobs(job.Namespace).Get(other.Name)
				return err == nil, nil
			}))
			_, err = pods.Create(ctx, newPod("p2", other, running("app", scheduled)), metav1.CreateOptions{})
			require.NoError(t, err)
			require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
				_, ok, _ := c.podInformer.GetStore().GetByKey("team-a/p2")
				return ok, nil
			}))
			assert.Equal(t, []string{"team-a/p2"}, c.podInformer.GetStore().ListKeys(), "the pods cached")
			assert.Equal(t, 1.0, cachedPodsValue(t), "cronjob_jobtracker_cached_pods")
		})
	}
}

// A Job that becomes a CronJob's again (someone puts the owner reference
// back) has its pods listed once, as a Job first seen with pods: their
// cached copies were dropped when it stopped being one, and the updates in
// between were filtered out. The tracker knows the pod's run ended.
func TestAJobThatIsACronJobsAgainHasItsPodsListed(t *testing.T) {
	for name, orphaned := range map[string]bool{
		"orphaned while its pod finished, then a CronJob's again": true,
		"a CronJob's all along":                                   false,
	} {
		t.Run(name, func(t *testing.T) {
			job := newJob(func(j *batchv1.Job) { j.Status.Active = 1 })
			_, ctx := ktesting.NewTestContext(t)
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			client := fake.NewClientset(job, newPod("p1", job, running("app", scheduled)))
			c := runTracker(ctx, t, client)

			jobs, pods := client.BatchV1().Jobs(job.Namespace), client.CoreV1().Pods(job.Namespace)
			isCronJobs := func(want bool) {
				require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
					j, err := c.jobLister.Jobs(job.Namespace).Get(job.Name)
					return err == nil && (cronJobOf(j) != "") == want, nil
				}))
			}
			if orphaned {
				o := job.DeepCopy()
				o.OwnerReferences = nil
				_, err := jobs.Update(ctx, o, metav1.UpdateOptions{})
				require.NoError(t, err)
				isCronJobs(false)
			}
			p, err := pods.Get(ctx, "p1", metav1.GetOptions{})
			require.NoError(t, err)
			p.Status.ContainerStatuses = []corev1.ContainerStatus{terminated("app", scheduled, scheduled.Add(time.Minute), 0)}
			_, err = pods.UpdateStatus(ctx, p, metav1.UpdateOptions{})
			require.NoError(t, err)
			if orphaned {
				_, err = jobs.Update(ctx, job, metav1.UpdateOptions{})
				require.NoError(t, err)
				isCronJobs(true)
			}
			ended := func() bool {
				c.mu.Lock()
				defer c.mu.Unlock()
				runs := c.runs[job.UID]
				if runs == nil || runs.pods["p1-uid"] == nil {
					return false
				}
				return !runs.pods["p1-uid"].running
			}
			assert.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 5*time.Second, true, func(context.Context) (bool, error) {
				return ended(), nil
			}), "the tracker does not know that p1's run ended")
		})
	}
}

// An app container run is observed once in cronjob_app_container_duration_seconds,
// also when its Job stops being a CronJob's after the run ended and becomes
// one again (the CronJob deleted with --cascade=orphan, the owner reference
// put back): the Job's pods are dropped from the cache and listed again
// (admitPodsOfLateJob), and what was observed of their runs is kept until the
// pod or the Job is deleted. The pod's deletion forgets its runs, and so does
// the Job's, also for pods dropped from the cache, whose deletion the pod
// informer does not report.
func TestARunIsObservedOnceAndForgottenWithThePodOrTheJob(t *testing.T) {
	testCases := map[string]struct {
		// orphaned: after the run ended, the Job stops being a CronJob's
		// and becomes one again.
		orphaned bool
		// then deletes what the run is forgotten with.
		then func(ctx context.Context, t *testing.T, client *fake.Clientset, job *batchv1.Job)
	}{
		"a CronJob's all along":                                {},
		"orphaned after the run ended, then a CronJob's again": {orphaned: true},
		"the pod is deleted": {
			then: func(ctx context.Context, t *testing.T, client *fake.Clientset, job *batchv1.Job) {
				require.NoError(t, client.CoreV1().Pods(job.Namespace).Delete(ctx, "p1", metav1.DeleteOptions{}))
			},
		},
		"orphaned, then the pod and the Job are deleted": {
			orphaned: true,
			then: func(ctx context.Context, t *testing.T, client *fake.Clientset, job *batchv1.Job) {
				o, err := client.BatchV1().Jobs(job.Namespace).Get(ctx, job.Name, metav1.GetOptions{})
				require.NoError(t, err)
				o.OwnerReferences = nil
				_, err = client.BatchV1().Jobs(job.Namespace).Update(ctx, o, metav1.UpdateOptions{})
				require.NoError(t, err)
				require.NoError(t, client.CoreV1().Pods(job.Namespace).Delete(ctx, "p1", metav1.DeleteOptions{}))
				require.NoError(t, client.BatchV1().Jobs(job.Namespace).Delete(ctx, job.Name, metav1.DeleteOptions{}))
			},
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			resetMetrics()
			job := newJob(func(j *batchv1.Job) { j.Status.Active = 1 })
			_, ctx := ktesting.NewTestContext(t)
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			client := fake.NewClientset(job, newPod("p1", job, running("app", scheduled)))
			c := runTracker(ctx, t, client)
			l := c.labels(job)
			observed := func() uint64 {
				n, _ := testutil.GetHistogramMetricCount(appContainerDuration.WithLabelValues(l.namespace, l.cronJob, l.trigger))
				return n
			}
			remembered := func() int {
				c.mu.Lock()
				defer c.mu.Unlock()
				return len(c.observedRuns[job.UID])
			}
			jobs, pods := client.BatchV1().Jobs(job.Namespace), client.CoreV1().Pods(job.Namespace)
			isCronJobs := func(want bool) {
				require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
					j, err := c.jobLister.Jobs(job.Namespace).Get(job.Name)
					return err == nil && (cronJobOf(j) != "") == want, nil
				}))
			}

			// The run ends after this process started leading: observed.
			p, err := pods.Get(ctx, "p1", metav1.GetOptions{})
			require.NoError(t, err)
			p.Status.ContainerStatuses = []corev1.ContainerStatus{terminated("app", scheduled, time.Now().Add(2*time.Second), 1)}
			_, err = pods.UpdateStatus(ctx, p, metav1.UpdateOptions{})
			require.NoError(t, err)
			require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
				return observed() == 1, nil
			}), "the run's end is not observed")

			if tc.orphaned {
				o, err := jobs.Get(ctx, job.Name, metav1.GetOptions{})
				require.NoError(t, err)
				refs := o.OwnerReferences
				o.OwnerReferences = nil
				o, err = jobs.Update(ctx, o, metav1.UpdateOptions{})
				require.NoError(t, err)
				isCronJobs(false)
				o.OwnerReferences = refs
				_, err = jobs.Update(ctx, o, metav1.UpdateOptions{})
				require.NoError(t, err)
				isCronJobs(true)
				// Until the Job's pods were listed again.
				require.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
					c.mu.Lock()
					defer c.mu.Unlock()
					_, marked := c.podsToList[job.UID]
					return !marked, nil
				}))
			}
			if tc.then == nil {
				time.Sleep(200 * time.Millisecond) // let the syncs settle
				assert.Equal(t, uint64(1), observed(), "app container runs observed for p1's one run")
				assert.Equal(t, 1, remembered(), "pods whose runs are remembered")
				return
			}
			tc.then(ctx, t, client, job)
			assert.NoError(t, wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
				return remembered() == 0, nil
			}), "p1's run is still remembered")
			assert.Equal(t, uint64(1), observed(), "app container runs observed for p1's one run")
		})
	}
}

// A pod event that passed the informer's filter while the pod's Job was a
// CronJob's, and reached the cache after the Job stopped being one (after
// jobChanged dropped the Job's pods), is dropped by the pod handler.
func TestAPodAddedAfterItsJobStoppedBeingACronJobsIsDropped(t *testing.T) {
	testCases := map[string]struct {
		mutate   func(*batchv1.Job)
		wantKept bool
	}{
		"orphaned":                           {mutate: func(j *batchv1.Job) { j.OwnerReferences = nil }},
		"replaced by a Job of the same name": {mutate: func(j *batchv1.Job) { j.UID = "new-uid" }},
		"still a CronJob's":                  {mutate: func(*batchv1.Job) {}, wantKept: true},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			f := newFixture(t, Options{}, job)
			now := job.DeepCopy()
			tc.mutate(now)
			require.NoError(t, f.jobs.Update(now))
			stripped, _ := stripPod(newPod("p1", job, running("app", scheduled)))
			require.NoError(t, f.c.podInformer.GetIndexer().Add(stripped))
			f.c.podChanged(f.ctx, nil, stripped)
			_, kept, _ := f.c.podInformer.GetIndexer().Get(stripped)
			assert.Equal(t, tc.wantKept, kept, "the pod is cached")
		})
	}
}

// A broken app-container annotation is reported (event and metric) once per
// Job and annotation value, however often the Job and its pods are synced,
// and only by the replica leading when the Job was created.
func TestInvalidAppContainerIsReportedOncePerJob(t *testing.T) {
	testCases := map[string]struct {
		// environment
		leading time.Time
		// expectations
		wantReports int
	}{
		"the Job was created while this process led: reported once": {
			leading: scheduled.Add(-time.Minute), wantReports: 1,
		},
		"the Job was created before this process led (a restart): the previous leader reported it": {
			leading: scheduled.Add(time.Minute), wantReports: 0,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob(withAppContainer("main"))
			p1 := newPod("p1", job, corev1.ContainerStatus{Name: "app"})
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(tc.leading)}, job, p1)
			for range 3 {
				require.NoError(t, f.c.sync(f.ctx, "team-a/"+job.Name))
				f.c.podChanged(f.ctx, p1, p1)
				f.c.jobChanged(f.ctx, job, job)
			}
			count, _ := testutil.GetCounterMetricValue(invalidAnnotations.WithLabelValues("team-a", "nightly", AppContainerAnnotation))
			assert.Equal(t, float64(tc.wantReports), count)
			assert.Len(t, f.events(), tc.wantReports)

			// Another Job of the CronJob with the same broken value is
			// another report.
			other := newJob(withAppContainer("main"), func(j *batchv1.Job) { j.Name, j.UID = "nightly-29400001", "job-uid-2" })
			require.NoError(t, f.jobs.Add(other))
			require.NoError(t, f.c.sync(f.ctx, "team-a/"+other.Name))
			count, _ = testutil.GetCounterMetricValue(invalidAnnotations.WithLabelValues("team-a", "nightly", AppContainerAnnotation))
			assert.Equal(t, float64(2*tc.wantReports), count)
		})
	}
}

// After a restart or failover, the new leader observes only what happened
// since it started leading, and after the second in which the previous
// leader released the lease: the previous leader observed the rest.
func TestObservationsBelongToTheLeaderOfTheirTime(t *testing.T) {
	leadingSince := scheduled.Add(10*time.Minute + 500*time.Millisecond)
	complete := func(at time.Time) func(*batchv1.Job) {
		return func(j *batchv1.Job) {
			j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at)}}
		}
	}
	testCases := map[string]struct {
		// spec: what the new leader's informers list when it starts, and
		// when the previous leader last held the lease
		job                 *batchv1.Job
		pod                 func(*batchv1.Job) *corev1.Pod
		previousLeaderUntil time.Time
		// expectations
		wantRunsObserved uint64
		wantFinished     float64
	}{
		"a run and a Job that ended before this process led: not observed again": {
			job: newJob(complete(leadingSince.Add(-time.Minute))),
			pod: func(j *batchv1.Job) *corev1.Pod {
				return newPod("p1", j, terminated("app", scheduled, leadingSince.Add(-2*time.Minute), 0))
			},
		},
		"a run that ended in the second this process started leading, the Job after: observed": {
			job: newJob(complete(leadingSince.Add(time.Second))),
			pod: func(j *batchv1.Job) *corev1.Pod {
				return newPod("p1", j, terminated("app", scheduled, leadingSince.Truncate(time.Second), 0))
			},
			wantRunsObserved: 1, wantFinished: 1,
		},
		"a quick restart: the previous leader released the lease in the second this process started leading; a run and a Job that ended in it: the previous leader's": {
			job: newJob(complete(leadingSince.Truncate(time.Second))),
			pod: func(j *batchv1.Job) *corev1.Pod {
				return newPod("p1", j, terminated("app", scheduled, leadingSince.Truncate(time.Second), 0))
			},
			previousLeaderUntil: leadingSince.Add(-300 * time.Millisecond),
		},
		"a quick restart: a run and a Job that ended the second after the release: observed": {
			job: newJob(complete(leadingSince.Add(time.Second))),
			pod: func(j *batchv1.Job) *corev1.Pod {
				return newPod("p1", j, terminated("app", scheduled, leadingSince.Add(time.Second), 0))
			},
			previousLeaderUntil: leadingSince.Add(-300 * time.Millisecond),
			wantRunsObserved:    1, wantFinished: 1,
		},
		"a failover: the previous leader last renewed the lease 15 s earlier; a run that ended in the second this process started leading: observed": {
			job: newJob(complete(leadingSince.Add(time.Second))),
			pod: func(j *batchv1.Job) *corev1.Pod {
				return newPod("p1", j, terminated("app", scheduled, leadingSince.Truncate(time.Second), 0))
			},
			previousLeaderUntil: leadingSince.Add(-15 * time.Second),
			wantRunsObserved:    1, wantFinished: 1,
		},
		"a run that ended before, restarted and ended after: the later run only": {
			job: newJob(),
			pod: func(j *batchv1.Job) *corev1.Pod {
				s := terminated("app", leadingSince.Add(time.Second), leadingSince.Add(time.Minute), 0)
				s.RestartCount = 1
				s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{StartedAt: metav1.NewTime(scheduled), FinishedAt: metav1.NewTime(leadingSince.Add(-time.Second)), ExitCode: 1}
				return newPod("p1", j, s)
			},
			wantRunsObserved: 1,
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			pod := tc.pod(tc.job)
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leadingSince), PreviousLeaderUntil: tc.previousLeaderUntil}, tc.job, pod)
			// The initial list, then resyncs.
			f.c.jobChanged(f.ctx, nil, tc.job)
			f.c.podChanged(f.ctx, nil, pod)
			f.c.jobChanged(f.ctx, tc.job, tc.job)
			f.c.podChanged(f.ctx, pod, pod)
			f.sync(t, tc.job, true)

			n, _ := testutil.GetHistogramMetricCount(appContainerDuration.WithLabelValues("team-a", "nightly", triggerScheduled))
			assert.Equal(t, tc.wantRunsObserved, n, "app container runs observed")
			finished, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerScheduled, resultSuccess))
			assert.Equal(t, tc.wantFinished, finished, "finished Jobs counted")
			attempts, _ := testutil.GetHistogramMetricCount(jobAttempts.WithLabelValues("team-a", "nightly", triggerScheduled))
			assert.Equal(t, uint64(tc.wantFinished), attempts, "attempts are observed with the finish")
		})
	}
}

// An admission webhook renamed or removed the app container ("app" in the
// Job's template is "app-main" in the pod): nothing is guessed, and the Job
// gets a Warning AppContainerNotFound event, once, counted with the broken
// app-container annotations, by the replica leading when the Job was
// created.
func TestAppContainerMissingFromThePodIsReported(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	testCases := map[string]struct {
		// spec
		pod func(*batchv1.Job) *corev1.Pod
		// environment
		leading time.Time
		// expectations
		wantEvent string // "": none
	}{
		"renamed by a webhook: reported once": {
			pod: func(j *batchv1.Job) *corev1.Pod {
				return newPod("p1", j, running("istio-proxy", t0), running("app-main", t0.Add(time.Second)))
			},
			wantEvent: `Warning AppContainerNotFound pod p1 has no container "app", the app container of the Job's pod template (its containers: istio-proxy, app-main)`,
		},
		"renamed, the Job created before this process led (a restart): the previous leader reported it": {
			pod: func(j *batchv1.Job) *corev1.Pod {
				return newPod("p1", j, running("istio-proxy", t0), running("app-main", t0.Add(time.Second)))
			},
			leading: scheduled.Add(time.Hour),
		},
		"the kubelet has not reported the containers yet: nothing": {
			pod: func(j *batchv1.Job) *corev1.Pod { return newPod("p1", j) },
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			if tc.leading.IsZero() {
				tc.leading = leading
			}
			f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(tc.leading)}, job)
			pod := tc.pod(job)
			f.drive(t, job, []podStep{{pod: pod}, {pod: pod}})
			assert.Empty(t, f.annotation(t, FirstRunningAnnotation), "no start recorded, and none guessed")
			f.assertReportedOnce(t, AppContainerAnnotation, tc.wantEvent)
		})
	}
}

// A new leader's Job informer may hand a Job that finished in its first
// second to the tracker before the CronJob informer has listed the Job's
// CronJob: the finish is counted by a worker, once the caches synced, and not
// dropped as a finish of a deleted CronJob's Job (found by the simulation,
// seed 53). So is the finish of a Job deleted at once, before the CronJob
// informer has listed (ttlSecondsAfterFinished: 0): the delete handler hands
// it to a worker too.
func TestAFinishSeenBeforeTheCronJobIsCounted(t *testing.T) {
	for name, deleted := range map[string]bool{"the Job is kept": false, "the Job is deleted at once": true} {
		t.Run(name, func(t *testing.T) {
			running := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, running)
			cronJob, ok, err := f.cronJobs.GetByKey("team-a/nightly")
			require.NoError(t, err)
			require.True(t, ok)
			require.NoError(t, f.cronJobs.Delete(cronJob))
			done := newJob(func(j *batchv1.Job) {
				j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(scheduled.Add(time.Minute))}}
			})
			f.c.jobChanged(f.ctx, nil, done) // the Job informer's first list
			if deleted {
				require.NoError(t, f.jobs.Delete(done))
				f.c.jobDeleted(f.ctx, done)
			} else {
				require.NoError(t, f.jobs.Update(done))
			}
			require.NoError(t, f.cronJobs.Add(cronJob))
			require.NoError(t, f.c.sync(f.ctx, done.Namespace+"/"+done.Name))
			require.NoError(t, f.c.sync(f.ctx, done.Namespace+"/"+done.Name))

			n, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerScheduled, resultSuccess))
			assert.Equal(t, 1.0, n)
			assert.Empty(t, f.c.deleted, "handled Jobs are forgotten")
		})
	}
}

// A Job deleted and created again with the same name (kubectl create job
// --from=cronjob/nightly nightly-manual, run twice) while the watch was
// down: the relist delivers it as an update from the old Job to the new
// one. It is a new Job: its end is counted, and the old one is forgotten.
func TestAJobReplacedByAnotherOfTheSameNameIsANewJob(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	job := newJob(madeByKubectl)
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{{pod: succeeded(newPod("p1", job, terminated("app", t0, t0.Add(30*time.Second), 0)))}})
	f.finish(t, job, t0.Add(31*time.Second), 1)
	require.Contains(t, f.c.runs, job.UID)

	again := newJob(madeByKubectl, func(j *batchv1.Job) {
		j.UID = "job-uid-2"
		j.CreationTimestamp = metav1.NewTime(t0.Add(100 * time.Second))
		j.Status.Succeeded = 1
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(150 * time.Second))}}
	})
	require.NoError(t, f.client.Tracker().Delete(batchv1.SchemeGroupVersion.WithResource("jobs"), job.Namespace, job.Name))
	require.NoError(t, f.client.Tracker().Add(again))
	old, _, _ := f.jobs.Get(job)
	require.NoError(t, f.jobs.Update(again))
	f.c.jobChanged(f.ctx, old, again) // the relist's "update"
	require.NoError(t, f.c.sync(f.ctx, again.Namespace+"/"+again.Name))

	n, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerManual, resultSuccess))
	assert.Equal(t, 2.0, n, "the second Job's end is counted")
	assert.NotContains(t, f.c.runs, types.UID("job-uid"), "the replaced Job is forgotten")
}

// A resync that redelivers every pod and Job, many times, observes nothing
// again: re-executions, attempts, ends and runs are each observed once.
func TestResyncsObserveNothingAgain(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	job := newJob(func(j *batchv1.Job) {
		j.Spec.Completions, j.Spec.Parallelism = ptr.To[int32](2), ptr.To[int32](2)
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
	})
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	restartedOnce := terminated("app", sec(4), sec(9), 0)
	restartedOnce.RestartCount = 1
	restartedOnce.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{StartedAt: metav1.NewTime(sec(1)), FinishedAt: metav1.NewTime(sec(3)), ExitCode: 1}
	pods := []*corev1.Pod{
		indexed(failed(newPod("p0", job, terminated("app", sec(0), sec(5), 1))), 0),
		indexed(succeeded(newPod("p0b", job, terminated("app", sec(7), sec(20), 0))), 0),
		indexed(succeeded(newPod("p1", job, restartedOnce)), 1),
	}
	for _, p := range pods {
		f.drive(t, job, []podStep{{pod: p}})
	}
	done := f.finish(t, job, sec(30), 2)
	for range 5 {
		for _, p := range pods {
			f.c.podChanged(f.ctx, p, p)
		}
		f.c.jobChanged(f.ctx, done, done)
		f.sync(t, done, true)
	}
	overlaps, retries := reexecutionsCounted(t)
	assert.Equal(t, []float64{0, 2}, []float64{overlaps, retries})
	n, sum := attemptsObserved(t)
	assert.Equal(t, uint64(1), n)
	assert.Equal(t, 4.0, sum)
	finished, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerScheduled, resultSuccess))
	assert.Equal(t, 1.0, finished)
	d, _ := testutil.GetHistogramMetricCount(appContainerDuration.WithLabelValues("team-a", "nightly", triggerScheduled))
	assert.Equal(t, uint64(4), d, "each run observed once: p0's, p0b's, and p1's two")
}

// completions 2, parallelism 2, backoffLimit 0: pod a fails at once, the Job
// fails; pod b, created with a, started a moment after a failed (a slow
// image pull) and is deleted with the Job. Nothing ran twice: b is a's
// sibling, not its replacement (it was created with it, before a failed).
func TestASiblingThatStartsLateIsNotAReplacement(t *testing.T) {
	t0 := scheduled.Add(2 * time.Second)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	job := newJob(func(j *batchv1.Job) {
		j.Spec.Completions, j.Spec.Parallelism, j.Spec.BackoffLimit = ptr.To[int32](2), ptr.To[int32](2), ptr.To[int32](0)
	})
	pod := func(name string, s ...corev1.ContainerStatus) *corev1.Pod { return newPod(name, job, s...) }
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{
		{pod: created(pod("a", running("app", sec(1))), t0)},
		{pod: created(failed(pod("a", terminated("app", sec(1), sec(2), 1))), t0)},
		{pod: created(pod("b", running("app", sec(3))), t0)},
		{pod: created(terminating(pod("b", running("app", sec(3))), sec(4), 30*time.Second), t0)},
		{pod: created(failed(terminating(pod("b", terminated("app", sec(3), sec(5), 137)), sec(4), 30*time.Second)), t0)},
	})
	done := f.stored(t, job)
	done.Status.Failed = 2
	done.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(sec(6))}}
	done = f.update(t, done)
	f.sync(t, done, true)

	overlaps, retries := reexecutionsCounted(t)
	assert.Equal(t, 0.0, overlaps)
	assert.Equal(t, 0.0, retries, "b was created with a, not after it failed: no re-execution")
	assert.NotContains(t, f.stored(t, job).Annotations, ReexecutionsAnnotation)
}

// A Job deleted and created again under its name (a create that timed out
// and was carried out after the retry's Job was deleted, seed 1082283 of the
// simulation) while the Job informer lagged: the new Job's pod ran and ended
// while the informer still showed the older Job, so the pod informer's filter
// (same name, other UID) dropped each of its events, and a pod that ended has
// no next event to be admitted by. Once the informer shows the new Job, its
// pod is still on the API server: the tracker must record its start and
// observe its one attempt, not a start counted by nobody and an attempts
// sample of 0 ("the app never started").
func TestAPodThatRanBeforeItsJobWasSeenIsCounted(t *testing.T) {
	old := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, old)
	t0 := scheduled.Add(25 * time.Minute)
	again := newJob(func(j *batchv1.Job) {
		j.UID = "job-uid-2"
		j.CreationTimestamp = metav1.NewTime(scheduled.Add(2 * time.Minute))
		j.Status.Succeeded = 1
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0)}}
	})
	pod := succeeded(newPod("nightly-29922360-2", again, terminated("app", t0, t0, 0)))
	require.NoError(t, f.client.Tracker().Delete(batchv1.SchemeGroupVersion.WithResource("jobs"), old.Namespace, old.Name))
	require.NoError(t, f.client.Tracker().Add(again))
	require.NoError(t, f.client.Tracker().Add(pod))

	// The pod informer runs while the Job informer still shows the older
	// Job: its filter drops the pod.
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	go f.c.podInformer.RunWithContext(ctx)
	require.True(t, cache.WaitForCacheSync(ctx.Done(), f.c.podInformer.HasSynced))
	require.Empty(t, f.c.podInformer.GetStore().ListKeys(), "the filter drops the pod while the informer shows the older Job")

	f.clock.SetTime(t0.Add(85 * time.Second))
	require.NoError(t, f.jobs.Update(again))
	f.c.jobChanged(f.ctx, old, again) // the catch-up: the older Job replaced
	f.sync(t, again, true)
	f.clock.Step(attemptsSettle + time.Second)
	f.sync(t, again, true)

	assert.Equal(t, t0.Format(time.RFC3339), f.stored(t, again).Annotations[FirstRunningAnnotation], "first-running")
	started, _ := testutil.GetCounterMetricValue(jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled))
	assert.Equal(t, 1.0, started, "started")
	count, sum := attemptsObserved(t)
	assert.Equal(t, uint64(1), count, "attempts observed")
	assert.Equal(t, 1.0, sum, "attempts")
}

// runTracker starts a tracker with its own informers over client, with one
// worker, until ctx ends, and returns it once its caches have synced.
func runTracker(ctx context.Context, t *testing.T, client *fake.Clientset) *Controller {
	t.Helper()
	factory := informers.NewSharedInformerFactory(client, 0)
	c, err := New(ctx, factory.Batch().V1().Jobs(), factory.Batch().V1().CronJobs(), client, Options{})
	require.NoError(t, err)
	factory.Start(ctx.Done())
	go c.Run(ctx, 1)
	require.True(t, cache.WaitForCacheSync(ctx.Done(), c.HasSynced))
	return c
}
