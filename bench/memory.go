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
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/e2e/framework"
	"github.com/steadycron/steadycron/pkg/controller/jobtracker"
)

// The programs the memory benchmark measures, and its two phases.
const (
	ProgramSteadycron = "steadycron"
	ProgramFloor      = "floor"

	PhaseCronJobsOnly = "without-foreign-pods"
	PhaseWithForeign  = "with-foreign-pods"
)

// historyManager is the spec.managedBy of the benchmark's history Jobs: kcm's
// Job controller leaves a Job managed by another controller alone, so the
// status the benchmark writes (Complete) stays as written.
const historyManager = "bench.steadycron.io/history"

// MemoryConfig is one run of the memory benchmark (docs/benchmarks.md,
// "Memory at size").
type MemoryConfig struct {
	// CronJobs is the number of CronJobs; each has JobsPerCronJob finished
	// Jobs and one pod (of its latest Job).
	CronJobs       int
	JobsPerCronJob int
	// ForeignPods are running pods of workloads that are not CronJobs
	// (Deployment-like: no Job labels, no owner).
	ForeignPods int
	// Namespaces is how many namespaces the CronJobs (and, apart, the
	// foreign pods) are spread over.
	Namespaces int
	// Rounds is how many times each program is measured with the foreign
	// pods (the figures are medians); without them, each is measured once.
	Rounds int
	// Settle is the wait between a program's informers having synced and
	// the measurement window; Window is the window, sampled every Interval.
	Settle, Window, Interval time.Duration
	// InFlight is the number of concurrent requests while populating.
	InFlight int
	// OutDir receives memory.json and the processes' logs.
	OutDir string
	// FloorBinary is bench/cmd/cachefloor built.
	FloorBinary string
	// SteadycronArgs are added to steadycron's command line.
	SteadycronArgs []string
	// Profile takes a CPU profile of each program (steadycron and the
	// floor) over each window (its /debug/pprof/profile), and a goroutine
	// dump and a heap profile at the end of it, into
	// OutDir/profiles. The sampling profiler costs CPU of its own: compare
	// CPU figures only between runs that both profile or both do not.
	Profile bool
	// Variants are steadycron run with other flags or environment, measured
	// in every round with foreign pods after the default (each after a
	// window of the floor of its own), and compared with the floor's
	// windows of those rounds. They do not count for the verdict.
	Variants []Variant
}

// Variant is steadycron with flags and environment variables added to the
// run's (SteadycronArgs, and the benchmark's own environment).
type Variant struct {
	Name string   `json:"name"`
	Args []string `json:"args,omitempty"`
	Env  []string `json:"env,omitempty"`
}

// DefaultVariant names steadycron as the run starts it: no variant.
const DefaultVariant = "default"

// ParseVariant parses NAME=WORDS: WORDS are separated by spaces; a word
// starting with "-" is a flag, a word KEY=value with KEY of capitals, digits
// and "_" an environment variable, e.g.
// `long-lease=--leader-elect-lease-duration=20s GOGC=200`. NAME is of
// lower-case letters, digits and "-", and not "default".
func ParseVariant(s string) (Variant, error) {
	name, words, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return Variant{}, fmt.Errorf("variant %q: want NAME=FLAGS AND ENV", s)
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return Variant{}, fmt.Errorf("variant %q: the name may hold only a-z, 0-9 and -", s)
		}
	}
	if name == DefaultVariant {
		return Variant{}, fmt.Errorf("variant %q: %q is steadycron without a variant", s, DefaultVariant)
	}
	v := Variant{Name: name}
	for _, w := range strings.Fields(words) {
		switch key, _, isEnv := strings.Cut(w, "="); {
		case strings.HasPrefix(w, "-"):
			v.Args = append(v.Args, w)
		case isEnv && envKey(key):
			v.Env = append(v.Env, w)
		default:
			return Variant{}, fmt.Errorf("variant %q: %q is neither a flag (-...) nor an environment variable (KEY=value)", s, w)
		}
	}
	if len(v.Args) == 0 && len(v.Env) == 0 {
		return Variant{}, fmt.Errorf("variant %q: no flag and no environment variable", s)
	}
	return v, nil
}

func envKey(k string) bool {
	for i, r := range k {
		if (r < 'A' || r > 'Z') && r != '_' && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return k != ""
}

// leaderElects reports whether steadycron run with args (after the
// framework's own --leader-elect=true) elects a leader: the last
// --leader-elect flag decides.
func leaderElects(args []string) bool {
	elects := true
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == "leader-elect" {
			elects = true
		} else if v, ok := strings.CutPrefix(a, "leader-elect="); ok {
			elects, _ = strconv.ParseBool(v)
		}
	}
	return elects
}

// Measurement is one program measured once, at steady state.
type Measurement struct {
	Program string `json:"program"`
	// Variant is, for steadycron, the variant measured (empty: the
	// default); for the floor, the variant of the steadycron window that
	// follows it.
	Variant string `json:"variant,omitempty"`
	Phase   string `json:"phase"`
	Round   int    `json:"round"`
	// ReadySeconds is from the process's start until its informers had
	// synced (steadycron: /readyz, polled from a second after it took the
	// Lease).
	ReadySeconds float64 `json:"readySeconds"`
	// RSS over the window, sampled from /proc/<pid>/status VmRSS.
	RSSMedianBytes int64 `json:"rssMedianBytes"`
	RSSMaxBytes    int64 `json:"rssMaxBytes"`
	// PeakRSSBytes is VmHWM at the end of the window: the highest RSS since
	// the start, reached while the informers listed.
	PeakRSSBytes int64 `json:"peakRssBytes"`
	// CPUMillicores is (utime+stime) over the window divided by its length.
	CPUMillicores float64 `json:"cpuMillicores"`
	// CPUStartSeconds is utime+stime from the start to the end of Settle.
	CPUStartSeconds float64 `json:"cpuStartSeconds"`
	// WakeupsPerSecond is the voluntary context switches of the process's
	// threads over the window divided by its length: how often an idle
	// process is woken (timers, network, its own goroutines handing work
	// to each other), each wake-up a cost that CPU profiles see only in
	// part.
	WakeupsPerSecond float64 `json:"wakeupsPerSecond"`
	// APIRequests is steadycron's rest_client_requests_total over the
	// window (nothing should write at steady state); -1 for the floor.
	APIRequests float64 `json:"apiRequests"`
	// CachedPods is steadycron's cronjob_jobtracker_cached_pods at the end
	// of the window: the pods its job tracker holds; -1 for the floor.
	CachedPods float64 `json:"cachedPods"`
	// CronJobPods is how many pods of Jobs of CronJobs the cluster holds
	// (one per CronJob): what CachedPods must equal.
	CronJobPods int `json:"cronJobPods"`
	Samples     int `json:"samples"`
}

