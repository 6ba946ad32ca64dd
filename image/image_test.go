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

package main

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// envImageDir names the directory `make image` wrote (scripts/image.sh's
// _output/image); `make image-test` sets it, and the test then fails when
// the directory is missing instead of skipping.
const envImageDir = "IMAGE_DIR"

// TestImage inspects the image that scripts/image.sh wrote, offline, as a
// container runtime and the kubelet would see it: one image per platform in an
// OCI index, each with the numeric non-root user, the entrypoint, the OCI
// labels of this commit, every timestamp at the commit time, and a single
// layer holding only a static cronjob-controller for that platform. The
// binary of this machine's platform is extracted and run with --version; the
// docker-archive tarballs hold the same images under the image's name.
//
// Its expectations are written out here rather than taken from main.go, so
// that a change to the assembler that breaks the contract fails here.
func TestImage(t *testing.T) {
	dir, required := os.LookupEnv(envImageDir)
	if !required {
		dir = filepath.Join("..", "_output", "image")
	}
	if _, err := os.Stat(filepath.Join(dir, "oci", "index.json")); err != nil {
		if required {
			t.Fatalf("%s=%s: no image (run make image): %v", envImageDir, dir, err)
		}
		t.Skipf("no image in %s (make image-test builds and inspects it): %v", dir, err)
	}

	revision := git(t, "rev-parse", "HEAD")
	checkout := git(t, "rev-parse", "--show-toplevel")
	// scripts/image.sh's version: VERSION, else the full commit SHA; never
	// git describe, whose abbreviation and tags differ between clones.
	version := envOr("VERSION", revision)
	epoch := git(t, "log", "-1", "--format=%ct", "HEAD")
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		epoch = v
	}
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil {
		t.Fatalf("epoch %q: %v", epoch, err)
	}
	created := time.Unix(sec, 0).UTC()
	wantPlatforms := strings.Split(envOr("PLATFORMS", "linux/amd64,linux/arm64"), ",")
	wantLabels := map[string]string{
		"org.opencontainers.image.source":   "https://github.com/steadycron/steadycron",
		"org.opencontainers.image.revision": revision,
		"org.opencontainers.image.version":  version,
		"org.opencontainers.image.created":  created.Format(time.RFC3339),
	}

	// The layout: index.json names one index, which the digest file pins.
	lp, err := layout.FromPath(filepath.Join(dir, "oci"))
	if err != nil {
		t.Fatalf("reading the OCI layout: %v", err)
	}
	top, err := lp.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	topManifest, err := top.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(topManifest.Manifests) != 1 || topManifest.Manifests[0].MediaType != types.OCIImageIndex {
		t.Fatalf("index.json: want one OCI image index, got %+v", topManifest.Manifests)
	}
	desc := topManifest.Manifests[0]
	tag, err := name.NewTag(desc.Annotations["io.containerd.image.name"], name.StrictValidation)
	if err != nil {
		t.Fatalf("index.json: the io.containerd.image.name annotation: %v", err)
	}
	if got := desc.Annotations["org.opencontainers.image.ref.name"]; got != tag.TagStr() {
		t.Errorf("index.json: org.opencontainers.image.ref.name %q, want the tag %q", got, tag.TagStr())
	}
	digestFile, err := os.ReadFile(filepath.Join(dir, "digest"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(digestFile)); got != desc.Digest.String() {
		t.Errorf("digest file %s, index.json points at %s", got, desc.Digest)
	}
	idx, err := top.ImageIndex(desc.Digest)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	checkLabels(t, "the index's annotations", im.Annotations, wantLabels)

	var gotPlatforms []string
	for _, d := range im.Manifests {
		if d.Platform == nil {
			t.Errorf("manifest %s has no platform in the index", d.Digest)
			continue
		}
		plat := d.Platform.OS + "/" + d.Platform.Architecture
		gotPlatforms = append(gotPlatforms, plat)
		t.Run(plat, func(t *testing.T) {
			if d.MediaType != types.OCIManifestSchema1 {
				t.Errorf("media type %s, want %s", d.MediaType, types.OCIManifestSchema1)
			}
			img, err := idx.Image(d.Digest)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := img.RawConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte(checkout)) {
				t.Errorf("the config names the checkout %s: the digest would depend on where it was built:\n%s", checkout, raw)
			}
			bin := checkImage(t, img, *d.Platform, created, wantLabels)
			checkBinary(t, bin, d.Platform.Architecture, version, toolchain(t))
			checkArchive(t, filepath.Join(dir, "cronjob-controller-"+d.Platform.OS+"-"+d.Platform.Architecture+".tar"), tag, img)
		})
	}
	slices.Sort(gotPlatforms)
	slices.Sort(wantPlatforms)
	if !slices.Equal(gotPlatforms, wantPlatforms) {
		t.Errorf("the index has platforms %v, want %v", gotPlatforms, wantPlatforms)
	}
}

