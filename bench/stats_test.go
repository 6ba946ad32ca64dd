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
	"os"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/utils/ptr"
)

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[99-i] = i + 1 // 100..1, unsorted
	}
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 99, 7 * time.Millisecond},
		{"p50 of odd count", ms(3, 1, 2), 50, 2 * time.Millisecond},
		{"p50 of even count is the lower middle", ms(4, 1, 3, 2), 50, 2 * time.Millisecond},
		{"p100 is the max", ms(4, 1, 3, 2), 100, 4 * time.Millisecond},
		{"p0 is the min", ms(4, 1, 3, 2), 0, 1 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p99 of 10 is the max", ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 99, 10 * time.Millisecond},
		{"p90 of 10", ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 90, 9 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := append([]time.Duration(nil), tt.in...)
			assert.Equal(t, tt.want, Percentile(tt.in, tt.p))
			assert.Equal(t, orig, tt.in, "input modified")
		})
	}
}

func TestComputeRatio(t *testing.T) {
	exact := func(s float64) Completion { return Completion{Seconds: s} }
	atLeast := func(s float64) Completion { return Completion{Seconds: s, LowerBound: true} }
	tests := []struct {
		name      string
		num, den  Completion
		cmp       Cmp
		target    float64
		wantValue float64
		wantBound string
		wantMet   *bool
	}{
		{"b/d within 1.3", exact(5), exact(4), AtMost, 1.3, 1.25, "", ptr.To(true)},
		{"b/d above 1.3", exact(60), exact(4), AtMost, 1.3, 15, "", ptr.To(false)},
		{"b/d, b incomplete and already above", atLeast(115), exact(4), AtMost, 1.3, 28.75, ">=", ptr.To(false)},
		{"b/d, b incomplete but below: undecidable", atLeast(5), exact(4), AtMost, 1.3, 1.25, ">=", nil},
		{"a/b >= 20", exact(100), exact(4), AtLeast, 20, 25, "", ptr.To(true)},
		{"a/b below 20", exact(100), exact(50), AtLeast, 20, 2, "", ptr.To(false)},
		{"a incomplete, ratio already >= 20", atLeast(115), exact(5), AtLeast, 20, 23, ">=", ptr.To(true)},
		{"a incomplete, ratio below 20: undecidable", atLeast(115), exact(60), AtLeast, 20, 115.0 / 60, ">=", nil},
		{"both incomplete", atLeast(115), atLeast(115), AtLeast, 20, 1, "?", nil},
		{"c faster than a, a incomplete", exact(50), atLeast(115), Below, 1, 50.0 / 115, "<=", ptr.To(true)},
		{"c and a incomplete", atLeast(115), atLeast(115), Below, 1, 1, "?", nil},
		{"c slower than a", exact(70), exact(60), Below, 1, 70.0 / 60, "", ptr.To(false)},
		{"zero denominator", exact(1), exact(0), AtMost, 1.3, 0, "?", nil},
		{"no target: never judged", exact(10), exact(5), NoTarget, 0, 2, "", nil},
		{"no target, one side a bound", atLeast(300), exact(100), NoTarget, 0, 3, ">=", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ComputeRatio("x", tt.num, tt.den, tt.cmp, tt.target)
			assert.InDelta(t, tt.wantValue, r.Value, 1e-9)
			assert.Equal(t, tt.wantBound, r.Bound)
			assert.Equal(t, tt.wantMet, r.Met)
		})
	}
}

