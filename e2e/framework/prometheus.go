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

package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"k8s.io/klog/v2"
	"sigs.k8s.io/yaml"
)

const (
	// EnvPrometheus names the prometheus binary; default: prometheus on
	// PATH (Debian's prometheus package, which scripts/e2e.sh and
	// scripts/run-local.sh install when missing and running as root).
	EnvPrometheus = "E2E_PROMETHEUS"

	// PrometheusJob is the scrape job of the steadycron instances: the
	// shipped rules select job="steadycron", which is the Service's name
	// under the ServiceMonitor of deploy/monitoring.
	PrometheusJob = "steadycron"

	// PrometheusRuleFile is the PrometheusRule whose rule groups the
	// framework's Prometheus evaluates, relative to the repository root.
	PrometheusRuleFile = "deploy/monitoring/prometheusrule.yaml"
)

// PrometheusOptions says how the framework's Prometheus scrapes and
// evaluates.
type PrometheusOptions struct {
	// ScrapeInterval and EvaluationInterval default to 2s: the e2e waits for
	// alerts, and short intervals keep those waits short. Neither appears in
	// the shipped rules.
	ScrapeInterval     time.Duration
	EvaluationInterval time.Duration
	// For, when non-zero, replaces the `for:` of every rule that has one,
	// and nothing else: the expressions, windows, labels and annotations
	// are the shipped ones verbatim. The shipped `for:` values are checked by
	// the promtool rule unit tests (deploy/monitoring/tests).
	For time.Duration
	// ListenAddress is host:port for Prometheus' web API; default a free
	// loopback port.
	ListenAddress string
}

// Prometheus is a Prometheus server (Debian's prometheus binary) started by
// the framework. It scrapes every steadycron instance of the cluster as job
// "steadycron" over plain HTTP (also instances made later with
// NewSteadycron, and stopped ones, which then count as down), with
// honor_labels as the ServiceMonitor has it, and evaluates the rule groups of
// deploy/monitoring/prometheusrule.yaml.
type Prometheus struct {
	addr        string
	dir         string
	targetsFile string
	proc        *process
	api         promv1.API
	mu          sync.Mutex
}

// StartPrometheus starts Prometheus for this local cluster and waits until
// it is ready; Stop stops it with the cluster.
func (c *Cluster) StartPrometheus(ctx context.Context, o PrometheusOptions) (*Prometheus, error) {
	if c.cp == nil {
		return nil, ErrExternalCluster
	}
	bin := os.Getenv(EnvPrometheus)
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("prometheus"); err != nil {
			return nil, fmt.Errorf("prometheus not found (%w): install Debian's prometheus package "+
				"(apt-get install --no-install-recommends prometheus; scripts/e2e.sh does as root) or set %s", err, EnvPrometheus)
		}
	}
	if o.ScrapeInterval == 0 {
		o.ScrapeInterval = 2 * time.Second
	}
	if o.EvaluationInterval == 0 {
		o.EvaluationInterval = 2 * time.Second
	}
	if o.ListenAddress == "" {
		ports, err := freePorts(1)
		if err != nil {
			return nil, err
		}
		o.ListenAddress = "127.0.0.1:" + strconv.Itoa(ports[0])
	}
	p := &Prometheus{addr: o.ListenAddress, dir: filepath.Join(c.ArtifactsDir, "prometheus")}
	p.targetsFile = filepath.Join(p.dir, "targets.json")
	if err := os.MkdirAll(filepath.Join(p.dir, "data"), 0o755); err != nil {
		return nil, fmt.Errorf("creating Prometheus' dir: %w", err)
	}
	rules, err := PrometheusRuleGroups(filepath.Join(c.opts.RepoRoot, PrometheusRuleFile), o.For)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(p.dir, "rules.yaml"), rules, 0o644); err != nil {
		return nil, fmt.Errorf("writing Prometheus' rules: %w", err)
	}
	if err := p.writeTargets(c.SteadycronInstances()); err != nil {
		return nil, err
	}
	config := fmt.Sprintf(`# Written by the e2e framework (e2e/framework/prometheus.go).
global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
  evaluation_interval: %[2]s
rule_files: [rules.yaml]
scrape_configs:
  - job_name: %[3]s
    honor_labels: true
    file_sd_configs:
      - files: [targets.json]
        refresh_interval: 1s
`, model.Duration(o.ScrapeInterval), model.Duration(o.EvaluationInterval), PrometheusJob)
	configPath := filepath.Join(p.dir, "prometheus.yml")
	if err := os.WriteFile(configPath, []byte(config), 0o644); err != nil {
		return nil, fmt.Errorf("writing Prometheus' config: %w", err)
	}

	c.mu.Lock()
	if c.prometheus != nil {
		c.mu.Unlock()
		return nil, errors.New("Prometheus is already running for this cluster")
	}
	c.prometheus = p
	c.mu.Unlock()
	p.proc, err = startProcess("prometheus", c.cp.logPath("prometheus"), nil, bin,
		"--config.file="+configPath,
		"--storage.tsdb.path="+filepath.Join(p.dir, "data"),
		"--storage.tsdb.retention.time=1d",
		"--web.listen-address="+p.addr,
		"--log.level=info",
	)
	if err != nil {
		return nil, err
	}
	client, err := api.NewClient(api.Config{Address: p.URL()})
	if err != nil {
		return nil, fmt.Errorf("building a Prometheus API client: %w", err)
	}
	p.api = promv1.NewAPI(client)
	if err := waitHTTP(ctx, p.proc, "prometheus /-/ready", p.URL()+"/-/ready", nil, ""); err != nil {
		return nil, err
	}
	klog.InfoS("Prometheus ready", "url", p.URL(), "config", configPath)
	return p, nil
}