// checkImage checks one platform's config and layer and returns the binary.
func checkImage(t *testing.T, img v1.Image, plat v1.Platform, created time.Time, wantLabels map[string]string) []byte {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.OS != plat.OS || cf.Architecture != plat.Architecture || cf.Variant != plat.Variant {
		t.Errorf("config platform %s/%s/%s, index says %s", cf.OS, cf.Architecture, cf.Variant, plat)
	}
	uid, gid, _ := strings.Cut(cf.Config.User, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 || uid != "65532" || gid != "65532" {
		t.Errorf("user %q, want the numeric non-root 65532:65532 (runAsNonRoot needs a numeric UID)", cf.Config.User)
	}
	if !slices.Equal(cf.Config.Entrypoint, []string{"/cronjob-controller"}) || len(cf.Config.Cmd) != 0 {
		t.Errorf("entrypoint %q cmd %q, want [/cronjob-controller] and no cmd", cf.Config.Entrypoint, cf.Config.Cmd)
	}
	if len(cf.Config.Env) != 0 {
		t.Errorf("env %q, want none", cf.Config.Env)
	}
	checkLabels(t, "the labels", cf.Config.Labels, wantLabels)
	if !cf.Created.Time.Equal(created) {
		t.Errorf("created %s, want %s (SOURCE_DATE_EPOCH)", cf.Created.Time, created)
	}
	for i, h := range cf.History {
		if !h.Created.Time.Equal(created) {
			t.Errorf("history[%d] created %s, want %s", i, h.Created.Time, created)
		}
	}

	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 1 {
		t.Fatalf("%d layers, want one: the binary on no base", len(layers))
	}
	if mt, err := layers[0].MediaType(); err != nil || mt != types.OCILayer {
		t.Errorf("layer media type %s (%v), want %s", mt, err, types.OCILayer)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	var bin []byte
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("reading the layer: %v", err)
		}
		if hdr.Name != "cronjob-controller" || hdr.Typeflag != tar.TypeReg {
			t.Errorf("layer entry %q (type %c), want only the regular file cronjob-controller", hdr.Name, hdr.Typeflag)
			continue
		}
		if hdr.Mode != 0o755 || hdr.Uid != 0 || hdr.Gid != 0 {
			t.Errorf("cronjob-controller mode %o owner %d:%d, want 755 root:root (read-only for the user)", hdr.Mode, hdr.Uid, hdr.Gid)
		}
		if !hdr.ModTime.Equal(created) {
			t.Errorf("cronjob-controller modified %s, want %s (SOURCE_DATE_EPOCH)", hdr.ModTime, created)
		}
		if bin, err = io.ReadAll(tr); err != nil {
			t.Fatal(err)
		}
	}
	if bin == nil {
		t.Fatal("no cronjob-controller in the layer")
	}
	return bin
}

