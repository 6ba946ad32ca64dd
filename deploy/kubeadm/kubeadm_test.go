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

// Package kubeadm_test checks the sidecar path with kubeadm's own code from
// the pinned k8s.io/kubernetes module: kubeadm-config.yaml and kind's kubeadm
// patches decode strictly into kubeadm's v1beta4 types, and kubeadm's
// kube-controller-manager static pod, rendered from that configuration and
// patched with patches/ the way `kubeadm init --patches` does, is a valid
// Pod with kcm's CronJob controller off and a working steadycron container.
package kubeadm_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	kubeadmscheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme"
	kubeadmconstants "k8s.io/kubernetes/cmd/kubeadm/app/constants"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/controlplane"
	"k8s.io/kubernetes/cmd/kubeadm/app/util/config/strict"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/core"
	_ "k8s.io/kubernetes/pkg/apis/core/install" // v1 <-> internal conversion and v1 defaults for Pods
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	"sigs.k8s.io/yaml"
)

const (
	configFile       = "kubeadm-config.yaml"
	patchesDir       = "patches"
	kindConfigFile   = "../../kind-config/cluster.yaml"
	sidecarName      = "steadycron"
	cronJobOff       = "-cronjob-controller"
	steadycronLease  = "steadycron"
	kubeSystem       = "kube-system"
	kubernetesVer    = "v1.37.2"
	kubeadmAPIPrefix = "kubeadm.k8s.io/"
)

// TestKubeadmConfigDecodesStrictly: every document of kubeadm-config.yaml is
// a kubeadm v1beta4 type without unknown or duplicate fields, as `kubeadm
// init --config` reads it.
func TestKubeadmConfigDecodesStrictly(t *testing.T) {
	docs := readDocs(t, configFile)
	kinds := map[string]bool{}
	for _, doc := range docs {
		gvk := decodeStrict(t, configFile, doc)
		kinds[gvk.Kind] = true
	}
	for _, k := range []string{"ClusterConfiguration", "InitConfiguration", "JoinConfiguration", "UpgradeConfiguration"} {
		assert.True(t, kinds[k], "%s has no %s", configFile, k)
	}
}

// TestKubeadmConfigPointsEveryPhaseAtThePatches: init, join and both upgrade
// phases render static pods, so each must get the patch directory, or an
// upgrade silently drops the sidecar.
func TestKubeadmConfigPointsEveryPhaseAtThePatches(t *testing.T) {
	var dirs []string
	for _, doc := range readDocs(t, configFile) {
		obj := decodeInternal(t, configFile, doc)
		switch c := obj.(type) {
		case *kubeadmapi.InitConfiguration:
			require.NotNil(t, c.Patches, "InitConfiguration.patches")
			dirs = append(dirs, c.Patches.Directory)
		case *kubeadmapi.JoinConfiguration:
			require.NotNil(t, c.Patches, "JoinConfiguration.patches")
			dirs = append(dirs, c.Patches.Directory)
		case *kubeadmapi.UpgradeConfiguration:
			require.NotNil(t, c.Apply.Patches, "UpgradeConfiguration.apply.patches")
			require.NotNil(t, c.Node.Patches, "UpgradeConfiguration.node.patches")
			dirs = append(dirs, c.Apply.Patches.Directory, c.Node.Patches.Directory)
		}
	}
	require.Len(t, dirs, 4)
	for _, d := range dirs {
		assert.Equal(t, "/etc/kubernetes/patches", d)
	}
}

