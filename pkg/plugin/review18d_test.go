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
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// TestReview18dHeldByAManualRunAfterTheBlockerEnded: Forbid hourly, under
// steadycron. 10:00's Job ran until 11:05, so 11:00 was held
// (JobAlreadyActive at 11:00 and again at 11:05, when it ended). At 11:04 the
// owner ran `kubectl cronjob run report --force`; steadycron adopted the
// manual Job into status.active, so 11:00 is still held at 11:10 (it waits
// for every active Job, docs/plugin.md). status says so ("held: ... runs
// this time as soon as it ends"), but why says Unknown (forbidHeld): that the
// controller ran 11:00 late when 10:00's Job ended and its Job is gone.
// Nothing ran 11:00; it is held for now: Unknown (concurrencyPolicy), "not
// run so far", naming the manual Job, as status does.
func TestReview18dHeldByAManualRunAfterTheBlockerEnded(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
	})
	manual := manualJob(cj, at(11, 4, 16))
	manual.Status.Active = 1
	cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Name: manual.Name, Namespace: ns, UID: manual.UID}}
	now := at(11, 10, 16)
	objs := []runtime.Object{cj, manual, lease("steadycron-0", now),
		job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 65*time.Minute, false),
		event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(11, 0, 16), at(11, 5, 16), 2)}
	got := whyJSON(t, now, "report", "", objs...)
	o, out := newTestOptions(now, objs...)
	require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
	var status Status
	require.NoError(t, json.Unmarshal(out.Bytes(), &status))
	require.NotEmpty(t, status.Next)
	t.Logf("status: %s %q", status.Next[0].Time, status.Next[0].Note)
	if got.Verdict != VerdictUnknown || got.Reason != "concurrencyPolicy" {
		t.Errorf("11:00 is held by manual Job %s (in status.active; status lists it as held); want Unknown (concurrencyPolicy), not run so far; got %s (%s): %s", manual.Name, got.Verdict, got.Reason, got.Explanation)
	}
}

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
