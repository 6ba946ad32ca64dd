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

package jobtracker

// Attack scenarios against the job tracker's promise: the right container,
// every re-execution counted exactly once, each observation once across
// restarts and leader changes, never from stale or out-of-order views.
// Tests named TestAttackDefect* fail on the code they were written against
// (each documents the defect it shows); TestAttackHolds* pass.

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/record"
	"k8s.io/component-base/metrics/legacyregistry"
	"k8s.io/component-base/metrics/testutil"
	"k8s.io/klog/v2/ktesting"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
)

var atk0 = scheduled.Add(2 * time.Second)

func atkSec(n int) time.Time { return atk0.Add(time.Duration(n) * time.Second) }

// drive makes the tracker see steps in order (pods also land in, or leave,
// its pod cache, as the informer does), syncing the Job after each.
func (f *fixture) drive(t *testing.T, job *batchv1.Job, steps []podStep) {
	t.Helper()
	idx := f.c.podInformer.GetIndexer()
	for _, s := range steps {
		if !s.clock.IsZero() {
			f.clock.SetTime(s.clock)
		}
		stripped, _ := stripPod(s.pod)
		if s.deleted {
			_ = idx.Delete(stripped)
			f.c.podDeleted(s.pod)
		} else {
			require.NoError(t, idx.Update(stripped))
			f.c.podChanged(f.ctx, nil, s.pod)
		}
		cur, _, _ := f.jobs.Get(job)
		f.sync(t, cur.(*batchv1.Job), true)
	}
}

// finish marks the Job Complete at at (the control plane's clock) and syncs it.
func (f *fixture) finish(t *testing.T, job *batchv1.Job, at time.Time, succeeded int32) *batchv1.Job {
	t.Helper()
	cur, _, _ := f.jobs.Get(job)
	done := cur.(*batchv1.Job).DeepCopy()
	done.Status.Succeeded = succeeded
	done.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at)}}
	done = f.update(t, done)
	f.sync(t, done, true)
	return done
}

func (f *fixture) stored(t *testing.T, job *batchv1.Job) *batchv1.Job {
	t.Helper()
	got, err := f.client.BatchV1().Jobs(job.Namespace).Get(f.ctx, job.Name, metav1.GetOptions{})
	require.NoError(t, err)
	return got
}

// seriesOf counts the series of the metric family name that carry cronjob=cronJob.
func seriesOf(t *testing.T, name, cronJob string) int {
	t.Helper()
	families, err := legacyregistry.DefaultGatherer.Gather()
	require.NoError(t, err)
	n := 0
	for _, mf := range families {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "cronjob" && l.GetValue() == cronJob {
					n++
				}
			}
		}
	}
	return n
}

func attemptsObserved(t *testing.T) (count uint64, sum float64) {
	t.Helper()
	h := jobAttempts.WithLabelValues("team-a", "nightly", triggerScheduled)
	count, _ = testutil.GetHistogramMetricCount(h)
	sum, _ = testutil.GetHistogramMetricValue(h)
	return count, sum
}

func startedCount(t *testing.T) float64 {
	t.Helper()
	n, _ := testutil.GetCounterMetricValue(jobStarted.WithLabelValues("team-a", "nightly", triggerScheduled))
	return n
}

// ---------------------------------------------------------------------------
// Defects (these tests fail on main as of 2d9a37f)
// ---------------------------------------------------------------------------

// A mutating webhook renamed the app container ("app" in the Job's template
// becomes "app-main" in the pod): the tracker finds no status of that name,
// so the Job never gets first-running, a start delay, attempts or
// re-executions, and nobody is told. The non-negotiable "bad input gets a
// clear event and metric" is not met: expect a Warning event on the Job.
func TestAttackDefectAppContainerMissingFromThePodIsSilent(t *testing.T) {
	job := newJob()
	pod := newPod("p1", job, running("istio-proxy", atkSec(0)), running("app-main", atkSec(1)))
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{{pod: pod}})
	f.drive(t, job, []podStep{{pod: pod}})
	require.Empty(t, f.annotation(t, FirstRunningAnnotation), "no start recorded (and none should be guessed)")
	events := f.events()
	if assert.NotEmpty(t, events, "the app container named by the Job's template is missing from its running pod: no event, no metric") {
		assert.Contains(t, events[0], `"app"`)
	}
}

