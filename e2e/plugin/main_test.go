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

// Package plugin is the e2e suite of the kubectl plugin kubectl-cronjob: each
// command run through kubectl against the local control plane with
// steadycron, on CronJobs that ran, were skipped by Forbid, missed their
// deadline or were suspended.
//
// The cluster comes up once for the package; every test has a namespace of
// its own and runs in parallel with the others.
package plugin

import (
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

var cluster *framework.Cluster

func TestMain(m *testing.M) {
	framework.Main(m, "plugin", &cluster)
}
