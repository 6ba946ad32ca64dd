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
}

var fieldRanges = [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}

func parseCron(s string) (*cronSpec, error) {
	parts := strings.Fields(s)
	if len(parts) != 5 {
		return nil, fmt.Errorf("schedule %q: want 5 fields", s)
	}
	c := &cronSpec{}
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

// times walks every minute of (from, to] and returns those whose wall clock
// time in loc the schedule matches: the model's scheduled times. A wall
// clock minute that a clock change repeats is two scheduled times, one that
// it skips is none.
func (c *cronSpec) times(loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	t := from.Truncate(time.Minute)
	if !t.After(from) {
		t = t.Add(time.Minute)
	}
	for ; !t.After(to); t = t.Add(time.Minute) {
		if c.matches(t.In(loc)) {
			out = append(out, t)
		}
	}
	return out
}
