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
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

// LeaseTenure is one holder's hold of a Lease: from its acquireTime to its
// release (the holder's last write, with no holder) or, when it was not
// released, its last renewal plus the lease duration.
type LeaseTenure struct {
	Holder   string
	From, To time.Time
	// Released is whether the holder released the Lease (To is then the
	// release's renewTime) rather than letting it expire.
	Released bool
}

// LeaseHistory records every version of one Lease that a watch delivers.
// Versions a relist skips (after an API server restart) are not seen.
type LeaseHistory struct {
	mu       sync.Mutex
	versions []coordinationv1.LeaseSpec
}

// RecordLease watches the Lease namespace/name until ctx ends and records
// each version it sees in the returned history.
func (c *Cluster) RecordLease(ctx context.Context, namespace, name string) (*LeaseHistory, error) {
	h := &LeaseHistory{}
	factory := informers.NewSharedInformerFactoryWithOptions(c.Client, 0,
		informers.WithNamespace(namespace),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.FieldSelector = fields.OneTermEqualSelector("metadata.name", name).String()
		}))
	informer := factory.Coordination().V1().Leases().Informer()
	if _, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { h.add(obj) },
		UpdateFunc: func(_, obj any) { h.add(obj) },
	}); err != nil {
		return nil, fmt.Errorf("watching Lease %s/%s: %w", namespace, name, err)
	}
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), informer.HasSynced) {
		return nil, fmt.Errorf("watching Lease %s/%s: %w", namespace, name, ctx.Err())
	}
	return h, nil
}

func (h *LeaseHistory) add(obj any) {
	if lease, ok := obj.(*coordinationv1.Lease); ok {
		h.Add(lease.Spec)
	}
}

// Add records one version of the Lease.
func (h *LeaseHistory) Add(spec coordinationv1.LeaseSpec) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.versions = append(h.versions, *spec.DeepCopy())
}

// Tenures returns the holds the recorded versions show, in order. A version
// without a holder (client-go's release) ends the tenure before it at its
// renewTime; otherwise a tenure ends at its last renewal plus the lease
// duration.
func (h *LeaseHistory) Tenures() []LeaseTenure {
	h.mu.Lock()
	defer h.mu.Unlock()
	var tenures []LeaseTenure
	for _, v := range h.versions {
		holder := ""
		if v.HolderIdentity != nil {
			holder = *v.HolderIdentity
		}
		renew := microTime(v.RenewTime)
		if holder == "" {
			if n := len(tenures); n > 0 && !renew.IsZero() && renew.Before(tenures[n-1].To) {
				tenures[n-1].To, tenures[n-1].Released = renew, true
			}
			continue
		}
		acquire := microTime(v.AcquireTime)
		var duration time.Duration
		if v.LeaseDurationSeconds != nil {
			duration = time.Duration(*v.LeaseDurationSeconds) * time.Second
		}
		n := len(tenures)
		if n == 0 || tenures[n-1].Holder != holder || !tenures[n-1].From.Equal(acquire) {
			tenures = append(tenures, LeaseTenure{Holder: holder, From: acquire, To: renew.Add(duration)})
			continue
		}
		if end := renew.Add(duration); end.After(tenures[n-1].To) {
			tenures[n-1].To = end
		}
	}
	return tenures
}

func microTime(t *metav1.MicroTime) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}

// HeldAt says whether some holder may have held the Lease at a moment in
// [from, from+width): false means no tenure reaches into it. known is false
// when the interval starts before the first recorded tenure, where the
// history says nothing.
func HeldAt(tenures []LeaseTenure, from time.Time, width time.Duration) (held, known bool) {
	if len(tenures) == 0 || from.Before(tenures[0].From) {
		return false, false
	}
	to := from.Add(width)
	for _, t := range tenures {
		if t.From.Before(to) && t.To.After(from) {
			return true, true
		}
	}
	return false, true
}

// JobsCreatedWithoutLease returns the Jobs that were created while no
// replica held the Lease (after a release or an expiry, before the next
// acquisition), and how many Jobs were created before the first recorded
// tenure and so could not be judged. A Job's creationTimestamp has whole
// seconds, so a Job counts only when no tenure reaches into the whole second
// it names.
func JobsCreatedWithoutLease(tenures []LeaseTenure, jobs []batchv1.Job) (names []string, unjudged int) {
	for i := range jobs {
		held, known := HeldAt(tenures, jobs[i].CreationTimestamp.Time, time.Second)
		switch {
		case !known:
			unjudged++
		case !held:
			names = append(names, jobs[i].Name)
		}
	}
	sort.Strings(names)
	return names, unjudged
}

// JobInterval is when a Job was unfinished: from its creation to its Complete
// or Failed condition (or its deletion); To is zero while it still runs.
func JobInterval(j *batchv1.Job) (from, to time.Time) {
	from = j.CreationTimestamp.Time
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			to = c.LastTransitionTime.Time
		}
	}
	if to.IsZero() && j.DeletionTimestamp != nil {
		to = j.DeletionTimestamp.Time
	}
	return from, to
}

// ConcurrentJobs returns the pairs of Jobs, among jobs (of one CronJob), that
// were unfinished at the same time: one created before the other finished.
// Under Forbid and Replace there must be none. Timestamps have whole seconds;
// a Job created in the second the other finished does not count (it may have
// come after), so only certain overlaps are returned.
func ConcurrentJobs(jobs []batchv1.Job) [][2]string {
	var pairs [][2]string
	for i := range jobs {
		aFrom, aTo := JobInterval(&jobs[i])
		for k := i + 1; k < len(jobs); k++ {
			bFrom, bTo := JobInterval(&jobs[k])
			aEndsAfterB := aTo.IsZero() || aTo.After(bFrom)
			bEndsAfterA := bTo.IsZero() || bTo.After(aFrom)
			if aEndsAfterB && bEndsAfterA {
				pair := [2]string{jobs[i].Name, jobs[k].Name}
				sort.Strings(pair[:])
				pairs = append(pairs, pair)
			}
		}
	}
	sort.Slice(pairs, func(i, k int) bool { return pairs[i][0]+pairs[i][1] < pairs[k][0]+pairs[k][1] })
	return pairs
}

// ExpectedStartAnnotation is the annotation steadycron's controller puts on
// every Job it creates: the scheduled time, RFC3339 in UTC.
const ExpectedStartAnnotation = "steadycron.io/expected-start"

// ScheduledTimes returns the scheduled times a Job's annotations name:
// upstream's scheduled-timestamp and steadycron's expected-start, each once
// (one time when both agree, as they should). A Job with neither (made by
// hand) has none; an annotation that does not parse is an error.
func ScheduledTimes(j *batchv1.Job) ([]time.Time, error) {
	var times []time.Time
	for _, key := range []string{batchv1.CronJobScheduledTimestampAnnotation, ExpectedStartAnnotation} {
		v, ok := j.Annotations[key]
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, fmt.Errorf("Job %s: %s=%q: %w", j.Name, key, v, err)
		}
		if len(times) == 0 || !times[0].Equal(t) {
			times = append(times, t)
		}
	}
	return times, nil
}
