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
// running minus expected start) and app container run time.
package jobtracker

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
	cronJobsSynced cache.InformerSynced
	// podInformer holds only pods of CronJobs' Jobs, stripped (see pods.go).
	podInformer cache.SharedIndexInformer

	// observedRuns remembers the app container runs already measured, so an
	// update or resync of a pod does not observe the same run twice.
	mu           sync.Mutex
	observedRuns map[types.UID]time.Time
	// invalidFirstRunning remembers the Jobs whose first-running annotation
	// was reported as broken, to report each once.
	invalidFirstRunning map[types.UID]struct{}
}

// New creates the tracker. The pod informer is its own, built here, and is
// started by Run once the Job informer has synced.
func New(ctx context.Context, jobInformer batchv1informers.JobInformer, cronJobInformer batchv1informers.CronJobInformer, kubeClient clientset.Interface, opts Options) (*Controller, error) {
	broadcaster := record.NewBroadcaster(record.WithContext(ctx))
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
		observedRuns:   map[types.UID]time.Time{},

		invalidFirstRunning: map[types.UID]struct{}{},
	}

	c.podInformer = newPodInformer(kubeClient, c.tracksPod, opts.ResyncPeriod)
	if err := c.podInformer.AddIndexers(cache.Indexers{podJobUIDIndex: indexByJobUID}); err != nil {
		return nil, fmt.Errorf("adding the pod index: %w", err)
	}
	if _, err := c.podInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			cachedPods.Inc()
			c.podChanged(ctx, nil, obj)
		},
		UpdateFunc: func(old, cur any) { c.podChanged(ctx, old, cur) },
		DeleteFunc: func(obj any) {
			cachedPods.Dec()
			c.podDeleted(obj)
		},
	}); err != nil {
		return nil, fmt.Errorf("adding the pod handler: %w", err)
	}
	if _, err := jobInformer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { c.jobChanged(ctx, nil, obj) },
		UpdateFunc: func(old, cur any) { c.jobChanged(ctx, old, cur) },
		DeleteFunc: c.jobDeleted,
	}); err != nil {
		return nil, fmt.Errorf("adding the job handler: %w", err)
	}
	if _, err := cronJobInformer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		DeleteFunc: c.cronJobDeleted,
	}); err != nil {
		return nil, fmt.Errorf("adding the cronjob handler: %w", err)
	}
	registerMetrics()
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
	cachedPods.Set(0)
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
func (c *Controller) tracksPod(pod *corev1.Pod) bool {
	jobName, uid := pod.Labels[batchv1.JobNameLabel], pod.Labels[batchv1.ControllerUidLabel]
	if jobName == "" || uid == "" {
		return false
	}
	job, err := c.jobLister.Jobs(pod.Namespace).Get(jobName)
	return err == nil && string(job.UID) == uid && cronJobOf(job) != ""
}

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
	if !ok || cronJobOf(job) == "" {
		return
	}
	switch _, set, err := firstRunning(job); {
	case !set:
		c.enqueue(job)
	case err != nil:
		c.reportInvalidFirstRunning(job, err)
	}
	if oldJob, ok := old.(*batchv1.Job); ok {
		c.recordFinished(ctx, oldJob, job)
	}
}

// reportInvalidFirstRunning reports, once per Job, a first-running annotation
// that is not a time. It is left as it is (first writer wins): the Job gets
// no start delay.
func (c *Controller) reportInvalidFirstRunning(job *batchv1.Job, err error) {
	c.mu.Lock()
	_, reported := c.invalidFirstRunning[job.UID]
	c.invalidFirstRunning[job.UID] = struct{}{}
	c.mu.Unlock()
	if !reported {
		c.reportInvalid(job, FirstRunningAnnotation, "InvalidFirstRunning", fmt.Errorf("%w; left as it is: no start delay is recorded for this Job", err))
	}
}

// reportInvalid reports a broken annotation with a Warning event on the Job
// and in cronjob_jobtracker_invalid_annotations_total.
func (c *Controller) reportInvalid(job *batchv1.Job, annotation, reason string, err error) {
	c.recorder.Eventf(job, corev1.EventTypeWarning, reason, "%v", err)
	l := c.labels(job)
	invalidAnnotations.WithLabelValues(l.namespace, l.cronJob, annotation).Inc()
}

func (c *Controller) jobDeleted(obj any) {
	if tombstone, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tombstone.Obj
	}
	if job, ok := obj.(*batchv1.Job); ok {
		c.mu.Lock()
		delete(c.invalidFirstRunning, job.UID)
		c.mu.Unlock()
	}
}

// recordFinished counts a Job that reached a terminal condition. Only the
// transition is counted, so a restart or failover does not count Jobs that
// had already finished; Jobs that finish while no replica leads are missed.
func (c *Controller) recordFinished(ctx context.Context, old, cur *batchv1.Job) {
	if jobutil.IsJobFinished(old) || !jobutil.IsJobFinished(cur) {
		return
	}
	result := resultFailure
	if jobutil.IsJobSucceeded(cur) {
		result = resultSuccess
	}
	l := c.labels(cur)
	jobFinished.WithLabelValues(l.namespace, l.cronJob, l.trigger, result).Inc()
	klog.FromContext(ctx).V(4).Info("Job finished", "job", klog.KObj(cur), "result", result)
}

