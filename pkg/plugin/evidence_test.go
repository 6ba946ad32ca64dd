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
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	testingclock "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

// whyJSON runs `why NAME -o json [--at AT]` at now against objs.
func whyJSON(t *testing.T, now time.Time, name, atArg string, objs ...runtime.Object) Why {
	t.Helper()
	o, out := newTestOptions(now, objs...)
	args := []string{"why", name, "-o", "json"}
	if atArg != "" {
		args = append(args, "--at", atArg)
	}
	require.NoError(t, execute(t, o, args...))
	var got Why
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	return got
}

// whyCase is a why question whose evidence is ambiguous or easy to misread:
// the answer must not be one of notVerdicts, nor contain notContains.
type whyCase struct {
	now         time.Time
	at          string
	objs        []runtime.Object
	verdict     string // when set, the verdict expected
	reason      string // when set, the reason expected
	scheduled   string // when set, the scheduled time answered, in UTC
	notVerdicts []string
	contains    []string
	notContains []string
	// noteContains is in the Controller line's note, noteNotContains not.
	noteContains, noteNotContains string
	// statusContains is in `status report`'s output at now, statusNotContains
	// not.
	statusContains, statusNotContains string
}

func (tc whyCase) check(t *testing.T) {
	got := whyJSON(t, tc.now, "report", tc.at, tc.objs...)
	if tc.verdict != "" {
		assert.Equal(t, tc.verdict, got.Verdict, "%s: %s", got.Reason, got.Explanation)
	}
	if tc.reason != "" {
		assert.Equal(t, tc.reason, got.Reason, "%s: %s", got.Verdict, got.Explanation)
	}
	if tc.scheduled != "" {
		require.NotNil(t, got.Scheduled, got.Explanation)
		assert.Equal(t, tc.scheduled, got.Scheduled.UTC)
	}
	assert.NotContains(t, tc.notVerdicts, got.Verdict, "%s: %s", got.Reason, got.Explanation)
	for _, s := range tc.contains {
		assert.Contains(t, got.Explanation, s)
	}
	for _, s := range tc.notContains {
		assert.NotContains(t, got.Explanation, s)
	}
	assert.Contains(t, got.Controller.Note, tc.noteContains)
	if tc.noteNotContains != "" {
		assert.NotContains(t, got.Controller.Note, tc.noteNotContains)
	}
	if tc.statusContains != "" || tc.statusNotContains != "" {
		o, out := newTestOptions(tc.now, tc.objs...)
		require.NoError(t, execute(t, o, "status", "report"))
		assert.Contains(t, out.String(), tc.statusContains)
		if tc.statusNotContains != "" {
			assert.NotContains(t, out.String(), tc.statusNotContains)
		}
	}
}

// TestWhyAmbiguousEvidence: evidence that fits more than one story gives
// Unknown (or a guess worded as one), never a confident wrong answer.
func TestWhyAmbiguousEvidence(t *testing.T) {
	tests := map[string]func() whyCase{
		// The recorder folds a Forbid CronJob's JobAlreadyActive events into
		// one (count 3, 05:00 to 11:00). 07:00 ran; its Job was removed by
		// ttlSecondsAfterFinished and its SuccessfulCreate expired.
		"an aggregated Forbid event spanning a time whose Job may be gone": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](600)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			})
			now := at(11, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00", verdict: VerdictUnknown, contains: []string{"may be about other scheduled times"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false), // still running: it blocked 11:00
					event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(5, 0, 16), at(11, 0, 16), 3)}}
		},
		// The same folded event, 05:00 to 11:00 (count 3), without a way for a
		// Job of 07:00 to be gone: 07:00 did not run, but no Job is known to
		// have been running then, so the event may be about 10:00 and 11:00.
		"an aggregated Forbid event spanning a time when no Job ran": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			})
			now := at(11, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00", verdict: VerdictUnknown, contains: []string{"no Job of the CronJob is known to have been running"},
				notContains: []string{"Skipped"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false), // still running: it blocked 11:00
					event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(5, 0, 16), at(11, 0, 16), 3)}}
		},
		// The same, with a Job of 06:00 that ran past 07:00 and is still kept:
		// Forbid skipped 07:00.
		"an aggregated Forbid event spanning a time while a Job ran": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			})
			now := at(11, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00", verdict: VerdictSkipped, contains: []string{"concurrencyPolicy is Forbid and Job " + cronjob.JobName(cj, at(6, 0, 16))},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(6, 0, 16), 10*time.Millisecond, time.Second, 3*time.Hour+time.Minute, false),
					job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false),
					event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(5, 0, 16), at(11, 0, 16), 3)}}
		},
		// 08:50's Job ran 90 s, so 08:51 was skipped: its event, recorded at
		// 08:51:00.01, is stored as 08:51:00. The history limit deleted 08:50's Job.
		"the next minute's Forbid skip is not this minute's": func() whyCase {
			cj := cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 54, 16)))
			})
			now := at(8, 55, 16).Add(30 * time.Second)
			objs := []runtime.Object{cj, lease("steadycron-0", now),
				event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(8, 51, 16), at(8, 51, 16), 1)}
			for m := 52; m <= 55; m++ {
				objs = append(objs, job(cj, at(8, m, 16), 10*time.Millisecond, time.Second, 20*time.Second, false))
			}
			return whyCase{now: now, at: "2027-03-16T08:50:00-04:00", objs: objs, verdict: VerdictUnknown}
		},
		// 08:50's Job was deleted by hand.
		"a combined SuccessfulCreate event is lost evidence, not no event": func() whyCase {
			tc := combinedCreates(50)
			tc.notContains = []string{"would have been deleted since"}
			return tc
		},
		// 08:50's Job was deleted by the history limit: the combined
		// event spans the time all the same.
		"a combined SuccessfulCreate event spanning a time whose Job the history limit deleted": func() whyCase {
			tc := combinedCreates(3)
			tc.contains = append(tc.contains, "would have been deleted since (successfulJobsHistoryLimit is 3")
			tc.notContains = []string{"no event of the controller names the time"}
			return tc
		},
		// Replace, history limit 3: 07:00's Job completed; at 10:05, when
		// 10:00's Job completed, the history limit deleted it with the same
		// SuccessfulDelete message Replace records.
		"a Replace CronJob's Job deleted by the history limit, not at a scheduled time": func() whyCase {
			return replaceDeletion(at(10, 5, 16), whyCase{verdict: VerdictRan,
				contains: []string{"most likely the CronJob's history limits"}, notContains: []string{"while it ran"}})
		},
		"a Replace CronJob's Job deleted at the next scheduled time": func() whyCase {
			return replaceDeletion(at(8, 0, 16).Add(10*time.Millisecond), whyCase{verdict: VerdictRan,
				contains: []string{"at the next scheduled time 2027-03-16T08:00:00-04:00", "most likely that time replaced it while it ran"}})
		},
		// A Helm chart that writes suspend: false owns spec.suspend, and every
		// upgrade moves its managedFields entry; 07:00 was missed (its
		// warning expired), and at 10:00 an upgrade changed only the image.
		"a managedFields time of spec.suspend after the time is no resume": func() whyCase {
			cj := cronJob("report", "0 7 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(7, 0, 15)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "helm", Operation: metav1.ManagedFieldsOperationUpdate, APIVersion: "batch/v1",
					Time:       ptr.To(metav1.NewTime(at(10, 0, 16))),
					FieldsType: "FieldsV1",
					FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{},"f:suspend":{},"f:timeZone":{},"f:concurrencyPolicy":{},"f:startingDeadlineSeconds":{},` +
						`"f:jobTemplate":{"f:spec":{"f:template":{"f:spec":{"f:containers":{}}}}}}}`)},
				}}
			})
			return whyCase{now: at(11, 0, 16), verdict: VerdictUnknown, contains: []string{"does not show a resume"},
				objs: []runtime.Object{cj, job(cj, at(7, 0, 14), 10*time.Millisecond, time.Second, time.Minute, false),
					job(cj, at(7, 0, 15), 10*time.Millisecond, time.Second, time.Minute, false)}}
		},
		// This machine's clock is 12 s ahead of the API server's: at 08:59:58
		// by the cluster it reads 09:00:10, before the controller created the
		// 09:00 Job; the Lease was renewed at 08:59:56.
		"this machine's clock ahead of a leading controller's": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
			})
			server := at(9, 0, 16).Add(-2 * time.Second)
			return whyCase{now: server.Add(12 * time.Second), verdict: VerdictUnknown, contains: []string{"may be ahead of the cluster's"},
				objs: []runtime.Object{cj, job(cj, at(8, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false), lease("steadycron-0", server.Add(-2*time.Second))}}
		},
		// steadycron was removed and left its Lease; the stock controller
		// creates the Jobs on time (without steadycron's annotations). The
		// 07:00 Job was deleted by hand.
		"a stale Lease while another controller creates the Jobs": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](10)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
			})
			stock := func(s time.Time) *batchv1.Job {
				j := job(cj, s, 10*time.Millisecond, 0, 5*time.Minute, false)
				delete(j.Annotations, "steadycron.io/expected-start")
				return j
			}
			return whyCase{now: at(8, 30, 16), at: "2027-03-16T07:00:00-04:00", notVerdicts: []string{VerdictNoDecision},
				notContains: []string{"no controller was leading"}, noteContains: "another CronJob controller",
				objs: []runtime.Object{cj, stock(at(5, 0, 16)), stock(at(6, 0, 16)), stock(at(8, 0, 16)), lease("steadycron-0", at(9, 0, 1))}}
		},
		// steadycron stopped (its Lease expired at 02:30:09) and the stock
		// controller took over: it skips the Forbid CronJob every minute
		// while the Job created before the expiry runs (JobAlreadyActive
		// since): a controller decides, though none holds the Lease.
		"a stale Lease while another controller records decisions": func() whyCase {
			sched := at(2, 30, 16)
			cj := cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched))
			})
			running := job(cj, sched, 0, 0, 0, false)
			delete(running.Annotations, "steadycron.io/expected-start")
			return whyCase{now: sched.Add(2*time.Minute + 5*time.Second), verdict: VerdictUnknown, reason: "concurrencyPolicy",
				noteContains: "a CronJob controller recorded JobAlreadyActive for this CronJob after the Lease expired (at 2027-03-16T06:32:00Z)", noteNotContains: "nothing decides",
				objs: []runtime.Object{cj, running, lease("steadycron-0", sched.Add(-6*time.Second)),
					event(cj, "Normal", "SuccessfulCreate", "Created job "+running.Name, sched, sched, 1),
					event(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", sched.Add(time.Minute), sched.Add(2*time.Minute), 2)}}
		},
		// startingDeadlineSeconds 300; the controller was down from 06:59 to
		// 08:00:10: 07:00 was past its deadline when it came back, and 08:00
		// ran 10 s late.
		"a late Job past the time's deadline did not supersede it": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](10)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			})
			now := at(10, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00", notVerdicts: []string{VerdictSuperseded}, contains: []string{"most likely past its starting deadline"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(6, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
					job(cj, at(8, 0, 16), 10*time.Second, 11*time.Second, 5*time.Minute, false),
					job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
					job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)}}
		},
		// No spec.timeZone; the (stock) controller runs in Europe/Berlin: it
		// ran 0 3 * * * at 02:00Z, and wrote the Jobs' scheduled-timestamp
		// annotations in UTC, as it does without spec.timeZone. The plugin
		// assumes UTC, where 02:00Z is no time of the schedule.
		"Jobs' scheduled times contradict the assumed controller zone": func() whyCase {
			berlin, err := time.LoadLocation("Europe/Berlin")
			if err != nil {
				panic(err)
			}
			cj := cronJob("report", "0 3 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 3, 16, 3, 0, 0, 0, berlin)))
			})
			objs := []runtime.Object{cj}
			for _, day := range []int{15, 16} {
				s := time.Date(2027, 3, day, 3, 0, 0, 0, berlin)
				objs = append(objs, stockJob(cj, s, 5*time.Minute))
			}
			return whyCase{now: time.Date(2027, 3, 16, 9, 0, 0, 0, time.UTC), objs: objs, verdict: VerdictUnknown, reason: "controllerTimeZone",
				contains: []string{"the latest scheduled Job, report-30086040, is for 2027-03-16T02:00:00Z, which is not a time of \"0 3 * * *\" in UTC"}}
		},
		// The CronJob was deleted and created again at 02:45; its 02:30 time
		// ran under the old one, whose Job went with it; its events stay.
		"a CronJob created again with the same name": func() whyCase {
			old := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.UID = "old-uid" })
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.CreationTimestamp = metav1.NewTime(at(2, 45, 16)) })
			oldJob := job(old, at(2, 30, 16), 10*time.Millisecond, time.Second, time.Minute, false)
			return whyCase{now: at(3, 0, 16), at: "2027-03-16T02:30:00-04:00", notContains: []string{"nothing was due then"},
				contains: []string{"an earlier CronJob of the same name (UID old-uid) ran this time as Job " + oldJob.Name},
				objs: []runtime.Object{cj, lease("steadycron-0", at(3, 0, 16)),
					event(old, "Normal", "SuccessfulCreate", "Created job "+oldJob.Name, at(2, 30, 16), at(2, 30, 16), 1)}}
		},
		// A webhook refuses every Job of an hourly CronJob from 05:00 on: one
		// FailedCreate, 05:00 to 09:00; 07:00 was refused like the others.
		"a folded webhook FailedCreate spanning the time, no deadline": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(4, 0, 16)))
			})
			now := at(9, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00",
				notVerdicts: []string{VerdictNoDecision, VerdictSuperseded},
				contains:    []string{"FailedCreate"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(4, 0, 16), 10*time.Millisecond, time.Second, 2*time.Minute, false),
					event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16).Add(10*time.Millisecond), at(9, 0, 16).Add(10*time.Millisecond), 40)}}
		},
		// With a deadline the controller gives each time up after 300 s and
		// says MissSchedule: the cause is the refusal, not a late look.
		"a folded webhook FailedCreate spanning the time, and the MissSchedule after it": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(4, 0, 16)))
			})
			now := at(7, 30, 16)
			missed := at(7, 5, 16).Add(time.Second)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00",
				notContains: []string{"past startingDeadlineSeconds when the controller got to it"},
				contains:    []string{"FailedCreate"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(4, 0, 16), 10*time.Millisecond, time.Second, 2*time.Minute, false),
					event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16).Add(10*time.Millisecond), at(7, 4, 16), 24),
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+at(7, 0, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", missed, missed, 1)}}
		},
		// 04:00 was refused; the CronJob was suspended at 04:30 and still is:
		// a suspended CronJob gets no retries.
		// The same folded warning, but 06:00, a time it spans, has a Job: it
		// may be about other times than 07:00 only.
		"a folded webhook FailedCreate spanning the time, a spanned time ran": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(6, 0, 16)))
			})
			now := at(9, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00", verdict: VerdictUnknown,
				contains: []string{"may be about other scheduled times only", cronjob.JobName(cj, at(6, 0, 16))},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(6, 0, 16), 10*time.Millisecond, time.Second, 2*time.Minute, false),
					event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16).Add(10*time.Millisecond), at(9, 0, 16).Add(10*time.Millisecond), 40)}}
		},
		"a refused create, suspended since: no retry comes": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Spec.Suspend = ptr.To(true)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(3, 0, 16)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(4, 30, 16))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
				}}
			})
			refused := `Error creating job: jobs.batch "` + cronjob.JobName(cj, at(4, 0, 16)) + `" is forbidden: exceeded quota: jobs`
			now := at(4, 40, 16)
			return whyCase{now: now, at: "2027-03-16T04:00:00-04:00",
				notContains: []string{"a later attempt may still create it"},
				contains:    []string{"suspend"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					event(cj, corev1.EventTypeWarning, "FailedCreate", refused, at(4, 0, 16), at(4, 29, 16), 9)}}
		},
		// A flaky webhook refused 05:00 and 08:00 once each (one folded
		// FailedCreate); the retries ran both; 05:00's Job is gone (TTL) and
		// its SuccessfulCreate expired.
		"a refused create whose retry ran, its Job gone": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](600)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
			})
			now := at(8, 30, 16)
			return whyCase{now: now, at: "2027-03-16T05:00:00-04:00",
				notVerdicts: []string{VerdictSkipped},
				notContains: []string{"created no Job for this time"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(8, 0, 16), 10*time.Second, 12*time.Second, 3*time.Minute, false),
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+cronjob.JobName(cj, at(8, 0, 16)), at(8, 0, 16).Add(10*time.Second), at(8, 0, 16).Add(10*time.Second), 1),
					event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16), at(8, 0, 16), 2)}}
		},
		// concurrencyPolicy was Allow until an edit at 08:00 set Forbid. No
		// controller ran 05:00 (no event, no Job), while the 04:00 Job ran
		// until 06:30: the policy then is not known to be Forbid.
		"Forbid set after the time": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(4, 0, 16)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(8, 0, 16))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:concurrencyPolicy":{}}}`)},
				}}
			})
			now := at(8, 30, 16)
			return whyCase{now: now, at: "2027-03-16T05:00:00-04:00", verdict: VerdictUnknown,
				contains: []string{"spec.concurrencyPolicy was last written by kubectl-edit"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, at(4, 0, 16), 10*time.Millisecond, time.Second, 2*time.Hour+30*time.Minute, false)}}
		},
		// "30 2 * * *" ran on 2027-03-14 at 03:00 EDT: 02:30 did not exist, and
		// the controller's own evaluation puts the run there.
		"a run the spring change moved: not a schedule change": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
			})
			now := at(9, 0, 16)
			moved := time.Date(2027, 3, 14, 3, 0, 0, 0, nyc)
			return whyCase{now: now, at: "2027-03-14T03:00:00-04:00", verdict: VerdictRan,
				notContains: []string{"the schedule changed since"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, moved, 10*time.Millisecond, time.Second, time.Minute, false),
					job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false),
					job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, time.Minute, false)}}
		},
		// Helm owns spec.schedule (its entry moves on every upgrade; the one at
		// 08:00 changed only the image). The Job the spring change moved to
		// 03:00 EDT on the 14th does not show a change of the schedule.
		"a Job the spring change moved, and a managedFields entry owning the schedule": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "helm", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(8, 0, 16))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{},"f:jobTemplate":{"f:spec":{"f:template":{}}}}}`)},
				}}
			})
			now := at(9, 0, 16)
			return whyCase{now: now, at: "2027-03-16T02:30:00-04:00",
				notVerdicts: []string{VerdictNotScheduled},
				notContains: []string{"schedule changed"},
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					job(cj, time.Date(2027, 3, 14, 3, 0, 0, 0, nyc), 10*time.Millisecond, time.Second, time.Minute, false),
					job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false)}}
		},
		// At 10:05, 10:10 and 10:15 Forbid skipped (one JobAlreadyActive,
		// count 3); the controller's later syncs report the same unstarted
		// times as older than startingDeadlineSeconds (60 s). 10:05 was
		// skipped for Forbid: the controller got to it on time.
		"a Forbid skip that later syncs report past the deadline": forbidThenDeadline,
		// The same events: 10:10's skip is folded into the JobAlreadyActive
		// first seen at 10:05, and the Job of 10:00, still kept, ran then.
		"a later Forbid skip in a folded event that later syncs report past the deadline": func() whyCase {
			tc := forbidThenDeadline()
			tc.at = "2027-03-16T10:10:00-04:00"
			return tc
		},
		// Suspended after the 03:00 run, resumed at 07:10: the controller's
		// first sync after the resume reports the suspended times as older
		// than the deadline. 05:00 may have been suspended.
		"a deadline warning after a resume, about a time that may have been suspended": func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.Suspend = ptr.To(false)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(3, 0, 16)))
				cj.ManagedFields = managedSuspend("kubectl-patch", at(7, 10, 16))
			})
			now := at(7, 30, 16)
			return whyCase{now: now, at: "2027-03-16T05:00:00-04:00", verdict: VerdictUnknown, reason: "maybeSuspended",
				objs: []runtime.Object{cj, lease("steadycron-0", now), job(cj, at(3, 0, 16), 10*time.Millisecond, time.Second, time.Minute, false),
					event(cj, "Warning", "MissSchedule", "Missed 4 scheduled times up to "+at(7, 0, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", at(7, 10, 16), at(7, 10, 16), 1)}}
		},
		// Created at 09:00:20 with a status.lastScheduleTime of 08:57 (a
		// restore), spec.suspend written at the creation: the controller saw
		// the CronJob resumed all along, and its warning decides 09:00.
		"a deadline warning about a time before the creation, spec.suspend written at the creation": func() whyCase {
			created := at(9, 0, 16).Add(20 * time.Second)
			cj := cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
				cj.CreationTimestamp = metav1.NewTime(created)
				cj.Spec.Suspend = ptr.To(false)
				cj.Spec.StartingDeadlineSeconds = ptr.To[int64](10)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 57, 16)))
				cj.ManagedFields = managedSuspend("e2e", created)
			})
			now := at(9, 1, 16)
			return whyCase{now: now, at: "2027-03-16T09:00:05-04:00", verdict: VerdictSkipped, reason: "missedDeadline",
				objs: []runtime.Object{cj, lease("steadycron-0", now),
					event(cj, "Warning", "MissSchedule", "Missed 3 scheduled times up to "+at(9, 0, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (10s) when the controller got to them", created, created, 1)}}
		},
		// steadycron's Lease expired at 01:00; nothing ran 02:30; the owner
		// ran the work by hand at 08:00. No controller was leading.
		"a manual run during a controller outage": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
			})
			manual := manualJob(cj, at(8, 0, 16))
			manual.Status.Active = 1
			now := at(9, 0, 16)
			return whyCase{now: now, verdict: VerdictNoDecision, noteNotContains: "another CronJob controller",
				objs: []runtime.Object{cj, manual, job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false), lease("steadycron-0", at(1, 0, 16))}}
		},
		// The same, run from k9s (no instantiate annotation): a Job no
		// controller made shows no controller running the CronJob.
		"a k9s run during a controller outage": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
			})
			byHand := k9sJob(cj, at(8, 0, 16))
			byHand.Status.Active = 1
			now := at(9, 0, 16)
			return whyCase{now: now, verdict: VerdictNoDecision, contains: []string{"no controller was leading"}, notContains: []string{"Lease is held"},
				noteContains: "nothing decides", noteNotContains: "another CronJob controller",
				objs: []runtime.Object{cj, byHand, job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false), lease("steadycron-0", at(1, 0, 16))}}
		},
		// The jobTemplate carries cronjob.kubernetes.io/instantiate: manual
		// (a manifest made from a Job made by hand), which the controller
		// copies onto its Job of 02:30: that Job, with the controller's
		// cronjob-scheduled-timestamp, is the time's run, not a rerun.
		"a template that carries the manual annotation": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
				cj.Spec.JobTemplate.Annotations = map[string]string{instantiateAnnotation: "manual"}
			})
			j := job(cj, at(2, 30, 16), 0, time.Second, time.Minute, false)
			j.Annotations[instantiateAnnotation] = "manual"
			now := at(9, 0, 16)
			return whyCase{now: now, verdict: VerdictRan, contains: []string{"Ran as Job report-30086310"}, notContains: []string{"is gone", "made by hand"},
				objs: []runtime.Object{cj, j, lease("steadycron-0", now)}}
		},
		// Both history limits 0: the Job of 02:30 was deleted once seen
		// finished, and its events expired; status.lastSuccessfulTime, the
		// completion of the latest succeeded Job, says whether it completed.
		"a time whose Job is gone, completed by status.lastSuccessfulTime":     lastSuccess(at(2, 31, 16), "status.lastSuccessfulTime, 2027-03-16T02:31:00-04:00, is after this time"),
		"a time whose Job is gone, not completed by status.lastSuccessfulTime": lastSuccess(at(2, 31, 15), "status.lastSuccessfulTime, 2027-03-15T02:31:00-04:00, is before this time: no Job of the CronJob completed since, so this one did not complete"),
		// kubectl delete --cascade=foreground at 01:00, waiting on the Job of
		// the 15th, whose pod is stuck Terminating: neither controller
		// schedules a CronJob being deleted, so 02:30 is not a missed
		// deadline.
		"a time after the CronJob's deletion began": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
				cj.DeletionTimestamp = ptr.To(metav1.NewTime(at(1, 0, 16)))
				cj.Finalizers = []string{metav1.FinalizerDeleteDependents}
			})
			now := at(9, 0, 16)
			return whyCase{now: now, verdict: VerdictSkipped, reason: "beingDeleted", contains: []string{"being deleted since 2027-03-16T05:00:00Z", "foregroundDeletion"},
				objs: []runtime.Object{cj, lease("steadycron-0", now), job(cj, at(2, 30, 15), 0, time.Second, 0, false)}}
		},
		// Suspended, run by hand at 03:00 (kubectl create job works on a
		// suspended CronJob), resumed at 05:00: the manual Job says nothing
		// of spec.suspend.
		"a manual run between a time and a resume": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.Suspend = ptr.To(false)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
				cj.ManagedFields = managedSuspend("kubectl-patch", at(5, 0, 16))
			})
			manual := manualJob(cj, at(3, 0, 16))
			manual.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at(3, 5, 16))}}
			now := at(9, 0, 16)
			return whyCase{now: now, verdict: VerdictUnknown, reason: "maybeSuspended",
				objs: []runtime.Object{cj, manual, lease("steadycron-0", now), job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false)}}
		},
		// "30 2 * * *" ran in UTC until spec.timeZone was set to
		// America/New_York at 05:00 UTC on the 16th; the history limit (3)
		// has deleted the Jobs of the UTC times since.
		"a time before a spec.timeZone edit whose Jobs the history limit deleted": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 19)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(time.Date(2027, 3, 16, 5, 0, 0, 0, time.UTC))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:timeZone":{}}}`)},
				}}
			})
			now := at(9, 0, 19)
			objs := []runtime.Object{cj, lease("steadycron-0", now)}
			for day := 17; day <= 19; day++ {
				objs = append(objs, job(cj, at(2, 30, day), 10*time.Millisecond, time.Second, time.Minute, false))
			}
			return whyCase{now: now, at: "2027-03-15T02:30:00Z", verdict: VerdictUnknown, reason: "scheduleChanged", objs: objs}
		},
		// The Job of 10:00 ran until 10:07; Forbid held 10:05, which the
		// controller ran late, when that Job ended.
		"a Forbid-held time run late when its blocker ended": func() whyCase {
			cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 5, 16)))
			})
			now := at(10, 8, 16)
			blocker := job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 7*time.Minute, false)
			return whyCase{now: now, at: "2027-03-16T10:05:00-04:00", verdict: VerdictRunning,
				contains: []string{blocker.Name, "concurrencyPolicy is Forbid"}, notContains: []string{"was a controller leading"},
				objs: []runtime.Object{cj, lease("steadycron-0", now), blocker,
					job(cj, at(10, 5, 16), 2*time.Minute, 2*time.Minute+time.Second, 0, false),
					event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(10, 5, 16), at(10, 5, 16), 1)}}
		},
		// Asked at 10:06 while the Job of 10:00 still runs: 10:05 is skipped
		// for now; the controller runs it late if that Job ends before 10:10.
		"a Forbid skip while its blocker still runs, before the next time": func() whyCase {
			cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			})
			now := at(10, 6, 16)
			blocker := job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false)
			return whyCase{now: now, scheduled: at(10, 5, 16).UTC().Format(time.RFC3339), verdict: VerdictUnknown, reason: "concurrencyPolicy",
				contains: []string{blocker.Name, "runs it late if that Job ends before the next scheduled time, 2027-03-16T10:10:00-04:00"},
				objs: []runtime.Object{cj, lease("steadycron-0", now), blocker,
					event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(10, 5, 16), at(10, 5, 16), 1)}}
		},
		// The same, asked at 10:12: the next time came, the skip is final.
		"a Forbid skip while its blocker still runs, after the next time": func() whyCase {
			cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			})
			now := at(10, 12, 16)
			blocker := job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false)
			return whyCase{now: now, at: "2027-03-16T10:05:00-04:00", verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{blocker.Name},
				objs: []runtime.Object{cj, lease("steadycron-0", now), blocker,
					event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(10, 5, 16), at(10, 10, 16), 2)}}
		},
		// Created at 02:30:20: 02:30 came before the creation, whatever
		// second of its minute is asked about.
		"the minute of the creation, asked at its start": func() whyCase {
			return creationMinute("2027-03-16T02:30:00-04:00")
		},
		"the minute of the creation, asked after the creation": func() whyCase {
			return creationMinute("2027-03-16T02:30:45-04:00")
		},
		// Created at 10:00:00 (to the second: 10:00:00.4), "* * * * *":
		// the controller counts the times after the creation, so 10:00
		// came with it and did not run; it is a time of the schedule.
		"created at a scheduled time": func() whyCase {
			created := time.Date(2027, 3, 16, 10, 0, 0, 0, time.UTC)
			cj := cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
				cj.CreationTimestamp = metav1.NewTime(created)
				cj.Spec.TimeZone = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(created.Add(29 * time.Minute)))
			})
			now := created.Add(29*time.Minute + 30*time.Second)
			return whyCase{now: now, at: "2027-03-16T10:00:00Z", verdict: VerdictBeforeCreation,
				contains: []string{"matches the schedule", "the CronJob was created 2027-03-16T10:00:00Z", "counts the times after"}, notContains: []string{"is not a scheduled time"},
				objs: []runtime.Object{cj, lease("steadycron-0", now)}}
		},
		// Deleted with --cascade=orphan and created again at 05:00: the
		// earlier CronJob's Job of 02:30, without owner, is still there.
		"an orphaned Job of an earlier CronJob of the name": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.CreationTimestamp = metav1.NewTime(at(5, 0, 16))
			})
			orphan := job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, time.Minute, false)
			orphan.OwnerReferences = nil
			now := at(9, 0, 16)
			return whyCase{now: now, at: "2027-03-16T02:30:00-04:00", verdict: VerdictBeforeCreation,
				contains: []string{orphan.Name, "no owner"}, notContains: []string{"nothing was due then"},
				objs: []runtime.Object{cj, orphan, lease("steadycron-0", now)}}
		},
		// A Job under 02:30's name without owner, created at 06:00, after
		// this CronJob (05:00): made under that name (kubectl create job, a
		// restore), no earlier CronJob's run.
		"a Job without owner under the time's name, created after the CronJob": func() whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.CreationTimestamp = metav1.NewTime(at(5, 0, 16))
			})
			made := job(cj, at(2, 30, 16), 3*time.Hour+30*time.Minute, 0, 0, false)
			made.OwnerReferences, made.Annotations = nil, nil
			now := at(9, 0, 16)
			return whyCase{now: now, at: "2027-03-16T02:30:00-04:00", verdict: VerdictBeforeCreation,
				contains: []string{made.Name, "after this CronJob was: it is no earlier CronJob's run"}, notContains: []string{"most likely ran this time"},
				objs: []runtime.Object{cj, made, lease("steadycron-0", now)}}
		},
		// On 2027-11-07 New York's 01:00-02:00 happens twice; the user asks
		// about the second 01:30 for "30 1 * * *".
		"the second occurrence of a repeated time": func() whyCase {
			cj := cronJob("report", "30 1 * * *")
			now := time.Date(2027, 11, 7, 9, 0, 0, 0, nyc)
			return whyCase{now: now, at: "2027-11-07T01:30:00-05:00", verdict: VerdictNotScheduled,
				contains: []string{"01:30 happens twice", "runs once, at its first occurrence, 2027-11-07T01:30:00-04:00"},
				objs:     []runtime.Object{cj, lease("steadycron-0", now), job(cj, time.Date(2027, 11, 7, 5, 30, 0, 0, time.UTC), 10*time.Millisecond, time.Second, time.Minute, false)}}
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) { tc().check(t) })
	}
}