func TestComputeRatios(t *testing.T) {
	modes := []*ModeResult{
		{Mode: ModeStock, Completion: Completion{Seconds: 115, LowerBound: true}},
		{Mode: ModeSteadycron, Completion: Completion{Seconds: 5}},
		{Mode: ModeRaw, Completion: Completion{Seconds: 4}},
	}
	rs := ComputeRatios(modes)
	require.Len(t, rs, 2, "no (c) without the budget mode")
	assert.Equal(t, "<= 1.3", rs[0].Target)
	assert.InDelta(t, 1.25, rs[0].Value, 1e-9)
	assert.Equal(t, ">=", rs[1].Bound)
	assert.InDelta(t, 23, rs[1].Value, 1e-9)
}

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    float64
		wantErr bool
	}{
		{"plain", "4597 (cat) R 4594 4594 3353 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0 560833", 3.0, false},
		{"name with spaces and parens", "12 (a b) c)) S 1 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 5", 0.1, false},
		{"no paren", "12 cat R", 0, true},
		{"too short", "12 (cat) R 1 2", 0, true},
		{"not a number", "4597 (cat) R 4594 4594 3353 0 -1 4194304 100 0 0 0 x 50 0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStatCPU(tt.stat)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.InDelta(t, tt.want, got, 1e-9)
		})
	}
}

func TestParseStatusHWM(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    int64
		wantErr bool
	}{
		{"present", "Name:\tx\nVmPeak:\t  10 kB\nVmHWM:\t   2048 kB\nVmRSS:\t 1 kB\n", 2048 * 1024, false},
		{"absent (kernel thread)", "Name:\tkthreadd\n", 0, true},
		{"odd unit", "VmHWM:\t 5 MB\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStatusHWM(tt.status)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatusKB(t *testing.T) {
	status := "Name:\tx\nVmHWM:\t   2048 kB\nVmRSS:\t 1024 kB\n"
	tests := []struct {
		key     string
		want    int64
		wantErr bool
	}{
		{"VmRSS", 1024 * 1024, false},
		{"VmHWM", 2048 * 1024, false},
		{"VmSwap", 0, true},
		{"Vm", 0, true}, // a prefix of a key is not the key
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := ParseStatusKB(status, tt.key)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatusCount(t *testing.T) {
	status := "Name:\tx\nvoluntary_ctxt_switches:\t1234\nnonvoluntary_ctxt_switches:\t56\n"
	got, err := ParseStatusCount(status, "voluntary_ctxt_switches")
	require.NoError(t, err)
	assert.Equal(t, int64(1234), got)
	got, err = ParseStatusCount(status, "nonvoluntary_ctxt_switches")
	require.NoError(t, err)
	assert.Equal(t, int64(56), got)
	_, err = ParseStatusCount("nonvoluntary_ctxt_switches:\t56\n", "voluntary_ctxt_switches")
	assert.Error(t, err, "a key that ends another is not that key")
	_, err = ParseStatusCount("voluntary_ctxt_switches:\tmany\n", "voluntary_ctxt_switches")
	assert.Error(t, err)
}

// TestReadProcWakeups reads this test's own process: its threads have slept
// and been woken at least once each.
func TestReadProcWakeups(t *testing.T) {
	s, err := ReadProc(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, s.VoluntarySwitches)
}

func counter(method string, v float64) *dto.Metric {
	return &dto.Metric{
		Label:   []*dto.LabelPair{{Name: ptr.To("method"), Value: ptr.To(method)}, {Name: ptr.To("code"), Value: ptr.To("200")}},
		Counter: &dto.Counter{Value: ptr.To(v)},
	}
}

func TestCounterSumAndDelta(t *testing.T) {
	fams := func(post, get float64) map[string]*dto.MetricFamily {
		return map[string]*dto.MetricFamily{"rest_client_requests_total": {Metric: []*dto.Metric{counter("POST", post), counter("GET", get), counter("GET", 1)}}}
	}
	before := CounterSum(fams(10, 5), "rest_client_requests_total", "method")
	assert.Equal(t, map[string]float64{"POST": 10, "GET": 6}, before)
	after := CounterSum(fams(1010, 5), "rest_client_requests_total", "method")
	byMethod, total := Delta(before, after)
	assert.Equal(t, map[string]float64{"POST": 1000}, byMethod)
	assert.InDelta(t, 1000, total, 1e-9)
	assert.Nil(t, CounterSum(fams(1, 1), "missing", "method"))
	assert.Equal(t, map[string]float64{"": 13}, CounterSum(fams(6, 6), "rest_client_requests_total", ""))
	_, total = Delta(nil, after)
	assert.InDelta(t, 1016, total, 1e-9)
}
