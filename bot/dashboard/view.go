package dashboard

import (
	"context"
	"net/http"
	"sort"
	"time"

	"duban/kb"
)

// view is one request's data: the base, the day, every task at that day,
// the filtered ones and their board.
type view struct {
	base  *kb.Base
	hist  histories
	asOf  time.Time // end of the as-of day
	day   string    // ISO as-of day
	all   []Task
	board Board
}

// load computes the view of r: the as-of day from ?asof= (default: today),
// the filter from the other parameters. The code is the HTTP status of a
// failure.
func (d *Dashboard) load(r *http.Request) (*view, int, error) {
	b := d.cfg.Base()
	if b == nil {
		return nil, http.StatusServiceUnavailable, errNoBase
	}
	day := d.cfg.Now().In(kb.Location)
	if s := r.URL.Query().Get("asof"); s != "" {
		t, err := parseDay(s)
		if err != nil {
			return nil, http.StatusBadRequest, err
		}
		day = t
	}
	v, err := d.compute(r.Context(), b, day, parseFilter(r.URL.Query()))
	if err != nil {
		return nil, http.StatusInternalServerError, err
	}
	return v, 0, nil
}

// compute builds the view of base b at the end of day under filter f.
func (d *Dashboard) compute(ctx context.Context, b *kb.Base, day time.Time, f Filter) (*view, error) {
	hist, err := loadHistories(ctx, b, d.cfg.History)
	if err != nil {
		return nil, err
	}
	end := endOfDay(day)
	v := &view{base: b, hist: hist, asOf: end, day: end.Format(time.DateOnly)}
	v.all = build(b, hist, end, d.cfg.Thresholds)
	ts := f.apply(v.all)
	v.board = Board{
		AsOf: v.day, Filter: f, Tasks: ts, asOf: end,
		Total:   total(ts, end),
		Units:   groupBy(ts, end, func(t *Task) []string { return t.LeadUnits }),
		Leaders: groupBy(ts, end, func(t *Task) []string { return t.Leaders() }),
		Months:  months(ts, hist, end),
		Ahead:   ahead(ts, end),
	}
	// A chosen unit or leader is the one row of its table: the tasks'
	// other lead units (joint leads) are not what was asked for.
	if f.Unit != "" {
		v.board.Units = only(v.board.Units, f.Unit)
	}
	if f.Leader != "" {
		v.board.Leaders = only(v.board.Leaders, f.Leader)
	}
	sortGroups(v.board.Units, f.Sort)
	sortGroups(v.board.Leaders, f.Sort)
	return v, nil
}

func only(gs []Group, name string) []Group {
	for _, g := range gs {
		if g.Name == name {
			return []Group{g}
		}
	}
	return []Group{}
}

// facets are the filter's choices, from every task (not the filtered
// ones, so a choice can be changed without clearing the others first).
type facets struct {
	Tables   []kb.TableInfo
	Sections []string
	Units    []string
	Leaders  []string
}

func (v *view) facets() facets {
	var fc facets
	fc.Tables = v.base.Tables()
	f := v.board.Filter
	count := func(m map[string]int, xs []string) {
		for _, x := range xs {
			if x != "" {
				m[x]++
			}
		}
	}
	secs, units, leaders := map[string]int{}, map[string]int{}, map[string]int{}
	var secOrder []string
	for i := range v.all {
		t := &v.all[i]
		if (f.Table == "" || t.Table == f.Table) && t.Section != "" {
			if secs[t.Section] == 0 {
				secOrder = append(secOrder, t.Section)
			}
			secs[t.Section]++
		}
		count(units, t.LeadUnits)
		count(leaders, t.Leaders())
	}
	fc.Sections = secOrder
	fc.Units = byCount(units)
	fc.Leaders = byCount(leaders)
	return fc
}

// byCount returns m's keys, most frequent first, then by name.
func byCount(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}