// combinedCreates: an every-minute CronJob passes the recorder's 10 similar
// events in 10 minutes: SuccessfulCreate of 08:50..08:59 is one combined
// event naming 08:59's Job. Asked about 08:50 at 09:00:30, whose Job is gone;
// successfulJobsHistoryLimit is limit, and the Jobs of the other times of
// 08:40..08:59 within it are kept.
func combinedCreates(limit int32) whyCase {
	cj := cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To(limit)
		cj.Spec.FailedJobsHistoryLimit = ptr.To[int32](50)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 59, 16)))
	})
	now := at(9, 0, 16).Add(30 * time.Second)
	objs := []runtime.Object{cj, lease("steadycron-0", now)}
	for m := 40; m < 60; m++ {
		s := at(8, m, 16)
		if m != 50 && 60-m <= int(limit) {
			objs = append(objs, job(cj, s, 10*time.Millisecond, time.Second, 20*time.Second, false))
		}
		if m < 50 {
			objs = append(objs, event(cj, "Normal", "SuccessfulCreate", "Created job "+cj.Name+"-"+itoa(s.Unix()/60), s, s, 1))
		}
	}
	combined := event(cj, "Normal", "SuccessfulCreate",
		combinedPrefix+"Created job "+cj.Name+"-"+itoa(at(8, 59, 16).Unix()/60), at(8, 50, 16), at(8, 59, 16), 10)
	combined.Name = "report.combined"
	return whyCase{now: now, at: "2027-03-16T08:50:00-04:00", objs: append(objs, combined),
		verdict: VerdictUnknown, reason: "eventsCombined", contains: []string{"combined by the event recorder"}}
}

// forbidThenDeadline: a Forbid CronJob "*/5 * * * *" with
// startingDeadlineSeconds 60 whose Job of 10:00 runs until 10:18. At 10:05,
// 10:10 and 10:15 Forbid skipped (one JobAlreadyActive, count 3); the
// controller's later syncs report the same unstarted times as older than the
// deadline. Asked about 10:05 at 10:22.
func forbidThenDeadline() whyCase {
	cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = ptr.To[int64](60)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 20, 16)))
	})
	now := at(10, 22, 16)
	blocker := job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 18*time.Minute, false)
	objs := []runtime.Object{cj, lease("steadycron-0", now), blocker,
		job(cj, at(10, 20, 16), 10*time.Millisecond, time.Second, 0, false),
		event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(10, 5, 16), at(10, 15, 16), 3),
	}
	for i, upTo := range []time.Time{at(10, 5, 16), at(10, 10, 16), at(10, 15, 16)} {
		msg := fmt.Sprintf("Missed %d scheduled time%s up to %s: older than startingDeadlineSeconds (60s) when the controller got to them",
			i+1, map[bool]string{true: "", false: "s"}[i == 0], upTo.UTC().Format(time.RFC3339))
		objs = append(objs, event(cj, "Warning", "MissSchedule", msg, upTo.Add(5*time.Minute), upTo.Add(5*time.Minute), 1))
	}
	return whyCase{now: now, at: "2027-03-16T10:05:00-04:00", verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{blocker.Name}, objs: objs}
}

// managedSuspend is a managedFields entry of manager that wrote spec.suspend
// at written.
func managedSuspend(manager string, written time.Time) []metav1.ManagedFieldsEntry {
	return []metav1.ManagedFieldsEntry{{
		Manager: manager, Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(written)),
		FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
	}}
}

// manualJob is a Job made by hand from cj's template at created, as kubectl
// create job --from=cronjob/report makes it.
func manualJob(cj *batchv1.CronJob, created time.Time) *batchv1.Job {
	j := jobFromCronJob(cj)
	j.Name, j.UID = "report-x7k2p", "manual-1"
	j.CreationTimestamp = metav1.NewTime(created)
	return j
}

// lastSuccess asks about 02:30 of a CronJob with both history limits 0,
// whose status.lastSuccessfulTime is succeeded; the answer must contain want.
func lastSuccess(succeeded time.Time, want string) func() whyCase {
	return func() whyCase {
		cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
			cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](0)
			cj.Spec.FailedJobsHistoryLimit = ptr.To[int32](0)
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
			cj.Status.LastSuccessfulTime = ptr.To(metav1.NewTime(succeeded))
		})
		now := at(9, 0, 16)
		return whyCase{now: now, verdict: VerdictRan, contains: []string{want}, objs: []runtime.Object{cj, lease("steadycron-0", now)}}
	}
}

// k9sJob is a Job made at created by k9s's trigger (t on a CronJob,
// derailed/k9s internal/dao/cronjob.go Run): named NAME-manual-<3 random>,
// the CronJob as its controller, the template's annotations only: no
// cronjob.kubernetes.io/instantiate: manual, and no
// batch.kubernetes.io/cronjob-scheduled-timestamp, which only the
// controllers write.
func k9sJob(cj *batchv1.CronJob, created time.Time) *batchv1.Job {
	j := manualJob(cj, created)
	j.Name, j.GenerateName, j.UID = "report-manual-q7z", "", "k9s-1"
	delete(j.Annotations, instantiateAnnotation)
	return j
}

// creationMinute asks about atArg of a CronJob "30 2 * * *" created at
// 02:30:20.
func creationMinute(atArg string) whyCase {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.CreationTimestamp = metav1.NewTime(at(2, 30, 16).Add(20 * time.Second))
	})
	now := at(9, 0, 16)
	return whyCase{now: now, at: atArg, verdict: VerdictBeforeCreation, objs: []runtime.Object{cj, lease("steadycron-0", now)}}
}

// webhookDenied is an admission webhook's refusal: unlike a quota's, its
// message does not name the Job, so the recorder folds the controller's
// FailedCreate warnings of several scheduled times into one event (the same
// message: count++, firstTimestamp kept).
const webhookDenied = `Error creating job: admission webhook "images.example.com" denied the request: image busybox is not signed`

const forbidSkipMessage = "Not starting job because prior execution is running and concurrency policy is Forbid"

// TestEventCount: an event of events.k8s.io/v1 counts its repeats in
// series.count (core/v1's count is 0); status and why read both.
func TestEventCount(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	ev := event(cj, "Warning", "MissSchedule", "Missed 40 scheduled times up to 2027-03-16T06:30:00Z: older than startingDeadlineSeconds (300s) when the controller got to them",
		at(2, 30, 16), at(2, 30, 16), 0)
	ev.FirstTimestamp, ev.LastTimestamp = metav1.Time{}, metav1.Time{}
	ev.EventTime = metav1.NewMicroTime(at(2, 30, 16).Add(-40 * 24 * time.Hour))
	ev.Series = &corev1.EventSeries{Count: 40, LastObservedTime: metav1.NewMicroTime(at(2, 36, 16))}
	o, _ := newTestOptions(at(9, 0, 16), cj, ev)
	report, err := o.status(t.Context(), "report")
	require.NoError(t, err)
	require.Len(t, report.Events, 1)
	assert.Equal(t, int32(40), report.Events[0].Count)
	assert.Contains(t, describeEvent(*ev), "(40 times, ")
}

// replaceDeletion is an hourly Replace CronJob at 10:30 whose 07:00 Job the
// controller deleted at deleted; the events of its creation and finish expired.
func replaceDeletion(deleted time.Time, tc whyCase) whyCase {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
	})
	tc.now, tc.at = at(10, 30, 16), "2027-03-16T07:00:00-04:00"
	tc.objs = []runtime.Object{cj, lease("steadycron-0", tc.now)}
	for _, h := range []int{8, 9, 10} {
		tc.objs = append(tc.objs, job(cj, at(h, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false))
	}
	gone := cj.Name + "-" + itoa(at(7, 0, 16).Unix()/60)
	return tc.withObjs(event(cj, "Normal", "SuccessfulDelete", "Deleted job "+gone, deleted, deleted, 1))
}

func (tc whyCase) withObjs(objs ...runtime.Object) whyCase {
	tc.objs = append(tc.objs, objs...)
	return tc
}

// TestServerDate: with a client built from the kubeconfig, now is the API
// server's time from the Date header of its responses, advanced by the
// local clock since, not the local clock.
func TestServerDate(t *testing.T) {
	server := time.Date(2027, 3, 16, 12, 59, 58, 0, time.UTC)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", server.Format(http.TimeFormat))
		http.NotFound(w, nil)
	}))
	defer api.Close()
	o, _ := newTestOptions(server.Add(12 * time.Second))
	o.Client = nil
	o.ConfigFlags.APIServer = ptr.To(api.URL)
	assert.False(t, o.serverTimeKnown())
	assert.Equal(t, server.Add(12*time.Second), o.now(), "the local clock until the server answered")
	c, err := o.client()
	require.NoError(t, err)
	_, err = c.BatchV1().CronJobs("default").Get(t.Context(), "report", metav1.GetOptions{})
	require.Error(t, err)
	assert.True(t, o.serverTimeKnown())
	o.Clock.(*testingclock.FakeClock).Step(3 * time.Second)
	assert.Equal(t, server.Add(3*time.Second), o.now().UTC())
}

// TestLintNameLength: the name-too-long check is the Job name's length
// (NAME-<minutes>, 63 at most), not the API server's limit of 52 for new
// CronJobs.
func TestLintNameLength(t *testing.T) {
	for length, tooLong := range map[int]bool{52: false, 53: false, 54: false, 55: true} {
		name := strings.Repeat("a", length)
		var checks []string
		for _, f := range lintCronJob(cronJob(name, "30 2 * * *"), nil, at(9, 0, 16), "UTC", &scheduleCache{}) {
			checks = append(checks, f.Check)
		}
		assert.Equal(t, tooLong, slices.Contains(checks, "name-too-long"), "a name of %d characters: %v", length, checks)
	}
}

// TestNextGapNote: the spring-forward day's moved time says that its fixed
// time does not exist that day, whether it is the first time listed (the
// fixed time is recognised by the scheduled time before now, also for a
// SCHEDULE) or a later one; a time after a spring change on a day the
// schedule does not run gets no word of a lost run.
func TestNextGapNote(t *testing.T) {
	const moved = "02:00–03:00 does not exist that day, it runs at 03:00 instead"
	tests := map[string]struct {
		now      time.Time
		schedule string // a CronJob "report" of this schedule
		args     []string
		index    int
		time     string
		want     string
		notWant  string
	}{
		"the first time listed, asked the day before": {now: time.Date(2027, 3, 13, 12, 0, 0, 0, nyc), schedule: "30 2 * * *", index: 0, time: "2027-03-14T03:00:00-04:00", want: moved},
		"the second time listed":                      {now: time.Date(2027, 3, 12, 12, 0, 0, 0, nyc), schedule: "30 2 * * *", index: 1, time: "2027-03-14T03:00:00-04:00", want: moved},
		"a SCHEDULE, the first time listed, asked the day before": {
			now: time.Date(2027, 3, 13, 12, 0, 0, 0, nyc), args: []string{"30 2 * * *", "--time-zone", "America/New_York"},
			index: 0, time: "2027-03-14T03:00:00-04:00", want: moved,
		},
		"Mondays only: the change on Sunday costs no run": {
			now: time.Date(2027, 3, 10, 12, 0, 0, 0, nyc), schedule: "30 2 * * 1",
			index: 0, time: "2027-03-15T02:30:00-04:00", want: "clocks forward 1h", notWant: "no run then",
		},
		"yearly on March 14th, a SCHEDULE: 2029's change on the 11th costs no run": {
			now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), args: []string{"0 2 14 3 *", "--time-zone", "America/New_York"},
			index: 2, time: "2029-03-14T02:00:00-04:00", want: "clocks forward 1h", notWant: "no run then",
		},
		// The note probes the day of the change, not the wall clock of the
		// time listed before.
		"every 30 minutes of 01:00-03:00, after 01:30: the gap costs its runs": {
			now: time.Date(2027, 3, 14, 1, 10, 0, 0, nyc), args: []string{"*/30 1-3 * * *", "--time-zone", "America/New_York"},
			index: 1, time: "2027-03-14T03:00:00-04:00", want: "does not exist that day: no run then",
		},
		"hourly 01:00-03:00, after 01:00: 02:00 is the run at 03:00": {
			now: time.Date(2027, 3, 14, 1, 10, 0, 0, nyc), args: []string{"0 1-3 * * *", "--time-zone", "America/New_York"},
			index: 0, time: "2027-03-14T03:00:00-04:00", want: "does not exist that day: no run then other than the one at 03:00",
		},
		"02:30 and 05:00, after 05:00 the day before: 02:30 runs at 03:00": {
			now: time.Date(2027, 3, 14, 1, 10, 0, 0, nyc), args: []string{"30 2,5 * * *", "--time-zone", "America/New_York"},
			index: 0, time: "2027-03-14T03:00:00-04:00", want: moved,
		},
		// Santiago puts its clocks back at midnight: 23:30 of April 3rd
		// happens twice, the repeated hour is on the day before the change.
		"a time repeated before a change at midnight": {
			now: time.Date(2027, 4, 2, 12, 0, 0, 0, santiago), args: []string{"30 23 * * *", "--time-zone", "America/Santiago"},
			index: 2, time: "2027-04-04T23:30:00-04:00", want: "23:30 happens twice on 2027-04-03, and runs once, at its first occurrence",
		},
		"every 30 minutes of 02:00: the gap costs its runs": {
			now: time.Date(2027, 3, 13, 12, 0, 0, 0, nyc), schedule: "*/30 2 * * *",
			index: 0, time: "2027-03-15T02:00:00-04:00", want: "does not exist that day: no run then",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var objs []runtime.Object
			args := tc.args
			if tc.schedule != "" {
				objs = append(objs, cronJob("report", tc.schedule))
				args = []string{"report"}
			}
			o, out := newTestOptions(tc.now, objs...)
			require.NoError(t, execute(t, o, append(append([]string{"next"}, args...), "--count", "3", "-o", "json")...))
			var report NextTimes
			require.NoError(t, json.Unmarshal(out.Bytes(), &report))
			require.Equal(t, tc.time, report.Times[tc.index].Time)
			assert.Contains(t, report.Times[tc.index].Note, tc.want)
			if tc.notWant != "" {
				assert.NotContains(t, report.Times[tc.index].Note, tc.notWant)
			}
		})
	}
}

// TestNextLegacyZone: a legacy schedule that carries its zone (CRON_TZ=Z,
// TZ=Z) is evaluated in Z by the controller, and next shows its times, zone
// and daylight saving time notes there.
func TestNextLegacyZone(t *testing.T) {
	for _, schedule := range []string{"CRON_TZ=America/New_York 30 2 * * *", "TZ=America/New_York 30 2 * * *"} {
		t.Run(schedule, func(t *testing.T) {
			o, _ := newTestOptions(time.Date(2027, 3, 13, 12, 0, 0, 0, nyc))
			report, err := o.next(t.Context(), schedule, "", 2)
			require.NoError(t, err)
			require.Equal(t, "2027-03-14T07:00:00Z", report.Times[0].UTC, "the instant is the controller's")
			assert.Equal(t, "America/New_York", report.TimeZone)
			assert.Equal(t, "2027-03-14T03:00:00-04:00", report.Times[0].Time)
			assert.Contains(t, report.Times[0].Note, "clocks forward 1h")
		})
	}
}

// TestNextLegacyLocalZone: a legacy schedule "CRON_TZ=Local 0 9 * * *" (or
// TZ=Local; served for objects created before the API server refused TZ= in
// a schedule) is evaluated by the controller in its own local zone: UTC in
// steadycron's and kube-controller-manager's images, --controller-time-zone.
// next, for a SCHEDULE and for a CronJob alike, and status evaluate it there,
// not in this machine's zone, and say so. The test runs itself again with
// TZ=Asia/Tokyo, as the zone of a process is read when it starts.
func TestNextLegacyLocalZone(t *testing.T) {
	if os.Getenv("LEGACY_LOCAL_ZONE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNextLegacyLocalZone$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LEGACY_LOCAL_ZONE_CHILD=1", "TZ=Asia/Tokyo")
		out, err := cmd.CombinedOutput()
		assert.NoError(t, err, "with TZ=Asia/Tokyo:\n%s", out)
		return
	}
	// This machine's clock reads its own zone, as time.Now does.
	now := time.Date(2027, 3, 16, 12, 0, 0, 0, time.UTC).In(time.Local)
	_, offset := now.Zone()
	require.Equal(t, 9*3600, offset, "the child runs with TZ=Asia/Tokyo")
	for _, tc := range []struct {
		schedule string
		flag     []string
		utc      string
		zone     string
	}{
		{schedule: "CRON_TZ=Local 0 9 * * *", utc: "2027-03-17T09:00:00Z", zone: "UTC"},
		{schedule: "TZ=Local 0 9 * * *", utc: "2027-03-17T09:00:00Z", zone: "UTC"},
		{schedule: "CRON_TZ=Local 0 9 * * *", flag: []string{"--controller-time-zone", "Europe/Berlin"}, utc: "2027-03-17T08:00:00Z", zone: "Europe/Berlin"},
	} {
		cj := cronJob("report", tc.schedule, func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil })
		for _, arg := range []string{tc.schedule, "report"} {
			t.Run(arg+" "+strings.Join(tc.flag, " "), func(t *testing.T) {
				o, out := newTestOptions(now, cj)
				require.NoError(t, execute(t, o, append([]string{"next", arg, "--count", "1", "-o", "json"}, tc.flag...)...))
				var got NextTimes
				require.NoError(t, json.Unmarshal(out.Bytes(), &got))
				require.Len(t, got.Times, 1)
				assert.Equal(t, tc.utc, got.Times[0].UTC, "the controller's Local is --controller-time-zone, not this machine's zone: %s", out)
				assert.Equal(t, tc.zone, got.TimeZone, out.String())
				assert.Contains(t, strings.Join(got.Warnings, " "), "is the controller's own local zone, not this machine's: taken to be "+tc.zone+" (--controller-time-zone)")
			})
		}
		t.Run("status "+tc.schedule+" "+strings.Join(tc.flag, " "), func(t *testing.T) {
			o, out := newTestOptions(now, cj)
			require.NoError(t, execute(t, o, append([]string{"status", "report", "-o", "json"}, tc.flag...)...))
			var got StatusReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			require.NotEmpty(t, got.Next)
			assert.Equal(t, tc.utc, got.Next[0].UTC)
			assert.Equal(t, tc.zone, got.TimeZone)
			assert.Contains(t, strings.Join(got.Missing, " "), "the controller's own local zone")
		})
	}
}

// TestGatherPages: the facts are listed a page at a time, as an API server
// with many Jobs, pods and events in the namespace returns them (here one
// item a page, with a continue token), and every page is read; so are
// lint's CronJobs and Jobs.
func TestGatherPages(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent })
	objs := []runtime.Object{cj, cronJob("other", "0 3 * * *", func(cj *batchv1.CronJob) { cj.UID = "other-uid" })}
	for d := 13; d <= 15; d++ {
		finished := time.Minute
		if d == 15 {
			finished = 25 * time.Hour // longer than the period: forbid-longer-than-period
		}
		j := job(cj, at(2, 30, d), 10*time.Millisecond, time.Second, finished, false)
		objs = append(objs, j, pod(j, at(2, 30, d).Add(time.Second), at(2, 31, d)),
			event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+j.Name, at(2, 30, d), at(2, 30, d), 1))
	}
	t.Run("gather", func(t *testing.T) {
		o, _ := newTestOptions(at(9, 0, 16), objs...)
		pages := pageByOne(t, o.Client.(*fake.Clientset), map[string]string{"jobs": "Job", "pods": "Pod", "events": "Event"})
		f, err := o.gather(t.Context(), cj)
		require.NoError(t, err)
		assert.False(t, f.jobsUnknown || f.eventsUnknown, "%v", f.missing)
		assert.Len(t, f.jobs, 3)
		assert.Len(t, f.events, 3)
		podCount := 0
		for _, p := range f.pods {
			podCount += len(p)
		}
		assert.Equal(t, 3, podCount)
		for _, resource := range []string{"jobs", "pods", "events"} {
			assert.Equal(t, []string{"", "1", "2"}, pages[resource], resource)
		}
	})
	t.Run("lint", func(t *testing.T) {
		o, _ := newTestOptions(at(9, 0, 16), objs...)
		pages := pageByOne(t, o.Client.(*fake.Clientset), map[string]string{"jobs": "Job", "cronjobs": "CronJob"})
		report, err := o.lint(t.Context(), "", false)
		require.NoError(t, err)
		assert.Equal(t, 2, report.Checked)
		var checks []string
		for _, f := range report.Findings {
			checks = append(checks, f.Check)
		}
		assert.Contains(t, checks, "forbid-longer-than-period", "the last page's Job")
		assert.Equal(t, []string{"", "1"}, pages["cronjobs"])
		assert.Equal(t, []string{"", "1", "2"}, pages["jobs"])
	})
}

