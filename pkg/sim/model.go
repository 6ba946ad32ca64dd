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

package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cronSpec is a five-field cron schedule as the model reads it, written
// without the controller's cron library: the set of minutes, hours, days of
// the month, months and days of the week it fires at. Only what the
// simulation's schedules use is supported: *, ?, lists, ranges and steps.
type cronSpec struct {
	fields [5]map[int]bool
	// domStar and dowStar: the field was * or ?; cron's rule is that a day
	// matches both day fields when either is *, and either otherwise.
	domStar, dowStar bool
	// fixed: neither the minute nor the hour field holds * or ?: the
	// schedule names fixed wall clock times, which cron(8) runs once across
	// a clock change (see times).
	fixed bool
}

var fieldRanges = [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}

func parseCron(s string) (*cronSpec, error) {
	parts := strings.Fields(s)
	if len(parts) != 5 {
		return nil, fmt.Errorf("schedule %q: want 5 fields", s)
	}
	c := &cronSpec{fixed: !strings.ContainsAny(parts[0]+parts[1], "*?")}
	for i, p := range parts {
		c.fields[i] = map[int]bool{}
		lo, hi := fieldRanges[i][0], fieldRanges[i][1]
		for _, item := range strings.Split(p, ",") {
			step, hadStep := 1, false
			if r, st, ok := strings.Cut(item, "/"); ok {
				n, err := strconv.Atoi(st)
				if err != nil || n < 1 {
					return nil, fmt.Errorf("schedule %q: bad step %q", s, st)
				}
				item, step, hadStep = r, n, true
			}
			from, to := lo, hi
			switch {
			case item == "*" || item == "?":
				if i == 2 && step == 1 {
					c.domStar = true
				}
				if i == 4 && step == 1 {
					c.dowStar = true
				}
			case strings.Contains(item, "-"):
				a, b, _ := strings.Cut(item, "-")
				var err1, err2 error
				from, err1 = strconv.Atoi(a)
				to, err2 = strconv.Atoi(b)
				if err1 != nil || err2 != nil {
					return nil, fmt.Errorf("schedule %q: bad range %q", s, item)
				}
			default:
				n, err := strconv.Atoi(item)
				if err != nil {
					return nil, fmt.Errorf("schedule %q: bad value %q", s, item)
				}
				from, to = n, n
				if hadStep {
					to = hi
				}
			}
			for v := from; v <= to; v += step {
				d := v
				if i == 4 && d == 7 {
					d = 0 // Sunday
				}
				c.fields[i][d] = true
			}
		}
	}
	return c, nil
}

// matches reports whether the wall clock time t (in the schedule's zone)
// is one of the schedule's times.
func (c *cronSpec) matches(t time.Time) bool {
	if t.Second() != 0 || !c.fields[0][t.Minute()] || !c.fields[1][t.Hour()] || !c.fields[3][int(t.Month())] {
		return false
	}
	dom, dow := c.fields[2][t.Day()], c.fields[4][int(t.Weekday())]
	if c.domStar || c.dowStar {
		return dom && dow
	}
	return dom || dow
}

// times walks every minute of (from, to] and returns the model's scheduled
// times: the instants whose wall clock time in loc the schedule matches, with
// cron(8)'s rule for fixed wall clock times (see fixed) when the clocks
// change: a time the change repeats runs only at its first occurrence, and
// a time it skips runs right after the change, at the first instant whose
// wall clock is past the gap. Any other schedule runs twice in a repeated
// hour and not at all in a skipped one.
func (c *cronSpec) times(loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	t := from.Truncate(time.Minute)
	if !t.After(from) {
		t = t.Add(time.Minute)
	}
	for ; !t.After(to); t = t.Add(time.Minute) {
		wall := t.In(loc)
		if c.matches(wall) {
			if !c.fixed || !c.repeated(wall) {
				out = append(out, t)
			}
			continue
		}
		if c.fixed && c.skippedMatch(t, loc) {
			out = append(out, t)
		}
	}
	return out
}

// repeated reports whether the wall clock time of wall already occurred
// earlier in the same zone (the clocks went back over it).
func (c *cronSpec) repeated(wall time.Time) bool {
	for back := 15 * time.Minute; back <= 3*time.Hour; back += 15 * time.Minute {
		e := wall.Add(-back)
		if e.Year() == wall.Year() && e.YearDay() == wall.YearDay() && e.Hour() == wall.Hour() && e.Minute() == wall.Minute() {
			return true
		}
	}
	return false
}

// skippedMatch reports whether the clocks went forward at t (the wall clock
// a minute earlier plus a minute is not t's) over a wall clock minute that
// the schedule matches.
func (c *cronSpec) skippedMatch(t time.Time, loc *time.Location) bool {
	prev := t.Add(-time.Minute).In(loc)
	wall := t.In(loc)
	// The wall clock minutes the change skipped: after prev, before wall.
	gapStart := time.Date(prev.Year(), prev.Month(), prev.Day(), prev.Hour(), prev.Minute()+1, 0, 0, time.UTC)
	gapEnd := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, time.UTC)
	for m := gapStart; m.Before(gapEnd); m = m.Add(time.Minute) {
		if c.matches(m) {
			return true
		}
	}
	return false
}
