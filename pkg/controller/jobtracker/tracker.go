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

// Package jobtracker records when the application of a CronJob's Job actually
// started. It sets the steadycron.io/first-running annotation on the Job, once,
// to the startedAt of the app container of the first of its pods that ran, and
// exports the Job lifecycle metrics: started, finished, start delay (first
// running minus expected start), app container run time, and the runs that
// executed more than once (re-executions: overlap or retry).
//
// Exactly once across processes: each observation belongs to one replica.
// The start (first-running, start delay, cronjob_job_started_total) belongs to
// the replica whose conditional write set the annotation; re-executions
// (cronjob_job_reexecutions_total, the OverlappingRun event) to the replica
// whose conditional write raised the counts recorded in the
// steadycron.io/reexecutions annotation; a write whose answer was lost (the
// API server may have carried it out) is this replica's if it next sees the
// Job with exactly the value it sent (see settleFirstRunning and
// reexecutionsRecord.settle). Every other observation belongs to
// the replica that was leading when the observed thing happened, by the time
// the API object records (see observes): a replica observes a run that
// ended, a Job that finished (and its attempts) or a broken annotation on a
// Job that was created at or after the second it started leading, and
// nothing older. So a restart or failover never observes again what the
// previous leader observed; what happened while no replica led is lost,
// except starts and re-executions of Jobs that had not finished
// (docs/metrics.md).
package jobtracker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	batchv1informers "k8s.io/client-go/informers/batch/v1"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	batchv1listers "k8s.io/client-go/listers/batch/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	jobutil "k8s.io/kubernetes/pkg/controller/job/util"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"
)

// ComponentName is the tracker's user agent and event source.
const ComponentName = "steadycron-jobtracker"

// podJobUIDIndex indexes tracked pods by the UID of their Job.
const podJobUIDIndex = "jobUID"

// Options configures the tracker.
type Options struct {
	// PerCronJobLabels labels metrics with namespace and cronjob; when false
	// both are empty so the series do not grow with the number of CronJobs.
	PerCronJobLabels bool
	// ResyncPeriod of the pod informer.
	ResyncPeriod time.Duration
	// Clock tells the time this process started leading and when a pod's
	// deletion was seen; nil is the real clock.
	Clock clock.PassiveClock
	// PreviousLeaderUntil is when the previous leader last renewed the
	// lease (its release, after a graceful stop), by its clock; zero if no
	// other process led before. What happened in that second or earlier is
	// the previous leader's to observe (see observes).
	PreviousLeaderUntil time.Time
}

// Controller is the job tracker.
type Controller struct {
	kubeClient  clientset.Interface
	recorder    record.EventRecorder
	broadcaster record.EventBroadcaster
	queue       workqueue.TypedRateLimitingInterface[string]
	opts        Options

	jobLister      batchv1listers.JobLister
	jobsSynced     cache.InformerSynced
	cronJobLister  batchv1listers.CronJobLister
	cronJobsSynced cache.InformerSynced
	// podInformer holds only pods of CronJobs' Jobs, stripped (see pods.go).
	podInformer cache.SharedIndexInformer

	clock clock.PassiveClock
	// observesFrom is the first second whose events this process observes
	// (see observes and newObservesFrom).
	observesFrom time.Time

	// seriesMu orders the observations of a CronJob's Jobs with the
	// deletion of the CronJob's series (see observe).
	seriesMu sync.RWMutex

	mu sync.Mutex
	// observedRuns remembers, per Job and pod, the start of the last app
	// container run measured, so an update, a resync or a listing of a pod
	// does not observe the same run twice. A pod's entry lives until the pod
	// is deleted or its Job is forgotten, not as long as the pod is cached: a
	// Job's pods are dropped from the cache while it is not a CronJob's, and
	// listed again when it is one again (admitPodsOfLateJob).
	observedRuns map[types.UID]map[types.UID]time.Time
	// invalidFirstRunning remembers the Jobs whose first-running annotation
	// was reported as broken, to report each once.
	invalidFirstRunning map[types.UID]struct{}
	// invalidAppContainer remembers, per Job, the app-container annotation
	// value reported as broken, to report each (Job, value) once.
	invalidAppContainer map[types.UID]string
	// runs holds what this process saw of each Job's pods, until the Job is
	// deleted, to count re-executions and, when the Job finishes, attempts.
	runs map[types.UID]*jobRuns
	// firstRunningSeen remembers the Jobs this process saw with a first-running
	// annotation (or wrote it on): it is never written again, even if
	// another writer removes it (first writer wins).
	firstRunningSeen map[types.UID]struct{}
	// firstRunningSent holds, per Job, the first-running values this
	// process sent in patches whose answer was lost (see answerLost): the
	// API server may have carried one out (see settleFirstRunning).
	firstRunningSent map[types.UID][]sentFirstRunning
	// finishesToCount holds, by UID, the Jobs (as they were seen finishing)
	// whose finish this process is to count (see recordFinished), until a
	// worker or the Job's deletion counts it.
	finishesToCount map[types.UID]*batchv1.Job
	// deleted holds, by key, the last state of the Jobs deleted and not yet
	// handled by a worker (see jobDeleted).
	deleted map[string][]*batchv1.Job
	// finishSeen is when this process first saw a Job finished, until it
	// observed the Job's attempts (attemptsObserved).
	finishSeen       map[types.UID]time.Time
	attemptsObserved map[types.UID]struct{}
	// invalidReexecutions remembers the Jobs whose reexecutions annotation
	// was reported as broken, to report each once.
	invalidReexecutions map[types.UID]struct{}
	// reexecutionsRecord is, per Job, the highest re-execution counts this
	// process saw recorded on the Job or wrote there, and the highest it
	// found in the pods (see syncReexecutions).
	reexecutionsRecord map[types.UID]*reexecutionsRecord
	// appContainerMissing remembers the Jobs whose app container was
	// reported missing from a pod, to report each once.
	appContainerMissing map[types.UID]struct{}
	// podsToList holds the Jobs whose pods a worker is to list from the API
	// server (see admitPodsOfLateJob).
	podsToList map[types.UID]struct{}
}

// reexecutionsRecord is what one process knows of a Job's re-executions.
type reexecutionsRecord struct {
	// counted is the highest count, per kind, that this process saw in
	// the steadycron.io/reexecutions annotation or wrote there: what was
	// counted, whatever another writer does to the annotation afterwards.
	counted reexecutionCounts
	// found is the highest count, per kind, that this process found in the
	// Job's pods.
	found reexecutionCounts
	// sent holds the records this process sent in patches whose answer
	// was lost (see answerLost): the API server may have carried one out
	// (see settle).
	sent []sentReexecutions
}