// pageByOne makes the fake list the given resources (by their kinds) one
// item a page, with a continue token, as an API server does for a limit of
// 1; it returns the continue tokens asked for, by resource.
func pageByOne(t *testing.T, client *fake.Clientset, kinds map[string]string) map[string][]string {
	pages := map[string][]string{}
	for resource, kind := range kinds {
		client.PrependReactor("list", resource, func(action clienttesting.Action) (bool, runtime.Object, error) {
			opts := action.(clienttesting.ListActionImpl).ListOptions
			assert.Positive(t, opts.Limit, "%s listed without a limit", resource)
			pages[resource] = append(pages[resource], opts.Continue)
			all, err := client.Tracker().List(action.GetResource(), action.GetResource().GroupVersion().WithKind(kind), action.GetNamespace())
			if err != nil {
				return true, nil, err
			}
			items, err := meta.ExtractList(all)
			if err != nil {
				return true, nil, err
			}
			i := 0
			if opts.Continue != "" {
				i, _ = strconv.Atoi(opts.Continue)
			}
			page := all.DeepCopyObject()
			if err := meta.SetList(page, items[i:i+1]); err != nil {
				return true, nil, err
			}
			if i+1 < len(items) {
				page.(metav1.ListInterface).SetContinue(strconv.Itoa(i + 1))
			}
			return true, page, nil
		})
	}
	return pages
}

// TestWhyJobsRemovedByAnAdmissionTTL: a mutating admission policy
// (Kyverno's add-ttl-jobs, common in clusters) sets ttlSecondsAfterFinished
// on every Job at creation, so the CronJob's template has none and every
// finished Job is gone minutes later. 12:00 and 13:00 ran (status
// .lastScheduleTime is 13:00); the events expired. Asked about 12:00, why
// answers Unknown, not a missed deadline nor "no decision": not even the Job
// of 13:00, which ran, is left, so something deletes the Jobs and the
// absence of 12:00's shows nothing. So it does while 13:00's Job is still
// kept, when that Job has a ttlSecondsAfterFinished the template does not.
func TestWhyJobsRemovedByAnAdmissionTTL(t *testing.T) {
	now := at(14, 30, 16)
	for _, deadline := range []*int64{nil, ptr.To[int64](300)} {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = deadline
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(13, 0, 16)))
		})
		got := whyJSON(t, now, "report", "2027-03-16T12:00:00-04:00", cj, lease("steadycron-0", now))
		if got.Verdict != VerdictUnknown || !strings.Contains(got.Explanation, "is gone too, so something deletes the CronJob's Jobs") {
			t.Errorf("startingDeadlineSeconds %v: want Unknown, the Job of 13:00 (status.lastScheduleTime), which ran, is gone too; got %s (%s): %s", ptr.Deref(deadline, -1), got.Verdict, got.Reason, got.Explanation)
		}
		kept := job(cj, at(13, 0, 16), 10*time.Millisecond, time.Second, 0, false) // still running
		kept.Spec.TTLSecondsAfterFinished = ptr.To[int32](60)
		got = whyJSON(t, now, "report", "2027-03-16T12:00:00-04:00", cj, lease("steadycron-0", now), kept)
		if got.Verdict != VerdictUnknown || !strings.Contains(got.Explanation, "ttlSecondsAfterFinished (60s, set on Job "+kept.Name) {
			t.Errorf("startingDeadlineSeconds %v, Job of 13:00 kept with a TTL the template lacks: want Unknown citing its TTL; got %s (%s): %s", ptr.Deref(deadline, -1), got.Verdict, got.Reason, got.Explanation)
		}
	}
}

// TestWhyJobTTL: the Jobs' ttlSecondsAfterFinished as a deleter of a Job.
func TestWhyJobTTL(t *testing.T) {
	tests := map[string]func() whyCase{}
	// The template's TTL was 60s until 08:30, then 86400
	// (managedFields): the Jobs of 07:00 and 08:00 may have gone under the
	// TTL that held then, as under a limit written after the time.
	for name, written := range map[string]time.Time{"lengthened after the time": at(8, 30, 16), "written at the creation": time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)} {
		want := VerdictSkipped
		if written.After(at(7, 0, 16)) {
			want = VerdictUnknown
		}
		tests["template TTL "+name] = func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](86400)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(written)),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:jobTemplate":{"f:spec":{"f:ttlSecondsAfterFinished":{}}}}}`)},
				}}
			})
			now := at(9, 30, 16)
			return whyCase{now: now, at: "2027-03-16T07:00:00-04:00",
				objs:    []runtime.Object{cj, job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false), lease("steadycron-0", now)},
				verdict: want}
		}
	}
	// The controller recorded MissingJob for 09:00's Job: the TTL, in the
	// template or set by an admission policy (seen on the Jobs left), is a
	// likely deleter.
	for name, inTemplate := range map[string]bool{"set by admission": false, "in the template": true} {
		tests["MissingJob, TTL "+name] = func() whyCase {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
				if inTemplate {
					cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](0)
				}
			})
			now := at(10, 20, 16)
			running := job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false)
			running.Spec.TTLSecondsAfterFinished = ptr.To[int32](0)
			gone := "report-" + itoa(at(9, 0, 16).Unix()/60)
			return whyCase{now: now, at: "2027-03-16T09:00:00-04:00",
				objs: []runtime.Object{cj, running, lease("steadycron-0", now),
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+gone, at(9, 0, 16), at(9, 0, 16), 1),
					event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+gone, at(9, 4, 16), at(9, 4, 16), 1)},
				verdict:     VerdictRan,
				contains:    []string{"its ttlSecondsAfterFinished (0s"},
				notContains: []string{"most likely before it finished"}}
		}
	}
	// The TTL controller deletes a Job no earlier than its finish plus the
	// TTL: a TTL of a day did not delete 09:00's Job, found gone at 09:04
	// (MissingJob), or gone by 10:20 without an event; one of 60s may have.
	for name, ttl := range map[string]int32{"a day": 86400, "60s": 60} {
		for _, missing := range []bool{true, false} {
			tests[fmt.Sprintf("TTL of %s, MissingJob %v", name, missing)] = func() whyCase {
				cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
					cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
					cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To(ttl)
				})
				now := at(10, 20, 16)
				gone := "report-" + itoa(at(9, 0, 16).Unix()/60)
				objs := []runtime.Object{cj, job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false), lease("steadycron-0", now),
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+gone, at(9, 0, 16), at(9, 0, 16), 1)}
				if missing {
					objs = append(objs, event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+gone, at(9, 4, 16), at(9, 4, 16), 1))
				}
				tc := whyCase{now: now, at: "2027-03-16T09:00:00-04:00", objs: objs, verdict: VerdictRan}
				text := fmt.Sprintf("ttlSecondsAfterFinished (%ds)", ttl)
				if possible := missing && ttl <= 240 || !missing && ttl <= 80*60; possible {
					tc.contains = []string{text}
				} else {
					tc.notContains = []string{text}
					tc.contains = []string{"a user"}
				}
				return tc
			}
		}
	}
	// A Job takes the template's TTL at its creation: the template's TTL
	// raised to a day at 09:20 (managedFields), after 09:00's Job was
	// created (and deleted by its TTL of 60s at 09:03), leaves that Job's
	// TTL unknown; written at 08:00, before the creation, it was a day.
	for name, written := range map[string]time.Time{"raised after the Job's creation": at(9, 20, 16), "written before the Job's creation": at(8, 0, 16)} {
		for _, missing := range []bool{true, false} {
			tests[fmt.Sprintf("template TTL %s, MissingJob %v", name, missing)] = func() whyCase {
				cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
					cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
					cj.Spec.JobTemplate.Spec.TTLSecondsAfterFinished = ptr.To[int32](86400)
					cj.ManagedFields = []metav1.ManagedFieldsEntry{{
						Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(written)),
						FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:jobTemplate":{"f:spec":{"f:ttlSecondsAfterFinished":{}}}}}`)},
					}}
				})
				now := at(9, 30, 16)
				gone := "report-" + itoa(at(9, 0, 16).Unix()/60)
				objs := []runtime.Object{cj, lease("steadycron-0", now),
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+gone, at(9, 0, 16), at(9, 0, 16), 1)}
				if missing {
					objs = append(objs, event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+gone, at(9, 3, 16), at(9, 3, 16), 1))
				}
				tc := whyCase{now: now, at: "2027-03-16T09:00:00-04:00", objs: objs, verdict: VerdictRan}
				if written.After(at(9, 0, 16)) {
					tc.contains = []string{"ttlSecondsAfterFinished (86400s now, but the Job template's was last written at 2027-03-16T13:20:00Z"}
				} else {
					tc.notContains = []string{"ttlSecondsAfterFinished"}
					tc.contains = []string{"a user or a tool deleted it"}
				}
				return tc
			}
		}
	}
	for name, tc := range tests {
		t.Run(name, tc().check)
	}
}

// TestWhyScheduleEditedToASuperset: the schedule was "0 * * * *" until
// 10:40, when it was edited to "*/30 * * * *". 10:30 was not a time of the
// CronJob then: the controller saw the update, evaluates the new schedule
// after 10:40 only, and never runs 10:30. The last run, 10:00, is a time of
// both schedules, so the object alone does not show the change; but
// spec.schedule was written at 10:40, after 10:30, which the controller has
// not started (status.lastScheduleTime 10:00): Unknown (scheduleChanged),
// citing the write, not NoDecisionOnRecord (which blames the controller) nor
// a missed deadline.
func TestWhyScheduleEditedToASuperset(t *testing.T) {
	for _, deadline := range []*int64{nil, ptr.To[int64](300)} {
		cj := cronJob("report", "*/30 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = deadline
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
			cj.ManagedFields = managedSchedule(at(10, 40, 16))
		})
		now := at(10, 45, 16)
		for _, atArg := range []string{"", "2027-03-16T10:30:00-04:00"} {
			got := whyJSON(t, now, "report", atArg, cj, lease("steadycron-0", now),
				job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false))
			if got.Verdict != VerdictUnknown || got.Reason != "scheduleChanged" || !strings.Contains(got.Explanation, "last written at 2027-03-16T10:40:00-04:00") {
				t.Errorf("startingDeadlineSeconds %v, why --at %q: want Unknown (scheduleChanged) or NotScheduled, the schedule was written at 10:40, after 10:30; got %s (%s): %s", ptr.Deref(deadline, -1), atArg, got.Verdict, got.Reason, got.Explanation)
			}
		}
	}
}

// TestWhyScheduleMovedAfterTheLastRun: a daily "0 9 * * *" in
// America/New_York ran at 09:00 today (its Jobs of the last three days are
// kept); at 09:30 the owner moves it, and at 09:45 asks why (no --at). The
// most recent time of the new schedule came before the edit and before the
// last run, which is not a time of the new schedule: it was never a time of
// the CronJob, as far as the object shows (the schedule before the last run
// is not on record). Not Skipped (missedDeadline) nor NoDecisionOnRecord:
// Unknown (scheduleChanged), with or without a deadline.
func TestWhyScheduleMovedAfterTheLastRun(t *testing.T) {
	now := at(9, 45, 16)
	for name, tc := range map[string]struct {
		schedule  string
		zone      string
		scheduled string // the time answered, UTC
	}{
		// 0 9 * * * to 0 10 * * *: yesterday's 10:00.
		"the schedule moved later": {schedule: "0 10 * * *", zone: "America/New_York", scheduled: "2027-03-15T14:00:00Z"},
		// spec.timeZone America/New_York to Etc/UTC: 09:00Z today, 05:00 EDT.
		"the time zone moved earlier": {schedule: "0 9 * * *", zone: "Etc/UTC", scheduled: "2027-03-16T09:00:00Z"},
	} {
		for _, deadline := range []*int64{ptr.To[int64](300), nil} {
			t.Run(fmt.Sprintf("%s, startingDeadlineSeconds %d", name, ptr.Deref(deadline, -1)), func(t *testing.T) {
				cj := cronJob("report", "0 9 * * *", func(cj *batchv1.CronJob) {
					cj.Spec.StartingDeadlineSeconds = deadline
					cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
					cj.ManagedFields = managedSchedule(at(9, 30, 16))
				})
				objs := []runtime.Object{cj, lease("steadycron-0", now)}
				for day := 14; day <= 16; day++ {
					objs = append(objs, job(cj, at(9, 0, day), 10*time.Millisecond, time.Second, 5*time.Minute, false))
				}
				cj.Spec.Schedule, cj.Spec.TimeZone = tc.schedule, ptr.To(tc.zone)
				whyCase{now: now, objs: objs, verdict: VerdictUnknown, reason: "scheduleChanged", scheduled: tc.scheduled,
					contains: []string{"status.lastScheduleTime 2027-03-16T", "before that write, is not a time of the current schedule"}}.check(t)
			})
		}
	}
}

// managedSchedule is a managedFields entry of kubectl-edit that owns
// spec.schedule, written at written.
func managedSchedule(written time.Time) []metav1.ManagedFieldsEntry {
	return []metav1.ManagedFieldsEntry{{
		Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(written)),
		FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{}}}`)},
	}}
}

// TestWhyForbidBlockerEndedBeforeTheNextTime: Forbid, "0 * * * *".
// 10:00's Job ran until 11:20 and failed (kept: failedJobsHistoryLimit 1).
// The controller skipped 11:00 at 11:00 and, as the stock controller does,
// ran it late at 11:20 when the blocker ended, before 12:00. That Job
// succeeded and was deleted by successfulJobsHistoryLimit 1 once 12:00's
// and 13:00's succeeded; the events expired.
//
// why answers Unknown (forbidHeld): the blocker ended before the next time,
// so the controller ran 11:00 late, and its Job would be gone (history
// limit). A blocker that ended after 12:00 made the skip final: Skipped.
func TestWhyForbidBlockerEndedBeforeTheNextTime(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](1)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(13, 0, 16)))
	})
	now := at(14, 30, 16)
	for _, tc := range []struct {
		ran     time.Duration // how long 10:00's Job ran
		verdict string
		reason  string
		text    string
	}{
		{80 * time.Minute, VerdictUnknown, "forbidHeld", "successfulJobsHistoryLimit is 1"},
		{130 * time.Minute, VerdictSkipped, "concurrencyPolicy", "was still running"},
	} {
		got := whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, lease("steadycron-0", now),
			job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, tc.ran, true),
			job(cj, at(13, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)) // the one successful Job kept
		if got.Verdict != tc.verdict || got.Reason != tc.reason || !strings.Contains(got.Explanation, tc.text) {
			t.Errorf("blocker ran %s: want %s (%s) saying %q; got %s (%s): %s", tc.ran, tc.verdict, tc.reason, tc.text, got.Verdict, got.Reason, got.Explanation)
		}
	}
}

// TestWhyForbidHeldTimeWhoseJobMayBeGone: Forbid held a time (its
// JobAlreadyActive event) while a Job now gone ran; had that Job ended before
// the next time, the controller ran the held time late. When a Job of the
// time would have been deleted since (the history limits) and its
// SuccessfulCreate may be lost (combined, expired), the skip is not shown
// final: Unknown with the reason that names what is ambiguous. With no way
// for a Job of the time to be gone, the event decides: Skipped.
func TestWhyForbidHeldTimeWhoseJobMayBeGone(t *testing.T) {
	name := func(s time.Time) string { return "report-" + itoa(s.Unix()/60) }
	forbidCJ := func(schedule string, ls time.Time, limit *int32) *batchv1.CronJob {
		return cronJob("report", schedule, func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.StartingDeadlineSeconds = nil
			cj.Spec.SuccessfulJobsHistoryLimit = limit
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(ls))
		})
	}
	// Every 5 minutes: 10:00's Job ran until 10:07, so 10:05 was held and
	// ran late at 10:07; successfulJobsHistoryLimit 3 deleted its Job. A
	// SuccessfulCreate every 5 minutes, each with another message, keeps
	// the recorder combining them; the JobAlreadyActive never changes, so
	// it stays a plain event.
	combined := func() whyCase {
		cj := forbidCJ("*/5 * * * *", at(10, 55, 16), nil)
		now, since := at(10, 58, 16), at(9, 0, 14)
		return whyCase{now: now, at: "2027-03-16T10:05:00-04:00", verdict: VerdictUnknown, reason: "eventsCombined",
			contains: []string{"successfulJobsHistoryLimit is 3", "combined by the event recorder"},
			objs: []runtime.Object{cj, lease("steadycron-0", now),
				job(cj, at(10, 45, 16), 10*time.Millisecond, time.Second, time.Minute, false),
				job(cj, at(10, 50, 16), 10*time.Millisecond, time.Second, time.Minute, false),
				job(cj, at(10, 55, 16), 10*time.Millisecond, time.Second, time.Minute, false),
				event(cj, "Normal", "SuccessfulCreate", combinedPrefix+"Created job "+name(at(10, 55, 16)), since, at(10, 55, 16), 620),
				event(cj, "Normal", "SawCompletedJob", combinedPrefix+"Saw completed job: "+name(at(10, 55, 16))+", condition: Complete", since.Add(time.Minute), at(10, 56, 16), 620),
				event(cj, "Normal", "SuccessfulDelete", combinedPrefix+"Deleted job "+name(at(10, 40, 16)), since.Add(time.Minute), at(10, 56, 16), 610),
				event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(10, 5, 16), at(10, 5, 16), 1)}}
	}
	// Hourly: 10:00's Job ran until 11:20, so 11:00 was held and ran late
	// at 11:20. 13:00's Job ran until 14:10, so 14:00 was held too, and the
	// recorder wrote that skip as the same JobAlreadyActive seen again
	// (first 11:00, last 14:00), which kept it, while 11:00's
	// SuccessfulCreate expired at 12:20.
	refreshed := func(limit *int32) []runtime.Object {
		cj := forbidCJ("0 * * * *", at(14, 0, 16), limit)
		return []runtime.Object{cj, lease("steadycron-0", at(14, 30, 16)),
			job(cj, at(13, 0, 16), 10*time.Millisecond, time.Second, 70*time.Minute, false),
			job(cj, at(14, 0, 16), 10*time.Minute, 11*time.Minute, 0, false),
			event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(11, 0, 16), at(14, 0, 16), 2),
			event(cj, "Normal", "SawCompletedJob", "Saw completed job: "+name(at(13, 0, 16))+", condition: Complete", at(14, 10, 16), at(14, 10, 16), 1),
			event(cj, "Normal", "SuccessfulDelete", "Deleted job "+name(at(12, 0, 16)), at(14, 10, 16), at(14, 10, 16), 1),
			event(cj, "Normal", "SuccessfulCreate", "Created job "+name(at(14, 0, 16)), at(14, 10, 16), at(14, 10, 16), 1)}
	}
	blockerSeen := func(ended time.Time, verdict, reason string) whyCase {
		cj := forbidCJ("*/5 * * * *", at(10, 25, 16), ptr.To[int32](1))
		cj.Spec.StartingDeadlineSeconds = ptr.To[int64](120)
		now := at(10, 30, 16)
		return whyCase{now: now, at: "2027-03-16T10:05:00-04:00", verdict: verdict, reason: reason,
			objs: []runtime.Object{cj, lease("steadycron-0", now),
				job(cj, at(10, 25, 16), 10*time.Millisecond, time.Second, time.Minute, false),
				event(cj, "Normal", "SuccessfulCreate", "Created job "+name(at(10, 0, 16)), at(10, 0, 16), at(10, 0, 16), 1),
				event(cj, "Normal", "SawCompletedJob", "Saw completed job: "+name(at(10, 0, 16))+", condition: Complete", ended, ended, 1),
				event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(10, 5, 16), at(10, 5, 16), 1),
				// Enough events for the spam filter to have dropped one.
				event(cj, "Normal", "SuccessfulDelete", "Deleted job "+name(at(10, 20, 16)), at(10, 26, 16), at(10, 26, 16), 30)}}
	}
	for name, tc := range map[string]whyCase{
		"combined creates, Job deleted by the history limits": combined(),
		"the create expired, the skip event refreshed by a later skip": {now: at(14, 30, 16), at: "2027-03-16T11:00:00-04:00",
			verdict: VerdictUnknown, reason: "ambiguousEvidence", contains: []string{"successfulJobsHistoryLimit is 1", "events expire an hour"},
			objs: refreshed(ptr.To[int32](1))},
		// startingDeadlineSeconds 120: 10:05 is held until 10:07. The
		// blocker's SawCompletedJob at 10:08 shows it ended after that: the
		// skip is final, whatever the spam filter may have dropped. Seen at
		// 10:06, it ended in time, and the late run's create may be lost.
		"the blocker seen ended after the hold":  blockerSeen(at(10, 8, 16), VerdictSkipped, "concurrencyPolicy"),
		"the blocker seen ended within the hold": blockerSeen(at(10, 6, 16), VerdictUnknown, "ambiguousEvidence"),
		// successfulJobsHistoryLimit 3 with one successful Job of a later
		// time kept: a Job of 11:00 would be there.
		"no Job of the time could be gone": {now: at(14, 30, 16), at: "2027-03-16T11:00:00-04:00",
			verdict: VerdictSkipped, reason: "concurrencyPolicy", objs: refreshed(nil)},
	} {
		t.Run(name, tc.check)
	}
}

// TestWhyForbidHeldByEveryActiveJob: Forbid hourly. 10:00's Job ran until
// 11:05, so 11:00 was held (JobAlreadyActive at 11:00 and 11:05). At 11:04
// the owner ran kubectl cronjob run --force; steadycron adopted the manual
// Job into status.active and waits for it too, so 11:00 stays held after
// 11:05. why names the manual Job as status does: Unknown
// (concurrencyPolicy), not run so far, while it runs; once it has ended
// before 12:00, the controller ran 11:00 late (forbidHeld, naming both). The
// stock controller does not wait for a manual Job: 11:00 ran at 11:05.
func TestWhyForbidHeldByEveryActiveJob(t *testing.T) {
	now := at(11, 10, 16)
	objs := func(manualEnded time.Time, withLease bool) []runtime.Object {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.StartingDeadlineSeconds = nil
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
		})
		manual := manualJob(cj, at(11, 4, 16))
		if manualEnded.IsZero() {
			manual.Status.Active = 1
			cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Name: manual.Name, Namespace: ns, UID: manual.UID}}
		} else {
			manual.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(manualEnded)}}
			manual.Status.CompletionTime = ptr.To(metav1.NewTime(manualEnded))
		}
		blocker := stockJob(cj, at(10, 0, 16), 65*time.Minute)
		if withLease {
			blocker = job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 65*time.Minute, false)
		}
		out := []runtime.Object{cj, manual, blocker,
			event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(11, 0, 16), at(11, 5, 16), 2)}
		if withLease {
			out = append(out, lease("steadycron-0", now))
		}
		return out
	}
	manual := manualJob(cronJob("report", "0 * * * *"), at(11, 4, 16)).Name
	// The stock controller's 09:00 Job, from a kube-controller-manager that
	// wrote no scheduled timestamp (preAnnotationJob), is in status.active
	// and runs at 12:00: it held 10:00 and 11:00.
	stockForbid := func() []runtime.Object {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.StartingDeadlineSeconds = nil
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 0, 16)))
		})
		running := preAnnotationJob(cj, at(9, 0, 16), 0)
		cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", APIVersion: "batch/v1", Namespace: ns, Name: running.Name, UID: running.UID}}
		return []runtime.Object{cj, preAnnotationJob(cj, at(8, 0, 16), 5*time.Minute), running}
	}
	for name, tc := range map[string]whyCase{
		"the stock controller's Job without the scheduled timestamp": {now: at(12, 0, 16), at: "2027-03-16T10:00:00-04:00", objs: stockForbid(),
			verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{"report-" + itoa(at(9, 0, 16).Unix()/60)}},
		"the manual Job still runs": {now: now, objs: objs(time.Time{}, true), verdict: VerdictUnknown, reason: "concurrencyPolicy",
			contains: []string{"Not run so far", "but Job " + manual + ", which the controller counts as active too, was running then and still is"}},
		"the manual Job ended before the next time": {now: now, objs: objs(at(11, 8, 16), true), verdict: VerdictUnknown, reason: "forbidHeld",
			contains: []string{"and Job " + manual + ", which the controller counts as active too and waits for, ended at 2027-03-16T11:08:00-04:00"}},
		"the stock controller waits for no manual Job": {now: now, objs: objs(time.Time{}, false), verdict: VerdictUnknown, reason: "forbidHeld",
			notContains: []string{manual}},
	} {
		t.Run(name, tc.check)
	}
	// status says the same of the time.
	o, out := newTestOptions(now, objs(time.Time{}, true)...)
	require.NoError(t, execute(t, o, "status", "report", "-o", "json"))
	var status StatusReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &status))
	require.NotEmpty(t, status.Next)
	assert.Equal(t, "2027-03-16T11:00:00-04:00", status.Next[0].Time)
	assert.Contains(t, status.Next[0].Note, "held: concurrencyPolicy is Forbid and Job "+manual+" is active")
}

// TestWhyManualJobUnderTheStockController: no steadycron Lease: the stock
// kube-controller-manager runs the CronJob. It does not count a Job made by
// hand (kubectl create job --from, kubectl cronjob run, k9s's trigger, which
// writes no annotation of its own) as active: it records
// UnexpectedJob and, with Forbid, still creates the scheduled Job. A manual
// Job ran 10:55-12:20, past 12:00; the stock controller ran 11:00, whose Job
// the history limit (successfulJobsHistoryLimit 1) deleted once 13:00's
// succeeded; the events expired. why answers Unknown, not Skipped
// (concurrencyPolicy): the manual Job did not block 11:00, and 11:00's Job
// may be gone. Under steadycron (its Lease held, or no Lease but Jobs with
// steadycron.io/expected-start: run with --leader-elect=false), which counts
// manual Jobs, the manual Job running past 12:00 made the skip final:
// Skipped. The latest scheduled Job tells which controller runs the CronJob:
// one without the annotation after a Job with it is the stock controller's,
// which took over when steadycron was removed.
func TestWhyManualJobUnderTheStockController(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](1)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(13, 0, 16)))
	})
	// Made with kubectl create job --from (cronjob.kubernetes.io/instantiate:
	// manual) or from k9s (no annotation of its own): neither is a
	// controller's Job, and the stock controller counts neither as active.
	for maker, made := range map[string]func(*batchv1.CronJob, time.Time) *batchv1.Job{"kubectl": manualJob, "k9s": k9sJob} {
		t.Run(maker, func(t *testing.T) {
			manual := made(cj, at(10, 55, 16))
			manual.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at(12, 20, 16))}}
			manual.Status.CompletionTime = ptr.To(metav1.NewTime(at(12, 20, 16)))
			now := at(14, 30, 16)
			kept := stockJob(cj, at(13, 0, 16), 5*time.Minute)
			got := whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, manual, kept) // no Lease: stock kube-controller-manager
			if got.Verdict != VerdictUnknown || !strings.Contains(got.Explanation, "successfulJobsHistoryLimit is 1") {
				t.Errorf("stock controller: want Unknown: it does not count manual Job %s as active, so 11:00 ran and its Job may be gone; got %s (%s): %s", manual.Name, got.Verdict, got.Reason, got.Explanation)
			}
			// steadycron without leader election (--leader-elect=false): no Lease,
			// but its Jobs carry steadycron.io/expected-start, and it counts the
			// manual Job as active. 12:00 ran at 12:20, when the manual Job ended.
			kept3 := cj.DeepCopy()
			kept3.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3)
			noLease := []runtime.Object{kept3, manual,
				job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
				job(cj, at(12, 0, 16), 20*time.Minute+10*time.Millisecond, 20*time.Minute+time.Second, 25*time.Minute, false),
				job(cj, at(13, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			got = whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", noLease...)
			if got.Verdict != VerdictSkipped || got.Reason != "concurrencyPolicy" || !strings.Contains(got.Explanation, manual.Name) {
				t.Errorf("steadycron without a Lease: want Skipped (concurrencyPolicy) for manual Job %s; got %s (%s): %s", manual.Name, got.Verdict, got.Reason, got.Explanation)
			}
			if strings.Contains(got.Controller.Note, "steadycron is not running here") || !strings.Contains(got.Controller.Note, "without leader election") {
				t.Errorf("steadycron without a Lease: want the note to say it runs without leader election; got %q", got.Controller.Note)
			}
			// The stock controller took over after steadycron was removed: its
			// latest Job has no steadycron annotation.
			// A failed Job of steadycron's, 10:00, is kept (failedJobsHistoryLimit).
			got = whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, manual, job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, true), kept)
			if got.Verdict != VerdictUnknown || !strings.Contains(got.Explanation, "successfulJobsHistoryLimit is 1") {
				t.Errorf("stock controller after steadycron: want Unknown: it does not count manual Job %s as active, so 11:00 ran and its Job may be gone; got %s (%s): %s", manual.Name, got.Verdict, got.Reason, got.Explanation)
			}
			got = whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, manual, kept, lease("steadycron-0", now))
			if got.Verdict != VerdictSkipped || got.Reason != "concurrencyPolicy" || !strings.Contains(got.Explanation, manual.Name) {
				t.Errorf("steadycron: want Skipped (concurrencyPolicy) for manual Job %s; got %s (%s): %s", manual.Name, got.Verdict, got.Reason, got.Explanation)
			}
		})
	}
}

// TestWhyLateRunExplained: a Job created late, once the events that say
// why have expired (an hour), is not blamed on the controller ("was a
// controller leading at the scheduled time?") when the objects left say why:
//   - Forbid: the Job of the time before ran until the late Job's creation
//     (the controller ran the held time when it ended);
//   - a resume: spec.suspend was written when the late Job was created (the
//     controller runs the most recent missed time at a resume).
//
// The explanation names the blocking Job, or the resume.
func TestWhyLateRunExplained(t *testing.T) {
	now := at(14, 30, 16)
	t.Run("held by Forbid", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.StartingDeadlineSeconds = nil
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(11, 0, 16)))
		})
		blocker := job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 80*time.Minute, false) // ended 11:20
		got := whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, lease("steadycron-0", now), blocker,
			job(cj, at(11, 0, 16), 20*time.Minute, 21*time.Minute, 25*time.Minute, false)) // created 11:20
		if !strings.Contains(got.Explanation, blocker.Name) {
			t.Errorf("want the explanation to name Job %s, which ran until the late Job was created (Forbid); got %s: %s", blocker.Name, got.Verdict, got.Explanation)
		}
	})
	// A ResourceQuota of 3 Jobs refused 11:00's Job (FailedCreate
	// warnings from 11:00 to 11:02 naming it); the controller's retry
	// created it at 11:03. A warning naming another Job says nothing of it.
	for name, tc := range map[string]struct {
		refused  time.Time // the scheduled time of the Job the warnings name
		contains string
	}{
		"refused creates":                 {at(11, 0, 16), "the API server refused its create until then: the controller's 5 FailedCreate warning(s), the last at 2027-03-16T15:02:00Z"},
		"refused creates of another time": {at(10, 0, 16), "was a controller leading"},
	} {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(11, 0, 16)))
			})
			name := "report-" + itoa(at(11, 0, 16).Unix()/60)
			refused := "report-" + itoa(tc.refused.Unix()/60)
			got := whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, lease("steadycron-0", now),
				job(cj, at(11, 0, 16), 3*time.Minute, 3*time.Minute+time.Second, 10*time.Minute, false),
				event(cj, "Warning", "FailedCreate", `Error creating job: jobs.batch "`+refused+`" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=3, limited: count/jobs.batch=3`, at(11, 0, 16), at(11, 2, 16), 5),
				event(cj, "Normal", "SuccessfulCreate", "Created job "+name, at(11, 3, 16), at(11, 3, 16), 1))
			assert.Equal(t, VerdictRan, got.Verdict)
			assert.Contains(t, got.Explanation, tc.contains)
		})
	}
	t.Run("resumed", func(t *testing.T) {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = nil
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(11, 0, 16)))
			cj.ManagedFields = managedSuspend("kubectl-patch", at(11, 20, 16))
		})
		got := whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, lease("steadycron-0", now),
			job(cj, at(11, 0, 16), 20*time.Minute, 21*time.Minute, 25*time.Minute, false)) // created 11:20, at the resume
		if strings.Contains(got.Explanation, "was a controller leading") || !strings.Contains(got.Explanation, "suspend") {
			t.Errorf("want the explanation to name the write of spec.suspend at 11:20, when the Job was created (a resume runs the most recent missed time); got %s: %s", got.Verdict, got.Explanation)
		}
	})
}

// TestWhyTimeZoneRemoved: spec.timeZone was America/New_York until 10:40,
// when it was removed (the controller's zone, UTC, applies since). Jobs from
// before keep scheduled-timestamp annotations with -04:00; 11:00's has Z.
// 12:00 was skipped by Forbid, and the controller's JobAlreadyActive event of
// 12:00 says so: Skipped (concurrencyPolicy). Only the latest Job's offset
// is weighed against the controller's zone, not one from before the edit.
func TestWhyTimeZoneRemoved(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(11, 0, 16)))
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(10, 40, 16))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:concurrencyPolicy":{}}}`)},
		}}
	})
	now := at(12, 30, 16)
	utcJob := job(cj, at(11, 0, 16), 10*time.Millisecond, time.Second, 0, false) // still running: it blocks 12:00
	utcJob.Annotations[batchv1.CronJobScheduledTimestampAnnotation] = at(11, 0, 16).UTC().Format(time.RFC3339)
	got := whyJSON(t, now, "report", "2027-03-16T12:00:00-04:00", cj, lease("steadycron-0", now),
		job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false), // -04:00, before the edit
		utcJob,
		event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(12, 0, 16), at(12, 0, 16), 1))
	if got.Verdict != VerdictSkipped || got.Reason != "concurrencyPolicy" {
		t.Errorf("want Skipped (concurrencyPolicy) from the JobAlreadyActive event of 12:00; got %s (%s): %s", got.Verdict, got.Reason, got.Explanation)
	}
}

