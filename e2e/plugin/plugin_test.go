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
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
	"github.com/steadycron/steadycron/pkg/plugin"
)

// scheduleWaitMargin is how long after a minute mark a test waits for the
// controller to have acted on it.
const scheduleWaitMargin = 20 * time.Second

// kubectlCronJob runs kubectl cronjob in namespace ns and logs its output.
func kubectlCronJob(t *testing.T, ns string, args ...string) (string, error) {
	t.Helper()
	out, err := cluster.KubectlCronJob(t.Context(), append([]string{"-n", ns}, args...)...)
	t.Logf("kubectl cronjob %s:\n%s", strings.Join(args, " "), out)
	return out, err
}

// why runs kubectl cronjob why -o json.
func why(t *testing.T, ns string, args ...string) plugin.Why {
	t.Helper()
	out, err := kubectlCronJob(t, ns, append([]string{"why", "-o", "json"}, args...)...)
	require.NoError(t, err)
	var w plugin.Why
	require.NoError(t, json.Unmarshal([]byte(out), &w))
	assert.Equal(t, plugin.APIVersion, w.APIVersion)
	return w
}

// TestNextNotesDaylightSavingTime: next prints the controller's times for a
// schedule in a time zone with daylight saving time, with the spring gap
// noted, and a CronJob's own times.
func TestNextNotesDaylightSavingTime(t *testing.T) {
	t.Parallel()
	ns := cluster.NewNamespace(t)
	out, err := kubectlCronJob(t, ns, "next", "30 2 * * *", "--time-zone", "America/New_York", "--count", "400", "-o", "json")
	require.NoError(t, err)
	var next plugin.NextTimes
	require.NoError(t, json.Unmarshal([]byte(out), &next))
	require.Len(t, next.Times, 400)
	var gap, overlap int
	for _, tm := range next.Times {
		if strings.Contains(tm.Note, "does not exist that day") {
			gap++
		}
		if strings.Contains(tm.Note, "clocks back") {
			overlap++
		}
	}
	assert.Equal(t, 1, gap, "one spring gap noted in 400 days")
	assert.Equal(t, 1, overlap, "one autumn change noted in 400 days")

	cj := cluster.NewCronJob("nightly", "30 2 * * *", framework.Succeeds)
	cj.Spec.TimeZone = ptr.To("Europe/Berlin")
	_, err = cluster.CreateCronJob(t.Context(), ns, cj)
	require.NoError(t, err)
	out, err = kubectlCronJob(t, ns, "next", "nightly", "--count", "3")
	require.NoError(t, err)
	assert.Contains(t, out, "TIME")
	assert.Equal(t, 4, strings.Count(out, "\n"), "a header and three times")
	assert.Contains(t, out, "T02:30:00+0", "the times are at 02:30 in Berlin")
}

