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
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
)

// SteadyConfig is one run of the steady-state benchmark (docs/benchmarks.md,
// "Steady state").
type SteadyConfig struct {
	// CronJobs is the number of CronJobs, with SteadySchedule's mix.
	CronJobs int
	// Duration is the window: every scheduled time in it is checked. It
	// starts at the first whole minute at least Warmup after the warm-up
	// (below) ended, or at WindowFrom when that is later.
	Duration, Warmup time.Duration
	WindowFrom       time.Time
	// CatchUp leaves every CronJob's last scheduled time missed, so that
	// steadycron runs it when it starts, and makes the warm-up wait until
	// those Jobs finished and the history is back at its limit (at most
	// WarmupTimeout). Without it, the CronJobs start with nothing missed.
	CatchUp       bool
	WarmupTimeout time.Duration
	// Settle is the wait after the window for the Jobs of its last times.
	Settle time.Duration
	// Interval is the sampling interval of steadycron's RSS, CPU and queues.
	Interval time.Duration
	// RunFor is how long each Job's pod runs (kwok, kwok-stages.yaml).
	RunFor time.Duration
	// Namespaces the CronJobs are spread over; InFlight concurrent requests
	// while populating.
	Namespaces, InFlight int
	Limits               GrowthLimits
	// OutDir receives steady.json, findings.txt and the processes' logs.
	OutDir         string
	SteadycronArgs []string
	// KCMArgs are kube-controller-manager's extra flags (KCMFastArgs lets
	// its Job controller keep up with the top of the hour at 2,000
	// CronJobs; empty, kcm runs at its defaults).
	KCMArgs []string
}

// SteadyResults is what steady.json holds.
type SteadyResults struct {
	RunID   string    `json:"runId"`
	Started time.Time `json:"started"`
	Machine Machine   `json:"machine"`
	Config  struct {
		CronJobs       int          `json:"cronJobs"`
		Duration       string       `json:"duration"`
		RunFor         string       `json:"podRunFor"`
		Interval       string       `json:"interval"`
		CatchUp        bool         `json:"catchUp"`
		Limits         GrowthLimits `json:"limits"`
		SteadycronArgs []string     `json:"steadycronArgs,omitempty"`
		KCMArgs        []string     `json:"kcmArgs,omitempty"`
	} `json:"config"`
	// Mix counts the CronJobs by kind of schedule (SteadySchedule).
	Mix             map[string]int `json:"mix"`
	PopulateSeconds float64        `json:"populateSeconds"`
	WindowFrom      time.Time      `json:"windowFrom"`
	WindowTo        time.Time      `json:"windowTo"`
	// WarmupSeconds is from steadycron's start until every CronJob's
	// missed time had a Job and the Jobs were back at the history limit.
	WarmupSeconds float64  `json:"warmupSeconds"`
	Warnings      []string `json:"warnings,omitempty"`
	// Expected is how many scheduled times fell in the window; Judged how
	// many Jobs the watch saw for them.
	Expected int            `json:"expected"`
	Judged   int            `json:"judged"`
	Findings []Finding      `json:"findings"`
	Marks    []MarkSkew     `json:"marks"`
	Samples  []SteadySample `json:"samples"`
	Thirds   [3]Third       `json:"thirds"`
	Growth   []GrowthCheck  `json:"growth"`
	// Jobs are every Job of the CronJobs the watch saw (also those outside
	// the window: the populated history and the Jobs of the warm-up).
	Jobs []ObservedJob `json:"jobs"`
	// Unreadable are Jobs of the CronJobs without a readable
	// scheduled-timestamp annotation (a failure too).
	Unreadable    []string `json:"unreadable,omitempty"`
	SteadycronLog string   `json:"steadycronLog"`
	// HeapProfiles are the files of steadycron's heap profile
	// (/debug/pprof/heap) taken at the start of the window and at the end
	// of each third, in the output directory; read them with
	// go tool pprof -sample_index=inuse_space -diff_base=<first> <last>.
	HeapProfiles []string `json:"heapProfiles,omitempty"`
	Incomplete   string   `json:"incomplete,omitempty"`
}