// TestWhyForbidHeldWhileSuspended: Forbid skipped 11:00 for now
// (JobAlreadyActive at 11:00) while 10:00's Job runs; at 11:10 the CronJob
// was suspended, and still is. A suspended CronJob is not synced past the
// suspend check: when the blocker ends, the held time does not run, unless
// the CronJob is resumed first.
//
// The answer says the CronJob is suspended now and the held time runs late
// only if it is resumed (as createFailed says of its retries).
func TestWhyForbidHeldWhileSuspended(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Spec.Suspend = ptr.To(true)
		cj.ManagedFields = managedSuspend("kubectl-patch", at(11, 10, 16))
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
	})
	now := at(11, 20, 16)
	got := whyJSON(t, now, "report", "", cj, lease("steadycron-0", now),
		job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 0, false), // still running
		event(cj, "Normal", "JobAlreadyActive", forbidSkipMessage, at(11, 0, 16), at(11, 0, 16), 1))
	if got.Verdict != VerdictUnknown || !strings.Contains(got.Explanation, "suspended now") || !strings.Contains(got.Explanation, "only if the CronJob is resumed") {
		t.Errorf("want the answer to say the CronJob is suspended now, so the held time runs late only if it is resumed; got %s (%s): %s", got.Verdict, got.Reason, got.Explanation)
	}
}

// TestWhyQueuedJob: 11:00's Job was created on time, suspended
// (spec.suspend: true, as a queue controller such as Kueue keeps a Job until
// it admits it) and has started no pod in three hours. As run --wait does,
// why says the Job is suspended, which is why the code has not started: the
// run's result is Suspended, not Pending.
func TestWhyQueuedJob(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(11, 0, 16)))
	})
	queued := job(cj, at(11, 0, 16), 10*time.Millisecond, 0, 0, false)
	queued.Spec.Suspend = ptr.To(true)
	queued.Status.Active = 0
	queued.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobSuspended, Status: corev1.ConditionTrue, Reason: "JobSuspended", LastTransitionTime: metav1.NewTime(at(11, 0, 16))}}
	now := at(14, 0, 16)
	got := whyJSON(t, now, "report", "2027-03-16T11:00:00-04:00", cj, lease("steadycron-0", now), queued)
	if got.Verdict != VerdictRunning || got.Run == nil || got.Run.Result != "Suspended" || !strings.Contains(got.Explanation, "spec.suspend is true: it starts no pod") {
		t.Errorf("want the answer to say Job %s is suspended (queued), so it has started no pod; got %s: %s", queued.Name, got.Verdict, got.Explanation)
	}
}

// TestWhyAtAWallTimeInTheSpringGap: "30 2 * * *" in America/New_York ran
// on 2027-03-14 at 03:00 EDT, right after the clocks went forward (Job
// report-30083460). Asked about 02:30 of that day with the offset the zone
// had until the change (--at 2027-03-14T02:30:00-05:00: the wall time the
// user means, which does not exist), why says that 02:30 does not exist that
// day (clocks forward at 02:00 to 03:00) and that the time ran at 03:00 as
// that Job, as it says "Clocks went back that day" of the autumn overlap.
func TestWhyAtAWallTimeInTheSpringGap(t *testing.T) {
	moved := time.Date(2027, time.March, 14, 7, 0, 0, 0, time.UTC) // 03:00 EDT
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(moved))
	})
	now := at(9, 0, 14)
	got := whyJSON(t, now, "report", "2027-03-14T02:30:00-05:00", cj, lease("steadycron-0", now),
		job(cj, moved.In(nyc), 10*time.Millisecond, time.Second, time.Minute, false))
	if got.Verdict != VerdictRan || !strings.Contains(got.Explanation, "02:30 does not exist on 2027-03-14 in America/New_York: clocks went forward at 02:00 to 03:00") || !strings.Contains(got.Explanation, "Ran as Job report-30083460") {
		t.Errorf("want: 02:30 does not exist on 2027-03-14, the time ran at 03:00 EDT as Job report-30083460; got %s: %s", got.Verdict, got.Explanation)
	}
}

// TestWhyAtAWallTimeInTheSpringGapNotOfTheSchedule: --at a wall time that
// Europe/Berlin's clocks skip on 2027-03-28 (02:00 to 03:00) is answered for
// the change only when it is a fixed time of the schedule (it runs at the
// change); any other is no scheduled time that day: not the schedule's, or
// one of a wall-clock schedule, whose times in the gap do not run.
func TestWhyAtAWallTimeInTheSpringGapNotOfTheSchedule(t *testing.T) {
	tests := map[string]struct {
		schedule, at, wantText string
		want                   string
	}{
		"02:30 daily, --at 02:30: runs at the change": {"30 2 * * *", "2027-03-28T02:30:00+01:00", "a time in the gap runs at the change", VerdictRan},
		"hourly, --at 02:30":                          {"0 * * * *", "2027-03-28T02:30:00+01:00", "it is not a time of the schedule", VerdictNotScheduled},
		"02:30 daily, --at 02:00":                     {"30 2 * * *", "2027-03-28T02:00:00+01:00", "it is not a time of the schedule", VerdictNotScheduled},
		"02:30 daily, --at 02:15":                     {"30 2 * * *", "2027-03-28T02:15:00+01:00", "it is not a time of the schedule", VerdictNotScheduled},
		"every 30 minutes, --at 02:30":                {"*/30 * * * *", "2027-03-28T02:30:00+01:00", "its times in the gap do not run", VerdictNotScheduled},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cj := cronJob("report", tc.schedule, func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("Europe/Berlin") })
			sched, err := parseSchedule(cj, "UTC")
			require.NoError(t, err)
			now := time.Date(2027, 3, 28, 2, 10, 0, 0, time.UTC)
			objs := []runtime.Object{lease("steadycron-0", now)}
			var last time.Time
			for _, s := range sched.between(time.Date(2027, 3, 27, 22, 0, 0, 0, time.UTC), now, 100) {
				objs = append(objs, job(cj, s.In(berlin), 0, time.Second, time.Minute, false))
				last = s
			}
			cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](100)
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(last))
			got := whyJSON(t, now, "report", tc.at, append(objs, cj)...)
			assert.Equal(t, tc.want, got.Verdict, "%s: %s", got.Reason, got.Explanation)
			assert.Contains(t, got.Explanation, "does not exist on 2027-03-28 in Europe/Berlin: clocks went forward at 02:00 to 03:00")
			assert.Contains(t, got.Explanation, tc.wantText)
		})
	}
}

// TestWhyTimesInOneMinute: "@every 30s" has two scheduled times a minute, but
// a Job's name has the minute of its time only, so the Job of 09:00:00
// (report-30086460) holds the name of 09:00:30's Job, which no controller can
// create: steadycron records JobNameConflict, the stock controller takes the
// 09:00:00 Job for it. why answers about 09:00:30 that it got no Job of its
// own, not that it ran (early, by a clock ahead), nor that the Job of the
// name is not the CronJob's.
func TestWhyTimesInOneMinute(t *testing.T) {
	nine := time.Date(2027, time.March, 16, 9, 0, 0, 0, time.UTC)
	cj := cronJob("report", "@every 30s", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(nine))
	})
	j := job(cj, nine, 10*time.Millisecond, time.Second, 10*time.Second, false)
	created := event(cj, "Normal", "SuccessfulCreate", "Created job "+j.Name, nine, nine, 1)
	conflict := event(cj, "Warning", "JobNameConflict", "Not starting job for 2027-03-16T09:00:30Z: job "+j.Name+" exists and is the job of 2027-03-16T09:00:00Z", nine.Add(30*time.Second), nine.Add(30*time.Second), 1)
	now := nine.Add(45 * time.Second)
	stock := []runtime.Object{cj, j, created}
	steadycron := []runtime.Object{cj, j, created, conflict, lease("steadycron-0", now)}
	tests := map[string]whyCase{
		"the stock controller":        {at: "", objs: stock},
		"the stock controller, --at":  {at: "2027-03-16T09:00:30Z", objs: stock},
		"steadycron's warning":        {at: "", objs: steadycron},
		"steadycron's warning, --at":  {at: "2027-03-16T09:00:30Z", objs: steadycron},
		"the Job's events are gone":   {at: "", objs: []runtime.Object{cj, j, lease("steadycron-0", now)}},
		"asked about 09:00:00 itself": {at: "2027-03-16T09:00:10Z", objs: steadycron, verdict: VerdictRan, scheduled: "2027-03-16T09:00:00Z"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tc.now = now
			if tc.verdict == "" {
				tc.verdict, tc.reason, tc.scheduled = VerdictSkipped, "nameConflict", "2027-03-16T09:00:30Z"
				tc.contains = []string{"report-30086460", "is the Job of 2027-03-16T09:00:00Z", "has the minute"}
				tc.notContains = []string{"clock", "not controlled by this CronJob", "is gone"}
			}
			tc.check(t)
		})
	}
}

// TestWhyEventsOfTheNameBeforeTheTime: "@every 30s" under the stock
// controller (no Lease): 09:00:30's Job has the name of 09:00's, which the
// controller took for 09:00:30's and created nothing. Once the history limits
// deleted 09:00's Job, its events (SuccessfulCreate 09:00:00, SawCompletedJob
// 09:00:10, SuccessfulDelete 09:03:10) name the Job of 09:00:30 too: a Job
// created before a time cannot be that time's run. A SuccessfulCreate at or
// after the time (to the second) can.
func TestWhyEventsOfTheNameBeforeTheTime(t *testing.T) {
	nine := time.Date(2027, time.March, 16, 9, 0, 0, 0, time.UTC)
	now := nine.Add(5*time.Minute + 45*time.Second)
	cj := cronJob("report", "@every 30s", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(nine.Add(5*time.Minute + 30*time.Second)))
	})
	name := cronjob.JobName(cj, nine)
	trace := func(created time.Time) []runtime.Object {
		objs := []runtime.Object{cj,
			event(cj, "Normal", "SuccessfulCreate", "Created job "+name, created, created, 1),
			event(cj, "Normal", "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", created.Add(10*time.Second), created.Add(10*time.Second), 1),
			event(cj, "Normal", "SuccessfulDelete", "Deleted job "+name, nine.Add(3*time.Minute+10*time.Second), nine.Add(3*time.Minute+10*time.Second), 1),
		}
		for m := 3; m <= 5; m++ {
			objs = append(objs, job(cj, nine.Add(time.Duration(m)*time.Minute), 10*time.Millisecond, time.Second, 10*time.Second, false))
		}
		return objs
	}
	tests := map[string]whyCase{
		"created at 09:00:00, asked about 09:00:30": {at: "2027-03-16T09:00:30Z", objs: trace(nine),
			verdict: VerdictUnknown, scheduled: "2027-03-16T09:00:30Z", notVerdicts: []string{VerdictRan, VerdictRunning},
			contains: []string{"are dated before the time", "another Job of that name"}, notContains: []string{"Ran as Job"}},
		"created at 09:00:00, asked about 09:00:00": {at: "2027-03-16T09:00:00Z", objs: trace(nine),
			verdict: VerdictRan, scheduled: "2027-03-16T09:00:00Z", contains: []string{"Ran as Job " + name}},
		"created at 09:00:30.4, asked about 09:00:30": {at: "2027-03-16T09:00:30Z", objs: trace(nine.Add(30*time.Second + 400*time.Millisecond)),
			verdict: VerdictRan, scheduled: "2027-03-16T09:00:30Z", contains: []string{"Ran as Job " + name}},
	}
	for desc, tc := range tests {
		t.Run(desc, func(t *testing.T) {
			tc.now = now
			tc.check(t)
		})
	}
}

// TestWhyJobConditions: a Job that has not finished but whose end is decided
// (the Job controller's FailureTarget, by a podFailurePolicy, or
// SuccessCriteriaMet, while its pods stop), or that is being deleted, has the
// result kubectl get jobs shows, not "Pending"; a Failed Job's reason keeps
// its case in the answer.
func TestWhyJobConditions(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	now := at(2, 40, 16)
	tests := map[string]struct {
		mutate             func(*batchv1.Job)
		verdict, result    string
		contains, notMatch string
	}{
		"failure target": {
			mutate: func(j *batchv1.Job) {
				j.Status.Active, j.Status.Failed = 0, 1
				j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: "PodFailurePolicy"}}
			},
			verdict: VerdictRunning, result: "FailureTarget (PodFailurePolicy)", contains: "FailureTarget", notMatch: "pending",
		},
		"success criteria met": {
			mutate: func(j *batchv1.Job) {
				j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, Reason: "SuccessPolicy"}}
			},
			verdict: VerdictRunning, result: "SuccessCriteriaMet", contains: "SuccessCriteriaMet", notMatch: "running",
		},
		"being deleted": {
			mutate: func(j *batchv1.Job) {
				j.DeletionTimestamp = ptr.To(metav1.NewTime(now.Add(-time.Minute)))
				j.Finalizers = []string{"foregroundDeletion"}
			},
			verdict: VerdictRunning, result: "Terminating", contains: "being deleted", notMatch: "running",
		},
		"failed past its deadline": {
			mutate: func(j *batchv1.Job) {
				j.Status.Active = 0
				j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "DeadlineExceeded", LastTransitionTime: metav1.NewTime(now)}}
			},
			verdict: VerdictRan, result: "Failed (DeadlineExceeded)", contains: "failed (DeadlineExceeded)", notMatch: "deadlineexceeded",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, 0, false)
			tc.mutate(j)
			got := whyJSON(t, now, "report", "", cj, j, lease("steadycron-0", now))
			assert.Equal(t, tc.verdict, got.Verdict, got.Explanation)
			require.NotNil(t, got.Run, got.Explanation)
			assert.Equal(t, tc.result, got.Run.Result)
			assert.Contains(t, got.Explanation, tc.contains)
			assert.NotContains(t, got.Explanation, tc.notMatch)
		})
	}
}

// TestWhyAtFarInTheFuture: a scheduled time centuries after the CronJob's
// creation is not due yet, not "not a scheduled time" with a nearest time
// before it decades off: the controller's search counts seconds in a
// time.Duration, which holds about 292 years.
func TestWhyAtFarInTheFuture(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	now := at(9, 0, 16)
	for _, atArg := range []string{"2400-03-16T06:30:00Z", "2400-03-16T07:00:00Z"} {
		got := whyJSON(t, now, "report", atArg, cj, lease("steadycron-0", now))
		if atArg == "2400-03-16T06:30:00Z" {
			assert.Equal(t, VerdictNotDue, got.Verdict, got.Explanation)
			continue
		}
		assert.Equal(t, VerdictNotScheduled, got.Verdict, got.Explanation)
		require.NotEmpty(t, got.Nearest)
		assert.Equal(t, "2400-03-16T06:30:00Z", got.Nearest[0].UTC, "the time before it")
	}
}

// TestWhyAtInUTCOnASpringChangeDay: "30 21 * * *" in America/New_York ran
// on 2027-03-13 at 21:30 EST, 2027-03-14T02:30:00Z. Asked about that instant
// in UTC, why answers that it ran: 02:30 is a wall time in the gap of New
// York's spring change that day only with New York's own offset before the
// change (-05:00), not with another offset such as Z.
func TestWhyAtInUTCOnASpringChangeDay(t *testing.T) {
	ran := time.Date(2027, time.March, 14, 2, 30, 0, 0, time.UTC)
	cj := cronJob("report", "30 21 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(ran))
	})
	now := at(9, 0, 14)
	for _, atArg := range []string{"2027-03-14T02:30:00Z", "2027-03-14T11:30:00+09:00"} {
		got := whyJSON(t, now, "report", atArg, cj, lease("steadycron-0", now),
			job(cj, ran.In(nyc), 10*time.Millisecond, time.Second, time.Minute, false))
		assert.Equal(t, VerdictRan, got.Verdict, "%s: %s", atArg, got.Explanation)
		assert.NotContains(t, got.Explanation, "does not exist", atArg)
	}
}

// TestWhyNotDecidedYet: 30 s after 02:30, with no Job and no event and
// steadycron's Lease held, the controller may not have got to the time yet
// (many CronJobs due at once are synced in turn): why says that it still runs
// it until the deadline, not that no controller decided on it.
func TestWhyNotDecidedYet(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
	})
	now := at(2, 30, 16).Add(30 * time.Second)
	whyCase{now: now, verdict: VerdictNoDecision, scheduled: "2027-03-16T06:30:00Z",
		contains:    []string{"no controller has decided on it yet", "still runs it", "older than startingDeadlineSeconds (300s)"},
		notContains: []string{"no controller decided on it."},
		objs:        []runtime.Object{cj, lease("steadycron-0", now.Add(-time.Second)), job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false)},
	}.check(t)
	// No deadline, and no later time within robfig/cron's five years
	// (2100 has no February 29th): no time to name.
	leap := time.Date(2096, time.February, 29, 0, 0, 0, 0, nyc)
	cj = cronJob("report", "0 0 29 2 *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(leap.AddDate(-4, 0, 0)))
	})
	now = leap.Add(30 * time.Second)
	whyCase{now: now, verdict: VerdictNoDecision, scheduled: "2096-02-29T05:00:00Z",
		contains:    []string{"A controller that gets to it still runs it"},
		notContains: []string{"0001-01-01"},
		objs:        []runtime.Object{cj, lease("steadycron-0", now.Add(-time.Second))},
	}.check(t)
}

// TestWhyLateRunAfterALeaderChange: the leader stopped just before 02:30
// without releasing steadycron's Lease; another replica acquired it at
// 02:30:20 (acquireTime) and, syncing every CronJob as it took over, created
// the Job of 02:30 at 02:30:21. why says the Job was late for the change of
// leader the Lease shows, rather than asking whether a controller led.
func TestWhyLateRunAfterALeaderChange(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
	})
	now := at(2, 40, 16)
	l := lease("steadycron-1", now.Add(-time.Second))
	l.Spec.AcquireTime = ptr.To(metav1.NewMicroTime(at(2, 30, 16).Add(20 * time.Second)))
	l.Spec.LeaseTransitions = ptr.To[int32](3)
	whyCase{now: now, verdict: VerdictRan,
		contains:    []string{"steadycron-1 acquired steadycron's Lease at 2027-03-16T06:30:20Z"},
		notContains: []string{"was a controller leading"},
		objs:        []runtime.Object{cj, l, job(cj, at(2, 30, 16), 21*time.Second, 22*time.Second, time.Minute, false)},
	}.check(t)
	// A Lease acquired long before the time shows no change of leader then.
	l.Spec.AcquireTime = ptr.To(metav1.NewMicroTime(at(2, 30, 15)))
	whyCase{now: now, verdict: VerdictRan, contains: []string{"was a controller leading"}, notContains: []string{"acquired"},
		objs: []runtime.Object{cj, l, job(cj, at(2, 30, 16), 21*time.Second, 22*time.Second, time.Minute, false)},
	}.check(t)
}