// The re-executions record is "only ever raised", but nothing remembers what
// this process itself recorded: when another writer removes or lowers the
// annotation (kubectl annotate --overwrite, a GitOps tool, a user who
// "resets" it), the next sync raises it again and counts the same
// re-executions a second time (and re-sends OverlappingRun). first-running
// is protected against exactly this by firstRunningSeen.
func TestAttackDefectRecordLoweredByAnotherWriterCountsAgain(t *testing.T) {
	testCases := map[string]struct {
		// spec: what another writer does to the annotation after it was written
		value  string
		remove bool
	}{
		"removed":         {remove: true},
		"reset to zeros":  {value: "overlap=0,retry=0"},
		"lowered by one":  {value: "overlap=0,retry=1"},
		"kinds rewritten": {value: "overlap=0,retry=2"},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := newJob()
			f := newFixture(t, Options{PerCronJobLabels: true}, job)
			// An interruption replaced while terminating (overlap), and a
			// container restart in the replacement (retry), twice.
			f.drive(t, job, []podStep{
				{pod: newPod("p1", job, running("app", atkSec(0)))},
				{pod: terminating(newPod("p1", job, running("app", atkSec(0))), atkSec(4), 30*time.Second)},
				{pod: created(newPod("p2", job, running("app", atkSec(5))), atkSec(4))},
				{pod: terminating(newPod("p1", job, terminated("app", atkSec(0), atkSec(34), 137)), atkSec(4), 30*time.Second)},
				{pod: created(newPod("p2", job, restarted("app", atkSec(5), atkSec(40), atkSec(50), 2)), atkSec(4))},
			})
			require.Equal(t, "overlap=1,retry=2", f.stored(t, job).Annotations[ReexecutionsAnnotation])
			overlaps, retries := reexecutionsCounted(t)
			require.Equal(t, []float64{1, 2}, []float64{overlaps, retries})
			require.Len(t, f.events(), 1)

			edited := f.stored(t, job)
			if tc.remove {
				delete(edited.Annotations, ReexecutionsAnnotation)
			} else {
				edited.Annotations[ReexecutionsAnnotation] = tc.value
			}
			edited = f.update(t, edited)
			f.sync(t, edited, true)
			f.c.podChanged(f.ctx, nil, created(newPod("p2", job, restarted("app", atkSec(5), atkSec(40), atkSec(50), 2)), atkSec(4))) // a resync
			f.sync(t, edited, true)

			overlaps, retries = reexecutionsCounted(t)
			assert.Equal(t, []float64{1, 2}, []float64{overlaps, retries}, "the same re-executions counted again")
			assert.Empty(t, f.events(), "OverlappingRun sent again")
		})
	}
}

// A work-queue Job (completions unset, parallelism 3) whose parallelism is
// lowered to 1 while it runs (parallelism is mutable): the Job controller
// deletes two of the three pods side by side. reexecutions() decides
// "single slot" from the Job's *current* spec, so the three pods that ran in
// parallel by design become a chain of replacements: two overlaps and an
// OverlappingRun event for a run that never executed twice.
func TestAttackDefectParallelismLoweredTurnsSiblingsIntoOverlaps(t *testing.T) {
	job := newJob(func(j *batchv1.Job) { j.Spec.Parallelism = ptr.To[int32](3) })
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{
		{pod: created(newPod("p1", job, running("app", atkSec(0))), atk0)},
		{pod: created(newPod("p2", job, running("app", atkSec(1))), atk0)},
		{pod: created(newPod("p3", job, running("app", atkSec(2))), atk0)},
	})
	scaled := f.stored(t, job)
	scaled.Spec.Parallelism = ptr.To[int32](1)
	scaled = f.update(t, scaled)
	f.drive(t, scaled, []podStep{
		{pod: terminating(created(newPod("p2", job, running("app", atkSec(1))), atk0), atkSec(10), 30*time.Second)},
		{pod: terminating(created(newPod("p3", job, running("app", atkSec(2))), atk0), atkSec(10), 30*time.Second)},
		{pod: failed(terminating(created(newPod("p2", job, terminated("app", atkSec(1), atkSec(12), 143)), atk0), atkSec(10), 30*time.Second))},
		{pod: failed(terminating(created(newPod("p3", job, terminated("app", atkSec(2), atkSec(12), 143)), atk0), atkSec(10), 30*time.Second))},
		{pod: succeeded(created(newPod("p1", job, terminated("app", atkSec(0), atkSec(60), 0)), atk0))},
	})
	overlaps, retries := reexecutionsCounted(t)
	assert.Zero(t, overlaps, "pods that ran side by side by design are not overlaps")
	assert.Zero(t, retries)
	assert.Empty(t, f.events())
	assert.NotContains(t, f.stored(t, job).Annotations, ReexecutionsAnnotation)
}

