package dashboard

import (
	"sort"
	"strings"
	"time"

	"duban/progress"
)

// A Group is the standing of one unit or leader (or of everything): tasks
// by light, and the 通报's completion figures from progress.Completion.
type Group struct {
	Name   string                 `json:"name"`
	Lights map[progress.Light]int `json:"lights"` // every light, zeros included
	progress.Completion
	// Rate is Completion.Rate as a percentage rounded to one decimal;
	// null when nothing was due yet.
	Rate *float64 `json:"rate"`
}

func newGroup(name string) *Group {
	g := &Group{Name: name, Lights: map[progress.Light]int{}}
	for _, l := range progress.Lights {
		g.Lights[l] = 0
	}
	return g
}

func (g *Group) add(t *Task, asOf time.Time) {
	g.Lights[t.Light]++
	g.Completion.Add(t.due, t.Light, asOf)
}

func (g *Group) finish() {
	if r, ok := g.Completion.Rate(); ok {
		p := float64(int(r*1000+0.5)) / 10
		g.Rate = &p
	}
}

// RateText is the rate as the page prints it: 66.7%, or — when nothing
// was due.
func (g Group) RateText() string {
	if g.Rate == nil {
		return "—"
	}
	s := strings.TrimSuffix(strings.TrimRight(ftoa(*g.Rate), "0"), ".")
	return s + "%"
}

// groupBy counts ts per key (a task counts once in each of its keys).
func groupBy(ts []Task, asOf time.Time, keys func(*Task) []string) []Group {
	m := map[string]*Group{}
	var order []string
	for i := range ts {
		t := &ts[i]
		for _, k := range keys(t) {
			g, ok := m[k]
			if !ok {
				g = newGroup(k)
				m[k] = g
				order = append(order, k)
			}
			g.add(t, asOf)
		}
	}
	out := make([]Group, 0, len(order))
	for _, k := range order {
		m[k].finish()
		out = append(out, *m[k])
	}
	return out
}

// total counts every task of ts in one group.
func total(ts []Task, asOf time.Time) Group {
	g := newGroup("合计")
	for i := range ts {
		g.add(&ts[i], asOf)
	}
	g.finish()
	return *g
}

// sortGroups orders gs by key. "behind" (the default) puts the units most
// behind first: most overdue, then lowest rate, then most yellow, then most
// tasks; every order ends with the name, so it is stable.
func sortGroups(gs []Group, key string) {
	rate := func(g Group) float64 {
		if g.Rate == nil {
			return 101 // nothing due yet: behind no one
		}
		return *g.Rate
	}
	less := func(a, b Group) (bool, bool) {
		switch key {
		case "rate":
			if rate(a) != rate(b) {
				return rate(a) < rate(b), true
			}
		case "overdue":
			if a.Overdue != b.Overdue {
				return a.Overdue > b.Overdue, true
			}
		case "red", "yellow":
			l := progress.Light(key)
			if a.Lights[l] != b.Lights[l] {
				return a.Lights[l] > b.Lights[l], true
			}
		case "total":
			if a.Total != b.Total {
				return a.Total > b.Total, true
			}
		case "name":
		default: // behind
			switch {
			case a.Overdue != b.Overdue:
				return a.Overdue > b.Overdue, true
			case rate(a) != rate(b):
				return rate(a) < rate(b), true
			case a.Lights[progress.LightYellow] != b.Lights[progress.LightYellow]:
				return a.Lights[progress.LightYellow] > b.Lights[progress.LightYellow], true
			case a.Total != b.Total:
				return a.Total > b.Total, true
			}
		}
		return false, false
	}
	sort.SliceStable(gs, func(i, j int) bool {
		if l, ok := less(gs[i], gs[j]); ok {
			return l
		}
		return gs[i].Name < gs[j].Name
	})
}