// MemorySummary compares the programs over the rounds with foreign pods.
type MemorySummary struct {
	SteadycronRSSMedian int64   `json:"steadycronRssMedianBytes"`
	FloorRSSMedian      int64   `json:"floorRssMedianBytes"`
	RSSRatio            float64 `json:"rssRatio"`
	SteadycronPeak      int64   `json:"steadycronPeakRssMedianBytes"`
	FloorPeak           int64   `json:"floorPeakRssMedianBytes"`
	SteadycronCPU       float64 `json:"steadycronCpuMillicoresMedian"`
	FloorCPU            float64 `json:"floorCpuMillicoresMedian"`
	// CPUOK is whether SteadycronCPU is at most Target x FloorCPU. The floor
	// makes no API requests (no Lease, no writes), so this is rarely met.
	CPUOK bool `json:"cpuOk"`
	// Without foreign pods (one measurement each).
	SteadycronRSSNoForeign int64 `json:"steadycronRssNoForeignBytes"`
	FloorRSSNoForeign      int64 `json:"floorRssNoForeignBytes"`
	// ForeignPodCostBytes is steadycron's RSS median with the foreign pods
	// minus its RSS without them.
	ForeignPodCostBytes int64 `json:"foreignPodCostBytes"`
	// ForeignPodCostOK is whether ForeignPodCostBytes is at most
	// ForeignPodCostLimit of steadycron's RSS without the foreign pods.
	ForeignPodCostOK bool `json:"foreignPodCostOk"`
	// CachedPodsOK is whether, in every steadycron measurement, its job
	// tracker cached exactly the pods of Jobs of CronJobs (no foreign pod).
	CachedPodsOK bool    `json:"cachedPodsOk"`
	Target       float64 `json:"target"`
	// Met is the RSS ratio within Target, CPUOK, ForeignPodCostOK and
	// CachedPodsOK, of steadycron without a variant.
	Met bool `json:"met"`
	// Variants compares each variant, the default first, with the floor
	// over the rounds with foreign pods; only when the run had variants.
	Variants []VariantSummary `json:"variants,omitempty"`
}

// VariantSummary is one steadycron variant over the rounds with foreign pods:
// medians of its windows, and their ratios to the medians of all the floor's
// windows of those rounds.
type VariantSummary struct {
	Name                string  `json:"name"`
	Windows             int     `json:"windows"`
	CPUMillicoresMedian float64 `json:"cpuMillicoresMedian"`
	CPURatio            float64 `json:"cpuRatio"`
	RSSMedianBytes      int64   `json:"rssMedianBytes"`
	RSSRatio            float64 `json:"rssRatio"`
	APIRequestsMedian   float64 `json:"apiRequestsMedian"`
	// WakeupsPerSecondMedian is the median of the windows' WakeupsPerSecond.
	WakeupsPerSecondMedian float64 `json:"wakeupsPerSecondMedian"`
}

// ForeignPodCostLimit is the most the pods of other workloads may add to
// steadycron's RSS, as a fraction of its RSS without them, for them to
// "cost nothing measurable": RSS scatters by up to a tenth between starts at
// 10,000 CronJobs.
const ForeignPodCostLimit = 0.10

// MemoryResults is what memory.json holds.
type MemoryResults struct {
	RunID   string    `json:"runId"`
	Started time.Time `json:"started"`
	Machine Machine   `json:"machine"`
	Config  struct {
		CronJobs       int       `json:"cronJobs"`
		JobsPerCronJob int       `json:"jobsPerCronJob"`
		ForeignPods    int       `json:"foreignPods"`
		Rounds         int       `json:"rounds"`
		Settle         string    `json:"settle"`
		Window         string    `json:"window"`
		SteadycronArgs []string  `json:"steadycronArgs,omitempty"`
		Variants       []Variant `json:"variants,omitempty"`
	} `json:"config"`
	// Objects counts what the cluster held, by kind, after populating.
	Objects         map[string]int `json:"objects"`
	PopulateSeconds float64        `json:"populateSeconds"`
	Measurements    []Measurement  `json:"measurements"`
	Summary         *MemorySummary `json:"summary,omitempty"`
	Incomplete      string         `json:"incomplete,omitempty"`
}

// RunMemory runs the memory benchmark on one fresh local control plane:
// populate the CronJobs, their history and their pods; measure the floor and
// steadycron once; add the foreign pods; measure both Rounds times,
// alternating, and in each round every variant after a floor window of its
// own. res is filled as far as the run got.
func RunMemory(ctx context.Context, cfg MemoryConfig, res *MemoryResults) error {
	cluster, client, err := startLocal(ctx, "memory", cfg.OutDir)
	if cluster != nil {
		defer cluster.Stop()
	}
	if err != nil {
		return err
	}
	p := &populator{cfg: cfg, client: client, now: time.Now()}
	begin := time.Now()
	if err := p.cronJobs(ctx); err != nil {
		return err
	}
	res.PopulateSeconds = time.Since(begin).Seconds()
	klog.InfoS("Populated the CronJobs, their Jobs and pods", "took", time.Since(begin).Round(time.Second))

	m := &measurer{cfg: cfg, cluster: cluster}
	for _, prog := range []string{ProgramFloor, ProgramSteadycron} {
		r, err := m.measure(ctx, prog, Variant{}, PhaseCronJobsOnly, 1)
		if err != nil {
			return err
		}
		res.Measurements = append(res.Measurements, r)
	}

	begin2 := time.Now()
	if err := p.foreignPods(ctx); err != nil {
		return err
	}
	res.PopulateSeconds += time.Since(begin2).Seconds()
	if res.Objects, err = countObjects(ctx, cluster.Config); err != nil {
		return err
	}
	klog.InfoS("Populated the foreign pods", "took", time.Since(begin2).Round(time.Second), "objects", res.Objects)

	variants := append([]Variant{{}}, cfg.Variants...)
	for round := 1; round <= cfg.Rounds; round++ {
		for _, v := range variants {
			for _, prog := range []string{ProgramFloor, ProgramSteadycron} {
				r, err := m.measure(ctx, prog, v, PhaseWithForeign, round)
				if err != nil {
					return err
				}
				res.Measurements = append(res.Measurements, r)
			}
		}
	}
	res.Summary = Summarize(res.Measurements, 1.3)
	return nil
}