// The first pod's app started, then the pod was removed (evicted with a
// short grace, force-deleted) before the worker got to the Job (a backlog at
// the top of the hour, a rate-limited retry). syncFirstRunning reads only the
// pod cache, so first-running becomes the replacement's start, although the
// tracker's own runs still hold the first pod's start: the start delay is
// overstated and "when my code started" is wrong.
func TestAttackDefectFirstRunningSkipsARemovedFirstPod(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	idx := f.c.podInformer.GetIndexer()
	p1 := newPod("p1", job, running("app", atkSec(0)))
	s1, _ := stripPod(p1)
	require.NoError(t, idx.Add(s1))
	f.c.podChanged(f.ctx, nil, p1) // queued, not synced yet
	gone := terminating(newPod("p1", job, running("app", atkSec(0))), atkSec(3), 0)
	require.NoError(t, idx.Delete(s1))
	f.clock.SetTime(atkSec(3))
	f.c.podDeleted(gone)
	p2 := created(newPod("p2", job, running("app", atkSec(20))), atkSec(3))
	s2, _ := stripPod(p2)
	require.NoError(t, idx.Add(s2))
	f.c.podChanged(f.ctx, nil, p2)
	f.sync(t, job, true)
	assert.Equal(t, atkSec(0).Format(time.RFC3339), f.annotation(t, FirstRunningAnnotation), "the app first started in p1")
}

// A CronJob deleted with the default (background) cascade: its series are
// deleted at once, but its Jobs and pods live on until the garbage collector
// gets to them, and every observation in that window (a run that ends, a
// Job that finishes, its attempts) creates the deleted CronJob's series
// again, which then never go away: the cardinality leak the deletion was
// meant to stop.
func TestAttackDefectSeriesOfADeletedCronJobComeBack(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{{pod: newPod("p1", job, running("app", atkSec(0)))}})
	f.c.cronJobDeleted(cronJob)
	require.Zero(t, seriesOf(t, "cronjob_job_started_total", "nightly"))

	// The garbage collector has not removed the Job yet: its pod's run ends
	// and the Job finishes.
	f.drive(t, job, []podStep{{pod: succeeded(newPod("p1", job, terminated("app", atkSec(0), atkSec(30), 0)))}})
	f.finish(t, job, atkSec(31), 1)
	for _, name := range []string{"cronjob_app_container_duration_seconds", "cronjob_job_finished_total", "cronjob_job_attempts"} {
		assert.Zero(t, seriesOf(t, name, "nightly"), "%s of a deleted CronJob exists again", name)
	}
}

// docs/metrics.md promises InvalidFirstRunning "once per Job", and
// InvalidAppContainer is gated to the replica leading at the Job's creation,
// but a broken first-running is reported again (event and counter) by every
// new process: each restart or failover re-reports every broken Job the
// cluster still keeps (successfulJobsHistoryLimit).
func TestAttackDefectInvalidFirstRunningReportedAgainByEachLeader(t *testing.T) {
	job := newJob(func(j *batchv1.Job) { j.Annotations[FirstRunningAnnotation] = "soon" })
	old := newFixture(t, Options{PerCronJobLabels: true}, job)
	old.c.jobChanged(old.ctx, nil, job)
	require.Len(t, old.events(), 1)

	// A new leader, an hour later, lists the same Job.
	f := newFixture(t, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leading.Add(3 * time.Hour))}, job)
	f.c.jobChanged(f.ctx, nil, job)
	assert.Empty(t, f.events(), "reported again by the next leader")
	count, _ := testutil.GetCounterMetricValue(invalidAnnotations.WithLabelValues("team-a", "nightly", FirstRunningAnnotation))
	assert.Zero(t, count, "counted again by the next leader")
}

