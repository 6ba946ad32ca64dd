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

// Command kubectl-cronjob is a kubectl plugin: kubectl cronjob status, why,
// next, run and lint.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	_ "time/tzdata" // time zones as the controller loads them, without a zoneinfo on the host

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/steadycron/steadycron/pkg/plugin"
)

func main() {
	cmd := plugin.NewCommand(plugin.NewOptions(genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		stop()
		os.Exit(1) //nolint:gocritic // stop ran
	}
}
