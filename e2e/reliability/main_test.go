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

// Package reliability is the e2e suite for steadycron's promise: every
// scheduled time runs exactly once through faults. It kills the leading
// replica mid-burst, stops steadycron across many scheduled times, restarts
// kube-apiserver and etcd mid-run, races users' edits and deletions against
// the controller, and feeds it bad input; each test counts lost scheduled
// times, scheduled times run by two Jobs, two unfinished Jobs of a Forbid or
// Replace CronJob at once and Jobs created while no replica held the Lease,
// and records its figures (docs/reliability.md).
//
// The tests inject faults into the one control plane of the package, so the
// fault tests run one at a time; the tests that inject none (bad input,
// conflicts) run in parallel afterwards. Local cluster only.
//
// Environment:
//
//	E2E_RELIABILITY_LONG=true   also the long variants (make reliability): a
//	                            real downtime of several minutes, a larger
//	                            burst on a two-minute schedule
//	E2E_RELIABILITY_N           CronJobs per burst (default 150; long: 500)
//	E2E_RELIABILITY_RUNNING_N   CronJobs per concurrency policy whose Jobs
//	                            keep running, in the failover test with
//	                            Forbid and Replace (default 60; long: 300)
//	E2E_RELIABILITY_KNOWN_BUGS=true  run the cases skipped for a reported
//	                            controller bug (they fail until it is fixed)
package reliability

import (
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

var cluster *framework.Cluster

func TestMain(m *testing.M) {
	framework.Main(m, "reliability", &cluster)
}