// ttlSecondsAfterFinished: 0 (or a short TTL racing a backlog): the Job is
// removed before the worker syncs it after its end. Attempts are observed
// only in sync, which finds no Job, so the Job is counted in
// cronjob_job_finished_total but never in cronjob_job_attempts ("observed
// once per Job when it finishes").
func TestAttackDefectAttemptsOfAJobRemovedAtItsEnd(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{{pod: succeeded(newPod("p1", job, terminated("app", atkSec(0), atkSec(30), 0)))}})

	cur, _, _ := f.jobs.Get(job)
	done := cur.(*batchv1.Job).DeepCopy()
	done.Status.Succeeded = 1
	done.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(atkSec(31))}}
	done = f.update(t, done) // the end is delivered and enqueued...
	// ...and the TTL controller removes the Job before the worker runs.
	require.NoError(t, f.jobs.Delete(done))
	require.NoError(t, f.client.BatchV1().Jobs(done.Namespace).Delete(f.ctx, done.Name, metav1.DeleteOptions{}))
	f.c.jobDeleted(done)
	require.NoError(t, f.c.sync(f.ctx, done.Namespace+"/"+done.Name))

	finished, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerScheduled, resultSuccess))
	require.Equal(t, 1.0, finished)
	n, sum := attemptsObserved(t)
	assert.Equal(t, uint64(1), n, "a finished Job's attempts are never observed")
	assert.Equal(t, 1.0, sum)
}

// The record takes the maximum per kind, so a re-execution whose kind
// changes between two syncs is counted twice. The app container's status
// without any state (the API allows it; seen transiently) makes a pod that
// was running look ended at the zero time: the replacement is counted as a
// retry, and then, once the old pod's real end is seen, as an overlap: one
// re-execution counted as two.
func TestAttackDefectKindFlipCountsOneReexecutionTwice(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{
		{pod: newPod("p1", job, running("app", atkSec(0)))},
		{pod: terminating(newPod("p1", job, corev1.ContainerStatus{Name: "app"}), atkSec(4), 30*time.Second)},
		{pod: created(newPod("p2", job, running("app", atkSec(5))), atkSec(4))},
		{pod: terminating(newPod("p1", job, terminated("app", atkSec(0), atkSec(34), 137)), atkSec(4), 30*time.Second)},
		{pod: terminating(newPod("p1", job, terminated("app", atkSec(0), atkSec(34), 137)), atkSec(4), 30*time.Second), deleted: true},
	})
	overlaps, retries := reexecutionsCounted(t)
	assert.Equal(t, 1.0, overlaps+retries, "one replacement, one re-execution (got overlap=%v retry=%v)", overlaps, retries)
	assert.Equal(t, "overlap=1,retry=0", f.stored(t, job).Annotations[ReexecutionsAnnotation])
}