// TestRunHonoursForbidAndWaits: run --wait runs a Job and follows it to its
// end; status shows it with its first-running annotation; while a run is
// active, run refuses for Forbid; why explains the Forbid skip of the next
// scheduled time.
func TestRunHonoursForbidAndWaits(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	quick := cluster.NewCronJob("quick", "0 0 1 1 *", framework.Succeeds)
	_, err := cluster.CreateCronJob(ctx, ns, quick)
	require.NoError(t, err)
	out, err := kubectlCronJob(t, ns, "run", "quick", "--wait", "--timeout", "60s")
	require.NoError(t, err)
	assert.Contains(t, out, "created")
	assert.Contains(t, out, "complete")
	err = framework.WaitFor(ctx, "the first-running annotation", 30*time.Second, func(context.Context) (bool, error) {
		out, err = kubectlCronJob(t, ns, "status", "quick", "-o", "json")
		if err != nil {
			return false, err
		}
		var s plugin.StatusReport
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			return false, err
		}
		return len(s.Runs) == 1 && s.Runs[0].Manual && s.Runs[0].FirstRunning != "" && s.Runs[0].StartDelay != "", nil
	})
	require.NoError(t, err)

	forbid := cluster.NewCronJob("forbid", "* * * * *", framework.RunsForever)
	forbid.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, forbid)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(0)+scheduleWaitMargin)
	require.NoError(t, err)
	_, err = kubectlCronJob(t, ns, "run", "forbid")
	require.ErrorContains(t, err, "concurrencyPolicy Forbid and Job "+jobs[0].Name+" is active")

	_, err = cluster.WaitForEvent(ctx, ns, cj, framework.UntilNextMinute(0)+scheduleWaitMargin, "JobAlreadyActive")
	require.NoError(t, err)
	// The first Job never ends: each later time is skipped only for now,
	// as the controller runs it late if that Job ends before the next time.
	w := why(t, ns, "forbid")
	assert.Equal(t, plugin.VerdictUnknown, w.Verdict, w.Explanation)
	assert.Equal(t, "concurrencyPolicy", w.Reason)
	assert.Contains(t, w.Explanation, jobs[0].Name)
	assert.Contains(t, w.Explanation, "runs it late if that Job ends before")
	assert.True(t, ptr.Deref(w.Controller.Leading, false), "steadycron leads: %+v", w.Controller)

	out, err = kubectlCronJob(t, ns, "why", "forbid")
	require.NoError(t, err)
	assert.Contains(t, out, "Unknown (concurrencyPolicy)")
	assert.Contains(t, out, "skipped this time for now")
	out, err = kubectlCronJob(t, ns, "status", "forbid")
	require.NoError(t, err)
	assert.Contains(t, out, "JobAlreadyActive")

	w = why(t, ns, "forbid", "--at", jobs[0].Annotations["steadycron.io/expected-start"])
	assert.Equal(t, plugin.VerdictRunning, w.Verdict, w.Explanation)
}

// TestWhyDeadlineMiss: a scheduled time that the controller first sees more
// than startingDeadlineSeconds after it is explained as a missed deadline
// (steadycron's controller records a MissSchedule warning for it, which
// why cites).
func TestWhyDeadlineMiss(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	_, minute, err := cluster.CreateCronJobPastItsDeadline(ctx, ns, "deadline")
	require.NoError(t, err)
	w := why(t, ns, "deadline", "--at", minute.Add(5*time.Second).Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictSkipped, w.Verdict, w.Explanation)
	assert.Equal(t, "missedDeadline", w.Reason)
	require.NotNil(t, w.Scheduled)
	assert.Equal(t, minute.UTC().Format(time.RFC3339), w.Scheduled.UTC)
	out, err := kubectlCronJob(t, ns, "why", "deadline")
	require.NoError(t, err)
	assert.Contains(t, out, "Skipped (missedDeadline)")
	assert.Contains(t, out, "and the controller said so", "why does not cite the controller's MissSchedule warning")
	t.Logf("kubectl cronjob why deadline:\n%s", out)
}

