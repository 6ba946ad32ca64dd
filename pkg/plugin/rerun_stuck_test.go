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

// Reruns under a time's name (kubectl replace --force) and stuck entries of
// status.active, as review h18y found them (review/README-h18y.md on branch
// h18y): each test has the finding's cases and a "control ..." case, the
// same question one fact away.

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/utils/ptr"
)

// replacedAt returns j as `kubectl replace --force` leaves it at created:
// the same name, annotations and ownerReferences, a new UID, and a fresh
// status (running, or finished after finished when finished > 0).
func replacedAt(j *batchv1.Job, created time.Time, finished time.Duration) *batchv1.Job {
	j.UID = types.UID(string(j.UID) + "-replaced")
	j.CreationTimestamp = metav1.NewTime(created)
	j.Status = batchv1.JobStatus{Active: 1}
	if finished > 0 {
		end := metav1.NewTime(created.Add(finished))
		j.Status = batchv1.JobStatus{CompletionTime: &end,
			Conditions: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: end}}}
	}
	return j
}

// TestStockForbidStuckEntryReplacedAfterTheTimesItHeld: hourly, Forbid,
// activeDeadlineSeconds 9000, the stock kube-controller-manager. The 08:00
// Job runs long; at 10:10 a user re-runs it with a changed pod template
// (`kubectl get job report-N -o json | jq 'del(.spec.selector) |
// del(.spec.template.metadata.labels)' | kubectl replace --force -f -`),
// and the controller's sync comes after the create: status.active keeps the
// entry with the 08:00 Job's UID for good (h18w, stuckActive: "replaced").
// 09:00 and 10:00 were skipped by Forbid (the 08:00 Job was running, and the
// entry was there: it names the Job of 08:00, report-<minutes of 08:00>),
// 11:00 and later by the stuck entry. Asked at 15:00 (every JobAlreadyActive
// event of 09:00 and 10:00 expired), why answers 11:00 right, but 09:00 and
// 10:00: Skipped (missedDeadline), "most likely past its starting deadline:
// no Job and no event", sending the user after a controller outage. stuckSkip
// dates the entry by the creation of the Job that has its name now (10:10,
// the replacement), not by the entry, which was there since 08:00: its
// name carries its scheduled time, and status.lastScheduleTime is 08:00.
// Control: the replacement made at 08:30, before 09:00: Skipped
// (concurrencyPolicy), naming the entry.
func TestStockForbidStuckEntryReplacedAfterTheTimesItHeld(t *testing.T) {
	now := at(15, 0, 16)
	objs := func(replaced time.Time) []runtime.Object {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = ptr.To[int64](9000)
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
		})
		stuck := stockJob(cj, at(8, 0, 16), 0)
		cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Namespace: ns, Name: stuck.Name, UID: stuck.UID, APIVersion: "batch/v1"}}
		return []runtime.Object{cj, replacedAt(stuck, replaced, 10*time.Minute), stockJob(cj, at(7, 0, 16), time.Minute)}
	}
	tests := map[string]struct {
		replaced time.Time
		at       string
	}{
		"finding: replaced at 10:10, asked about 09:00": {replaced: at(10, 10, 16), at: "2027-03-16T09:00:00-04:00"},
		"finding: replaced at 10:10, asked about 10:00": {replaced: at(10, 10, 16), at: "2027-03-16T10:00:00-04:00"},
		"control: replaced at 08:30, asked about 09:00": {replaced: at(8, 30, 16), at: "2027-03-16T09:00:00-04:00"},
	}
	for desc, tc := range tests {
		t.Run(desc, whyCase{now: now, at: tc.at, objs: objs(tc.replaced),
			verdict: VerdictSkipped, reason: "concurrencyPolicy",
			contains: []string{"status.active names Job report-30086640"}, notContains: []string{"starting deadline"}}.check)
	}
}

