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

package bench

import (
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// The modes of issue 7.
const (
	ModeStock      = "stock"      // (a) kcm's own CronJob controller at kcm defaults
	ModeSteadycron = "steadycron" // (b) steadycron at its defaults
	ModeBudget     = "budget"     // (c) steadycron at kcm's client budget
	ModeRaw        = "raw"        // (d) the bench itself creating N Jobs, unthrottled
)

// AllModes in the order they run by default.
var AllModes = []string{ModeStock, ModeSteadycron, ModeBudget, ModeRaw}

// ModeDescriptions say what each mode runs.
var ModeDescriptions = map[string]string{
	ModeStock:      "(a) stock kcm CronJob controller, kcm defaults (QPS 20, burst 30, 5 workers)",
	ModeSteadycron: "(b) steadycron, its defaults",
	ModeBudget:     "(c) steadycron, --kube-api-qps=20 --kube-api-burst=30 --concurrent-cron-job-syncs=5",
	ModeRaw:        "(d) raw limit: bench client, QPS -1, N Jobs from in-flight workers",
}

const namespace = "bench"

// Config is one benchmark run.
type Config struct {
	N     int
	Modes []string
	// Window is how long after the mark Jobs are awaited (default 115s: the
	// stock controller needs more than a minute, and the burst of mark+120s
	// stays out).
	Window time.Duration
	// InFlight is the raw mode's number of concurrent creates.
	InFlight int
	// OutDir receives results.json and, per mode, the control plane's logs.
	OutDir string
	// SteadycronArgs are added to steadycron's command line in modes b and c.
	SteadycronArgs []string
	// KwokPodParallelism is kwok's podPlayStageParallelism in the pipeline
	// modes (0: kwok's default, 4).
	KwokPodParallelism int
	// Marks is how many consecutive minute marks are measured (default 1).
	// The CronJobs are created just before the first; the later marks show
	// the steady state of CronJobs that fire every minute.
	Marks int
	// CreateLead, when positive (Marks must be 1), creates the CronJobs
	// right away with a schedule naming only the mark (minute and hour, in
	// the controller's time zone), the mark being the first whole minute at
	// least CreateLead away, instead of within the minute before the mark
	// with "* * * * *". For N that a loaded machine cannot create within
	// 50 s (10,000 at load 10 took 67 s).
	CreateLead time.Duration
}

// MarkStats are the timing figures of one of the later marks.
type MarkStats struct {
	Mark    time.Time `json:"mark"`
	Created int       `json:"created"`
	LastMs  float64   `json:"timeToLastMs"`
	P50Ms   float64   `json:"p50Ms"`
	P99Ms   float64   `json:"p99Ms"`
}

// ModeResult is one mode's figures.
type ModeResult struct {
	Mode        string    `json:"mode"`
	Description string    `json:"description"`
	N           int       `json:"n"`
	Mark        time.Time `json:"mark"`
	// CreatedLeadSeconds is how long before the mark the last CronJob was created.
	CreatedLeadSeconds float64 `json:"createdLeadSeconds"`
	CreateCronJobsSecs float64 `json:"createCronJobsSeconds"`
	// Schedule is the CronJobs' schedule.
	Schedule string `json:"schedule"`

	// Jobs scheduled for the mark, as ADDED events on the watch.
	Created       int  `json:"created"`
	InFirstMinute int  `json:"createdInFirstMinute"`
	Complete      bool `json:"complete"`
	// OtherJobs were for other scheduled times (the stock controller skips
	// late CronJobs to mark+60s).
	OtherJobs int `json:"otherJobs"`

	// Watch receive time minus the mark, over the Jobs for the mark.
	TimeToLastMs float64    `json:"timeToLastMs"`
	P50Ms        float64    `json:"p50Ms"`
	P99Ms        float64    `json:"p99Ms"`
	Completion   Completion `json:"completion"`
	JobsPerSec   float64    `json:"jobsPerSecond"`
	// The same from metadata.creationTimestamp (1s resolution, truncated).
	CreationTSLastS float64 `json:"creationTimestampLastSeconds"`
	CreationTSP50S  float64 `json:"creationTimestampP50Seconds"`
	CreationTSP99S  float64 `json:"creationTimestampP99Seconds"`

	// Controller is the process creating the Jobs: kcm (a), steadycron (b, c),
	// the bench itself (d, which includes its watch).
	Controller          string             `json:"controller"`
	ControllerRequests  float64            `json:"controllerRequests"`
	RequestsByMethod    map[string]float64 `json:"controllerRequestsByMethod"`
	KCMRequests         float64            `json:"kcmRequests"`
	ControllerCPUSecs   float64            `json:"controllerCpuSeconds"`
	ControllerPeakRSS   int64              `json:"controllerPeakRssBytes"`
	APIServerCPUSecs    float64            `json:"apiserverCpuSeconds"`
	APIServerPeakRSS    int64              `json:"apiserverPeakRssBytes"`
	EtcdCPUSecs         float64            `json:"etcdCpuSeconds"`
	APIServerJobCreates float64            `json:"apiserverJobCreates"`
	// MeasuredSeconds is the span of the counters: mark-3s to the end of the run.
	MeasuredSeconds float64  `json:"measuredSeconds"`
	Warnings        []string `json:"warnings,omitempty"`
	ArtifactsDir    string   `json:"artifactsDir"`
	// ReceivedMs are the receive times of the Jobs for the mark, sorted, in
	// milliseconds after the mark: the rate over time.
	ReceivedMs []float64 `json:"receivedMs,omitempty"`
	// LaterMarks are the marks after the first (Config.Marks > 1).
	LaterMarks []MarkStats `json:"laterMarks,omitempty"`
	// LoggedMarks are the same marks seen from steadycron's log: when each
	// create returned to the controller ("Created Job", logged at -v=4).
	// They do not depend on the benchmark's watch.
	LoggedMarks []MarkStats `json:"loggedMarks,omitempty"`
	// Pipeline holds the figures of the pipeline modes (PipelineModes).
	Pipeline *PipelineResult `json:"pipeline,omitempty"`
}

// Run runs every mode of cfg in order, each on a fresh control plane.
func Run(ctx context.Context, cfg Config) ([]*ModeResult, error) {
	var results []*ModeResult
	for _, mode := range cfg.Modes {
		klog.InfoS("Benchmark mode", "mode", mode, "n", cfg.N)
		run := runMode
		if IsPipelineMode(mode) {
			run = runPipelineMode
		}
		r, err := run(ctx, cfg, mode)
		if err != nil {
			return results, fmt.Errorf("mode %s: %w", mode, err)
		}
		results = append(results, r)
		klog.InfoS("Mode done", "mode", mode, "created", r.Created, "timeToLast", r.TimeToLastMs, "p99", r.P99Ms)
	}
	return results, nil
}

func runMode(ctx context.Context, cfg Config, mode string) (*ModeResult, error) {
	opts, err := framework.OptionsFromEnv(mode)
	if err != nil {
		return nil, err
	}
	opts.Kubeconfig = "" // always the local control plane
	opts.Kwok, opts.FakeNode = true, ""
	opts.ArtifactsDir = filepath.Join(cfg.OutDir, mode)
	opts.KCMCronJobController = mode == ModeStock
	opts.StartSteadycron = false
	cluster, err := framework.Start(ctx, opts)
	defer cluster.Stop()
	if err != nil {
		return nil, fmt.Errorf("starting the control plane: %w", err)
	}
	r := &ModeResult{Mode: mode, Description: ModeDescriptions[mode], N: cfg.N, ArtifactsDir: opts.ArtifactsDir}

	// The controller under test.
	var sc *framework.Steadycron
	switch mode {
	case ModeSteadycron, ModeBudget:
		args := append([]string(nil), cfg.SteadycronArgs...)
		if mode == ModeBudget {
			args = append(args, "--kube-api-qps=20", "--kube-api-burst=30", "--concurrent-cron-job-syncs=5")
		}
		if sc, err = cluster.NewSteadycron("steadycron", args...); err != nil {
			return nil, err
		}
		if err := sc.Start(ctx); err != nil {
			return nil, err
		}
		if err := sc.WaitLeading(ctx, cluster, 90*time.Second); err != nil {
			return nil, err
		}
	}
	ctrlPID, err := controllerPID(cluster, sc, mode)
	if err != nil {
		return nil, err
	}
	r.Controller = map[string]string{ModeStock: "kube-controller-manager", ModeSteadycron: "steadycron", ModeBudget: "steadycron", ModeRaw: "cronbench (self)"}[mode]
	apiPID, err := cluster.PID("kube-apiserver")
	if err != nil {
		return nil, err
	}
	etcdPID, err := cluster.PID("etcd")
	if err != nil {
		return nil, err
	}

	fast, client, err := benchClient(ctx, cluster)
	if err != nil {
		return nil, err
	}
	if cfg.CreateLead > 0 {
		r.Mark = framework.NextMinute(time.Now().Add(cfg.CreateLead))
		r.Schedule = MarkOnlySchedule(r.Mark, time.Local)
	} else {
		r.Mark, r.Schedule = markFor(cfg.N), "* * * * *"
		// Created before the minute mark preceding the mark, the CronJobs would
		// fire at that one too: create them within the last minute before the mark.
		if err := sleepUntil(ctx, r.Mark.Add(-time.Minute+time.Second)); err != nil {
			return nil, err
		}
	}
	klog.InfoS("Creating CronJobs", "n", cfg.N, "mark", r.Mark.Format(time.RFC3339), "schedule", r.Schedule)
	begin := time.Now()
	cronjobs, err := createCronJobs(ctx, client, cfg.N, cfg.InFlight, r.Schedule)
	if err != nil {
		return nil, err
	}
	r.CreateCronJobsSecs = time.Since(begin).Seconds()
	r.CreatedLeadSeconds = time.Until(r.Mark).Seconds()
	if r.CreatedLeadSeconds < 10 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("CronJobs created only %.1fs before the mark", r.CreatedLeadSeconds))
	}

	// Watch from now on; take the "before" counters just before the mark.
	// The watch gets a connection of its own (a Dial func keeps client-go
	// from sharing the cached transport), so that the raw mode's creates do
	// not queue ahead of its events on one HTTP/2 connection.
	// It decodes protobuf, as controllers do: with JSON, under a burst the
	// watch fell behind and the API server closed it.
	wcfg := rest.CopyConfig(fast)
	wcfg.UserAgent = "cronbench-watch"
	wcfg.ContentType = runtime.ContentTypeProtobuf
	wcfg.AcceptContentTypes = runtime.ContentTypeProtobuf + "," + runtime.ContentTypeJSON
	wcfg.Dial = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	watchClient, err := kubernetes.NewForConfig(wcfg)
	if err != nil {
		return nil, err
	}
	w, err := startWatch(ctx, watchClient)
	if err != nil {
		return nil, err
	}
	defer w.stop()
	if err := sleepUntil(ctx, r.Mark.Add(-3*time.Second)); err != nil {
		return nil, err
	}
	before := snapshot(ctx, cluster, sc, mode, ctrlPID, apiPID, etcdPID, client)
	measureStart := time.Now()

	var rawRequests atomic.Int64
	if mode == ModeRaw {
		if err := sleepUntil(ctx, r.Mark); err != nil {
			return nil, err
		}
		go func() {
			if err := createJobs(ctx, client, cronjobs, r.Mark, cfg.InFlight, &rawRequests); err != nil {
				klog.ErrorS(err, "Raw creation")
			}
		}()
	}

	// Wait for N Jobs for the mark, or the end of the window.
	if err := w.waitFor(ctx, r.Mark, cfg.N, r.Mark.Add(cfg.Window)); err != nil {
		return nil, err
	}
	// Let the follow-up requests of the last syncs (status updates) land.
	settle := time.Now().Add(5 * time.Second)
	if next := r.Mark.Add(time.Minute); settle.After(next) && time.Now().Before(next) {
		settle = next.Add(-time.Second)
	}
	_ = sleepUntil(ctx, settle)
	after := snapshot(ctx, cluster, sc, mode, ctrlPID, apiPID, etcdPID, client)
	r.MeasuredSeconds = time.Since(measureStart).Seconds()

	w.fill(r, cfg.Window)
	for i := 1; i < cfg.Marks; i++ {
		mark := r.Mark.Add(time.Duration(i) * time.Minute)
		if err := w.waitFor(ctx, mark, cfg.N, mark.Add(55*time.Second)); err != nil {
			return nil, err
		}
		r.LaterMarks = append(r.LaterMarks, w.markStats(mark))
	}
	if sc != nil {
		if r.LoggedMarks, err = loggedMarks(sc.LogPath(), time.Local, r.Mark, cfg.Marks); err != nil {
			r.Warnings = append(r.Warnings, err.Error())
		}
	}
	r.Warnings = append(r.Warnings, w.warnings()...)
	r.Warnings = append(r.Warnings, before.errs...)
	r.Warnings = append(r.Warnings, after.errs...)
	if sc != nil && !sc.Running() {
		r.Warnings = append(r.Warnings, "steadycron EXITED during the run; its figures are void (see "+sc.LogPath()+")")
	}
	r.ControllerCPUSecs = max(0, after.ctrl.CPUSeconds-before.ctrl.CPUSeconds)
	r.ControllerPeakRSS = after.ctrl.PeakRSSBytes
	r.APIServerCPUSecs = after.api.CPUSeconds - before.api.CPUSeconds
	r.APIServerPeakRSS = after.api.PeakRSSBytes
	r.EtcdCPUSecs = after.etcd.CPUSeconds - before.etcd.CPUSeconds
	r.RequestsByMethod, r.ControllerRequests = Delta(before.ctrlReqs, after.ctrlReqs)
	_, r.KCMRequests = Delta(before.kcmReqs, after.kcmReqs)
	_, r.APIServerJobCreates = Delta(before.jobCreates, after.jobCreates)
	if mode == ModeRaw {
		n := float64(rawRequests.Load())
		r.ControllerRequests, r.RequestsByMethod = n, map[string]float64{"POST": n}
	}
	return r, nil
}