// TestWhyCreateRefused: a ResourceQuota of 0 Jobs makes the API server
// refuse every Job of the CronJob; the controller records a FailedCreate
// warning for the time and retries it until the next one. why cites the
// warning: while the controller retries, the time has not run so far; once
// the next time came, it was skipped (createFailed).
func TestWhyCreateRefused(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	require.NoError(t, cluster.RefuseJobs(ctx, ns))
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("quota", "* * * * *", framework.Succeeds))
	require.NoError(t, err)
	ev, err := cluster.WaitForEvent(ctx, ns, cj, framework.UntilNextMinute(0)+scheduleWaitMargin, "FailedCreate")
	require.NoError(t, err)
	t.Logf("event %s: %s", ev.Reason, ev.Message)
	refused := ev.FirstTimestamp.Time
	if refused.IsZero() {
		refused = ev.EventTime.Time
	}
	refused = refused.Truncate(time.Minute)
	// The time is NotDueYet for 5 s after it; ask until it is not.
	var w plugin.Why
	err = framework.WaitFor(ctx, "why past the time's first seconds", time.Minute, func(context.Context) (bool, error) {
		w = why(t, ns, "quota", "--at", refused.Format(time.RFC3339))
		return w.Verdict != plugin.VerdictNotDue, nil
	})
	require.NoError(t, err)
	assert.Equal(t, "createFailed", w.Reason, "%s: %s", w.Verdict, w.Explanation)
	assert.Contains(t, w.Explanation+strings.Join(w.Evidence, "\n"), "FailedCreate")
	// Once the next time came, the controller gave this one up.
	err = framework.WaitFor(ctx, "the next scheduled time", time.Until(refused.Add(time.Minute))+scheduleWaitMargin, func(context.Context) (bool, error) {
		w = why(t, ns, "quota", "--at", refused.Format(time.RFC3339))
		return w.Verdict == plugin.VerdictSkipped, nil
	})
	require.NoError(t, err, "%s (%s): %s", w.Verdict, w.Reason, w.Explanation)
	assert.Equal(t, "createFailed", w.Reason)
	assert.Contains(t, w.Explanation, "exceeded quota")
}

// TestWhySuspended: a scheduled time that passes while the CronJob is
// suspended is explained as such; lint and status show the CronJob.
func TestWhySuspended(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	template := cluster.NewCronJob("suspended", "* * * * *", framework.Succeeds)
	template.Spec.Suspend = ptr.To(true)
	_, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	var w plugin.Why
	err = framework.WaitFor(ctx, "a scheduled time since the creation", framework.UntilNextMinute(0)+scheduleWaitMargin, func(context.Context) (bool, error) {
		w = why(t, ns, "suspended")
		return w.Verdict != plugin.VerdictNoScheduleTime, nil
	})
	require.NoError(t, err)
	assert.Equal(t, plugin.VerdictSkipped, w.Verdict, w.Explanation)
	assert.Equal(t, "suspended", w.Reason)
	// A time to come is not due yet, suspended or not; one before the
	// CronJob existed matches the schedule but was never due.
	w = why(t, ns, "suspended", "--at", time.Now().Add(time.Hour).Truncate(time.Minute).Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictNotDue, w.Verdict, w.Explanation)
	assert.Contains(t, w.Explanation, "suspended now")
	w = why(t, ns, "suspended", "--at", time.Now().Add(-24*time.Hour).Truncate(time.Minute).Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictBeforeCreation, w.Verdict, w.Explanation)

	out, err := kubectlCronJob(t, ns, "status", "suspended")
	require.NoError(t, err)
	assert.Contains(t, out, "Suspended:            true")
	assert.Contains(t, out, "Next times:")
}

// TestWhyAfterTheHistoryLimit: a CronJob every minute with
// successfulJobsHistoryLimit 1. Once the history limit deleted its first Job,
// why --at that first time says it ran as that Job, from the controller's
// SuccessfulCreate, SawCompletedJob and SuccessfulDelete events, and names
// the history limit.
func TestWhyAfterTheHistoryLimit(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	template := cluster.NewCronJob("history", "* * * * *", framework.Succeeds)
	template.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](1)
	template.Spec.StartingDeadlineSeconds = ptr.To[int64](30)
	cj, err := cluster.CreateCronJob(ctx, ns, template)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(0)+scheduleWaitMargin)
	require.NoError(t, err)
	first, err := framework.ScheduledTime(&jobs[0])
	require.NoError(t, err)
	err = framework.WaitFor(ctx, "the first Job deleted by the history limit", 3*time.Minute, func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		if err != nil {
			return false, nil //nolint:nilerr // retried
		}
		for _, j := range jobs {
			if s, _ := framework.ScheduledTime(&j); s.Equal(first) {
				return false, nil
			}
		}
		return len(jobs) > 0, nil
	})
	require.NoError(t, err)
	w := why(t, ns, "history", "--at", first.Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictRan, w.Verdict, "%s ran (SuccessfulCreate, SuccessfulDelete): %s", first, w.Explanation)
	assert.Contains(t, w.Explanation, "Ran as Job "+jobs[0].Name)
	assert.Contains(t, w.Explanation, "history limits")
	assert.Contains(t, w.Explanation, "It finished Complete")
	out, err := kubectlCronJob(t, ns, "why", "history", "--at", first.Format(time.RFC3339))
	require.NoError(t, err)
	assert.Contains(t, out, "Verdict:          Ran")
}