// TestWhyRerunByReplaceForceTakenForALateRun: every two hours,
// Allow, the stock kube-controller-manager. The controller created 08:00's
// Job at 08:00 (its SuccessfulCreate, kept) and saw it fail at 08:40
// (SawCompletedJob "condition: Failed", kept). At 09:10 the user re-runs
// it the usual way for a failed Job whose template must change
// (`kubectl get job report-N -o json | jq 'del(.spec.selector) |
// del(.spec.template.metadata.labels)' | kubectl replace --force -f -`):
// the same name, the CronJob's ownerReferences and scheduled-timestamp
// annotation, a new UID, created 09:10, running. why --at 08:00 (and plain
// why) at 09:30: "Running: Ran as Job report-30086640, created 1h10m0s
// after the scheduled time; running. It was created late: was a controller
// leading at the scheduled time?". The scheduled run was created on time
// and failed, as the CronJob's own events (shown by status beside it) say;
// the answer gives the rerun's state as the time's result and points the
// user at a controller outage. ranAs takes the Job of the name for the
// time's run whatever the controller's SuccessfulCreate, dated 1h10m before
// the Job's creationTimestamp, says: a Job created after the controller's
// creation of its name is another Job of that name.
// Control: the original Job, created at 08:00 and failed at 08:40: Ran.
func TestWhyRerunByReplaceForceTakenForALateRun(t *testing.T) {
	now := at(9, 30, 16)
	objs := func(rerun bool) []runtime.Object {
		cj := cronJob("report", "0 */2 * * *", func(cj *batchv1.CronJob) {
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
		})
		j := job(cj, at(8, 0, 16), 10*time.Millisecond, 0, 40*time.Minute, true)
		delete(j.Annotations, "steadycron.io/expected-start")
		if rerun {
			j = replacedAt(j, at(9, 10, 16), 0)
		}
		return []runtime.Object{cj, j, stockJob(cj, at(6, 0, 16), time.Minute),
			event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+j.Name, at(8, 0, 16), at(8, 0, 16), 1),
			event(cj, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+j.Name+", condition: Failed", at(8, 40, 16), at(8, 40, 16), 1),
		}
	}
	t.Run("finding: the Job of the name is a rerun made at 09:10", whyCase{now: now, at: "2027-03-16T08:00:00-04:00", objs: objs(true),
		verdict: VerdictRan, contains: []string{"It finished Failed", "a rerun"}, notContains: []string{"was a controller leading", "created 1h10m0s after the scheduled time"},
		statusContains: "2027-03-16T08:00:00-04:00 (rerun)"}.check)
	t.Run("finding: the same, plain why (the latest time)", whyCase{now: now, objs: objs(true),
		verdict: VerdictRan, notContains: []string{"was a controller leading", "created 1h10m0s after the scheduled time"}}.check)
	t.Run("control: the controller's own Job, failed at 08:40", whyCase{now: now, at: "2027-03-16T08:00:00-04:00", objs: objs(false),
		verdict: VerdictRan, notContains: []string{"was a controller leading", "created 1h10m0s after the scheduled time", "rerun"},
		statusNotContains: "(rerun)"}.check)
}

// TestStockForbidStuckEntryDroppedAtATakeoverBySteadycron: daily at 02:30,
// Forbid, startingDeadlineSeconds 300. Under the stock
// kube-controller-manager the 13th's Job was orphaned while it ran (its
// ownerReferences removed); status.active kept naming it, so the stock
// controller skipped the 14th, 15th and 16th (h18v/h18w). Stuck CronJobs
// are a reason to move to steadycron: on the 16th at 08:00 the stock
// CronJob controller is turned off (kube-controller-manager
// --controllers=-cronjob-controller) and steadycron takes its Lease
// (acquireTime 08:00, leaseTransitions 0); its first sync drops the entry
// and says so: InvalidActiveJob "Removed active job report-N: it is no
// longer controlled by this cronjob" (08:00, kept). Asked at 08:40, why
// about the 16th's 02:30 (and the 15th's, and plain why) says Skipped
// (missedDeadline), "most likely past its starting deadline: no Job and no
// event", a controller outage, with no word of the entry that the
// controller's own warning shows was in status.active until 08:00, naming
// a Job created on the 13th: the stock controller skipped these times
// (concurrencyPolicy). stuckSkip reads only the entry still in
// status.active, and only while the stock controller runs the CronJob.
// Control: the same CronJob before the switch (no Lease, the entry still
// there, no InvalidActiveJob): Skipped (concurrencyPolicy), naming it.
func TestStockForbidStuckEntryDroppedAtATakeoverBySteadycron(t *testing.T) {
	now := at(8, 40, 16)
	objs := func(switched bool) []runtime.Object {
		cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(2, 30, 13)))
		})
		stuck := stockJob(cj, at(2, 30, 13), 70*time.Minute)
		stuck.OwnerReferences = nil
		out := []runtime.Object{cj, stuck, stockJob(cj, at(2, 30, 12), time.Minute)}
		if !switched {
			cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Namespace: ns, Name: stuck.Name, UID: stuck.UID, APIVersion: "batch/v1"}}
			return out
		}
		l := lease("steadycron-0", now)
		l.Spec.AcquireTime = ptr.To(metav1.NewMicroTime(at(8, 0, 16)))
		l.Spec.LeaseTransitions = ptr.To[int32](0)
		return append(out, l, event(cj, corev1.EventTypeWarning, "InvalidActiveJob", "Removed active job "+stuck.Name+": it is no longer controlled by this cronjob", at(8, 0, 16), at(8, 0, 16), 1))
	}
	notContains := []string{"starting deadline"}
	t.Run("finding: steadycron dropped the entry at 08:00, asked about the 16th", whyCase{now: now, at: "2027-03-16T02:30:00-04:00", objs: objs(true),
		verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{"status.active named Job report-30082050", "InvalidActiveJob"}, notContains: notContains}.check)
	t.Run("finding: the same, asked about the 15th", whyCase{now: now, at: "2027-03-15T02:30:00-04:00", objs: objs(true),
		verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{"status.active named Job report-30082050", "InvalidActiveJob"}, notContains: notContains}.check)
	t.Run("finding: the same, plain why (the latest time)", whyCase{now: now, objs: objs(true),
		verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{"status.active named Job report-30082050", "InvalidActiveJob"}, notContains: notContains}.check)
	t.Run("control: before the switch, the entry still there", whyCase{now: now, at: "2027-03-16T02:30:00-04:00", objs: objs(false),
		verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{"status.active names Job report-30082050"}, notContains: notContains}.check)
}

