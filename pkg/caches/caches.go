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

// Package caches builds the informers of CronJobs and Jobs that steadycron's
// controllers share, keeping out of the cache what they never read.
package caches

import (
	"time"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
)

// NewSharedInformerFactory returns the informer factory of steadycron's
// controllers: every object of the kinds asked for, resynced every resync
// (0: never), with Jobs trimmed by TrimJob before they are cached.
func NewSharedInformerFactory(client kubernetes.Interface, resync time.Duration) informers.SharedInformerFactory {
	return informers.NewSharedInformerFactoryWithOptions(client, resync, informers.WithTransform(TrimJob))
}

// TrimJob drops a Job's metadata.managedFields, which no controller of
// steadycron reads (kube-controller-manager drops them from every object it
// caches), and returns any other object as it is. It changes the Job in
// place, as an informer's transform may. CronJobs keep theirs: the CronJob
// controller reads when spec.schedule and status.lastScheduleTime were
// written from them. It never fails.
func TrimJob(obj any) (any, error) {
	if job, ok := obj.(*batchv1.Job); ok {
		job.ManagedFields = nil
	}
	return obj, nil
}
