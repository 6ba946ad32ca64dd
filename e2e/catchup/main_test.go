// Package catchup is the e2e suite for what a CronJob does after it missed
// several start times: whatever the spacing of its start times, the most
// recent one is run at once (patches/0001).
package catchup

import (
	"testing"

	"github.com/steadycron/steadycron/e2e/framework"
)

var cluster *framework.Cluster

func TestMain(m *testing.M) {
	framework.Main(m, "catchup", &cluster)
}