// TestStockForbidStuckNoteWithTheDocumentedPermissions: hourly, Forbid, the
// stock kube-controller-manager, status.active naming the 08:00 Job, whose
// ownerReferences were removed (h18v's orphan): every later time is
// skipped. docs/plugin.md lists what status and next NAME read: get the
// CronJob, list Jobs and the CronJob's events, get the Lease; no get on
// Jobs (only why gets the time's Job by name). A user with exactly those
// permissions (a Role with list but not get on jobs, as a read-only
// "list what runs" role often is) gets from status and next the coming
// times with no note and no missing fact: 12:00 looks due. stuckActive reads
// the entry's Job with a get and takes a refused get for "not stuck",
// silently.
// Control: the same user with get on jobs: the times are noted skipped.
func TestStockForbidStuckNoteWithTheDocumentedPermissions(t *testing.T) {
	now := at(11, 20, 16)
	cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
	})
	stuck := stockJob(cj, at(8, 0, 16), 15*time.Minute)
	cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Namespace: ns, Name: stuck.Name, UID: stuck.UID, APIVersion: "batch/v1"}}
	stuck.OwnerReferences = nil
	objs := []runtime.Object{cj, stuck, stockJob(cj, at(7, 0, 16), time.Minute)}
	for desc, denyGet := range map[string]bool{
		"finding: list on jobs, no get (the documented permissions)": true,
		"control: list and get on jobs":                              false,
	} {
		t.Run(desc, func(t *testing.T) {
			for _, args := range [][]string{{"status", "report"}, {"next", "report", "--count", "1", "--no-headers"}} {
				o, out := newTestOptions(now, objs...)
				if denyGet {
					forbid("get", "jobs")(o.Client.(*fake.Clientset))
				}
				require.NoError(t, execute(t, o, args...))
				text := out.String() + o.ErrOut.(interface{ String() string }).String()
				t.Logf("%s:\n%s", strings.Join(args, " "), text)
				// The stuck note: the entry's Job is in the list of the
				// namespace's Jobs, which needs no get.
				assert.Contains(t, text, "status.active names Job "+stuck.Name, args[0])
			}
		})
	}
}

