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

package reliability

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

const (
	expectedStartAnnotation = "steadycron.io/expected-start"
	firstRunningAnnotation  = "steadycron.io/first-running"
	appContainerAnnotation  = "steadycron.io/app-container"
	// invalidAnnotationsMetric counts the broken steadycron annotations the
	// job tracker met (docs/metrics.md).
	invalidAnnotationsMetric = "cronjob_jobtracker_invalid_annotations_total"
)

// badInputCase is one kind of bad input: how to make it, the event and the
// metric that must report it.
type badInputCase struct {
	name string
	// make creates the bad object in ns and returns the object the event is about.
	make func(t *testing.T, ns string) metav1.Object
	// eventType and eventReason of the warning (or, for input that must
	// just work, the normal event) about the object.
	eventType, eventReason string
	// metric and its labels, which must reach at least 1.
	metric string
	labels func(ns string, obj metav1.Object) map[string]string
	// poke stores the (etcd-only) object again after the scheduled time, so
	// that the controller syncs it at once rather than at its next retry.
	poke bool
}

func cronJobDecision(d, reason string) func(string, metav1.Object) map[string]string {
	return func(ns string, obj metav1.Object) map[string]string {
		return framework.Decision(ns, obj.GetName(), d, reason)
	}
}

// invalidAnnotation: the broken annotations are all on Jobs of the CronJob "holder".
func invalidAnnotation(ns string, _ metav1.Object) map[string]string {
	return map[string]string{"namespace": ns, "cronjob": "holder"}
}