// A Job deleted and recreated with the same name (a manual Job re-run as
// kubectl create job --from=cronjob/nightly nightly-manual) while the watch
// was down: the relist delivers it as an update from the old Job to the new
// one, never as a deletion. recordFinished compares the old UID's condition
// with the new one's, so the new Job's end is not counted, and the old Job's
// state (runs, ...) is never forgotten.
func TestAttackDefectJobRecreatedWithTheSameNameDuringAWatchGap(t *testing.T) {
	job := newJob(func(j *batchv1.Job) { j.Annotations[instantiateAnnotation] = "manual" })
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{{pod: succeeded(newPod("p1", job, terminated("app", atkSec(0), atkSec(30), 0)))}})
	f.finish(t, job, atkSec(31), 1)
	require.Contains(t, f.c.runs, job.UID)

	again := newJob(func(j *batchv1.Job) {
		j.Annotations[instantiateAnnotation] = "manual"
		j.UID = "job-uid-2"
		j.CreationTimestamp = metav1.NewTime(atkSec(100))
		j.Status.Succeeded = 1
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(atkSec(150))}}
	})
	require.NoError(t, f.client.Tracker().Delete(batchv1.SchemeGroupVersion.WithResource("jobs"), job.Namespace, job.Name))
	require.NoError(t, f.client.Tracker().Add(again))
	old, _, _ := f.jobs.Get(job)
	require.NoError(t, f.jobs.Update(again))
	f.c.jobChanged(f.ctx, old, again) // the relist's "update"

	n, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerManual, resultSuccess))
	assert.Equal(t, 2.0, n, "the second Job's end is not counted")
	assert.NotContains(t, f.c.runs, types.UID("job-uid"), "the replaced Job's runs are never forgotten")
}

// docs/metrics.md says a clock skew between nodes "can turn one kind into
// the other". In a NonIndexed Job with several pods, it makes a retry vanish:
// replaceable() compares the failed pod's end (node A's kubelet clock) with
// the new pod's start (node B's), although the new pod's creation (the
// control plane's clock) shows it came after the failure was acted on. Node
// B 5 s behind node A: the failed piece of work ran again, nothing counted.
func TestAttackDefectNodeClockSkewHidesARetryInAParallelJob(t *testing.T) {
	job := newJob(func(j *batchv1.Job) { j.Spec.Completions, j.Spec.Parallelism = ptr.To[int32](2), ptr.To[int32](2) })
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{
		{pod: created(newPod("p1", job, running("app", atkSec(0))), atk0)},
		{pod: created(newPod("p2", job, running("app", atkSec(0))), atk0)},
		{pod: failed(created(newPod("p1", job, terminated("app", atkSec(0), atkSec(5), 1)), atk0))},
		// Created by the Job controller after p1 failed; started on node B,
		// whose clock reads 5 s behind node A's.
		{pod: created(newPod("p3", job, running("app", atkSec(7-5))), atkSec(6))},
	})
	_, retries := reexecutionsCounted(t)
	assert.Equal(t, 1.0, retries, "p3 redid p1's failed work")
}

// ---------------------------------------------------------------------------
// What held up
// ---------------------------------------------------------------------------

// The app container is the template's, whatever admission adds: native
// sidecars (init containers with restartPolicy Always, reported apart),
// classic sidecars injected before the app, ephemeral containers (debug).
func TestAttackHoldsAppContainerDespiteInjections(t *testing.T) {
	job := newJob(func(j *batchv1.Job) {
		j.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "app-proxy", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)}}
	})
	pod := newPod("p1", job, running("istio-proxy", atkSec(0)), running("vault-agent", atkSec(1)), running("app", atkSec(7)))
	pod.Spec.InitContainers = []corev1.Container{{Name: "app-proxy", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)}}
	pod.Status.InitContainerStatuses = []corev1.ContainerStatus{running("app-proxy", atkSec(-1))}
	pod.Status.EphemeralContainerStatuses = []corev1.ContainerStatus{running("debugger", atkSec(-2))}
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{
		{pod: pod},
		// The sidecars restart; the app does not.
		{pod: newPod("p1", job, restarted("istio-proxy", atkSec(0), atkSec(10), atkSec(11), 4), running("vault-agent", atkSec(1)), running("app", atkSec(7)))},
	})
	assert.Equal(t, atkSec(7).Format(time.RFC3339), f.annotation(t, FirstRunningAnnotation))
	overlaps, retries := reexecutionsCounted(t)
	assert.Zero(t, overlaps+retries)
	assert.Empty(t, f.events())
}

