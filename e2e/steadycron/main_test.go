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

// Package steadycron is the e2e suite for what steadycron adds to the stock
// controller: the expected-start and first-running annotations, the Job
// lifecycle metrics of the job tracker, and the scheduling-decision metrics.
//
// The cluster comes up once for the package; every test has a namespace of
// its own and runs in parallel with the others.
package steadycron

import (
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

var cluster *framework.Cluster

func TestMain(m *testing.M) {
	framework.Main(m, "steadycron", &cluster)
}
