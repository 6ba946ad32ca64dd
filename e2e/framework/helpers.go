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

package framework

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

// pollInterval is how often the wait helpers look.
const pollInterval = 500 * time.Millisecond

// RunLabel marks the namespaces a run created.
const RunLabel = "e2e.steadycron.io/test"

// WaitFor polls cond until it returns true or an error, or timeout passes.
// The error names what was awaited.
func WaitFor(ctx context.Context, what string, timeout time.Duration, cond func(context.Context) (bool, error)) error {
	if err := wait.PollUntilContextTimeout(ctx, pollInterval, timeout, true, cond); err != nil {
		return fmt.Errorf("waiting %s for %s: %w", timeout, what, err)
	}
	return nil
}

var (
	nonDNS  = regexp.MustCompile(`[^a-z0-9-]+`)
	nonFile = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)
)

// NewNamespace creates a namespace for t and waits until pods can be created
// in it. When t ends the namespace is deleted; when t failed, its CronJobs,
// Jobs, pods and events are first written to <artifacts>/tests/<test>/.
func (c *Cluster) NewNamespace(t testing.TB) string {
	t.Helper()
	ctx := t.Context()
	base := strings.Trim(nonDNS.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	if len(base) > 40 {
		base = strings.TrimRight(base[:40], "-")
	}
	ns, err := c.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: base + "-",
		Labels:       map[string]string{RunLabel: base},
	}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating a namespace: %v", err)
	}
	name := ns.Name
	t.Logf("namespace %s", name)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if t.Failed() {
			dir := filepath.Join(c.ArtifactsDir, "tests", nonFile.ReplaceAllString(t.Name(), "_"))
			if err := c.dumpNamespace(ctx, name, dir); err != nil {
				t.Logf("dumping namespace %s: %v", name, err)
			}
			t.Logf("artifacts: namespace dump in %s; process logs in %s", dir, filepath.Join(c.ArtifactsDir, "logs"))
		}
		if err := c.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
			t.Logf("deleting namespace %s: %v", name, err)
		}
	})
	err = WaitFor(ctx, "ServiceAccount "+name+"/default", time.Minute, func(ctx context.Context) (bool, error) {
		_, err := c.Client.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
		return err == nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// dumpNamespace writes the namespace's CronJobs, Jobs and pods as YAML and
// its events as text to dir.
func (c *Cluster) dumpNamespace(ctx context.Context, ns, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	write := func(file string, obj any) error {
		data, err := yaml.Marshal(obj)
		if err != nil {
			return fmt.Errorf("encoding %s: %w", file, err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", file, err)
		}
		return nil
	}
	cjs, err := c.Client.BatchV1().CronJobs(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing cronjobs: %w", err)
	}
	if err := write("cronjobs.yaml", cjs); err != nil {
		return err
	}
	jobs, err := c.Client.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing jobs: %w", err)
	}
	if err := write("jobs.yaml", jobs); err != nil {
		return err
	}
	pods, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing pods: %w", err)
	}
	if err := write("pods.yaml", pods); err != nil {
		return err
	}
	events, err := c.Client.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing events: %w", err)
	}
	var b strings.Builder
	items := events.Items
	slices.SortFunc(items, func(a, b corev1.Event) int { return eventTime(a).Compare(eventTime(b)) })
	for _, e := range items {
		fmt.Fprintf(&b, "%s %s %s/%s %s (x%d, from %s): %s\n", eventTime(e).UTC().Format(time.RFC3339Nano), e.Type,
			e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Reason, max(e.Count, 1), e.Source.Component, e.Message)
	}
	if err := os.WriteFile(filepath.Join(dir, "events.txt"), []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing events: %w", err)
	}
	return nil
}

func eventTime(e corev1.Event) time.Time {
	switch {
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	default:
		return e.CreationTimestamp.Time
	}
}

// CreateCronJob creates cj in ns.
func (c *Cluster) CreateCronJob(ctx context.Context, ns string, cj *batchv1.CronJob) (*batchv1.CronJob, error) {
	created, err := c.Client.BatchV1().CronJobs(ns).Create(ctx, cj, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("creating CronJob %s/%s: %w", ns, cj.Name, err)
	}
	return created, nil
}

// CreateManualJob creates a Job named name from cj's Job template, as
// kubectl create job NAME --from=cronjob/CJ does: annotated
// cronjob.kubernetes.io/instantiate: manual, with cj as its controller.
func (c *Cluster) CreateManualJob(ctx context.Context, cj *batchv1.CronJob, name string) (*batchv1.Job, error) {
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Annotations: map[string]string{"cronjob.kubernetes.io/instantiate": "manual"},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "batch/v1", Kind: "CronJob", Name: cj.Name, UID: cj.UID, Controller: ptr.To(true),
			}},
		},
		Spec: cj.Spec.JobTemplate.Spec,
	}
	created, err := c.Client.BatchV1().Jobs(cj.Namespace).Create(ctx, job, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("creating Job %s/%s from CronJob %s: %w", cj.Namespace, name, cj.Name, err)
	}
	return created, nil
}

