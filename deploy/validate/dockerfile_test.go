package validate

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestDockerfile parses the Dockerfile with BuildKit's own parser (docker
// build, buildx and most builders use it) and checks the contract of the
// image: a builder that runs `make build`, and a final image with only the
// static binary, from distroless static, as a non-root user.
func TestDockerfile(t *testing.T) {
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("parsing the Dockerfile: %v", err)
	}
	for _, w := range res.Warnings {
		t.Errorf("Dockerfile line %d: %s", w.Location.Start.Line, w.Short)
	}
	stages, _, err := instructions.Parse(res.AST, nil)
	if err != nil {
		t.Fatalf("Dockerfile instructions: %v", err)
	}
	if len(stages) != 2 {
		t.Fatalf("want a build stage and a final stage, got %d stages", len(stages))
	}
	build, final := stages[0], stages[1]

	runsMakeBuild := false
	for _, cmd := range build.Commands {
		if r, ok := cmd.(*instructions.RunCommand); ok && strings.Contains(strings.Join(r.CmdLine, " "), "make build") {
			runsMakeBuild = true
		}
	}
	if !runsMakeBuild {
		t.Error("the build stage must run `make build`, as CI does")
	}

	if !strings.HasPrefix(final.BaseName, "gcr.io/distroless/static") || !strings.Contains(final.BaseName, "nonroot") {
		t.Errorf("final stage from %q, want gcr.io/distroless/static...:nonroot", final.BaseName)
	}
	var user string
	var entrypoint []string
	copies := 0
	for _, cmd := range final.Commands {
		switch c := cmd.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.EntrypointCommand:
			if c.PrependShell {
				t.Error("ENTRYPOINT must use the exec form: the image has no shell")
			}
			entrypoint = c.CmdLine
		case *instructions.CopyCommand:
			copies++
			if c.From != build.Name {
				t.Errorf("the final stage copies from %q, want only the build stage", c.From)
			}
		case *instructions.RunCommand:
			t.Error("RUN in the final stage: distroless has no shell")
		}
	}
	if uid, _, _ := strings.Cut(user, ":"); uid == "" || uid == "0" || uid == "root" {
		t.Errorf("USER %q, want a numeric non-root user (Kubernetes' runAsNonRoot checks the image's numeric UID)", user)
	}
	if copies != 1 {
		t.Errorf("the final stage has %d COPY instructions, want the binary only", copies)
	}
	if len(entrypoint) != 1 || entrypoint[0] != "/cronjob-controller" {
		t.Errorf("ENTRYPOINT %v, want [/cronjob-controller]", entrypoint)
	}
}

// TestDockerignoreKeepsTheBuildInputs: `make build` needs go.mod, the
// sources, scripts/, patches/ and .git (the version stamp); .dockerignore
// may leave out only what git ignores anyway.
func TestDockerignoreKeepsTheBuildInputs(t *testing.T) {
	f, err := os.Open("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	allowed := map[string]bool{"_output/": true, "_output": true, "pkg/controller/cronjob/": true, "pkg/controller/cronjob": true}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !allowed[line] {
			t.Errorf(".dockerignore excludes %q: only git-ignored build outputs may be left out", line)
		}
	}
}
