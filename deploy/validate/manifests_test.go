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
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// obj is a Kubernetes object read as plain YAML.
type obj map[string]any

func (o obj) get(path ...string) any {
	var cur any = map[string]any(o)
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func (o obj) str(path ...string) string { s, _ := o.get(path...).(string); return s }
func (o obj) list(path ...string) []any { l, _ := o.get(path...).([]any); return l }
func (o obj) labels(path ...string) map[string]string {
	out := map[string]string{}
	m, _ := o.get(path...).(map[string]any)
	for k, v := range m {
		out[k], _ = v.(string)
	}
	return out
}

func readObjects(t *testing.T, path string) []obj {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var objs []obj
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var o map[string]any // not obj: yaml.v3 would decode nested maps as obj too
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			return objs
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(o) > 0 {
			objs = append(objs, obj(o))
		}
	}
}

func readObject(t *testing.T, path, kind string) obj {
	t.Helper()
	for _, o := range readObjects(t, path) {
		if o.str("kind") == kind {
			return o
		}
	}
	t.Fatalf("%s has no %s", path, kind)
	return nil
}

func subset(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func containerNamed(t *testing.T, pod obj, name string) obj {
	t.Helper()
	for _, c := range pod.list("containers") {
		if m, ok := c.(map[string]any); ok && m["name"] == name {
			return obj(m)
		}
	}
	t.Fatalf("no container %q", name)
	return nil
}

func flag(args []any, name string) (string, bool) {
	for _, a := range args {
		if s, ok := a.(string); ok {
			if v, ok := strings.CutPrefix(s, "--"+name+"="); ok {
				return v, true
			}
		}
	}
	return "", false
}

// TestScrapePathIsConnected: the ServiceMonitor selects the Service, whose
// port it names, and the Service selects the Deployment's pods on the port
// steadycron serves; honorLabels keeps the CronJob's namespace label.
func TestScrapePathIsConnected(t *testing.T) {
	sm := readObject(t, "../monitoring/servicemonitor.yaml", "ServiceMonitor")
	svc := readObject(t, "../controller/service.yaml", "Service")
	dep := readObject(t, "../controller/deployment.yaml", "Deployment")
	pod := obj(dep.get("spec", "template", "spec").(map[string]any))
	c := containerNamed(t, pod, "steadycron")

	if !subset(sm.labels("spec", "selector", "matchLabels"), svc.labels("metadata", "labels")) {
		t.Error("the ServiceMonitor does not select the Service")
	}
	nsOK := false
	for _, n := range sm.list("spec", "namespaceSelector", "matchNames") {
		nsOK = nsOK || n == svc.str("metadata", "namespace")
	}
	if !nsOK {
		t.Error("the ServiceMonitor does not look in the Service's namespace")
	}
	if svc.str("metadata", "name") != "steadycron" {
		t.Errorf("the Service's name is the job label the alerts use (job=\"steadycron\"), got %q", svc.str("metadata", "name"))
	}
	svcPorts := map[string]string{}
	for _, p := range svc.list("spec", "ports") {
		m := obj(p.(map[string]any))
		svcPorts[m.str("name")] = m.str("targetPort")
	}
	eps := sm.list("spec", "endpoints")
	if len(eps) != 1 {
		t.Fatalf("want one endpoint, got %d", len(eps))
	}
	ep := obj(eps[0].(map[string]any))
	target, ok := svcPorts[ep.str("port")]
	if !ok {
		t.Errorf("the ServiceMonitor scrapes port %q, which the Service does not have", ep.str("port"))
	}
	if ep.str("scheme") != "https" || ep.str("path") != "/metrics" {
		t.Errorf("scrape %s %s, want https /metrics", ep.str("scheme"), ep.str("path"))
	}
	if ep.get("honorLabels") != true {
		t.Error("honorLabels must be true: steadycron's namespace label names the CronJob's namespace")
	}
	if !subset(svc.labels("spec", "selector"), dep.labels("spec", "template", "metadata", "labels")) {
		t.Error("the Service does not select the Deployment's pods")
	}
	port, _ := flag(c.list("args"), "secure-port")
	found := false
	for _, p := range c.list("ports") {
		m := obj(p.(map[string]any))
		if m.str("name") == target {
			found = true
			if v, _ := m.get("containerPort").(int); port == "" || v == 0 || port != strconv.Itoa(v) {
				t.Errorf("container port %s is %v, --secure-port is %q", target, m.get("containerPort"), port)
			}
		}
	}
	if !found {
		t.Errorf("the Service targets port %q, which the container does not have", target)
	}
}

// TestDeploymentIsHardened: two leader-elected replicas with probes on the
// health endpoints over HTTPS, and the security settings of the restricted
// Pod Security Standard (e2e/deploy checks the same against a real API
// server's admission).
func TestDeploymentIsHardened(t *testing.T) {
	dep := readObject(t, "../controller/deployment.yaml", "Deployment")
	if r, _ := dep.get("spec", "replicas").(int); r != 2 {
		t.Errorf("replicas %v, want 2", dep.get("spec", "replicas"))
	}
	pod := obj(dep.get("spec", "template", "spec").(map[string]any))
	sa := readObject(t, "../rbac/serviceaccount.yaml", "ServiceAccount")
	if pod.str("serviceAccountName") != sa.str("metadata", "name") || dep.str("metadata", "namespace") != sa.str("metadata", "namespace") {
		t.Errorf("the pods run as %s/%s, deploy/rbac grants %s/%s", dep.str("metadata", "namespace"), pod.str("serviceAccountName"),
			sa.str("metadata", "namespace"), sa.str("metadata", "name"))
	}
	if pod.get("securityContext", "runAsNonRoot") != true || pod.str("securityContext", "seccompProfile", "type") != "RuntimeDefault" {
		t.Error("pod securityContext: runAsNonRoot and seccomp RuntimeDefault")
	}
	c := containerNamed(t, pod, "steadycron")
	for _, want := range []string{"leader-elect"} {
		if v, _ := flag(c.list("args"), want); v != "true" {
			t.Errorf("--%s=%q, want true", want, v)
		}
	}
	if c.get("securityContext", "allowPrivilegeEscalation") != false || c.get("securityContext", "readOnlyRootFilesystem") != true {
		t.Error("container securityContext: allowPrivilegeEscalation false, readOnlyRootFilesystem true")
	}
	if drop := c.list("securityContext", "capabilities", "drop"); len(drop) != 1 || drop[0] != "ALL" {
		t.Errorf("capabilities drop %v, want [ALL]", drop)
	}
	if len(c.labels("resources", "requests")) == 0 {
		t.Error("resource requests")
	}
	for probe, path := range map[string]string{"livenessProbe": "/healthz", "readinessProbe": "/readyz", "startupProbe": "/healthz"} {
		if c.str(probe, "httpGet", "path") != path || c.str(probe, "httpGet", "scheme") != "HTTPS" || c.str(probe, "httpGet", "port") != "https" {
			t.Errorf("%s: want GET %s over HTTPS on port https, got %v", probe, path, c.get(probe))
		}
	}
	pdb := readObject(t, "../controller/poddisruptionbudget.yaml", "PodDisruptionBudget")
	if !subset(pdb.labels("spec", "selector", "matchLabels"), dep.labels("spec", "template", "metadata", "labels")) {
		t.Error("the PodDisruptionBudget does not select the Deployment's pods")
	}
}

// TestImagesAgree: the Deployment and the kubeadm patch run the same image
// repository, so a release changes both.
func TestImagesAgree(t *testing.T) {
	dep := readObject(t, "../controller/deployment.yaml", "Deployment")
	pod := obj(dep.get("spec", "template", "spec").(map[string]any))
	patch := readObjects(t, "../kubeadm/patches/kube-controller-manager+strategic.yaml")
	if len(patch) != 1 {
		t.Fatalf("the kubeadm patch has %d documents", len(patch))
	}
	a := containerNamed(t, pod, "steadycron").str("image")
	b := containerNamed(t, obj(patch[0].get("spec").(map[string]any)), "steadycron").str("image")
	repo := func(s string) string { return s[:strings.LastIndex(s, ":")] }
	if a == "" || b == "" || repo(a) != repo(b) {
		t.Errorf("images %q and %q", a, b)
	}
}