// startLocal starts a fresh local control plane with kube-scheduler and
// kwok's nodes but not steadycron, its artifacts in outDir, kcm with
// kcmArgs after the framework's own flags, and returns it with an
// unthrottled client. The caller stops the control plane, also after an
// error.
func startLocal(ctx context.Context, name, outDir string, kcmArgs ...string) (*framework.Cluster, kubernetes.Interface, error) {
	opts, err := framework.OptionsFromEnv(name)
	if err != nil {
		return nil, nil, err
	}
	opts.Kubeconfig = "" // always the local control plane
	opts.Kwok, opts.FakeNode = true, ""
	opts.ArtifactsDir = outDir
	opts.StartSteadycron = false
	opts.KCMArgs = kcmArgs
	cluster, err := framework.Start(ctx, opts)
	if err != nil {
		return cluster, nil, fmt.Errorf("starting the control plane: %w", err)
	}
	client, err := unthrottled(cluster.Config)
	return cluster, client, err
}

// unthrottled is the admin client without a rate limiter, speaking protobuf.
func unthrottled(cfg *rest.Config) (kubernetes.Interface, error) {
	c := rest.CopyConfig(cfg)
	c.QPS, c.Burst = -1, 0
	c.ContentType = "application/vnd.kubernetes.protobuf"
	client, err := kubernetes.NewForConfig(c)
	if err != nil {
		return nil, fmt.Errorf("building the unthrottled client: %w", err)
	}
	return client, nil
}

// populator creates the objects. now fixes the schedules and history times.
type populator struct {
	cfg    MemoryConfig
	client kubernetes.Interface
	now    time.Time
}

func cronNamespace(i int) string  { return fmt.Sprintf("cron-%02d", i) }
func appsNamespace(i int) string  { return fmt.Sprintf("apps-%02d", i) }
func memCronJobName(i int) string { return fmt.Sprintf("report-%05d", i) }

func (p *populator) namespaces(ctx context.Context, name func(int) string) error {
	for i := range p.cfg.Namespaces {
		ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name(i)}}
		if _, err := p.client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating namespace %s: %w", ns.Name, err)
		}
	}
	// Pods are refused until kcm has made the namespace's default ServiceAccount.
	deadline := time.Now().Add(90 * time.Second)
	for i := range p.cfg.Namespaces {
		for {
			_, err := p.client.CoreV1().ServiceAccounts(name(i)).Get(ctx, "default", metav1.GetOptions{})
			if err == nil {
				break
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				return fmt.Errorf("waiting for ServiceAccount %s/default: %w", name(i), errors.Join(err, ctx.Err()))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return nil
}

// Schedule is one CronJob's schedule in the benchmark's mix and its most
// recent scheduled times before now, newest first.
type Schedule struct {
	Cron    string
	Suspend bool
	Recent  []time.Time
}

// ScheduleFor returns CronJob i's schedule: by i mod 10, suspended daily (2),
// daily (4), weekly (2), monthly (1) or every 15 minutes within one hour of
// the day (1), at an hour 3 to 22 hours after now's, so that none fires
// within 2 hours of now; and its n most recent scheduled times,
// in now's location (the controller's, as the CronJobs set no time zone).
func ScheduleFor(i int, now time.Time, n int) Schedule {
	h := (now.Hour() + 3 + (i/10)%20) % 24
	m := (i * 7) % 60
	day := func(t time.Time, hour, minute int) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, t.Location())
	}
	back := func(first time.Time, years, months, days int, minutes time.Duration) []time.Time {
		out := []time.Time{first}
		for len(out) < n {
			out = append(out, out[len(out)-1].AddDate(years, months, days).Add(-minutes))
		}
		return out
	}
	var s Schedule
	switch k := i % 10; {
	case k <= 5: // daily; the first two suspended
		s.Cron, s.Suspend = fmt.Sprintf("%d %d * * *", m, h), k <= 1
		t := day(now, h, m)
		if t.After(now) {
			t = t.AddDate(0, 0, -1)
		}
		s.Recent = back(t, 0, 0, -1, 0)
	case k <= 7: // weekly
		wd := time.Weekday(i % 7)
		s.Cron = fmt.Sprintf("%d %d * * %d", m, h, wd)
		t := day(now, h, m)
		for t.Weekday() != wd || t.After(now) {
			t = t.AddDate(0, 0, -1)
		}
		s.Recent = back(t, 0, 0, -7, 0)
	case k == 8: // monthly, on a day every month has
		d := 1 + i%28
		s.Cron = fmt.Sprintf("%d %d %d * *", m, h, d)
		t := time.Date(now.Year(), now.Month(), d, h, m, 0, 0, now.Location())
		if t.After(now) {
			t = t.AddDate(0, -1, 0)
		}
		s.Recent = back(t, 0, -1, 0, 0)
	default: // every 15 minutes during hour h
		s.Cron = fmt.Sprintf("*/15 %d * * *", h)
		t := day(now, h, 45)
		if t.After(now) {
			t = t.AddDate(0, 0, -1)
		}
		s.Recent = back(t, 0, 0, 0, 15*time.Minute)
	}
	return s
}

// podTemplate is a batch container of typical size: image, command, a few
// environment variables, resources, labels and an annotation.
func memPodTemplate(app string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{
			Labels:      map[string]string{"app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "reports", "team": "data"},
			Annotations: map[string]string{framework.AnnotationRunFor: "30s"},
		},
		Spec: corev1.PodSpec{
			RestartPolicy:                corev1.RestartPolicyNever,
			AutomountServiceAccountToken: ptr.To(false),
			Containers: []corev1.Container{{
				Name:    "report",
				Image:   "registry.example.com/data/reports:v1.42.0",
				Command: []string{"/app/report", "--output=s3://reports/" + app, "--since=24h"},
				Env: []corev1.EnvVar{
					{Name: "LOG_LEVEL", Value: "info"},
					{Name: "DB_HOST", Value: "postgres.data.svc.cluster.local"},
					{Name: "REPORT", Value: app},
				},
				Resources: corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
					Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
				},
			}},
		},
	}
}

