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

package reliability

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

const editAnnotation = "e2e.steadycron.io/edit"

// TestUserEditsRaceStatusUpdates: users edit CronJobs continuously from just
// before a scheduled time until after it, so the controller's status updates
// meet conflicts. Every CronJob still gets exactly one Job, its status records
// the run, and no user edit is lost.
func TestUserEditsRaceStatusUpdates(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	const n = 10
	if time.Until(framework.NextMinute(time.Now())) < 10*time.Second {
		waitUntil(t, "a scheduled time too close to pass", framework.NextMinute(time.Now()).Add(time.Second))
	}
	mark := framework.NextMinute(time.Now())
	var cjs []*batchv1.CronJob
	for i := range n {
		tmpl := cluster.NewCronJob(fmt.Sprintf("edited-%d", i), "* * * * *", framework.Succeeds)
		tmpl.Spec.JobTemplate.Spec.Suspend = ptr.To(true)
		cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
		require.NoError(t, err)
		cjs = append(cjs, cj)
	}

	waitUntil(t, "editing to start before the scheduled time", mark.Add(-3*time.Second))
	stop := mark.Add(10 * time.Second)
	last := make([]int, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var editErr error
	for i, cj := range cjs {
		wg.Go(func() {
			for edit := 1; time.Now().Before(stop); edit++ {
				_, err := cluster.UpdateCronJob(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
					if c.Annotations == nil {
						c.Annotations = map[string]string{}
					}
					c.Annotations[editAnnotation] = strconv.Itoa(edit)
					c.Spec.SuccessfulJobsHistoryLimit = ptr.To(int32(3 + edit%2))
				})
				if err != nil {
					mu.Lock()
					editErr = err
					mu.Unlock()
					return
				}
				last[i] = edit
			}
		})
	}
	wg.Wait()
	require.NoError(t, editErr)
	edits := 0
	for _, e := range last {
		edits += e
	}

	want := map[types.UID][]time.Time{}
	for i, cj := range cjs {
		want[cj.UID] = []time.Time{mark}
		got, err := cluster.WaitForCronJob(ctx, ns, cj.Name, "status records the run", 30*time.Second, func(c *batchv1.CronJob) bool {
			return c.Status.LastScheduleTime != nil && !c.Status.LastScheduleTime.Time.Before(mark) && len(c.Status.Active) > 0
		})
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(last[i]), got.Annotations[editAnnotation], "CronJob %s: the user's last edit was lost", cj.Name)
	}
	r := audit(t, ns, want)
	record(t, "conflict-user-edits", figures{"cronjobs": n, "edits": edits, "duplicates": r.duplicates, "concurrent": r.concurrent, "created_without_lease": r.withoutLease, "lost": r.lost})
	r.assertClean(t)
}

// TestJobDeletedWhileActive: a Forbid CronJob's active Job is deleted by
// hand. The controller notices (MissingJob), clears it from status.active,
// does not create it again for the same scheduled time, and runs the next
// scheduled time, which the deleted Job no longer forbids. (The first run is
// a catch-up, made due at once by pushing lastScheduleTime back a minute.)
func TestJobDeletedWhileActive(t *testing.T) {
	cluster.RequireLocal(t, faultsLocal)
	t.Parallel()
	ctx, ns := t.Context(), cluster.NewNamespace(t)

	if time.Until(framework.NextMinute(time.Now())) < 20*time.Second {
		waitUntil(t, "a scheduled time too close to pass", framework.NextMinute(time.Now()).Add(time.Second))
	}
	tmpl := cluster.NewCronJob("deleted", "* * * * *", framework.Succeeds)
	tmpl.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	tmpl.Spec.JobTemplate.Spec.Suspend = ptr.To(true) // active until deleted
	cj, err := cluster.CreateCronJob(ctx, ns, tmpl)
	require.NoError(t, err)
	_, err = cluster.UpdateCronJobStatus(ctx, ns, cj.Name, func(c *batchv1.CronJob) {
		c.Status.LastScheduleTime = &metav1.Time{Time: time.Now().Truncate(time.Minute).Add(-time.Minute)}
	})
	require.NoError(t, err)
	// The catch-up, or, on a machine so loaded that it comes late, the next
	// minute mark's run: either is the first Job, which the rest deletes.
	statusAt := time.Now()
	jobs, err := cluster.WaitForJobs(ctx, cj, 1, time.Until(framework.NextMinute(statusAt))+30*time.Second)
	require.NoError(t, err, "no Job for the catch-up nor for the next scheduled time")
	first := jobs[0]
	firstAt, err := framework.ScheduledTime(&first)
	require.NoError(t, err)
	firstJobDelay := max(0, first.CreationTimestamp.Sub(statusAt)) // creationTimestamp is in whole seconds
	_, err = cluster.WaitForActive(ctx, ns, cj.Name, 1, 30*time.Second)
	require.NoError(t, err)

	require.NoError(t, cluster.Client.BatchV1().Jobs(ns).Delete(ctx, first.Name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)}))
	deletedAt := time.Now()
	_, err = cluster.WaitForActive(ctx, ns, cj.Name, 0, 30*time.Second)
	require.NoError(t, err, "the deleted Job stayed in status.active")
	clearedAt := time.Now()
	_, err = cluster.WaitForEvent(ctx, ns, cj, 30*time.Second, "MissingJob")
	require.NoError(t, err)
	next := firstAt.Add(time.Minute)
	err = framework.Consistently(ctx, "the deleted Job is not created again", next.Add(-2*time.Second), func(ctx context.Context) (bool, error) {
		jobs, err := cluster.JobsOf(ctx, cj)
		return err == nil && len(jobs) == 0, nil
	})
	require.NoError(t, err)

	_, err = cluster.WaitForJobs(ctx, cj, 1, time.Until(next)+30*time.Second)
	require.NoError(t, err, "the next scheduled time did not run after the active Job was deleted")
	r := audit(t, ns, map[types.UID][]time.Time{cj.UID: {next}})
	jobs, err = cluster.JobsOf(ctx, cj)
	require.NoError(t, err)
	for _, j := range jobs {
		s, _ := framework.ScheduledTime(&j)
		assert.False(t, s.Equal(firstAt), "the Job deleted by hand was created again: %s", j.Name)
	}
	record(t, "conflict-job-deleted", figures{"duplicates": r.duplicates, "concurrent": r.concurrent, "created_without_lease": r.withoutLease, "lost": r.lost, "active_cleared_seconds": seconds(clearedAt.Sub(deletedAt)), "first_job_seconds": seconds(firstJobDelay)})
	r.assertClean(t)
}