// TestLintExitsNonZeroOnErrors: lint reports a short deadline as an error
// (exit status 1) and a CronJob without findings as clean.
func TestLintExitsNonZeroOnErrors(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	risky := cluster.NewCronJob("risky", "0 3 * * *", framework.Succeeds)
	risky.Spec.StartingDeadlineSeconds = ptr.To[int64](5)
	_, err := cluster.CreateCronJob(ctx, ns, risky)
	require.NoError(t, err)
	out, err := kubectlCronJob(t, ns, "lint", "risky")
	require.ErrorContains(t, err, "exit status 1")
	assert.Contains(t, out, "short-deadline")

	fine := cluster.NewCronJob("fine", "7 * * * *", framework.Succeeds)
	fine.Spec.StartingDeadlineSeconds = ptr.To[int64](120)
	fine.Spec.JobTemplate.Spec.BackoffLimit = ptr.To[int32](1)
	_, err = cluster.CreateCronJob(ctx, ns, fine)
	require.NoError(t, err)
	out, err = kubectlCronJob(t, ns, "lint", "fine", "--no-headers")
	require.NoError(t, err)
	assert.Empty(t, out, "no finding, no line on stdout (the no-findings line goes to stderr)")
	out, err = kubectlCronJob(t, ns, "lint", "fine", "-o", "json")
	require.NoError(t, err)
	var report plugin.LintReport
	require.NoError(t, json.Unmarshal([]byte(out), &report))
	assert.Equal(t, 1, report.Checked)
	assert.Empty(t, report.Findings)
}

// TestWhyForbidSkipPastItsDeadline: a Forbid CronJob due every minute with
// startingDeadlineSeconds 10 whose first Job never ends. The controller
// skips the next minute for Forbid (JobAlreadyActive) and, at the sync of the
// minute after, reports that skipped time again as older than the deadline
// (MissSchedule "Missed 1 scheduled time up to ..."). why of the skipped
// minute says Forbid skipped it, for good (its deadline passed), naming the
// running Job, not that the controller got to it past the deadline.
func TestWhyForbidSkipPastItsDeadline(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	forbid := cluster.NewCronJob("forbid", "* * * * *", framework.RunsForever)
	forbid.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	forbid.Spec.StartingDeadlineSeconds = ptr.To[int64](10)
	cj, err := cluster.CreateCronJob(ctx, ns, forbid)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(0)+scheduleWaitMargin)
	require.NoError(t, err)
	first, err := time.Parse(time.RFC3339, jobs[0].Annotations["steadycron.io/expected-start"])
	require.NoError(t, err)
	skipped := first.Add(time.Minute)
	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(skipped)+scheduleWaitMargin, "JobAlreadyActive")
	require.NoError(t, err)
	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(skipped.Add(time.Minute))+scheduleWaitMargin, "MissSchedule")
	require.NoError(t, err)

	w := why(t, ns, "forbid", "--at", skipped.Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictSkipped, w.Verdict, w.Explanation)
	assert.Equal(t, "concurrencyPolicy", w.Reason, w.Explanation)
	assert.Contains(t, w.Explanation, jobs[0].Name)
}