// TestSidecarPatchOnKubeadmControllerManager renders kube-controller-manager's
// static pod with kubeadm's own code (the function `kubeadm init` calls,
// patches included) and checks what an operator relies on.
func TestSidecarPatchOnKubeadmControllerManager(t *testing.T) {
	cfg := clusterConfiguration(t)
	stock := renderControllerManager(t, defaultClusterConfiguration(t), "")
	plain := renderControllerManager(t, cfg, "")
	pod := renderControllerManager(t, cfg, patchesDir)

	t.Run("the pod is a valid Pod for the API server", func(t *testing.T) {
		assertValidPod(t, pod)
	})

	t.Run("kcm runs kubeadm's default controllers minus the CronJob controller", func(t *testing.T) {
		defaults := flagValues(container(t, stock, kubeadmconstants.KubeControllerManager).Command, "controllers")
		require.Len(t, defaults, 1, "kubeadm's default --controllers")
		got := flagValues(container(t, pod, kubeadmconstants.KubeControllerManager).Command, "controllers")
		require.Len(t, got, 1, "--controllers given exactly once")
		assert.Equal(t, defaults[0]+","+cronJobOff, got[0],
			"kubeadm's defaults (%s) are kept and only the CronJob controller is removed", defaults[0])
	})

	t.Run("the patch leaves kcm's container and volumes as kubeadm made them", func(t *testing.T) {
		assert.Equal(t, container(t, plain, kubeadmconstants.KubeControllerManager), container(t, pod, kubeadmconstants.KubeControllerManager))
		assert.Equal(t, plain.Spec.Volumes, pod.Spec.Volumes)
		assert.True(t, pod.Spec.HostNetwork)
	})

	sc := container(t, pod, sidecarName)
	kcm := container(t, pod, kubeadmconstants.KubeControllerManager)
	require.Len(t, pod.Spec.Containers, 2, "kcm and steadycron")

	t.Run("steadycron uses kcm's kubeconfig through kcm's own volume", func(t *testing.T) {
		kubeconfig := oneFlag(t, sc.Args, "kubeconfig")
		assert.Equal(t, oneFlag(t, kcm.Command, "kubeconfig"), kubeconfig, "the same file as kcm's --kubeconfig")
		assert.Empty(t, flagValues(sc.Args, "authentication-kubeconfig"), "defaults to --kubeconfig")
		assert.Empty(t, flagValues(sc.Args, "authorization-kubeconfig"), "defaults to --kubeconfig")
		mount := mountAt(t, sc, kubeconfig)
		assert.True(t, mount.ReadOnly, "read-only mount")
		kcmMount := mountAt(t, kcm, kubeconfig)
		assert.Equal(t, kcmMount.Name, mount.Name, "kcm's volume, not a new one")
		vol := volume(t, pod, mount.Name)
		require.NotNil(t, vol.HostPath)
		assert.Equal(t, kubeconfig, vol.HostPath.Path)
	})

	t.Run("steadycron leader-elects on a Lease of its own", func(t *testing.T) {
		assert.Equal(t, "true", oneFlag(t, sc.Args, "leader-elect"))
		assert.Equal(t, kubeSystem, oneFlag(t, sc.Args, "leader-elect-resource-namespace"))
		assert.Equal(t, steadycronLease, oneFlag(t, sc.Args, "leader-elect-resource-name"))
		assert.Empty(t, flagValues(kcm.Command, "leader-elect-resource-name"), "kcm keeps its own Lease")
	})

	port := securePort(t, sc)
	t.Run("steadycron's port collides with nothing on the host network", func(t *testing.T) {
		assert.Equal(t, int32(10270), port)
		taken := hostNetworkPorts(t, cfg)
		assert.NotContains(t, taken, port, "ports of kubeadm's control plane, etcd, kubelet and kube-proxy: %v", taken)
		require.Len(t, sc.Ports, 1)
		assert.Equal(t, port, sc.Ports[0].ContainerPort)
		assert.NotEqual(t, kcm.Ports[0].Name, sc.Ports[0].Name, "port names differ from kcm's")
	})

	t.Run("steadycron's probes reach its health endpoints", func(t *testing.T) {
		bind := oneFlag(t, sc.Args, "bind-address")
		for _, p := range []struct {
			name  string
			probe *corev1.Probe
			path  string
		}{
			{"startup", sc.StartupProbe, "/healthz"},
			{"liveness", sc.LivenessProbe, "/healthz"},
			{"readiness", sc.ReadinessProbe, "/readyz"},
		} {
			require.NotNil(t, p.probe, "%s probe", p.name)
			get := p.probe.HTTPGet
			require.NotNil(t, get, "%s probe is an HTTP GET", p.name)
			assert.Equal(t, p.path, get.Path, "%s probe path", p.name)
			assert.Equal(t, corev1.URISchemeHTTPS, get.Scheme, "%s probe scheme", p.name)
			assert.Equal(t, port, resolvePort(t, sc, get.Port), "%s probe port", p.name)
			if bind != "0.0.0.0" && bind != "::" {
				assert.Equal(t, bind, get.Host, "%s probe host is the bind address", p.name)
			}
		}
	})

	t.Run("steadycron's container is locked down", func(t *testing.T) {
		s := sc.SecurityContext
		require.NotNil(t, s)
		require.NotNil(t, s.AllowPrivilegeEscalation)
		assert.False(t, *s.AllowPrivilegeEscalation)
		require.NotNil(t, s.ReadOnlyRootFilesystem)
		assert.True(t, *s.ReadOnlyRootFilesystem)
		require.NotNil(t, s.Capabilities)
		assert.Equal(t, []corev1.Capability{"ALL"}, s.Capabilities.Drop)
		assert.Empty(t, s.Capabilities.Add)
		assert.Nil(t, s.Privileged)
		assert.NotEmpty(t, sc.Resources.Requests, "resource requests")
		assert.NotEmpty(t, sc.Image)
		assert.False(t, strings.HasSuffix(sc.Image, ":latest"), "a pinned image tag")
	})
}

