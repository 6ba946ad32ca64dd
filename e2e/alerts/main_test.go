// Package alerts is the e2e suite of the default alerts: a real Prometheus
// (Debian's binary) scrapes steadycron on the local control plane and
// evaluates the rule groups of deploy/monitoring/prometheusrule.yaml, and
// each alert is driven end to end and checked through Prometheus' HTTP API;
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
