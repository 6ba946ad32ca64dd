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

package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	dto "github.com/prometheus/client_model/go"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100
// on every Linux architecture Go supports.
const clockTicks = 100

// ProcSample is what the benchmark reads of a process from /proc.
type ProcSample struct {
	// CPUSeconds is utime+stime so far.
	CPUSeconds float64
	// PeakRSSBytes is VmHWM: the peak resident set size since the process started.
	PeakRSSBytes int64
	// VoluntarySwitches is voluntary_ctxt_switches summed over the
	// process's threads (those alive when read): how often they slept and
	// were woken, by a timer, the network or each other.
	VoluntarySwitches int64
}

// ReadProc samples /proc/<pid>/stat and /proc/<pid>/status.
func ReadProc(pid int) (ProcSample, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ProcSample{}, fmt.Errorf("reading /proc/%d/stat: %w", pid, err)
	}
	cpu, err := ParseStatCPU(string(stat))
	if err != nil {
		return ProcSample{}, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ProcSample{}, fmt.Errorf("reading /proc/%d/status: %w", pid, err)
	}
	hwm, err := ParseStatusHWM(string(status))
	if err != nil {
		return ProcSample{}, fmt.Errorf("/proc/%d/status: %w", pid, err)
	}
	switches, err := readVoluntarySwitches(pid)
	if err != nil {
		return ProcSample{}, err
	}
	return ProcSample{CPUSeconds: cpu, PeakRSSBytes: hwm, VoluntarySwitches: switches}, nil
}

// readVoluntarySwitches sums voluntary_ctxt_switches of /proc/<pid>/task/*/status;
// a thread that exits while it is read is skipped.
func readVoluntarySwitches(pid int) (int64, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", dir, err)
	}
	var sum int64
	for _, t := range tasks {
		status, err := os.ReadFile(filepath.Join(dir, t.Name(), "status"))
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("reading %s/%s/status: %w", dir, t.Name(), err)
		}
		n, err := ParseStatusCount(string(status), "voluntary_ctxt_switches")
		if err != nil {
			return 0, fmt.Errorf("%s/%s/status: %w", dir, t.Name(), err)
		}
		sum += n
	}
	return sum, nil
}

// ParseStatusCount returns the count field key (such as
// voluntary_ctxt_switches) of a /proc/<pid>/status file.
func ParseStatusCount(status, key string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		v, ok := strings.CutPrefix(line, key+":")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", key, err)
		}
		return n, nil
	}
	return 0, fmt.Errorf("no %s line", key)
}

// ParseStatCPU returns utime+stime, in seconds, of a /proc/<pid>/stat line.
// The command name (field 2) may contain spaces and parentheses, so fields
// are counted from the last ')'.
func ParseStatCPU(stat string) (float64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("no ')' in %q", stat)
	}
	// After ')': field 3 (state) is rest[0]; utime (14) and stime (15) are rest[11], rest[12].
	rest := strings.Fields(stat[i+1:])
	if len(rest) < 13 {
		return 0, fmt.Errorf("too few fields in %q", stat)
	}
	utime, err := strconv.ParseInt(rest[11], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("utime: %w", err)
	}
	stime, err := strconv.ParseInt(rest[12], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("stime: %w", err)
	}
	return float64(utime+stime) / clockTicks, nil
}

// ParseStatusHWM returns VmHWM, in bytes, of a /proc/<pid>/status file.
func ParseStatusHWM(status string) (int64, error) { return ParseStatusKB(status, "VmHWM") }

// ParseStatusKB returns the field key (such as VmRSS or VmHWM, given in kB),
// in bytes, of a /proc/<pid>/status file.
func ParseStatusKB(status, key string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		v, ok := strings.CutPrefix(line, key+":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("unexpected %s line %q", key, line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", key, err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("no %s line", key)
}

// CounterSum sums a counter family's samples, keyed by the value of label
// (all under "" when label is empty). Missing family: nil.
func CounterSum(families map[string]*dto.MetricFamily, name, label string) map[string]float64 {
	f, ok := families[name]
	if !ok {
		return nil
	}
	out := map[string]float64{}
	for _, m := range f.GetMetric() {
		key := ""
		if label != "" {
			for _, lp := range m.GetLabel() {
				if lp.GetName() == label {
					key = lp.GetValue()
				}
			}
		}
		out[key] += m.GetCounter().GetValue()
	}
	return out
}

// Delta returns after-before per key, dropping zero entries, and the total.
func Delta(before, after map[string]float64) (map[string]float64, float64) {
	out := map[string]float64{}
	var total float64
	for k, a := range after {
		if d := a - before[k]; d != 0 {
			out[k] = d
			total += d
		}
	}
	return out, total
}
