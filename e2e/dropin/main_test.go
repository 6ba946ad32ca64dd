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

// Package dropin is the drop-in parity suite: the behaviours upstream's
// CronJob e2e tests (test/e2e/apps/cronjob.go) check, run against steadycron
// in place of kube-controller-manager's CronJob controller, plus a negative
// control showing that kcm's own controller is really off.
//
// The cluster comes up once for the package. Every test has a namespace of
// its own and runs in parallel with the others (pass -parallel to go test,
// as scripts/e2e.sh does), except the negative control, which stops
// steadycron and so runs first, alone.
package dropin

import (
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

var cluster *framework.Cluster

func TestMain(m *testing.M) {
	framework.Main(m, "dropin", &cluster)
}
