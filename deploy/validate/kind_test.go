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

package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
)

// TestKindConfigDecodesStrictly decodes every kind-config/*.yaml the way
// `kind create cluster --config` does (kind's v1alpha4 types, yaml.v3 with
// unknown fields rejected) and checks what kind would reject later.
func TestKindConfigDecodesStrictly(t *testing.T) {
	files, err := filepath.Glob("../../kind-config/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no kind-config/*.yaml")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var c v1alpha4.Cluster
			dec := yaml.NewDecoder(bytes.NewReader(data))
			dec.KnownFields(true)
			if err := dec.Decode(&c); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if c.APIVersion != "kind.x-k8s.io/v1alpha4" || c.Kind != "Cluster" {
				t.Errorf("%s is %s %s, want kind.x-k8s.io/v1alpha4 Cluster", f, c.APIVersion, c.Kind)
			}
			v1alpha4.SetDefaultsCluster(&c)
			controlPlanes := 0
			for i, n := range c.Nodes {
				switch n.Role {
				case v1alpha4.ControlPlaneRole:
					controlPlanes++
				case v1alpha4.WorkerRole:
				default:
					t.Errorf("node %d: role %q", i, n.Role)
				}
				for _, m := range n.ExtraMounts {
					if m.HostPath == "" || m.ContainerPath == "" {
						t.Errorf("node %d: extraMount %+v needs hostPath and containerPath", i, m)
					}
				}
			}
			if controlPlanes == 0 {
				t.Error("no control-plane node")
			}
			if len(c.KubeadmConfigPatches) == 0 {
				t.Error("no kubeadmConfigPatches: kcm would keep its CronJob controller")
			}
		})
	}
}
