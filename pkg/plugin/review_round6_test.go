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

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
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
