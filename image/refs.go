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
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/distribution/reference"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// parseTag parses ref the way Docker and containerd read an image name
// (Docker Hub by default, library/ for a single-element repository on it)
// and requires an explicit tag and no digest: the scripts load and push by
// tag and pin by the digest they compute.
func parseTag(ref string) (name.Tag, error) {
	if strings.Contains(ref, "@") {
		return name.Tag{}, fmt.Errorf("%q: want a tag, not a digest", ref)
	}
	// go-containerregistry's parser is laxer than Docker's and containerd's
	// (it takes "reg/foo:.t", "reg//foo:t", "reg/foo___bar:t"), which would
	// fail only at kind load or at the push: check with the reference grammar
	// they use first.
	if _, err := reference.ParseDockerRef(ref); err != nil {
		return name.Tag{}, fmt.Errorf("%q: %w", ref, err)
	}
	tag, err := name.NewTag(ref, name.WithDefaultTag(""))
	if err != nil {
		return name.Tag{}, fmt.Errorf("%q: %w", ref, err)
	}
	if tag.TagStr() == "" {
		return name.Tag{}, fmt.Errorf("%q: want registry/repository:tag (no tag given)", ref)
	}
	return tag, nil
}

// imageName is tag the way containerd names an imported image
// (io.containerd.image.name): fully qualified, Docker Hub as docker.io.
func imageName(tag name.Tag) string {
	reg := tag.RegistryStr()
	if reg == name.DefaultRegistry {
		reg = "docker.io"
	}
	return reg + "/" + tag.RepositoryStr() + ":" + tag.TagStr()
}

// sameImage reports whether a and b name the same repository and tag once
// both are normalised (docker.io = index.docker.io, implicit library/).
func sameImage(a, b name.Tag) bool {
	return a.Context().Name() == b.Context().Name() && a.TagStr() == b.TagStr()
}

// checkRef is the check-ref command: it parses one image reference and
// prints its repository (as written, for kustomize's newName) and its tag,
// separated by a tab.
func checkRef(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check-ref", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: image check-ref REF\n\nParses REF (registry/repository:tag) as Docker and containerd do and prints its repository and tag, tab-separated.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("check-ref: want one reference")
	}
	ref := fs.Arg(0)
	tag, err := parseTag(ref)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\t%s\n", strings.TrimSuffix(ref, ":"+tag.TagStr()), tag.TagStr())
	return nil
}

// checkBuilt is the check-built command: it checks that the OCI layout and
// the docker-archive that the assembler wrote hold an image named REF
// (compared after normalisation), and that the archive is one that `docker
// load` and `kind load image-archive` read: a manifest.json naming REF with
// one image whose config and layers are in the tarball and match their
// digests and diff IDs.
func checkBuilt(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check-built", flag.ContinueOnError)
	ociLayout := fs.String("oci-layout", "", "the OCI image layout directory (scripts/image.sh's _output/image/oci)")
	archive := fs.String("archive", "", "a docker-archive tarball (_output/image/cronjob-controller-linux-<arch>.tar)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: image check-built -oci-layout DIR -archive FILE REF")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *ociLayout == "" || *archive == "" {
		fs.Usage()
		return errors.New("check-built: want -oci-layout, -archive and one reference")
	}
	want, err := parseTag(fs.Arg(0))
	if err != nil {
		return err
	}

	idx, err := layout.ImageIndexFromPath(*ociLayout)
	if err != nil {
		return fmt.Errorf("the OCI layout %s: %w", *ociLayout, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	if len(im.Manifests) != 1 {
		return fmt.Errorf("the OCI layout %s: %d entries in index.json, want one", *ociLayout, len(im.Manifests))
	}
	got, err := parseTag(im.Manifests[0].Annotations["io.containerd.image.name"])
	if err != nil {
		return fmt.Errorf("the OCI layout %s: io.containerd.image.name: %w", *ociLayout, err)
	}
	if !sameImage(got, want) {
		return fmt.Errorf("the OCI layout %s holds %s, not %s: build it with IMAGE=%s", *ociLayout, got, want, fs.Arg(0))
	}

	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(*archive) })
	if err != nil {
		return fmt.Errorf("the docker-archive %s: manifest.json: %w", *archive, err)
	}
	if len(m) != 1 || len(m[0].RepoTags) != 1 {
		return fmt.Errorf("the docker-archive %s: want one image with one name, got %+v", *archive, m)
	}
	named, err := parseTag(m[0].RepoTags[0])
	if err != nil {
		return fmt.Errorf("the docker-archive %s: RepoTags: %w", *archive, err)
	}
	if !sameImage(named, want) {
		return fmt.Errorf("the docker-archive %s holds %s, not %s", *archive, named, want)
	}
	img, err := tarball.ImageFromPath(*archive, &named)
	if err != nil {
		return fmt.Errorf("the docker-archive %s: %w", *archive, err)
	}
	if err := validate.Image(img); err != nil {
		return fmt.Errorf("the docker-archive %s: %w", *archive, err)
	}
	id, err := img.ConfigName()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s (image ID %s) loads\n", filepath.Base(*archive), named, id)
	return nil
}