func (c *Controller) podChanged(ctx context.Context, old, cur any) {
	pod, ok := cur.(*corev1.Pod)
	if !ok {
		return
	}
	status, _ := appContainerStatus(pod)
	if status == nil {
		return
	}
	if !firstStarted(status).IsZero() {
		if job, err := c.jobOf(pod); err == nil {
			if _, set, _ := firstRunning(job); !set {
				c.enqueue(job)
			}
		}
	}
	c.recordRunEnded(ctx, pod, status)
}

// recordRunEnded observes the run time of the app container's run that just
// ended. Each run is observed once, by its start time.
func (c *Controller) recordRunEnded(ctx context.Context, pod *corev1.Pod, status *corev1.ContainerStatus) {
	term := status.State.Terminated
	if term == nil || term.StartedAt.IsZero() || term.FinishedAt.IsZero() {
		return
	}
	c.mu.Lock()
	seen, ok := c.observedRuns[pod.UID]
	if ok && !term.StartedAt.Time.After(seen) {
		c.mu.Unlock()
		return
	}
	c.observedRuns[pod.UID] = term.StartedAt.Time
	c.mu.Unlock()

	job, err := c.jobOf(pod)
	if err != nil {
		return
	}
	l := c.labels(job)
	d := term.FinishedAt.Sub(term.StartedAt.Time).Seconds()
	appContainerDuration.WithLabelValues(l.namespace, l.cronJob, l.trigger).Observe(max(d, 0))
	klog.FromContext(ctx).V(4).Info("App container run ended", "pod", klog.KObj(pod), "job", klog.KObj(job), "seconds", d)
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
	c.mu.Lock()
	delete(c.observedRuns, pod.UID)
	c.mu.Unlock()
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

// sync sets the first-running annotation of one Job if it is not set and one
// of its pods' app container has started.
func (c *Controller) sync(ctx context.Context, key string) error {
	logger := klog.FromContext(ctx)
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return err
	}
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
	if _, set, _ := firstRunning(job); set {
		return nil
	}
	started, pod, err := c.firstStart(job)
	if err != nil {
		c.reportInvalid(job, AppContainerAnnotation, "InvalidAppContainer", err)
	}
	if started.IsZero() {
		return nil
	}

	written, err := c.writeFirstRunning(ctx, job, started)
	if err != nil || !written {
		return err
	}
	l := c.labels(job)
	jobStarted.WithLabelValues(l.namespace, l.cronJob, l.trigger).Inc()
	expected, perr := expectedStart(job)
	if perr != nil {
		c.reportInvalid(job, ExpectedStartAnnotation, "InvalidExpectedStart", fmt.Errorf("%w; start delay measured from the next source", perr))
	}
	delay := started.Sub(expected)
	if delay < 0 {
		// The kubelet's clock is behind the controller's, or the Job was made
		// with a later expected start: never report a negative delay.
		logger.V(2).Info("App container started before the expected start; recording zero delay", "job", klog.KObj(job), "expected", expected, "started", started)
		delay = 0
	}
	jobStartDelay.WithLabelValues(l.namespace, l.cronJob, l.trigger).Observe(delay.Seconds())
	logger.V(2).Info("Recorded first running", "job", klog.KObj(job), "pod", klog.KObj(pod), "firstRunning", started, "startDelay", delay)
	return nil
}

// firstStart is the earliest app container start among the Job's pods.
func (c *Controller) firstStart(job *batchv1.Job) (time.Time, *corev1.Pod, error) {
	objs, err := c.podInformer.GetIndexer().ByIndex(podJobUIDIndex, string(job.UID))
	if err != nil {
		return time.Time{}, nil, err
	}
	var earliest time.Time
	var first *corev1.Pod
	var firstErr error
	for _, obj := range objs {
		pod := obj.(*corev1.Pod)
		status, err := appContainerStatus(pod)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if t := firstStarted(status); !t.IsZero() && (earliest.IsZero() || t.Before(earliest)) {
			earliest, first = t, pod
		}
	}
	return earliest, first, firstErr
}

// writeFirstRunning sets the annotation with optimistic concurrency: the patch
// carries the Job's resourceVersion, so it fails if anyone changed the Job in
// between. On a conflict the Job is read again, and a value someone else wrote
// is kept. It reports whether this call wrote the value.
func (c *Controller) writeFirstRunning(ctx context.Context, job *batchv1.Job, started time.Time) (bool, error) {
	value := started.UTC().Format(time.RFC3339)
	for {
		patch, err := json.Marshal(map[string]any{
			"metadata": map[string]any{
				"resourceVersion": job.ResourceVersion,
				"annotations":     map[string]string{FirstRunningAnnotation: value},
			},
		})
		if err != nil {
			return false, err
		}
		_, err = c.kubeClient.BatchV1().Jobs(job.Namespace).Patch(ctx, job.Name, types.MergePatchType, patch, metav1.PatchOptions{})
		switch {
		case err == nil:
			return true, nil
		case apierrors.IsNotFound(err):
			return false, nil
		case !apierrors.IsConflict(err):
			return false, fmt.Errorf("annotating job %s/%s: %w", job.Namespace, job.Name, err)
		}
		fresh, err := c.kubeClient.BatchV1().Jobs(job.Namespace).Get(ctx, job.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("re-reading job %s/%s after a conflict: %w", job.Namespace, job.Name, err)
		}
		if fresh.UID != job.UID {
			return false, nil
		}
		if _, set, _ := firstRunning(fresh); set {
			return false, nil
		}
		job = fresh
	}
}
