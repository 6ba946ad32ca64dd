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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
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
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	testingclock "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./pkg/plugin/ -update to write it")
	assert.Equal(t, string(want), string(got))
}

const ns = "team-a"

var cronJobUID = types.UID("11111111-2222-3333-4444-555555555555")

func cronJob(name, schedule string, mutate ...func(*batchv1.CronJob)) *batchv1.CronJob {
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: ns, UID: cronJobUID,
			CreationTimestamp: metav1.NewTime(time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)),
		},
		Spec: batchv1.CronJobSpec{
			Schedule:          schedule,
			TimeZone:          ptr.To("America/New_York"),
			ConcurrencyPolicy: batchv1.AllowConcurrent,
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{
				ActiveDeadlineSeconds: ptr.To[int64](600),
				BackoffLimit:          ptr.To[int32](1),
				Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyOnFailure,
					Containers:    []corev1.Container{{Name: "app", Image: "busybox"}},
				}},
			}},
			StartingDeadlineSeconds: ptr.To[int64](300),
		},
	}
	for _, m := range mutate {
		m(cj)
	}
	return cj
}

// job is a Job the controller made for scheduled time s, created late after
// it; firstRunning and finished are offsets from s (0: not set).
func job(cj *batchv1.CronJob, s time.Time, late, firstRunning, finished time.Duration, failed bool) *batchv1.Job {
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name: cj.Name + "-" + itoa(s.Unix()/60), Namespace: ns, UID: types.UID("job-" + itoa(s.Unix()/60)),
			CreationTimestamp: metav1.NewTime(s.Add(late)),
			Annotations: map[string]string{
				"steadycron.io/expected-start":              s.UTC().Format(time.RFC3339),
				batchv1.CronJobScheduledTimestampAnnotation: scheduledTimestamp(cj, s),
			},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: cj.Name, UID: cj.UID, Controller: ptr.To(true)}},
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
	j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{batchv1.ControllerUidLabel: string(j.UID)}}
	if firstRunning > 0 {
		j.Annotations["steadycron.io/first-running"] = s.Add(firstRunning).UTC().Format(time.RFC3339)
	}
	if finished > 0 {
		cond := batchv1.JobComplete
		if failed {
			cond = batchv1.JobFailed
		}
		j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(s.Add(finished))}}
		j.Status.CompletionTime = ptr.To(metav1.NewTime(s.Add(finished)))
	} else {
		j.Status.Active = 1
	}
	return j
}

// scheduledTimestamp is the batch.kubernetes.io/cronjob-scheduled-timestamp
// annotation of the Job of cj's scheduled time s, as both controllers write
// it: in cj's spec.timeZone, and in UTC (time.LoadLocation("")) without one,
// whatever zone the controller runs in. s's own zone stands for
// spec.timeZone here.
func scheduledTimestamp(cj *batchv1.CronJob, s time.Time) string {
	if cj.Spec.TimeZone == nil {
		return s.UTC().Format(time.RFC3339)
	}
	return s.Format(time.RFC3339)
}

// stockJob is a Job of scheduled time s as stock kube-controller-manager
// makes it, 10 ms after s: batch.kubernetes.io/cronjob-scheduled-timestamp
// only, no steadycron annotation.
func stockJob(cj *batchv1.CronJob, s time.Time, finished time.Duration) *batchv1.Job {
	j := job(cj, s, 10*time.Millisecond, 0, finished, false)
	delete(j.Annotations, "steadycron.io/expected-start")
	return j
}

// preAnnotationJob is the Job of scheduled time s as a controller that wrote
// no batch.kubernetes.io/cronjob-scheduled-timestamp made it
// (kube-controller-manager before 1.28, or 1.28-1.31 with the
// CronJobsScheduledAnnotation gate off): named NAME-<minutes of s>,
// controlled by the CronJob, with no annotation of its own.
func preAnnotationJob(cj *batchv1.CronJob, s time.Time, finished time.Duration) *batchv1.Job {
	j := stockJob(cj, s, finished)
	delete(j.Annotations, batchv1.CronJobScheduledTimestampAnnotation)
	return j
}

func itoa(i int64) string { return fmtInt(i) }

func pod(j *batchv1.Job, started, finished time.Time) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: j.Name + "-abcde", Namespace: ns, UID: types.UID(j.Name + "-abcde"),
			Labels:          map[string]string{batchv1.ControllerUidLabel: string(j.UID), batchv1.JobNameLabel: j.Name},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: j.Name, UID: j.UID, Controller: ptr.To(true)}},
		},
		Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{
			Name: "app",
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				StartedAt: metav1.NewTime(started), FinishedAt: metav1.NewTime(finished),
			}},
		}}},
	}
}

func event(cj *batchv1.CronJob, typ, reason, message string, first, last time.Time, count int32) *corev1.Event {
	return &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: cj.Name + "." + reason + itoa(first.Unix()), Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: "CronJob", Name: cj.Name, Namespace: ns, UID: cj.UID, APIVersion: "batch/v1"},
		Type:           typ, Reason: reason, Message: message, Count: count,
		FirstTimestamp: metav1.NewTime(first), LastTimestamp: metav1.NewTime(last),
	}
}

func lease(holder string, renewed time.Time) *coordinationv1.Lease {
	return &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: "steadycron", Namespace: "kube-system"},
		Spec: coordinationv1.LeaseSpec{
			HolderIdentity: ptr.To(holder), LeaseDurationSeconds: ptr.To[int32](15),
			RenewTime: ptr.To(metav1.NewMicroTime(renewed)),
		},
	}
}

// takenOver is steadycron's Lease renewed at renewed by steadycron-1, which
// acquired it at acquired (leaseTransitions 3).
func takenOver(renewed, acquired time.Time) *coordinationv1.Lease {
	l := lease("steadycron-1", renewed)
	l.Spec.AcquireTime = ptr.To(metav1.NewMicroTime(acquired))
	l.Spec.LeaseTransitions = ptr.To[int32](3)
	return l
}

