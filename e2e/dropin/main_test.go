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