// OK is whether every check passed.
func (r *SteadyResults) OK() bool {
	if r.Incomplete != "" || r.Expected == 0 || len(r.Findings) > 0 || len(r.Unreadable) > 0 || len(r.Growth) == 0 {
		return false
	}
	for _, g := range r.Growth {
		if !g.OK {
			return false
		}
	}
	return true
}

func steadyCronJobName(i int) string { return fmt.Sprintf("job-%05d", i) }

// RunSteady runs the steady-state benchmark on one fresh local control plane
// (kube-scheduler, kwok nodes): create the CronJobs with one finished Job
// each (their history at its limit), start steadycron (with CatchUp, let it
// run every CronJob's missed last time first, as after downtime, so that
// every CronJob has run once under this process before the window), and
// through the window record every Job created and sample steadycron; then
// check. res is filled as far as the run got.
func RunSteady(ctx context.Context, cfg SteadyConfig, res *SteadyResults) error {
	cluster, client, err := startLocal(ctx, "steady", cfg.OutDir, cfg.KCMArgs...)
	if cluster != nil {
		defer cluster.Stop()
	}
	if err != nil {
		return err
	}

	// The CronJobs, each with its last scheduled time in status and one
	// finished Job (with its pod) for it, as after running for a while.
	p := &populator{cfg: MemoryConfig{Namespaces: cfg.Namespaces, InFlight: cfg.InFlight}, client: client, now: time.Now()}
	if err := p.namespaces(ctx, cronNamespace); err != nil {
		return err
	}
	cronjobs := make([]SteadyCronJob, cfg.CronJobs)
	res.Mix = map[string]int{}
	for i := range cronjobs {
		schedule, kind := SteadySchedule(i)
		cronjobs[i] = SteadyCronJob{Namespace: cronNamespace(i % cfg.Namespaces), Name: steadyCronJobName(i), Schedule: schedule}
		res.Mix[kind]++
	}
	begin := time.Now()
	err = parallel(ctx, cfg.CronJobs, cfg.InFlight, func(ctx context.Context, i int) error {
		return p.steadyCronJob(ctx, cronjobs[i], cfg.RunFor, cfg.CatchUp, i)
	})
	if err != nil {
		return err
	}
	res.PopulateSeconds = time.Since(begin).Seconds()
	klog.InfoS("Populated the CronJobs and their history", "cronJobs", cfg.CronJobs, "took", time.Since(begin).Round(time.Second))

	// The watch, before steadycron starts: it sees every Job steadycron creates.
	rec, err := startRecorder(ctx, cluster, cronjobs)
	if err != nil {
		return err
	}
	defer rec.stop()

	sc, err := cluster.NewSteadycron("steadycron", cfg.SteadycronArgs...)
	if err != nil {
		return err
	}
	res.SteadycronLog = sc.LogPath()
	if err := sc.Start(ctx); err != nil {
		return err
	}
	if err := sc.WaitLeading(ctx, cluster, 2*time.Minute); err != nil {
		return err
	}
	// /readyz waits for the informers once the controllers registered them,
	// a moment after the Lease was taken.
	if err := sleepCtx(ctx, time.Second); err != nil {
		return err
	}
	if err := waitOK(ctx, sc.URL("/readyz"), 5*time.Minute); err != nil {
		return err
	}
	pid, err := sc.PID()
	if err != nil {
		return err
	}
	if cfg.CatchUp {
		klog.InfoS("steadycron is ready; waiting for the missed times' Jobs to be created and to finish", "cronJobs", cfg.CronJobs)
		started := time.Now()
		if err := waitWarm(ctx, rec, cfg.CronJobs, cfg.WarmupTimeout); err != nil {
			return err
		}
		res.WarmupSeconds = time.Since(started).Seconds()
		klog.InfoS("Warm", "took", time.Since(started).Round(time.Second))
	}

	warm := time.Now().Add(cfg.Warmup)
	if res.WindowFrom = warm.Truncate(time.Minute); res.WindowFrom.Before(warm) {
		res.WindowFrom = res.WindowFrom.Add(time.Minute)
	}
	if !cfg.WindowFrom.IsZero() {
		if cfg.WindowFrom.Before(res.WindowFrom) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the window starts at %s, not at %s as asked: the warm-up ended too late",
				res.WindowFrom.UTC().Format(time.RFC3339), cfg.WindowFrom.UTC().Format(time.RFC3339)))
		} else {
			res.WindowFrom = cfg.WindowFrom
		}
	}
	res.WindowTo = res.WindowFrom.Add(cfg.Duration)
	if !SpansTopOfHour(res.WindowFrom, res.WindowTo) {
		res.Warnings = append(res.Warnings, "the window does not span the top of an hour, when most of the CronJobs fire")
	}
	klog.InfoS("Window", "from", res.WindowFrom.Format(time.RFC3339), "to", res.WindowTo.Format(time.RFC3339))
	if err := sleepUntil(ctx, res.WindowFrom); err != nil {
		return err
	}
	third := cfg.Duration / 3
	profiled := 0 // heap profiles taken: at the start, then at the end of each third
	for next := res.WindowFrom; !next.After(res.WindowTo); next = next.Add(cfg.Interval) {
		if err := sleepUntil(ctx, next); err != nil {
			return err
		}
		s, err := sampleSteadycron(ctx, sc, pid, rec)
		if err != nil {
			return err
		}
		res.Samples = append(res.Samples, s)
		if profiled <= 3 && !next.Before(res.WindowFrom.Add(time.Duration(profiled)*third)) {
			name := fmt.Sprintf("heap-%d.pb.gz", profiled)
			if err := saveHeapProfile(ctx, sc.URL("/debug/pprof/heap"), filepath.Join(cfg.OutDir, name)); err != nil {
				res.Warnings = append(res.Warnings, err.Error())
			} else {
				res.HeapProfiles = append(res.HeapProfiles, name)
			}
			profiled++
		}
		if n := len(res.Samples); n%6 == 1 {
			klog.InfoS("Sample", "at", s.At.Format(time.TimeOnly), "rssMiB", s.RSSBytes>>20, "depth", s.Depth, "jobs", s.Jobs, "pods", s.Pods, "seen", rec.count())
		}
	}
	klog.InfoS("Window over; waiting for the Jobs of its last times", "settle", cfg.Settle)
	if err := sleepCtx(ctx, cfg.Settle); err != nil {
		return err
	}

	res.Jobs, res.Unreadable = rec.jobs(), rec.unreadable()
	loc := time.Local // the CronJobs set no time zone: the controller's (same machine)
	if res.Expected, res.Findings, err = CheckExactlyOnce(cronjobs, res.Jobs, loc, res.WindowFrom, res.WindowTo); err != nil {
		return err
	}
	for _, j := range res.Jobs {
		if !j.Scheduled.Before(res.WindowFrom) && !j.Scheduled.After(res.WindowTo) {
			res.Judged++
		}
	}
	res.Marks = MarkSkews(res.Jobs, res.WindowFrom, res.WindowTo)
	res.Thirds = Thirds(res.Samples, res.WindowFrom, res.WindowTo)
	res.Growth = CheckGrowth(res.Thirds, cfg.Limits)
	if len(res.Findings) > 0 {
		if err := writeFindings(filepath.Join(cfg.OutDir, "findings.txt"), res.Findings, res.SteadycronLog); err != nil {
			return err
		}
	}
	return nil
}