func newTestOptions(now time.Time, objs ...runtime.Object) (*Options, *bytes.Buffer) {
	out := &bytes.Buffer{}
	o := NewOptions(genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: &bytes.Buffer{}})
	ns := ns
	o.ConfigFlags.Namespace = &ns
	client := fake.NewClientset(objs...)
	// The fake stores what it is given whatever the options; the API server
	// stores nothing on a dry run.
	client.PrependReactor("create", "*", func(action clienttesting.Action) (bool, runtime.Object, error) {
		if c, ok := action.(clienttesting.CreateActionImpl); ok && slices.Contains(c.CreateOptions.DryRun, metav1.DryRunAll) {
			return true, c.Object, nil
		}
		return false, nil, nil
	})
	o.Client = client
	o.Clock = testingclock.NewFakeClock(now)
	return o, out
}

// TestRunReplaceKeepsTheActiveJobWhenTheNewOneWouldBeRefused: with
// concurrencyPolicy Replace, a create the API server would refuse (RBAC,
// quota, admission) must not leave the CronJob with its active Job deleted
// and nothing running.
func TestRunReplaceKeepsTheActiveJobWhenTheNewOneWouldBeRefused(t *testing.T) {
	cj := cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent })
	running := job(cj, at(2, 30, 16), 0, time.Second, 0, false)
	o, _ := newTestOptions(at(9, 0, 16), cj, running)
	o.Client.(*fake.Clientset).PrependReactor("create", "jobs", func(clienttesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "batch", Resource: "jobs"}, "", nil)
	})
	require.Error(t, execute(t, o, "run", "report"))
	jobs, err := o.Client.BatchV1().Jobs(ns).List(t.Context(), metav1.ListOptions{})
	require.NoError(t, err)
	assert.Len(t, jobs.Items, 1, "the active Job was deleted though its replacement could not be created")
}

// execute runs the command line against o, as kubectl-cronjob would.
func execute(t *testing.T, o *Options, args ...string) error {
	t.Helper()
	cmd := NewCommand(o)
	cmd.SetArgs(args)
	cmd.SetOut(o.Out)
	cmd.SetErr(o.ErrOut)
	return cmd.ExecuteContext(context.Background())
}

var nyc, _ = time.LoadLocation("America/New_York")
var berlin, _ = time.LoadLocation("Europe/Berlin")

// santiago changes its clocks at midnight.
var santiago, _ = time.LoadLocation("America/Santiago")

func at(hour, minute int, day int) time.Time {
	return time.Date(2027, time.March, day, hour, minute, 0, 0, nyc)
}

func fmtInt(i int64) string { return strconv.FormatInt(i, 10) }

// forbid makes the fake refuse verb on resource, as RBAC would.
func forbid(verb, resource string) func(*fake.Clientset) {
	return func(c *fake.Clientset) {
		c.PrependReactor(verb, resource, func(clienttesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: resource}, "", errors.New("RBAC: access denied"))
		})
	}
}