// cronJobs creates the CronJobs with their status, JobsPerCronJob finished
// Jobs each (Complete, with steadycron's annotations, as they would be after
// running), and a Succeeded pod of each CronJob's latest Job, bound to a kwok
// node.
func (p *populator) cronJobs(ctx context.Context) error {
	if err := p.namespaces(ctx, cronNamespace); err != nil {
		return err
	}
	var requests atomic.Int64
	begin := time.Now()
	err := parallel(ctx, p.cfg.CronJobs, p.cfg.InFlight, func(ctx context.Context, i int) error {
		ns, name := cronNamespace(i%p.cfg.Namespaces), memCronJobName(i)
		s := ScheduleFor(i, p.now, p.cfg.JobsPerCronJob)
		tmpl := memPodTemplate(name)
		cj := &batchv1.CronJob{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{"team": "data"}},
			Spec: batchv1.CronJobSpec{
				Schedule:                   s.Cron,
				Suspend:                    ptr.To(s.Suspend),
				ConcurrencyPolicy:          batchv1.ForbidConcurrent,
				SuccessfulJobsHistoryLimit: ptr.To(int32(p.cfg.JobsPerCronJob)),
				JobTemplate: batchv1.JobTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"team": "data"}},
					Spec:       batchv1.JobSpec{BackoffLimit: ptr.To[int32](2), Template: tmpl},
				},
			},
		}
		created, err := p.client.BatchV1().CronJobs(ns).Create(ctx, cj, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating CronJob %s/%s: %w", ns, name, err)
		}
		latest := metav1.NewTime(s.Recent[0])
		if err := p.patchStatus(ctx, "cronjobs", ns, name, map[string]any{
			"lastScheduleTime": latest, "lastSuccessfulTime": metav1.NewTime(s.Recent[0].Add(40 * time.Second)),
		}); err != nil {
			return err
		}
		requests.Add(2)
		for k, scheduled := range s.Recent {
			job, err := p.historyJob(ctx, created, scheduled, tmpl)
			if err != nil {
				return err
			}
			requests.Add(2)
			if k == 0 {
				if err := p.jobPod(ctx, job, scheduled, (i/p.cfg.Namespaces)%framework.FakeNodes); err != nil {
					return err
				}
				requests.Add(2)
			}
		}
		return nil
	})
	klog.InfoS("CronJobs populated", "requests", requests.Load(), "took", time.Since(begin).Round(time.Second))
	return err
}

func (p *populator) historyJob(ctx context.Context, cj *batchv1.CronJob, scheduled time.Time, tmpl corev1.PodTemplateSpec) (*batchv1.Job, error) {
	utc := scheduled.UTC().Format(time.RFC3339)
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			// The upstream controller's name: the CronJob's and the
			// scheduled time in minutes since the epoch.
			Name:      fmt.Sprintf("%s-%d", cj.Name, scheduled.Unix()/60),
			Namespace: cj.Namespace,
			Labels:    map[string]string{"team": "data"},
			Annotations: map[string]string{
				"batch.kubernetes.io/cronjob-scheduled-timestamp": scheduled.Format(time.RFC3339),
				jobtracker.ExpectedStartAnnotation:                utc,
				jobtracker.FirstRunningAnnotation:                 scheduled.Add(2 * time.Second).UTC().Format(time.RFC3339),
			},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
		},
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr.To[int32](2),
			ManagedBy:    ptr.To(historyManager),
			Template:     tmpl,
		},
	}
	created, err := p.client.BatchV1().Jobs(cj.Namespace).Create(ctx, job, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("creating Job %s/%s: %w", job.Namespace, job.Name, err)
	}
	start, done := metav1.NewTime(scheduled.Add(time.Second)), metav1.NewTime(scheduled.Add(40*time.Second))
	cond := func(t batchv1.JobConditionType, reason string) map[string]any {
		return map[string]any{"type": t, "status": corev1.ConditionTrue, "reason": reason, "message": "Reached expected number of succeeded pods",
			"lastProbeTime": done, "lastTransitionTime": done}
	}
	if err := p.patchStatus(ctx, "jobs", created.Namespace, created.Name, map[string]any{
		"startTime": start, "completionTime": done, "succeeded": 1, "ready": 0, "terminating": 0,
		"conditions": []any{cond(batchv1.JobSuccessCriteriaMet, "CompletionsReached"), cond(batchv1.JobComplete, "CompletionsReached")},
	}); err != nil {
		return nil, err
	}
	return created, nil
}

// jobPod creates the Succeeded pod of job, as the job controller would have
// made it, bound to kwok node `node`.
func (p *populator) jobPod(ctx context.Context, job *batchv1.Job, scheduled time.Time, node int) error {
	labels := map[string]string{}
	for k, v := range job.Spec.Template.Labels { // the API server added the Job's labels
		labels[k] = v
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: job.Name + "-",
			Namespace:    job.Namespace,
			Labels:       labels,
			// kwok would start it in its own time and race the status
			// written below; a pending-for of an hour keeps it out.
			Annotations:     map[string]string{framework.AnnotationPendingFor: "1h"},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(job, batchv1.SchemeGroupVersion.WithKind("Job"))},
		},
		Spec: *job.Spec.Template.Spec.DeepCopy(),
	}
	pod.Spec.NodeName = framework.FakeNodeName(node)
	created, err := p.client.CoreV1().Pods(job.Namespace).Create(ctx, pod, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("creating a pod of Job %s/%s: %w", job.Namespace, job.Name, err)
	}
	started, finished := metav1.NewTime(scheduled.Add(2*time.Second)), metav1.NewTime(scheduled.Add(38*time.Second))
	return p.patchStatus(ctx, "pods", created.Namespace, created.Name, podStatus(created, corev1.PodSucceeded, started, finished, node))
}

