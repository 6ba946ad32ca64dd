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

// Command cachefloor is the floor of the memory benchmark (docs/benchmarks.md,
// "Memory at size"): the least a program must hold to cache what steadycron
// caches. It runs the same three informers as steadycron's leader, with the
// same client settings and transforms, and nothing else: a shared informer
// factory's CronJob and Job informers (caches.NewSharedInformerFactory, as
// pkg/app's runControllers: Jobs without their managedFields), and the
// job tracker's pod informer (jobtracker.NewPodInformer: pods of CronJobs'
// Jobs, stripped), started once Jobs have synced, as the tracker does. No
// handlers, indexers, work queues, metrics or API writes. It serves /readyz
// (200 once every informer has synced) and the Go profiler's /debug/pprof/ on
// -address, and runs until SIGTERM.
// It is a benchmark tool, never shipped.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/pkg/caches"
	"github.com/steadycron/steadycron/pkg/controller/jobtracker"
)

func main() {
	var (
		kubeconfig = flag.String("kubeconfig", "", "kubeconfig of the cluster to cache")
		address    = flag.String("address", "127.0.0.1:0", "host:port of /readyz")
		resync     = flag.Duration("resync", 12*time.Hour, "informer resync period (steadycron's --min-resync-period default)")
	)
	klog.InitFlags(nil)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *kubeconfig, *address, *resync); err != nil {
		fmt.Fprintln(os.Stderr, "cachefloor:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, kubeconfig, address string, resync time.Duration) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return fmt.Errorf("loading %s: %w", kubeconfig, err)
	}
	// steadycron's client defaults (pkg/app/options.go): protobuf, and a
	// rate limit that informers' few requests never reach.
	cfg.ContentType = "application/vnd.kubernetes.protobuf"
	cfg.QPS, cfg.Burst = 500, 1000
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("building the client: %w", err)
	}

	var ready atomic.Bool
	l, err := net.Listen("tcp", address)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", address, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if !ready.Load() {
			http.Error(w, "informers have not synced yet", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	// The profiles memorybench -profile takes of steadycron, of the floor too
	// (component-base serves the same handlers in steadycron).
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: mux}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			klog.ErrorS(err, "Serving /readyz")
		}
	}()
	defer func() { _ = srv.Close() }()
	klog.InfoS("Serving /readyz", "address", l.Addr().String())

	begin := time.Now()
	factory := caches.NewSharedInformerFactory(client, resync)
	jobs := factory.Batch().V1().Jobs()
	cronJobs := factory.Batch().V1().CronJobs()
	jobs.Informer()
	cronJobs.Informer()
	pods := jobtracker.NewPodInformer(client, jobs.Lister(), resync)
	factory.Start(ctx.Done())
	defer factory.Shutdown()
	if !cache.WaitForCacheSync(ctx.Done(), jobs.Informer().HasSynced, cronJobs.Informer().HasSynced) {
		return ctx.Err()
	}
	done := make(chan struct{})
	go func() { defer close(done); pods.RunWithContext(ctx) }()
	if !cache.WaitForCacheSync(ctx.Done(), pods.HasSynced) {
		<-done
		return ctx.Err()
	}
	ready.Store(true)
	klog.InfoS("Informers synced", "took", time.Since(begin).Round(time.Millisecond),
		"cronJobs", len(cronJobs.Informer().GetStore().ListKeys()), "jobs", len(jobs.Informer().GetStore().ListKeys()),
		"pods", len(pods.GetStore().ListKeys()))
	<-ctx.Done()
	<-done
	return nil
}
