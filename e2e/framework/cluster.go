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

// Package framework runs steadycron's e2e suites against a real control
// plane: either one it starts on loopback as processes (etcd, kube-apiserver,
// kube-controller-manager without its CronJob controller, kube-scheduler,
// kwok with FakeNodes fake nodes, and steadycron under its least-privilege
// ServiceAccount), or any
// cluster named by E2E_KUBECONFIG, in which case it starts nothing.
package framework

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

// Cluster is the cluster a suite runs against.
type Cluster struct {
	// Config and Client act as cluster admin.
	Config *rest.Config
	Client kubernetes.Interface
	// Kubeconfig is the admin kubeconfig's path.
	Kubeconfig string
	// ArtifactsDir has the process logs (logs/), the kubeconfigs, and a
	// directory per failed test with its namespace's objects and events.
	ArtifactsDir string

	opts                 Options
	cp                   *controlPlane // nil with E2E_KUBECONFIG
	steadycronKubeconfig string

	mu          sync.Mutex
	steadycrons []*Steadycron
	steadycron  *Steadycron // the instance started with the cluster
	prometheus  *Prometheus // started by StartPrometheus, or nil
	stopOnce    sync.Once
}

// EtcdEndpoint is the client URL of the local control plane's etcd, or ""
// with E2E_KUBECONFIG. Tests write to it only to create what the API server
// would refuse (objects from before a validation existed).
func (c *Cluster) EtcdEndpoint() string {
	if c.cp == nil {
		return ""
	}
	return c.cp.etcdURL
}

// Local reports whether the framework runs the control plane itself (and so
// can stop steadycron, scrape it, and rely on kwok's pod annotations).
func (c *Cluster) Local() bool { return c.cp != nil }

// RequireLocal skips t unless the cluster is the local control plane the
// framework started (not E2E_KUBECONFIG's); why says what t does that only
// the local one allows, e.g. "stops steadycron".
func (c *Cluster) RequireLocal(t testing.TB, why string) {
	t.Helper()
	if !c.Local() {
		t.Skip(why + ": local cluster only")
	}
}

// RepoRoot is the root of the steadycron repository (for the manifests and
// dashboards a test reads).
func (c *Cluster) RepoRoot() string { return c.opts.RepoRoot }

// RealContainers reports whether test pods are real containers that a real
// scheduler, kubelet and container runtime run (an external cluster such as
// kind's, without E2E_FAKE_NODE) rather than pods kwok pretends to run.
func (c *Cluster) RealContainers() bool { return !c.opts.Kwok }

// Steadycron returns the instance started with the cluster, or nil on an
// external cluster.
func (c *Cluster) Steadycron() *Steadycron { return c.steadycron }

// Start brings up the cluster described by opts. On error it returns the
// partly started cluster too, so that the caller can Stop it.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	c := newCluster(opts)
	return c, c.start(ctx)
}

func newCluster(opts Options) *Cluster {
	return &Cluster{opts: opts, ArtifactsDir: opts.ArtifactsDir}
}

func (c *Cluster) start(ctx context.Context) error {
	if err := os.MkdirAll(c.ArtifactsDir, 0o755); err != nil {
		return fmt.Errorf("creating the artifacts dir: %w", err)
	}
	if c.opts.Kubeconfig != "" {
		return c.useExternal(c.opts.Kubeconfig)
	}
	return c.startLocal(ctx)
}

func (c *Cluster) useExternal(kubeconfig string) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return fmt.Errorf("loading %s=%s: %w", EnvKubeconfig, kubeconfig, err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("building a client for %s: %w", kubeconfig, err)
	}
	if _, err := client.Discovery().ServerVersion(); err != nil {
		return fmt.Errorf("reaching the cluster of %s: %w", kubeconfig, err)
	}
	c.Config, c.Client, c.Kubeconfig = cfg, client, kubeconfig
	klog.InfoS("Using an existing cluster; starting nothing", "kubeconfig", kubeconfig)
	return nil
}

func (c *Cluster) startLocal(ctx context.Context) error {
	begin := time.Now()
	cp := &controlPlane{opts: c.opts, dir: c.ArtifactsDir}
	c.mu.Lock()
	c.cp = cp
	c.mu.Unlock()
	cfg, err := cp.start(ctx)
	if err != nil {
		return err
	}
	c.Config, c.Kubeconfig = cfg, c.cp.adminCfg
	if c.Client, err = kubernetes.NewForConfig(cfg); err != nil {
		return fmt.Errorf("building the admin client: %w", err)
	}
	klog.InfoS("Control plane ready", "took", time.Since(begin).Round(time.Millisecond), "kubeconfig", c.Kubeconfig)

	if c.steadycronKubeconfig, err = c.setupSteadycronIdentity(ctx); err != nil {
		return err
	}
	if !c.opts.StartSteadycron {
		return nil
	}
	if c.steadycron, err = c.NewSteadycron(steadycronBinary); err != nil {
		return err
	}
	if err := c.steadycron.Start(ctx); err != nil {
		return err
	}
	if err := c.steadycron.WaitLeading(ctx, c, startTimeout); err != nil {
		return err
	}
	klog.InfoS("Cluster ready", "took", time.Since(begin).Round(time.Millisecond), "artifacts", c.ArtifactsDir)
	return nil
}

// Stop stops every process the framework started: Prometheus and the
// steadycron instances first, then the control plane in reverse order. It is safe to call more
// than once and from a signal handler.
func (c *Cluster) Stop() {
	c.stopOnce.Do(func() {
		c.mu.Lock()
		scs := append([]*Steadycron(nil), c.steadycrons...)
		cp, prom := c.cp, c.prometheus
		c.mu.Unlock()
		if prom != nil {
			if err := prom.stop(); err != nil {
				klog.ErrorS(err, "Stopping Prometheus")
			}
		}
		for _, s := range scs {
			if err := s.Stop(); err != nil {
				klog.ErrorS(err, "Stopping steadycron", "name", s.Name)
			}
		}
		if cp != nil {
			cp.stop()
		}
	})
}

// ErrExternalCluster is returned by operations that need the local control plane.
var ErrExternalCluster = errors.New("not available on an external cluster (" + EnvKubeconfig + ")")