// podStatus is what kwok (kwok-stages.yaml) would have written: Running since
// started, or Succeeded at finished.
func podStatus(pod *corev1.Pod, phase corev1.PodPhase, started, finished metav1.Time, node int) map[string]any {
	ready := corev1.ConditionTrue
	state := map[string]any{"running": map[string]any{"startedAt": started}}
	if phase == corev1.PodSucceeded {
		ready = corev1.ConditionFalse
		state = map[string]any{"terminated": map[string]any{"exitCode": 0, "reason": "Completed", "startedAt": started, "finishedAt": finished}}
	}
	var statuses []any
	for _, c := range pod.Spec.Containers {
		statuses = append(statuses, map[string]any{
			"name": c.Name, "image": c.Image, "imageID": "kwok://" + c.Image, "containerID": "kwok://" + c.Name,
			"ready": ready == corev1.ConditionTrue, "started": ready == corev1.ConditionTrue, "restartCount": 0, "state": state,
		})
	}
	cond := func(t corev1.PodConditionType, s corev1.ConditionStatus) map[string]any {
		return map[string]any{"type": t, "status": s, "lastTransitionTime": started}
	}
	ip := fmt.Sprintf("10.244.%d.%d", rand.IntN(250), 1+rand.IntN(250))
	return map[string]any{
		"phase":     phase,
		"startTime": started,
		"hostIP":    fmt.Sprintf("10.250.0.%d", node+1), "hostIPs": []any{map[string]any{"ip": fmt.Sprintf("10.250.0.%d", node+1)}},
		"podIP": ip, "podIPs": []any{map[string]any{"ip": ip}},
		"conditions": []any{
			cond(corev1.PodReadyToStartContainers, corev1.ConditionTrue), cond(corev1.PodInitialized, corev1.ConditionTrue),
			cond(corev1.ContainersReady, ready), cond(corev1.PodReady, ready), cond(corev1.PodScheduled, corev1.ConditionTrue),
		},
		"containerStatuses": statuses,
		"qosClass":          corev1.PodQOSBurstable,
	}
}

// patchStatus merge-patches the status subresource of resource ns/name.
func (p *populator) patchStatus(ctx context.Context, resource, ns, name string, status map[string]any) error {
	data, err := json.Marshal(map[string]any{"status": status})
	if err != nil {
		return fmt.Errorf("encoding the status of %s %s/%s: %w", resource, ns, name, err)
	}
	var rc rest.Interface
	switch resource {
	case "pods":
		rc = p.client.CoreV1().RESTClient()
	default:
		rc = p.client.BatchV1().RESTClient()
	}
	err = rc.Patch(types.MergePatchType).Namespace(ns).Resource(resource).Name(name).SubResource("status").
		Body(data).Do(ctx).Error()
	if err != nil {
		return fmt.Errorf("writing the status of %s %s/%s: %w", resource, ns, name, err)
	}
	return nil
}

// foreignPods creates running pods of Deployment-like workloads (100 pods
// each, no Job labels, no owner) spread over the kwok nodes. They run
// forever (kwok-stages.yaml).
func (p *populator) foreignPods(ctx context.Context) error {
	if err := p.namespaces(ctx, appsNamespace); err != nil {
		return err
	}
	started := metav1.NewTime(p.now.Add(-time.Hour))
	return parallel(ctx, p.cfg.ForeignPods, p.cfg.InFlight, func(ctx context.Context, i int) error {
		app, ns := fmt.Sprintf("web-%03d", i/100), appsNamespace((i/100)%p.cfg.Namespaces)
		hash := fmt.Sprintf("%08x", uint32(i/100)*2654435761)[:8]
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name:      fmt.Sprintf("%s-%s-%05d", app, hash, i),
				Namespace: ns,
				Labels:    map[string]string{"app.kubernetes.io/name": app, "pod-template-hash": hash, "team": "web"},
				// The status is written below; kwok leaves it alone.
				Annotations: map[string]string{framework.AnnotationPendingFor: "1h", framework.AnnotationRunFor: "forever"},
			},
			Spec: corev1.PodSpec{
				NodeName:                     framework.FakeNodeName(i % framework.FakeNodes),
				AutomountServiceAccountToken: ptr.To(false),
				Containers: []corev1.Container{{
					Name:  "web",
					Image: "registry.example.com/web/frontend:v3.7.1",
					Args:  []string{"--listen=:8080", "--upstream=http://api." + ns + ".svc.cluster.local"},
					Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}},
					Env:   []corev1.EnvVar{{Name: "LOG_LEVEL", Value: "info"}, {Name: "APP", Value: app}},
					Resources: corev1.ResourceRequirements{
						Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
						Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("128Mi")},
					},
					ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}}},
				}},
			},
		}
		created, err := p.client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating pod %s/%s: %w", ns, pod.Name, err)
		}
		return p.patchStatus(ctx, "pods", ns, created.Name, podStatus(created, corev1.PodRunning, started, started, i%framework.FakeNodes))
	})
}

// countObjects counts CronJobs, Jobs and pods (metadata only, paged).
func countObjects(ctx context.Context, cfg *rest.Config) (map[string]int, error) {
	mc, err := metadata.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("building the metadata client: %w", err)
	}
	out := map[string]int{}
	for kind, gvr := range map[string]schema.GroupVersionResource{
		"cronjobs": batchv1.SchemeGroupVersion.WithResource("cronjobs"),
		"jobs":     batchv1.SchemeGroupVersion.WithResource("jobs"),
		"pods":     corev1.SchemeGroupVersion.WithResource("pods"),
	} {
		opts := metav1.ListOptions{Limit: 5000}
		for {
			list, err := mc.Resource(gvr).List(ctx, opts)
			if err != nil {
				return nil, fmt.Errorf("counting %s: %w", kind, err)
			}
			out[kind] += len(list.Items)
			if opts.Continue = list.Continue; opts.Continue == "" {
				break
			}
		}
	}
	return out, nil
}

// measurer starts a program, waits for its informers, lets it settle and
// samples it over the window.
type measurer struct {
	cfg     MemoryConfig
	cluster *framework.Cluster
}