func controllerPID(c *framework.Cluster, sc *framework.Steadycron, mode string) (int, error) {
	switch mode {
	case ModeStock:
		return c.PID("kube-controller-manager")
	case ModeRaw:
		return os.Getpid(), nil
	default:
		return sc.PID()
	}
}

type sample struct {
	ctrl, api, etcd   ProcSample
	ctrlReqs, kcmReqs map[string]float64
	jobCreates        map[string]float64
	errs              []string
}

// snapshot reads the counters the results are deltas of. Errors become warnings.
func snapshot(ctx context.Context, c *framework.Cluster, sc *framework.Steadycron, mode string, ctrlPID, apiPID, etcdPID int, client kubernetes.Interface) sample {
	var s sample
	var err error
	note := func(what string, err error) {
		if err != nil {
			s.errs = append(s.errs, what+": "+err.Error())
		}
	}
	s.ctrl, err = ReadProc(ctrlPID)
	note("controller /proc", err)
	s.api, err = ReadProc(apiPID)
	note("kube-apiserver /proc", err)
	s.etcd, err = ReadProc(etcdPID)
	note("etcd /proc", err)
	kcm, err := c.KCMMetrics(ctx)
	note("kcm /metrics", err)
	s.kcmReqs = CounterSum(kcm, "rest_client_requests_total", "method")
	switch mode {
	case ModeStock:
		s.ctrlReqs = s.kcmReqs
	case ModeSteadycron, ModeBudget:
		m, err := sc.Metrics(ctx)
		note("steadycron /metrics", err)
		s.ctrlReqs = CounterSum(m, "rest_client_requests_total", "method")
	}
	body, err := client.CoreV1().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	note("kube-apiserver /metrics", err)
	if err == nil {
		m, err := framework.ParseMetrics(body)
		note("kube-apiserver /metrics", err)
		s.jobCreates = map[string]float64{}
		if f, ok := m["apiserver_request_total"]; ok {
			for _, mm := range f.GetMetric() {
				l := map[string]string{}
				for _, lp := range mm.GetLabel() {
					l[lp.GetName()] = lp.GetValue()
				}
				if l["resource"] == "jobs" && l["verb"] == "POST" && l["subresource"] == "" {
					s.jobCreates[l["code"]] += mm.GetCounter().GetValue()
				}
			}
		}
	}
	return s
}