// Two tracker processes at once (split brain for a few seconds), on one API
// server, seeing the same pods: the start and each re-execution are counted
// by one of them only.
func TestAttackHoldsSplitBrainCountsOnce(t *testing.T) {
	job := newJob()
	a := newFixture(t, Options{PerCronJobLabels: true}, job)
	// b is a second process on a's API server with its own caches.
	_, ctx := ktesting.NewTestContext(t)
	factory := informers.NewSharedInformerFactory(a.client, 0)
	bc, err := New(ctx, factory.Batch().V1().Jobs(), factory.Batch().V1().CronJobs(), a.client, Options{PerCronJobLabels: true, Clock: clocktesting.NewFakeClock(leading)})
	require.NoError(t, err)
	bc.recorder = record.NewFakeRecorder(10)
	require.NoError(t, factory.Batch().V1().Jobs().Informer().GetIndexer().Add(job))
	b := &fixture{ctx: ctx, jobs: factory.Batch().V1().Jobs().Informer().GetIndexer(), client: a.client, c: bc, recorder: bc.recorder.(*record.FakeRecorder), clock: clocktesting.NewFakeClock(leading)}

	steps := []podStep{
		{pod: newPod("p1", job, running("app", atkSec(0)))},
		{pod: terminating(newPod("p1", job, running("app", atkSec(0))), atkSec(4), 30*time.Second)},
		{pod: created(newPod("p2", job, running("app", atkSec(5))), atkSec(4))},
		{pod: terminating(newPod("p1", job, terminated("app", atkSec(0), atkSec(34), 137)), atkSec(4), 30*time.Second)},
		{pod: created(newPod("p2", job, restarted("app", atkSec(5), atkSec(40), atkSec(50), 1)), atkSec(4))},
	}
	// Interleaved: each sees every step, one after the other, each with
	// its own (possibly stale) Job cache.
	for _, s := range steps {
		a.drive(t, job, []podStep{s})
		b.drive(t, job, []podStep{s})
	}
	overlaps, retries := reexecutionsCounted(t) // one registry for both processes here
	assert.Equal(t, []float64{1, 1}, []float64{overlaps, retries})
	assert.Equal(t, 1.0, startedCount(t))
	assert.Equal(t, "overlap=1,retry=1", a.stored(t, job).Annotations[ReexecutionsAnnotation])
	assert.Len(t, append(a.events(), b.events()...), 1, "one OverlappingRun")
}

// A resync that redelivers every pod and Job, many times, counts nothing new.
func TestAttackHoldsResyncRedeliversEverything(t *testing.T) {
	job := newJob(func(j *batchv1.Job) {
		j.Spec.Completions, j.Spec.Parallelism = ptr.To[int32](2), ptr.To[int32](2)
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
	})
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	pods := []*corev1.Pod{
		indexed(failed(newPod("p0", job, terminated("app", atkSec(0), atkSec(5), 1))), 0),
		indexed(succeeded(newPod("p0b", job, terminated("app", atkSec(7), atkSec(20), 0))), 0),
		indexed(succeeded(newPod("p1", job, func() corev1.ContainerStatus {
			s := terminated("app", atkSec(4), atkSec(9), 0)
			s.RestartCount = 1
			s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{StartedAt: metav1.NewTime(atkSec(1)), FinishedAt: metav1.NewTime(atkSec(3)), ExitCode: 1}
			return s
		}())), 1),
	}
	for _, p := range pods {
		f.drive(t, job, []podStep{{pod: p}})
	}
	done := f.finish(t, job, atkSec(30), 2)
	for range 5 {
		for _, p := range pods {
			f.c.podChanged(f.ctx, p, p)
		}
		f.c.jobChanged(f.ctx, done, done)
		f.sync(t, done, true)
	}
	overlaps, retries := reexecutionsCounted(t)
	assert.Equal(t, []float64{0, 2}, []float64{overlaps, retries})
	n, sum := attemptsObserved(t)
	assert.Equal(t, uint64(1), n)
	assert.Equal(t, 4.0, sum)
	finished, _ := testutil.GetCounterMetricValue(jobFinished.WithLabelValues("team-a", "nightly", triggerScheduled, resultSuccess))
	assert.Equal(t, 1.0, finished)
	d, _ := testutil.GetHistogramMetricCount(appContainerDuration.WithLabelValues("team-a", "nightly", triggerScheduled))
	assert.Equal(t, uint64(4), d, "each run observed once: p0's, p0b's, and p1's two")
}