// measure measures program; steadycron as variant v (the zero Variant: as
// configured), the floor before v's window.
func (m *measurer) measure(ctx context.Context, program string, v Variant, phase string, round int) (Measurement, error) {
	r := Measurement{Program: program, Variant: v.Name, Phase: phase, Round: round, APIRequests: -1, CachedPods: -1, CronJobPods: m.cfg.CronJobs}
	name := fmt.Sprintf("%s-%s-%d", program, phase, round)
	if v.Name != "" {
		name += "-" + v.Name
	}
	klog.InfoS("Measuring", "program", program, "variant", v.Name, "phase", phase, "round", round)
	begin := time.Now()
	var (
		pid     int
		stop    func() error
		scrapes func(context.Context) (float64, error)
		// cachedPods reads steadycron's cronjob_jobtracker_cached_pods.
		cachedPods func(context.Context) (float64, error)
		sc         *framework.Steadycron
		// debugURL serves the program's /debug/pprof/ (-profile).
		debugURL string
	)
	switch program {
	case ProgramFloor:
		f, err := startFloor(ctx, m.cfg.FloorBinary, m.cluster.Kubeconfig, filepath.Join(m.cfg.OutDir, "logs", name+".log"))
		if err != nil {
			return r, err
		}
		stop, pid, debugURL = f.stop, f.cmd.Process.Pid, "http://"+f.addr
		if err := f.waitReady(ctx, 5*time.Minute); err != nil {
			_ = stop()
			return r, err
		}
	case ProgramSteadycron:
		var err error
		args := append(slices.Clip(m.cfg.SteadycronArgs), v.Args...)
		sc, err = m.cluster.NewSteadycron(name, args...)
		if err != nil {
			return r, err
		}
		sc.SetEnv(v.Env...)
		stop, debugURL = sc.Stop, sc.URL("")
		if err := sc.Start(ctx); err != nil {
			_ = stop()
			return r, err
		}
		if leaderElects(args) {
			if err := sc.WaitLeading(ctx, m.cluster, 2*time.Minute); err != nil {
				_ = stop()
				return r, err
			}
		}
		// Right after taking the Lease, /readyz says ready until the
		// controllers have registered their informers (a few
		// milliseconds later); only then does it wait for their sync.
		if err := sleepCtx(ctx, time.Second); err != nil {
			_ = stop()
			return r, err
		}
		if err := waitOK(ctx, sc.URL("/readyz"), 5*time.Minute); err != nil {
			_ = stop()
			return r, err
		}
		if pid, err = sc.PID(); err != nil {
			_ = stop()
			return r, err
		}
		scrapes = func(ctx context.Context) (float64, error) {
			fams, err := sc.Metrics(ctx)
			if err != nil {
				return 0, err
			}
			_, total := Delta(nil, CounterSum(fams, "rest_client_requests_total", ""))
			return total, nil
		}
		cachedPods = func(ctx context.Context) (float64, error) {
			fams, err := sc.Metrics(ctx)
			if err != nil {
				return 0, err
			}
			f, ok := fams["cronjob_jobtracker_cached_pods"]
			if !ok || len(f.GetMetric()) != 1 {
				return 0, fmt.Errorf("steadycron's /metrics has no single cronjob_jobtracker_cached_pods sample")
			}
			return f.GetMetric()[0].GetGauge().GetValue(), nil
		}
	default:
		return r, fmt.Errorf("unknown program %q", program)
	}
	defer func() { _ = stop() }()
	r.ReadySeconds = time.Since(begin).Seconds()

	if err := sleepCtx(ctx, m.cfg.Settle); err != nil {
		return r, err
	}
	before, err := ReadProc(pid)
	if err != nil {
		return r, err
	}
	r.CPUStartSeconds = before.CPUSeconds
	var reqBefore float64
	if scrapes != nil {
		if reqBefore, err = scrapes(ctx); err != nil {
			return r, err
		}
	}
	var profiled <-chan error
	if m.cfg.Profile {
		profiled = m.profile(ctx, debugURL, name)
	}
	var rss []int64
	windowStart := time.Now()
	for {
		v, err := readRSS(pid)
		if err != nil {
			return r, err
		}
		rss = append(rss, v)
		if time.Since(windowStart) >= m.cfg.Window {
			break
		}
		if err := sleepCtx(ctx, m.cfg.Interval); err != nil {
			return r, err
		}
	}
	after, err := ReadProc(pid)
	if err != nil {
		return r, err
	}
	elapsed := time.Since(windowStart).Seconds()
	if profiled != nil {
		if err := <-profiled; err != nil {
			return r, err
		}
		for file, path := range map[string]string{
			name + ".goroutines.txt": "/debug/pprof/goroutine?debug=1",
			name + ".heap.pprof":     "/debug/pprof/heap",
		} {
			if err := fetchTo(ctx, debugURL+path, filepath.Join(m.cfg.OutDir, "profiles", file)); err != nil {
				return r, err
			}
		}
	}
	if scrapes != nil {
		reqAfter, err := scrapes(ctx)
		if err != nil {
			return r, err
		}
		// The window's own two scrapes are not API requests.
		r.APIRequests = reqAfter - reqBefore
	}
	if cachedPods != nil {
		if r.CachedPods, err = cachedPods(ctx); err != nil {
			return r, err
		}
	}
	slices.Sort(rss)
	r.Samples = len(rss)
	r.RSSMedianBytes, r.RSSMaxBytes = medianInt(rss), rss[len(rss)-1]
	r.PeakRSSBytes = after.PeakRSSBytes
	r.CPUMillicores = (after.CPUSeconds - before.CPUSeconds) / elapsed * 1000
	r.WakeupsPerSecond = float64(after.VoluntarySwitches-before.VoluntarySwitches) / elapsed
	klog.InfoS("Measured", "program", program, "variant", v.Name, "phase", phase, "round", round,
		"rssMedianMiB", r.RSSMedianBytes>>20, "peakMiB", r.PeakRSSBytes>>20, "cpuMillicores", int(r.CPUMillicores), "ready", time.Duration(r.ReadySeconds*float64(time.Second)).Round(time.Second))
	return r, nil
}

// profile fetches a CPU profile of steadycron over the window (rounded up to
// whole seconds, as pprof takes them) into OutDir/profiles/<name>.cpu.pprof;
// the channel receives the outcome.
func (m *measurer) profile(ctx context.Context, debugURL, name string) <-chan error {
	done := make(chan error, 1)
	seconds := int((m.cfg.Window + time.Second - 1) / time.Second)
	url := debugURL + fmt.Sprintf("/debug/pprof/profile?seconds=%d", seconds)
	go func() { done <- fetchTo(ctx, url, filepath.Join(m.cfg.OutDir, "profiles", name+".cpu.pprof")) }()
	return done
}