// sentFirstRunning is a first-running value this process sent in a patch
// whose answer was lost, and the pod it came from.
type sentFirstRunning struct {
	value, pod string
}

// sentReexecutions is a re-executions record this process sent in a patch
// whose answer was lost: what it raised the record from and to, and the
// re-executions it found then (for the OverlappingRun event).
type sentReexecutions struct {
	from, to reexecutionCounts
	found    []reexecution
}

// attemptsSettle is how long, at most, the tracker waits after a Job's end
// for its pod cache to show the pods the Job counted as succeeded or failed
// before it observes the Job's attempts: the Job and pod informers are
// separate watches, so a Job's end can arrive before its pods' last statuses.
const attemptsSettle = 30 * time.Second

// New creates the tracker. The pod informer is its own, built here, and is
// started by Run once the Job informer has synced.
func New(ctx context.Context, jobInformer batchv1informers.JobInformer, cronJobInformer batchv1informers.CronJobInformer, kubeClient clientset.Interface, opts Options) (*Controller, error) {
	broadcaster := record.NewBroadcaster(record.WithContext(ctx))
	clk := opts.Clock
	if clk == nil {
		clk = clock.RealClock{}
	}
	c := &Controller{
		kubeClient:  kubeClient,
		broadcaster: broadcaster,
		recorder:    broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: ComponentName}),
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(
			workqueue.DefaultTypedControllerRateLimiter[string](),
			workqueue.TypedRateLimitingQueueConfig[string]{Name: "jobtracker"},
		),
		opts:           opts,
		jobLister:      jobInformer.Lister(),
		jobsSynced:     jobInformer.Informer().HasSynced,
		cronJobsSynced: cronJobInformer.Informer().HasSynced,
		clock:          clk,
		observesFrom:   newObservesFrom(clk.Now(), opts.PreviousLeaderUntil),
		observedRuns:   map[types.UID]map[types.UID]time.Time{},

		invalidFirstRunning: map[types.UID]struct{}{},
		invalidAppContainer: map[types.UID]string{},
		runs:                map[types.UID]*jobRuns{},
		firstRunningSeen:    map[types.UID]struct{}{},
		firstRunningSent:    map[types.UID][]sentFirstRunning{},
		finishSeen:          map[types.UID]time.Time{},
		finishesToCount:     map[types.UID]*batchv1.Job{},
		deleted:             map[string][]*batchv1.Job{},
		attemptsObserved:    map[types.UID]struct{}{},
		invalidReexecutions: map[types.UID]struct{}{},
		reexecutionsRecord:  map[types.UID]*reexecutionsRecord{},
		appContainerMissing: map[types.UID]struct{}{},
		podsToList:          map[types.UID]struct{}{},
		cronJobLister:       cronJobInformer.Lister(),
	}

	c.podInformer = newPodInformer(kubeClient, c.tracksPod, opts.ResyncPeriod)
	if err := c.podInformer.AddIndexers(cache.Indexers{podJobUIDIndex: indexByJobUID}); err != nil {
		return nil, fmt.Errorf("adding the pod index: %w", err)
	}
	if _, err := c.podInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { c.podChanged(ctx, nil, obj) },
		UpdateFunc: func(old, cur any) { c.podChanged(ctx, old, cur) },
		DeleteFunc: c.podDeleted,
	}); err != nil {
		return nil, fmt.Errorf("adding the pod handler: %w", err)
	}
	if _, err := jobInformer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { c.jobChanged(ctx, nil, obj) },
		UpdateFunc: func(old, cur any) { c.jobChanged(ctx, old, cur) },
		DeleteFunc: func(obj any) { c.jobDeleted(ctx, obj) },
	}); err != nil {
		return nil, fmt.Errorf("adding the job handler: %w", err)
	}
	if _, err := cronJobInformer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		DeleteFunc: c.cronJobDeleted,
	}); err != nil {
		return nil, fmt.Errorf("adding the cronjob handler: %w", err)
	}
	registerMetrics()
	cachedPods.setStore(c.podInformer.GetStore())
	return c, nil
}

// Run starts the pod informer once Jobs are synced (its filter needs them),
// then the workers, and blocks until ctx is done.
func (c *Controller) Run(ctx context.Context, workers int) {
	defer utilruntime.HandleCrash()
	logger := klog.FromContext(ctx)

	c.broadcaster.StartStructuredLogging(3)
	c.broadcaster.StartRecordingToSink(&corev1client.EventSinkImpl{Interface: c.kubeClient.CoreV1().Events("")})
	defer c.broadcaster.Shutdown()

	logger.Info("Starting job tracker")
	var wg sync.WaitGroup
	defer func() {
		logger.Info("Shutting down job tracker")
		c.queue.ShutDown()
		wg.Wait()
	}()

	if !cache.WaitForNamedCacheSyncWithContext(ctx, c.jobsSynced, c.cronJobsSynced) {
		return
	}
	wg.Go(func() { c.podInformer.RunWithContext(ctx) })
	if !cache.WaitForNamedCacheSyncWithContext(ctx, c.podInformer.HasSynced) {
		return
	}
	for range workers {
		wg.Go(func() { wait.UntilWithContext(ctx, c.worker, time.Second) })
	}
	<-ctx.Done()
}

// HasSynced reports whether the tracker's own pod informer has synced.
func (c *Controller) HasSynced() bool { return c.podInformer.HasSynced() }

func (c *Controller) worker(ctx context.Context) {
	for c.processNextWorkItem(ctx) {
	}
}

func (c *Controller) processNextWorkItem(ctx context.Context) bool {
	key, quit := c.queue.Get()
	if quit {
		return false
	}
	defer c.queue.Done(key)
	if err := c.sync(ctx, key); err != nil {
		utilruntime.HandleErrorWithContext(ctx, err, "Syncing job for first-running", "job", key)
		c.queue.AddRateLimited(key)
		return true
	}
	c.queue.Forget(key)
	return true
}

// tracksPod is the pod informer's filter: only pods of a known Job of a CronJob.
func (c *Controller) tracksPod(pod *corev1.Pod) bool { return podOfCronJob(c.jobLister, pod) }

func indexByJobUID(obj any) ([]string, error) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, nil
	}
	if uid := pod.Labels[batchv1.ControllerUidLabel]; uid != "" {
		return []string{uid}, nil
	}
	return nil, nil
}

