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

// Command image assembles steadycron's container image from cronjob-controller
// binaries that scripts/build.sh has built, without a container engine, with
// go-containerregistry (the library of crane).
//
// For each platform the image is one layer holding /cronjob-controller on no
// base at all, run as the numeric user 65532:65532 with /cronjob-controller as
// its entrypoint and the OCI labels org.opencontainers.image.{source,revision,
// version,created,...}. The platforms' images make one OCI image index.
// Every timestamp (the layer's file, the config's created time, its history)
// is -source-date-epoch, so the same binaries give the same digests.
//
// It writes the index as an OCI image layout (-oci-layout), one docker-archive
// tarball per platform (-archive-dir; `docker load` and `kind load
// image-archive` read them), and with -push copies the index to the
// registry of -tag with the credentials of ~/.docker/config.json.
//
// Two more commands check what scripts/kind-e2e.sh is given and loads, with
// go-containerregistry's reference parser rather than by string: `check-ref
// REF` prints REF's repository and tag, and `check-built -oci-layout DIR
// -archive FILE REF` checks that both outputs hold an image named REF.
//
// scripts/image.sh runs it; `make image` runs that.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

const (
	// binaryPath is where the binary is in the image, and the entrypoint.
	binaryPath = "/cronjob-controller"
	// user is distroless' and ko's "nonroot": numeric, so that the kubelet's
	// runAsNonRoot check can verify it without an /etc/passwd in the image.
	user = "65532:65532"
	// securePort is cronjob-controller's default --secure-port.
	securePort = "10270/tcp"
)

// binaryFlag collects -binary os/arch=path flags in order.
type binaryFlag []platformBinary

type platformBinary struct {
	platform v1.Platform
	path     string
}

func (b *binaryFlag) String() string {
	s := make([]string, 0, len(*b))
	for _, pb := range *b {
		s = append(s, pb.platform.String()+"="+pb.path)
	}
	return strings.Join(s, ",")
}

func (b *binaryFlag) Set(v string) error {
	plat, path, ok := strings.Cut(v, "=")
	if !ok || path == "" {
		return fmt.Errorf("want os/arch=path, got %q", v)
	}
	p, err := v1.ParsePlatform(plat)
	if err != nil {
		return fmt.Errorf("platform %q: %w", plat, err)
	}
	if p.OS != "linux" || p.Architecture == "" {
		return fmt.Errorf("platform %q: want linux/<arch>", plat)
	}
	// Docker and containerd write arm64 as arm64/v8; so do we, so that
	// platform matching needs no normalization.
	if p.Architecture == "arm64" && p.Variant == "" {
		p.Variant = "v8"
	}
	*b = append(*b, platformBinary{platform: *p, path: path})
	return nil
}

type options struct {
	binaries    binaryFlag
	tag         string
	epoch       int64
	version     string
	revision    string
	source      string
	ociLayout   string
	archiveDir  string
	digestFile  string
	push        bool
	compression int
}

