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