func (c *Controller) jobChanged(ctx context.Context, old, cur any) {
	job, ok := cur.(*batchv1.Job)
	if !ok {
		return
	}
	oldJob, _ := old.(*batchv1.Job)
	if oldJob != nil && oldJob.UID != job.UID {
		// The Job was deleted and another of the same name created while
		// the watch was down: the relist delivers it as an update.
		c.jobDeleted(ctx, oldJob)
		oldJob = nil
	}
	if cronJobOf(job) == "" {
		// Not, or no longer, a CronJob's Job: its CronJob was deleted
		// with --cascade=orphan (the garbage collector takes the owner
		// reference off its Jobs, which keep their pods), or someone
		// took the reference off.
		c.dropPodsOf(job.UID)
		return
	}
	if (oldJob == nil || cronJobOf(oldJob) == "") && c.podInformer.HasSynced() && hasPods(job) {
		// Seen for the first time with pods, after the pod informer's
		// list (which admits the pods of the Jobs shown then): their
		// events may have passed while the Job informer did not show it
		// yet, and been dropped. Likewise a Job that became a CronJob's
		// again (its pods were dropped when it stopped being one).
		c.mu.Lock()
		c.podsToList[job.UID] = struct{}{}
		c.mu.Unlock()
	}
	if recorded, err := recordedReexecutions(job); err == nil && recorded != (reexecutionCounts{}) && c.follows(job) {
		c.takeRecorded(ctx, job, recorded)
	}
	switch _, set, err := annotatedFirstRunning(job); {
	case !set:
		c.enqueue(job)
	case err != nil:
		c.reportInvalidFirstRunning(job, err)
		fallthrough
	default:
		c.mu.Lock()
		c.firstRunningSeen[job.UID] = struct{}{}
		c.mu.Unlock()
		c.settleFirstRunning(ctx, job)
	}
	c.recordFinished(oldJob, job)
	if c.follows(job) {
		// Re-executions, and the attempts of a Job that finished.
		c.enqueue(job)
	}
}

// follows reports whether this process counts the Job's re-executions and,
// once it finished, its attempts: the Job has not finished, or finished
// while this process was leading (see observes).
func (c *Controller) follows(job *batchv1.Job) bool {
	end := finishedAt(job)
	return end.IsZero() || c.observes(end)
}

// observes reports whether something that happened at t, by the clock of
// the API object that records it (a container's startedAt or finishedAt,
// written by the kubelet; a Job's condition or creation time, written by
// the control plane), belongs to this process (see newObservesFrom).
func (c *Controller) observes(t time.Time) bool {
	return !t.IsZero() && !t.Before(c.observesFrom)
}

// newObservesFrom is the first second whose events a process that started
// leading at leadingSince observes: that second, unless the previous leader
// held the lease in it (until previousUntil, its release or last renewal).
// API times have a resolution of one second, so the boundary is a whole
// second, and the second in which a quick restart handed over (SIGTERM, then
// the new process acquiring the released lease within the same second) is
// the previous leader's: it observed what happened there before it stopped,
// and what happened there after is lost rather than counted twice.
func newObservesFrom(leadingSince, previousUntil time.Time) time.Time {
	from := leadingSince.Truncate(time.Second)
	if after := previousUntil.Truncate(time.Second).Add(time.Second); after.After(from) {
		return after
	}
	return from
}

// reportInvalidFirstRunning reports, once per Job, a first-running annotation
// that is not a time. It is left as it is (first writer wins): the Job gets
// no start delay. It is reported by the replica leading when the Job was
// created (see observes), so a restart or failover does not report again
// the broken Jobs the cluster still keeps.
func (c *Controller) reportInvalidFirstRunning(job *batchv1.Job, err error) {
	c.mu.Lock()
	_, reported := c.invalidFirstRunning[job.UID]
	c.invalidFirstRunning[job.UID] = struct{}{}
	c.mu.Unlock()
	if !reported && c.observes(job.CreationTimestamp.Time) {
		c.reportInvalid(job, FirstRunningAnnotation, "InvalidFirstRunning", fmt.Errorf("%w; left as it is: no start delay is recorded for this Job", err))
	}
}

// reportInvalid reports a broken annotation with a Warning event on the Job
// and in cronjob_jobtracker_invalid_annotations_total.
func (c *Controller) reportInvalid(job *batchv1.Job, annotation, reason string, err error) {
	c.recorder.Eventf(job, corev1.EventTypeWarning, reason, "%v", err)
	c.observe(job, func(l seriesLabels) {
		invalidAnnotations.WithLabelValues(l.namespace, l.cronJob, annotation).Inc()
	})
}

// jobDeleted hands a deleted Job of a CronJob to a worker (finishDeleted),
// which counts its finish and observes its attempts with what this process
// saw of its pods (a Job removed as soon as it finished, by
// ttlSecondsAfterFinished or a cleanup, may be gone before a worker did),
// then forgets it. A worker does it, not the event handler, for the reason
// recordFinished gives.
func (c *Controller) jobDeleted(ctx context.Context, obj any) {
	if tombstone, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tombstone.Obj
	}
	job, ok := obj.(*batchv1.Job)
	if !ok {
		return
	}
	c.dropPodsOf(job.UID)
	key, err := cache.MetaNamespaceKeyFunc(job)
	if err != nil || cronJobOf(job) == "" {
		c.forget(job.UID)
		return
	}
	c.mu.Lock()
	c.deleted[key] = append(c.deleted[key], job)
	c.mu.Unlock()
	c.queue.Add(key)
}

// finishDeleted counts the finish and observes the attempts of the Jobs named
// key that were deleted (see jobDeleted), and forgets them.
func (c *Controller) finishDeleted(ctx context.Context, key string) {
	c.mu.Lock()
	jobs := c.deleted[key]
	delete(c.deleted, key)
	c.mu.Unlock()
	for _, job := range jobs {
		c.countFinished(ctx, job.UID)
		c.observeAttempts(ctx, job, true)
		c.forget(job.UID)
	}
}

// forget drops what this process holds about the Job of uid.
func (c *Controller) forget(uid types.UID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.observedRuns, uid)
	delete(c.invalidFirstRunning, uid)
	delete(c.invalidAppContainer, uid)
	delete(c.runs, uid)
	delete(c.firstRunningSeen, uid)
	delete(c.firstRunningSent, uid)
	delete(c.finishSeen, uid)
	delete(c.finishesToCount, uid)
	delete(c.attemptsObserved, uid)
	delete(c.invalidReexecutions, uid)
	delete(c.reexecutionsRecord, uid)
	delete(c.appContainerMissing, uid)
	delete(c.podsToList, uid)
}

// recordOf returns the Job's re-executions record, created if needed;
// c.mu must be held.
func (c *Controller) recordOf(uid types.UID) *reexecutionsRecord {
	r, ok := c.reexecutionsRecord[uid]
	if !ok {
		r = &reexecutionsRecord{}
		c.reexecutionsRecord[uid] = r
	}
	return r
}

