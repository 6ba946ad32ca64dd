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

// Command localcluster runs the e2e framework's local control plane with
// steadycron (what `make run` starts), a Prometheus that scrapes it with the
// shipped alert rules (unless -prometheus=false), applies the example
// CronJobs, prints how to reach it, and tears everything down on Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"k8s.io/klog/v2"

	"github.com/steadycron/steadycron/e2e/framework"
)

func main() {
	klog.InitFlags(nil)
	examples := flag.String("examples", "examples", "directory of manifests (*.yaml) to apply once the cluster is up; empty for none")
	namespace := flag.String("namespace", "default", "namespace for manifests that name none")
	prometheus := flag.Bool("prometheus", true, "also start Prometheus (Debian's prometheus binary, or "+framework.EnvPrometheus+
		"), scraping steadycron every 5s with the rules of "+framework.PrometheusRuleFile)
	prometheusAddr := flag.String("prometheus-address", "", "host:port of Prometheus' web UI and API (default: a free loopback port)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var promOpts *framework.PrometheusOptions
	if *prometheus {
		promOpts = &framework.PrometheusOptions{ScrapeInterval: 5 * time.Second, EvaluationInterval: 5 * time.Second, ListenAddress: *prometheusAddr}
	}
	if err := run(ctx, *examples, *namespace, promOpts); err != nil {
		klog.ErrorS(err, "localcluster")
		klog.FlushAndExit(klog.ExitFlushTimeout, 1)
	}
}

func run(ctx context.Context, examples, namespace string, promOpts *framework.PrometheusOptions) error {
	opts, err := framework.OptionsFromEnv("local")
	if err != nil {
		return err
	}
	if opts.Kubeconfig != "" {
		return fmt.Errorf("%s is set: localcluster starts its own cluster; unset it", framework.EnvKubeconfig)
	}
	c, err := framework.Start(ctx, opts)
	defer c.Stop()
	if err != nil {
		return fmt.Errorf("starting the local cluster (logs in %s): %w", filepath.Join(opts.ArtifactsDir, "logs"), err)
	}

	promInfo, promTry := "  prometheus:   off (-prometheus=false)\n", ""
	if promOpts != nil {
		p, err := c.StartPrometheus(ctx, *promOpts)
		if err != nil {
			return fmt.Errorf("starting Prometheus (logs in %s; -prometheus=false runs without it): %w", filepath.Join(opts.ArtifactsDir, "logs"), err)
		}
		promInfo = fmt.Sprintf("  prometheus:   %s  (alerts: %s/alerts; rules of %s, scrape and evaluation every %s)\n",
			p.URL(), p.URL(), framework.PrometheusRuleFile, promOpts.ScrapeInterval)
		promTry = fmt.Sprintf("  curl -s %s/api/v1/alerts\n", p.URL())
	}

	var applied []string
	if examples != "" {
		if applied, err = applyExamples(ctx, c, examples, namespace); err != nil {
			return err
		}
	}

	kc := c.Kubeconfig
	kubectl := filepath.Join(opts.BinDir, "kubectl")
	fmt.Printf(`
Local cluster is up: etcd, kube-apiserver, kube-controller-manager (without its CronJob
controller), kube-scheduler, kwok (%d fake nodes, %s to %s) and steadycron.

  kubeconfig:   %s
  metrics:      %s
  health:       %s  %s
%s  logs:         %s

Applied: %v

Try:
  export KUBECONFIG=%s
  %s get cronjobs,jobs,pods -A
  %s get events -n %s --sort-by=.lastTimestamp
  curl -s %s | grep ^cronjob_
%s  tail -f %s

Pods do not run anything: kwok moves them Pending -> Running -> Succeeded, steered by the
e2e.steadycron.io/{pending-for,run-for,exit-code} annotations on the pod template.
Ctrl-C stops everything.
`, framework.FakeNodes, framework.FakeNodeName(0), framework.FakeNodeName(framework.FakeNodes-1), kc, c.Steadycron().URL("/metrics"), c.Steadycron().URL("/healthz"), c.Steadycron().URL("/readyz"),
		promInfo, filepath.Join(c.ArtifactsDir, "logs"), applied, kc, kubectl, kubectl, namespace,
		c.Steadycron().URL("/metrics"), promTry, c.Steadycron().LogPath())

	<-ctx.Done()
	fmt.Println("\nStopping the local cluster...")
	return nil
}

// applyExamples applies every *.yaml in dir, unchanged: kube-scheduler places
// their pods on kwok's nodes.
func applyExamples(ctx context.Context, c *framework.Cluster, dir, namespace string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	sort.Strings(files)
	var names []string
	for _, f := range files {
		objs, err := framework.ReadObjects(f)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			names = append(names, o.GetKind()+"/"+o.GetName())
		}
		if err := c.Apply(ctx, namespace, objs); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return names, nil
}
