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

// Package bench is steadycron's scale benchmark (issue 7, DESIGN.md §5): N
// CronJobs due at the same minute mark, each mode on a fresh local control
// plane from e2e/framework, timed from the mark to each Job's ADDED event on
// a watch. bench/cmd/cronbench is its command; scripts/bench.sh runs it.
package bench

import (
	"math"
	"sort"
	"strconv"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of ds by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. ds need not be sorted; it is not modified. Zero for no values.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if p <= 0 {
		return s[0]
	}
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = max(1, min(rank, len(s)))
	return s[rank-1]
}

// Completion is how long a mode took to create all N Jobs. When the mode did
// not finish within the observation window, Seconds is the window and
// LowerBound is set: the true time is longer (possibly never, as for the
// stock controller, whose late CronJobs skip to the next minute).
type Completion struct {
	Seconds    float64 `json:"seconds"`
	LowerBound bool    `json:"lowerBound"`
}

// Ratio compares the completion times of two modes, Num/Den.
type Ratio struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	// Bound is "" when Value is exact, ">=" or "<=" when one side was only a
	// lower bound, "?" when both were (nothing can be said).
	Bound  string `json:"bound"`
	Target string `json:"target"`
	// Met is whether the target holds as far as the bound allows (nil: not decidable).
	Met *bool `json:"met,omitempty"`
}

// Cmp is how a ratio is compared to its target.
type Cmp int

// Comparisons of a ratio with its target.
const (
	AtMost Cmp = iota
	AtLeast
	Below
	// NoTarget only computes the ratio: Target stays empty, Met nil.
	NoTarget
)

// ComputeRatio returns num/den with the bound implied by lower-bound inputs,
// judged against target (e.g. AtMost 1.3).
func ComputeRatio(name string, num, den Completion, cmp Cmp, target float64) Ratio {
	r := Ratio{Name: name}
	switch cmp {
	case AtMost:
		r.Target = "<= " + trimFloat(target)
	case AtLeast:
		r.Target = ">= " + trimFloat(target)
	case Below:
		r.Target = "< " + trimFloat(target)
	}
	if den.Seconds <= 0 {
		r.Bound = "?"
		return r
	}
	r.Value = num.Seconds / den.Seconds
	switch {
	case num.LowerBound && den.LowerBound:
		r.Bound = "?"
	case num.LowerBound:
		r.Bound = ">="
	case den.LowerBound:
		r.Bound = "<="
	}
	if cmp == NoTarget || r.Bound == "?" {
		return r
	}
	// The true ratio lies in [lo, hi].
	lo, hi := r.Value, r.Value
	switch r.Bound {
	case ">=":
		hi = math.Inf(1)
	case "<=":
		lo = 0
	}
	var met bool
	switch cmp {
	case AtMost:
		if hi <= target {
			met = true
		} else if lo <= target {
			return r // undecidable
		}
	case AtLeast:
		if lo >= target {
			met = true
		} else if hi >= target {
			return r
		}
	case Below:
		if hi < target {
			met = true
		} else if lo < target {
			return r
		}
	}
	r.Met = &met
	return r
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