// RefuseJobs creates a ResourceQuota of zero Jobs in ns: the API server then
// refuses every Job create there (403 Forbidden, "exceeded quota").
func (c *Cluster) RefuseJobs(ctx context.Context, ns string) error {
	_, err := c.Client.CoreV1().ResourceQuotas(ns).Create(ctx, &corev1.ResourceQuota{
		ObjectMeta: metav1.ObjectMeta{Name: "no-jobs"},
		Spec:       corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{"count/jobs.batch": resource.MustParse("0")}},
	}, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("creating a ResourceQuota of zero Jobs in %s: %w", ns, err)
	}
	return nil
}

// GetCronJob reads a CronJob.
func (c *Cluster) GetCronJob(ctx context.Context, ns, name string) (*batchv1.CronJob, error) {
	cj, err := c.Client.BatchV1().CronJobs(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("getting CronJob %s/%s: %w", ns, name, err)
	}
	return cj, nil
}

// JobsOf lists the Jobs whose controller is cj, oldest scheduled time first.
func (c *Cluster) JobsOf(ctx context.Context, cj *batchv1.CronJob) ([]batchv1.Job, error) {
	list, err := c.Client.BatchV1().Jobs(cj.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing Jobs in %s: %w", cj.Namespace, err)
	}
	var jobs []batchv1.Job
	for _, j := range list.Items {
		if ref := metav1.GetControllerOf(&j); ref != nil && ref.UID == cj.UID {
			jobs = append(jobs, j)
		}
	}
	slices.SortFunc(jobs, func(a, b batchv1.Job) int {
		ta, _ := ScheduledTime(&a)
		tb, _ := ScheduledTime(&b)
		if d := ta.Compare(tb); d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
	return jobs, nil
}

// WaitForJobs waits until cj has made at least n Jobs and returns them.
func (c *Cluster) WaitForJobs(ctx context.Context, cj *batchv1.CronJob, n int, timeout time.Duration) ([]batchv1.Job, error) {
	var jobs []batchv1.Job
	err := WaitFor(ctx, fmt.Sprintf("CronJob %s/%s to have %d Jobs", cj.Namespace, cj.Name, n), timeout, func(ctx context.Context) (bool, error) {
		var err error
		jobs, err = c.JobsOf(ctx, cj)
		return err == nil && len(jobs) >= n, nil
	})
	return jobs, err
}

// WaitForCronJob waits until cond holds for the CronJob and returns it.
func (c *Cluster) WaitForCronJob(ctx context.Context, ns, name, what string, timeout time.Duration, cond func(*batchv1.CronJob) bool) (*batchv1.CronJob, error) {
	var cj *batchv1.CronJob
	err := WaitFor(ctx, fmt.Sprintf("CronJob %s/%s: %s", ns, name, what), timeout, func(ctx context.Context) (bool, error) {
		got, err := c.Client.BatchV1().CronJobs(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		cj = got
		return cond(got), nil
	})
	return cj, err
}

// WaitForActive waits until the CronJob lists exactly n active Jobs.
func (c *Cluster) WaitForActive(ctx context.Context, ns, name string, n int, timeout time.Duration) (*batchv1.CronJob, error) {
	return c.WaitForCronJob(ctx, ns, name, fmt.Sprintf("%d active Jobs", n), timeout, func(cj *batchv1.CronJob) bool {
		return len(cj.Status.Active) == n
	})
}

// EventsFor lists the events about the object with this UID in ns.
func (c *Cluster) EventsFor(ctx context.Context, ns string, obj metav1.Object) ([]corev1.Event, error) {
	sel := fields.OneTermEqualSelector("involvedObject.uid", string(obj.GetUID())).String()
	list, err := c.Client.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: sel})
	if err != nil {
		return nil, fmt.Errorf("listing events of %s/%s: %w", ns, obj.GetName(), err)
	}
	return list.Items, nil
}

// WaitForEvent waits for an event about obj with one of the reasons.
func (c *Cluster) WaitForEvent(ctx context.Context, ns string, obj metav1.Object, timeout time.Duration, reasons ...string) (*corev1.Event, error) {
	var found *corev1.Event
	err := WaitFor(ctx, fmt.Sprintf("an event %v about %s/%s", reasons, ns, obj.GetName()), timeout, func(ctx context.Context) (bool, error) {
		events, err := c.EventsFor(ctx, ns, obj)
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		for i := range events {
			if slices.Contains(reasons, events[i].Reason) {
				found = &events[i]
				return true, nil
			}
		}
		return false, nil
	})
	return found, err
}

// ScheduledTime parses a Job's batch.kubernetes.io/cronjob-scheduled-timestamp.
func ScheduledTime(j *batchv1.Job) (time.Time, error) {
	v, ok := j.Annotations[batchv1.CronJobScheduledTimestampAnnotation]
	if !ok {
		return time.Time{}, fmt.Errorf("Job %s has no %s annotation", j.Name, batchv1.CronJobScheduledTimestampAnnotation)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("Job %s: %s=%q: %w", j.Name, batchv1.CronJobScheduledTimestampAnnotation, v, err)
	}
	return t, nil
}

// JobFinished returns the Job's terminal condition (Complete or Failed), if any.
func JobFinished(j *batchv1.Job) (batchv1.JobConditionType, bool) {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.Type, true
		}
	}
	return "", false
}

