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

// Plugin review 18c: failing tests, one per finding (see the report of
// helper h-att-18c). Nothing here is fixed yet.

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// TestReview18cEverySecondTimeOfAMinuteUnderTheStockController: "@every 30s"
// under the stock controller (no Lease). At 09:00:30 the controller found
// the name report-<09:00> taken by 09:00's Job and created nothing (it took
// that Job for 09:00:30's). With 09:00's Job still there, why says Skipped
// (nameConflict); once the history limits deleted it, the SuccessfulCreate
// event of 09:00 (seen 30 s BEFORE 09:00:30) is read as 09:00:30's own run:
// "Ran as Job report-<09:00>". A Job created before the time it is said to
// run cannot be that time's Job.
func TestReview18cEverySecondTimeOfAMinuteUnderTheStockController(t *testing.T) {
	nine := time.Date(2027, time.March, 16, 9, 0, 0, 0, time.UTC)
	now := nine.Add(5*time.Minute + 45*time.Second)
	cj := cronJob("report", "@every 30s", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(nine.Add(5*time.Minute + 30*time.Second)))
	})
	gone := cronjob.JobName(cj, nine)
	objs := []runtime.Object{cj,
		event(cj, "Normal", "SuccessfulCreate", "Created job "+gone, nine, nine, 1),
		event(cj, "Normal", "SawCompletedJob", "Saw completed job: "+gone+", condition: Complete", nine.Add(10*time.Second), nine.Add(10*time.Second), 1),
		event(cj, "Normal", "SuccessfulDelete", "Deleted job "+gone, nine.Add(3*time.Minute+10*time.Second), nine.Add(3*time.Minute+10*time.Second), 1),
	}
	for m := 3; m <= 5; m++ {
		objs = append(objs, job(cj, nine.Add(time.Duration(m)*time.Minute), 10*time.Millisecond, time.Second, 10*time.Second, false))
	}
	// The same question with the Job of 09:00 still there is answered
	// Skipped (nameConflict), as TestWhyTimesInOneMinute checks.
	whyCase{now: now, at: "2027-03-16T09:00:30Z", objs: objs,
		scheduled:   "2027-03-16T09:00:30Z",
		notVerdicts: []string{VerdictRan, VerdictRunning},
		notContains: []string{"Ran as Job " + gone},
	}.check(t)
}

// TestReview18cStatusRunsOfACronJobWhoseScheduleCannotBeEvaluated: a
// CronJob whose spec.timeZone the controller cannot load (edited to a typo,
// or a zone the tz database of the host lacks) has Jobs of its earlier
// runs. status says "Last runs: none" (runs [] in -o json), as for a CronJob
// that never ran: the runs are only listed when the schedule parses.
// "none" is what status must not say of something that exists.
func TestReview18cStatusRunsOfACronJobWhoseScheduleCannotBeEvaluated(t *testing.T) {
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = ptr.To("America/New_Yrok")
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
	})
	ran := job(cj, at(2, 30, 15), 0, time.Second, time.Minute, false)
	o, out := newTestOptions(now, cj, ran, lease("steadycron-0", now))
	require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
	var got Status
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	require.NotEmpty(t, got.Runs, "status lists no run though Job %s of the CronJob exists", ran.Name)
	assert.Equal(t, ran.Name, got.Runs[0].Job)

	o, out = newTestOptions(now, cj, ran, lease("steadycron-0", now))
	require.NoError(t, execute(t, o, "status", "report"))
	assert.NotContains(t, out.String(), "Last runs:\n  none")
}

