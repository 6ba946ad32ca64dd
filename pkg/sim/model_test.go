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

package sim

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// TestModelAgreesWithACronWalk compares the model's minute walk with a walk
// of robfig/cron's Next (what the controller uses) over every schedule and
// zone of the simulation, for two days from each start, and with a walk of the
// controller's own schedule evaluation (cronjob.NextScheduleTime, which adds
// cron(8)'s daylight saving rule for fixed times): robfig/cron's walk differs
// from cron(8) only for fixed times across a clock change, so it is compared
// for the other schedules only.
func TestModelAgreesWithACronWalk(t *testing.T) {
	for _, sched := range schedules {
		for _, zone := range zones {
			loc := time.UTC
			if zone != "" {
				var err error
				if loc, err = time.LoadLocation(zone); err != nil {
					t.Fatal(err)
				}
			}
			spec, err := parseCron(sched)
			if err != nil {
				t.Fatal(err)
			}
			cs, err := cron.ParseStandard("TZ=" + loc.String() + " " + sched)
			if err != nil {
				t.Fatal(err)
			}
			cj := &batchv1.CronJob{Spec: batchv1.CronJobSpec{Schedule: sched}}
			if zone != "" {
				cj.Spec.TimeZone = &zone
			}
			controllerSched, err := cronjob.ParseSchedule(cj)
			if err != nil {
				t.Fatal(err)
			}
			for _, start := range starts {
				end := start.Add(48 * time.Hour)
				model := spec.times(loc, start, end)
				if !spec.fixed {
					var walk []time.Time
					for tt := cs.Next(start); !tt.After(end); tt = cs.Next(tt) {
						walk = append(walk, tt.UTC())
					}
					compareTimes(t, "robfig/cron", sched, loc, start, model, walk)
				}
				var walk []time.Time
				c := cj.DeepCopy()
				c.CreationTimestamp = metav1.NewTime(start)
				for now := start; ; {
					tt, ok := cronjob.NextScheduleTime(c, now, controllerSched)
					if !ok || tt.After(end) {
						break
					}
					walk = append(walk, tt.UTC())
					c.Status.LastScheduleTime = &metav1.Time{Time: tt}
					now = tt
				}
				compareTimes(t, "the controller", sched, loc, start, model, walk)
			}
		}
	}
}

func compareTimes(t *testing.T, what, sched string, loc *time.Location, start time.Time, model, walk []time.Time) {
	t.Helper()
	for i := 0; i < len(model) || i < len(walk); i++ {
		if i >= len(model) || i >= len(walk) || !model[i].Equal(walk[i]) {
			t.Errorf("%q in %s from %s: time %d differs: model %v, %s %v", sched, loc, start, i, at(model, i), what, at(walk, i))
			return
		}
	}
}

func at(ts []time.Time, i int) string {
	if i < len(ts) {
		return ts[i].Format(time.RFC3339)
	}
	return "none"
}

// TestParseCron checks the model's parser on the forms it supports.
func TestParseCron(t *testing.T) {
	at := func(s string) time.Time { tt, _ := time.Parse(time.RFC3339, s); return tt }
	for _, tc := range []struct {
		sched string
		t     string
		want  bool
	}{
		{"*/5 * * * *", "2026-06-10T08:05:00Z", true},
		{"*/5 * * * *", "2026-06-10T08:06:00Z", false},
		{"0,1,3,7 * * * *", "2026-06-10T08:07:00Z", true},
		{"15-17,45 * * * *", "2026-06-10T08:16:00Z", true},
		{"15-17,45 * * * *", "2026-06-10T08:18:00Z", false},
		{"0 9-17 * * 1-5", "2026-06-13T09:00:00Z", false}, // a Saturday
		{"0 9-17 * * 1-5", "2026-06-12T17:00:00Z", true},
		{"5/20 * * * *", "2026-06-12T17:45:00Z", true},
		{"0 0 * * 7", "2026-06-14T00:00:00Z", true}, // Sunday as 7
	} {
		spec, err := parseCron(tc.sched)
		if err != nil {
			t.Fatal(err)
		}
		if got := spec.matches(at(tc.t)); got != tc.want {
			t.Errorf("%q at %s: %v, want %v", tc.sched, tc.t, got, tc.want)
		}
	}
}
