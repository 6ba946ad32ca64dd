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

// Package version reports which steadycron build this is and which upstream
// Kubernetes release its CronJob controller is patched from.
package version

import (
	"fmt"
	"runtime/debug"
)

// Version is steadycron's own version, set at build time with
// -ldflags "-X github.com/steadycron/steadycron/pkg/version.Version=...".
var Version = "dev"

const upstreamModule = "k8s.io/kubernetes"

// Kubernetes returns the version of the k8s.io/kubernetes module the binary was
// built from, as recorded by the Go toolchain, or "unknown".
func Kubernetes() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, dep := range info.Deps {
		if dep.Path == upstreamModule {
			if dep.Replace != nil {
				return dep.Replace.Version
			}
			return dep.Version
		}
	}
	return "unknown"
}

// String is the one-line version a user sees with --version.
func String() string {
	return fmt.Sprintf("steadycron cronjob-controller %s (upstream Kubernetes %s)", Version, Kubernetes())
}
