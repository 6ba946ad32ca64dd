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

package framework

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/klog/v2"
)

// process is one program of the control plane, run in a process group of its
// own so that it and anything it forks are signalled together, and so that a
// Ctrl-C on the terminal reaches the test binary only (which then tears down
// in order). Its stdout and stderr go to a log file in the artifacts dir.
type process struct {
	name    string
	logPath string
	// bin, env and args are kept so that the process can be started again
	// the same way (see relaunch).
	bin     string
	env     []string
	args    []string
	cmd     *exec.Cmd
	logFile *os.File
	done    chan struct{}
	waitErr error
}

// running holds every started process until it has exited, so that a signal
// handler can kill whatever is left.
var running = struct {
	sync.Mutex
	procs map[*process]struct{}
}{procs: map[*process]struct{}{}}

// startProcess starts bin with args. The log file is appended to, so that a
// component restarted during a test keeps one log with every run in it.
func startProcess(name, logPath string, env []string, bin string, args ...string) (*process, error) {
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%s: %w (build it with `make cluster-binaries` or `make build`)", name, err)
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the log of %s: %w", name, err)
	}
	fmt.Fprintf(logFile, "=== %s: %s %s\n", time.Now().UTC().Format(time.RFC3339Nano), bin, strings.Join(args, " "))

	cmd := exec.Command(bin, args...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid: true,
		// If the test binary dies without cleaning up (go test's -timeout
		// panics, SIGKILL), the kernel kills the child.
		Pdeathsig: syscall.SIGKILL,
	}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &process{name: name, logPath: logPath, bin: bin, env: env, args: args, cmd: cmd, logFile: logFile, done: make(chan struct{})}
	running.Lock()
	running.procs[p] = struct{}{}
	running.Unlock()
	klog.V(2).InfoS("Started process", "name", name, "pid", cmd.Process.Pid, "log", logPath)

	go func() {
		p.waitErr = cmd.Wait()
		_ = logFile.Close()
		running.Lock()
		delete(running.procs, p)
		running.Unlock()
		close(p.done)
	}()
	return p, nil
}

// relaunch starts the program again with the same command line, environment
// and log file, once the process has exited.
func (p *process) relaunch() (*process, error) {
	if ok, _ := p.exited(); !ok {
		return nil, fmt.Errorf("%s (pid %d) is still running", p.name, p.pid())
	}
	return startProcess(p.name, p.logPath, p.env, p.bin, p.args...)
}

// pid is the process id, which is also its process group id.
func (p *process) pid() int { return p.cmd.Process.Pid }

// exited reports whether the process has ended, and how.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.waitErr
	default:
		return false, nil
	}
}

// errIfExited returns an error naming the process and its log when it has
// ended; the readiness waits use it to fail at once instead of timing out.
func (p *process) errIfExited() error {
	if ok, err := p.exited(); ok {
		return fmt.Errorf("%s exited (%v); last lines of %s:\n%s", p.name, err, p.logPath, tail(p.logPath, 20))
	}
	return nil
}

// stop sends SIGTERM to the process group and waits up to grace for it to
// exit, then sends SIGKILL.
func (p *process) stop(grace time.Duration) error {
	if ok, _ := p.exited(); ok {
		return nil
	}
	if err := syscall.Kill(-p.pid(), syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("signalling %s (pid %d): %w", p.name, p.pid(), err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
		klog.InfoS("Process did not stop in time; killing it", "name", p.name, "pid", p.pid(), "grace", grace)
		return p.kill()
	}
}

// kill sends SIGKILL to the process group and waits for the process to exit.
func (p *process) kill() error {
	if err := syscall.Kill(-p.pid(), syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing %s (pid %d): %w", p.name, p.pid(), err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(10 * time.Second):
		return fmt.Errorf("%s (pid %d) still running 10s after SIGKILL", p.name, p.pid())
	}
}

// killAll kills every process still running. It is the last resort of the
// signal handler, after an orderly stop was tried or could not be.
func killAll() {
	running.Lock()
	procs := make([]*process, 0, len(running.procs))
	for p := range running.procs {
		procs = append(procs, p)
	}
	running.Unlock()
	for _, p := range procs {
		_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
	}
}

// tail returns up to the last n lines of a file, for error messages.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// PID returns the process id of a running control-plane component of a
// local cluster: "etcd", "kube-apiserver", "kube-controller-manager" or
// "kwok".
func (c *Cluster) PID(name string) (int, error) {
	if c.cp == nil {
		return 0, ErrExternalCluster
	}
	c.cp.mu.Lock()
	defer c.cp.mu.Unlock()
	for _, p := range c.cp.procs {
		if p.name != name {
			continue
		}
		if ok, _ := p.exited(); ok {
			return 0, fmt.Errorf("%s has exited", name)
		}
		return p.pid(), nil
	}
	return 0, fmt.Errorf("no process %q in the control plane", name)
}

// PID returns the process id of the running instance.
func (s *Steadycron) PID() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0, fmt.Errorf("%s was never started", s.Name)
	}
	if ok, _ := s.proc.exited(); ok {
		return 0, fmt.Errorf("%s has exited", s.Name)
	}
	return s.proc.pid(), nil
}
