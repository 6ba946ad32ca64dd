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
	"time"
)

// Which steadycron instance leads, as each one's own
// leader_election_master_status gauge says.

// SteadycronInstances returns every steadycron instance made with the
// cluster or with NewSteadycron, running or not.
func (c *Cluster) SteadycronInstances() []*Steadycron {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*Steadycron(nil), c.steadycrons...)
}

// errNoLeader is returned by SteadycronLeader while no instance leads.
var errNoLeader = errors.New("no running steadycron instance leads")

// SteadycronLeader returns the running instance that leads, as its own
// leader_election_master_status gauge says.
func (c *Cluster) SteadycronLeader(ctx context.Context) (*Steadycron, error) {
	for _, s := range c.SteadycronInstances() {
		if !s.Running() {
			continue
		}
		leading, err := s.Leading(ctx)
		if err != nil {
			return nil, err
		}
		if leading {
			return s, nil
		}
	}
	return nil, errNoLeader
}

// WaitSteadycronLeader waits until a running instance leads and returns it.
func (c *Cluster) WaitSteadycronLeader(ctx context.Context, timeout time.Duration) (*Steadycron, error) {
	var leader *Steadycron
	err := WaitFor(ctx, "a steadycron instance to lead", timeout, func(ctx context.Context) (bool, error) {
		var err error
		leader, err = c.SteadycronLeader(ctx)
		return err == nil, nil
	})
	return leader, err
}

// Leading reports whether this instance holds the lease, from the
// leader_election_master_status gauge of client-go's leader election.
func (s *Steadycron) Leading(ctx context.Context) (bool, error) {
	families, err := s.Metrics(ctx)
	if err != nil {
		return false, err
	}
	for _, m := range families["leader_election_master_status"].GetMetric() {
		if m.GetGauge().GetValue() == 1 {
			return true, nil
		}
	}
	return false, nil
}
