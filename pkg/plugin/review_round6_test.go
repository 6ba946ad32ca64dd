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

// Review round 6: each test reproduces a defect of today's code and fails on
// it; its comment says what is expected and what happens instead.

import (
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
)







// TestReview6RunWaitJobGoneBeforeTheWatch: run --wait follows the Job with
// a list and watch of its name. A Job that is gone by the time the list is
// made (ttlSecondsAfterFinished: 0 on a Job that ends at once, a user's
// kubectl delete, a Replace of the CronJob's next time) is never seen:
// UntilWithSync waits for an event of an object that no longer exists.
//
// Expected: an error saying the Job is gone, at once.
// Actual: the wait lasts until --timeout ("timed out waiting for the
// condition"), and forever without it (run.go, waitForJob: no
// precondition).
func TestReview6RunWaitJobGoneBeforeTheWatch(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	o, _ := newTestOptions(at(9, 0, 16), cj)
	nameGenerated(o)
	// The Job is deleted right after it is created, before the wait lists it.
	o.Client.(*fake.Clientset).PrependReactor("create", "jobs", func(action clienttesting.Action) (bool, runtime.Object, error) {
		j := action.(clienttesting.CreateAction).GetObject().(*batchv1.Job)
		if len(action.(clienttesting.CreateActionImpl).CreateOptions.DryRun) > 0 {
			return false, nil, nil
		}
		j.Name = j.GenerateName + "x7k2p"
		return true, j, nil // created, and gone: the tracker never stores it
	})
	err := execute(t, o, "run", "report", "--wait", "--timeout", "1s")
	if err == nil || !strings.Contains(err.Error(), "report-x7k2p") || strings.Contains(err.Error(), "timed out") {
		t.Errorf("want an error at once that Job report-x7k2p is gone, not the timeout; got %v", err)
	}
}





// TestReview6WhyAtAWallTimeInTheSpringGap: "30 2 * * *" in America/New_York
// ran on 2027-03-14 at 03:00 EDT, right after the clocks went forward (Job
// report-30083460). Asked about 02:30 of that day with the offset the zone
// had until the change (--at 2027-03-14T02:30:00-05:00: the wall time the
// user means, which does not exist), why answers about 03:30 EDT, the
// instant that offset makes of it, with no word of the change. For the
// autumn overlap it does say "Clocks went back that day ... this is the
// second occurrence".
//
// Expected: the answer says that 02:30 does not exist that day (clocks
// forward 1h at 02:00) and that the time ran at 03:00 as Job report-30083460.
// Actual: NotAScheduledTime, "2027-03-14T03:30:00-04:00 is not a scheduled
// time of "30 2 * * *" in America/New_York." (why.go: only firstOccurrence,
// the autumn case, is looked at).
func TestReview6WhyAtAWallTimeInTheSpringGap(t *testing.T) {
	moved := time.Date(2027, time.March, 14, 7, 0, 0, 0, time.UTC) // 03:00 EDT
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(moved))
	})
	now := at(9, 0, 14)
	got := whyJSON(t, now, "report", "2027-03-14T02:30:00-05:00", cj, lease("steadycron-0", now),
		job(cj, moved.In(nyc), 10*time.Millisecond, time.Second, time.Minute, false))
	if !strings.Contains(got.Explanation, "does not exist") && got.Verdict != VerdictRan {
		t.Errorf("want: 02:30 does not exist on 2027-03-14, the time ran at 03:00 EDT as Job report-30083460; got %s: %s", got.Verdict, got.Explanation)
	}
}