// fetchTo writes the body of a GET of url to path; it fails unless the
// answer is 200.
func fetchTo(ctx context.Context, url, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("building a request for %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("fetching %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("fetching %s: %s: %s", url, resp.Status, body)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func medianInt(sorted []int64) int64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// readRSS returns VmRSS of pid, in bytes.
func readRSS(pid int) (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("reading /proc/%d/status: %w", pid, err)
	}
	return ParseStatusKB(string(status), "VmRSS")
}

// waitOK polls url until it answers 200.
func waitOK(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	hc := &http.Client{Timeout: 5 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("building a request for %s: %w", url, err)
		}
		if resp, err := hc.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer 200 within %s", url, timeout)
		}
		if err := sleepCtx(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// floorProcess is a running cachefloor.
type floorProcess struct {
	cmd  *exec.Cmd
	addr string
	done chan error
	log  *os.File
}

func startFloor(ctx context.Context, bin, kubeconfig, logPath string) (*floorProcess, error) {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return nil, fmt.Errorf("creating the log dir: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("finding a free port: %w", err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", logPath, err)
	}
	cmd := exec.CommandContext(ctx, bin, "--kubeconfig="+kubeconfig, "--address="+addr)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, killed with the benchmark.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	f := &floorProcess{cmd: cmd, addr: addr, done: make(chan error, 1), log: logFile}
	go func() { f.done <- cmd.Wait() }()
	return f, nil
}

func (f *floorProcess) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- waitOK(ctx, "http://"+f.addr+"/readyz", timeout) }()
	select {
	case err := <-errc:
		return err
	case err := <-f.done:
		f.done <- err
		return fmt.Errorf("cachefloor exited before its informers synced (log %s): %v", f.log.Name(), err)
	}
}

func (f *floorProcess) stop() error {
	defer func() { _ = f.log.Close() }()
	select {
	case err := <-f.done:
		f.done <- err
		return nil
	default:
	}
	_ = f.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-f.done:
	case <-time.After(15 * time.Second):
		_ = f.cmd.Process.Kill()
		<-f.done
	}
	f.done <- nil
	return nil
}

// Summarize compares the programs: medians over the rounds with foreign
// pods, and steadycron without them. target is the ratio to the floor that
// steadycron's RSS and CPU must meet.
func Summarize(ms []Measurement, target float64) *MemorySummary {
	// pick takes the floor's windows, and steadycron's of the default
	// variant.
	pick := func(program, phase string, f func(Measurement) float64) []float64 {
		var out []float64
		for _, m := range ms {
			if m.Program == program && m.Phase == phase && (program == ProgramFloor || m.Variant == "") {
				out = append(out, f(m))
			}
		}
		return out
	}
	rss := func(m Measurement) float64 { return float64(m.RSSMedianBytes) }
	peak := func(m Measurement) float64 { return float64(m.PeakRSSBytes) }
	cpu := func(m Measurement) float64 { return m.CPUMillicores }
	s := &MemorySummary{Target: target}
	s.SteadycronRSSMedian = int64(medianFloat(pick(ProgramSteadycron, PhaseWithForeign, rss)))
	s.FloorRSSMedian = int64(medianFloat(pick(ProgramFloor, PhaseWithForeign, rss)))
	s.SteadycronPeak = int64(medianFloat(pick(ProgramSteadycron, PhaseWithForeign, peak)))
	s.FloorPeak = int64(medianFloat(pick(ProgramFloor, PhaseWithForeign, peak)))
	s.SteadycronCPU = medianFloat(pick(ProgramSteadycron, PhaseWithForeign, cpu))
	s.FloorCPU = medianFloat(pick(ProgramFloor, PhaseWithForeign, cpu))
	s.SteadycronRSSNoForeign = int64(medianFloat(pick(ProgramSteadycron, PhaseCronJobsOnly, rss)))
	s.FloorRSSNoForeign = int64(medianFloat(pick(ProgramFloor, PhaseCronJobsOnly, rss)))
	if s.FloorRSSMedian > 0 {
		s.RSSRatio = float64(s.SteadycronRSSMedian) / float64(s.FloorRSSMedian)
	}
	s.ForeignPodCostBytes = s.SteadycronRSSMedian - s.SteadycronRSSNoForeign
	s.ForeignPodCostOK = s.SteadycronRSSNoForeign > 0 &&
		float64(s.ForeignPodCostBytes) <= ForeignPodCostLimit*float64(s.SteadycronRSSNoForeign)
	s.CachedPodsOK = true
	for _, m := range ms {
		if m.Program == ProgramSteadycron && m.CachedPods != float64(m.CronJobPods) {
			s.CachedPodsOK = false
		}
	}
	s.CPUOK = s.SteadycronCPU <= target*s.FloorCPU
	s.Met = s.RSSRatio > 0 && s.RSSRatio <= target && s.CPUOK && s.ForeignPodCostOK && s.CachedPodsOK
	s.Variants = summarizeVariants(ms, s.FloorCPU, s.FloorRSSMedian)
	return s
}

// summarizeVariants compares steadycron's variants in the rounds with foreign
// pods, the default first, with the floor's medians; nil when the run had no
// variant.
func summarizeVariants(ms []Measurement, floorCPU float64, floorRSS int64) []VariantSummary {
	names := []string{""}
	for _, m := range ms {
		if m.Program == ProgramSteadycron && m.Phase == PhaseWithForeign && !slices.Contains(names, m.Variant) {
			names = append(names, m.Variant)
		}
	}
	if len(names) == 1 {
		return nil
	}
	out := make([]VariantSummary, 0, len(names))
	for _, name := range names {
		var cpu, rss, reqs, wakeups []float64
		for _, m := range ms {
			if m.Program == ProgramSteadycron && m.Phase == PhaseWithForeign && m.Variant == name {
				cpu, rss, reqs = append(cpu, m.CPUMillicores), append(rss, float64(m.RSSMedianBytes)), append(reqs, m.APIRequests)
				wakeups = append(wakeups, m.WakeupsPerSecond)
			}
		}
		v := VariantSummary{Name: name, Windows: len(cpu), CPUMillicoresMedian: medianFloat(cpu),
			RSSMedianBytes: int64(medianFloat(rss)), APIRequestsMedian: medianFloat(reqs), WakeupsPerSecondMedian: medianFloat(wakeups)}
		if v.Name == "" {
			v.Name = DefaultVariant
		}
		if floorCPU > 0 {
			v.CPURatio = v.CPUMillicoresMedian / floorCPU
		}
		if floorRSS > 0 {
			v.RSSRatio = float64(v.RSSMedianBytes) / float64(floorRSS)
		}
		out = append(out, v)
	}
	return out
}