// TestWhyLeaseLostJustBeforeTheTime: hourly, one steadycron replica. It
// last renewed its Lease at 10:59:58 and died (OOMKilled, node lost) before
// its sync of 11:00; the Lease is still expired at 11:30, and no Job or
// event came after 10:59:58. No controller decided on 11:00:
// NoDecisionOnRecord, not "Skipped, most likely past its starting deadline"
// (a controller that got to it late). Not when the Lease was renewed since
// (a controller leads), nor when a deadline shorter than the Lease's life
// after the time let its holder skip the time without an event.
func TestWhyLeaseLostJustBeforeTheTime(t *testing.T) {
	now := at(11, 30, 16)
	renewed := at(10, 59, 16).Add(58 * time.Second)
	name := "report-" + itoa(at(10, 0, 16).Unix()/60)
	tc := func(deadline int64, l *coordinationv1.Lease, verdict, reason string) whyCase {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = ptr.To(deadline)
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
		})
		return whyCase{now: now, verdict: verdict, reason: reason, scheduled: "2027-03-16T15:00:00Z",
			objs: []runtime.Object{cj, l,
				job(cj, at(10, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
				event(cj, "Normal", "SuccessfulCreate", "Created job "+name, at(10, 0, 16), at(10, 0, 16), 1),
				event(cj, "Normal", "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", at(10, 5, 16), at(10, 5, 16), 1)}}
	}
	died := tc(300, lease("steadycron-0", renewed), VerdictNoDecision, "")
	died.contains = []string{"last renewed 2027-03-16T14:59:58Z by steadycron-0, 2s before the scheduled time", "no controller has led since"}
	for name, tc := range map[string]whyCase{
		"the holder died 2 s before the time":              died,
		"a controller leads now":                           tc(300, lease("steadycron-0", now), VerdictSkipped, "missedDeadline"),
		"a deadline of 10 s, within the Lease's 15 s life": tc(10, lease("steadycron-0", renewed), VerdictSkipped, "missedDeadline"),
	} {
		t.Run(name, tc.check)
	}
}

// TestWhyManualJobWithTheTimesName: someone ran kubectl create job
// report-30086310 --from=cronjob/report before 02:30, the name of 02:30's Job.
// steadycron does not take a Job made by hand for the time's (its
// JobNameConflict warning says "was made by hand"): why says the time was
// skipped for the name, not that it ran as that Job, also once the manual Job
// is gone and only the controller's events name it (its SawCompletedJob came
// before the time: it cannot be the time's run). Deleted within the time's
// minute, the controller created the time's Job at a later sync, and its
// SuccessfulCreate says it ran. The stock controller takes the manual Job for
// the time's Job, and why says it ran.
func TestWhyManualJobWithTheTimesName(t *testing.T) {
	sched := at(2, 30, 16)
	now := at(9, 0, 16)
	cj := cronJob("report", "30 2 * * *")
	name := cronjob.JobName(cj, sched)
	manual := job(cj, sched, -10*time.Minute, 0, 0, false)
	manual.Annotations = map[string]string{"cronjob.kubernetes.io/instantiate": "manual"}
	taken := cj.DeepCopy() // the stock controller's status after it took the Job
	taken.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched))
	// A "* * * * *" CronJob: the manual Job made 78 s before 02:30 finished
	// 6 s later; the controller skipped 02:30 and ran 02:31.
	minutely := cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched.Add(time.Minute)))
	})
	made := sched.Add(-78 * time.Second)
	conflict := event(minutely, "Warning", "JobNameConflict", "Not starting job for "+sched.UTC().Format(time.RFC3339)+": job "+name+" exists and was made by hand", sched, sched, 1)
	manualEvents := []runtime.Object{
		event(minutely, "Normal", "AdoptedJob", "Added unfinished job "+name+" to the active jobs", made, made, 1),
		event(minutely, "Normal", "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", made.Add(6*time.Second), made.Add(6*time.Second), 1),
		conflict,
	}
	nextTime := []runtime.Object{minutely, lease("steadycron-0", sched.Add(100*time.Second)), job(minutely, sched.Add(time.Minute), 0, time.Second, 6*time.Second, false),
		event(minutely, "Normal", "SuccessfulCreate", "Created job "+cronjob.JobName(minutely, sched.Add(time.Minute)), sched.Add(time.Minute), sched.Add(time.Minute), 1)}
	other := job(cj, sched, -10*time.Minute, 0, 0, false)
	other.OwnerReferences = nil
	// The controller ran 02:30 (SuccessfulCreate, status.lastScheduleTime);
	// it failed at 02:35; the user deleted it and, at 02:46, ran it again
	// by hand under the same name (kubectl create job report-30086310
	// --from=cronjob/report).
	rerun := job(taken, sched, 16*time.Minute, 0, 0, false)
	rerun.Annotations = map[string]string{"cronjob.kubernetes.io/instantiate": "manual"}
	rerunObjs := []runtime.Object{taken, rerun,
		event(taken, "Normal", "SuccessfulCreate", "Created job "+name, sched, sched, 1),
		event(taken, "Normal", "SawCompletedJob", "Saw completed job: "+name+", condition: Failed", sched.Add(5*time.Minute), sched.Add(5*time.Minute), 1)}
	rerunCase := whyCase{now: at(2, 50, 16), at: sched.Format(time.RFC3339), verdict: VerdictRan,
		contains:    []string{"Ran as Job " + name + " (the controller's events name it)", "made by hand (cronjob.kubernetes.io/instantiate: manual) at 2027-03-16T06:46:00Z, after the controller created the time's Job"},
		notContains: []string{"could not create the time's Job", "takes a Job of the CronJob under that name for the time's Job"}}
	tests := map[string]whyCase{
		"steadycron, a manual rerun under the name after the controller's Job": func() whyCase {
			tc := rerunCase
			tc.objs = append(slices.Clone(rerunObjs), lease("steadycron-0", tc.now))
			return tc
		}(),
		"the stock controller, a manual rerun under the name after its Job": func() whyCase {
			tc := rerunCase
			tc.objs = rerunObjs
			return tc
		}(),
		"steadycron, the manual Job left": {now: now, verdict: VerdictSkipped, reason: "nameConflict", scheduled: "2027-03-16T06:30:00Z", contains: []string{"made by hand"},
			objs: []runtime.Object{cj, manual, lease("steadycron-0", now)}},
		"steadycron, the manual Job gone after the next time": {now: sched.Add(100 * time.Second), at: sched.Format(time.RFC3339), verdict: VerdictSkipped, reason: "nameConflict",
			contains: []string{"was made by hand", "JobNameConflict"}, notContains: []string{"Ran"},
			objs: append(slices.Clone(nextTime), manualEvents...)},
		"steadycron, the manual Job deleted within the minute: the controller created the time's Job": {now: sched.Add(100 * time.Second), at: sched.Format(time.RFC3339), verdict: VerdictRan,
			contains: []string{"Ran as Job " + name},
			objs: append(append(slices.Clone(nextTime), manualEvents...),
				event(minutely, "Normal", "SuccessfulCreate", "Created job "+name, sched.Add(20*time.Second), sched.Add(20*time.Second), 1),
				event(minutely, "Normal", "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", sched.Add(30*time.Second), sched.Add(30*time.Second), 1))},
		"the stock controller took the manual Job": {now: now, verdict: VerdictRunning, scheduled: "2027-03-16T06:30:00Z", contains: []string{"Ran as Job report-30086310", "made by hand"}, notContains: []string{"clock", "gone"},
			objs: []runtime.Object{taken, manual}},
		// Gone, the manual Job may have been deleted before the next time,
		// and the controller have created the time's Job then: its
		// SuccessfulCreate is folded into an event that the recorder
		// combined (more than 10 SuccessfulCreate in 10 minutes).
		"steadycron, the manual Job gone, a create may be in a combined event": {now: sched.Add(100 * time.Second), at: sched.Format(time.RFC3339), verdict: VerdictUnknown, reason: "eventsCombined",
			contains: []string{"is gone now", "may have created the time's Job", "combined"},
			objs: append(append(slices.Clone(nextTime), manualEvents...),
				event(minutely, "Normal", "SuccessfulCreate", combinedPrefix+"Created job "+cronjob.JobName(minutely, sched.Add(time.Minute)), sched.Add(-8*time.Minute), sched.Add(time.Minute), 11))},
		// ... or dropped by the recorder's spam filter, once the controller
		// recorded more events for the CronJob than it lets through.
		"steadycron, the manual Job gone, a create may be dropped by the spam filter": {now: sched.Add(100 * time.Second), at: sched.Format(time.RFC3339), verdict: VerdictUnknown, reason: "ambiguousEvidence",
			contains: []string{"is gone now", "spam filter"},
			objs: append(append(slices.Clone(nextTime), manualEvents...),
				event(minutely, "Warning", "FailedNeedsStart", "Cannot determine if job needs to be started", sched.Add(-20*time.Minute), sched.Add(time.Minute), 20))},
		// ... or the next time has not come: the time is still due.
		"steadycron, the manual Job gone before the next time": {now: sched.Add(40 * time.Second), at: sched.Format(time.RFC3339), verdict: VerdictUnknown, reason: "ambiguousEvidence",
			contains: []string{"is gone now", "has not come"},
			objs: append([]runtime.Object{lease("steadycron-0", sched.Add(40*time.Second)), cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched.Add(-time.Minute)))
			})}, manualEvents...)},
		// ... but not once the time is older than startingDeadlineSeconds.
		"steadycron, the manual Job gone past the starting deadline": {now: sched.Add(40 * time.Second), at: sched.Format(time.RFC3339), verdict: VerdictSkipped, reason: "nameConflict",
			contains: []string{"is gone now", "startingDeadlineSeconds (30s)"},
			objs: append([]runtime.Object{lease("steadycron-0", sched.Add(40*time.Second)), cronJob("report", "* * * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = ptr.To[int64](30)
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched.Add(-time.Minute)))
			})}, manualEvents...)},
		// A Job that holds the name and is not the CronJob's is still there.
		"steadycron, a Job of something else holds the name": {now: sched.Add(100 * time.Second), at: sched.Format(time.RFC3339), verdict: VerdictSkipped, reason: "nameConflict",
			contains: []string{"is not controlled by this cronjob"},
			objs: append(slices.Clone(nextTime), other,
				event(minutely, "Normal", "SuccessfulCreate", combinedPrefix+"Created job "+cronjob.JobName(minutely, sched.Add(time.Minute)), sched.Add(-8*time.Minute), sched.Add(time.Minute), 11),
				event(minutely, "Warning", "JobNameConflict", "Not starting job for "+sched.UTC().Format(time.RFC3339)+": job "+name+" exists and is not controlled by this cronjob", sched, sched, 1))},
	}
	for desc, tc := range tests {
		t.Run(desc, tc.check)
	}
}

// TestWhyEverySubMinuteAskedBeforeALaterTimeOfItsMinute: "@every 30s"
// under steadycron; 12:58:30 ran; the controller was down over 12:59:00 and
// at 12:59:30 created the Job of 12:59:30, whose name is 12:59's. Asked
// before 12:59:30, the time is 12:59:00 (at or before TIME), which did not
// run: that Job is not its run.
func TestWhyEverySubMinuteAskedBeforeALaterTimeOfItsMinute(t *testing.T) {
	cj := cronJob("report", "@every 30s", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 3, 16, 12, 59, 30, 0, time.UTC)))
	})
	a := time.Date(2027, 3, 16, 12, 58, 30, 0, time.UTC)
	b := time.Date(2027, 3, 16, 12, 59, 30, 0, time.UTC)
	now := b.Add(20 * time.Second)
	objs := []runtime.Object{cj, job(cj, a, 10*time.Millisecond, time.Second, 5*time.Second, false), job(cj, b, 100*time.Millisecond, time.Second, 5*time.Second, false), lease("steadycron-0", now)}
	tests := map[string]whyCase{
		"asked at 12:59:00": {now: now, at: "2027-03-16T12:59:00Z", objs: objs, scheduled: "2027-03-16T12:59:00Z", notVerdicts: []string{VerdictRan}},
		"asked at 12:59:10": {now: now, at: "2027-03-16T12:59:10Z", objs: objs, scheduled: "2027-03-16T12:59:00Z", notVerdicts: []string{VerdictRan}},
		"asked at 12:59:40": {now: now, at: "2027-03-16T12:59:40Z", objs: objs, scheduled: "2027-03-16T12:59:30Z", verdict: VerdictRan},
	}
	for name, tc := range tests {
		t.Run(name, tc.check)
	}
}

// TestWhyEveryLaterTimeOfTheMinute: "@every 30s" under steadycron; 08:59:30
// ran, no controller synced at 09:00:00 (a leader change), and at 09:00:30
// the controller created the Job of 09:00:30, named after minute 09:00 like
// 09:00:00's. That Job, or its events once it is gone (a TTL of 0), is a
// later time's: it came after 09:00:00's chance had passed, so it neither
// held the name of 09:00:00's Job (no name conflict) nor ran 09:00:00.
// Asked about 09:00:00, the controller's catch-up warning, when there, is
// the answer; asked about 09:00:30, the Job is its run.
func TestWhyEveryLaterTimeOfTheMinute(t *testing.T) {
	before := time.Date(2027, time.March, 16, 8, 59, 30, 0, time.UTC)
	nine := time.Date(2027, time.March, 16, 9, 0, 0, 0, time.UTC)
	later := nine.Add(30 * time.Second)
	now := later.Add(25 * time.Second)
	cj := cronJob("report", "@every 30s", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(later))
	})
	name := cronjob.JobName(cj, nine)
	warning := event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to 2027-03-16T09:00:00Z: a catch-up starts only the most recent scheduled time, 2027-03-16T09:00:30Z", later, later, 1)
	// objs are the facts after 09:00:30's Job was created at created; kept
	// tells whether the Job is still there, warned whether the catch-up
	// warning is.
	objs := func(created time.Time, kept, warned bool) []runtime.Object {
		objs := []runtime.Object{cj, lease("steadycron-0", now), job(cj, before, 10*time.Millisecond, time.Second, 5*time.Second, false),
			event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+name, created, created, 1)}
		if kept {
			objs = append(objs, job(cj, later, created.Sub(later), time.Second, 5*time.Second, false))
		} else {
			objs = append(objs, event(cj, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", created.Add(5*time.Second), created.Add(5*time.Second), 1))
		}
		if warned {
			objs = append(objs, warning)
		}
		return objs
	}
	tests := map[string]whyCase{
		"the later time's Job kept, the catch-up warning": {at: "2027-03-16T09:00:00Z", objs: objs(later, true, true),
			verdict: VerdictSuperseded, reason: "catchUp", notContains: []string{"is the Job of 2027-03-16T09:00:30Z"}},
		"the later time's Job kept, no warning": {at: "2027-03-16T09:00:00Z", objs: objs(later, true, false),
			notVerdicts: []string{VerdictSkipped, VerdictRan}, notContains: []string{"is the Job of 2027-03-16T09:00:30Z"}},
		"the later time's Job gone, the catch-up warning": {at: "2027-03-16T09:00:00Z", objs: objs(later, false, true),
			verdict: VerdictSuperseded, reason: "catchUp", notContains: []string{"Ran as Job"}},
		"the later time's Job gone, no warning": {at: "2027-03-16T09:00:00Z", objs: objs(later, false, false),
			notVerdicts: []string{VerdictRan}, contains: []string{"are dated at or after the later time 2027-03-16T09:00:30Z of the same minute"}},
		"the later time's Job created late, gone": {at: "2027-03-16T09:00:00Z", objs: objs(later.Add(10*time.Second), false, false),
			notVerdicts: []string{VerdictRan}},
		"control: asked about the later time, its Job kept": {at: "2027-03-16T09:00:30Z", objs: objs(later, true, true),
			verdict: VerdictRan, scheduled: "2027-03-16T09:00:30Z"},
		"control: asked about the later time, its Job gone": {at: "2027-03-16T09:00:30Z", objs: objs(later, false, true),
			verdict: VerdictRan, scheduled: "2027-03-16T09:00:30Z", contains: []string{"Ran as Job " + name}},
		"control: the time's own Job gone, created on time": {at: "2027-03-16T09:00:00Z", objs: objs(nine, false, false),
			verdict: VerdictRan, scheduled: "2027-03-16T09:00:00Z", contains: []string{"Ran as Job " + name}},
	}
	for desc, tc := range tests {
		tc.now = now
		t.Run(desc, tc.check)
	}
	// Only the creation bounds a Job to its time. Without the
	// SuccessfulCreate (dropped by the spam filter), a finish at or after
	// 09:00:30 fits 09:00's Job, had it run past 09:00:30 (it then held the
	// name, and 09:00:30 got none), as well as 09:00:30's: neither time Ran
	// by it. A finish before 09:00:30 is 09:00's Job's.
	after := cj.DeepCopy()
	after.Status.LastScheduleTime = ptr.To(metav1.NewTime(later.Add(30 * time.Second)))
	finishedAt := func(finished time.Time) []runtime.Object {
		return []runtime.Object{after, lease("steadycron-0", later.Add(time.Minute)), job(after, before, 10*time.Millisecond, time.Second, 5*time.Second, false),
			job(after, later.Add(30*time.Second), 10*time.Millisecond, time.Second, 0, false),
			event(after, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", finished, finished, 1)}
	}
	either := "fit the Job of another time of the same minute as well"
	for desc, tc := range map[string]whyCase{
		"no creation, finished after the later time, asked about the later time": {at: "2027-03-16T09:00:30Z", objs: finishedAt(nine.Add(45 * time.Second)),
			notVerdicts: []string{VerdictRan}, contains: []string{either}},
		"no creation, finished after the later time, asked about the time": {at: "2027-03-16T09:00:00Z", objs: finishedAt(nine.Add(45 * time.Second)),
			notVerdicts: []string{VerdictRan}, contains: []string{either}, notContains: []string{"so they are about that time's Job"}},
		"control: no creation, finished before the later time, asked about the time": {at: "2027-03-16T09:00:00Z", objs: finishedAt(nine.Add(20 * time.Second)),
			verdict: VerdictRan, contains: []string{"Ran as Job " + name}},
		"control: no creation, finished before the later time, asked about the later time": {at: "2027-03-16T09:00:30Z", objs: finishedAt(nine.Add(20 * time.Second)),
			notVerdicts: []string{VerdictRan}},
	} {
		tc.now = later.Add(time.Minute)
		t.Run(desc, tc.check)
	}
	// The stock controller, successfulJobsHistoryLimit 0: 09:00:00's Job
	// ran 10 s and was deleted at once, so 09:00:30's, of the same name,
	// ran too. The recorder folded the identical events of the two Jobs
	// into counts: SuccessfulCreate first seen 09:00:00, last 09:00:30. The
	// first sighting is 09:00:00's creation, and the first sightings of the
	// steps before 09:00:30 are its Job's.
	limit0 := cj.DeepCopy()
	limit0.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](0)
	limit0.Status.LastScheduleTime = ptr.To(metav1.NewTime(nine.Add(90 * time.Second)))
	folded := func(runs int32) []runtime.Object {
		last := nine
		if runs == 2 {
			last = later
		}
		return []runtime.Object{limit0,
			event(limit0, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+name, nine, last, runs),
			event(limit0, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", nine.Add(10*time.Second), last.Add(10*time.Second), runs),
			event(limit0, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job "+name, nine.Add(10*time.Second), last.Add(10*time.Second), runs),
		}
	}
	for desc, tc := range map[string]whyCase{
		"two runs of the name folded, asked about the first": {at: "2027-03-16T09:00:00Z", objs: folded(2),
			verdict: VerdictRan, contains: []string{"Ran as Job " + name, "deleted it at 2027-03-16T09:00:10Z", "saw it at 2027-03-16T09:00:10Z"},
			notContains: []string{"none names this time", "09:00:40"}},
		"two runs of the name folded, asked about the later": {at: "2027-03-16T09:00:30Z", objs: folded(2),
			verdict: VerdictRan, contains: []string{"Ran as Job " + name, "deleted it at 2027-03-16T09:00:40Z"}},
		"control: one run of the name": {at: "2027-03-16T09:00:00Z", objs: folded(1),
			verdict: VerdictRan, contains: []string{"Ran as Job " + name, "deleted it at 2027-03-16T09:00:10Z"}},
	} {
		tc.now = nine.Add(2 * time.Minute)
		t.Run(desc, tc.check)
	}
	// "@every 20s": the three times of 09:00 ran, their events folded
	// (count 3, 09:00:00 to 09:00:40). The middle sighting, not dated, is a
	// creation of the name for 09:00:20, or for nothing else between: that
	// time's Job may be among them, not "none names this time".
	every20 := limit0.DeepCopy()
	every20.Spec.Schedule = "@every 20s"
	every20.Status.LastScheduleTime = ptr.To(metav1.NewTime(nine.Add(80 * time.Second)))
	threeRuns := []runtime.Object{every20,
		event(every20, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+name, nine, nine.Add(40*time.Second), 3),
		event(every20, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", nine.Add(10*time.Second), nine.Add(50*time.Second), 3),
		event(every20, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job "+name, nine.Add(10*time.Second), nine.Add(50*time.Second), 3),
	}
	for desc, tc := range map[string]whyCase{
		"three runs of the name folded, asked about the middle": {at: "2027-03-16T09:00:20Z", objs: threeRuns,
			notVerdicts: []string{VerdictSkipped}, contains: []string{"counted 3 times from 2027-03-16T09:00:00Z to 2027-03-16T09:00:40Z", "whether one was this time's is not known"},
			notContains: []string{"none names this time", "so they are about that time's Job"}},
		"three runs of the name folded, asked about the first": {at: "2027-03-16T09:00:00Z", objs: threeRuns,
			verdict: VerdictRan, contains: []string{"deleted it at 2027-03-16T09:00:10Z"}},
		"three runs of the name folded, asked about the last": {at: "2027-03-16T09:00:40Z", objs: threeRuns,
			verdict: VerdictRan, contains: []string{"deleted it at 2027-03-16T09:00:50Z"}},
	} {
		tc.now = nine.Add(2 * time.Minute)
		t.Run(desc, tc.check)
	}
	t.Run("two runs of the name folded: the evidence shows the events as recorded", func(t *testing.T) {
		got := whyJSON(t, nine.Add(2*time.Minute), "report", "2027-03-16T09:00:00Z", folded(2)...)
		assert.Contains(t, strings.Join(got.Evidence, "\n"), `"Created job `+name+`" (2 times, 2027-03-16T09:00:00Z to 2027-03-16T09:00:30Z)`)
	})
}

// TestWhyNearestTimesOfAnEverySchedule: an @every CronJob's times count from
// its creation (or its last schedule time), as the controller counts them:
// why's nearest times are those, not the time asked about plus the delay (a
// CronJob "@every 90s" created 17:31:26 runs at 17:32:56, not at 90 s after
// the time asked about).
func TestWhyNearestTimesOfAnEverySchedule(t *testing.T) {
	created := time.Date(2027, time.March, 16, 17, 31, 26, 0, time.UTC)
	first := created.Add(90 * time.Second) // 17:32:56
	cj := cronJob("report", "@every 90s", func(cj *batchv1.CronJob) {
		cj.Spec.TimeZone = nil
		cj.CreationTimestamp = metav1.NewTime(created)
	})
	ran := cj.DeepCopy()
	ran.Status.LastScheduleTime = ptr.To(metav1.NewTime(first))
	tests := map[string]struct {
		now     time.Time
		at      string
		objs    []runtime.Object
		verdict string
		nearest []string
	}{
		"no time yet: the next is the creation plus the delay": {
			now: created.Add(11 * time.Second), objs: []runtime.Object{cj, lease("steadycron-0", created.Add(10*time.Second))},
			verdict: VerdictNoScheduleTime, nearest: []string{"2027-03-16T17:32:56Z"},
		},
		"--at between two times: after is the time after the last run": {
			now: first.Add(10 * time.Second), at: "2027-03-16T17:33:30Z",
			objs:    []runtime.Object{ran, job(ran, first, 0, time.Second, 5*time.Second, false), lease("steadycron-0", first.Add(9*time.Second))},
			verdict: VerdictNotScheduled, nearest: []string{"2027-03-16T17:32:56Z", "2027-03-16T17:34:26Z"},
		},
		"--at before the first time": {
			now: first.Add(10 * time.Second), at: "2027-03-16T17:31:50Z",
			objs:    []runtime.Object{ran, job(ran, first, 0, time.Second, 5*time.Second, false), lease("steadycron-0", first.Add(9*time.Second))},
			verdict: VerdictNotScheduled, nearest: []string{"2027-03-16T17:32:56Z"},
		},
	}
	for desc, tc := range tests {
		t.Run(desc, func(t *testing.T) {
			got := whyJSON(t, tc.now, "report", tc.at, tc.objs...)
			assert.Equal(t, tc.verdict, got.Verdict, got.Explanation)
			var nearest []string
			for _, n := range got.Nearest {
				nearest = append(nearest, n.UTC)
			}
			assert.Equal(t, tc.nearest, nearest, got.Explanation)
		})
	}
}

// TestGatherListsOnlyThePodsOfTheCronJobsJobs: status and why read the pods
// of the CronJob's Jobs by the Job controller's selectors, not every pod of
// the namespace (a namespace of a large workload holds thousands): one
// set-based list per label key, the pre-1.27 controller-uid key included, and
// a Job with a manual selector by its own.
func TestGatherListsOnlyThePodsOfTheCronJobsJobs(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	current := job(cj, at(2, 30, 14), 0, time.Second, time.Minute, false)
	legacy := job(cj, at(2, 30, 15), 0, time.Second, time.Minute, false)
	legacy.Spec.Selector.MatchLabels = map[string]string{legacyControllerUIDLabel: string(legacy.UID)}
	manual := job(cj, at(2, 30, 16), 0, time.Second, time.Minute, false)
	manual.Spec.ManualSelector = ptr.To(true)
	manual.Spec.Selector.MatchLabels = map[string]string{"run": "manual-16"}
	currentPod := pod(current, at(2, 30, 14), at(2, 31, 14))
	legacyPod := pod(legacy, at(2, 30, 15), at(2, 31, 15))
	legacyPod.Labels = map[string]string{legacyControllerUIDLabel: string(legacy.UID)}
	manualPod := pod(manual, at(2, 30, 16), at(2, 31, 16))
	manualPod.Labels = map[string]string{"run": "manual-16"}
	other := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-0", Namespace: ns, Labels: map[string]string{"app": "web"}}}

	assert.Equal(t, []string{
		"run=manual-16",
		batchv1.ControllerUidLabel + " in (" + string(current.UID) + ")",
		legacyControllerUIDLabel + " in (" + string(legacy.UID) + ")",
	}, podSelectors([]batchv1.Job{*current, *legacy, *manual}))

	o, _ := newTestOptions(at(9, 0, 16), cj, current, legacy, manual, currentPod, legacyPod, manualPod, other)
	var selectors []string
	o.Client.(*fake.Clientset).PrependReactor("list", "pods", func(action clienttesting.Action) (bool, runtime.Object, error) {
		selectors = append(selectors, action.(clienttesting.ListActionImpl).ListOptions.LabelSelector)
		return false, nil, nil
	})
	f, err := o.gather(t.Context(), cj)
	require.NoError(t, err)
	assert.Len(t, selectors, 3)
	assert.NotContains(t, selectors, "", "listed every pod of the namespace")
	for _, j := range []*batchv1.Job{current, legacy, manual} {
		if assert.Len(t, f.pods[string(j.UID)], 1, j.Name) {
			assert.Equal(t, j.Name+"-abcde", f.pods[string(j.UID)][0].Name)
		}
	}
	assert.Len(t, f.pods, 3, "the other workload's pod")
}

// TestWhyPodsNotRunning: the most common answer to "why didn't my cron
// run?" on a real cluster is a Job whose app never started. For an
// unfinished Job why says why: a pod's container waiting (ImagePullBackOff),
// a pod not scheduled (its PodScheduled condition), or no pod at all, with
// the warnings of the Job's events (the Job controller's FailedCreate when
// PodSecurity admission or a ResourceQuota refuses its pods). A Job created
// moments ago without a pod yet, a running app and a suspended Job get no
// such words.
func TestWhyPodsNotRunning(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	s := at(2, 30, 16)
	now := at(9, 0, 16)
	pending := func(mutate func(*corev1.Pod)) (*batchv1.Job, *corev1.Pod) {
		j := job(cj, s, 10*time.Millisecond, 0, 0, false)
		j.Status.Ready = ptr.To[int32](0)
		p := pod(j, s, s)
		p.Status.Phase = corev1.PodPending
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{}
		mutate(p)
		return j, p
	}
	noPod := func() *batchv1.Job {
		j := job(cj, s, 10*time.Millisecond, 0, 0, false)
		j.Status.Active = 0
		return j
	}
	refused := func(j *batchv1.Job) *corev1.Event {
		return &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: j.Name + ".failedcreate", Namespace: ns},
			InvolvedObject: corev1.ObjectReference{Kind: "Job", Name: j.Name, Namespace: ns, UID: j.UID, APIVersion: "batch/v1"},
			Type:           corev1.EventTypeWarning, Reason: "FailedCreate", Count: 40,
			Message:        `Error creating: pods "` + j.Name + `-abcde" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true`,
			FirstTimestamp: metav1.NewTime(s), LastTimestamp: metav1.NewTime(at(8, 55, 16)),
		}
	}
	imagePull, imagePullPod := pending(func(p *corev1.Pod) {
		p.Status.ContainerStatuses[0].State.Waiting = &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: `Back-off pulling image "registry.example/report:v2"`}
	})
	unschedulable, unschedulablePod := pending(func(p *corev1.Pod) {
		p.Status.ContainerStatuses = nil
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable",
			Message: "0/3 nodes are available: 3 Insufficient memory.", LastTransitionTime: metav1.NewTime(s)}}
	})
	withoutPod := noPod()
	justCreated := job(cj, at(8, 59, 16), 10*time.Millisecond, 0, 0, false)
	justCreated.Status.Active = 0
	justCreatedCJ := cronJob("report", "59 8 * * *")
	suspendedJob := noPod()
	suspendedJob.Spec.Suspend = ptr.To(true)
	// The Job's spec says why it has no pod: MultiKueue runs it in a worker
	// cluster (the built-in Job controller leaves it alone), or it is paused
	// by parallelism 0.
	multiKueue := noPod()
	multiKueue.Spec.ManagedBy = ptr.To("kueue.x-k8s.io/multikueue")
	paused := noPod()
	paused.Spec.Parallelism = ptr.To[int32](0)
	// The app container runs since 02:30:01; a native sidecar (an init
	// container with restartPolicy Always: a log shipper, a mesh proxy) is
	// in CrashLoopBackOff.
	sidecar := job(cj, s, 10*time.Millisecond, time.Second, 0, false)
	sidecar.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "proxy", Image: "proxy", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)}}
	sidecarPod := pod(sidecar, s, s)
	sidecarPod.Status.Phase = corev1.PodRunning
	sidecarPod.Status.ContainerStatuses[0].State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(s.Add(time.Second))}}
	sidecarPod.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "proxy", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s restarting failed container=proxy"}}}}
	for name, tc := range map[string]struct {
		cj          *batchv1.CronJob
		objs        []runtime.Object
		refuse      func(*fake.Clientset)
		contains    []string
		notContains []string
		missing     string
	}{
		"ImagePullBackOff": {cj: cj, objs: []runtime.Object{imagePull, imagePullPod},
			contains: []string{"Its app is not running: pod " + imagePullPod.Name + "'s container app is waiting: ImagePullBackOff (Back-off pulling image"}},
		"Unschedulable": {cj: cj, objs: []runtime.Object{unschedulable, unschedulablePod},
			contains:    []string{"pod " + unschedulablePod.Name + " is not scheduled (for 6h30m): Unschedulable: 0/3 nodes are available: 3 Insufficient memory."},
			notContains: []string{"memory.."}},
		"no pod, FailedCreate on the Job": {cj: cj, objs: []runtime.Object{withoutPod, refused(withoutPod)},
			contains: []string{"It has no pod, 6h30m after its creation: the Job controller cannot create them (FailedCreate: Error creating: pods", "violates PodSecurity"}},
		"no pod, no event": {cj: cj, objs: []runtime.Object{withoutPod},
			contains: []string{"It has no pod, 6h30m after its creation; no warning of the Job says why"}},
		"no pod, managedBy another controller": {cj: cj, objs: []runtime.Object{multiKueue},
			contains: []string{`It has no pod, 6h30m after its creation: its spec.managedBy is "kueue.x-k8s.io/multikueue"`}, notContains: []string{"no warning of the Job says why"}},
		"no pod, parallelism 0": {cj: cj, objs: []runtime.Object{paused},
			contains: []string{"It has no pod, 6h30m after its creation: its spec.parallelism is 0"}, notContains: []string{"no warning of the Job says why"}},
		"no pod, events refused": {cj: cj, objs: []runtime.Object{withoutPod}, refuse: forbid("list", "events"),
			contains: []string{"It has no pod", "could not be read"}, missing: "events of Job " + withoutPod.Name},
		"no pod yet": {cj: justCreatedCJ, objs: []runtime.Object{justCreated},
			notContains: []string{"no pod"}},
		"suspended Job": {cj: cj, objs: []runtime.Object{suspendedJob},
			notContains: []string{"It has no pod"}},
		"running": {cj: cj, objs: []runtime.Object{job(cj, s, 10*time.Millisecond, time.Second, 0, false)},
			notContains: []string{"not running", "no pod"}},
		"the app runs, a native sidecar waits": {cj: cj, objs: []runtime.Object{sidecar, sidecarPod},
			contains:    []string{"Its app runs, beside another container that does not: pod " + sidecarPod.Name + "'s container proxy is waiting: CrashLoopBackOff"},
			notContains: []string{"Its app is not running"}},
	} {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(now, append([]runtime.Object{tc.cj, lease("steadycron-0", now)}, tc.objs...)...)
			if tc.refuse != nil {
				tc.refuse(o.Client.(*fake.Clientset))
			}
			require.NoError(t, execute(t, o, "why", "report", "-o", "json"))
			var got Why
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			assert.Equal(t, VerdictRunning, got.Verdict, got.Explanation)
			text := got.Explanation + " " + strings.Join(got.Evidence, " ")
			for _, c := range tc.contains {
				assert.Contains(t, text, c)
			}
			for _, c := range tc.notContains {
				assert.NotContains(t, text, c)
			}
			if tc.missing != "" {
				assert.Contains(t, strings.Join(got.Missing, " "), tc.missing)
			}
		})
	}
}