// checkBinary checks that bin is a static Linux executable for arch built
// the reproducible way, with the time zone database in it, and runs it when
// it is for this machine.
func checkBinary(t *testing.T, bin []byte, arch, version, goVersion string) {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		t.Fatalf("the binary is not ELF: %v", err)
	}
	wantMachine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
	if f.Machine != wantMachine {
		t.Errorf("ELF machine %s, want %s", f.Machine, wantMachine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %s program header: it is not static and needs libraries the image does not have", p.Type)
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		t.Fatalf("reading the symbols: %v", err)
	}
	if !slices.ContainsFunc(syms, func(s elf.Symbol) bool { return s.Name == "time/tzdata.loadFromEmbeddedTZData" }) {
		t.Error("the binary has no embedded time zone database (time/tzdata): spec.timeZone would fail in an image without /usr/share/zoneinfo")
	}
	bi, err := buildinfo.Read(bytes.NewReader(bin))
	if err != nil {
		t.Fatalf("reading the Go build info: %v", err)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	for k, want := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true", "GOOS": "linux", "GOARCH": arch} {
		if settings[k] != want {
			t.Errorf("build setting %s=%q, want %q", k, settings[k], want)
		}
	}
	if bi.GoVersion != goVersion {
		t.Errorf("built with %s, want %s (go.mod's toolchain line)", bi.GoVersion, goVersion)
	}
	for _, k := range []string{"-tags", "-race", "-gcflags", "-asmflags", "GOEXPERIMENT", "GOFIPS140"} {
		if v, ok := settings[k]; ok {
			t.Errorf("build setting %s=%q: the build took a setting from the environment", k, v)
		}
	}
	if want := map[string]string{"amd64": "GOAMD64", "arm64": "GOARM64"}[arch]; want != "" {
		if v := settings[want]; v != map[string]string{"amd64": "v1", "arm64": "v8.0"}[arch] {
			t.Errorf("build setting %s=%q, want the baseline", want, v)
		}
	}
	if bi.Path != "github.com/steadycron/steadycron/cmd/cronjob-controller" {
		t.Errorf("main package %q, want cronjob-controller", bi.Path)
	}

	if runtime.GOOS != "linux" || runtime.GOARCH != arch {
		t.Logf("not running the %s binary on %s/%s", arch, runtime.GOOS, runtime.GOARCH)
		return
	}
	path := filepath.Join(t.TempDir(), "cronjob-controller")
	if err := os.WriteFile(path, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--version")
	cmd.Env = []string{} // as in the image: no PATH, no HOME, no ZONEINFO
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cronjob-controller --version: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), version) {
		t.Errorf("cronjob-controller --version printed %q, want it to name %s", out, version)
	}
	t.Logf("cronjob-controller --version: %s", strings.TrimSpace(string(out)))
}

// checkArchive checks that the docker-archive at path holds want under tag.
func checkArchive(t *testing.T, path string, tag name.Tag, want v1.Image) {
	t.Helper()
	img, err := tarball.ImageFromPath(path, &tag)
	if err != nil {
		t.Fatalf("the docker-archive %s has no image %s: %v", filepath.Base(path), tag, err)
	}
	got, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	wantCfg, err := want.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	if got != wantCfg {
		t.Errorf("the docker-archive %s holds image ID %s, the index %s", filepath.Base(path), got, wantCfg)
	}
	gotLayers, _ := img.Layers()
	wantLayers, _ := want.Layers()
	if len(gotLayers) != len(wantLayers) {
		t.Fatalf("the docker-archive has %d layers, the index %d", len(gotLayers), len(wantLayers))
	}
	for i := range gotLayers {
		g, _ := gotLayers[i].DiffID()
		w, _ := wantLayers[i].DiffID()
		if g != w {
			t.Errorf("the docker-archive's layer %d is %s, the index's %s", i, g, w)
		}
	}
}

func checkLabels(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s=%q, want %q", what, k, got[k], v)
		}
	}
}

func git(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// toolchain is the Go release the root go.mod's toolchain line names.
func toolchain(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "toolchain "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("go.mod has no toolchain line")
	return ""
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