// NextMinute is the first whole minute after t.
func NextMinute(t time.Time) time.Time {
	return t.Truncate(time.Minute).Add(time.Minute)
}

// UntilNextMinute is how long to wait for a minutely schedule's next run,
// plus slack for the controller and the apiserver.
func UntilNextMinute(slack time.Duration) time.Duration {
	return time.Until(NextMinute(time.Now())) + slack
}

// WaitForSecondsPastMinute waits until the wall clock is between from and to
// seconds past a minute mark (both included), so that a test can act clear of
// the scheduled times of minutely schedules. It waits at most 70 s.
func WaitForSecondsPastMinute(ctx context.Context, from, to int) error {
	return WaitFor(ctx, fmt.Sprintf("%d-%ds past a minute", from, to), 70*time.Second, func(context.Context) (bool, error) {
		s := time.Now().Second()
		return s >= from && s <= to, nil
	})
}

// CreateCronJobPastItsDeadline creates a CronJob name, `* * * * *` in UTC with
// startingDeadlineSeconds 10, at 15-45 s past a minute, whose last schedule
// time is 3 minutes before that minute: its most recent time (the minute,
// returned) is past the deadline and the two before it are jumped over.
func (c *Cluster) CreateCronJobPastItsDeadline(ctx context.Context, ns, name string) (*batchv1.CronJob, time.Time, error) {
	tmpl := c.NewCronJob(name, "* * * * *", Succeeds)
	tmpl.Spec.StartingDeadlineSeconds = ptr.To[int64](10)
	if err := WaitForSecondsPastMinute(ctx, 15, 40); err != nil {
		return nil, time.Time{}, err
	}
	minute := time.Now().Truncate(time.Minute)
	cj, err := c.CreateCronJob(ctx, ns, tmpl)
	if err != nil {
		return nil, time.Time{}, err
	}
	cj, err = c.UpdateCronJobStatus(ctx, ns, cj.Name, func(cj *batchv1.CronJob) {
		cj.Status.LastScheduleTime = &metav1.Time{Time: minute.Add(-3 * time.Minute)}
	})
	return cj, minute, err
}

// Consistently polls cond until deadline and fails as soon as it is false:
// the way to show that something does not happen within a window. Checks
// run with ctx, not with a context that ends at deadline: a request that
// starts just before the window closes must not fail for lack of time (the
// client's rate limiter refuses to wait past a context's deadline).
func Consistently(ctx context.Context, what string, deadline time.Time, cond func(context.Context) (bool, error)) error {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for time.Now().Before(deadline) {
		ok, err := cond(ctx)
		if err != nil {
			return fmt.Errorf("checking that %s: %w", what, err)
		}
		if !ok {
			return fmt.Errorf("expected %s until %s, but it did not hold at %s",
				what, deadline.UTC().Format(time.RFC3339), time.Now().UTC().Format(time.RFC3339Nano))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("checking that %s: %w", what, context.Cause(ctx))
		case <-ticker.C:
		}
	}
	return nil // the window closed, cond held throughout
}

// UpdateCronJob applies mutate to the latest CronJob and updates it,
// retrying on conflicts.
func (c *Cluster) UpdateCronJob(ctx context.Context, ns, name string, mutate func(*batchv1.CronJob)) (*batchv1.CronJob, error) {
	return c.updateCronJob(ctx, ns, name, mutate, false)
}

// UpdateCronJobStatus is UpdateCronJob for the status subresource (as admin,
// e.g. to set status.lastScheduleTime in the past).
func (c *Cluster) UpdateCronJobStatus(ctx context.Context, ns, name string, mutate func(*batchv1.CronJob)) (*batchv1.CronJob, error) {
	return c.updateCronJob(ctx, ns, name, mutate, true)
}

func (c *Cluster) updateCronJob(ctx context.Context, ns, name string, mutate func(*batchv1.CronJob), status bool) (*batchv1.CronJob, error) {
	var out *batchv1.CronJob
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cj, err := c.Client.BatchV1().CronJobs(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		mutate(cj)
		if status {
			out, err = c.Client.BatchV1().CronJobs(ns).UpdateStatus(ctx, cj, metav1.UpdateOptions{})
		} else {
			out, err = c.Client.BatchV1().CronJobs(ns).Update(ctx, cj, metav1.UpdateOptions{})
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("updating CronJob %s/%s (status=%t): %w", ns, name, status, err)
	}
	return out, nil
}