// settle is called with each re-executions record this process sees on the
// Job (from its informer or a re-read), before raiseCounted. If the record
// is one this process sent in a patch whose answer was lost, the API server
// carried that patch out: what it raised is this process's to count, and
// settle returns it, once (the records sent are forgotten). c.mu must be held.
func (r *reexecutionsRecord) settle(recorded reexecutionCounts) (sentReexecutions, bool) {
	for _, s := range r.sent {
		if s.to == recorded {
			r.sent = nil
			return s, true
		}
	}
	return sentReexecutions{}, false
}

// sentLost remembers a record sent in a patch whose answer was lost (one
// entry per value: only one of the patches, all conditional on the Job's
// resourceVersion, can have been carried out since the record was last
// seen). c.mu must be held.
func (r *reexecutionsRecord) sentLost(s sentReexecutions) {
	r.sent = slices.DeleteFunc(r.sent, func(o sentReexecutions) bool { return o.to == s.to })
	r.sent = append(r.sent, s)
}

// takeRecorded takes in the re-executions record seen on job (from its
// informer or a re-read): it settles a patch of this process whose answer was
// lost and that the record shows carried out, counting what that patch
// raised, once (see settle), and raises what was counted to the record. It
// returns what was counted.
func (c *Controller) takeRecorded(ctx context.Context, job *batchv1.Job, recorded reexecutionCounts) reexecutionCounts {
	c.mu.Lock()
	r := c.recordOf(job.UID)
	sent, lost := r.settle(recorded)
	counted := r.raiseCounted(recorded)
	c.mu.Unlock()
	if lost {
		c.countReexecutions(ctx, job, sent.found, sent.from, sent.to)
	}
	return counted
}

// raiseCounted raises what was counted to at least counts, per kind, and
// returns it.
func (r *reexecutionsRecord) raiseCounted(counts reexecutionCounts) reexecutionCounts {
	r.counted = r.counted.max(counts)
	return r.counted
}

// observe hands the Job's series labels to record, which updates the Job's
// series, unless they belong to a CronJob that is gone (per-CronJob labels
// only). A CronJob's series are deleted with it, while its Jobs and pods
// live on until the garbage collector removes them: observing those would
// bring the series back for good. The informer removes the CronJob from its
// cache before its deletion is handled, and both hold seriesMu, so no
// series outlives its CronJob's deletion.
func (c *Controller) observe(job *batchv1.Job, record func(seriesLabels)) {
	c.seriesMu.RLock()
	defer c.seriesMu.RUnlock()
	if c.opts.PerCronJobLabels && !c.cronJobExists(job) {
		return
	}
	record(c.labels(job))
}

// cronJobExists reports whether the CronJob that controls the Job (by UID:
// not another CronJob of the same name) is in the informer's cache.
func (c *Controller) cronJobExists(job *batchv1.Job) bool {
	ref := metav1.GetControllerOf(job)
	if ref == nil {
		return false
	}
	cj, err := c.cronJobLister.CronJobs(job.Namespace).Get(ref.Name)
	return err == nil && cj.UID == ref.UID
}

// appContainerOf returns the name of the Job's app container (see
// appContainer). A broken app-container annotation is reported once per Job
// and annotation value, by the replica leading when the Job was created.
func (c *Controller) appContainerOf(job *batchv1.Job) string {
	name, err := appContainer(job)
	if err == nil {
		return name
	}
	value := job.Spec.Template.Annotations[AppContainerAnnotation]
	c.mu.Lock()
	reported, ok := c.invalidAppContainer[job.UID]
	c.invalidAppContainer[job.UID] = value
	c.mu.Unlock()
	if (!ok || reported != value) && c.observes(job.CreationTimestamp.Time) {
		c.reportInvalid(job, AppContainerAnnotation, "InvalidAppContainer", err)
	}
	return name
}

// finishedAt is when the Job reached its terminal condition (the control
// plane's clock), or zero while it has not.
func finishedAt(job *batchv1.Job) time.Time {
	for _, c := range job.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.LastTransitionTime.Time
		}
	}
	return time.Time{}
}

// recordFinished marks a Job that reached a terminal condition for a worker
// to count (countFinished). Only the transition is marked (old is nil for a
// Job seen for the first time), and only when the condition was set while
// this process was leading: a restart or failover does not count Jobs that
// had already finished; Jobs that finish while no replica leads are missed.
// The count waits for a worker because workers start once the CronJob cache
// has synced: an event handler may see the Job before the Job's CronJob, and
// observe would drop the count. Its attempts are observed by sync
// (observeAttempts), once its pods are known.
func (c *Controller) recordFinished(old, cur *batchv1.Job) {
	if !jobutil.IsJobFinished(cur) || (old != nil && jobutil.IsJobFinished(old)) || !c.observes(finishedAt(cur)) {
		return
	}
	c.mu.Lock()
	c.finishesToCount[cur.UID] = cur
	c.mu.Unlock()
}

// countFinished counts, once, the finish of the Job of uid that
// recordFinished marked.
func (c *Controller) countFinished(ctx context.Context, uid types.UID) {
	c.mu.Lock()
	job, marked := c.finishesToCount[uid]
	delete(c.finishesToCount, uid)
	c.mu.Unlock()
	if !marked {
		return
	}
	c.observe(job, func(l seriesLabels) {
		jobFinished.WithLabelValues(l.namespace, l.cronJob, l.trigger, resultOf(job)).Inc()
	})
	klog.FromContext(ctx).V(4).Info("Job finished", "job", klog.KObj(job), "uid", job.UID, "result", resultOf(job))
}

func resultOf(job *batchv1.Job) string {
	if jobutil.IsJobSucceeded(job) {
		return resultSuccess
	}
	return resultFailure
}