// benchClient returns the benchmark's unthrottled admin client (no rate
// limiter), for bulk load and the raw mode, and its config, and creates the
// benchmark's namespace with it.
func benchClient(ctx context.Context, cluster *framework.Cluster) (*rest.Config, kubernetes.Interface, error) {
	fast := rest.CopyConfig(cluster.Config)
	fast.QPS, fast.Burst = -1, 0
	fast.UserAgent = "cronbench"
	client, err := kubernetes.NewForConfig(fast)
	if err != nil {
		return nil, nil, err
	}
	if _, err := client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}, metav1.CreateOptions{}); err != nil {
		return nil, nil, fmt.Errorf("creating namespace %s: %w", namespace, err)
	}
	return fast, client, nil
}

// markFor returns the minute mark for n CronJobs: the first whole minute far
// enough away to create every CronJob more than 10 s before it (4 ms each).
func markFor(n int) time.Time {
	lead := 20*time.Second + time.Duration(n)*4*time.Millisecond
	return framework.NextMinute(time.Now().Add(lead))
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// jobTemplate is the Job every CronJob (and the raw mode) creates: suspended,
// so that neither the job controller nor kwok starts a pod.
func jobTemplate() batchv1.JobSpec {
	return batchv1.JobSpec{
		Suspend:      ptr.To(true),
		BackoffLimit: ptr.To[int32](0),
		Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "c", Image: "registry.k8s.io/pause:3.10"}},
		}},
	}
}

