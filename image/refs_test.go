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
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestParseTagNormalises(t *testing.T) {
	tests := []struct {
		ref, same string
		// containerd is the io.containerd.image.name the layout gets;
		// repo is what check-ref prints for kustomize's newName.
		containerd, repo, tag string
	}{
		{"ghcr.io/steadycron/cronjob-controller:v1", "ghcr.io/steadycron/cronjob-controller:v1", "ghcr.io/steadycron/cronjob-controller:v1", "ghcr.io/steadycron/cronjob-controller", "v1"},
		{"docker.io/me/cronjob-controller:e2e", "index.docker.io/me/cronjob-controller:e2e", "docker.io/me/cronjob-controller:e2e", "docker.io/me/cronjob-controller", "e2e"},
		{"me/cronjob-controller:e2e", "docker.io/me/cronjob-controller:e2e", "docker.io/me/cronjob-controller:e2e", "me/cronjob-controller", "e2e"},
		{"cronjob-controller:e2e", "docker.io/library/cronjob-controller:e2e", "docker.io/library/cronjob-controller:e2e", "cronjob-controller", "e2e"},
		{"localhost:5000/cronjob-controller:e2e", "localhost:5000/cronjob-controller:e2e", "localhost:5000/cronjob-controller:e2e", "localhost:5000/cronjob-controller", "e2e"},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			a, err := parseTag(tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			b, err := parseTag(tc.same)
			if err != nil {
				t.Fatal(err)
			}
			if !sameImage(a, b) {
				t.Errorf("%s and %s: not the same image", tc.ref, tc.same)
			}
			if got := imageName(a); got != tc.containerd {
				t.Errorf("imageName %q, want %q", got, tc.containerd)
			}
			var out bytes.Buffer
			if err := checkRef([]string{tc.ref}, &out); err != nil {
				t.Fatal(err)
			}
			if want := tc.repo + "\t" + tc.tag + "\n"; out.String() != want {
				t.Errorf("check-ref printed %q, want %q", out.String(), want)
			}
		})
	}
}

func TestParseTagRejects(t *testing.T) {
	for _, ref := range []string{
		"ghcr.io/steadycron/cronjob-controller",  // no tag
		"localhost:5000/cronjob-controller",      // a port is not a tag
		"ghcr.io/steadycron/cronjob-controller:", // empty tag
		"ghcr.io/steadycron/cronjob-controller:v1@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"ghcr.io/steadycron/Cronjob-Controller:v1", // upper case repository
		"reg.example/foo:.t",                       // a tag cannot start with a dot
		"reg.example//foo:t",                       // an empty path component
		"reg.example/foo___bar:t",                  // three underscores
		"",
	} {
		if _, err := parseTag(ref); err == nil {
			t.Errorf("parseTag(%q) accepted it", ref)
		}
	}
}

func TestSameImageDiffers(t *testing.T) {
	for _, pair := range [][2]string{
		{"docker.io/me/cronjob-controller:e2e", "docker.io/me/cronjob-controller:e2f"},
		{"docker.io/me/cronjob-controller:e2e", "ghcr.io/me/cronjob-controller:e2e"},
		{"cronjob-controller:e2e", "docker.io/me/cronjob-controller:e2e"},
	} {
		a, _ := parseTag(pair[0])
		b, _ := parseTag(pair[1])
		if sameImage(a, b) {
			t.Errorf("%s and %s: the same image", pair[0], pair[1])
		}
	}
}

// TestCheckBuilt assembles an image on Docker Hub's default registry from a
// stand-in binary and checks that check-built finds it under each spelling of
// its name, and only under its name.
func TestCheckBuilt(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "cronjob-controller")
	if err := os.WriteFile(bin, []byte("not a real binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	var o options
	if err := o.binaries.Set("linux/amd64=" + bin); err != nil {
		t.Fatal(err)
	}
	o.tag, o.epoch, o.version, o.revision, o.source = "docker.io/me/cronjob-controller:e2e", 0, "v0", "0000", "https://example.invalid"
	o.ociLayout, o.archiveDir, o.compression = filepath.Join(dir, "oci"), dir, 1
	if err := run(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "cronjob-controller-linux-amd64.tar")
	for _, tc := range []struct {
		ref string
		ok  bool
	}{
		{"docker.io/me/cronjob-controller:e2e", true},
		{"index.docker.io/me/cronjob-controller:e2e", true},
		{"me/cronjob-controller:e2e", true},
		{"me/cronjob-controller:other", false},
		{"ghcr.io/me/cronjob-controller:e2e", false},
	} {
		var out bytes.Buffer
		err := checkBuilt([]string{"-oci-layout", o.ociLayout, "-archive", archive, tc.ref}, &out)
		if (err == nil) != tc.ok {
			t.Errorf("check-built %s: error %v, want ok=%v", tc.ref, err, tc.ok)
		}
	}
}