// TestKindConfigKubeadmPatchesDecodeStrictly: the kubeadm patches in
// kind-config decode strictly into kubeadm's v1beta4 types (kind passes them
// to kubeadm after merging), turn kcm's CronJob controller off with the same
// value as kubeadm-config.yaml, and point kubeadm at the mounted patches.
func TestKindConfigKubeadmPatchesDecodeStrictly(t *testing.T) {
	data, err := os.ReadFile(kindConfigFile)
	require.NoError(t, err)
	var cluster struct {
		KubeadmConfigPatches []string `json:"kubeadmConfigPatches"`
		Nodes                []struct {
			Role                 string   `json:"role"`
			KubeadmConfigPatches []string `json:"kubeadmConfigPatches"`
			ExtraMounts          []struct {
				HostPath      string `json:"hostPath"`
				ContainerPath string `json:"containerPath"`
				ReadOnly      bool   `json:"readOnly"`
			} `json:"extraMounts"`
		} `json:"nodes"`
	}
	require.NoError(t, yaml.Unmarshal(data, &cluster))

	var controllers []string
	for i, p := range cluster.KubeadmConfigPatches {
		where := fmt.Sprintf("%s kubeadmConfigPatches[%d]", kindConfigFile, i)
		decodeStrict(t, where, []byte(p))
		if c, ok := decodeInternal(t, where, []byte(p)).(*kubeadmapi.ClusterConfiguration); ok {
			for _, a := range c.ControllerManager.ExtraArgs {
				if a.Name == "controllers" {
					controllers = append(controllers, a.Value)
				}
			}
		}
	}
	require.Len(t, controllers, 1, "one controllers extraArg in the cluster-wide patches")
	want := clusterConfiguration(t).ControllerManager.ExtraArgs
	require.Len(t, want, 1)
	assert.Equal(t, want[0].Value, controllers[0], "the same value as %s", configFile)

	controlPlanes := 0
	for n, node := range cluster.Nodes {
		if node.Role != "control-plane" {
			assert.Empty(t, node.KubeadmConfigPatches, "node %d (%s) needs no patches", n, node.Role)
			continue
		}
		controlPlanes++
		mounts := map[string]bool{}
		for _, m := range node.ExtraMounts {
			assert.True(t, m.ReadOnly, "node %d mounts %s read-only", n, m.HostPath)
			mounts[m.ContainerPath] = true
		}
		seen := map[string]bool{}
		for i, p := range node.KubeadmConfigPatches {
			where := fmt.Sprintf("%s nodes[%d].kubeadmConfigPatches[%d]", kindConfigFile, n, i)
			gvk := decodeStrict(t, where, []byte(p))
			seen[gvk.Kind] = true
			var dir string
			switch c := decodeInternal(t, where, []byte(p)).(type) {
			case *kubeadmapi.InitConfiguration:
				require.NotNil(t, c.Patches, where)
				dir = c.Patches.Directory
			case *kubeadmapi.JoinConfiguration:
				require.NotNil(t, c.Patches, where)
				dir = c.Patches.Directory
			default:
				t.Errorf("%s: unexpected %s", where, gvk.Kind)
				continue
			}
			assert.True(t, mounts[dir], "%s: patches.directory %s is an extraMount of the node", where, dir)
		}
		assert.True(t, seen["InitConfiguration"] && seen["JoinConfiguration"], "node %d patches Init and Join configuration", n)
	}
	assert.Equal(t, 1, controlPlanes, "one control-plane node")
}