// steadyCronJob creates cj (concurrencyPolicy Allow, history limits 1),
// writes its last scheduled time before now to its status, and creates one
// finished Job for that time with a Succeeded pod. With catchUp it takes the
// second-to-last time instead, so that the last is missed and steadycron
// runs it when it starts.
func (p *populator) steadyCronJob(ctx context.Context, cj SteadyCronJob, runFor time.Duration, catchUp bool, i int) error {
	tmpl := memPodTemplate(cj.Name)
	tmpl.Annotations[framework.AnnotationRunFor] = runFor.String()
	obj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: cj.Name, Namespace: cj.Namespace, Labels: map[string]string{"team": "data"}},
		Spec: batchv1.CronJobSpec{
			Schedule:                   cj.Schedule,
			SuccessfulJobsHistoryLimit: ptr.To[int32](1),
			FailedJobsHistoryLimit:     ptr.To[int32](1),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"team": "data"}},
				Spec:       batchv1.JobSpec{BackoffLimit: ptr.To[int32](2), Template: tmpl},
			},
		},
	}
	created, err := p.client.BatchV1().CronJobs(cj.Namespace).Create(ctx, obj, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("creating CronJob %s/%s: %w", cj.Namespace, cj.Name, err)
	}
	latest, err := LastScheduledTime(cj.Schedule, time.Local, p.now)
	if err != nil {
		return err
	}
	last := latest
	if catchUp {
		if last, err = LastScheduledTime(cj.Schedule, time.Local, latest.Add(-time.Second)); err != nil {
			return err
		}
	}
	if last.IsZero() {
		return fmt.Errorf("CronJob %s/%s (%q): no scheduled time in the 25 hours before %s", cj.Namespace, cj.Name, cj.Schedule, latest)
	}
	if err := p.patchStatus(ctx, "cronjobs", cj.Namespace, cj.Name, map[string]any{
		"lastScheduleTime": metav1.NewTime(last), "lastSuccessfulTime": metav1.NewTime(last.Add(10 * time.Second)),
	}); err != nil {
		return err
	}
	job, err := p.historyJob(ctx, created, last, tmpl)
	if err != nil {
		return err
	}
	return p.jobPod(ctx, job, last, (i/p.cfg.Namespaces)%framework.FakeNodes)
}

