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
	"fmt"

	"k8s.io/klog/v2"
)

// Fault injection on a local cluster: stopping and starting control-plane
// components on the same ports and data. None of it is available on an
// external cluster.

// Components of the local control plane, by the names StopComponent and
// StartComponent take.
const (
	ComponentEtcd      = "etcd"
	ComponentAPIServer = "kube-apiserver"
	ComponentKCM       = "kube-controller-manager"
	ComponentScheduler = "kube-scheduler"
	ComponentKwok      = "kwok"
)

// StopComponent stops a control-plane component: with kill, SIGKILL to its
// process group (a crash); otherwise SIGTERM, then SIGKILL after a grace
// period. etcd's data directory is kept. Stopping a stopped component does
// nothing.
func (c *Cluster) StopComponent(name string, kill bool) error {
	if c.cp == nil {
		return ErrExternalCluster
	}
	p, _, err := c.cp.component(name)
	if err != nil {
		return err
	}
	if kill {
		err = p.kill()
	} else {
		err = p.stop(stopGrace)
	}
	if err != nil {
		return fmt.Errorf("stopping %s: %w", name, err)
	}
	klog.InfoS("Stopped component", "name", name, "kill", kill)
	return nil
}

// StartComponent starts a stopped control-plane component again with the
// same command line (ports, certificates, etcd's data directory) and waits
// until it serves: etcd /health, kube-apiserver /readyz, kcm and
// kube-scheduler /healthz; kwok is only started.
func (c *Cluster) StartComponent(ctx context.Context, name string) error {
	if c.cp == nil {
		return ErrExternalCluster
	}
	old, i, err := c.cp.component(name)
	if err != nil {
		return err
	}
	p, err := old.relaunch()
	if err != nil {
		return fmt.Errorf("starting %s again: %w", name, err)
	}
	c.cp.mu.Lock()
	c.cp.procs[i] = p
	ready := c.cp.ready[name]
	c.cp.mu.Unlock()
	if ready != nil {
		if err := ready(ctx, p); err != nil {
			return err
		}
	}
	klog.InfoS("Started component again", "name", name, "pid", p.pid())
	return nil
}

// component returns the process of a control-plane component and its index.
func (cp *controlPlane) component(name string) (*process, int, error) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	for i, p := range cp.procs {
		if p.name == name {
			return p, i, nil
		}
	}
	return nil, 0, fmt.Errorf("no component %q in the control plane", name)
}
