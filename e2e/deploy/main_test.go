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

// Package deploy applies the manifests of deploy/ to a real API server, so
// that the server's own validation, defaulting and admission (RBAC
// escalation checks, Pod Security) judge them, not only our static checks
// (deploy/validate). Objects whose API is not served, such as the Prometheus
// Operator's ServiceMonitor and PrometheusRule on a bare control plane, are
// reported and skipped. Nothing here waits for a minute mark.
package deploy

import (
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

var cluster *framework.Cluster

func TestMain(m *testing.M) {
	framework.Main(m, "deploy", &cluster)
}