// recorder keeps the first sighting of every Job of the benchmark's CronJobs
// (by UID) and counts the Jobs and pods its informers hold.
type recorder struct {
	cancel     context.CancelFunc
	jobsStore  cache.Store
	podsStore  cache.Store
	mu         sync.Mutex
	seen       map[string]ObservedJob
	badJobs    []string
	ourCronJob map[[2]string]bool
}

func startRecorder(ctx context.Context, cluster *framework.Cluster, cronjobs []SteadyCronJob) (*recorder, error) {
	client, err := unthrottled(cluster.Config)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &recorder{cancel: cancel, seen: map[string]ObservedJob{}, ourCronJob: map[[2]string]bool{}}
	for _, cj := range cronjobs {
		r.ourCronJob[[2]string{cj.Namespace, cj.Name}] = true
	}
	factory := informers.NewSharedInformerFactory(client, 0)
	jobs := factory.Batch().V1().Jobs().Informer()
	if _, err := jobs.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: func(obj any) {
		if j, ok := obj.(*batchv1.Job); ok {
			r.add(j, time.Now())
		}
	}}); err != nil {
		cancel()
		return nil, fmt.Errorf("watching Jobs: %w", err)
	}
	pods := factory.Core().V1().Pods().Informer()
	r.jobsStore, r.podsStore = jobs.GetStore(), pods.GetStore()
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			cancel()
			return nil, fmt.Errorf("syncing the %v informer", typ)
		}
	}
	return r, nil
}

// waitWarm waits until the recorder saw two Jobs per CronJob (the populated
// one and the missed time's) and the Jobs are back at one per CronJob, give
// or take 2 % (those of CronJobs firing meanwhile).
func waitWarm(ctx context.Context, rec *recorder, cronjobs int, timeout time.Duration) error {
	var seen, jobs int
	err := framework.WaitFor(ctx, "steadycron's catch-up runs to finish", timeout, func(context.Context) (bool, error) {
		seen, jobs = rec.count(), len(rec.jobsStore.ListKeys())
		return seen >= 2*cronjobs && jobs <= cronjobs+cronjobs/50, nil
	})
	if err != nil {
		return fmt.Errorf("%w (seen %d Jobs of %d, %d Jobs exist)", err, seen, 2*cronjobs, jobs)
	}
	return nil
}

func (r *recorder) add(j *batchv1.Job, received time.Time) {
	owner := metav1.GetControllerOf(j)
	if owner == nil || owner.Kind != "CronJob" || !r.ourCronJob[[2]string{j.Namespace, owner.Name}] {
		return
	}
	sched, err := framework.ScheduledTime(j)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.badJobs = append(r.badJobs, err.Error())
		return
	}
	if _, dup := r.seen[string(j.UID)]; dup {
		return
	}
	r.seen[string(j.UID)] = ObservedJob{Namespace: j.Namespace, CronJob: owner.Name, Name: j.Name, UID: string(j.UID),
		Scheduled: sched, Created: j.CreationTimestamp.Time, Received: received}
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