// TestWhyNoControllerEverRanIt: a daily CronJob created 15 days ago that
// never ran (no status.lastScheduleTime, no Job, no event) in a cluster
// without steadycron's Lease: no controller runs it (kube-controller-manager's
// is disabled by --controllers=-cronjob, as steadycron's install asks, and
// steadycron is gone or never started). A running controller syncs it at
// each of its times, so the deadline explains none of them: why says no
// controller appears to have run it since its creation. Any sign of a
// controller, a fact it could not read, or a single time so far keeps the
// other answers.
func TestWhyNoControllerEverRanIt(t *testing.T) {
	now := at(9, 0, 16)
	daily := cronJob("report", "30 2 * * *") // created 2027-03-01, deadline 300 s
	noDeadline := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil })
	yesterday := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.CreationTimestamp = metav1.NewTime(at(9, 0, 15)) })
	ran := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 10))) })
	for name, tc := range map[string]struct {
		objs   []runtime.Object
		refuse func(*fake.Clientset)
		never  bool
	}{
		"never ran":                {objs: []runtime.Object{daily}, never: true},
		"never ran, no deadline":   {objs: []runtime.Object{noDeadline}, never: true},
		"only manual Jobs":         {objs: []runtime.Object{daily, manualJob(daily, at(10, 0, 10))}, never: true},
		"one time so far":          {objs: []runtime.Object{yesterday}},
		"ran once":                 {objs: []runtime.Object{ran}},
		"an event of a controller": {objs: []runtime.Object{daily, event(daily, "Warning", "MissSchedule", "Missed scheduled time to start a job: 2027-03-10T07:30:00Z", at(8, 30, 16), at(8, 30, 16), 1)}},
		"steadycron's Lease":       {objs: []runtime.Object{daily, lease("steadycron-0", at(9, 0, 1))}},
		"events refused":           {objs: []runtime.Object{daily}, refuse: forbid("list", "events")},
		"Lease refused":            {objs: []runtime.Object{daily}, refuse: forbid("get", "leases")},
	} {
		t.Run(name, func(t *testing.T) {
			o, out := newTestOptions(now, tc.objs...)
			if tc.refuse != nil {
				tc.refuse(o.Client.(*fake.Clientset))
			}
			require.NoError(t, execute(t, o, "why", "report", "-o", "json"))
			var got Why
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			if !tc.never {
				assert.NotEqual(t, "noController", got.Reason, got.Explanation)
				return
			}
			assert.Equal(t, VerdictNoDecision, got.Verdict, got.Explanation)
			assert.Equal(t, "noController", got.Reason, got.Explanation)
			assert.Contains(t, got.Explanation, "No controller appears to have run this CronJob since its creation (2027-03-01T00:00:00Z): it never ran, though 16 of its scheduled times came since")
		})
	}
}

// TestRunPodReason: status's RESULT, and why's answer for a failed run, say
// what the pods say of a run that did not go well.
func TestRunPodReason(t *testing.T) {
	cj := cronJob("report", "30 2 * * *")
	s := at(2, 30, 16)
	failedPod := func(j *batchv1.Job, reason string, exitCode int32, finished time.Duration) corev1.Pod {
		p := pod(j, s, s.Add(finished))
		p.Name += reason
		p.Status.Phase = corev1.PodFailed
		p.Status.ContainerStatuses[0].State.Terminated.Reason = reason
		p.Status.ContainerStatuses[0].State.Terminated.ExitCode = exitCode
		return *p
	}
	failed := job(cj, s, 10*time.Millisecond, time.Second, time.Minute, true)
	failed.Status.Conditions[0].Reason = "BackoffLimitExceeded"
	pending := job(cj, s, 10*time.Millisecond, 0, 0, false)
	pending.Status.Ready = ptr.To[int32](0)
	waiting := func(reason string) corev1.Pod {
		p := pod(pending, s, s)
		p.Status.Phase = corev1.PodPending
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
		return *p
	}
	evicted := *pod(failed, s, s)
	evicted.Status = corev1.PodStatus{Phase: corev1.PodFailed, Reason: "Evicted"}
	// The kubelet's node-pressure eviction of a pod whose app runs kills the
	// app (SIGKILL: reason Error, exit code 137) and sets the pod's reason.
	killedFor := func(reason string) corev1.Pod {
		p := failedPod(failed, "Error", 137, 40*time.Second)
		p.Status.Reason = reason
		p.Status.Message = "The node was low on resource: memory."
		return p
	}
	tests := map[string]struct {
		job  *batchv1.Job
		pods []corev1.Pod
		want string // RESULT
	}{
		"failed, the last pod's app OOMKilled": {
			job:  failed,
			pods: []corev1.Pod{failedPod(failed, "Error", 1, 10*time.Second), failedPod(failed, "OOMKilled", 137, 50*time.Second)},
			want: "Failed (BackoffLimitExceeded; OOMKilled, exit code 137)",
		},
		"failed, a pod evicted before its app ran": {
			job: failed, pods: []corev1.Pod{evicted},
			want: "Failed (BackoffLimitExceeded; Evicted)",
		},
		"failed, a pod evicted while its app ran": {
			job: failed, pods: []corev1.Pod{failedPod(failed, "Error", 1, 10*time.Second), killedFor("Evicted")},
			want: "Failed (BackoffLimitExceeded; Evicted: app Error, exit code 137)",
		},
		"failed, a pod past its activeDeadlineSeconds": {
			job: failed, pods: []corev1.Pod{killedFor("DeadlineExceeded")},
			want: "Failed (BackoffLimitExceeded; DeadlineExceeded: app Error, exit code 137)",
		},
		"failed, no pod left": {
			job: failed, want: "Failed (BackoffLimitExceeded)",
		},
		"pending, its image cannot be pulled": {
			job: pending, pods: []corev1.Pod{waiting("ImagePullBackOff")},
			want: "Pending (ImagePullBackOff)",
		},
		"pending, its container being created: nothing to say": {
			job: pending, pods: []corev1.Pod{waiting("ContainerCreating")},
			want: "Pending",
		},
		"complete: nothing to say": {
			job:  job(cj, s, 10*time.Millisecond, time.Second, time.Minute, false),
			pods: []corev1.Pod{failedPod(failed, "Error", 1, 10*time.Second)},
			want: "Complete",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := &facts{cj: cj, pods: map[string][]corev1.Pod{string(tc.job.UID): tc.pods}}
			sched, err := parseSchedule(cj, "UTC")
			require.NoError(t, err)
			assert.Equal(t, tc.want, resultText(f.run(sched, tc.job)))
		})
	}
}

// TestStockControllerAroundClockChanges: without steadycron (no Lease, Jobs
// without steadycron.io/expected-start) the stock CronJob controller runs
// the CronJob, with robfig/cron's times (docs/semantics.md, "Differs from
// upstream", kubernetes/kubernetes#121594): it never runs a fixed time the
// clocks skip, and runs one they repeat twice. why, next and status answer
// with those times, not steadycron's (review 18g):
//   - 30 2 * * * in New York did not run on 2027-03-14 (02:00-03:00 skipped):
//     no "runs at the change", no deadline miss, no missing controller;
//   - 30 1 * * * ran at 01:30 EDT and 01:30 EST on 2027-11-07: the second
//     is no sign of a schedule change.
func TestStockControllerAroundClockChanges(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	gap := func(deadline *int64) []runtime.Object {
		cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = deadline
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(13, 2, 30)))
		})
		return []runtime.Object{cj, stockJob(cj, d(12, 2, 30), time.Minute), stockJob(cj, d(13, 2, 30), time.Minute)}
	}
	wrong := []string{"a time in the gap runs at the change", "past its starting deadline", "no controller decided", "is a CronJob controller running"}
	edt, est := time.FixedZone("EDT", -4*3600), time.FixedZone("EST", -5*3600)
	first, second := time.Date(2027, 11, 7, 1, 30, 0, 0, edt), time.Date(2027, 11, 7, 1, 30, 0, 0, est)
	repeated := cronJob("report", "30 1 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(second))
	})
	tests := map[string]whyCase{
		"spring gap, no deadline, the latest time": {now: d(14, 10, 0), objs: gap(nil), verdict: VerdictRan, notContains: wrong,
			contains: []string{"On 2027-03-14 the clocks went forward over the schedule's time, and the stock CronJob controller, which runs this CronJob, never runs a fixed time the clocks skip"}},
		"spring gap, startingDeadlineSeconds 300, the latest time": {now: d(14, 10, 0), objs: gap(ptr.To[int64](300)), verdict: VerdictRan, notContains: wrong,
			contains: []string{"never runs a fixed time the clocks skip"}},
		"spring gap, no deadline, --at the skipped time": {now: d(14, 10, 0), at: "2027-03-14T02:30:00-05:00", objs: gap(nil), verdict: VerdictNotScheduled, notContains: wrong,
			contains: []string{"the stock CronJob controller", "never runs a fixed time the clocks skip: it ran nothing for it that day"}},
		"spring gap, startingDeadlineSeconds 300, --at the skipped time": {now: d(14, 10, 0), at: "2027-03-14T02:30:00-05:00", objs: gap(ptr.To[int64](300)), verdict: VerdictNotScheduled, notContains: wrong},
		"repeated hour, --at the second occurrence": {now: time.Date(2027, 11, 7, 9, 0, 0, 0, est), at: "2027-11-07T01:30:00-05:00", verdict: VerdictRan,
			notContains: []string{"the schedule changed since", "controller's zone"},
			objs:        []runtime.Object{repeated, stockJob(repeated, first.In(nyc), time.Minute), stockJob(repeated, second.In(nyc), time.Minute)}},
		// steadycron runs the first occurrence only: the second is no time.
		"repeated hour under steadycron, --at the second occurrence": {now: time.Date(2027, 11, 7, 9, 0, 0, 0, est), at: "2027-11-07T01:30:00-05:00", verdict: VerdictNotScheduled,
			objs: []runtime.Object{repeated, lease("steadycron-0", time.Date(2027, 11, 7, 9, 0, 0, 0, est)), job(repeated, first.In(nyc), 10*time.Millisecond, time.Second, time.Minute, false)}},
	}
	for name, tc := range tests {
		t.Run(name, tc.check)
	}
	// next and status, the day before, do not list 03:00 EDT as a run.
	for _, args := range [][]string{{"next", "report"}, {"status", "report"}} {
		t.Run(args[0], func(t *testing.T) {
			o, out := newTestOptions(d(13, 12, 0), gap(nil)...)
			require.NoError(t, execute(t, o, args...))
			assert.NotContains(t, out.String(), "it runs at 03:00 instead")
			assert.NotContains(t, out.String(), "2027-03-14T03:00:00-04:00")
			assert.Contains(t, out.String(), "02:00–03:00 does not exist that day: no run then")
		})
	}
}

// TestWhyJudgesEachTimeByTheControllerThatMadeItsJob: a CronJob that steadycron ran (its Jobs
// carry steadycron.io/expected-start) and that the stock controller runs now
// (no Lease, the latest Job without the annotation). The times before the
// switch are steadycron's: a Job of them is what happened.
func TestWhyJudgesEachTimeByTheControllerThatMadeItsJob(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(16, 2, 30)))
	})
	// steadycron ran 2027-03-14's 02:30, which the clocks skipped, at the
	// change (03:00 EDT); the stock controller ran 15 and 16.
	objs := []runtime.Object{cj,
		job(cj, d(13, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false),
		job(cj, d(14, 3, 0), 10*time.Millisecond, time.Second, time.Minute, false),
		stockJob(cj, d(15, 2, 30), time.Minute), stockJob(cj, d(16, 2, 30), time.Minute)}
	tests := map[string]whyCase{
		// HIGH: "the stock controller never runs it: it ran nothing for it
		// that day", beside the Job that ran it.
		"--at the skipped wall time, steadycron's Job of the change is there": {now: d(16, 10, 0), at: "2027-03-14T02:30:00-05:00", objs: objs,
			verdict: VerdictRan, notContains: []string{"ran nothing for it that day"}},
		// MED: the Job of the change is no sign of a schedule change.
		"--at the change, steadycron's Job is there": {now: d(16, 10, 0), at: "2027-03-14T03:00:00-04:00", objs: objs,
			verdict: VerdictRan, notContains: []string{"the schedule changed since"}},
		// The Jobs of 12 and 13 are from a controller that wrote no
		// scheduled timestamp (preAnnotationJob), steadycron leads now:
		// its nameConflict takes such a Job for the time's, and so does why.
		"steadycron now, the time's Job without the scheduled timestamp": {now: d(16, 10, 0), at: "2027-03-13T02:30:00-05:00",
			objs:    []runtime.Object{cj, preAnnotationJob(cj, d(12, 2, 30), time.Minute), preAnnotationJob(cj, d(13, 2, 30), time.Minute), job(cj, d(16, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false), lease("steadycron-0", d(16, 10, 0))},
			verdict: VerdictRan, contains: []string{"Ran as Job report-" + itoa(d(13, 2, 30).Unix()/60)}, notContains: []string{"made by hand"}},
		// Under the stock controller with such Jobs only, the latest is a
		// run of its time, not one made by hand.
		"the stock controller's Jobs without the scheduled timestamp": {now: d(16, 10, 0),
			objs:    []runtime.Object{cj, preAnnotationJob(cj, d(15, 2, 30), time.Minute), preAnnotationJob(cj, d(16, 2, 30), time.Minute)},
			verdict: VerdictRan, contains: []string{"report-" + itoa(d(16, 2, 30).Unix()/60)}, notContains: []string{"made by hand"}},
		// A Job without the annotation under the name of a minute that is
		// no time of today's schedule is an older controller's Job of that
		// minute (of the schedule it had then), not the Job of 02:30.
		"a Job named for a minute that is no time of the schedule": {now: d(16, 10, 0), at: "2027-03-13T02:30:00-05:00",
			objs:        []runtime.Object{cj, preAnnotationJob(cj, d(13, 2, 31), time.Minute), lease("steadycron-0", d(16, 10, 0))},
			notVerdicts: []string{VerdictRan}},
	}
	for name, tc := range tests {
		t.Run(name, tc.check)
	}
}

// TestWhyPreAnnotationJobsByName: Jobs of a kube-controller-manager that
// wrote no scheduled timestamp (before 1.28, or the gate off) are its Jobs
// of the minutes their names give (scheduledTimeOf), whatever today's
// schedule and --controller-time-zone say: each case is answered as with
// the annotation (the stock controller's Jobs since 1.28).
func TestWhyPreAnnotationJobsByName(t *testing.T) {
	tests := map[string]func(mk func(*batchv1.CronJob, time.Time, time.Duration) *batchv1.Job) whyCase{
		// "@every 90s": the 12:58:30 Job is NAME-<minute 12:58>. Its time is
		// the schedule's in that minute, not 12:58:00, no time of it.
		"@every 90s, the name gives the minute only": func(mk func(*batchv1.CronJob, time.Time, time.Duration) *batchv1.Job) whyCase {
			cj := cronJob("report", "@every 90s", func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = nil
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 3, 16, 13, 0, 0, 0, time.UTC)))
			})
			a := time.Date(2027, 3, 16, 12, 58, 30, 0, time.UTC)
			b := a.Add(90 * time.Second)
			return whyCase{now: b.Add(30 * time.Second), at: "2027-03-16T12:58:30Z",
				objs:    []runtime.Object{cj, mk(cj, a, 5*time.Second), mk(cj, b, 5*time.Second)},
				verdict: VerdictRan, notContains: []string{"12:58:00"}, statusNotContains: "2027-03-16T12:58:00Z"}
		},
		// "0 * * * *" until 08:40, "30 * * * *" since: the Jobs of 07:00
		// and 08:00 are the controller's, of the schedule it had then.
		"a schedule edited since": func(mk func(*batchv1.CronJob, time.Time, time.Duration) *batchv1.Job) whyCase {
			cj := cronJob("report", "30 * * * *", func(cj *batchv1.CronJob) {
				cj.ManagedFields = managedSchedule(at(8, 40, 16))
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
				cj.Spec.StartingDeadlineSeconds = nil
			})
			return whyCase{now: at(8, 50, 16), at: "2027-03-16T07:00:00-04:00",
				objs:    []runtime.Object{cj, mk(cj, at(7, 0, 16), time.Minute), mk(cj, at(8, 0, 16), time.Minute)},
				verdict: VerdictRan, notContains: []string{"no Job and no event"}, statusNotContains: "manual "}
		},
		// 01:30 America/New_York happens twice on 2027-11-07 and the stock
		// controller runs both: the second is its Job too.
		"the fall-back hour's second 01:30": func(mk func(*batchv1.CronJob, time.Time, time.Duration) *batchv1.Job) whyCase {
			cj := cronJob("report", "30 1 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.StartingDeadlineSeconds = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 11, 7, 6, 30, 0, 0, time.UTC)))
			})
			first := time.Date(2027, 11, 7, 1, 30, 0, 0, nyc)
			return whyCase{now: time.Date(2027, 11, 7, 9, 0, 0, 0, nyc), at: "2027-11-07T01:30:00-05:00",
				objs:    []runtime.Object{cj, mk(cj, first, time.Minute), mk(cj, first.Add(time.Hour), time.Minute)},
				verdict: VerdictRan, notContains: []string{"made by hand"}, statusContains: "2027-11-07T01:30:00-05:00   report-30426150"}
		},
		// No spec.timeZone, run by a controller in Europe/Berlin (its host's
		// TZ): its Jobs' times are no times in UTC, --controller-time-zone's
		// default.
		"a controller in another zone": func(mk func(*batchv1.CronJob, time.Time, time.Duration) *batchv1.Job) whyCase {
			cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.TimeZone = nil
				cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 3, 17, 2, 30, 0, 0, berlin)))
			})
			return whyCase{now: time.Date(2027, 3, 17, 9, 0, 0, 0, time.UTC), at: "2027-03-17T02:30:00Z",
				objs: []runtime.Object{cj,
					mk(cj, time.Date(2027, 3, 16, 2, 30, 0, 0, berlin), time.Minute),
					mk(cj, time.Date(2027, 3, 17, 2, 30, 0, 0, berlin), time.Minute)},
				verdict: VerdictUnknown, reason: "controllerTimeZone", statusContains: "controller-time-zone"}
		},
	}
	for name, tc := range tests {
		for kind, mk := range map[string]func(*batchv1.CronJob, time.Time, time.Duration) *batchv1.Job{"without the annotation": preAnnotationJob, "with the annotation": stockJob} {
			t.Run(name+", "+kind, tc(mk).check)
		}
	}
}