// TestBadInputIsReportedAndStallsNothing: each kind of bad input gets a clear
// event and a metric, and a good CronJob next to them keeps running at every
// scheduled time. Inputs the API server refuses today are written to etcd, as
// objects from before a validation existed would be.
func TestBadInputIsReportedAndStallsNothing(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	viaEtcd := func(name string, mutate func(*batchv1.CronJob)) func(*testing.T, string) metav1.Object {
		return func(t *testing.T, ns string) metav1.Object {
			cj := cluster.NewCronJob(name, "* * * * *", framework.Succeeds)
			mutate(cj)
			stored, err := cluster.StoreCronJobBypassingValidation(ctx, ns, cj)
			require.NoError(t, err)
			return stored
		}
	}
	viaAPI := func(name string, mutate func(*batchv1.CronJob)) func(*testing.T, string) metav1.Object {
		return func(t *testing.T, ns string) metav1.Object {
			cj := cluster.NewCronJob(name, "* * * * *", framework.Succeeds)
			mutate(cj)
			created, err := cluster.CreateCronJob(ctx, ns, cj)
			require.NoError(t, err)
			return created
		}
	}
	// Jobs made by hand for a suspended CronJob, with broken annotations.
	holder, err := cluster.CreateCronJob(ctx, ns, func() *batchv1.CronJob {
		cj := cluster.NewCronJob("holder", "0 0 1 1 *", framework.Succeeds)
		cj.Spec.Suspend = ptr.To(true)
		return cj
	}())
	require.NoError(t, err)
	handMade := func(name string, mutate func(*batchv1.Job)) func(*testing.T, string) metav1.Object {
		return func(t *testing.T, ns string) metav1.Object {
			job := &batchv1.Job{
				ObjectMeta: metav1.ObjectMeta{
					Name: name, Annotations: map[string]string{},
					OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(holder, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
				},
				Spec: *holder.Spec.JobTemplate.Spec.DeepCopy(),
			}
			mutate(job)
			created, err := cluster.Client.BatchV1().Jobs(ns).Create(ctx, job, metav1.CreateOptions{})
			require.NoError(t, err)
			return created
		}
	}

	cases := []badInputCase{{
		name:      "unparseable schedule",
		make:      viaEtcd("unparseable", func(cj *batchv1.CronJob) { cj.Spec.Schedule = "every day at noon" }),
		eventType: corev1.EventTypeWarning, eventReason: "UnparseableSchedule",
		metric: decisionsMetric, labels: cronJobDecision("skip", "invalidSchedule"),
	}, {
		name:      "unknown time zone",
		make:      viaEtcd("unknown-zone", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("Mars/Olympus_Mons") }),
		eventType: corev1.EventTypeWarning, eventReason: "UnknownTimeZone",
		metric: decisionsMetric, labels: cronJobDecision("skip", "invalidTimeZone"),
	}, {
		name:      "schedule that never fires",
		make:      viaAPI("february-31", func(cj *batchv1.CronJob) { cj.Spec.Schedule = framework.NeverFiringSchedule }),
		eventType: corev1.EventTypeWarning, eventReason: "InvalidSchedule",
		metric: decisionsMetric, labels: cronJobDecision("skip", "invalidSchedule"),
	}, {
		// Valid and meaning "no deadline": it must simply run (before patch
		// 0003 it overflowed to -1s and never ran).
		name: "huge startingDeadlineSeconds",
		make: viaAPI("huge-deadline", func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = ptr.To[int64](math.MaxInt64)
			cj.Spec.JobTemplate.Spec.Suspend = ptr.To(true)
		}),
		eventType: corev1.EventTypeNormal, eventReason: "SuccessfulCreate",
		metric: decisionsMetric, labels: cronJobDecision("invoke", "onTime"),
	}, {
		name: "jobTemplate the API server rejects",
		make: viaEtcd("rejected-template", func(cj *batchv1.CronJob) {
			cj.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyAlways
			// Due at once: the create fails now, and is counted once the
			// next scheduled time supersedes it (a failed create is a
			// tentative skip, docs/metrics.md).
			cj.Status.LastScheduleTime = &metav1.Time{Time: time.Now().Truncate(time.Minute).Add(-time.Minute)}
		}),
		eventType: corev1.EventTypeWarning, eventReason: "FailedCreate",
		metric: decisionsMetric, labels: cronJobDecision("skip", "error"),
		poke: true,
	}, {
		// Under the controller's name for a time an hour ago: a Job made by
		// hand under another name has its creation as its expected start,
		// whatever annotation it carries (the job tracker's trigger rule).
		name:      "expected-start that is not a time",
		make:      handMade(fmt.Sprintf("%s-%d", holder.Name, time.Now().Add(-time.Hour).Unix()/60), func(j *batchv1.Job) { j.Annotations[expectedStartAnnotation] = "yesterday" }),
		eventType: corev1.EventTypeWarning, eventReason: "InvalidExpectedStart",
		metric: invalidAnnotationsMetric, labels: invalidAnnotation,
	}, {
		name: "app-container that names no container",
		make: handMade("bad-app-container", func(j *batchv1.Job) {
			if j.Spec.Template.Annotations == nil {
				j.Spec.Template.Annotations = map[string]string{}
			}
			j.Spec.Template.Annotations[appContainerAnnotation] = "no-such-container"
		}),
		eventType: corev1.EventTypeWarning, eventReason: "InvalidAppContainer",
		metric: invalidAnnotationsMetric, labels: invalidAnnotation,
	}, {
		name:      "first-running that is not a time",
		make:      handMade("bad-first-running", func(j *batchv1.Job) { j.Annotations[firstRunningAnnotation] = "soon" }),
		eventType: corev1.EventTypeWarning, eventReason: "InvalidFirstRunning",
		metric: invalidAnnotationsMetric, labels: invalidAnnotation,
	}}

	objs := make([]metav1.Object, len(cases))
	for i, tc := range cases {
		objs[i] = tc.make(t, ns)
	}
	good, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("good", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	start := time.Now()
	jobs, err := cluster.WaitForJobs(ctx, good, 1, framework.UntilNextMinute(30*time.Second))
	require.NoError(t, err, "bad input stalled the good CronJob next to it")
	record(t, "bad-input", figures{"cases": len(cases), "good_cronjob_jobs": len(jobs), "waited_seconds": seconds(time.Since(start))})
	for i, tc := range cases {
		if !tc.poke {
			continue
		}
		cj := objs[i].(*batchv1.CronJob).DeepCopy()
		cj.Annotations = map[string]string{"e2e.steadycron.io/poked": time.Now().UTC().Format(time.RFC3339)}
		_, err := cluster.StoreCronJobBypassingValidation(ctx, ns, cj)
		require.NoError(t, err)
	}

	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := objs[i]
			t.Run("event", func(t *testing.T) {
				e, err := cluster.WaitForEvent(ctx, ns, obj, 90*time.Second, tc.eventReason)
				require.NoError(t, err)
				assert.Equal(t, tc.eventType, e.Type)
				assert.NotEmpty(t, strings.TrimSpace(e.Message))
				t.Logf("%s %s: %s", e.Type, e.Reason, e.Message)
			})
			t.Run("metric", func(t *testing.T) {
				_, err := framework.WaitCounter(t.Context(), cluster.LeaderMetrics(), tc.metric, tc.labels(ns, obj), 1, 90*time.Second)
				require.NoError(t, err)
			})
		})
	}
	r := audit(t, ns, map[types.UID][]time.Time{good.UID: {scheduledAt(t, &jobs[0])}})
	r.assertClean(t)
}

func scheduledAt(t *testing.T, j *batchv1.Job) time.Time {
	t.Helper()
	at, err := framework.ScheduledTime(j)
	require.NoError(t, err)
	return at
}
