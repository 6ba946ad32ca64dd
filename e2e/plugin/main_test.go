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