// TestWhyForbidHeldThenRunLate: a Forbid CronJob due every minute whose
// Jobs run 90 s. The next minute is skipped tentatively (JobAlreadyActive)
// and, when the first Job ends about 30 s later, run late (seen: created at
// :31). why of that minute names the Job that held it (Forbid), as the
// controller's event says, rather than asking whether a controller led.
func TestWhyForbidHeldThenRunLate(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	forbid := cluster.NewCronJob("forbid", "* * * * *", framework.Pod{RunFor: 90 * time.Second})
	forbid.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj, err := cluster.CreateCronJob(ctx, ns, forbid)
	require.NoError(t, err)
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, framework.UntilNextMinute(0)+scheduleWaitMargin)
	require.NoError(t, err)
	first, err := time.Parse(time.RFC3339, jobs[0].Annotations["steadycron.io/expected-start"])
	require.NoError(t, err)
	held := first.Add(time.Minute)
	_, err = cluster.WaitForEvent(ctx, ns, cj, time.Until(held)+scheduleWaitMargin, "JobAlreadyActive")
	require.NoError(t, err)
	_, err = cluster.WaitForJobs(ctx, cj, 2, time.Until(first.Add(90*time.Second))+scheduleWaitMargin)
	require.NoError(t, err)

	w := why(t, ns, "forbid", "--at", held.Format(time.RFC3339))
	assert.NotContains(t, w.Explanation, "was a controller leading", w.Explanation)
	assert.Contains(t, w.Explanation, jobs[0].Name, w.Explanation)
}

// TestRunWithTheDocumentedPermissions: a user with
// the permissions docs/plugin.md lists for run of an Allow CronJob (get the
// CronJob, create a Job) may run `kubectl create job --from=cronjob/NAME`,
// which run says it does as; `kubectl cronjob run NAME` must work for that
// user too. The control plane enables
// OwnerReferencesPermissionEnforcement (e2e/README.md), as OpenShift does.
//
// Both create a Job: run's owner reference leaves blockOwnerDeletion unset,
// as kubectl's does.
func TestRunWithTheDocumentedPermissions(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	_, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("quick", "0 0 1 1 *", framework.Succeeds))
	require.NoError(t, err)
	const user = "review6-runner"
	_, err = cluster.Client.RbacV1().Roles(ns).Create(ctx, &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: user},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{"batch"}, Resources: []string{"cronjobs"}, Verbs: []string{"get"}},
			{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"create"}},
		},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	_, err = cluster.Client.RbacV1().RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: user},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}},
	}, metav1.CreateOptions{})
	require.NoError(t, err)

	out, err := cluster.Kubectl(ctx, "--as", user, "-n", ns, "create", "job", "by-kubectl", "--from=cronjob/quick")
	t.Logf("kubectl create job --from=cronjob/quick as %s:\n%s", user, out)
	require.NoError(t, err, "kubectl create job --from=cronjob/quick as %s", user)
	_, err = kubectlCronJob(t, ns, "--as", user, "run", "quick")
	require.NoError(t, err, "kubectl cronjob run quick as %s, who may run kubectl create job --from=cronjob/quick", user)

	// --wait needs list and watch on Jobs, which the user lacks: the API
	// server's Forbidden error at once, not a wait until --timeout. The
	// TYPE/NAME of kubectl get -o name is taken as the CronJob's name.
	start := time.Now()
	out, err = kubectlCronJob(t, ns, "--as", user, "run", "cronjob.batch/quick", "--wait", "--timeout", "2m")
	require.Error(t, err, "run --wait without list on jobs:\n%s", out)
	assert.Less(t, time.Since(start), time.Minute, "run --wait waited for its --timeout:\n%s", out)
	assert.Contains(t, err.Error(), "--wait needs list and watch on jobs in "+ns)
	assert.Contains(t, err.Error(), "forbidden")
}