func (r *recorder) jobs() []ObservedJob {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ObservedJob, 0, len(r.seen))
	for _, j := range r.seen {
		out = append(out, j)
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].Scheduled.Equal(out[b].Scheduled) {
			return out[a].Scheduled.Before(out[b].Scheduled)
		}
		return out[a].Namespace+"/"+out[a].Name < out[b].Namespace+"/"+out[b].Name
	})
	return out
}

func (r *recorder) unreadable() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.badJobs...)
}

func (r *recorder) stop() { r.cancel() }

// sampleSteadycron reads steadycron's RSS and CPU from /proc and its queue
// depths, heap goal, goroutines and API requests from /metrics.
func sampleSteadycron(ctx context.Context, sc *framework.Steadycron, pid int, rec *recorder) (SteadySample, error) {
	s := SteadySample{At: time.Now(), Depth: map[string]float64{}}
	var err error
	if s.RSSBytes, err = readRSS(pid); err != nil {
		return s, err
	}
	proc, err := ReadProc(pid)
	if err != nil {
		return s, err
	}
	s.CPUSeconds = proc.CPUSeconds
	fams, err := sc.Metrics(ctx)
	if err != nil {
		return s, fmt.Errorf("scraping steadycron: %w", err)
	}
	for _, m := range fams["workqueue_depth"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "name" {
				s.Depth[l.GetValue()] = m.GetGauge().GetValue()
			}
		}
	}
	s.HeapGoalBytes = framework.SumSeries(fams, "go_memstats_next_gc_bytes", nil).Value
	s.Goroutines = framework.SumSeries(fams, "go_goroutines", nil).Value
	s.Requests = framework.SumSeries(fams, "rest_client_requests_total", nil).Value
	for _, f := range fams {
		s.Series += len(f.GetMetric())
	}
	s.Jobs, s.Pods = len(rec.jobsStore.ListKeys()), len(rec.podsStore.ListKeys())
	return s, nil
}