// clusterConfiguration is kubeadm-config.yaml's ClusterConfiguration after
// kubeadm's defaulting, at the pinned Kubernetes version.
func clusterConfiguration(t *testing.T) *kubeadmapi.ClusterConfiguration {
	t.Helper()
	for _, doc := range readDocs(t, configFile) {
		if c, ok := decodeInternal(t, configFile, doc).(*kubeadmapi.ClusterConfiguration); ok {
			c.KubernetesVersion = kubernetesVer
			return c
		}
	}
	t.Fatalf("%s has no ClusterConfiguration", configFile)
	return nil
}

// defaultClusterConfiguration is what kubeadm uses when given no configuration.
func defaultClusterConfiguration(t *testing.T) *kubeadmapi.ClusterConfiguration {
	t.Helper()
	c, ok := decodeInternal(t, "default", []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n")).(*kubeadmapi.ClusterConfiguration)
	require.True(t, ok)
	c.KubernetesVersion = kubernetesVer
	return c
}

// renderControllerManager writes kcm's static pod manifest the way `kubeadm
// init` does (patched when patches is set) and reads it back.
func renderControllerManager(t *testing.T, cfg *kubeadmapi.ClusterConfiguration, patches string) *corev1.Pod {
	t.Helper()
	dir := t.TempDir()
	endpoint := &kubeadmapi.APIEndpoint{AdvertiseAddress: "192.0.2.10", BindPort: kubeadmconstants.KubeAPIServerPort}
	require.NoError(t, controlplane.CreateStaticPodFiles(dir, patches, cfg, endpoint, false, kubeadmconstants.KubeControllerManager))
	data, err := os.ReadFile(kubeadmconstants.GetStaticPodFilepath(kubeadmconstants.KubeControllerManager, dir))
	require.NoError(t, err)
	pod := &corev1.Pod{}
	require.NoError(t, yaml.UnmarshalStrict(data, pod), "the manifest kubeadm wrote")
	return pod
}

// hostNetworkPorts are the ports kubeadm's control plane and the node agents
// listen on: the static pods' container and probe ports, and etcd, kubelet
// and kube-proxy.
func hostNetworkPorts(t *testing.T, cfg *kubeadmapi.ClusterConfiguration) []int32 {
	t.Helper()
	endpoint := &kubeadmapi.APIEndpoint{AdvertiseAddress: "192.0.2.10", BindPort: kubeadmconstants.KubeAPIServerPort}
	ports := []int32{
		kubeadmconstants.EtcdListenClientPort, kubeadmconstants.EtcdListenPeerPort, kubeadmconstants.EtcdMetricsPort,
		kubeadmconstants.KubeletPort, kubeadmconstants.KubeletHealthzPort,
		10249, 10256, // kube-proxy metrics and healthz
		kubeadmconstants.KubeControllerManagerPort, kubeadmconstants.KubeSchedulerPort,
	}
	for _, pod := range controlplane.GetStaticPodSpecs(cfg, endpoint, nil) {
		for _, c := range pod.Spec.Containers {
			for _, p := range c.Ports {
				ports = append(ports, p.ContainerPort)
			}
		}
	}
	return ports
}

func assertValidPod(t *testing.T, v1pod *corev1.Pod) {
	t.Helper()
	defaulted := v1pod.DeepCopy()
	legacyscheme.Scheme.Default(defaulted) // as the API server does: hostPort = containerPort on the host network, ...
	var pod core.Pod
	require.NoError(t, legacyscheme.Scheme.Convert(defaulted, &pod, nil))
	errs := corevalidation.ValidatePodCreate(&pod, corevalidation.PodValidationOptions{})
	assert.Empty(t, errs.ToAggregate(), "validation of the patched pod")
}

func readDocs(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Clean(path))
	require.NoError(t, err)
	var docs [][]byte
	for _, d := range bytes.Split(data, []byte("\n---\n")) {
		if len(bytes.TrimSpace(stripComments(d))) > 0 {
			docs = append(docs, d)
		}
	}
	return docs
}