// observeAttempts observes, once per Job that finished while this process
// was leading, how many times its app container started. It waits until
// this process has seen as many of the Job's pods finish as the Job counted
// succeeded and failed, for at most attemptsSettle after it saw the end;
// then it observes what it knows. final (the Job was deleted) observes what
// it knows at once. It reports whether it has to look again, and when.
func (c *Controller) observeAttempts(ctx context.Context, job *batchv1.Job, final bool) (time.Duration, bool) {
	if !jobutil.IsJobFinished(job) || !c.observes(finishedAt(job)) {
		return 0, false
	}
	now := c.clock.Now()
	c.mu.Lock()
	if _, done := c.attemptsObserved[job.UID]; done {
		c.mu.Unlock()
		return 0, false
	}
	if !final {
		if cur, err := c.jobLister.Jobs(job.Namespace).Get(job.Name); err != nil || cur.UID != job.UID {
			// Deleted meanwhile: finishDeleted observes it (or did, and
			// forgot it).
			c.mu.Unlock()
			return 0, false
		}
	}
	seen, ok := c.finishSeen[job.UID]
	if !ok {
		seen = now
		c.finishSeen[job.UID] = now
	}
	attempts, terminal := 0, 0
	var found reexecutionCounts
	if runs := c.runs[job.UID]; runs != nil {
		attempts, terminal = runs.starts(), runs.terminalPods()
		found = countsOf(runs.reexecutions(job))
	}
	if counted := int(job.Status.Succeeded + job.Status.Failed); terminal < counted && !final {
		if wait := seen.Add(attemptsSettle).Sub(now); wait > 0 {
			c.mu.Unlock()
			return wait, true
		}
	}
	c.attemptsObserved[job.UID] = struct{}{}
	delete(c.finishSeen, job.UID)
	if r := c.reexecutionsRecord[job.UID]; r != nil {
		found = found.max(r.found)
	}
	c.mu.Unlock()

	c.observe(job, func(l seriesLabels) {
		jobAttempts.WithLabelValues(l.namespace, l.cronJob, l.trigger).Observe(float64(attempts))
	})
	klog.FromContext(ctx).V(4).Info("Job attempts", "job", klog.KObj(job), "uid", job.UID, "attempts", attempts)
	c.checkRecordedReexecutions(job, found)
	return 0, false
}

// checkRecordedReexecutions reports a reexecutions record above what the
// Job's pods showed, once the Job finished: someone raised it by hand
// (every replica writes at most what it found), and re-executions below
// it were not counted. Only a replica that led since the Job was created
// saw all its pods, so only it reports.
func (c *Controller) checkRecordedReexecutions(job *batchv1.Job, found reexecutionCounts) {
	recorded, err := recordedReexecutions(job)
	if err != nil || !c.observes(job.CreationTimestamp.Time) || (recorded.overlap <= found.overlap && recorded.retry <= found.retry) {
		return
	}
	c.mu.Lock()
	_, reported := c.invalidReexecutions[job.UID]
	c.invalidReexecutions[job.UID] = struct{}{}
	c.mu.Unlock()
	if !reported {
		c.reportInvalid(job, ReexecutionsAnnotation, "InvalidReexecutions", fmt.Errorf(
			"annotation %s=%q records more re-executions than the Job's pods showed (%s): it was raised by another writer, and the re-executions below it were not counted",
			ReexecutionsAnnotation, job.Annotations[ReexecutionsAnnotation], found))
	}
}

// updateRuns records the app container status of pod, a pod of job, in the
// runs of job that the tracker follows (status nil: the kubelet reported none
// of the app container).
func (c *Controller) updateRuns(job *batchv1.Job, pod *corev1.Pod, status *corev1.ContainerStatus) {
	c.mu.Lock()
	defer c.mu.Unlock()
	runs, ok := c.runs[job.UID]
	if !ok {
		runs = &jobRuns{pods: map[types.UID]*podRuns{}}
		c.runs[job.UID] = runs
	}
	runs.update(pod, status)
}

func (c *Controller) podChanged(ctx context.Context, old, cur any) {
	pod, ok := cur.(*corev1.Pod)
	if !ok {
		return
	}
	job, err := c.jobOf(pod)
	if err != nil || cronJobOf(job) == "" {
		// The filter admitted the pod while its Job was a CronJob's;
		// the Job is gone or no longer a CronJob's since (jobChanged and
		// jobDeleted dropped the pods they found; this one was added
		// after, from an event that had passed the filter before).
		c.dropPod(pod)
		return
	}
	name := c.appContainerOf(job)
	status := appContainerStatus(pod, name)
	if status == nil {
		c.reportAppContainerMissing(job, pod, name)
	}
	if c.follows(job) {
		c.updateRuns(job, pod, status)
		c.enqueue(job)
	} else if _, set, _ := annotatedFirstRunning(job); !set && !containerFirstRunning(status).IsZero() {
		c.enqueue(job)
	}
	if status != nil {
		c.recordRunEnded(ctx, job, pod, status)
	}
}

// reportAppContainerMissing reports, once per Job, a pod whose kubelet
// reported its containers' statuses but none of the app container: an
// admission webhook renamed or removed it. Nothing is guessed: the Job's
// pods get no start, run time or re-execution. It is reported by the
// replica leading when the Job was created (see observes).
func (c *Controller) reportAppContainerMissing(job *batchv1.Job, pod *corev1.Pod, name string) {
	if name == "" || len(pod.Status.ContainerStatuses) == 0 || !c.observes(job.CreationTimestamp.Time) {
		return
	}
	c.mu.Lock()
	_, reported := c.appContainerMissing[job.UID]
	c.appContainerMissing[job.UID] = struct{}{}
	c.mu.Unlock()
	if reported {
		return
	}
	names := make([]string, 0, len(pod.Status.ContainerStatuses))
	for _, s := range pod.Status.ContainerStatuses {
		names = append(names, s.Name)
	}
	c.reportInvalid(job, AppContainerAnnotation, "AppContainerNotFound", fmt.Errorf(
		"pod %s has no container %q, the app container of the Job's pod template (its containers: %s): an admission webhook renamed or removed it; "+
			"no start, run time or re-execution is recorded for the pods without it", pod.Name, name, strings.Join(names, ", ")))
}

// syncReexecutions counts the Job's re-executions that its pods' states
// prove (jobRuns.reexecutions) and that no process counted yet. What was
// counted is recorded on the Job, in the steadycron.io/reexecutions
// annotation, by a write conditional on the Job's resourceVersion; only the
// process whose write raised a count counts the difference, so a restart or
// a leader change never counts a re-execution again, whatever it finds in
// the pods' statuses (restartCount included). The first overlap of a Job
// gets a Warning event on it, from the process that recorded it.
func (c *Controller) syncReexecutions(ctx context.Context, job *batchv1.Job) error {
	if !c.follows(job) {
		return nil
	}
	c.mu.Lock()
	var found []reexecution
	if runs := c.runs[job.UID]; runs != nil {
		found = runs.reexecutions(job)
	}
	want := countsOf(found)
	if want != (reexecutionCounts{}) {
		r := c.recordOf(job.UID)
		r.found = r.found.max(want)
	}
	c.mu.Unlock()
	if want == (reexecutionCounts{}) {
		return nil
	}
	for {
		recorded, err := recordedReexecutions(job)
		if err != nil {
			c.reportInvalidReexecutions(job, err)
			return nil
		}
		// What was counted is the highest this process saw recorded or
		// wrote: another writer that lowers or removes the record does not
		// make it count the same re-executions again.
		counted := c.takeRecorded(ctx, job, recorded)
		next := counted.max(want)
		if next == counted {
			return nil
		}
		written, err := c.annotate(ctx, job, ReexecutionsAnnotation, next.String())
		if err != nil {
			if answerLost(err) {
				c.mu.Lock()
				c.recordOf(job.UID).sentLost(sentReexecutions{from: counted, to: next, found: found})
				c.mu.Unlock()
			}
			return err
		}
		if written {
			c.mu.Lock()
			r := c.recordOf(job.UID)
			r.raiseCounted(next)
			// This write was carried out on the version this process
			// saw last: none of the earlier ones whose answer was lost
			// was, nor can be (they were conditional on older versions).
			r.sent = nil
			c.mu.Unlock()
			c.countReexecutions(ctx, job, found, counted, next)
			return nil
		}
		if job, err = c.reread(ctx, job); job == nil || err != nil {
			return err
		}
	}
}