// Re-executions of one run, table-driven: per-index backoff, pod failure
// policies, suspend/resume, pods recreated with the same name, restartCount
// going down, thousands of restarts.
func TestAttackHoldsReexecutionScenarios(t *testing.T) {
	indexedJob := func(n int32, mutate ...func(*batchv1.Job)) *batchv1.Job {
		return newJob(append([]func(*batchv1.Job){func(j *batchv1.Job) {
			j.Spec.Completions, j.Spec.Parallelism = ptr.To(n), ptr.To(n)
			j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		}}, mutate...)...)
	}
	testCases := map[string]struct {
		job          *batchv1.Job
		steps        func(job *batchv1.Job) []podStep
		wantOverlaps float64
		wantRetries  float64
	}{
		"backoffLimitPerIndex: index 0 fails twice, index 1 once ok: two retries": {
			job: indexedJob(2, func(j *batchv1.Job) {
				j.Spec.BackoffLimitPerIndex = ptr.To[int32](3)
				j.Spec.PodReplacementPolicy = ptr.To(batchv1.Failed)
			}),
			steps: func(job *batchv1.Job) []podStep {
				return []podStep{
					{pod: indexed(newPod("a0", job, running("app", atkSec(0))), 0)},
					{pod: indexed(newPod("a1", job, running("app", atkSec(0))), 1)},
					{pod: indexed(failed(newPod("a0", job, terminated("app", atkSec(0), atkSec(3), 1))), 0)},
					{pod: indexed(newPod("b0", job, running("app", atkSec(5))), 0)},
					{pod: indexed(failed(newPod("b0", job, terminated("app", atkSec(5), atkSec(8), 1))), 0)},
					{pod: indexed(newPod("c0", job, running("app", atkSec(10))), 0)},
					{pod: indexed(succeeded(newPod("a1", job, terminated("app", atkSec(0), atkSec(12), 0))), 1)},
				}
			},
			wantRetries: 2,
		},
		"podFailurePolicy Ignore on a disruption: the replacement still ran the work again: one retry": {
			job: newJob(func(j *batchv1.Job) {
				j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{
					Action:          batchv1.PodFailurePolicyActionIgnore,
					OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}},
				}}}
				j.Spec.PodReplacementPolicy = ptr.To(batchv1.Failed)
			}),
			steps: func(job *batchv1.Job) []podStep {
				return []podStep{
					{pod: newPod("p1", job, running("app", atkSec(0)))},
					{pod: terminating(newPod("p1", job, running("app", atkSec(0))), atkSec(4), 30*time.Second)},
					{pod: failed(terminating(newPod("p1", job, terminated("app", atkSec(0), atkSec(6), 143)), atkSec(4), 30*time.Second))},
					{pod: created(newPod("p2", job, running("app", atkSec(8))), atkSec(7))},
				}
			},
			wantRetries: 1,
		},
		"podFailurePolicy Count on exit code 42: one retry": {
			steps: func(job *batchv1.Job) []podStep {
				return []podStep{
					{pod: failed(newPod("p1", job, terminated("app", atkSec(0), atkSec(6), 42)))},
					{pod: created(newPod("p2", job, running("app", atkSec(8))), atkSec(7))},
				}
			},
			wantRetries: 1,
		},
		"suspended while running, resumed a minute later: the work ran again: one retry": {
			steps: func(job *batchv1.Job) []podStep {
				return []podStep{
					{pod: newPod("p1", job, running("app", atkSec(0)))},
					{pod: terminating(newPod("p1", job, running("app", atkSec(0))), atkSec(10), 30*time.Second)},
					{pod: failed(terminating(newPod("p1", job, terminated("app", atkSec(0), atkSec(12), 143)), atkSec(10), 30*time.Second))},
					{pod: failed(terminating(newPod("p1", job, terminated("app", atkSec(0), atkSec(12), 143)), atkSec(10), 30*time.Second)), deleted: true},
					{pod: created(newPod("p2", job, running("app", atkSec(72))), atkSec(70))},
				}
			},
			wantRetries: 1,
		},
		"a pod recreated with the same name (new UID): one retry": {
			steps: func(job *batchv1.Job) []podStep {
				again := created(newPod("p1", job, running("app", atkSec(20))), atkSec(19))
				again.UID = "p1-uid-2"
				return []podStep{
					{pod: failed(newPod("p1", job, terminated("app", atkSec(0), atkSec(6), 1)))},
					{pod: failed(newPod("p1", job, terminated("app", atkSec(0), atkSec(6), 1))), deleted: true},
					{pod: again},
				}
			},
			wantRetries: 1,
		},
		"restartCount going down (kubelet lost its state): the highest is kept": {
			steps: func(job *batchv1.Job) []podStep {
				return []podStep{
					{pod: newPod("p1", job, restarted("app", atkSec(0), atkSec(10), atkSec(20), 3))},
					{pod: newPod("p1", job, restarted("app", atkSec(20), atkSec(30), atkSec(40), 1))},
				}
			},
			wantRetries: 3,
		},
		"thousands of restarts of a days-long run": {
			steps: func(job *batchv1.Job) []podStep {
				return []podStep{
					{pod: newPod("p1", job, running("app", atkSec(0)))},
					{pod: newPod("p1", job, restarted("app", atkSec(3000), atkSec(3010), atkSec(3020), 4999))},
				}
			},
			wantRetries: 4999,
		},
		"app container status missing state before the first start: nothing": {
			steps: func(job *batchv1.Job) []podStep {
				return []podStep{
					{pod: newPod("p1", job, corev1.ContainerStatus{Name: "app"})},
					{pod: newPod("p1", job, running("app", atkSec(1)))},
				}
			},
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			job := tc.job
			if job == nil {
				job = newJob()
			}
			f := newFixture(t, Options{PerCronJobLabels: true}, job)
			f.drive(t, job, tc.steps(job))
			overlaps, retries := reexecutionsCounted(t)
			assert.Equal(t, tc.wantOverlaps, overlaps, "overlaps")
			assert.Equal(t, tc.wantRetries, retries, "retries")
		})
	}
}