// TestWhyMissingJobWithoutTheLease: "*/5", Replace, steadycron (its
// Jobs carry steadycron.io/expected-start). h18u/h18v's takeover: at 10:05
// the leader replaced the running 10:00 Job and stopped before its held-back
// SuccessfulDelete and status write went out (--create-jobs-first, or a
// crash); the next leader's first sync, at 10:05:41, recorded MissingJob
// for 10:00's Job. With steadycron's Lease read (acquireTime 10:05:40) why
// hedges (the previous leader may have deleted it). When the plugin cannot
// read that Lease, it says "so not the controller: a user or a tool deleted
// it, most likely before it finished", though nothing it read rules out a
// change of leader, or a restart, just before the MissingJob: (1) steadycron
// runs under another Lease name than the plugin's default (the deployment's
// --lease-name; the plugin's own Controller note says "or under another
// Lease (--lease-name)"), or with --leader-elect=false, where a crash and
// restart loses the held-back events just the same and leaves no Lease to
// show it; (2) the user may not get leases in kube-system (RBAC: a team's
// namespace-scoped role, the usual case for the people asking about their
// own CronJob). takeoverBefore reads "no Lease" as "no leader change".
// Control: the Lease read, acquireTime 10:05:40: hedged.
func TestWhyMissingJobWithoutTheLease(t *testing.T) {
	cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) {
		cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(10, 15, 16)))
	})
	name := "report-" + itoa(at(10, 0, 16).Unix()/60)
	takeover := at(10, 5, 16).Add(40 * time.Second)
	now := at(10, 20, 16)
	objs := []runtime.Object{cj,
		job(cj, at(10, 5, 16), 10*time.Millisecond, time.Second, 4*time.Minute, false),
		job(cj, at(10, 10, 16), 10*time.Millisecond, time.Second, 4*time.Minute, false),
		job(cj, at(10, 15, 16), 10*time.Millisecond, time.Second, 0, false),
		event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+name, at(10, 0, 16), at(10, 0, 16), 1),
		event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job report-"+itoa(at(10, 10, 16).Unix()/60), at(10, 10, 16), at(10, 10, 16), 1),
		event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job report-"+itoa(at(10, 15, 16).Unix()/60), at(10, 15, 16), at(10, 15, 16), 1),
		event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+name, takeover.Add(time.Second), takeover.Add(time.Second), 1),
	}
	check := func(objs []runtime.Object, refuseLease bool) func(t *testing.T) {
		return func(t *testing.T) {
			o, out := newTestOptions(now, objs...)
			if refuseLease {
				forbid("get", "leases")(o.Client.(*fake.Clientset))
			}
			require.NoError(t, execute(t, o, "why", "report", "--at", "2027-03-16T10:00:00-04:00"))
			t.Logf("why 10:00:\n%s", out.String())
			assert.Contains(t, out.String(), "Ran as Job "+name)
			assert.NotContains(t, out.String(), "so not the controller")
		}
	}
	t.Run("finding: the Lease is not found (another --lease-name, or --leader-elect=false)", check(objs, false))
	t.Run("finding: get on leases refused (RBAC)", check(objs, true))
	t.Run("control: the Lease read, acquireTime 10:05:40", check(append(objs[:len(objs):len(objs)], takenOver(now, takeover)), false))
}

// TestStockForbidStuckEntryWhileSuspended: hourly, Forbid, the stock
// kube-controller-manager, status.active naming the 08:00 Job, whose
// ownerReferences were removed (h18v's orphan): the stock controller skips
// every time until the entry is removed, suspended or not (a resume does not
// touch status.active). The CronJob is suspended now (a maintenance window,
// or the owner pausing it while looking into the missed runs). next (and
// status) note each coming time "suspended: runs only if the CronJob is
// resumed by then, or late, at the resume, within startingDeadlineSeconds",
// and why --at 12:00 "Not due yet ... unless it is resumed by then, the
// controller will not run it": a resume runs nothing, the stuck entry skips
// it; why about a past time skipped while suspended: "Skipped: the CronJob
// is suspended. Resuming it runs the most recent scheduled time if it is
// within startingDeadlineSeconds". noteStuck is skipped for a suspended CronJob (next.go, status.go), and
// why's NotDueYet answer never weighs stuckActive: without the suspension
// it does not name the stuck entry either, while next, for the same time,
// says it is skipped.
// Control: the same CronJob not suspended: next notes the time skipped.
func TestStockForbidStuckEntryWhileSuspended(t *testing.T) {
	now := at(11, 20, 16)
	objs := func(suspended bool) []runtime.Object {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Spec.Suspend = ptr.To(suspended)
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(8, 0, 16)))
		})
		stuck := stockJob(cj, at(8, 0, 16), 15*time.Minute)
		cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", Namespace: ns, Name: stuck.Name, UID: stuck.UID, APIVersion: "batch/v1"}}
		stuck.OwnerReferences = nil
		return []runtime.Object{cj, stuck, stockJob(cj, at(7, 0, 16), time.Minute)}
	}
	next := func(suspended bool) func(t *testing.T) {
		return func(t *testing.T) {
			o, out := newTestOptions(now, objs(suspended)...)
			require.NoError(t, execute(t, o, "next", "report", "--count", "2", "--no-headers"))
			t.Logf("next:\n%s", out.String())
			assert.Equal(t, 2, strings.Count(out.String(), "status.active names Job"), out.String())
			o2, out2 := newTestOptions(now, objs(suspended)...)
			require.NoError(t, execute(t, o2, "status", "report"))
			assert.Contains(t, out2.String(), "status.active names Job")
		}
	}
	t.Run("finding: suspended, next and status", next(true))
	t.Run("finding: suspended, why about 12:00", whyCase{now: now, at: "2027-03-16T12:00:00-04:00", objs: objs(true),
		contains: []string{"status.active names Job report-30086640"}}.check)
	t.Run("finding: not suspended, why about 12:00", whyCase{now: now, at: "2027-03-16T12:00:00-04:00", objs: objs(false),
		contains: []string{"status.active names Job report-30086640"}}.check)
	// Suspended since 08:30 (spec.suspend written then): 09:00 was skipped
	// for the suspension, right, but "Resuming it runs the most recent
	// scheduled time" is not: the entry skips it after the resume too.
	suspendedAt := func(objs []runtime.Object) []runtime.Object {
		objs[0].(*batchv1.CronJob).ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(8, 30, 16))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
		}}
		return objs
	}
	t.Run("finding: suspended since 08:30, why about 09:00", whyCase{now: now, at: "2027-03-16T09:00:00-04:00", objs: suspendedAt(objs(true)),
		verdict: VerdictSkipped, reason: "suspended", notContains: []string{"Resuming it runs"}}.check)
	t.Run("control: not suspended, next and status", next(false))
}