// TestWhyFacts: what why concludes from the facts it can and cannot read,
// and around the CronJob's lifetime (before its creation, in the future).
func TestWhyFacts(t *testing.T) {
	now := at(9, 0, 16) // Tuesday 2027-03-16 09:00 EDT; the CronJob was created 2027-03-01
	sched := at(2, 30, 16)
	// The API server's answer to a Job over a ResourceQuota.
	refused := `Error creating job: jobs.batch "` + cronjob.JobName(cronJob("report", ""), sched) + `" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=10, limited: count/jobs.batch=10`
	// An @every 5m CronJob changed to @every 7m at minute 62 since its
	// creation; it ran at 60 (5m), 67 and 74 (7m).
	everyCreated := time.Date(2027, 3, 16, 0, 0, 30, 0, time.UTC)
	everyChanged := cronJob("report", "@every 7m", func(cj *batchv1.CronJob) {
		cj.CreationTimestamp = metav1.NewTime(everyCreated)
		cj.Spec.TimeZone = nil
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(everyCreated.Add(74 * time.Minute)))
		cj.ManagedFields = []metav1.ManagedFieldsEntry{{
			Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(everyCreated.Add(62 * time.Minute))),
			FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:schedule":{}}}`)},
		}}
	})
	fresh := lease("steadycron-0", now)
	suspended := func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) }
	ranAndRemoved := func(cj *batchv1.CronJob) {
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](0)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(sched))
		cj.Status.LastSuccessfulTime = ptr.To(metav1.NewTime(sched.Add(time.Minute)))
	}
	tests := map[string]struct {
		cj          *batchv1.CronJob
		objs        func(*batchv1.CronJob) []runtime.Object
		denied      []func(*fake.Clientset)
		now         time.Time
		at          string
		verdict     string
		contains    []string
		notContains []string
	}{
		"the history limit removed the Job that status.lastScheduleTime records": {
			cj:      cronJob("report", "30 2 * * *", ranAndRemoved),
			verdict: VerdictRan, contains: []string{"is gone"},
		},
		"Jobs unreadable, status.lastScheduleTime records the time": {
			cj:      cronJob("report", "30 2 * * *", ranAndRemoved),
			denied:  []func(*fake.Clientset){forbid("list", "jobs")},
			verdict: VerdictRan, contains: []string{"could not be read"}, notContains: []string{"is gone"},
		},
		"the Lease unreadable": {
			cj:      cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			denied:  []func(*fake.Clientset){forbid("get", "leases")},
			verdict: VerdictNoDecision, contains: []string{"Lease could not be read"}, notContains: []string{"not running here", "Lease was not found"},
		},
		"the Lease renewed last before the time, with a deadline": {
			cj:      cronJob("report", "30 2 * * *"),
			objs:    func(*batchv1.CronJob) []runtime.Object { return []runtime.Object{lease("steadycron-0", at(1, 0, 16))} },
			verdict: VerdictNoDecision, contains: []string{"no controller was leading"}, notContains: []string{"past its starting deadline"},
		},
		"Jobs and events unreadable, the Job ran": {
			cj: cronJob("report", "30 2 * * *"),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, sched, 10*time.Millisecond, 2*time.Second, time.Minute, false), lease("steadycron-0", at(2, 34, 16))}
			},
			denied:  []func(*fake.Clientset){forbid("list", "jobs"), forbid("list", "events"), forbid("get", "jobs")},
			now:     at(2, 34, 16),
			verdict: VerdictUnknown, contains: []string{"Jobs could not be read"}, notContains: []string{"no controller decided", "Skipped"},
		},
		// A flaky webhook refused 05:00 and 06:00 once each (one folded
		// FailedCreate); the retries created both Jobs, whose
		// SuccessfulCreate events expired. The user may get Jobs but not
		// list them: why's own Get of 05:00's Job finds it.
		"Jobs unreadable, a refused create whose retry ran: the Get finds the Job": {
			cj: cronJob("report", "0 * * * *", func(cj *batchv1.CronJob) { cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(at(6, 0, 16))) }),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{lease("steadycron-0", at(6, 30, 16)),
					job(cj, at(5, 0, 16), 12*time.Second, 14*time.Second, 3*time.Minute, false),
					job(cj, at(6, 0, 16), 12*time.Second, 14*time.Second, 3*time.Minute, false),
					event(cj, corev1.EventTypeWarning, "FailedCreate", webhookDenied, at(5, 0, 16), at(6, 0, 16), 2)}
			},
			denied: []func(*fake.Clientset){forbid("list", "jobs")},
			now:    at(6, 30, 16), at: "2027-03-16T05:00:00-04:00",
			verdict: VerdictRan, notContains: []string{"created no Job for this time"},
		},
		"Jobs unreadable, a Forbid CronJob": {
			cj:      cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent }),
			denied:  []func(*fake.Clientset){forbid("list", "jobs")},
			verdict: VerdictUnknown, contains: []string{"Jobs could not be read"},
		},
		"events unreadable, past the deadline: no guess": {
			cj:      cronJob("report", "30 2 * * *"),
			denied:  []func(*fake.Clientset){forbid("list", "events")},
			verdict: VerdictUnknown, contains: []string{"events could not be read"}, notContains: []string{"most likely past its starting deadline"},
		},
		"events unreadable, no deadline": {
			cj:      cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			denied:  []func(*fake.Clientset){forbid("list", "events")},
			verdict: VerdictUnknown, notContains: []string{"no controller decided"},
		},
		"events unreadable, the Lease renewed last before the time": {
			cj:      cronJob("report", "30 2 * * *"),
			objs:    func(*batchv1.CronJob) []runtime.Object { return []runtime.Object{lease("steadycron-0", at(1, 0, 16))} },
			denied:  []func(*fake.Clientset){forbid("list", "events")},
			verdict: VerdictNoDecision, contains: []string{"No Job for this time", "no controller was leading"},
		},
		"events unreadable, suspended: the spec says so": {
			cj:      cronJob("report", "30 2 * * *", suspended),
			denied:  []func(*fake.Clientset){forbid("list", "events")},
			verdict: VerdictSkipped, contains: []string{"suspended"},
		},
		"a scheduled time before the CronJob was created": {
			cj: cronJob("report", "30 2 * * *"), at: "2020-01-01T02:30:00-05:00",
			verdict: VerdictBeforeCreation, contains: []string{"was created 2027-02-28T19:00:00-05:00", "first after creation"}, notContains: []string{"is not a scheduled time"},
		},
		"a time before creation that is not a scheduled time either": {
			cj: cronJob("report", "30 2 * * *"), at: "2020-01-01T03:30:00-05:00",
			verdict: VerdictNotScheduled, contains: []string{"is not a scheduled time", "before the CronJob was created"},
		},
		"a scheduled time four days ahead": {
			cj: cronJob("report", "30 2 * * *"), at: "2027-03-20T02:30:00-04:00",
			verdict: VerdictNotDue, contains: []string{"comes in 89h30m."}, notContains: []string{"about to create"},
		},
		"a scheduled time less than a minute ahead: in seconds": {
			cj: cronJob("report", "30 2 * * *"), now: sched.Add(-25 * time.Second), at: sched.Format(time.RFC3339),
			verdict: VerdictNotDue, contains: []string{"comes in 25s."},
		},
		"the last scheduled time of year 9999: in years": {
			cj: cronJob("report", "* * * * *"), at: "9999-12-31T23:59:00Z",
			verdict: VerdictNotDue, contains: []string{"comes in over 7972 years."}, notContains: []string{"2562047h47m"},
		},
		// America/New_York's local mean time before 1883, -04:56:02, puts
		// its minutes 2 s past UTC's: 00:00:00Z is in 19:03 LMT's minute.
		"a time of year 1, before the CronJob was created": {
			cj: cronJob("report", "* * * * *"), at: "0001-01-01T00:00:00Z",
			verdict: VerdictBeforeCreation, contains: []string{"matches the schedule"},
		},
		"a scheduled time ahead, suspended": {
			cj: cronJob("report", "30 2 * * *", suspended), at: "2027-03-20T02:30:00-04:00",
			verdict: VerdictNotDue, contains: []string{"unless it is resumed"}, notContains: []string{"Skipped"},
		},
		"a time ahead that is not a scheduled time": {
			cj: cronJob("report", "30 2 * * *"), at: "2027-03-20T02:31:00-04:00",
			verdict: VerdictNotScheduled,
		},
		"the API server refused the Job (FailedCreate), no deadline": {
			cj: cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{event(cj, corev1.EventTypeWarning, "FailedCreate", refused, sched, sched.Add(15*time.Minute), 8), lease("steadycron-0", at(3, 0, 17))}
			},
			now: at(3, 0, 17), at: "2027-03-16T02:30:00-04:00",
			verdict: VerdictSkipped, contains: []string{"refused it (8 FailedCreate warning(s)", "exceeded quota", "until the next scheduled time (2027-03-17T02:30:00-04:00)"},
			notContains: []string{"no event", "no controller decided"},
		},
		"the API server refuses the Job (FailedCreate), the controller still retries": {
			cj: cronJob("report", "30 2 * * *"), now: sched.Add(time.Minute),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{event(cj, corev1.EventTypeWarning, "FailedCreate", refused, sched, sched.Add(50*time.Second), 4), lease("steadycron-0", sched.Add(time.Minute))}
			},
			verdict: VerdictUnknown, contains: []string{"Not run so far", "exceeded quota", "older than startingDeadlineSeconds (300s)"},
		},
		"the API server refused the Job until the deadline, then the stock MissSchedule": {
			cj: cronJob("report", "30 2 * * *"),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				missed := sched.Add(5*time.Minute + 5*time.Second)
				return []runtime.Object{
					event(cj, corev1.EventTypeWarning, "FailedCreate", refused, sched, sched.Add(4*time.Minute), 6),
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed scheduled time to start a job: "+sched.UTC().Format(time.RFC1123Z), missed, missed, 1),
					fresh,
				}
			},
			verdict: VerdictSkipped, contains: []string{"refused it (6 FailedCreate warning(s)", "not a late look", "Missed scheduled time"},
			notContains: []string{"first looked at this time"},
		},
		"the API server refused the Job until the deadline, then steadycron's MissSchedule": {
			cj: cronJob("report", "30 2 * * *"),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				missed := sched.Add(5*time.Minute + 5*time.Second)
				return []runtime.Object{
					event(cj, corev1.EventTypeWarning, "FailedCreate", refused, sched, sched.Add(4*time.Minute), 6),
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+sched.UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", missed, missed, 1),
					fresh,
				}
			},
			verdict: VerdictSkipped, contains: []string{"refused it (6 FailedCreate warning(s)", "not a late look"},
			notContains: []string{"when the controller got to it,"},
		},
		"suspended since before the time, while a Forbid Job hung: suspend comes first": {
			cj: cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) {
				cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
				cj.Spec.Suspend = ptr.To(true)
				cj.ManagedFields = []metav1.ManagedFieldsEntry{{
					Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(at(1, 0, 16))),
					FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:suspend":{}}}`)},
				}}
			}),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, 0, false), fresh}
			},
			verdict: VerdictSkipped, contains: []string{"the CronJob is suspended", "kubectl-patch"}, notContains: []string{"concurrencyPolicy"},
		},
		"@every after a change of its delay: the time the controller ran, counted from status.lastScheduleTime": {
			cj: everyChanged, now: everyChanged.CreationTimestamp.Add(75 * time.Minute),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				objs := []runtime.Object{lease("steadycron-0", cj.CreationTimestamp.Add(75*time.Minute))}
				for _, m := range []time.Duration{60, 67, 74} { // 60 under @every 5m; 67 and 74 under @every 7m
					objs = append(objs, job(cj, cj.CreationTimestamp.Add(m*time.Minute), 20*time.Millisecond, time.Second, 30*time.Second, false))
				}
				return objs
			},
			verdict: VerdictRan, contains: []string{"Ran as Job " + cronjob.JobName(everyChanged, everyChanged.CreationTimestamp.Add(74*time.Minute)) + ","},
		},
		"@every after a change of its delay, asked about a time before the last one": {
			cj: everyChanged, now: everyChanged.CreationTimestamp.Add(75 * time.Minute), at: "2027-03-16T01:07:30Z",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				name := cronjob.JobName(cj, cj.CreationTimestamp.Add(67*time.Minute))
				created := cj.CreationTimestamp.Add(67 * time.Minute)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+name, created, created, 1),
					lease("steadycron-0", cj.CreationTimestamp.Add(75*time.Minute)),
				}
			},
			verdict: VerdictRan, contains: []string{"the controller's events name it"}, notContains: []string{"not a time of the current schedule"},
		},
		"the time that just came": {
			cj: cronJob("report", "30 2 * * *"), now: sched.Add(2 * time.Second),
			objs:    func(*batchv1.CronJob) []runtime.Object { return []runtime.Object{lease("steadycron-0", sched)} },
			verdict: VerdictNotDue, contains: []string{"about to create"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			objs := []runtime.Object{tc.cj, fresh}
			if tc.objs != nil {
				objs = append(tc.objs(tc.cj), tc.cj)
			}
			n := now
			if !tc.now.IsZero() {
				n = tc.now
			}
			o, out := newTestOptions(n, objs...)
			for _, deny := range tc.denied {
				deny(o.Client.(*fake.Clientset))
			}
			args := []string{"why", "report", "-o", "json"}
			if tc.at != "" {
				args = append(args, "--at", tc.at)
			}
			require.NoError(t, execute(t, o, args...))
			var got Why
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			assert.Equal(t, tc.verdict, got.Verdict, got.Explanation)
			text := got.Explanation + "\n" + strings.Join(got.Evidence, "\n") + "\n" + strings.Join(nearestText(got.Nearest), "\n") + "\n" + controllerText(got.Controller)
			for _, s := range tc.contains {
				assert.Contains(t, text, s)
			}
			for _, s := range tc.notContains {
				assert.NotContains(t, text, s)
			}
		})
	}
}