// countReexecutions counts what this process's write added to the Job's
// recorded re-executions.
func (c *Controller) countReexecutions(ctx context.Context, job *batchv1.Job, found []reexecution, from, to reexecutionCounts) {
	c.observe(job, func(l seriesLabels) {
		if n := to.overlap - from.overlap; n > 0 {
			jobReexecutions.WithLabelValues(l.namespace, l.cronJob, l.trigger, reexecutionOverlap).Add(float64(n))
		}
		if n := to.retry - from.retry; n > 0 {
			jobReexecutions.WithLabelValues(l.namespace, l.cronJob, l.trigger, reexecutionRetry).Add(float64(n))
		}
	})
	klog.FromContext(ctx).V(2).Info("App container started again", "job", klog.KObj(job), "reexecutions", to.String(), "counted", from.String())
	if from.overlap > 0 || to.overlap == 0 {
		return
	}
	for _, re := range found {
		if re.kind == reexecutionOverlap {
			c.recorder.Eventf(job, corev1.EventTypeWarning, "OverlappingRun",
				"The app container of pod %s started at %s while the one of pod %s (started at %s) was still running: this run executed twice at the same time. "+
					"Set podReplacementPolicy: Failed so that a replacement pod starts only once the old one has terminated",
				re.pod, re.at.UTC().Format(time.RFC3339), re.other, re.otherStart.UTC().Format(time.RFC3339))
			return
		}
	}
}

// reportInvalidReexecutions reports, once per Job, a reexecutions annotation
// that does not parse. It is left as it is (first writer wins), and the
// Job's re-executions are no longer counted: what was counted is unknown.
func (c *Controller) reportInvalidReexecutions(job *batchv1.Job, err error) {
	c.mu.Lock()
	_, reported := c.invalidReexecutions[job.UID]
	c.invalidReexecutions[job.UID] = struct{}{}
	c.mu.Unlock()
	if !reported {
		c.reportInvalid(job, ReexecutionsAnnotation, "InvalidReexecutions", fmt.Errorf("%w; left as it is: this Job's re-executions are no longer counted", err))
	}
}

// recordRunEnded observes the run time of the app container's runs that
// ended while this process was leading: the current run and, after a
// restart, the one before it. Each run is observed once, by its start time.
func (c *Controller) recordRunEnded(ctx context.Context, job *batchv1.Job, pod *corev1.Pod, status *corev1.ContainerStatus) {
	for _, term := range []*corev1.ContainerStateTerminated{status.LastTerminationState.Terminated, status.State.Terminated} {
		if term == nil || term.StartedAt.IsZero() || !c.observes(term.FinishedAt.Time) {
			continue
		}
		c.mu.Lock()
		seen, ok := c.observedRuns[job.UID][pod.UID]
		if ok && !term.StartedAt.Time.After(seen) {
			c.mu.Unlock()
			continue
		}
		if c.observedRuns[job.UID] == nil {
			c.observedRuns[job.UID] = map[types.UID]time.Time{}
		}
		c.observedRuns[job.UID][pod.UID] = term.StartedAt.Time
		c.mu.Unlock()

		d := term.FinishedAt.Sub(term.StartedAt.Time).Seconds()
		c.observe(job, func(l seriesLabels) {
			appContainerDuration.WithLabelValues(l.namespace, l.cronJob, l.trigger).Observe(max(d, 0))
		})
		klog.FromContext(ctx).V(4).Info("App container run ended", "pod", klog.KObj(pod), "job", klog.KObj(job), "seconds", d)
	}
}

func (c *Controller) podDeleted(obj any) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		tombstone, ok := obj.(cache.DeletedFinalStateUnknown)
		if !ok {
			return
		}
		if pod, ok = tombstone.Obj.(*corev1.Pod); !ok {
			return
		}
	}
	var status *corev1.ContainerStatus
	job, err := c.jobOf(pod)
	if err == nil {
		status = appContainerStatus(pod, c.appContainerOf(job))
	}
	jobUID := types.UID(pod.Labels[batchv1.ControllerUidLabel])
	c.mu.Lock()
	if observed := c.observedRuns[jobUID]; observed != nil {
		delete(observed, pod.UID)
		if len(observed) == 0 {
			delete(c.observedRuns, jobUID)
		}
	}
	runs, ok := c.runs[jobUID]
	if ok {
		runs.deleted(pod, status, c.clock.Now())
	}
	c.mu.Unlock()
	if ok && job != nil && c.follows(job) {
		c.enqueue(job)
	}
}

// dropPodsOf removes from the pod cache the pods of the Job of uid, a Job
// that is gone or no longer a CronJob's. The pod informer's filter drops the
// events of such pods (see newPodInformer), except their deletion, so a pod
// left in the cache would stay there, its status frozen, until it is deleted
// or the informer lists again: for the finished pods of a Job whose CronJob
// was deleted with --cascade=orphan, as long as the Job lives.
func (c *Controller) dropPodsOf(uid types.UID) {
	objs, err := c.podInformer.GetIndexer().ByIndex(podJobUIDIndex, string(uid))
	if err != nil {
		return
	}
	for _, obj := range objs {
		if pod, ok := obj.(*corev1.Pod); ok {
			c.dropPod(pod)
		}
	}
}