// TestWhyAnnotationsCopiedFromTheTemplate: a jobTemplate made from a Job's
// YAML carries that Job's annotations, which the controllers copy onto each
// Job (writing their own scheduled-timestamp, and steadycron its own
// expected-start, over them). A copied value is not the Job's: a
// scheduled-timestamp counts under the controller's name of its time only,
// an expected-start only where it names the scheduled-timestamp's instant,
// a first-running only at or after the Job's creation, or before it by less
// than 2 minutes or the node lag its pods show (a node clock behind) and not
// the template's value: a copy is
// an earlier Job's start, before the copying Job's creation, whatever the
// template carries now; the Job the template was made from keeps its own.
func TestWhyAnnotationsCopiedFromTheTemplate(t *testing.T) {
	daily := func(annotations map[string]string) *batchv1.CronJob {
		return cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
			cj.Spec.JobTemplate.Annotations = annotations
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 17)))
		})
	}
	withTemplate := func(cj *batchv1.CronJob, j *batchv1.Job) *batchv1.Job {
		for k, v := range cj.Spec.JobTemplate.Annotations {
			if _, own := j.Annotations[k]; !own {
				j.Annotations[k] = v
			}
		}
		return j
	}
	stamp16, stamp15 := "2027-03-16T02:30:00-04:00", "2027-03-15T02:30:00-04:00"
	tests := map[string]func() whyCase{}
	for _, stamp := range []string{stamp16, stamp15} {
		// steadycron's Job of the 16th has the template's value because it
		// is that time.
		tests["scheduled-timestamp "+stamp+", steadycron"] = func() whyCase {
			cj := daily(map[string]string{batchv1.CronJobScheduledTimestampAnnotation: stamp})
			now := at(9, 0, 17)
			return whyCase{now: now, at: stamp16,
				objs: []runtime.Object{cj,
					job(cj, at(2, 30, 16), 0, time.Second, time.Minute, false),
					job(cj, at(2, 30, 17), 0, time.Second, time.Minute, false),
					lease("steadycron-0", now)},
				verdict: VerdictRan, notContains: []string{"made by hand"}}
		}
		tests["scheduled-timestamp "+stamp+", the stock controller"] = func() whyCase {
			cj := daily(map[string]string{batchv1.CronJobScheduledTimestampAnnotation: stamp})
			return whyCase{now: at(9, 0, 17), at: stamp16,
				objs:    []runtime.Object{cj, stockJob(cj, at(2, 30, 16), time.Minute), stockJob(cj, at(2, 30, 17), time.Minute)},
				verdict: VerdictRan, notContains: []string{"made by hand"}, statusContains: stamp16 + "   report-30086310"}
		}
	}
	for name, annotations := range map[string]map[string]string{"expected-start": {"steadycron.io/expected-start": "2027-03-15T06:30:00Z"}, "no annotation": nil} {
		// The stock controller copies a stale expected-start onto each Job.
		tests[name+" in the template, the stock controller"] = func() whyCase {
			cj := daily(annotations)
			return whyCase{now: at(9, 0, 17), at: stamp16,
				objs:    []runtime.Object{cj, withTemplate(cj, stockJob(cj, at(2, 30, 16), time.Minute)), withTemplate(cj, stockJob(cj, at(2, 30, 17), time.Minute))},
				verdict: VerdictRan, statusContains: stamp16 + "   report-30086310", noteNotContains: "without leader election"}
		}
	}
	for name, annotations := range map[string]map[string]string{"first-running": {"steadycron.io/first-running": "2027-03-15T06:30:05Z"}, "no annotation": nil} {
		// steadycron's 17th Job, no pod yet at 02:45: the job tracker has
		// not written over the copied first-running.
		tests[name+" in the template, a Job without a pod"] = func() whyCase {
			cj := daily(annotations)
			now := at(2, 45, 17)
			return whyCase{now: now,
				objs:    []runtime.Object{cj, job(cj, at(2, 30, 16), 0, 5*time.Second, time.Minute, false), withTemplate(cj, job(cj, at(2, 30, 17), 0, 0, 0, false)), lease("steadycron-0", now)},
				verdict: VerdictRunning, notContains: []string{"first ran", "-47h"}}
		}
	}
	// The 16th's Job carries first-running from the template it was created
	// under, a start of the 10th; the template was fixed since, or made from
	// another Job: no start of the 16th's.
	for name, template := range map[string]map[string]string{"removed since": nil, "made from another Job since": {"steadycron.io/first-running": "2027-03-15T06:30:05Z"}, "still there": {"steadycron.io/first-running": "2027-03-10T06:30:05Z"}} {
		tests["first-running copied from the template, "+name] = func() whyCase {
			cj := daily(template)
			j16 := job(cj, at(2, 30, 16), 0, 0, time.Minute, false)
			j16.Annotations["steadycron.io/first-running"] = "2027-03-10T06:30:05Z"
			now := at(9, 0, 17)
			return whyCase{now: now, at: stamp16,
				objs:    []runtime.Object{cj, j16, job(cj, at(2, 30, 17), 0, 5*time.Second, time.Minute, false), lease("steadycron-0", now)},
				verdict: VerdictRan, notContains: []string{"first ran", "-143h"}, statusNotContains: "2027-03-10T06:30:05Z"}
		}
	}
	// The template was made from the 15th's Job after the 16th's ran: the
	// 15th's Job's value, after its creation, is its own start.
	tests["first-running of the Job the template was made from"] = func() whyCase {
		cj := daily(map[string]string{"steadycron.io/first-running": "2027-03-15T06:30:05Z"})
		now := at(9, 0, 16)
		return whyCase{now: now, at: stamp15,
			objs:    []runtime.Object{cj, job(cj, at(2, 30, 15), 0, 5*time.Second, time.Minute, false), job(cj, at(2, 30, 16), 0, 4*time.Second, time.Minute, false), lease("steadycron-0", now)},
			verdict: VerdictRan, contains: []string{"first ran at 2027-03-15T06:30:05Z: a start delay of 5s"}, statusContains: "2027-03-15T06:30:05Z   5s"}
	}
	// A node clock 30 s behind the API server's: the app's start before the
	// Job's creation is still its own.
	tests["first-running before the creation by a node clock behind"] = func() whyCase {
		cj := daily(nil)
		j16 := job(cj, at(2, 30, 16), 0, 0, time.Minute, false)
		j16.Annotations["steadycron.io/first-running"] = "2027-03-16T06:29:30Z"
		now := at(9, 0, 16)
		return whyCase{now: now, at: stamp16,
			objs:    []runtime.Object{cj, j16, lease("steadycron-0", now)},
			verdict: VerdictRan, contains: []string{"first ran at 2027-03-16T06:29:30Z"}}
	}
	// A */15 CronJob whose template was made from the 08:45 Job's YAML: the
	// 09:30 Job carries that Job's start, 44m55s before its own creation,
	// and the template no longer carries it. No node clock is that far
	// behind unless its pods show it.
	quarter := func(template map[string]string) *batchv1.CronJob {
		return cronJob("report", "*/15 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.JobTemplate.Annotations = template
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
		})
	}
	for name, template := range map[string]map[string]string{"removed since": nil, "still there": {"steadycron.io/first-running": "2027-03-16T12:45:05Z"}} {
		tests["first-running copied within the hour, "+name] = func() whyCase {
			cj := quarter(template)
			j := job(cj, at(9, 30, 16), 0, 0, time.Minute, false)
			j.Annotations["steadycron.io/first-running"] = "2027-03-16T12:45:05Z"
			now := at(10, 5, 16)
			return whyCase{now: now, at: "2027-03-16T09:30:00-04:00",
				objs:    []runtime.Object{cj, j, job(cj, at(9, 45, 16), 0, 5*time.Second, time.Minute, false), job(cj, at(10, 0, 16), 0, 5*time.Second, time.Minute, false), lease("steadycron-0", now)},
				verdict: VerdictRan, notContains: []string{"first ran", "-44m55s"}, statusNotContains: "-44m55s"}
		}
	}
	// A node clock 10 minutes behind, which the Job's pod shows (its
	// status.startTime, by the node's clock, 10 minutes before its
	// creation): the start 9m55s before the Job's creation is its own.
	tests["first-running before the creation by a node clock behind that the pod shows"] = func() whyCase {
		cj := quarter(nil)
		j := job(cj, at(9, 30, 16), 0, 0, time.Minute, false)
		j.Annotations["steadycron.io/first-running"] = "2027-03-16T13:20:05Z"
		p := pod(j, at(9, 20, 16).Add(5*time.Second), at(9, 21, 16))
		p.CreationTimestamp = metav1.NewTime(at(9, 30, 16))
		p.Status.StartTime = ptr.To(metav1.NewTime(at(9, 20, 16)))
		now := at(10, 5, 16)
		return whyCase{now: now, at: "2027-03-16T09:30:00-04:00",
			objs:    []runtime.Object{cj, j, p, job(cj, at(9, 45, 16), 0, 5*time.Second, time.Minute, false), job(cj, at(10, 0, 16), 0, 5*time.Second, time.Minute, false), lease("steadycron-0", now)},
			verdict: VerdictRan, contains: []string{"first ran at 2027-03-16T13:20:05Z"}}
	}
	for name, tc := range tests {
		t.Run(name, tc().check)
	}
}

// TestWhyCatchUpFromTheJobsAlone: no Job of 09:00 of an hourly CronJob
// (no deadline), and the Job of 10:00 created 7 minutes late. A catch-up
// after the controller was not running leaves these Jobs, and so does a
// create of 09:00's Job that the API server refused (a ResourceQuota full
// from 08:55 to 10:07) and the controller retried until 10:00, when it gave
// the time up. Only the FailedCreate warnings, last seen before 10:00, tell
// them apart: while they would still be kept, their absence shows a
// catch-up (Superseded); once they would have expired, or when the events
// cannot be read, the answer is a guess (Unknown, reason catchUp), not a
// fact.
func TestWhyCatchUpFromTheJobsAlone(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 0, 16)))
	})
	quota := func(s time.Time) string {
		return `Error creating job: jobs.batch "report-` + itoa(s.Unix()/60) + `" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=10, limited: count/jobs.batch=10`
	}
	jobs := func(now time.Time) []runtime.Object {
		return []runtime.Object{cj, lease("steadycron-0", now),
			job(cj, at(8, 0, 16), 10*time.Millisecond, time.Second, time.Minute, false),
			job(cj, at(10, 0, 16), 7*time.Minute, 7*time.Minute+time.Second, 8*time.Minute, false)}
	}
	for name, tc := range map[string]struct {
		now            time.Time
		failed, refuse bool
		verdict        string
		reason         string
		contains       string
	}{
		"no warning, the events kept":    {now: at(10, 30, 16), verdict: VerdictSuperseded, reason: "catchUp", contains: "when the controller caught up"},
		"no warning, the events expired": {now: at(11, 30, 16), verdict: VerdictUnknown, reason: "catchUp", contains: "expire an hour after they were last seen"},
		// The retries of 09:00 back off up to 1000 s: its last FailedCreate
		// may be seen as early as 09:43:20, and have expired by 10:58
		// though the end of the retries (10:00) is less than an hour ago;
		// at 10:40 it would still be kept.
		"no warning, the last retry's may have expired": {now: at(10, 58, 16), verdict: VerdictUnknown, reason: "catchUp", contains: "the controller's retries back off up to 16m40s"},
		"no warning, the last retry's would be kept":    {now: at(10, 40, 16), verdict: VerdictSuperseded, reason: "catchUp", contains: "when the controller caught up"},
		"the events could not be read":                  {now: at(10, 30, 16), refuse: true, verdict: VerdictUnknown, reason: "catchUp", contains: "could not be read"},
		"control: the FailedCreate warnings":            {now: at(10, 30, 16), failed: true, verdict: VerdictSkipped, reason: "createFailed"},
	} {
		t.Run(name, func(t *testing.T) {
			objs := jobs(tc.now)
			if tc.failed {
				objs = append(objs,
					event(cj, corev1.EventTypeWarning, "FailedCreate", quota(at(9, 0, 16)), at(9, 0, 16), at(9, 59, 16), 12),
					event(cj, corev1.EventTypeWarning, "FailedCreate", quota(at(10, 0, 16)), at(10, 0, 16), at(10, 6, 16), 6))
			}
			o, out := newTestOptions(tc.now, objs...)
			if tc.refuse {
				forbid("list", "events")(o.Client.(*fake.Clientset))
			}
			require.NoError(t, execute(t, o, "why", "report", "--at", "2027-03-16T09:00:00-04:00", "-o", "json"))
			var got Why
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			assert.Equal(t, tc.verdict, got.Verdict, got.Explanation)
			assert.Equal(t, tc.reason, got.Reason, got.Explanation)
			assert.Contains(t, got.Explanation, tc.contains)
		})
	}
}

// TestWhyBackoffBetweenRefusedCreates: "*/5", no deadline, the stock
// controller, a ResourceQuota of Jobs full from 09:00 to 09:40. Each
// refused create fails the sync and the workqueue backs off (up to 1000 s):
// syncs at 09:02:44 (09:00's fast retries), 09:05:27, 09:10:55, 09:21:50,
// 09:38:31, each refused (a FailedCreate naming its time), then 09:55:11,
// which creates 09:55's Job 11 s late. 09:15 and 09:45 got no attempt: the
// controller was up and backing off, not down. A FailedCreate last seen
// less than the backoff before the time, with no Job created from it until
// the late one, shows that; one older than the backoff (the controller's
// next sync came before the time and created nothing), or a Job created
// in between, does not, and the late Job reads as a catch-up. Nor does it
// under steadycron, which retries a failed sync by the next scheduled time
// (patch 0015): one that was up at 09:45 created its Job or recorded a
// FailedCreate naming it; with neither, and its Lease taken over after
// 09:45 (its catch-up warning lost, or dropped by the spam filter), the
// controller was down or hung then.
func TestWhyBackoffBetweenRefusedCreates(t *testing.T) {
	cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(9, 55, 16)))
	})
	refused := func(s, seen time.Time, count int32, last time.Time) runtime.Object {
		return event(cj, corev1.EventTypeWarning, "FailedCreate", `Error creating job: jobs.batch "report-`+itoa(s.Unix()/60)+`" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=10, limited: count/jobs.batch=10`, seen, last, count)
	}
	base := func(extra ...runtime.Object) []runtime.Object {
		later := stockJob(cj, at(9, 55, 16), 0)
		later.CreationTimestamp = metav1.NewTime(at(9, 55, 16).Add(11 * time.Second))
		return append([]runtime.Object{cj, stockJob(cj, at(8, 50, 16), time.Minute), stockJob(cj, at(8, 55, 16), time.Minute), later}, extra...)
	}
	// steadycron's Jobs, its Lease taken over at 09:55:05.
	steadycron := func(extra ...runtime.Object) []runtime.Object {
		later := job(cj, at(9, 55, 16), 11*time.Second, 12*time.Second, 0, false)
		return append([]runtime.Object{cj, takenOver(at(10, 0, 16), at(9, 55, 16).Add(5*time.Second)),
			job(cj, at(8, 50, 16), 10*time.Millisecond, time.Second, time.Minute, false), job(cj, at(8, 55, 16), 10*time.Millisecond, time.Second, time.Minute, false), later}, extra...)
	}
	all := []runtime.Object{
		refused(at(9, 0, 16), at(9, 0, 16), 15, at(9, 2, 16).Add(44*time.Second)),
		refused(at(9, 5, 16), at(9, 5, 16).Add(27*time.Second), 1, at(9, 5, 16).Add(27*time.Second)),
		refused(at(9, 10, 16), at(9, 10, 16).Add(55*time.Second), 1, at(9, 10, 16).Add(55*time.Second)),
		refused(at(9, 20, 16), at(9, 21, 16).Add(50*time.Second), 1, at(9, 21, 16).Add(50*time.Second)),
		refused(at(9, 35, 16), at(9, 38, 16).Add(31*time.Second), 1, at(9, 38, 16).Add(31*time.Second)),
	}
	backingOff := whyCase{verdict: VerdictSkipped, reason: "createFailed", contains: []string{"FailedCreate", "backing off at this time"}, notContains: []string{"when the controller caught up"}}
	caughtUp := whyCase{verdict: VerdictSuperseded, reason: "catchUp", contains: []string{"when the controller caught up"}}
	tests := map[string]struct {
		at   string
		objs []runtime.Object
		want whyCase
	}{
		"09:45, the refusal of 09:35 6m29s before": {at: "09:45", objs: base(all...), want: backingOff},
		"09:15, the refusal of 09:10 4m05s before": {at: "09:15", objs: base(all...), want: backingOff},
		"no refusal: an outage":                    {at: "09:45", objs: base(), want: caughtUp},
		// 09:00's last refusal at 09:02:44, more than 1000 s before 09:45:
		// a retry came before 09:45 and created nothing.
		"the last refusal more than the backoff before": {at: "09:45", objs: base(all[0]), want: caughtUp},
		// The 09:40 Job created after the refusals: the controller got
		// past them.
		"a Job created after the refusal": {at: "09:45", objs: base(append(all, stockJob(cj, at(9, 40, 16), time.Minute))...), want: caughtUp},
		"steadycron, the refusal of 09:35 6m29s before": {at: "09:45", objs: steadycron(all...),
			want: whyCase{notVerdicts: []string{VerdictSkipped}, notContains: []string{"backing off at this time"}}},
	}
	for name, tc := range tests {
		c := tc.want
		c.now, c.at, c.objs = at(10, 0, 16), "2027-03-16T"+tc.at+":00-04:00", tc.objs
		t.Run(name, c.check)
	}
}

// TestWhyStockMissScheduleAfterRefusedCreates: hourly, startingDeadlineSeconds
// 300, the stock controller; the create of 09:00's Job refused (a
// ResourceQuota) and retried with the workqueue's backoff until 09:02:44,
// and the next retry, 09:05:27, past the deadline, recorded the stock
// MissSchedule. The MissSchedule shows a late first look only while the
// FailedCreate warnings that would show refusals before it, the last up to
// the backoff (1000 s) before it, would still be kept: at 09:30 their
// absence shows the controller first looked late; at 10:04 they may have
// expired, and the answer does not claim it. With them kept, the refusals
// decide (createFailed).
func TestWhyStockMissScheduleAfterRefusedCreates(t *testing.T) {
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
	})
	miss := event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed scheduled time to start a job: "+at(9, 0, 16).UTC().Format(time.RFC1123Z), at(9, 5, 16).Add(27*time.Second), at(9, 5, 16).Add(27*time.Second), 1)
	refused := event(cj, corev1.EventTypeWarning, "FailedCreate",
		`Error creating job: jobs.batch "report-`+itoa(at(9, 0, 16).Unix()/60)+`" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=10, limited: count/jobs.batch=10`,
		at(9, 0, 16), at(9, 2, 16).Add(44*time.Second), 15)
	tests := map[string]whyCase{
		"no FailedCreate, it would be kept": {now: at(9, 30, 16), objs: []runtime.Object{cj, stockJob(cj, at(8, 0, 16), time.Minute), miss},
			verdict: VerdictSkipped, reason: "missedDeadline", contains: []string{"first looked at this time more than startingDeadlineSeconds (300s) after it"}},
		"no FailedCreate, it may have expired": {now: at(10, 4, 16), objs: []runtime.Object{cj, stockJob(cj, at(8, 0, 16), time.Minute), miss},
			verdict: VerdictSkipped, reason: "missedDeadline", contains: []string{"or its creates of the time's Job were refused", "is not known"},
			notContains: []string{"first looked at this time more than"}},
		"the FailedCreate kept": {now: at(10, 1, 16), objs: []runtime.Object{cj, stockJob(cj, at(8, 0, 16), time.Minute), miss, refused},
			verdict: VerdictSkipped, reason: "createFailed", contains: []string{"not a late look"}},
	}
	for name, tc := range tests {
		tc.at = "2027-03-16T09:00:00-04:00"
		t.Run(name, tc.check)
	}
}

// TestWhyRerunByHandAfterAMissSchedule: the controller said it created no
// Job for a time (its MissSchedule warning: past the starting deadline, or
// a catch-up that ran a later time only), and the on-call reran the time by
// hand under its Job's name since (kubectl create job report-<minutes>
// --from=cronjob/report), which steadycron adopts (AdoptedJob) and whose end
// it records (SawCompletedJob, then SuccessfulDelete or MissingJob). Those
// events are the rerun's, not those of a Job of the time: the time is
// judged by the MissSchedule, whether the rerun is gone or still there.
// Control: the same steps without the MissSchedule (the controller's
// SuccessfulCreate expired) are the time's Job's.
func TestWhyRerunByHandAfterAMissSchedule(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = ptr.To[int64](600)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 15)))
	})
	now := at(5, 0, 16)
	name := "report-" + itoa(at(2, 30, 16).Unix()/60)
	missed := event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+at(2, 30, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (600s) when the controller got to them", at(2, 50, 16), at(2, 50, 16), 1)
	adopted := event(cj, corev1.EventTypeNormal, "AdoptedJob", "Added unfinished job "+name+" to the active jobs", at(3, 0, 16), at(3, 0, 16), 1)
	finished := event(cj, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", at(3, 10, 16), at(3, 10, 16), 1)
	rerun := manualJob(cj, at(3, 0, 16))
	rerun.Name = name
	rerun.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at(3, 10, 16))}}
	rerun.Status.CompletionTime = ptr.To(metav1.NewTime(at(3, 10, 16)))
	running := manualJob(cj, at(3, 0, 16))
	running.Name = name
	base := []runtime.Object{cj, lease("steadycron-0", now), job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, time.Minute, false)}
	with := func(objs ...runtime.Object) []runtime.Object { return append(slices.Clone(base), objs...) }
	skipped := func(objs []runtime.Object, contains ...string) whyCase {
		return whyCase{objs: objs, verdict: VerdictSkipped, reason: "missedDeadline", contains: contains, notContains: []string{"Ran as Job", "the Job is gone"}}
	}
	tests := map[string]whyCase{
		"the rerun deleted by the history limits": skipped(with(missed, adopted, finished,
			event(cj, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job "+name, at(4, 0, 16), at(4, 0, 16), 1))),
		"the rerun deleted while it ran": skipped(with(missed, adopted,
			event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+name, at(3, 5, 16), at(3, 5, 16), 1))),
		"the rerun there, finished": skipped(with(missed, adopted, finished, rerun), "a rerun under the time's name"),
		"control: no rerun":         skipped(with(missed)),
		"control: no MissSchedule":  {objs: with(finished), verdict: VerdictRan, contains: []string{"Ran as Job " + name + " (the controller's events name it)"}},
		"the rerun running":         skipped(with(missed, adopted, running), "a rerun under the time's name"),
	}
	// A catch-up that ran 03:30 of an hourly schedule said it skipped 02:30.
	hourly := cronJob("report", "30 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.StartingDeadlineSeconds = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(3, 30, 16)))
	})
	tests["a catch-up's warning, the rerun deleted"] = whyCase{verdict: VerdictSuperseded, reason: "catchUp", notContains: []string{"Ran as Job"},
		objs: []runtime.Object{hourly, lease("steadycron-0", now), job(hourly, at(3, 30, 16), 5*time.Minute, 5*time.Minute+time.Second, 6*time.Minute, false),
			event(hourly, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+at(2, 30, 16).UTC().Format(time.RFC3339)+": a catch-up starts only the most recent scheduled time, "+at(3, 30, 16).UTC().Format(time.RFC3339), at(3, 35, 16), at(3, 35, 16), 1),
			event(hourly, corev1.EventTypeNormal, "AdoptedJob", "Added unfinished job "+name+" to the active jobs", at(3, 40, 16), at(3, 40, 16), 1),
			event(hourly, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+name+", condition: Complete", at(3, 50, 16), at(3, 50, 16), 1),
			event(hourly, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job "+name, at(4, 30, 16), at(4, 30, 16), 1)}}
	for desc, tc := range tests {
		tc.now, tc.at = now, "2027-03-16T02:30:00-04:00"
		t.Run(desc, tc.check)
	}
}

// TestWhyStockRepeatedHourThenSteadycron: a CronJob the stock controller ran (its
// Jobs without steadycron.io/expected-start) that steadycron runs now (its
// Lease held). The stock controller's second run in the repeated hour is
// its Job, not a sign of a schedule change.
func TestWhyStockRepeatedHourThenSteadycron(t *testing.T) {
	edt, est := time.FixedZone("EDT", -4*3600), time.FixedZone("EST", -5*3600)
	first, second := time.Date(2027, 11, 7, 1, 30, 0, 0, edt), time.Date(2027, 11, 7, 1, 30, 0, 0, est)
	cj := cronJob("report", "30 1 * * *", func(cj *batchv1.CronJob) {
		cj.CreationTimestamp = metav1.NewTime(time.Date(2027, 10, 1, 0, 0, 0, 0, time.UTC))
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(time.Date(2027, 11, 9, 1, 30, 0, 0, nyc)))
	})
	now := time.Date(2027, 11, 9, 9, 0, 0, 0, nyc)
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		stockJob(cj, first.In(nyc), time.Minute), stockJob(cj, second.In(nyc), time.Minute),
		job(cj, time.Date(2027, 11, 8, 1, 30, 0, 0, nyc), 10*time.Millisecond, time.Second, time.Minute, false),
		job(cj, time.Date(2027, 11, 9, 1, 30, 0, 0, nyc), 10*time.Millisecond, time.Second, time.Minute, false)}
	tc := whyCase{now: now, at: "2027-11-07T01:30:00-05:00", objs: objs, verdict: VerdictRan,
		notContains: []string{"the schedule changed since"}}
	tc.check(t)
}

// TestWhyRerunAfterTheEventsExpired: a Job made by hand under the time's
// name hours after the time (a rerun once the controller's Job was deleted),
// the controller's events expired. status.lastScheduleTime is the time:
// the controller ran it. steadycron with startingDeadlineSeconds 300 cannot
// have met the time after 02:35: the name could not have been held at its
// create.
func TestWhyRerunAfterTheEventsExpired(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
	})
	rerun := manualJob(cj, at(8, 0, 16))
	rerun.Name = "report-" + itoa(at(2, 30, 16).Unix()/60)
	now := at(9, 0, 16)
	t.Run("steadycron", whyCase{now: now, objs: []runtime.Object{cj, lease("steadycron-0", now), rerun},
		notVerdicts: []string{VerdictSkipped}, verdict: VerdictRan}.check)
	// Made before the deadline: steadycron (its Lease held) ran
	// 02:30 (status.lastScheduleTime is 02:30), its Job was deleted at once, and
	// a Job made by hand under the time's name followed at 02:32, before the
	// starting deadline (02:35); the events expired. steadycron sets
	// lastScheduleTime only when it created the time's Job (a name conflict
	// leaves it, JobNameConflict): the name was free at its create, and the Job
	// made by hand is a rerun. Not "Skipped: nameConflict".
	early := manualJob(cj, at(2, 32, 16))
	early.Name = rerun.Name
	t.Run("steadycron, made before the deadline", whyCase{now: now, objs: []runtime.Object{cj, lease("steadycron-0", now), early},
		notVerdicts: []string{VerdictSkipped}, verdict: VerdictRan}.check)
	// Under the stock controller (no Lease, its Job of the day before without
	// steadycron.io/expected-start) the verdict is Ran, but as the rerun: "the
	// stock CronJob controller takes [it] for the time's Job and creates none",
	// with the rerun's result for the time's. Past the deadline (02:35) the
	// stock controller takes no Job for 02:30: it created its own.
	t.Run("stock", whyCase{now: now, objs: []runtime.Object{cj, stockJob(cj, at(2, 30, 15), time.Minute), rerun},
		verdict: VerdictRan, notContains: []string{"takes a Job of the CronJob under that name for the time's Job and creates none"}}.check)
}