func cronJobName(i int) string { return fmt.Sprintf("cj-%05d", i) }

// MarkOnlySchedule is a schedule that names mark's minute and hour in loc
// (once a day), so CronJobs with it can be created long before mark and
// fire at no earlier minute.
func MarkOnlySchedule(mark time.Time, loc *time.Location) string {
	m := mark.In(loc)
	return fmt.Sprintf("%d %d * * *", m.Minute(), m.Hour())
}

func createCronJobs(ctx context.Context, client kubernetes.Interface, n, inFlight int, schedule string) ([]*batchv1.CronJob, error) {
	out := make([]*batchv1.CronJob, n)
	err := parallel(ctx, n, inFlight, func(ctx context.Context, i int) error {
		cj := &batchv1.CronJob{
			ObjectMeta: metav1.ObjectMeta{Name: cronJobName(i)},
			Spec: batchv1.CronJobSpec{
				Schedule:          schedule,
				ConcurrencyPolicy: batchv1.AllowConcurrent,
				JobTemplate:       batchv1.JobTemplateSpec{Spec: jobTemplate()},
			},
		}
		created, err := client.BatchV1().CronJobs(namespace).Create(ctx, cj, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating CronJob %s: %w", cj.Name, err)
		}
		out[i] = created
		return nil
	})
	return out, err
}