func main() {
	if len(os.Args) > 1 {
		cmd := map[string]func([]string, io.Writer) error{"check-ref": checkRef, "check-built": checkBuilt}[os.Args[1]]
		if cmd != nil {
			if err := cmd(os.Args[2:], os.Stdout); err != nil {
				fmt.Fprintf(os.Stderr, "image %s: %v\n", os.Args[1], err)
				os.Exit(1)
			}
			return
		}
	}
	var o options
	flag.Var(&o.binaries, "binary", "os/arch=path of a static cronjob-controller binary for that platform (repeat for each platform)")
	flag.StringVar(&o.tag, "tag", "", "image reference with a tag: the archives' name and, with -push, where the index goes")
	flag.Int64Var(&o.epoch, "source-date-epoch", -1, "every timestamp in the image, in seconds since the Unix epoch (UTC); default $SOURCE_DATE_EPOCH")
	flag.StringVar(&o.version, "version", "", "org.opencontainers.image.version (VERSION, or the commit's full SHA)")
	flag.StringVar(&o.revision, "revision", "", "org.opencontainers.image.revision (the commit)")
	flag.StringVar(&o.source, "source", "https://github.com/steadycron/steadycron", "org.opencontainers.image.source")
	flag.StringVar(&o.ociLayout, "oci-layout", "", "write the index as an OCI image layout to this directory (replaced)")
	flag.StringVar(&o.archiveDir, "archive-dir", "", "write cronjob-controller-<os>-<arch>.tar docker-archive tarballs here")
	flag.StringVar(&o.digestFile, "digest-file", "", "write the index's digest (sha256:...) to this file")
	flag.BoolVar(&o.push, "push", false, "push the index and its images to -tag's registry")
	flag.IntVar(&o.compression, "gzip-level", gzip.DefaultCompression, "gzip level of the layer")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintf(os.Stderr, "image: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if len(o.binaries) == 0 {
		return errors.New("no -binary given")
	}
	if o.epoch < 0 {
		v := os.Getenv("SOURCE_DATE_EPOCH")
		if v == "" {
			return errors.New("neither -source-date-epoch nor SOURCE_DATE_EPOCH is set")
		}
		var err error
		if o.epoch, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH=%q: %w", v, err)
		}
	}
	if o.version == "" || o.revision == "" {
		return errors.New("-version and -revision are required")
	}
	tag, err := parseTag(o.tag)
	if err != nil {
		return fmt.Errorf("-tag: %w", err)
	}
	created := time.Unix(o.epoch, 0).UTC()
	labels := map[string]string{
		"org.opencontainers.image.title":       "steadycron",
		"org.opencontainers.image.description": "The Kubernetes CronJob controller, patched: cronjob-controller",
		"org.opencontainers.image.source":      o.source,
		"org.opencontainers.image.url":         o.source,
		"org.opencontainers.image.revision":    o.revision,
		"org.opencontainers.image.version":     o.version,
		"org.opencontainers.image.created":     created.Format(time.RFC3339),
		"org.opencontainers.image.licenses":    "Apache-2.0",
	}

	var adds []mutate.IndexAddendum
	images := map[string]v1.Image{}
	for _, b := range o.binaries {
		img, err := platformImage(b, created, labels, o.compression)
		if err != nil {
			return fmt.Errorf("%s: %w", b.platform, err)
		}
		p := b.platform
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
		images[archiveName(p)] = img
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	idx = mutate.AppendManifests(idx, adds...)
	idx = mutate.Annotations(idx, labels).(v1.ImageIndex)
	digest, err := idx.Digest()
	if err != nil {
		return fmt.Errorf("computing the index digest: %w", err)
	}

	if o.ociLayout != "" {
		if err := writeLayout(o.ociLayout, idx, tag); err != nil {
			return err
		}
	}
	if o.archiveDir != "" {
		if err := os.MkdirAll(o.archiveDir, 0o755); err != nil {
			return err
		}
		for file, img := range images {
			path := filepath.Join(o.archiveDir, file)
			if err := tarball.MultiRefWriteToFile(path, map[name.Reference]v1.Image{tag: img}); err != nil {
				return fmt.Errorf("writing %s: %w", path, err)
			}
		}
	}
	if o.digestFile != "" {
		if err := os.WriteFile(o.digestFile, []byte(digest.String()+"\n"), 0o644); err != nil {
			return err
		}
	}
	if o.push {
		if err := remote.WriteIndex(tag, idx, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
			return fmt.Errorf("pushing %s: %w", tag, err)
		}
		fmt.Fprintf(os.Stderr, "image: pushed %s@%s\n", tag, digest)
	}

	// The digests, on stdout: the index, then each platform's manifest.
	fmt.Printf("%s\tindex\t%s\n", digest, tag)
	m, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	for _, d := range m.Manifests {
		fmt.Printf("%s\t%s\n", d.Digest, d.Platform)
	}
	return nil
}

// platformImage is the image of one platform: one layer with the binary, on
// no base image.
func platformImage(b platformBinary, created time.Time, labels map[string]string, level int) (v1.Image, error) {
	layerTar, err := binaryLayer(b.path, created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressionLevel(level), tarball.WithCompressedCaching)
	if err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.Append(base, mutate.Addendum{
		Layer: layer,
		History: v1.History{
			Created: v1.Time{Time: created},
			// No path of the build machine: the config must not depend on it.
			CreatedBy: "scripts/image.sh: cronjob-controller for " + b.platform.String() + " as " + binaryPath,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("appending the layer: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Created = v1.Time{Time: created}
	cf.OS = b.platform.OS
	cf.Architecture = b.platform.Architecture
	cf.Variant = b.platform.Variant
	cf.Config = v1.Config{
		User:         user,
		Entrypoint:   []string{binaryPath},
		WorkingDir:   "/",
		ExposedPorts: map[string]struct{}{securePort: {}},
		Labels:       labels,
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("setting the config: %w", err)
	}
	return mutate.Annotations(img, labels).(v1.Image), nil
}

// binaryLayer is an uncompressed tar holding the file at path as
// binaryPath, owned by root, mode 0755, modified at created.
func binaryLayer(path string, created time.Time) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{
		Typeflag: tar.TypeReg,
		Name:     strings.TrimPrefix(binaryPath, "/"),
		Mode:     0o755,
		Size:     int64(len(data)),
		ModTime:  created,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(data); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeLayout replaces dir with an OCI image layout whose index.json points
// at idx, named by tag the way containerd and Docker name an image on import.
func writeLayout(dir string, idx v1.ImageIndex, tag name.Tag) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return fmt.Errorf("creating the OCI layout %s: %w", dir, err)
	}
	return p.AppendIndex(idx, layout.WithAnnotations(map[string]string{
		"io.containerd.image.name":          imageName(tag),
		"org.opencontainers.image.ref.name": tag.TagStr(),
	}))
}

// archiveName is the docker-archive file of platform p.
func archiveName(p v1.Platform) string {
	return "cronjob-controller-" + p.OS + "-" + p.Architecture + ".tar"
}
