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
