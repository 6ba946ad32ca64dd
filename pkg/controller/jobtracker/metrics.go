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

import (
	"sync"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/component-base/metrics"
	"k8s.io/component-base/metrics/legacyregistry"
)

const (
	// subsystem prefixes the tracker's metrics of Jobs and their containers
	// (cronjob_job_started_total, ...), as upstream's CronJob controller
	// prefixes its own with a subsystem constant.
	subsystem = "cronjob"
	// trackerSubsystem prefixes the metrics of the tracker itself.
	trackerSubsystem = subsystem + "_jobtracker"
)

var (
	jobStarted = metrics.NewCounterVec(
		&metrics.CounterOpts{
			Subsystem:      subsystem,
			Name:           "job_started_total",
			Help:           "Jobs of CronJobs whose app container first ran, counted when the first-running annotation is written.",
			StabilityLevel: metrics.ALPHA,
		},
		[]string{"namespace", "cronjob", "trigger"},
	)
	jobFinished = metrics.NewCounterVec(
		&metrics.CounterOpts{
			Subsystem:      subsystem,
			Name:           "job_finished_total",
			Help:           "Jobs of CronJobs that reached a Complete (success) or Failed (failure) condition, counted by the replica leading when the condition was set.",
			StabilityLevel: metrics.ALPHA,
		},
		[]string{"namespace", "cronjob", "trigger", "result"},
	)
	jobStartDelay = metrics.NewHistogramVec(
		&metrics.HistogramOpts{
			Subsystem:      subsystem,
			Name:           "job_start_delay_seconds",
			Help:           "Time from a Job's expected start (its scheduled time; the creation time for manual Jobs) to the first start of its app container.",
			Buckets:        []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600},
			StabilityLevel: metrics.ALPHA,
		},
		[]string{"namespace", "cronjob", "trigger"},
	)
	appContainerDuration = metrics.NewHistogramVec(
		&metrics.HistogramOpts{
			Subsystem:      subsystem,
			Name:           "app_container_duration_seconds",
			Help:           "Run time of the app container of a CronJob's Job pod, from startedAt to finishedAt, once per run that ended, by the replica leading when it ended.",
			Buckets:        []float64{1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400},
			StabilityLevel: metrics.ALPHA,
		},
		[]string{"namespace", "cronjob", "trigger"},
	)
	jobReexecutions = metrics.NewCounterVec(
		&metrics.CounterOpts{
			Subsystem:      subsystem,
			Name:           "job_reexecutions_total",
			Help:           "Runs of a piece of a CronJob's Job's work (a completion slot) beyond its first: kind overlap (the app container of a pod that replaced another pod of the slot started while the replaced pod's was still running) or retry (the slot's app container started again after its earlier run ended: a restart in its pod, or a replacement pod).",
			StabilityLevel: metrics.ALPHA,
		},
		[]string{"namespace", "cronjob", "trigger", "kind"},
	)
	jobAttempts = metrics.NewHistogramVec(
		&metrics.HistogramOpts{
			Subsystem:      subsystem,
			Name:           "job_attempts",
			Help:           "App container starts of a CronJob's Job, across its pods and container restarts, observed when the Job finished; 1 is a run that executed once.",
			Buckets:        []float64{0, 1, 2, 3, 4, 5, 7, 10, 20},
			StabilityLevel: metrics.ALPHA,
		},
		[]string{"namespace", "cronjob", "trigger"},
	)
)

// cachedPodsDesc is the tracker's pod cache size, read from the cache itself
// at each scrape, so it is exact and never negative (the informer also
// reports deletions of pods it never admitted).
var cachedPodsDesc = metrics.NewDesc(
	metrics.BuildFQName("", trackerSubsystem, "cached_pods"),
	"Pods in the job tracker's cache: only pods of CronJobs' Jobs are held.",
	nil, nil, metrics.ALPHA, "",
)

// podCacheCollector reports cronjob_jobtracker_cached_pods from the store of
// the latest tracker created in this process (one per leadership term).
type podCacheCollector struct {
	metrics.BaseStableCollector
	mu    sync.Mutex
	store cache.Store
}

var cachedPods = &podCacheCollector{}

func (c *podCacheCollector) setStore(store cache.Store) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store = store
}

// DescribeWithStability implements metrics.StableCollector.
func (c *podCacheCollector) DescribeWithStability(ch chan<- *metrics.Desc) {
	ch <- cachedPodsDesc
}

// CollectWithStability implements metrics.StableCollector.
func (c *podCacheCollector) CollectWithStability(ch chan<- metrics.Metric) {
	c.mu.Lock()
	store := c.store
	c.mu.Unlock()
	n := 0
	if store != nil {
		n = len(store.ListKeys())
	}
	ch <- metrics.NewLazyConstMetric(cachedPodsDesc, metrics.GaugeValue, float64(n))
}

// invalidAnnotations counts the broken steadycron annotations the tracker
// reported with a Warning event, so that alerts can see them too.
var invalidAnnotations = metrics.NewCounterVec(
	&metrics.CounterOpts{
		Subsystem:      trackerSubsystem,
		Name:           "invalid_annotations_total",
		Help:           "Broken annotations on Jobs of CronJobs or their pods, and app containers missing from a Job's pods (annotation steadycron.io/app-container), each also reported by a Warning event on the Job, by annotation.",
		StabilityLevel: metrics.ALPHA,
	},
	[]string{"namespace", "cronjob", "annotation"},
)

var registerOnce sync.Once

// registerMetrics registers the tracker's metrics with the legacy registry.
func registerMetrics() {
	registerOnce.Do(func() {
		legacyregistry.MustRegister(jobStarted, jobFinished, jobStartDelay, appContainerDuration, jobReexecutions, jobAttempts, invalidAnnotations)
		legacyregistry.CustomMustRegister(cachedPods)
	})
}

// seriesLabels are the label values of one CronJob's series. With per-CronJob
// labels off, namespace and cronjob are empty, which Prometheus treats as
// absent: one series per trigger (and result) for the whole cluster.
type seriesLabels struct {
	namespace, cronJob, trigger string
}

// deleteSeries removes every series of one CronJob.
func deleteSeries(namespace, cronJob string) {
	for _, trigger := range []string{triggerScheduled, triggerManual} {
		l := map[string]string{"namespace": namespace, "cronjob": cronJob, "trigger": trigger}
		jobStarted.Delete(l)
		jobStartDelay.Delete(l)
		appContainerDuration.Delete(l)
		jobAttempts.Delete(l)
		for _, kind := range []string{reexecutionOverlap, reexecutionRetry} {
			jobReexecutions.Delete(map[string]string{"namespace": namespace, "cronjob": cronJob, "trigger": trigger, "kind": kind})
		}
		for _, result := range []string{resultSuccess, resultFailure} {
			jobFinished.Delete(map[string]string{"namespace": namespace, "cronjob": cronJob, "trigger": trigger, "result": result})
		}
	}
	for _, annotation := range []string{ExpectedStartAnnotation, batchv1.CronJobScheduledTimestampAnnotation, FirstRunningAnnotation, AppContainerAnnotation, ReexecutionsAnnotation} {
		invalidAnnotations.Delete(map[string]string{"namespace": namespace, "cronjob": cronJob, "annotation": annotation})
	}
}

const (
	resultSuccess = "success"
	resultFailure = "failure"
)