// Prometheus returns the cluster's Prometheus, or nil if none was started.
func (c *Cluster) Prometheus() *Prometheus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.prometheus
}

// URL is Prometheus' web address, e.g. http://127.0.0.1:PORT.
func (p *Prometheus) URL() string { return "http://" + p.addr }

// API is a client of Prometheus' HTTP API (client_golang's).
func (p *Prometheus) API() promv1.API { return p.api }

// stop stops the process; it is part of Cluster.Stop.
func (p *Prometheus) stop() error {
	if p.proc == nil {
		return nil
	}
	return p.proc.stop(stopGrace)
}

// writeTargets writes the file_sd file: one target per steadycron instance.
// Prometheus watches the file, so instances added later are scraped within
// a second or two.
func (p *Prometheus) writeTargets(instances []*Steadycron) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	targets := make([]string, 0, len(instances))
	for _, s := range instances {
		targets = append(targets, s.addr)
	}
	sort.Strings(targets)
	data, err := json.Marshal([]map[string]any{{"targets": targets}})
	if err != nil {
		return fmt.Errorf("encoding Prometheus' targets: %w", err)
	}
	tmp := p.targetsFile + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing Prometheus' targets: %w", err)
	}
	if err := os.Rename(tmp, p.targetsFile); err != nil {
		return fmt.Errorf("writing Prometheus' targets: %w", err)
	}
	return nil
}

// PrometheusRuleGroups reads a PrometheusRule manifest and returns its spec
// as a Prometheus rule file (`groups:`), which is what the Prometheus
// Operator gives Prometheus. A non-zero forOverride replaces the `for:` of
// every rule that has one; nothing else changes.
func PrometheusRuleGroups(path string, forOverride time.Duration) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var pr struct {
		Kind string `json:"kind"`
		Spec struct {
			Groups []map[string]any `json:"groups"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &pr); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	if pr.Kind != "PrometheusRule" || len(pr.Spec.Groups) == 0 {
		return nil, fmt.Errorf("%s: not a PrometheusRule with rule groups (kind %q, %d groups)", path, pr.Kind, len(pr.Spec.Groups))
	}
	if forOverride > 0 {
		for _, g := range pr.Spec.Groups {
			rules, _ := g["rules"].([]any)
			for _, r := range rules {
				if rule, ok := r.(map[string]any); ok {
					if _, has := rule["for"]; has {
						rule["for"] = model.Duration(forOverride).String()
					}
				}
			}
		}
	}
	out, err := yaml.Marshal(map[string]any{"groups": pr.Spec.Groups})
	if err != nil {
		return nil, fmt.Errorf("encoding the rule groups of %s: %w", path, err)
	}
	return out, nil
}

// Alert is one alert as Prometheus' /api/v1/alerts reports it.
type Alert = promv1.Alert

// Alerts returns the alerts named name (pending or firing) whose labels
// include match.
func (p *Prometheus) Alerts(ctx context.Context, name string, match map[string]string) ([]Alert, error) {
	res, err := p.api.Alerts(ctx)
	if err != nil {
		return nil, fmt.Errorf("GET %s/api/v1/alerts: %w", p.URL(), err)
	}
	var out []Alert
	for _, a := range res.Alerts {
		if string(a.Labels[model.AlertNameLabel]) != name {
			continue
		}
		ok := true
		for k, v := range match {
			if string(a.Labels[model.LabelName(k)]) != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// WaitAlertFiring waits until an alert named name with labels including
// match is firing, and returns it.
func (p *Prometheus) WaitAlertFiring(ctx context.Context, name string, match map[string]string, timeout time.Duration) (Alert, error) {
	var found Alert
	err := poll(ctx, fmt.Sprintf("alert %s %v to fire", name, match), timeout, p.proc, func(ctx context.Context) (bool, error) {
		alerts, err := p.Alerts(ctx, name, match)
		if err != nil {
			return false, err
		}
		for _, a := range alerts {
			if a.State == promv1.AlertStateFiring {
				found = a
				return true, nil
			}
		}
		return false, nil
	})
	return found, err
}

// WaitAlertInactive waits until no alert named name with labels including
// match is pending or firing.
func (p *Prometheus) WaitAlertInactive(ctx context.Context, name string, match map[string]string, timeout time.Duration) error {
	return poll(ctx, fmt.Sprintf("alert %s %v to resolve", name, match), timeout, p.proc, func(ctx context.Context) (bool, error) {
		alerts, err := p.Alerts(ctx, name, match)
		return err == nil && len(alerts) == 0, err
	})
}

// Query evaluates expr at the current time. Warnings are returned as an
// error, as they mean the query is not what it seems.
func (p *Prometheus) Query(ctx context.Context, expr string) (model.Value, error) {
	v, warnings, err := p.api.Query(ctx, expr, time.Now())
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", expr, err)
	}
	if len(warnings) > 0 {
		return v, fmt.Errorf("query %q: warnings: %s", expr, strings.Join(warnings, "; "))
	}
	return v, nil
}
