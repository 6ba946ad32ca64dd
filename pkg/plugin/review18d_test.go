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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// TestReview18dLateAfterRefusedCreates: a ResourceQuota of 3 Jobs refused
// 11:00's Job (FailedCreate warnings from 11:00 to 11:02, naming it); the
// controller's retry created it at 11:03, once the history limit had
// deleted an old Job. why says Ran, created 3m late, and asks "was a
// controller leading at the scheduled time?", though the controller's own
// warnings on record say why it was late: the API server refused it until
// 11:03 (LOW: the verdict is right, the explanation points at the wrong
// cause).
func TestReview18dLateAfterRefusedCreates(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(11, 0, 16)))
	})
	now := at(11, 30, 16)
	name := "report-" + itoa(at(11, 0, 16).Unix()/60)
	got := whyJSON(t, now, "report", "", cj, lease("steadycron-0", now),
		job(cj, at(11, 0, 16), 3*time.Minute, 3*time.Minute+time.Second, 10*time.Minute, false),
		event(cj, "Warning", "FailedCreate", `Error creating job: jobs.batch "`+name+`" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=3, limited: count/jobs.batch=3`, at(11, 0, 16), at(11, 2, 16), 5),
		event(cj, "Normal", "SuccessfulCreate", "Created job "+name, at(11, 3, 16), at(11, 3, 16), 1))
	assert.Equal(t, VerdictRan, got.Verdict)
	if strings.Contains(got.Explanation, "was a controller leading") || !strings.Contains(got.Explanation, "FailedCreate") && !strings.Contains(got.Explanation, "refused") {
		t.Errorf("11:00's Job was late because the API server refused its create until 11:03 (FailedCreate warnings); the answer should say so, not ask whether a controller was leading: %s", got.Explanation)
	}
}
