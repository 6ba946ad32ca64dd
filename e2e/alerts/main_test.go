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

// Package alerts is the e2e suite of the default alerts: a real Prometheus
// (Debian's binary) scrapes steadycron on the local control plane and
// evaluates the rule groups of deploy/monitoring/prometheusrule.yaml, and
// the alerts are driven end to end and checked through Prometheus' HTTP API
// (all but SteadycronJobOverlapped and the firing of
// SteadycronLeaderNotScraped, which only the rule unit tests drive);
// then every query of the Grafana dashboard is run against the same
// Prometheus. See TestAlerts for the scenarios and what is substituted.
package alerts

import (
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

var cluster *framework.Cluster

func TestMain(m *testing.M) {
	framework.Main(m, "alerts", &cluster)
}