// createJobs is the raw mode: the Jobs a controller would create for mark,
// with the same name, owner reference and scheduled-time annotation.
func createJobs(ctx context.Context, client kubernetes.Interface, cronjobs []*batchv1.CronJob, mark time.Time, inFlight int, requests *atomic.Int64) error {
	return parallel(ctx, len(cronjobs), inFlight, func(ctx context.Context, i int) error {
		cj := cronjobs[i]
		job := &batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{
				Name:            cj.Name + "-" + strconv.FormatInt(mark.Unix()/60, 10),
				Annotations:     map[string]string{batchv1.CronJobScheduledTimestampAnnotation: mark.UTC().Format(time.RFC3339)},
				OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
			},
			Spec: jobTemplate(),
		}
		for {
			requests.Add(1)
			_, err := client.BatchV1().Jobs(namespace).Create(ctx, job, metav1.CreateOptions{})
			if err == nil || apierrors.IsAlreadyExists(err) {
				return nil
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			klog.V(2).InfoS("Retrying a Job create", "job", job.Name, "err", err)
		}
	})
}

// parallel runs f(0..n-1) on inFlight goroutines and returns the first error.
func parallel(ctx context.Context, n, inFlight int, f func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range max(1, inFlight) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := f(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// jobWatch records, for every Job, when its ADDED event arrived.
type jobWatch struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	seen     map[string]observed
	perMark  map[time.Time]int
	reopened int
	errs     []string
}

type observed struct {
	received  time.Time
	created   time.Time
	scheduled time.Time
}

func startWatch(ctx context.Context, client kubernetes.Interface) (*jobWatch, error) {
	list, err := client.BatchV1().Jobs(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing Jobs: %w", err)
	}
	if len(list.Items) > 0 {
		return nil, fmt.Errorf("%d Jobs exist before the mark", len(list.Items))
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &jobWatch{cancel: cancel, done: make(chan struct{}), seen: map[string]observed{}, perMark: map[time.Time]int{}}
	rv := list.ResourceVersion
	go func() {
		defer close(w.done)
		for ctx.Err() == nil {
			wi, err := client.BatchV1().Jobs(namespace).Watch(ctx, metav1.ListOptions{ResourceVersion: rv, TimeoutSeconds: ptr.To[int64](900)})
			if err != nil {
				w.note(fmt.Sprintf("watch: %v", err))
				time.Sleep(100 * time.Millisecond)
				continue
			}
			for ev := range wi.ResultChan() {
				now := time.Now()
				job, ok := ev.Object.(*batchv1.Job)
				if !ok {
					if ev.Type == watch.Error {
						w.note(fmt.Sprintf("watch error event: %v", apierrors.FromObject(ev.Object)))
					}
					continue
				}
				rv = job.ResourceVersion
				if ev.Type == watch.Added {
					w.add(job, now)
				}
			}
			wi.Stop()
			if ctx.Err() == nil {
				klog.InfoS("The Job watch ended; reopening it", "resourceVersion", rv)
				w.mu.Lock()
				w.reopened++
				w.mu.Unlock()
			}
		}
	}()
	return w, nil
}

func (w *jobWatch) note(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.errs) < 10 {
		w.errs = append(w.errs, s)
	}
}

func (w *jobWatch) add(job *batchv1.Job, received time.Time) {
	sched, err := framework.ScheduledTime(job)
	if err != nil {
		w.note(err.Error())
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.seen[job.Name]; dup {
		return
	}
	w.seen[job.Name] = observed{received: received, created: job.CreationTimestamp.Time, scheduled: sched}
	w.perMark[sched.UTC()]++
}

func (w *jobWatch) countFor(mark time.Time) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.perMark[mark.UTC()]
}

// waitFor returns once n Jobs for mark were seen, or at deadline.
func (w *jobWatch) waitFor(ctx context.Context, mark time.Time, n int, deadline time.Time) error {
	for w.countFor(mark) < n && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// markStats returns the receive times, relative to mark, of its Jobs.
func (w *jobWatch) markStats(mark time.Time) MarkStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	var skews []time.Duration
	for _, o := range w.seen {
		if o.scheduled.Equal(mark) {
			skews = append(skews, o.received.Sub(mark))
		}
	}
	return newMarkStats(mark, skews)
}

// newMarkStats summarizes the creation skews of one mark's Jobs.
func newMarkStats(mark time.Time, skews []time.Duration) MarkStats {
	return MarkStats{Mark: mark, Created: len(skews), LastMs: millis(Percentile(skews, 100)), P50Ms: millis(Percentile(skews, 50)), P99Ms: millis(Percentile(skews, 99))}
}

// millis is d in milliseconds.
func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (w *jobWatch) stop() {
	w.cancel()
	<-w.done
}

func (w *jobWatch) warnings() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := append([]string(nil), w.errs...)
	if w.reopened > 0 {
		out = append(out, fmt.Sprintf("the watch was reopened %d times", w.reopened))
	}
	return out
}

