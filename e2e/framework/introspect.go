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
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// Introspection of a local cluster's processes, for the benchmark
// (bench/): process ids (to read /proc) and kube-controller-manager's
// /metrics. None of it is available on an external cluster.

// PID returns the process id of a running control-plane component of a
// local cluster: "etcd", "kube-apiserver", "kube-controller-manager" or
// "kwok".
func (c *Cluster) PID(name string) (int, error) {
	if c.cp == nil {
		return 0, ErrExternalCluster
	}
	c.cp.mu.Lock()
	defer c.cp.mu.Unlock()
	for _, p := range c.cp.procs {
		if p.name != name {
			continue
		}
		if ok, _ := p.exited(); ok {
			return 0, fmt.Errorf("%s has exited", name)
		}
		return p.pid(), nil
	}
	return 0, fmt.Errorf("no process %q in the control plane", name)
}

// PID returns the process id of the running instance.
func (s *Steadycron) PID() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0, fmt.Errorf("%s was never started", s.Name)
	}
	if ok, _ := s.proc.exited(); ok {
		return 0, fmt.Errorf("%s has exited", s.Name)
	}
	return s.proc.pid(), nil
}

// KCMMetrics scrapes kube-controller-manager's /metrics (on its secure port,
// as the admin identity) and parses it.
func (c *Cluster) KCMMetrics(ctx context.Context) (map[string]*dto.MetricFamily, error) {
	if c.cp == nil {
		return nil, ErrExternalCluster
	}
	url := strings.TrimSuffix(c.cp.kcmHealth, "/healthz") + "/metrics"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("building the kcm metrics request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Config.BearerToken)
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback, self-signed
	}}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scraping %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scraping %s: %s: %s", url, resp.Status, body)
	}
	return ParseMetrics(body)
}