// TestWhyTimesInOneMinute: "@every 30s" has two times a minute, and a Job's
// name has only the minute of its time, so the second time of each minute
// finds its Job's name taken by the first one's Job; steadycron records
// JobNameConflict. why of that time says it was skipped for the name
// (nameConflict) and names the Job of the first time, not that it ran as
// that Job, nor that the Job is not the CronJob's.
func TestWhyTimesInOneMinute(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("every", "@every 30s", framework.Pod{RunFor: time.Second}))
	require.NoError(t, err)
	ev, err := cluster.WaitForEvent(ctx, ns, cj, 2*time.Minute+scheduleWaitMargin, "JobNameConflict")
	require.NoError(t, err)
	// "Not starting job for 2026-11-30T11:01:47Z: job every-29934061 exists and is the job of 2026-11-30T11:01:17Z"
	m := regexp.MustCompile(`^Not starting job for (\S+): job (\S+) exists and is the job of (\S+)$`).FindStringSubmatch(ev.Message)
	require.Len(t, m, 4, ev.Message)
	skipped, err := time.Parse(time.RFC3339, m[1])
	require.NoError(t, err, ev.Message)

	w := why(t, ns, "every", "--at", skipped.Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictSkipped, w.Verdict, w.Explanation)
	assert.Equal(t, "nameConflict", w.Reason, w.Explanation)
	require.NotNil(t, w.Scheduled, w.Explanation)
	assert.Equal(t, skipped.UTC().Format(time.RFC3339), w.Scheduled.UTC)
	assert.Contains(t, w.Explanation, "Job "+m[2]+", the name of this time's Job, is the Job of "+m[3], w.Explanation)
}

// TestWhyManualJobWithTheTimesNameDeleted: a Job made by hand under the name
// of the next scheduled time's Job makes steadycron skip that time
// (JobNameConflict, "was made by hand"). Once that manual Job is deleted after
// the next scheduled time (the controller did not run the time: no
// SuccessfulCreate for it), why must still say the time was skipped, not "Ran
// as Job <the manual Job>" from its SawCompletedJob event, which came before
// the scheduled time.
func TestWhyManualJobWithTheTimesNameDeleted(t *testing.T) {
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("hand", "* * * * *", framework.Pod{RunFor: time.Second}))
	require.NoError(t, err)
	require.NoError(t, framework.WaitForSecondsPastMinute(ctx, 5, 40))
	sched := framework.NextMinute(time.Now())
	job, err := cluster.CreateManualJob(ctx, cj, cj.Name+"-"+strconv.FormatInt(sched.Unix()/60, 10))
	require.NoError(t, err)
	ev, err := cluster.WaitForEvent(ctx, ns, cj, framework.UntilNextMinute(scheduleWaitMargin), "JobNameConflict")
	require.NoError(t, err)
	require.Contains(t, ev.Message, "Not starting job for "+sched.UTC().Format(time.RFC3339))

	w := why(t, ns, "hand", "--at", sched.UTC().Format(time.RFC3339))
	require.Equal(t, plugin.VerdictSkipped, w.Verdict, "while the manual Job is there: %s", w.Explanation)
	// Deleted after the next scheduled time, when the controller has moved
	// on (as `kubectl delete job` or the history limits, which count
	// manual Jobs, do): on the control plane the time then stays unrun.
	require.NoError(t, framework.WaitFor(ctx, "the Job of the next time", framework.UntilNextMinute(scheduleWaitMargin), func(ctx context.Context) (bool, error) {
		_, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, cj.Name+"-"+strconv.FormatInt(sched.Unix()/60+1, 10), metav1.GetOptions{})
		return err == nil, nil
	}))
	require.NoError(t, cluster.Client.BatchV1().Jobs(ns).Delete(ctx, job.Name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)}))
	require.NoError(t, framework.WaitFor(ctx, "the manual Job gone", 30*time.Second, func(ctx context.Context) (bool, error) {
		_, err := cluster.Client.BatchV1().Jobs(ns).Get(ctx, job.Name, metav1.GetOptions{})
		return err != nil, nil
	}))
	w = why(t, ns, "hand", "--at", sched.UTC().Format(time.RFC3339))
	assert.Equal(t, plugin.VerdictSkipped, w.Verdict, "the controller's JobNameConflict says it did not run %s: %s", sched, w.Explanation)
	assert.Equal(t, "nameConflict", w.Reason, w.Explanation)
}