func stripComments(doc []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			out = append(out, line)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

// decodeStrict runs kubeadm's own strict check (unknown and duplicate fields
// are errors) on a kubeadm.k8s.io/v1beta4 document.
func decodeStrict(t *testing.T, where string, doc []byte) schema.GroupVersionKind {
	t.Helper()
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	require.NoError(t, yaml.Unmarshal(doc, &tm), where)
	require.True(t, strings.HasPrefix(tm.APIVersion, kubeadmAPIPrefix), "%s: apiVersion %q", where, tm.APIVersion)
	gv, err := schema.ParseGroupVersion(tm.APIVersion)
	require.NoError(t, err, where)
	require.Equal(t, "v1beta4", gv.Version, "%s: kubeadm's v1beta4 API (what kind generates for Kubernetes 1.36+)", where)
	gvk := gv.WithKind(tm.Kind)
	require.NoError(t, strict.VerifyUnmarshalStrict([]*runtime.Scheme{kubeadmscheme.Scheme}, gvk, doc), where)
	return gvk
}

// decodeInternal decodes, defaults and converts a document to kubeadm's
// internal types, as kubeadm does before using a configuration.
func decodeInternal(t *testing.T, where string, doc []byte) runtime.Object {
	t.Helper()
	obj, err := runtime.Decode(kubeadmscheme.Codecs.UniversalDecoder(), doc)
	require.NoError(t, err, where)
	return obj
}

func container(t *testing.T, pod *corev1.Pod, name string) corev1.Container {
	t.Helper()
	for _, c := range pod.Spec.Containers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("pod %s has no container %q", pod.Name, name)
	return corev1.Container{}
}

func volume(t *testing.T, pod *corev1.Pod, name string) corev1.Volume {
	t.Helper()
	for _, v := range pod.Spec.Volumes {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("pod %s has no volume %q", pod.Name, name)
	return corev1.Volume{}
}

func mountAt(t *testing.T, c corev1.Container, path string) corev1.VolumeMount {
	t.Helper()
	for _, m := range c.VolumeMounts {
		if m.MountPath == path {
			return m
		}
	}
	t.Fatalf("container %s mounts nothing at %s", c.Name, path)
	return corev1.VolumeMount{}
}

// flagValues returns the values of every --name=value in args.
func flagValues(args []string, name string) []string {
	var vals []string
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			vals = append(vals, v)
		}
	}
	return vals
}

func oneFlag(t *testing.T, args []string, name string) string {
	t.Helper()
	vals := flagValues(args, name)
	require.Len(t, vals, 1, "--%s given once in %v", name, args)
	return vals[0]
}

func securePort(t *testing.T, c corev1.Container) int32 {
	t.Helper()
	p, err := strconv.ParseInt(oneFlag(t, c.Args, "secure-port"), 10, 32)
	require.NoError(t, err)
	return int32(p)
}

func resolvePort(t *testing.T, c corev1.Container, port intstr.IntOrString) int32 {
	t.Helper()
	if port.Type == intstr.Int {
		return port.IntVal
	}
	for _, p := range c.Ports {
		if p.Name == port.StrVal {
			return p.ContainerPort
		}
	}
	t.Fatalf("container %s has no port named %q", c.Name, port.StrVal)
	return 0
}