// dropPod removes a pod from the pod cache (see dropPodsOf). The informer's
// later deletion of it finds nothing to remove. A pod event that passed the
// filter before and is added to the cache after reaches podChanged, which
// drops it again, so the last word is always a drop. What was observed of the
// pod's runs stays (see observedRuns): the informer does not report the
// deletion of a pod it no longer holds, so it is forgotten with its Job.
func (c *Controller) dropPod(pod *corev1.Pod) {
	if err := c.podInformer.GetIndexer().Delete(pod); err != nil {
		utilruntime.HandleError(fmt.Errorf("dropping pod %s/%s from the job tracker's cache: %w", pod.Namespace, pod.Name, err))
	}
}

func (c *Controller) cronJobDeleted(obj any) {
	if !c.opts.PerCronJobLabels {
		return
	}
	cj, ok := obj.(*batchv1.CronJob)
	if !ok {
		tombstone, ok := obj.(cache.DeletedFinalStateUnknown)
		if !ok {
			return
		}
		if cj, ok = tombstone.Obj.(*batchv1.CronJob); !ok {
			return
		}
	}
	c.seriesMu.Lock()
	defer c.seriesMu.Unlock()
	deleteSeries(cj.Namespace, cj.Name)
}

func (c *Controller) jobOf(pod *corev1.Pod) (*batchv1.Job, error) {
	job, err := c.jobLister.Jobs(pod.Namespace).Get(pod.Labels[batchv1.JobNameLabel])
	if err != nil {
		return nil, err
	}
	if string(job.UID) != pod.Labels[batchv1.ControllerUidLabel] {
		return nil, fmt.Errorf("pod %s/%s belongs to an older Job of that name", pod.Namespace, pod.Name)
	}
	return job, nil
}

func (c *Controller) enqueue(job *batchv1.Job) {
	key, err := cache.MetaNamespaceKeyFunc(job)
	if err != nil {
		utilruntime.HandleError(err)
		return
	}
	c.queue.Add(key)
}

func (c *Controller) labels(job *batchv1.Job) seriesLabels {
	if !c.opts.PerCronJobLabels {
		return seriesLabels{trigger: triggerOf(job)}
	}
	return seriesLabels{namespace: job.Namespace, cronJob: cronJobOf(job), trigger: triggerOf(job)}
}

// sync brings one Job up to date: it sets the first-running annotation if it
// is not set and one of the Job's pods' app container has started, records
// and counts the Job's new re-executions, and observes the attempts of a
// Job that finished.
func (c *Controller) sync(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return err
	}
	c.finishDeleted(ctx, key)
	job, err := c.jobLister.Jobs(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if cronJobOf(job) == "" {
		return nil
	}
	c.countFinished(ctx, job.UID)
	if err := c.admitPodsOfLateJob(ctx, job); err != nil {
		return err
	}
	if err := c.syncFirstRunning(ctx, job); err != nil {
		return err
	}
	if err := c.syncReexecutions(ctx, job); err != nil {
		return err
	}
	if wait, again := c.observeAttempts(ctx, job, false); again {
		c.queue.AddAfter(key, wait)
	}
	return nil
}

// hasPods reports whether the Job's status counts pods: pods it has or had.
func hasPods(job *batchv1.Job) bool {
	return job.Status.Active+job.Status.Succeeded+job.Status.Failed > 0 || ptr.Deref(job.Status.Terminating, 0) > 0
}

// admitPodsOfLateJob lists, once, the pods of a Job that the Job informer
// showed only after its pods existed (jobChanged marks it), and takes them as
// the pod informer's events: the pod informer drops a pod whose Job the Job
// informer does not show (see newPodInformer) and admits it with its next
// event, but a pod that ran and ended before its Job was shown (a Job watch
// that lagged, or a Job deleted and made anew under its name meanwhile) has
// no next event. A Job is normally first seen before its pods exist (the Job
// controller creates them once it sees the Job), so this is rare.
func (c *Controller) admitPodsOfLateJob(ctx context.Context, job *batchv1.Job) error {
	c.mu.Lock()
	_, marked := c.podsToList[job.UID]
	c.mu.Unlock()
	if !marked {
		return nil
	}
	selector := labels.Set{batchv1.ControllerUidLabel: string(job.UID)}.AsSelector().String()
	list, err := c.kubeClient.CoreV1().Pods(job.Namespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return fmt.Errorf("listing the pods of job %s/%s: %w", job.Namespace, job.Name, err)
	}
	c.mu.Lock()
	delete(c.podsToList, job.UID)
	c.mu.Unlock()
	store := c.podInformer.GetIndexer()
	for i := range list.Items {
		pod := &list.Items[i]
		if pod.Labels[batchv1.JobNameLabel] != job.Name || pod.Labels[batchv1.ControllerUidLabel] != string(job.UID) {
			continue
		}
		if _, cached, _ := store.Get(pod); cached {
			continue // admitted by the informer: its events are handled
		}
		stripped, _ := stripPod(pod)
		p := stripped.(*corev1.Pod)
		status := appContainerStatus(p, c.appContainerOf(job))
		c.updateRuns(job, p, status)
		if status != nil {
			c.recordRunEnded(ctx, job, p, status)
		}
		klog.FromContext(ctx).V(2).Info("Admitted a pod of a Job seen after its pods", "job", klog.KObj(job), "pod", klog.KObj(p))
	}
	return nil
}

// syncFirstRunning sets the first-running annotation, once per Job: never
// when it is set, nor when this process saw it set before (another writer
// removed it: first writer wins).
func (c *Controller) syncFirstRunning(ctx context.Context, job *batchv1.Job) error {
	logger := klog.FromContext(ctx)
	if _, set, _ := annotatedFirstRunning(job); set {
		c.settleFirstRunning(ctx, job)
		return nil
	}
	c.mu.Lock()
	_, seen := c.firstRunningSeen[job.UID]
	c.mu.Unlock()
	if seen {
		logger.V(2).Info("First-running annotation removed by another writer; not written again", "job", klog.KObj(job))
		return nil
	}
	started, pod, err := c.podsFirstRunning(job)
	if err != nil {
		return err
	}
	if started.IsZero() {
		return nil
	}

	written, err := c.writeFirstRunning(ctx, job, started, pod)
	if err != nil || !written {
		return err
	}
	c.mu.Lock()
	c.firstRunningSeen[job.UID] = struct{}{}
	c.mu.Unlock()
	c.countStart(ctx, job, started, pod)
	return nil
}

