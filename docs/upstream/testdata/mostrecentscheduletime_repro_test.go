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

// Reproduction for the bug report in docs/upstream/mostrecentscheduletime-bug.md:
// copy this file into k8s.io/kubernetes pkg/controller/cronjob and run
//
//	go test ./pkg/controller/cronjob/ -run TestSyncCronJobRunsMostRecentMissedStartTime -v
//
// It uses only what the package has at v1.37.2 (and still has with the fix), so
// it compiles against both.

package cronjob

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2/ktesting"
	"k8s.io/utils/ptr"

	"k8s.io/kubernetes/pkg/util/parsers"
)

// TestSyncCronJobRunsMostRecentMissedStartTime: a CronJob whose controller missed
// two or more of its start times (the controller was down, or the CronJob was
// suspended, or a Forbid run lasted long) must get a Job for the most recent of
// them on its next sync, as the CronJob documentation says. The most recent one is
// the last time that the schedule's own Next reaches from .status.lastScheduleTime
// without passing now: the time the controller would have acted on had it been
// running all along. Each case checks its expectation against that walk first.
//
// None of the cases sets startingDeadlineSeconds or has more than 100 missed
// start times, so nothing else stops the Job.
func TestSyncCronJobRunsMostRecentMissedStartTime(t *testing.T) {
	testCases := map[string]struct {
		// spec
		schedule string
		timeZone *string
		// status
		lastScheduleTime time.Time
		// environment
		now time.Time
		// expectations
		wantScheduledTime time.Time
	}{
		"hourly on weekdays, the evening after the first run": {
			schedule:          "0 9-17 * * 1-5",
			lastScheduleTime:  time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC), // Monday
			now:               time.Date(2026, time.January, 5, 19, 0, 0, 0, time.UTC),
			wantScheduledTime: time.Date(2026, time.January, 5, 17, 0, 0, 0, time.UTC),
		},
		"every four hours on weekdays (the schedule of #118724), the evening after the first run": {
			schedule:          "30 6-16/4 * * 1-5",
			lastScheduleTime:  time.Date(2026, time.January, 5, 6, 30, 0, 0, time.UTC), // Monday
			now:               time.Date(2026, time.January, 5, 23, 0, 0, 0, time.UTC),
			wantScheduledTime: time.Date(2026, time.January, 5, 14, 30, 0, 0, time.UTC),
		},
		"Mondays and Fridays at noon, ten days later": {
			schedule:          "0 12 * * 1,5",
			lastScheduleTime:  time.Date(2026, time.January, 5, 12, 0, 0, 0, time.UTC), // Monday
			now:               time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC),
			wantScheduledTime: time.Date(2026, time.January, 12, 12, 0, 0, 0, time.UTC),
		},
		"the last days of the month, a week later": {
			schedule:          "0 0 28-31 * *",
			lastScheduleTime:  time.Date(2026, time.January, 28, 0, 0, 0, 0, time.UTC),
			now:               time.Date(2026, time.February, 4, 0, 0, 0, 0, time.UTC),
			wantScheduledTime: time.Date(2026, time.January, 31, 0, 0, 0, 0, time.UTC),
		},
		"weekdays at 10:30, 11:30 and 12:30 (upstream's case \"another complex schedule\"), Thursday to Friday": {
			schedule:          "30 10,11,12 * * 1-5",
			lastScheduleTime:  time.Date(2016, time.May, 19, 10, 30, 0, 0, time.UTC), // Thursday
			now:               time.Date(2016, time.May, 20, 16, 30, 0, 0, time.UTC),
			wantScheduledTime: time.Date(2016, time.May, 20, 12, 30, 0, 0, time.UTC),
		},
		"daily at midnight in New York, across the change to daylight saving time": {
			schedule:          "0 0 * * *",
			timeZone:          ptr.To("America/New_York"),
			lastScheduleTime:  time.Date(2026, time.March, 7, 5, 0, 0, 0, time.UTC),   // 00:00 EST
			now:               time.Date(2026, time.March, 10, 3, 30, 0, 0, time.UTC), // 23:30 EDT on the 9th
			wantScheduledTime: time.Date(2026, time.March, 9, 4, 0, 0, 0, time.UTC),   // 00:00 EDT
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			_, ctx := ktesting.NewTestContext(t)
			cj := &batchv1.CronJob{
				ObjectMeta: metav1.ObjectMeta{
					Name:              "mycronjob",
					Namespace:         metav1.NamespaceDefault,
					UID:               "1a2b3c",
					CreationTimestamp: metav1.NewTime(tc.lastScheduleTime.Add(-time.Hour)),
				},
				Spec: batchv1.CronJobSpec{
					Schedule:          tc.schedule,
					TimeZone:          tc.timeZone,
					ConcurrencyPolicy: batchv1.AllowConcurrent,
					JobTemplate: batchv1.JobTemplateSpec{
						Spec: batchv1.JobSpec{
							Template: v1.PodTemplateSpec{
								Spec: v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "busybox"}}},
							},
						},
					},
				},
				Status: batchv1.CronJobStatus{LastScheduleTime: ptr.To(metav1.NewTime(tc.lastScheduleTime))},
			}
			sched, err := parsers.ParseCronScheduleWithPanicRecovery(formatSchedule(cj, nil))
			if err != nil {
				t.Fatalf("test setup error: %v", err)
			}
			if walked := lastStartTimeByWalkingNext(sched, tc.lastScheduleTime, tc.now); !walked.Equal(tc.wantScheduledTime) {
				t.Fatalf("test setup error: walking Next gives %v, the case expects %v", walked, tc.wantScheduledTime)
			}

			jobControl := &fakeJobControl{}
			jm := ControllerV2{
				jobControl:     jobControl,
				cronJobControl: &fakeCJControl{},
				recorder:       record.NewFakeRecorder(10),
				now:            func() time.Time { return tc.now },
			}
			if _, _, err := jm.syncCronJob(ctx, cj.DeepCopy(), nil); err != nil {
				t.Fatalf("syncCronJob: %v", err)
			}

			if len(jobControl.Jobs) != 1 {
				_, mostRecent, _, err := mostRecentScheduleTime(cj, tc.now, sched, true)
				t.Fatalf("syncCronJob created %d Jobs, want 1 for %s; mostRecentScheduleTime returned %s (err %v)",
					len(jobControl.Jobs), tc.wantScheduledTime.Format(time.RFC3339), formatTimeOrNil(mostRecent), err)
			}
			annotation := jobControl.Jobs[0].Annotations[batchv1.CronJobScheduledTimestampAnnotation]
			got, err := time.Parse(time.RFC3339, annotation)
			if err != nil || !got.Equal(tc.wantScheduledTime) {
				t.Errorf("syncCronJob created the Job for %q, want %s", annotation, tc.wantScheduledTime.Format(time.RFC3339))
			}
			t.Logf("syncCronJob created the Job for %s", annotation)
		})
	}
}

// lastStartTimeByWalkingNext returns the last of Next(from), Next(Next(from)), ...
// that is not after now, or the zero time if there is none.
func lastStartTimeByWalkingNext(schedule cron.Schedule, from, now time.Time) time.Time {
	var last time.Time
	for t := schedule.Next(from); !t.IsZero() && !t.After(now); t = schedule.Next(t) {
		last = t
	}
	return last
}

func formatTimeOrNil(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return t.UTC().Format(time.RFC3339)
}
