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
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
	authenticationv1 "k8s.io/api/authentication/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

const (
	// SteadycronNamespace, SteadycronServiceAccount and SteadycronLease are
	// where deploy/rbac puts steadycron's identity and leader lease.
	SteadycronNamespace      = "kube-system"
	SteadycronServiceAccount = "steadycron"
	SteadycronLease          = "steadycron"

	steadycronBinary = "cronjob-controller"
	fieldManager     = "steadycron-e2e"
)

// Steadycron is one cronjob-controller process of a local cluster. It runs as
// the steadycron ServiceAccount with exactly the RBAC of deploy/rbac, leader
// elected on its Lease, and serves /metrics, /healthz and /readyz over plain
// HTTP on a loopback port. Stop and Start may be called repeatedly (negative
// control, failover); the log file keeps every run.
type Steadycron struct {
	Name       string
	kubeconfig string
	bin        string
	logPath    string
	args       []string
	addr       string
	// env is added to the process's environment (SetEnv).
	env []string

	mu        sync.Mutex
	proc      *process
	startedAt time.Time
}

// setupSteadycronIdentity applies deploy/rbac, issues a token for the
// steadycron ServiceAccount with the TokenRequest API and writes a kubeconfig
// with it.
func (c *Cluster) setupSteadycronIdentity(ctx context.Context) (string, error) {
	if err := applyKustomizeDir(ctx, c.Config, filepath.Join(c.opts.RepoRoot, "deploy", "rbac")); err != nil {
		return "", err
	}
	tr, err := c.Client.CoreV1().ServiceAccounts(SteadycronNamespace).CreateToken(ctx, SteadycronServiceAccount,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](48 * 3600)}},
		metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("requesting a token for %s/%s: %w", SteadycronNamespace, SteadycronServiceAccount, err)
	}
	path := filepath.Join(c.ArtifactsDir, "steadycron.kubeconfig")
	user := "system:serviceaccount:" + SteadycronNamespace + ":" + SteadycronServiceAccount
	if err := writeKubeconfig(path, c.Config.Host, c.Config.CAData, user, tr.Status.Token); err != nil {
		return "", err
	}
	return path, nil
}

// NewSteadycron prepares (does not start) a steadycron instance with its own
// name, metrics port and log file. extraArgs are added to the command line.
func (c *Cluster) NewSteadycron(name string, extraArgs ...string) (*Steadycron, error) {
	if c.cp == nil {
		return nil, errors.New("steadycron processes exist only on a local cluster, not with " + EnvKubeconfig)
	}
	ports, err := freePorts(1)
	if err != nil {
		return nil, err
	}
	s := &Steadycron{
		Name:       name,
		kubeconfig: c.steadycronKubeconfig,
		bin:        filepath.Join(c.opts.BinDir, steadycronBinary),
		logPath:    c.cp.logPath(name),
		addr:       "127.0.0.1:" + strconv.Itoa(ports[0]),
	}
	s.args = append([]string{
		"--kubeconfig=" + s.kubeconfig,
		"--leader-elect=true",
		"--leader-elect-resource-namespace=" + SteadycronNamespace,
		"--leader-elect-resource-name=" + SteadycronLease,
		"--secure-port=0",
		"--insecure-serving-address=" + s.addr,
		"--v=2",
	}, c.opts.SteadycronArgs...)
	s.args = append(s.args, extraArgs...)
	c.mu.Lock()
	c.steadycrons = append(c.steadycrons, s)
	prom, all := c.prometheus, append([]*Steadycron(nil), c.steadycrons...)
	c.mu.Unlock()
	if prom != nil {
		if err := prom.writeTargets(all); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// SetEnv sets variables ("KEY=value") that every later Start adds to the
// environment the process inherits (GOGC, GODEBUG, ...).
func (s *Steadycron) SetEnv(env ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.env = slices.Clone(env)
}

// LogPath is the file that receives the process's output.
func (s *Steadycron) LogPath() string { return s.logPath }

// URL returns the plain-HTTP URL of path (e.g. "/metrics") on this instance.
func (s *Steadycron) URL(path string) string { return "http://" + s.addr + path }

// Running reports whether the process is up.
func (s *Steadycron) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return false
	}
	ok, _ := s.proc.exited()
	return !ok
}

// Start starts the process and waits for /healthz and /readyz. It does not
// wait for leadership; see WaitLeading. extraArgs are added to the command
// line of this run only (a later Start without them runs the instance as it
// was prepared).
func (s *Steadycron) Start(ctx context.Context, extraArgs ...string) error {
	s.mu.Lock()
	if s.proc != nil {
		if ok, _ := s.proc.exited(); !ok {
			s.mu.Unlock()
			return fmt.Errorf("%s is already running (pid %d)", s.Name, s.proc.pid())
		}
	}
	args := append(slices.Clip(s.args), extraArgs...)
	p, err := startProcess(s.Name, s.logPath, s.env, s.bin, args...)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	s.proc, s.startedAt = p, time.Now()
	s.mu.Unlock()

	if err := waitHTTP(ctx, p, s.Name+" /healthz", s.URL("/healthz"), nil, ""); err != nil {
		return err
	}
	return waitHTTP(ctx, p, s.Name+" /readyz", s.URL("/readyz"), nil, "")
}

// Stop sends SIGTERM and waits for the process to exit (SIGKILL after a grace
// period). Stopping a stopped instance does nothing.
func (s *Steadycron) Stop() error {
	s.mu.Lock()
	p := s.proc
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	return p.stop(stopGrace)
}

// Kill sends SIGKILL, as a crash would: the Lease is not released.
func (s *Steadycron) Kill() error {
	s.mu.Lock()
	p := s.proc
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	return p.kill()
}

// WaitLeading waits until steadycron's Lease is held and was renewed after
// this instance started: with one instance running, that instance leads.
func (s *Steadycron) WaitLeading(ctx context.Context, c *Cluster, timeout time.Duration) error {
	s.mu.Lock()
	p, started := s.proc, s.startedAt
	s.mu.Unlock()
	if p == nil {
		return fmt.Errorf("%s was never started", s.Name)
	}
	return poll(ctx, s.Name+" to hold Lease "+SteadycronNamespace+"/"+SteadycronLease, timeout, p, func(ctx context.Context) (bool, error) {
		lease, err := c.Client.CoordinationV1().Leases(SteadycronNamespace).Get(ctx, SteadycronLease, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("reading the lease: %w", err)
		}
		return leaseRenewedSince(lease, started), nil
	})
}

func leaseRenewedSince(lease *coordinationv1.Lease, t time.Time) bool {
	spec := lease.Spec
	if spec.HolderIdentity == nil || *spec.HolderIdentity == "" || spec.RenewTime == nil {
		return false
	}
	// MicroTime has microsecond precision; allow for the truncation.
	return !spec.RenewTime.Time.Before(t.Add(-time.Millisecond))
}

// Metrics scrapes /metrics and parses the Prometheus text format.
func (s *Steadycron) Metrics(ctx context.Context) (map[string]*dto.MetricFamily, error) {
	return scrapeMetrics(ctx, &http.Client{Timeout: 10 * time.Second}, s.URL("/metrics"), "")
}