// fill computes the timing figures of r from the observations.
func (w *jobWatch) fill(r *ModeResult, window time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var skews, tsSkews []time.Duration
	for _, o := range w.seen {
		if !o.scheduled.Equal(r.Mark) {
			r.OtherJobs++
			continue
		}
		d := o.received.Sub(r.Mark)
		skews = append(skews, d)
		tsSkews = append(tsSkews, o.created.Sub(r.Mark))
		if d < time.Minute {
			r.InFirstMinute++
		}
	}
	sort.Slice(skews, func(i, j int) bool { return skews[i] < skews[j] })
	r.Created = len(skews)
	r.Complete = r.Created >= r.N
	for _, d := range skews {
		r.ReceivedMs = append(r.ReceivedMs, math.Round(millis(d)*10)/10)
	}
	if len(skews) > 0 {
		last := skews[len(skews)-1]
		r.TimeToLastMs = millis(last)
		r.P50Ms = millis(Percentile(skews, 50))
		r.P99Ms = millis(Percentile(skews, 99))
		if last > 0 {
			r.JobsPerSec = float64(len(skews)) / last.Seconds()
		}
		r.CreationTSLastS = Percentile(tsSkews, 100).Seconds()
		r.CreationTSP50S = Percentile(tsSkews, 50).Seconds()
		r.CreationTSP99S = Percentile(tsSkews, 99).Seconds()
	}
	if r.Complete {
		r.Completion = Completion{Seconds: r.TimeToLastMs / 1000}
	} else {
		r.Completion = Completion{Seconds: window.Seconds(), LowerBound: true}
	}
}