// TestWhyRerunByReplaceForceBlocksNothingUnderTheStockController:
// hourly, Forbid, the stock kube-controller-manager, history limits 3/1.
// 08:00's Job failed at 08:20 (the controller saw it finish and dropped it
// from status.active). At 08:50 the user re-ran it with `kubectl replace
// --force` (same name, ownerReferences and scheduled-timestamp, new UID);
// the rerun failed too, at 09:30. 09:00 ran: status.active was empty, and
// the stock controller counts for Forbid only status.active, by UID, which
// never holds a re-created Job (it only warns UnexpectedJob while it runs).
// 09:00 to 13:00 succeeded; the history limits keep 11:00, 12:00 and 13:00
// and the rerun (the latest failure); 09:00's SuccessfulDelete (12:00) has
// expired, 10:00's (13:00) is kept. why --at 09:00 at 13:30 answers, as a
// fact, "Skipped: concurrencyPolicy is Forbid and Job report-30086640 was
// still running": the rerun, created 50 min after its time, is taken for
// 08:00's run (and, for --at 08:00, "created late: was a controller
// leading"), and a Job of the CronJob running at 09:00 for a blocker,
// before weighing that 09:00's Job may be gone (3 later successes kept).
// Under steadycron, which adopts such a Job (AdoptedJob), the same reading is
// right.
// Control: steadycron (its Lease, its Jobs with steadycron.io/expected-start,
// copied onto the rerun): Skipped (concurrencyPolicy), right.
func TestWhyRerunByReplaceForceBlocksNothingUnderTheStockController(t *testing.T) {
	now := at(13, 30, 16)
	objs := func(steadycron bool) []runtime.Object {
		cj := cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) {
			cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
			cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(13, 0, 16)))
		})
		mk := func(s time.Time, finished time.Duration, failed bool) *batchv1.Job {
			j := job(cj, s, 10*time.Millisecond, time.Second, finished, failed)
			if !steadycron {
				delete(j.Annotations, "steadycron.io/expected-start")
				delete(j.Annotations, "steadycron.io/first-running")
			}
			return j
		}
		rerun := mk(at(8, 0, 16), 90*time.Minute, true)
		rerun.UID = types.UID(string(rerun.UID) + "-replaced")
		rerun.CreationTimestamp = metav1.NewTime(at(8, 50, 16))
		delete(rerun.Annotations, "steadycron.io/first-running")
		out := []runtime.Object{cj, rerun, mk(at(11, 0, 16), time.Minute, false), mk(at(12, 0, 16), time.Minute, false), mk(at(13, 0, 16), time.Minute, false),
			event(cj, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job report-"+itoa(at(10, 0, 16).Unix()/60), at(13, 0, 16), at(13, 0, 16), 1)}
		if steadycron {
			out = append(out, lease("steadycron-0", now))
		}
		return out
	}
	t.Run("finding: the stock controller", whyCase{now: now, at: "2027-03-16T09:00:00-04:00", objs: objs(false),
		verdict: VerdictUnknown, reason: "maybeRerun", notVerdicts: []string{VerdictSkipped}, notContains: []string{"was still running"}}.check)
	t.Run("control: steadycron, which adopts the rerun", whyCase{now: now, at: "2027-03-16T09:00:00-04:00", objs: objs(true),
		verdict: VerdictSkipped, reason: "concurrencyPolicy", contains: []string{"Job report-30086640 was still running"}}.check)
}
