/*
Copyright 2026 The Kubernetes Authors.

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

package cronjob

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"k8s.io/kubernetes/pkg/util/parsers"
)

// BenchmarkReproMostRecentScheduleTime times one call of mostRecentScheduleTime
// after the controller missed the start times of a downtime, in whichever version
// of the package it is dropped into, so that the stock and the fixed function can
// be compared on the same cases (scripts/upstream-repro.sh --bench).
func BenchmarkReproMostRecentScheduleTime(b *testing.B) {
	schedules := []struct{ name, schedule string }{
		{"minutely", "* * * * *"},
		{"weekdays-9-to-17", "0 9-17 * * 1-5"},
	}
	downtimes := []struct {
		name     string
		downtime time.Duration
	}{
		{"1h", time.Hour},
		{"1d", 24 * time.Hour},
		{"1y", 365 * 24 * time.Hour},
	}
	lastScheduleTime := time.Date(2025, time.June, 2, 9, 0, 0, 0, time.UTC) // a Monday
	for _, s := range schedules {
		for _, d := range downtimes {
			b.Run(s.name+"/"+d.name, func(b *testing.B) {
				cj := &batchv1.CronJob{
					ObjectMeta: metav1.ObjectMeta{CreationTimestamp: metav1.NewTime(lastScheduleTime)},
					Spec:       batchv1.CronJobSpec{Schedule: s.schedule},
					Status:     batchv1.CronJobStatus{LastScheduleTime: ptr.To(metav1.NewTime(lastScheduleTime))},
				}
				sched, err := parsers.ParseCronScheduleWithPanicRecovery(s.schedule)
				if err != nil {
					b.Fatal(err)
				}
				now := lastScheduleTime.Add(d.downtime + 30*time.Second)
				b.ReportAllocs()
				for b.Loop() {
					if _, _, _, err := mostRecentScheduleTime(cj, now, sched, false); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
