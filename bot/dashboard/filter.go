package dashboard

import (
	"net/url"
	"strings"

	"duban/kb"
	"duban/kb/names"
	"duban/progress"
)

// A Filter narrows the view; every page, export and JSON endpoint reads the
// same query parameters, so a link or a download is the view on screen.
// An empty field matches everything.
type Filter struct {
	Table   kb.Table       `json:"table,omitempty"`   // ?table=key_tasks
	Section string         `json:"section,omitempty"` // ?section=…, exact
	Unit    string         `json:"unit,omitempty"`    // ?unit=住建局, lead unit, aliases allowed
	Leader  string         `json:"leader,omitempty"`  // ?leader=周国强, 牵头领导 or 分管 leader
	Light   progress.Light `json:"light,omitempty"`   // ?light=red
	Sort    string         `json:"sort,omitempty"`    // ?sort=behind|rate|overdue|red|total|name
}

// sortKeys are the overview's sort orders; the first is the default.
var sortKeys = []string{"behind", "rate", "overdue", "red", "yellow", "total", "name"}

// parseFilter reads a Filter from a query; unknown values are dropped, so
// a stale bookmark shows everything rather than nothing.
func parseFilter(q url.Values) Filter {
	f := Filter{
		Table:   kb.Table(strings.TrimSpace(q.Get("table"))),
		Section: strings.TrimSpace(q.Get("section")),
		Unit:    strings.TrimSpace(q.Get("unit")),
		Leader:  names.Clean(q.Get("leader")),
		Light:   progress.Light(q.Get("light")),
		Sort:    q.Get("sort"),
	}
	if f.Unit != "" {
		f.Unit = names.Unit(f.Unit)
	}
	if !contains(lightNames(), string(f.Light)) {
		f.Light = ""
	}
	if !contains(sortKeys, f.Sort) {
		f.Sort = ""
	}
	return f
}

func lightNames() []string {
	out := make([]string, len(progress.Lights))
	for i, l := range progress.Lights {
		out[i] = string(l)
	}
	return out
}

// match reports whether t passes every field of f.
func (f Filter) match(t *Task) bool {
	switch {
	case f.Table != "" && t.Table != f.Table:
		return false
	case f.Section != "" && t.Section != f.Section:
		return false
	case f.Unit != "" && !contains(t.LeadUnits, f.Unit):
		return false
	case f.Leader != "" && !contains(t.Leaders(), f.Leader):
		return false
	case f.Light != "" && t.Light != f.Light:
		return false
	}
	return true
}

// apply returns the tasks that pass f.
func (f Filter) apply(ts []Task) []Task {
	var out []Task
	for i := range ts {
		if f.match(&ts[i]) {
			out = append(out, ts[i])
		}
	}
	return out
}

// query returns f as query parameters plus asOf, for links and downloads;
// set overrides one parameter ("" removes it).
func (f Filter) query(asOf string, set ...string) string {
	v := url.Values{}
	put := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	put("asof", asOf)
	put("table", string(f.Table))
	put("section", f.Section)
	put("unit", f.Unit)
	put("leader", f.Leader)
	put("light", string(f.Light))
	put("sort", f.Sort)
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			v.Del(set[i])
		} else {
			v.Set(set[i], set[i+1])
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}