func medianFloat(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// PrintMemory writes the measurements and the summary as tables.
func PrintMemory(w io.Writer, res *MemoryResults) {
	mib := func(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) }
	fmt.Fprintf(w, "\nmemory at size: %d CronJobs, %d finished Jobs, %d pods of them, %d foreign pods; settle %s, window %s\n",
		res.Config.CronJobs, res.Config.CronJobs*res.Config.JobsPerCronJob, res.Config.CronJobs, res.Config.ForeignPods, res.Config.Settle, res.Config.Window)
	fmt.Fprintf(w, "objects in the cluster: %v; machine: %d CPUs, %s, load %s -> %s\n\n", res.Objects, res.Machine.NumCPU, res.Machine.MemTotal, res.Machine.LoadAvgPre, res.Machine.LoadAvgPost)
	// A variant's windows are named program/variant (the floor's: the
	// variant measured after it).
	label := func(m Measurement) string {
		if m.Variant == "" {
			return m.Program
		}
		return m.Program + "/" + m.Variant
	}
	progWidth := len("steadycron")
	for _, m := range res.Measurements {
		progWidth = max(progWidth, len(label(m)))
	}
	fmt.Fprintf(w, "%-21s %-*s %5s %7s %10s %9s %9s %8s %10s %9s %11s\n", "phase", progWidth, "program", "round", "ready", "RSS (MiB)", "max", "peak", "CPU (m)", "wake-ups/s", "API reqs", "cached pods")
	for _, m := range res.Measurements {
		reqs, cached := "-", "-"
		if m.APIRequests >= 0 {
			reqs = strconv.FormatFloat(m.APIRequests, 'f', 0, 64)
		}
		if m.CachedPods >= 0 {
			cached = fmt.Sprintf("%.0f/%d", m.CachedPods, m.CronJobPods)
		}
		fmt.Fprintf(w, "%-21s %-*s %5d %6.0fs %10s %9s %9s %8.1f %10.1f %9s %11s\n", m.Phase, progWidth, label(m), m.Round, m.ReadySeconds,
			mib(m.RSSMedianBytes), mib(m.RSSMaxBytes), mib(m.PeakRSSBytes), m.CPUMillicores, m.WakeupsPerSecond, reqs, cached)
	}
	if s := res.Summary; s != nil {
		verdict := "MET"
		if !s.Met {
			verdict = "MISSED"
		}
		metOrNot := func(ok bool) string {
			if ok {
				return "met"
			}
			return "NOT met"
		}
		fmt.Fprintf(w, "\nwith foreign pods, medians: steadycron %s MiB, floor %s MiB: ratio %.2f (target <= %.1f: %s)\n",
			mib(s.SteadycronRSSMedian), mib(s.FloorRSSMedian), s.RSSRatio, s.Target, metOrNot(s.RSSRatio > 0 && s.RSSRatio <= s.Target))
		cpuRatio := "-"
		if s.FloorCPU > 0 {
			cpuRatio = strconv.FormatFloat(s.SteadycronCPU/s.FloorCPU, 'f', 1, 64)
		}
		fmt.Fprintf(w, "peak RSS (VmHWM) medians: steadycron %s MiB, floor %s MiB\n", mib(s.SteadycronPeak), mib(s.FloorPeak))
		fmt.Fprintf(w, "CPU medians: steadycron %.1f m, floor %.1f m: ratio %s (target <= %.1f: %s; the floor makes no API requests)\n",
			s.SteadycronCPU, s.FloorCPU, cpuRatio, s.Target, metOrNot(s.CPUOK))
		fmt.Fprintf(w, "without foreign pods: steadycron %s MiB, floor %s MiB; the foreign pods cost steadycron %+.0f MiB (at most %.0f %% of its RSS without them: %s)\n",
			mib(s.SteadycronRSSNoForeign), mib(s.FloorRSSNoForeign), float64(s.ForeignPodCostBytes)/(1<<20), ForeignPodCostLimit*100, metOrNot(s.ForeignPodCostOK))
		fmt.Fprintf(w, "steadycron's job tracker cached exactly the pods of Jobs of CronJobs in every round (cronjob_jobtracker_cached_pods): %s\n", metOrNot(s.CachedPodsOK))
		fmt.Fprintf(w, "memory at size: %s\n", verdict)
		if len(s.Variants) > 0 {
			var floorWakeups []float64
			for _, m := range res.Measurements {
				if m.Program == ProgramFloor && m.Phase == PhaseWithForeign {
					floorWakeups = append(floorWakeups, m.WakeupsPerSecond)
				}
			}
			fmt.Fprintf(w, "\nvariants with foreign pods, medians against the floor's %.1f m, %s MiB and %.1f wake-ups/s (all its windows of those rounds; not part of the verdict):\n",
				s.FloorCPU, mib(s.FloorRSSMedian), medianFloat(floorWakeups))
			fmt.Fprintf(w, "%-*s %7s %8s %6s %10s %6s %10s %9s  %s\n", progWidth, "variant", "windows", "CPU (m)", "ratio", "RSS (MiB)", "ratio", "wake-ups/s", "API reqs", "flags and environment")
			for _, v := range s.Variants {
				var how []string
				for _, c := range res.Config.Variants {
					if c.Name == v.Name {
						how = append(slices.Clone(c.Env), c.Args...)
					}
				}
				fmt.Fprintf(w, "%-*s %7d %8.1f %6.2f %10s %6.2f %10.1f %9.0f  %s\n", progWidth, v.Name, v.Windows, v.CPUMillicoresMedian, v.CPURatio,
					mib(v.RSSMedianBytes), v.RSSRatio, v.WakeupsPerSecondMedian, v.APIRequestsMedian, strings.Join(how, " "))
			}
		}
	}
	if res.Incomplete != "" {
		fmt.Fprintf(w, "\nINCOMPLETE: %s\n", res.Incomplete)
	}
}

// WriteMemoryJSON writes res to dir/memory.json.
func WriteMemoryJSON(dir string, res *MemoryResults) (string, error) {
	return writeJSON(dir, "memory.json", res)
}
