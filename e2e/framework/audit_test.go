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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

func leaseVersion(holder string, acquire, renew float64, duration int32) coordinationv1.LeaseSpec {
	return coordinationv1.LeaseSpec{
		HolderIdentity:       ptr.To(holder),
		AcquireTime:          &metav1.MicroTime{Time: at(acquire)},
		RenewTime:            &metav1.MicroTime{Time: at(renew)},
		LeaseDurationSeconds: ptr.To(duration),
	}
}

func job(name string, created float64, finished *float64) batchv1.Job {
	j := batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(at(created))}}
	if finished != nil {
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at(*finished))}}
	}
	return j
}

func TestJobsCreatedWithoutLease(t *testing.T) {
	cases := map[string]struct {
		versions     []coordinationv1.LeaseSpec
		jobs         []batchv1.Job
		want         []string
		wantUnjudged int
	}{
		"created while a holder renews": {
			versions: []coordinationv1.LeaseSpec{leaseVersion("a", 0, 0, 15), leaseVersion("a", 0, 2, 15), leaseVersion("a", 0, 4, 15)},
			jobs:     []batchv1.Job{job("j1", 1, nil), job("j2", 18, nil)},
		},
		"created after the last renewal plus the duration": {
			versions: []coordinationv1.LeaseSpec{leaseVersion("a", 0, 4, 15)},
			jobs:     []batchv1.Job{job("late", 20, nil)},
			want:     []string{"late"},
		},
		"created after a release, before the next holder": {
			versions: []coordinationv1.LeaseSpec{
				leaseVersion("a", 0, 4, 15),
				{HolderIdentity: ptr.To(""), AcquireTime: &metav1.MicroTime{Time: at(5.5)}, RenewTime: &metav1.MicroTime{Time: at(5.5)}, LeaseDurationSeconds: ptr.To[int32](1)},
				leaseVersion("b", 8, 8, 15),
			},
			jobs: []batchv1.Job{job("before-release", 4, nil), job("in-the-release-second", 5, nil), job("after-release", 6, nil), job("by-b", 9, nil)},
			want: []string{"after-release"},
		},
		"before the first recorded tenure": {
			versions:     []coordinationv1.LeaseSpec{leaseVersion("b", 10, 10, 15)},
			jobs:         []batchv1.Job{job("old", 3, nil)},
			wantUnjudged: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h := &LeaseHistory{}
			for _, v := range tc.versions {
				h.Add(v)
			}
			got, unjudged := JobsCreatedWithoutLease(h.Tenures(), tc.jobs)
			if name == "created after a release, before the next holder" {
				tenures := h.Tenures()
				require.Len(t, tenures, 2)
				assert.True(t, tenures[0].Released)
				assert.Equal(t, at(5.5), tenures[0].To)
				assert.False(t, tenures[1].Released)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.wantUnjudged, unjudged)
		})
	}
}

func TestConcurrentJobs(t *testing.T) {
	cases := map[string]struct {
		jobs []batchv1.Job
		want [][2]string
	}{
		"one after the other":                      {jobs: []batchv1.Job{job("a", 0, ptr.To(30.0)), job("b", 60, nil)}},
		"created in the second the other finished": {jobs: []batchv1.Job{job("a", 0, ptr.To(60.0)), job("b", 60, nil)}},
		"created while the other runs":             {jobs: []batchv1.Job{job("a", 0, nil), job("b", 60, nil)}, want: [][2]string{{"a", "b"}}},
		"created before the other finished":        {jobs: []batchv1.Job{job("b", 60, nil), job("a", 0, ptr.To(61.0))}, want: [][2]string{{"a", "b"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, ConcurrentJobs(tc.jobs))
		})
	}
}

func TestScheduledTimes(t *testing.T) {
	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "j", Annotations: map[string]string{
		batchv1.CronJobScheduledTimestampAnnotation: "2026-11-29T13:00:00+01:00",
		ExpectedStartAnnotation:                     "2026-11-29T12:00:00Z",
	}}}
	got, err := ScheduledTimes(j)
	require.NoError(t, err)
	assert.Len(t, got, 1, "both annotations name the same instant")

	j.Annotations[ExpectedStartAnnotation] = "2026-11-29T12:01:00Z"
	got, err = ScheduledTimes(j)
	require.NoError(t, err)
	assert.Len(t, got, 2)

	j.Annotations[ExpectedStartAnnotation] = "yesterday"
	_, err = ScheduledTimes(j)
	assert.Error(t, err)
}