// TestWhyEvidence: why weighs what the cluster still shows of a time whose
// Job is gone or that the current schedule does not have: the Jobs left, the
// controller's events (which name Jobs, whose names carry the scheduled time,
// and expire an hour after they were last seen), status.lastScheduleTime and
// metadata.managedFields. Where the evidence is gone it says Unknown.
func TestWhyEvidence(t *testing.T) {
	forbidMessage := "Not starting job because prior execution is running and concurrency policy is Forbid"
	jobName := func(s time.Time) string { return "report-" + itoa(s.Unix()/60) }
	managed := func(field string, when time.Time) func(*batchv1.CronJob) {
		return func(cj *batchv1.CronJob) {
			cj.ManagedFields = append(cj.ManagedFields, metav1.ManagedFieldsEntry{
				Manager: "kubectl-edit", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr.To(metav1.NewTime(when)),
				FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{"f:` + field + `":{}}}`)},
			})
		}
	}
	lastSchedule := func(s time.Time) func(*batchv1.CronJob) {
		return func(cj *batchv1.CronJob) { cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(s)) }
	}
	forbid := func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent }
	historyOf3 := func(cj *batchv1.CronJob) { cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](3) }
	// laterJobs are the Jobs of 06:00 to 08:00, created late after their time.
	laterJobs := func(late time.Duration) func(cj *batchv1.CronJob) []runtime.Object {
		return func(cj *batchv1.CronJob) []runtime.Object {
			var objs []runtime.Object
			for h := 6; h <= 8; h++ {
				objs = append(objs, job(cj, at(h, 0, 16), late, late+2*time.Second, time.Minute, false))
			}
			return objs
		}
	}
	tests := map[string]struct {
		cj          *batchv1.CronJob
		objs        func(*batchv1.CronJob) []runtime.Object
		lease       *coordinationv1.Lease
		now         time.Time
		at          string
		verdict     string
		reason      string
		contains    []string
		notContains []string
	}{
		"the history limit deleted the Job, no event left": {
			cj:  cronJob("report", "0 * * * *", historyOf3, lastSchedule(at(8, 0, 16))),
			now: at(8, 30, 16), at: "2027-03-16T03:00:00-04:00", objs: laterJobs(20 * time.Millisecond),
			verdict: VerdictUnknown, contains: []string{"successfulJobsHistoryLimit is 3 and 3 successful Job(s) of later times are kept", "Events expire"},
		},
		"the history limit deleted the Job, no deadline": {
			cj:  cronJob("report", "0 * * * *", historyOf3, lastSchedule(at(8, 0, 16)), func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			now: at(8, 30, 16), at: "2027-03-16T03:00:00-04:00", objs: laterJobs(20 * time.Millisecond),
			verdict: VerdictUnknown, notContains: []string{"no controller decided"},
		},
		"the history limit deleted the Job, the Jobs left were created late": {
			cj:  cronJob("report", "0 * * * *", historyOf3, lastSchedule(at(8, 0, 16))),
			now: at(8, 30, 16), at: "2027-03-16T03:00:00-04:00", objs: laterJobs(30 * time.Second),
			verdict: VerdictUnknown, notContains: []string{"Superseded"},
		},
		"the history limit deleted the Job, the events say so": {
			cj:  cronJob("report", "0 * * * *", historyOf3, lastSchedule(at(8, 0, 16))),
			now: at(8, 30, 16), at: "2027-03-16T08:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(8, 0, 16)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+jobName(s)+", condition: Complete", s.Add(time.Minute), s.Add(time.Minute), 1),
					event(cj, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job "+jobName(s), s.Add(time.Minute), s.Add(time.Minute), 1),
				}
			},
			verdict: VerdictRan, contains: []string{"Ran as Job " + jobName(at(8, 0, 16)), "after it finished: the CronJob's history limits", "It finished Complete"},
		},
		// Created at 09:00 and deleted by a user at 09:10 while it ran: the
		// controller recorded MissingJob, and no history limit deleted it.
		"a user deleted the running Job, MissingJob says so": {
			cj:  cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			now: at(9, 30, 16),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+jobName(s), at(9, 10, 16), at(9, 10, 16), 1),
				}
			},
			verdict: VerdictRan, contains: []string{"Ran as Job " + jobName(at(9, 0, 16)), "found it gone at 2027-03-16T13:10:00Z while it counted it active", "most likely before it finished", "Active job went missing"},
			notContains: []string{"a history limit whose event expired"},
		},
		"the running Job gone without MissingJob": {
			cj:  cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			now: at(9, 30, 16),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1)}
			},
			verdict: VerdictRan, contains: []string{"no SuccessfulDelete names it", "events since the Job was created (2027-03-16T13:00:00Z) are all kept", "a user or a tool deleted it"},
			notContains: []string{"history limit whose event"},
		},
		// steadycron-1 took the Lease at 09:05:40, after the Job's creation:
		// steadycron-0 may have deleted it (a history limit, or Replace at
		// 09:05) and been killed with its SuccessfulDelete and status write
		// still held back (--create-jobs-first). A MissingJob of the new
		// leader's first sync, or no event at all, is no sign of a user;
		// one seen long after the takeover, or a Lease held by the same
		// leader since before the creation, is.
		"a Job gone, MissingJob of a new leader's first sync": {
			cj:    cronJob("report", "*/5 * * * *", lastSchedule(at(9, 15, 16)), func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent }),
			lease: takenOver(at(9, 20, 16), at(9, 5, 16).Add(40*time.Second)),
			now:   at(9, 20, 16), at: "2027-03-16T09:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+jobName(s), at(9, 5, 16).Add(41*time.Second), at(9, 5, 16).Add(41*time.Second), 1),
				}
			},
			verdict: VerdictRan, contains: []string{"changed holder at 2027-03-16T13:05:40Z", "the previous leader, by Replace", "or a user or a tool deleted it"},
			notContains: []string{"so not the controller"},
		},
		// A rollout: steadycron-1's first sync at 09:05:41 found the Job
		// gone, then steadycron-2 took the Lease at 09:18. The Lease keeps
		// the latest acquireTime only; leaseTransitions (3) counts the
		// change at 09:05:40 too. With leaseTransitions 1 the change at
		// the acquireTime is the only one since the Lease was made.
		"a Job gone, MissingJob before a later leader change": {
			cj:    cronJob("report", "*/5 * * * *", lastSchedule(at(9, 15, 16)), func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent }),
			lease: takenOver(at(9, 20, 16), at(9, 18, 16)),
			now:   at(9, 20, 16), at: "2027-03-16T09:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+jobName(s), at(9, 5, 16).Add(41*time.Second), at(9, 5, 16).Add(41*time.Second), 1),
				}
			},
			verdict: VerdictRan, contains: []string{"changed holder 3 times (leaseTransitions)", "the previous leader, by Replace", "or a user or a tool deleted it"},
			notContains: []string{"so not the controller"},
		},
		"a Job gone, MissingJob before the only leader change": {
			cj: cronJob("report", "*/5 * * * *", lastSchedule(at(9, 15, 16)), func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent }),
			lease: func() *coordinationv1.Lease {
				l := takenOver(at(9, 20, 16), at(9, 18, 16))
				l.Spec.LeaseTransitions = ptr.To[int32](1)
				return l
			}(),
			now: at(9, 20, 16), at: "2027-03-16T09:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+jobName(s), at(9, 5, 16).Add(41*time.Second), at(9, 5, 16).Add(41*time.Second), 1),
				}
			},
			verdict: VerdictRan, contains: []string{"so not the controller"},
		},
		"a Job gone, MissingJob long after a leader change": {
			cj:    cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			lease: takenOver(at(9, 30, 16), at(9, 5, 16)),
			now:   at(9, 30, 16),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: "+jobName(s), at(9, 20, 16), at(9, 20, 16), 1),
				}
			},
			verdict: VerdictRan, contains: []string{"so not the controller", "most likely before it finished"},
		},
		"a Job gone without an event, a leader change since its creation": {
			cj:    cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			lease: takenOver(at(9, 30, 16), at(9, 5, 16)),
			now:   at(9, 30, 16),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1)}
			},
			verdict: VerdictRan, contains: []string{"no SuccessfulDelete names it, but steadycron's Lease changed holder at 2027-03-16T13:05:00Z", "the previous leader, by the CronJob's history limits"},
			notContains: []string{"are all kept", "concurrencyPolicy is Replace"},
		},
		"a Job gone without an event, the leader unchanged since before its creation": {
			cj:    cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			lease: takenOver(at(9, 30, 16), at(8, 0, 16)),
			now:   at(9, 30, 16),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1)}
			},
			verdict: VerdictRan, contains: []string{"are all kept", "a user or a tool deleted it"},
		},
		// An hour after the Job's creation, a SuccessfulDelete of its
		// history limits may have expired.
		"a Job gone, created more than an hour ago": {
			cj:  cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			now: at(10, 0, 16), at: "2027-03-16T09:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1)}
			},
			verdict: VerdictRan, contains: []string{"no event says who deleted it: a history limit whose event expired or was not kept, or a user"},
		},
		// 30 events in the last half hour: the spam filter (25, then one per
		// 5 minutes) may have dropped a SuccessfulDelete.
		"a Job gone, with more events than the spam filter keeps": {
			cj:  cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			now: at(9, 30, 16),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(9, 0, 16)
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeWarning, "FailedNeedsStart", "Cannot determine if job needs to be started", at(9, 1, 16), at(9, 29, 16), 29),
				}
			},
			verdict: VerdictRan, contains: []string{"no event says who deleted it: a history limit whose event expired or was not kept, or a user"},
		},
		"Replace deleted the running Job": {
			cj:  cronJob("report", "*/5 * * * *", lastSchedule(at(9, 0, 16)), func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent }),
			now: at(9, 1, 16), at: "2027-03-16T08:50:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(8, 50, 16)
				return []runtime.Object{
					job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, 0, false),
					event(cj, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted job "+jobName(s), at(8, 55, 16), at(8, 55, 16), 1),
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
				}
			},
			verdict: VerdictRan, contains: []string{"Ran as Job " + jobName(at(8, 50, 16)), "concurrencyPolicy is Replace", "Its result and start are not known"},
		},
		"a Replace CronJob with a later run: the Job may have been replaced": {
			cj:  cronJob("report", "*/5 * * * *", lastSchedule(at(9, 0, 16)), func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent }),
			now: at(9, 1, 16), at: "2027-03-16T08:50:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, 0, false)}
			},
			verdict: VerdictUnknown, contains: []string{"concurrencyPolicy is Replace and a later time ran"},
		},
		"the schedule edited after its last run: the current schedule's time before the edit": {
			cj: cronJob("report", "30 * * * *", lastSchedule(at(9, 0, 16)), managed("schedule", at(9, 40, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false)}
			},
			now:     at(9, 50, 16),
			verdict: VerdictNotScheduled, reason: "scheduleChanged",
			contains: []string{"at 2027-03-16T09:40:00-04:00 at the latest", "next: 2027-03-16T10:30:00-04:00"}, notContains: []string{"past its starting deadline"},
		},
		"the schedule edited after its last run: the old schedule's time, which ran": {
			cj: cronJob("report", "30 * * * *", lastSchedule(at(9, 0, 16)), managed("schedule", at(9, 40, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false)}
			},
			now: at(9, 50, 16), at: "2027-03-16T09:00:00-04:00",
			verdict: VerdictRan, contains: []string{"is not a time of the current schedule", "was last written at 2027-03-16T09:40:00-04:00"},
		},
		"the schedule edited: an old time whose Job the events name": {
			cj: cronJob("report", "30 * * * *", lastSchedule(at(9, 0, 16)), managed("schedule", at(9, 40, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				s := at(8, 0, 16)
				return []runtime.Object{
					job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false),
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(s), s, s, 1),
					event(cj, corev1.EventTypeNormal, "SawCompletedJob", "Saw completed job: "+jobName(s)+", condition: Failed", s.Add(time.Minute), s.Add(time.Minute), 1),
				}
			},
			now: at(9, 50, 16), at: "2027-03-16T08:00:00-04:00",
			verdict: VerdictRan, contains: []string{"Ran as Job " + jobName(at(8, 0, 16)), "not a time of the current schedule", "It finished Failed"},
		},
		"the schedule edited: an old time with no Job left": {
			cj: cronJob("report", "30 * * * *", lastSchedule(at(9, 0, 16)), managed("schedule", at(9, 40, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false)}
			},
			now: at(9, 50, 16), at: "2027-03-16T08:00:00-04:00",
			verdict: VerdictUnknown, reason: "scheduleChanged", contains: []string{"the earlier schedule is not on record"},
		},
		"the schedule written after the time, but not changed: no change taken": {
			cj: cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16)), managed("schedule", at(9, 40, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				// 9:00's Job is kept: Jobs are not deleted behind the CronJob's back.
				return []runtime.Object{job(cj, at(9, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false)}
			},
			now: at(9, 50, 16), at: "2027-03-16T08:00:00-04:00",
			verdict: VerdictSkipped, reason: "missedDeadline",
		},
		"a MissSchedule warning of a later time is not about this one": {
			cj: cronJob("report", "0 * * * *", forbid, lastSchedule(at(8, 0, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					job(cj, at(8, 0, 16), 20*time.Millisecond, 2*time.Second, 90*time.Minute, false),
					event(cj, corev1.EventTypeNormal, "JobAlreadyActive", forbidMessage, at(9, 0, 16), at(9, 0, 16), 1),
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 1 scheduled time up to "+at(10, 0, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", at(10, 10, 16), at(10, 10, 16), 1),
				}
			},
			now: at(10, 15, 16), at: "2027-03-16T09:00:00-04:00",
			verdict: VerdictSkipped, reason: "concurrencyPolicy",
		},
		"a MissSchedule warning of two times covers the earlier one": {
			cj: cronJob("report", "0 * * * *", lastSchedule(at(8, 0, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					job(cj, at(8, 0, 16), 20*time.Millisecond, 2*time.Second, time.Minute, false),
					event(cj, corev1.EventTypeWarning, "MissSchedule", "Missed 2 scheduled times up to "+at(10, 0, 16).UTC().Format(time.RFC3339)+": older than startingDeadlineSeconds (300s) when the controller got to them", at(10, 10, 16), at(10, 10, 16), 1),
				}
			},
			now: at(10, 15, 16), at: "2027-03-16T09:00:00-04:00",
			verdict: VerdictSkipped, reason: "missedDeadline", contains: []string{"and the controller said so"},
		},
		"Forbid's event stays after the blocking Job is deleted": {
			cj: cronJob("report", "0 * * * *", forbid, lastSchedule(at(8, 0, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					event(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job "+jobName(at(8, 0, 16)), at(8, 0, 16), at(8, 0, 16), 1),
					event(cj, corev1.EventTypeNormal, "JobAlreadyActive", forbidMessage, at(9, 0, 16), at(9, 0, 16), 1),
				}
			},
			now:     at(9, 15, 16),
			verdict: VerdictSkipped, reason: "concurrencyPolicy",
			contains: []string{"Job " + jobName(at(8, 0, 16)) + " (created 2027-03-16T12:00:00Z, deleted since)"}, notContains: []string{"no event"},
		},
		"an @every schedule, asked at the exact time its Job ran for": {
			cj: cronJob("report", "@every 1h", func(cj *batchv1.CronJob) {
				cj.CreationTimestamp = metav1.NewTime(cj.CreationTimestamp.Add(17 * time.Second))
			}),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, time.Date(2027, time.March, 16, 12, 0, 17, 0, time.UTC), 20*time.Millisecond, 2*time.Second, time.Minute, false)}
			},
			at:      "2027-03-16T12:00:17Z",
			verdict: VerdictRan, notContains: []string{"not a time of the current schedule"},
		},
		"an @every schedule, asked at the minute of a time": {
			cj: cronJob("report", "@every 1h", func(cj *batchv1.CronJob) {
				cj.CreationTimestamp = metav1.NewTime(cj.CreationTimestamp.Add(17 * time.Second))
				cj.Spec.StartingDeadlineSeconds = nil
			}),
			at:      "2027-03-16T12:00:00Z",
			verdict: VerdictNoDecision, contains: []string{"scheduled 2027-03-16T08:00:17-04:00"}, notContains: []string{"not a scheduled time"},
		},
		"a Job created before its time by a controller clock ahead": {
			cj: cronJob("report", "30 2 * * *"),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				j := job(cj, at(2, 30, 16), -2*time.Second, 2*time.Second, time.Minute, false)
				return []runtime.Object{j, event(cj, corev1.EventTypeWarning, "JobCreatedEarly", "Job "+j.Name+" was created at "+at(2, 29, 16).Add(58*time.Second).UTC().Format(time.RFC3339)+" by the API server's clock, 2s before its scheduled time "+at(2, 30, 16).UTC().Format(time.RFC3339)+": the controller's clock is ahead of the API server's", at(2, 30, 16), at(2, 30, 16), 1)}
			},
			verdict: VerdictRan, contains: []string{"created 2s before the scheduled time", "JobCreatedEarly"}, notContains: []string{"-2s"},
		},
		"a status.lastScheduleTime ahead of now": {
			cj: cronJob("report", "30 2 * * *", lastSchedule(at(2, 30, 17))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{event(cj, corev1.EventTypeWarning, "FutureLastScheduleTime", "status.lastScheduleTime "+at(2, 30, 17).UTC().Format(time.RFC3339)+" is 17h30m0s later than the controller's clock, and the API server's clock does not show that the clock that wrote it was ahead: this controller's clock may be behind; no job starts before the first scheduled time after it", at(9, 0, 16), at(9, 0, 16), 1)}
			},
			verdict: VerdictUnknown, reason: "clockAhead", contains: []string{"later than now: its clock was ahead", "scheduled 2027-03-17T02:30:00-04:00", "FutureLastScheduleTime"},
		},
		"a status.lastScheduleTime ahead of now, asked about a time before it": {
			cj:      cronJob("report", "30 2 * * *", lastSchedule(at(2, 30, 17))),
			at:      "2027-03-16T02:30:00-04:00",
			verdict: VerdictUnknown, reason: "clockAhead", contains: []string{"is later than now"},
		},
		"a controller clock ahead ran a time later than now: why explains that time": {
			cj: cronJob("report", "30 * * * *", lastSchedule(at(9, 30, 16))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 30, 16), -25*time.Minute, -25*time.Minute+2*time.Second, 0, false)}
			},
			verdict: VerdictRunning, contains: []string{"scheduled 2027-03-16T09:30:00-04:00", "created 25m0s before the scheduled time"},
		},
		"suspended, then resumed after the time": {
			cj: cronJob("report", "0 10 * * *", lastSchedule(at(10, 0, 17)), managed("suspend", at(12, 0, 16)), func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(false) }),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{
					job(cj, at(10, 0, 14), 20*time.Millisecond, 2*time.Second, time.Minute, false),
					job(cj, at(10, 0, 17), 20*time.Millisecond, 2*time.Second, time.Minute, false),
				}
			},
			now: at(11, 0, 17), at: "2027-03-16T10:00:00-04:00",
			verdict: VerdictUnknown, reason: "maybeSuspended", contains: []string{"may have been suspended then"}, notContains: []string{"past its starting deadline"},
		},
		"suspended now, but since after the time": {
			cj:      cronJob("report", "30 2 * * *", managed("suspend", at(8, 0, 16)), func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) }),
			verdict: VerdictUnknown, contains: []string{"whether it was suspended then is not known"},
		},
		// The failed 07:00 Job kept for debugging: its ownerReferences
		// removed, so that failedJobsHistoryLimit leaves it (steadycron
		// drops it from status.active: InvalidActiveJob). The list of the
		// CronJob's Jobs leaves it out; it is still the time's run.
		"the time's Job, its ownerReferences removed": {
			cj:  cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16))),
			now: at(9, 30, 16), at: "2027-03-16T07:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				kept := job(cj, at(7, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, true)
				kept.OwnerReferences = nil
				return []runtime.Object{kept,
					job(cj, at(8, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false),
					job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			},
			verdict: VerdictRan, contains: []string{"Ran as Job " + jobName(at(7, 0, 16)), "The Job has no controller now", "no controller reference"},
			notContains: []string{"belongs to something else"},
		},
		"the latest time's Job, its ownerReferences removed": {
			cj:  cronJob("report", "0 * * * *", lastSchedule(at(7, 0, 16))),
			now: at(7, 30, 16),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				kept := job(cj, at(7, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, true)
				kept.OwnerReferences = nil
				return []runtime.Object{kept}
			},
			verdict: VerdictRan, contains: []string{"Ran as Job " + jobName(at(7, 0, 16)), "The Job has no controller now"},
			notContains: []string{"is gone"},
		},
		// successfulJobsHistoryLimit was 0 until 08:30, when it was raised
		// to 3: the Job of 07:00 may have gone under the limit of then,
		// though today's limit would keep it.
		"the history limit raised after the time": {
			cj:  cronJob("report", "0 * * * *", historyOf3, lastSchedule(at(9, 0, 16)), managed("successfulJobsHistoryLimit", at(8, 30, 16))),
			now: at(9, 30, 16), at: "2027-03-16T07:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			},
			verdict: VerdictUnknown, contains: []string{"successfulJobsHistoryLimit was last written at 2027-03-16T12:30:00Z, after this time"},
		},
		// A Replace CronJob switched to Allow at 08:30: 07:00's running Job
		// may have been replaced by 08:00.
		"concurrencyPolicy written after the time": {
			cj:  cronJob("report", "0 * * * *", lastSchedule(at(9, 0, 16)), managed("concurrencyPolicy", at(8, 30, 16))),
			now: at(9, 30, 16), at: "2027-03-16T07:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			},
			verdict: VerdictUnknown, contains: []string{"concurrencyPolicy was last written at 2027-03-16T12:30:00Z, after this time (metadata.managedFields), so it may have been Replace"},
		},
		"the history limit written at the creation": {
			cj:  cronJob("report", "0 * * * *", historyOf3, lastSchedule(at(9, 0, 16)), managed("successfulJobsHistoryLimit", time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC))),
			now: at(9, 30, 16), at: "2027-03-16T07:00:00-04:00",
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(9, 0, 16), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			},
			verdict: VerdictSkipped, reason: "missedDeadline",
		},
		// startingDeadlineSeconds set to 300 at 08:00: at 02:30 the CronJob
		// may have had no deadline, under which a late controller still ran
		// the time.
		"a deadline written after the time": {
			cj: cronJob("report", "30 2 * * *", managed("startingDeadlineSeconds", at(8, 0, 16)), lastSchedule(at(2, 30, 15))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			},
			verdict: VerdictUnknown, reason: "maybeNoDeadline", contains: []string{"startingDeadlineSeconds was last written by kubectl-edit at 2027-03-16T12:00:00Z"},
			notContains: []string{"most likely past its starting deadline"},
		},
		"a deadline written at the creation": {
			cj: cronJob("report", "30 2 * * *", managed("startingDeadlineSeconds", time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)), lastSchedule(at(2, 30, 15))),
			objs: func(cj *batchv1.CronJob) []runtime.Object {
				return []runtime.Object{job(cj, at(2, 30, 15), 10*time.Millisecond, time.Second, 5*time.Minute, false)}
			},
			verdict: VerdictSkipped, reason: "missedDeadline", contains: []string{"most likely past its starting deadline"},
		},
		"a released Lease": {
			cj:      cronJob("report", "30 2 * * *", func(cj *batchv1.CronJob) { cj.Spec.StartingDeadlineSeconds = nil }),
			lease:   lease("", at(2, 31, 16)),
			verdict: VerdictNoDecision, contains: []string{"Lease has no holder"}, notContains: []string{"Lease was not found"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			now := at(9, 0, 16)
			if !tc.now.IsZero() {
				now = tc.now
			}
			l := lease("steadycron-0", now)
			if tc.lease != nil {
				l = tc.lease
			}
			objs := []runtime.Object{tc.cj, l}
			if tc.objs != nil {
				objs = append(objs, tc.objs(tc.cj)...)
			}
			o, out := newTestOptions(now, objs...)
			args := []string{"why", "report", "-o", "json"}
			if tc.at != "" {
				args = append(args, "--at", tc.at)
			}
			require.NoError(t, execute(t, o, args...))
			var got Why
			require.NoError(t, json.Unmarshal(out.Bytes(), &got))
			assert.Equal(t, tc.verdict, got.Verdict, got.Explanation)
			assert.Equal(t, tc.reason, got.Reason, got.Explanation)
			text := got.Explanation + "\n" + strings.Join(got.Evidence, "\n") + "\n" + strings.Join(nearestText(got.Nearest), "\n")
			if got.Scheduled != nil {
				text += "\nscheduled " + got.Scheduled.Time
			}
			for _, s := range tc.contains {
				assert.Contains(t, text, s)
			}
			for _, s := range tc.notContains {
				assert.NotContains(t, text, s)
			}
		})
	}
}