// saveHeapProfile writes the heap profile at url (steadycron's
// /debug/pprof/heap, as of its last garbage collection; steadycron serves it
// unless started with --profiling=false) to path. It forces no collection,
// so the RSS samples are undisturbed.
func saveHeapProfile(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("heap profile: GET %s: %s", req.URL, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return fmt.Errorf("heap profile: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}

// writeFindings writes the findings and, under each, the lines of
// steadycron's log that name its CronJob.
func writeFindings(path string, findings []Finding, logPath string) error {
	logLines, err := readLines(logPath)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintln(&b, f.String())
		key := f.Namespace + "/" + f.CronJob
		for _, l := range logLines {
			if strings.Contains(l, key) || strings.Contains(l, `"`+f.CronJob+`"`) {
				fmt.Fprintln(&b, "    log:", l)
			}
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}

// PrintSteady writes the results as tables.
func PrintSteady(w io.Writer, res *SteadyResults) {
	mib := func(b float64) float64 { return b / (1 << 20) }
	fmt.Fprintf(w, "\nsteady state: %d CronJobs, window %s to %s (%s), pods run %s; machine: %d CPUs, %s, load %s -> %s\n",
		res.Config.CronJobs, res.WindowFrom.UTC().Format(time.RFC3339), res.WindowTo.UTC().Format(time.RFC3339),
		res.Config.Duration, res.Config.RunFor, res.Machine.NumCPU, res.Machine.MemTotal, res.Machine.LoadAvgPre, res.Machine.LoadAvgPost)
	var mix []string
	for s, n := range res.Mix {
		mix = append(mix, fmt.Sprintf("%s %d", s, n))
	}
	sort.Strings(mix)
	fmt.Fprintf(w, "mix: %s\n", strings.Join(mix, ", "))
	kcm := "its defaults"
	if len(res.Config.KCMArgs) > 0 {
		kcm = strings.Join(res.Config.KCMArgs, " ")
	}
	fmt.Fprintf(w, "kcm: %s\n", kcm)
	fmt.Fprintf(w, "populating took %.0fs", res.PopulateSeconds)
	if res.Config.CatchUp {
		fmt.Fprintf(w, "; steadycron's catch-up runs and their Jobs' completion %.0fs", res.WarmupSeconds)
	}
	fmt.Fprintln(w)
	for _, warning := range res.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", warning)
	}
	fmt.Fprintf(w, "\nexactly once: %d scheduled times in the window, %d Jobs for them, %d findings\n", res.Expected, res.Judged, len(res.Findings))
	if res.Expected == 0 {
		fmt.Fprintf(w, "  no scheduled time fell in the window: nothing was checked\n")
	}
	for _, u := range res.Unreadable {
		fmt.Fprintf(w, "  unreadable: %s\n", u)
	}
	for i, f := range res.Findings {
		if i == 20 {
			fmt.Fprintf(w, "  ... %d more (steady.json, findings.txt)\n", len(res.Findings)-i)
			break
		}
		fmt.Fprintf(w, "  %s\n", f)
	}
	fmt.Fprintf(w, "\ncreation skew per minute mark (creationTimestamp - scheduled, s; watch receive - scheduled, ms)\n")
	fmt.Fprintf(w, "%-20s %5s %6s %6s %6s %9s %9s %9s\n", "mark (UTC)", "jobs", "p50", "p99", "max", "p50 ms", "p99 ms", "max ms")
	for _, m := range res.Marks {
		fmt.Fprintf(w, "%-20s %5d %6.0f %6.0f %6.0f %9.0f %9.0f %9.0f\n", m.Mark.UTC().Format(time.RFC3339), m.Jobs,
			m.CreatedP50S, m.CreatedP99S, m.CreatedMaxS, m.ReceivedP50Ms, m.ReceivedP99Ms, m.ReceivedMaxMs)
	}
	fmt.Fprintf(w, "\nsteadycron by third of the window\n")
	fmt.Fprintf(w, "%-10s %7s %8s %8s %9s %8s %8s %9s %6s %6s  %s\n", "from (UTC)", "samples", "RSS MiB", "max MiB", "heap goal", "series", "CPU (m)", "API reqs", "jobs", "pods", "queue depth median/max")
	for _, th := range res.Thirds {
		var qs []string
		for q, d := range th.DepthMedian {
			qs = append(qs, fmt.Sprintf("%s %g/%g", q, d, th.DepthMax[q]))
		}
		sort.Strings(qs)
		fmt.Fprintf(w, "%-10s %7d %8.0f %8.0f %9.0f %8.0f %8.1f %9.0f %6.0f %6.0f  %s\n", th.From.UTC().Format(time.TimeOnly), th.Samples,
			mib(float64(th.RSSMedianBytes)), mib(float64(th.RSSMaxBytes)), mib(th.HeapGoalMedianBytes), th.SeriesMedian, th.CPUMillicores, th.Requests,
			th.JobsMedian, th.PodsMedian, strings.Join(qs, ", "))
	}
	fmt.Fprintf(w, "\ngrowth, first third against last\n")
	for _, g := range res.Growth {
		verdict := "ok"
		if !g.OK {
			verdict = "GREW"
		}
		fmt.Fprintf(w, "  %-40s first %8.1f  last %8.1f  (%s): %s\n", g.Name, g.First, g.Last, g.Rule, verdict)
	}
	if len(res.HeapProfiles) > 0 {
		fmt.Fprintf(w, "\nheap profiles (start of the window, end of each third): %s\n", strings.Join(res.HeapProfiles, " "))
	}
	if res.Incomplete != "" {
		fmt.Fprintf(w, "\nINCOMPLETE: %s\n", res.Incomplete)
	}
	verdict := "PASS"
	if !res.OK() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "\nsteady state: %s (steadycron log: %s)\n", verdict, res.SteadycronLog)
}

// WriteSteadyJSON writes res to dir/steady.json.
func WriteSteadyJSON(dir string, res *SteadyResults) (string, error) {
	return writeJSON(dir, "steady.json", res)
}
