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

package framework

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// Main is a suite's TestMain: it brings the cluster up once, stores it in
// *cluster, runs the tests and tears everything down, also on SIGINT/SIGTERM
// and shortly before go test's -timeout would kill the binary. It exits the
// process with the tests' status.
//
//	var cluster *framework.Cluster
//	func TestMain(m *testing.M) { framework.Main(m, "dropin", &cluster) }
func Main(m *testing.M, suite string, cluster **Cluster) {
	os.Exit(runMain(m, suite, cluster))
}

func runMain(m *testing.M, suite string, cluster **Cluster) int {
	flag.Parse()
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		return m.Run() // listing tests needs no cluster
	}
	opts, err := OptionsFromEnv(suite)
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newCluster(opts)
	stopped := make(chan struct{})
	teardown := func(why string) {
		fmt.Fprintf(os.Stderr, "e2e: %s: stopping the cluster; artifacts in %s\n", why, opts.ArtifactsDir)
		cancel()
		c.Stop()
	}

	// Ctrl-C or a kill: stop in order, then leave with the signal's status.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			go func() { // a second signal kills at once
				<-sigs
				killAll()
				os.Exit(130)
			}()
			teardown("got " + s.String())
			killAll()
			os.Exit(130)
		case <-stopped:
		}
	}()
	defer close(stopped)
	defer signal.Stop(sigs)

	// go test -timeout panics and exits without running any cleanup; stop the
	// cluster a little earlier so that its logs are complete. (The children
	// die with the binary anyway: see Pdeathsig in process.go.)
	if d := testTimeout(); d > 0 {
		margin := min(30*time.Second, d/10)
		timer := time.AfterFunc(d-margin, func() { teardown(fmt.Sprintf("test timeout %s is %s away", d, margin)) })
		defer timer.Stop()
	}

	fmt.Fprintf(os.Stderr, "e2e: artifacts in %s\n", opts.ArtifactsDir)
	defer c.Stop()
	if err := c.start(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: starting the cluster: %v\ne2e: logs in %s/logs\n", err, opts.ArtifactsDir)
		return 1
	}
	*cluster = c

	code := m.Run()
	c.Stop()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "e2e: FAILED; process logs in %s/logs, failed tests' objects and events in %s/tests\n", c.ArtifactsDir, c.ArtifactsDir)
	} else {
		fmt.Fprintf(os.Stderr, "e2e: artifacts in %s\n", c.ArtifactsDir)
	}
	return code
}

// testTimeout is the -test.timeout in effect, or 0.
func testTimeout() time.Duration {
	f := flag.Lookup("test.timeout")
	if f == nil {
		return 0
	}
	if g, ok := f.Value.(flag.Getter); ok {
		if d, ok := g.Get().(time.Duration); ok {
			return d
		}
	}
	return 0
}