// createdLine matches the controller's "Created Job" log line (klog text
// format, -v=4): its time, and the Job's scheduled time in minutes since the
// epoch, which ends the Job's name.
var createdLine = regexp.MustCompile(`^I(\d{4} \d{2}:\d{2}:\d{2}\.\d{6}) .*"Created Job" job="[^"]*-(\d+)"`)

// loggedMarks reads steadycron's log for the creates of the Jobs of marks
// first, first+1m, ... (n marks) and returns their timing figures; none if
// the log has no "Created Job" line (steadycron ran below -v=4). klog
// writes times in the process's zone, loc.
func loggedMarks(path string, loc *time.Location, first time.Time, n int) ([]MarkStats, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading steadycron's log: %w", err)
	}
	skews := map[time.Time][]time.Duration{}
	for _, line := range strings.Split(string(data), "\n") {
		m := createdLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		// klog's header has no year: take the mark's.
		at, err := time.ParseInLocation("2006 0102 15:04:05.000000", fmt.Sprintf("%d %s", first.Year(), m[1]), loc)
		if err != nil {
			return nil, fmt.Errorf("parsing %q: %w", line, err)
		}
		minutes, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("parsing %q: %w", line, err)
		}
		mark := time.Unix(minutes*60, 0).UTC()
		skews[mark] = append(skews[mark], at.Sub(mark))
	}
	if len(skews) == 0 {
		return nil, nil
	}
	var out []MarkStats
	for i := range n {
		mark := first.Add(time.Duration(i) * time.Minute).UTC()
		out = append(out, newMarkStats(mark, skews[mark]))
	}
	return out, nil
}
