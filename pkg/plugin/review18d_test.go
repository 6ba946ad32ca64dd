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

package plugin

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// TestReview18dDailyScheduleMovedLater: a daily CronJob "0 9 * * *" ran at
// 09:00 today (its Jobs of the last three days are kept); at 09:30 the owner
// edits it to "0 10 * * *" and at 09:45 asks `why` (no --at). The most
// recent time of the new schedule is yesterday 10:00, which was never a time
// of the CronJob (the schedule was 09:00 then). why must not say that the
// controller skipped it past its deadline, or that no controller decided on
// it: NotAScheduledTime (scheduleChanged) or Unknown (scheduleChanged).
func TestReview18dDailyScheduleMovedLater(t *testing.T) {
	for _, deadline := range []*int64{ptr.To[int64](300), nil} {
		cj := cronJob("report", "0 10 * * *", func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = deadline
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
			cj.ManagedFields = managedSchedule(at(9, 30, 16))
		})
		now := at(9, 45, 16)
		got := whyJSON(t, now, "report", "", cj, lease("steadycron-0", now),
			job(cj, at(9, 0, 14), 10*time.Millisecond, time.Second, 5*time.Minute, false),
			job(cj, at(9, 0, 15), 10*time.Millisecond, time.Second, 5*time.Minute, false),
			job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false))
		if got.Reason != "scheduleChanged" || (got.Verdict != VerdictNotScheduled && got.Verdict != VerdictUnknown) {
			t.Errorf("startingDeadlineSeconds %v: 2027-03-15T10:00 was not a time of the CronJob (its schedule was 0 9 * * * until 2027-03-16T09:30); want NotAScheduledTime or Unknown (scheduleChanged); got %s (%s): %s",
				ptr.Deref(deadline, -1), got.Verdict, got.Reason, got.Explanation)
		}
	}
}