// TestStockControllerStepsNextFromItsPreviousRun: robfig/cron's Next, which the stock
// controller runs and the plugin's stock mode uses, steps the hours from
// midnight with time.Add: in Australia/Lord_Howe, whose clocks move by 30
// minutes, the steps after a change land on the half hour (02:30, 03:30,
// ...), so on both change days every fixed time with a minute under 30
// after the change gets no run: "0 3 * * *" has none on 2027-10-03 (clocks
// forward 02:00→02:30, 03:00 exists), "0 23 * * *" none on 2027-04-04
// (clocks back). The plugin's times are right (robfig's own), its words are
// not: "the clocks went forward over the schedule's time" (03:00 is not in
// the gap; on 2027-04-04 they went back), "is not a scheduled time of
// \"0 3 * * *\"" for 03:00, "no controller decided" for 2027-04-04's 23:00 (robfig's Next from 22:00 finds it; from the run before,
// as the controller chains it, it does not), and next lists the change
// without saying that the day has no run.
func TestStockControllerStepsNextFromItsPreviousRun(t *testing.T) {
	lh, err := time.LoadLocation("Australia/Lord_Howe")
	require.NoError(t, err)
	stock := func(schedule string, last time.Time, jobs ...time.Time) []runtime.Object {
		cj := cronJob("report", schedule, func(cj *batchv1.CronJob) {
			cj.Spec.TimeZone = ptr.To("Australia/Lord_Howe")
			// No deadline: the stock controller's next look after a run is
			// robfig's Next from it (with one, a sync within the deadline
			// after the time, from now-deadline, could still find it).
			cj.Spec.StartingDeadlineSeconds = nil
			cj.CreationTimestamp = metav1.NewTime(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(last))
		})
		objs := []runtime.Object{cj}
		for _, s := range jobs {
			objs = append(objs, stockJob(cj, s, time.Minute))
		}
		return objs
	}
	spring := stock("0 3 * * *", time.Date(2027, 10, 2, 3, 0, 0, 0, lh),
		time.Date(2027, 10, 1, 3, 0, 0, 0, lh), time.Date(2027, 10, 2, 3, 0, 0, 0, lh))
	fall := stock("0 23 * * *", time.Date(2027, 4, 3, 23, 0, 0, 0, lh),
		time.Date(2027, 4, 2, 23, 0, 0, 0, lh), time.Date(2027, 4, 3, 23, 0, 0, 0, lh))
	// The stock controller's count of missed times (mostRecentScheduleTime)
	// estimates them from the gap between the first two times after
	// status.lastScheduleTime: for "*/5 9-17 * * *" last run at 17:55 on the
	// 16th, from 18:00 on the 17th it steps over 17:55 of the 17th, which
	// no sync runs then (kube-controller-manager back at 20:00 after an
	// outage). An hourly schedule is counted right; so is steadycron's.
	outage := func(schedule string, last time.Time, steadycron bool) []runtime.Object {
		cj := cronJob("report", schedule, func(cj *batchv1.CronJob) {
			cj.Spec.StartingDeadlineSeconds = nil
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(last))
		})
		if steadycron {
			return []runtime.Object{cj, job(cj, last, 0, time.Second, time.Minute, false), lease("steadycron-0", at(20, 5, 17))}
		}
		return []runtime.Object{cj, stockJob(cj, last, time.Minute)}
	}
	for name, tc := range map[string]whyCase{
		"an outage, a count of missed times that steps over the latest time": {now: at(20, 5, 17), objs: outage("*/5 9-17 * * *", at(17, 55, 16), false),
			verdict: VerdictSkipped, reason: "stockMissedCount", scheduled: "2027-03-17T21:55:00Z",
			contains:    []string{"runs this time only at a sync before 2027-03-17T18:00:00-04:00", "2027-03-17T09:00:00-04:00 and 2027-03-17T09:05:00-04:00, 5m apart"},
			notContains: []string{"is a CronJob controller running?"}},
		"an outage, a count of missed times that is right": {now: at(14, 5, 16), objs: outage("0 * * * *", at(10, 0, 16), false),
			verdict: VerdictNoDecision, scheduled: "2027-03-16T18:00:00Z"},
		"an outage under steadycron, which counts exactly": {now: at(20, 5, 17), objs: outage("*/5 9-17 * * *", at(17, 55, 16), true),
			verdict: VerdictNoDecision, scheduled: "2027-03-17T21:55:00Z"},
		"spring, the latest time": {now: time.Date(2027, 10, 3, 12, 0, 0, 0, lh), objs: spring,
			notContains: []string{"the clocks went forward over the schedule's time"}},
		"spring, --at 03:00": {now: time.Date(2027, 10, 3, 12, 0, 0, 0, lh), at: "2027-10-03T03:00:00+11:00", objs: spring,
			notContains: []string{`is not a scheduled time of "0 3 * * *"`}},
		// The answer is about 2027-04-03 (robfig's chain from it skips
		// 2027-04-04), and says nothing of 2027-04-04, which got no run.
		"fall, the latest time": {now: time.Date(2027, 4, 5, 12, 0, 0, 0, lh), objs: fall,
			contains: []string{"2027-04-04"}, notContains: []string{"the clocks went forward over the schedule's time"}},
		// robfig's Next from 22:00 that day finds 23:00, from the run before
		// (the controller's chain) it does not: the stock controller never
		// met the time; not "most likely past its starting deadline".
		"fall, --at 23:00": {now: time.Date(2027, 4, 5, 12, 0, 0, 0, lh), at: "2027-04-04T23:00:00+10:30", objs: fall,
			notContains: []string{`is not a scheduled time of "0 23 * * *"`, "most likely past its starting deadline"}, notVerdicts: []string{VerdictNoDecision}},
	} {
		t.Run("why "+name, tc.check)
	}
	t.Run("next, spring", func(t *testing.T) {
		o, out := newTestOptions(time.Date(2027, 10, 2, 12, 0, 0, 0, lh), spring...)
		require.NoError(t, execute(t, o, "next", "report", "-o", "json"))
		var got NextTimes
		require.NoError(t, json.Unmarshal(out.Bytes(), &got))
		require.NotEmpty(t, got.Times)
		assert.Equal(t, "2027-10-04T03:00:00+11:00", got.Times[0].Time)
		// The first time after the change says that 2027-10-03 has none.
		assert.Regexp(t, `no run|does not run|not run`, got.Times[0].Note)
	})
}

// TestWhyAppRunsInAnotherPod: a Job of parallelism 2 whose app runs in
// one pod while its other pod is not scheduled. The app runs: "Its app is
// not running" is false.
func TestWhyAppRunsInAnotherPod(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.JobTemplate.Spec.Parallelism = ptr.To[int32](2) })
	s := at(2, 30, 16)
	now := at(9, 0, 16)
	j := job(cj, s, 10*time.Millisecond, time.Second, 0, false)
	j.Status.Active = 2
	running := pod(j, s, s)
	running.Status.Phase = corev1.PodRunning
	running.Status.ContainerStatuses[0].State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(s.Add(time.Second))}}
	pending := pod(j, s, s)
	pending.Name, pending.UID = j.Name+"-fghij", "pending-pod"
	pending.Status.Phase = corev1.PodPending
	pending.Status.ContainerStatuses = nil
	pending.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: "0/3 nodes are available: 3 Insufficient memory.", LastTransitionTime: metav1.NewTime(s)}}
	got := whyJSON(t, now, "report", "", cj, lease("steadycron-0", now), j, running, pending)
	assert.Equal(t, VerdictRunning, got.Verdict, got.Explanation)
	assert.NotContains(t, got.Explanation, "Its app is not running")
}

// TestWhyStockTakesAManualJobThatEndedBeforeTheTime: under the stock
// controller a Job made by hand under the time's name the day before (kubectl
// create job report-<minutes> --from=cronjob/report), complete 12 hours
// before the time, is taken for the time's Job: the controller creates none,
// and nothing runs at 02:30. "Ran as Job ...; complete." without saying that
// the run ended before the time answers "why didn't my cron run at 02:30"
// with a run that did not happen then.
func TestWhyStockTakesAManualJobThatEndedBeforeTheTime(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
	})
	m := manualJob(cj, at(14, 0, 15))
	m.Name = "report-" + itoa(at(2, 30, 16).Unix()/60)
	m.Status.Active = 0
	m.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at(14, 5, 15))}}
	m.Status.CompletionTime = ptr.To(metav1.NewTime(at(14, 5, 15)))
	got := whyJSON(t, at(9, 0, 16), "report", "", cj, stockJob(cj, at(2, 30, 15), time.Minute), m)
	assert.Regexp(t, `(ended|finished|completed|complete) [^.]*before (the scheduled time|2027-03-16T0[26]:30)`, got.Explanation)
}

// TestWhyStockTimeBetweenStockJobs: the stock controller ran the
// CronJob until 2027-03-15 (its Jobs of 13 and 15 are left, without
// steadycron.io/expected-start); steadycron runs it since 16 (its Lease
// held, its Job of 16). On 2027-03-14 the clocks skipped 02:30 and the stock
// controller, which ran the CronJob on 13 and 15, ran nothing. why --at that
// day's time is judged by the controller of the Jobs just before and after
// it (stockAt), the stock controller: it never runs a fixed time the clocks
// skip, not "Skipped, most likely past its starting deadline"
// (missedDeadline), which the controller of now, steadycron, would say.
func TestWhyStockTimeBetweenStockJobs(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.CreationTimestamp = metav1.NewTime(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(16, 2, 30)))
	})
	now := d(16, 10, 0)
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		stockJob(cj, d(13, 2, 30), time.Minute), stockJob(cj, d(15, 2, 30), time.Minute),
		job(cj, d(16, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false)}
	for name, at := range map[string]string{"the skipped wall time": "2027-03-14T02:30:00-05:00", "the change": "2027-03-14T03:00:00-04:00"} {
		t.Run(name, func(t *testing.T) {
			got := whyJSON(t, now, "report", at, objs...)
			t.Logf("%s/%s: %s", got.Verdict, got.Reason, got.Explanation)
			assert.NotEqual(t, "missedDeadline", got.Reason, got.Explanation)
			assert.Contains(t, got.Explanation, "stock")
		})
	}
}

// TestWhyManualJobInTheStockEra: the stock controller ran the CronJob
// until 2027-04-16 (its Jobs of 14 and 16, without
// steadycron.io/expected-start), steadycron since 17 (its Lease held, its
// Job of 17). On 15 a Job made by hand under the name of 02:30's Job was
// created at 02:29 and completed at 02:40: the stock controller takes a Job
// of the CronJob under that name for the time's Job (the answer's own words
// when it runs the CronJob now), so 02:30 ran as that Job: manualWithTheName
// asks the controller of the time (stockControllerAt), not the one of now,
// which would answer "Skipped: nameConflict ... steadycron does not take a
// Job made by hand for a scheduled one".
func TestWhyManualJobInTheStockEra(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 4, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(17, 2, 30)))
	})
	manual := manualJob(cj, d(15, 2, 29))
	manual.Name = "report-" + itoa(d(15, 2, 30).Unix()/60)
	manual.Status = stockJob(cj, d(15, 2, 30), 10*time.Minute).Status
	now := d(17, 10, 0)
	got := whyJSON(t, now, "report", d(15, 2, 30).Format(time.RFC3339), cj, lease("steadycron-0", now), manual,
		stockJob(cj, d(14, 2, 30), time.Minute), stockJob(cj, d(16, 2, 30), time.Minute),
		job(cj, d(17, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false))
	assert.Equal(t, VerdictRan, got.Verdict, "%s: %s", got.Reason, got.Explanation)
	assert.NotContains(t, got.Explanation, "steadycron does not take a Job made by hand")
}

// TestWhyForbidManualJobInTheStockEra: a Forbid CronJob the stock
// controller ran until 2027-04-16 (its Jobs of 14 and 16) and steadycron
// runs since 17 (Lease held, its Job of 17). On 15 a Job made by hand ran
// from 02:00 to 03:00; 15's scheduled Job was deleted since. The stock
// controller never counts a Job made by hand as active (the answer's own
// words: "it records UnexpectedJob, so Forbid does not wait for it"), so it
// did not hold 02:30 for it: runningAt asks the controller of the time
// (stockControllerAt), not the one of now, which would answer Skipped for
// concurrencyPolicy.
func TestWhyForbidManualJobInTheStockEra(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 4, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(17, 2, 30)))
	})
	manual := manualJob(cj, d(15, 2, 0))
	manual.Status = stockJob(cj, d(15, 2, 0), time.Hour).Status
	now := d(17, 10, 0)
	got := whyJSON(t, now, "report", d(15, 2, 30).Format(time.RFC3339), cj, lease("steadycron-0", now), manual,
		stockJob(cj, d(14, 2, 30), time.Minute), stockJob(cj, d(16, 2, 30), time.Minute),
		job(cj, d(17, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false))
	t.Logf("%s/%s: %s", got.Verdict, got.Reason, got.Explanation)
	assert.NotEqual(t, "concurrencyPolicy", got.Reason, "%s: %s", got.Verdict, got.Explanation)
	assert.NotEqual(t, "forbidHeld", got.Reason, "%s: %s", got.Verdict, got.Explanation)
}

// TestWhyRerunAfterTheDeadlineOfAnOlderTime: steadycron (its Lease
// held) ran 2027-03-15's 02:30 and 16's; 15's Job was deleted, and at 08:00
// on 15 a Job made by hand took its name; the events expired. The
// starting deadline (300 s) ended at 02:35: the controller decided on 02:30
// while the name was free, so the Job made by hand cannot be why 02:30 got no
// Job. The 18i fix accepts that only while status.lastScheduleTime is the
// time; a later time ran since, and the Job made by hand still is no
// "Skipped: nameConflict ... so the controller could not create the time's
// Job".
func TestWhyRerunAfterTheDeadlineOfAnOlderTime(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 16)))
	})
	rerun := manualJob(cj, at(8, 0, 15))
	rerun.Name = "report-" + itoa(at(2, 30, 15).Unix()/60)
	now := at(9, 0, 16)
	got := whyJSON(t, now, "report", at(2, 30, 15).Format(time.RFC3339), cj, lease("steadycron-0", now), rerun,
		job(cj, at(2, 30, 16), 10*time.Millisecond, time.Second, time.Minute, false))
	t.Logf("%s/%s: %s", got.Verdict, got.Reason, got.Explanation)
	assert.NotEqual(t, "nameConflict", got.Reason, "%s: %s", got.Verdict, got.Explanation)
}

// TestWhyOlderSteadycronJobAtTheChange: steadycron runs the CronJob
// (its Lease held, its latest Jobs with steadycron.io/expected-start); on
// 2027-03-14, before an upgrade, an older steadycron that did not write the
// annotation ran the skipped 02:30 at the change, 03:00 EDT: its Job is
// there, scheduled at 03:00 EDT, a time the stock controller never creates a
// Job for: the Job without the annotation is steadycron's (stockAt), and the
// time Ran, not "never runs" beside its Job.
func TestWhyOlderSteadycronJobAtTheChange(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2027, 3, day, h, m, 0, 0, nyc) }
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(d(16, 2, 30)))
	})
	now := d(16, 10, 0)
	objs := []runtime.Object{cj, lease("steadycron-0", now),
		stockJob(cj, d(13, 2, 30), time.Minute), stockJob(cj, d(14, 3, 0), time.Minute),
		job(cj, d(15, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false),
		job(cj, d(16, 2, 30), 10*time.Millisecond, time.Second, time.Minute, false)}
	for name, at := range map[string]string{"the skipped wall time": "2027-03-14T02:30:00-05:00", "the change": "2027-03-14T03:00:00-04:00"} {
		t.Run(name, func(t *testing.T) {
			got := whyJSON(t, now, "report", at, objs...)
			t.Logf("%s/%s: %s", got.Verdict, got.Reason, got.Explanation)
			assert.Equal(t, VerdictRan, got.Verdict, got.Explanation)
			assert.NotContains(t, got.Explanation, "never runs")
			assert.NotContains(t, got.Explanation, "the schedule changed since")
		})
	}
}

// TestStockForbidStuckOnAnOrphanedActiveJob: hourly, Forbid, the stock
// controller. While the 08:00 Job ran, its ownerReferences were removed.
// The stock controller finds its Jobs by their controller, so it never
// sees that Job end, and its check for missing Jobs finds it on the API
// server: the entry stays in status.active for good, and Forbid skips
// every later time. next and status note it on every time, and why names
// the Job (and says whether it still ran). So for a Job replaced under its
// name (kubectl replace --force: deleted and created again, a new UID, the
// same controller): the stock controller looks the entry up by UID among
// its Jobs, misses it, finds a Job of the name by a GET and keeps the entry;
// it never removes it, as it removes an entry only when it sees the entry's
// UID end. The entry skips a time whether or not the controller's
// JobAlreadyActive event for it is kept (it expires an hour after it was
// last seen: for a daily CronJob, gone the morning after). steadycron drops
// such an entry (InvalidActiveJob), and the stock controller drops one
// whose Job it still controls when it sees it end: no note then.
func TestStockForbidStuckOnAnOrphanedActiveJob(t *testing.T) {
	now := at(11, 20, 16)
	type setup struct{ orphaned, replaced, noUID, ended, steadycron, expired bool }
	objs := func(c setup) []runtime.Object {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
		})
		mk := stockJob
		if c.steadycron {
			mk = func(cj *batchv1.CronJob, s time.Time, finished time.Duration) *batchv1.Job {
				return job(cj, s, 10*time.Millisecond, time.Second, finished, false)
			}
		}
		finished := time.Duration(0)
		if c.ended {
			finished = 10 * time.Minute
		}
		stuck := mk(cj, at(8, 0, 16), finished)
		if c.ended {
			stuck.Status.Conditions[0].Type = batchv1.JobFailed
			stuck.Status.CompletionTime = nil
		}
		cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Namespace: ns, Name: stuck.Name, UID: stuck.UID, APIVersion: "batch/v1"}}
		if c.orphaned {
			stuck.OwnerReferences = nil
		}
		if c.replaced {
			stuck.UID += "-replaced"
			stuck.CreationTimestamp = metav1.NewTime(at(8, 5, 16))
		}
		if c.noUID {
			// An entry written by hand, or by an older controller.
			cj.Status.Active[0].UID = ""
		}
		out := []runtime.Object{cj, stuck, mk(cj, at(7, 0, 16), time.Minute)}
		if !c.expired {
			out = append(out, event(cj, corev1.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", at(9, 0, 16), at(11, 0, 16), 3))
		}
		if c.steadycron {
			out = append(out, lease("steadycron-0", now))
		}
		return out
	}
	name := "report-" + itoa(at(8, 0, 16).Unix()/60)
	replacedText := "status.active names Job " + name + " with UID job-" + itoa(at(8, 0, 16).Unix()/60) + ", a Job no longer there: the Job of that name is another one (UID job-" + itoa(at(8, 0, 16).Unix()/60) + "-replaced"
	tests := map[string]struct {
		setup
		note   string // in next's and status's times; "" none
		why    []string
		whyNot []string
	}{
		"orphaned, ended": {setup: setup{orphaned: true, ended: true}, note: "which ended at 2027-03-16T12:10:00Z (Failed)",
			why: []string{"status.active names Job " + name, "nothing of the CronJob was running then", "the controller said so"}, whyNot: []string{"was still running"}},
		"orphaned, still running": {setup: setup{orphaned: true}, note: "which has not ended yet",
			why: []string{"status.active names Job " + name, "it was still running then"}},
		"orphaned, ended, the skip's event expired": {setup: setup{orphaned: true, ended: true, expired: true}, note: "which ended at 2027-03-16T12:10:00Z (Failed)",
			why: []string{"status.active names Job " + name, "nothing of the CronJob was running then", "so none is needed to show it"}, whyNot: []string{"the controller said so"}},
		"replaced, ended": {setup: setup{replaced: true, ended: true}, note: replacedText,
			why: []string{replacedText, "remove the entry from status.active"}, whyNot: []string{"restore the Job's ownerReferences", "no controller reference"}},
		"replaced, the skip's event expired": {setup: setup{replaced: true, ended: true, expired: true}, note: replacedText,
			why: []string{replacedText}},
		"an entry without a UID, the Job still the CronJob's": {setup: setup{noUID: true, ended: true}, note: "status.active names Job " + name + " without a UID",
			why: []string{"without a UID"}, whyNot: []string{"with UID ,", "restore the Job's ownerReferences"}},
		"control: still the CronJob's, ended":                    {setup: setup{ended: true}},
		"control: still the CronJob's, ended, the event expired": {setup: setup{ended: true, expired: true}},
		"control: steadycron":                                    {setup: setup{orphaned: true, ended: true, steadycron: true}},
		"control: steadycron, replaced":                          {setup: setup{replaced: true, ended: true, steadycron: true}},
	}
	for desc, tc := range tests {
		t.Run(desc, func(t *testing.T) {
			o, out := newTestOptions(now, objs(tc.setup)...)
			require.NoError(t, execute(t, o, "next", "report", "--count", "2", "--no-headers"))
			st := status18vText(t, now, objs(tc.setup)...)
			if tc.note == "" {
				assert.NotContains(t, out.String(), "status.active names")
				assert.NotContains(t, st, "status.active names")
			} else {
				assert.Equal(t, 2, strings.Count(out.String(), tc.note), out.String())
				assert.Contains(t, st, tc.note)
			}
			if tc.why != nil {
				whyCase{now: now, objs: objs(tc.setup), scheduled: "2027-03-16T15:00:00Z",
					verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: tc.why, notContains: tc.whyNot}.check(t)
			} else {
				whyCase{now: now, objs: objs(tc.setup), scheduled: "2027-03-16T15:00:00Z", notContains: []string{"status.active names"}}.check(t)
			}
		})
	}
	// A daily CronJob (02:30, startingDeadlineSeconds 300): the 13th's
	// Job orphaned, status.active naming it; asked at 09:00 on the 16th,
	// the JobAlreadyActive of 02:30 expired. Neither the missed deadline
	// guess nor "no controller" (without a deadline) is the answer.
	daily := func(deadline *int64, kept bool) []runtime.Object {
		cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.StartingDeadlineSeconds = deadline
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 13)))
		})
		stuck := stockJob(cj, at(2, 30, 13), 70*time.Minute)
		stuck.OwnerReferences = nil
		cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Namespace: ns, Name: stuck.Name, UID: stuck.UID, APIVersion: "batch/v1"}}
		out := []runtime.Object{cj, stuck, stockJob(cj, at(2, 30, 12), time.Minute)}
		if kept {
			out = append(out, event(cj, corev1.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", at(2, 30, 16), at(2, 30, 16), 1))
		}
		return out
	}
	stuckDaily := []string{"status.active names Job report-" + itoa(at(2, 30, 13).Unix()/60)}
	for desc, tc := range map[string]whyCase{
		"daily, asked at 09:00, the skip's event expired":             {now: at(9, 0, 16), at: "2027-03-16T02:30:00-04:00", objs: daily(ptr.To[int64](300), false)},
		"daily, no deadline, asked at 09:00 about the latest time":    {now: at(9, 0, 16), objs: daily(nil, false)},
		"daily, control: asked at 02:45, the skip's event kept":       {now: at(2, 45, 16), at: "2027-03-16T02:30:00-04:00", objs: daily(ptr.To[int64](300), true)},
		"daily, asked at 09:00 about the 13th, before the Job's time": {now: at(9, 0, 16), at: "2027-03-13T02:30:00-05:00", objs: daily(ptr.To[int64](300), false)},
	} {
		tc.verdict, tc.reason, tc.scheduled = VerdictSkipped, "concurrencyPolicy", "2027-03-16T06:30:00Z"
		tc.contains, tc.notContains = stuckDaily, []string{"starting deadline", "is a CronJob controller running"}
		if strings.Contains(desc, "the 13th") {
			// The stuck Job is the 13th's own run, which status.active
			// still names.
			tc = whyCase{now: tc.now, at: tc.at, objs: tc.objs, verdict: VerdictRan,
				contains:    []string{"status.active still names it", "every later time is skipped until the entry is removed"},
				notContains: []string{"it is not in status.active"}}
		}
		t.Run(desc, tc.check)
	}
}

// status18vText is `status report`'s output at now against objs.
func status18vText(t *testing.T, now time.Time, objs ...runtime.Object) string {
	t.Helper()
	o, out := newTestOptions(now, objs...)
	require.NoError(t, execute(t, o, "status", "report"))
	return out.String()
}