// The record edited by a user into something that does not parse is
// reported once and left alone; a value with a leading sign or zeros parses.
func TestAttackHoldsRecordGarbage(t *testing.T) {
	for _, value := range []string{"garbage", "overlap=-1,retry=0", "overlap=0,retry=99999999999999999999", "overlap=0,retry=1,by=me", " overlap=0,retry=1"} {
		t.Run(value, func(t *testing.T) {
			job := newJob(func(j *batchv1.Job) { j.Annotations[ReexecutionsAnnotation] = value })
			f := newFixture(t, Options{PerCronJobLabels: true}, job)
			f.drive(t, job, []podStep{{pod: newPod("p1", job, restarted("app", atkSec(0), atkSec(1), atkSec(2), 1))}})
			f.drive(t, job, []podStep{{pod: newPod("p1", job, restarted("app", atkSec(0), atkSec(1), atkSec(2), 1))}})
			assert.Equal(t, value, f.stored(t, job).Annotations[ReexecutionsAnnotation])
			events := f.events()
			if assert.Len(t, events, 1) {
				assert.True(t, strings.Contains(events[0], "InvalidReexecutions"), events[0])
			}
		})
	}
}

// Clock skew: a kubelet whose clock is behind the control plane's reports a
// start before the scheduled time: the delay is 0, never negative.
func TestAttackHoldsKubeletClockBehind(t *testing.T) {
	job := newJob()
	f := newFixture(t, Options{PerCronJobLabels: true}, job)
	f.drive(t, job, []podStep{{pod: newPod("p1", job, running("app", scheduled.Add(-40*time.Second)))}})
	h := jobStartDelay.WithLabelValues("team-a", "nightly", triggerScheduled)
	n, _ := testutil.GetHistogramMetricCount(h)
	sum, _ := testutil.GetHistogramMetricValue(h)
	assert.Equal(t, uint64(1), n)
	assert.Zero(t, sum)
	assert.Equal(t, scheduled.Add(-40*time.Second).Format(time.RFC3339), f.annotation(t, FirstRunningAnnotation))
}
