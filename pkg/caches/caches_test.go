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

package caches

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
)

func managedFields() []metav1.ManagedFieldsEntry {
	return []metav1.ManagedFieldsEntry{{
		Manager:    "kubectl-edit",
		Operation:  metav1.ManagedFieldsOperationUpdate,
		APIVersion: "batch/v1",
		Time:       &metav1.Time{Time: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)},
		FieldsType: "FieldsV1",
		FieldsV1:   &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{}}}`)},
	}}
}

func job() *batchv1.Job {
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name: "report-29414880", Namespace: "ns", UID: "job-uid", ResourceVersion: "7",
			Labels:        map[string]string{"team": "data"},
			Annotations:   map[string]string{"batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-11-30T08:00:00Z"},
			ManagedFields: managedFields(),
		},
		Spec:   batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app:1"}}}}},
		Status: batchv1.JobStatus{Succeeded: 1},
	}
}

func cronJob() *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "report", Namespace: "ns", UID: "cj-uid", ManagedFields: managedFields()},
		Spec:       batchv1.CronJobSpec{Schedule: "0 8 * * *"},
	}
}

func TestTrimJob(t *testing.T) {
	trimmedJob := job()
	trimmedJob.ManagedFields = nil
	tombstone := cache.DeletedFinalStateUnknown{Key: "ns/report-29414880", Obj: job()}
	testCases := map[string]struct {
		in, want any
	}{
		"a Job loses its managedFields and keeps the rest": {in: job(), want: trimmedJob},
		"a Job without managedFields stays as it is":       {in: trimmedJob.DeepCopy(), want: trimmedJob},
		"a CronJob keeps its managedFields":                {in: cronJob(), want: cronJob()},
		"a pod stays as it is":                             {in: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", ManagedFields: managedFields()}}, want: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", ManagedFields: managedFields()}}},
		"a tombstone stays as it is":                       {in: tombstone, want: cache.DeletedFinalStateUnknown{Key: "ns/report-29414880", Obj: job()}},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			got, err := TrimJob(tc.in)
			if err != nil {
				t.Fatalf("TrimJob: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("TrimJob (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFactoryCachesTrimmedJobs checks the factory's caches: Jobs without
// managedFields, CronJobs with theirs, whether listed at the start or seen
// later by the watch.
func TestFactoryCachesTrimmedJobs(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := fake.NewClientset(job(), cronJob())
	factory := NewSharedInformerFactory(client, 0)
	jobs, cronJobs := factory.Batch().V1().Jobs(), factory.Batch().V1().CronJobs()
	jobs.Informer()
	cronJobs.Informer()
	factory.Start(ctx.Done())
	defer func() {
		cancel()
		factory.Shutdown()
	}()
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			t.Fatalf("the %v informer did not sync", typ)
		}
	}

	later := job()
	later.Name, later.UID = "report-29416320", "later-uid"
	if _, err := client.BatchV1().Jobs("ns").Create(ctx, later, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating a Job: %v", err)
	}
	for _, name := range []string{"report-29414880", "report-29416320"} {
		var cached *batchv1.Job
		err := wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
			var err error
			cached, err = jobs.Lister().Jobs("ns").Get(name)
			return err == nil, nil
		})
		if err != nil {
			t.Fatalf("Job %s never reached the cache: %v", name, err)
		}
		if cached.ManagedFields != nil {
			t.Errorf("Job %s is cached with managedFields %v, want none", name, cached.ManagedFields)
		}
		if cached.Annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "" || cached.Status.Succeeded != 1 {
			t.Errorf("Job %s is cached without its annotations or status: %+v", name, cached)
		}
	}
	cj, err := cronJobs.Lister().CronJobs("ns").Get("report")
	if err != nil {
		t.Fatalf("getting the cached CronJob: %v", err)
	}
	if diff := cmp.Diff(managedFields(), cj.ManagedFields); diff != "" {
		t.Errorf("the cached CronJob's managedFields (-want +got):\n%s", diff)
	}
}