// TestReview18cRunPodReasonOfAnEvictedRunningPod: the kubelet's
// node-pressure eviction of a pod whose app was running sets the pod's phase
// Failed and reason Evicted, and kills the app container: its terminated
// state has exit code 137 and reason Error (SIGKILL), as
// `kubectl get pod -o yaml` of an evicted pod shows. RESULT then says
// "Failed (BackoffLimitExceeded; Error, exit code 137)", an app that failed
// (or was OOM-killed: 137), and hides the cause the pod states, Evicted. The
// doc promises "the pod's reason (Evicted)" (TestRunPodReason models only a
// pod evicted before its app ran, without container statuses).
func TestReview18cRunPodReasonOfAnEvictedRunningPod(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	s := at(2, 30, 16)
	failed := job(cj, s, 10*time.Millisecond, time.Second, time.Minute, true)
	failed.Status.Conditions[0].Reason = "BackoffLimitExceeded"
	evicted := *pod(failed, s.Add(time.Second), s.Add(40*time.Second))
	evicted.Status.Phase = corev1.PodFailed
	evicted.Status.Reason = "Evicted"
	evicted.Status.Message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. Container app was using 1Gi, request is 0, has larger consumption of memory."
	evicted.Status.ContainerStatuses[0].State.Terminated.ExitCode = 137
	evicted.Status.ContainerStatuses[0].State.Terminated.Reason = "Error"
	f := &facts{cj: cj, pods: map[string][]corev1.Pod{string(failed.UID): {evicted}}}
	sched, err := parseSchedule(cj, "UTC")
	require.NoError(t, err)
	got := resultText(f.run(sched, failed))
	assert.Contains(t, got, "Evicted", "RESULT %q hides that the pod was evicted", got)
}

// TestReview18cRunClientDryRunNamesNoJob: run --dry-run=client prints
// "job.batch/ created (dry run)" (an empty name) and, with -o name,
// "job.batch/<unknown>": the Job has only generateName (the API server
// would pick the name), so the line names nothing. kubectl create job
// --dry-run=client always has a name to print. The line should say the name
// is generated (report-<generated>, or generateName report-), not an empty
// one.
func TestReview18cRunClientDryRunNamesNoJob(t *testing.T) {
	for _, args := range [][]string{{"--dry-run=client"}, {"--dry-run=client", "-o", "name"}} {
		o, out := newTestOptions(at(9, 0, 16), cronJob("report", "30 2 * * *"))
		require.NoError(t, execute(t, o, append([]string{"run", "report"}, args...)...))
		assert.NotContains(t, out.String(), "job.batch/ ", args)
		assert.NotContains(t, out.String(), "<unknown>", args)
	}
}

// TestReview18cNameConflictThenCreatedButItsEventCombined: the recent rule
// "the controller's JobNameConflict for a time wins, unless a
// SuccessfulCreate at or after the time shows it created the Job once the
// name was free" rests on the SuccessfulCreate being readable. A "* * * * *"
// CronJob has more than 10 SuccessfulCreate events in 10 minutes, so
// client-go's recorder folds them into one "(combined from similar events)"
// event that keeps only the latest message. Here: a Job made by hand held
// the name of 02:30's Job (JobNameConflict at 02:30), was deleted at
// 02:30:20, and the controller created 02:30's Job then (its
// SuccessfulCreate folded into the combined event); the history limits
// deleted that Job by 02:35. why says "Skipped (nameConflict)", a time that
// ran reported as skipped ("Job ... exists": it does not), where without the
// JobNameConflict event the same facts give Unknown ("one that ran would
// have been deleted since": the history limits are full, and the combined
// event spans the time).
func TestReview18cNameConflictThenCreatedButItsEventCombined(t *testing.T) {
	s := at(2, 30, 16)
	now := s.Add(5*time.Minute + 30*time.Second)
	cj := cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(s.Add(5 * time.Minute)))
	})
	name := cronjob.JobName(cj, s)
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		event(cj, "Warning", "JobNameConflict", "Not starting job for "+s.UTC().Format(time.RFC3339)+": job "+name+" exists and was made by hand", s, s, 1),
		event(cj, "Normal", "SuccessfulCreate", "(combined from similar events): Created job "+cronjob.JobName(cj, s.Add(5*time.Minute)), s.Add(-3*time.Minute), s.Add(5*time.Minute), 9),
	}
	for m := 3; m <= 5; m++ {
		objs = append(objs, job(cj, s.Add(time.Duration(m)*time.Minute), 10*time.Millisecond, time.Second, 10*time.Second, false))
	}
	whyCase{now: now, at: s.Format(time.RFC3339), objs: objs, notVerdicts: []string{VerdictSkipped}}.check(t)
}