// settleFirstRunning is called with the Job as this process sees it with
// the first-running annotation set (from its informer or a re-read). If the
// value is one this process sent in a patch whose answer was lost, the API
// server carried that patch out: the start is this process's, and it is
// counted, once (the values sent are forgotten). Any other value is another
// writer's. This process has led since it sent the patch (it exits when it
// loses the Lease), so no other leader wrote the value meanwhile.
func (c *Controller) settleFirstRunning(ctx context.Context, job *batchv1.Job) {
	value := job.Annotations[FirstRunningAnnotation]
	c.mu.Lock()
	sent, ok := c.firstRunningSent[job.UID]
	delete(c.firstRunningSent, job.UID)
	c.mu.Unlock()
	if !ok {
		return
	}
	for _, s := range sent {
		if s.value != value {
			continue
		}
		started, err := time.Parse(time.RFC3339, value)
		if err != nil {
			return // this process writes RFC3339 only
		}
		klog.FromContext(ctx).V(2).Info("First-running annotation written by this process's patch whose answer was lost", "job", klog.KObj(job), "firstRunning", value)
		c.countStart(ctx, job, started, s.pod)
		return
	}
}

// countStart counts the Job's start, which this process's write recorded:
// cronjob_job_started_total and the start delay.
func (c *Controller) countStart(ctx context.Context, job *batchv1.Job, started time.Time, pod string) {
	logger := klog.FromContext(ctx)
	expected, perr := expectedStart(job)
	if aerr := (*annotationError)(nil); errors.As(perr, &aerr) {
		c.reportInvalid(job, aerr.annotation, "InvalidExpectedStart", fmt.Errorf("%w; start delay measured from the next source", perr))
	}
	delay := started.Sub(expected)
	if delay < 0 {
		// The kubelet's clock is behind the controller's, or the Job was made
		// with a later expected start: never report a negative delay.
		logger.V(2).Info("App container started before the expected start; recording zero delay", "job", klog.KObj(job), "expected", expected, "started", started)
		delay = 0
	}
	c.observe(job, func(l seriesLabels) {
		jobStarted.WithLabelValues(l.namespace, l.cronJob, l.trigger).Inc()
		jobStartDelay.WithLabelValues(l.namespace, l.cronJob, l.trigger).Observe(delay.Seconds())
	})
	logger.V(2).Info("Recorded first running", "job", klog.KObj(job), "uid", job.UID, "pod", klog.KRef(job.Namespace, pod), "firstRunning", started, "startDelay", delay)
}

// podsFirstRunning is the Job's first running as its pods show it: the
// earliest app container start among its pods, and that pod's name. The pods
// are those in the cache and those this process saw that were removed since
// (a pod evicted or deleted before the Job was synced).
func (c *Controller) podsFirstRunning(job *batchv1.Job) (time.Time, string, error) {
	objs, err := c.podInformer.GetIndexer().ByIndex(podJobUIDIndex, string(job.UID))
	if err != nil {
		return time.Time{}, "", err
	}
	name := c.appContainerOf(job)
	var earliest time.Time
	var first string
	for _, obj := range objs {
		pod := obj.(*corev1.Pod)
		if t := containerFirstRunning(appContainerStatus(pod, name)); !t.IsZero() && (earliest.IsZero() || t.Before(earliest)) {
			earliest, first = t, pod.Name
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if runs := c.runs[job.UID]; runs != nil {
		for _, p := range runs.pods {
			if t := p.firstRunning; !t.IsZero() && (earliest.IsZero() || t.Before(earliest)) {
				earliest, first = t, p.name
			}
		}
	}
	return earliest, first, nil
}

// writeFirstRunning sets the annotation with optimistic concurrency (see
// annotate). On a conflict the Job is read again, and a value someone else
// wrote is kept (one this process sent in a patch whose answer was lost is
// settled: settleFirstRunning). It reports whether this call wrote the
// value. A patch whose answer was lost is remembered with its value.
func (c *Controller) writeFirstRunning(ctx context.Context, job *batchv1.Job, started time.Time, pod string) (bool, error) {
	value := started.UTC().Format(time.RFC3339)
	for {
		written, err := c.annotate(ctx, job, FirstRunningAnnotation, value)
		if err != nil && answerLost(err) {
			c.mu.Lock()
			sent := slices.DeleteFunc(c.firstRunningSent[job.UID], func(s sentFirstRunning) bool { return s.value == value })
			c.firstRunningSent[job.UID] = append(sent, sentFirstRunning{value: value, pod: pod})
			c.mu.Unlock()
		}
		if written {
			// Carried out on the version this process saw last: none of
			// its earlier patches whose answer was lost was, nor can be.
			c.mu.Lock()
			delete(c.firstRunningSent, job.UID)
			c.mu.Unlock()
		}
		if written || err != nil {
			return written, err
		}
		if job, err = c.reread(ctx, job); job == nil || err != nil {
			return false, err
		}
		if _, set, _ := annotatedFirstRunning(job); set {
			c.settleFirstRunning(ctx, job)
			return false, nil
		}
	}
}

// answerLost tells whether a patch that returned err may have been carried
// out by the API server, its answer lost: a timeout, a 5xx status, or an
// error without a status (a broken connection, a request cut off by the
// context). A 4xx status (conflict, not found, forbidden, throttled) means
// nothing was done. The CronJob controller tells creates apart by the same
// rule (requestMayHaveSucceeded, patch 0014).
func answerLost(err error) bool {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return true
	}
	return status.Status().Code >= http.StatusInternalServerError
}

// annotate sets one annotation of the Job by a patch that carries the Job's
// resourceVersion, so it fails if anyone changed the Job in between. It
// reports whether it wrote; false without an error is a conflict (re-read
// the Job with reread) or a Job that is gone (reread returns nil).
func (c *Controller) annotate(ctx context.Context, job *batchv1.Job, key, value string) (bool, error) {
	patch, err := json.Marshal(map[string]any{
		"metadata": map[string]any{
			"resourceVersion": job.ResourceVersion,
			"annotations":     map[string]string{key: value},
		},
	})
	if err != nil {
		return false, err
	}
	_, err = c.kubeClient.BatchV1().Jobs(job.Namespace).Patch(ctx, job.Name, types.MergePatchType, patch, metav1.PatchOptions{})
	switch {
	case err == nil:
		return true, nil
	case apierrors.IsNotFound(err), apierrors.IsConflict(err):
		return false, nil
	}
	return false, fmt.Errorf("annotating job %s/%s with %s: %w", job.Namespace, job.Name, key, err)
}

// reread reads the Job again from the API server after a conflict; it is
// nil when the Job is gone or was replaced by another of the same name.
func (c *Controller) reread(ctx context.Context, job *batchv1.Job) (*batchv1.Job, error) {
	fresh, err := c.kubeClient.BatchV1().Jobs(job.Namespace).Get(ctx, job.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("re-reading job %s/%s after a conflict: %w", job.Namespace, job.Name, err)
	}
	if fresh.UID != job.UID {
		return nil, nil
	}
	return fresh, nil
}
