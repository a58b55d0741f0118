package dashboard

import (
	"net/http"
	"sort"
	"strings"

	"duban/progress"
)

// reportPage is the 通报 of issue 17 as a printable A4 page: completion by
// unit and the red tasks by unit, for the current filter and as-of day.
type reportPage struct {
	Units []Group   // every unit with a task due so far, lowest rate first
	Red   []redUnit // units with red tasks, most first
	Red0  int       // red tasks in all
	Scope string    // the filter in words: 2020年重点工作任务 · 住建局
}

type redUnit struct {
	Unit  string
	Tasks []Task
}

func buildReport(b *Board) *reportPage {
	rp := &reportPage{}
	for _, g := range b.Units {
		if g.Due > 0 {
			rp.Units = append(rp.Units, g)
		}
	}
	sortGroups(rp.Units, "rate")
	m := map[string][]Task{}
	for _, t := range byDue(b.Tasks) {
		if t.Light != progress.LightRed {
			continue
		}
		rp.Red0++
		for _, u := range t.LeadUnits {
			m[u] = append(m[u], t)
		}
	}
	for u, ts := range m {
		rp.Red = append(rp.Red, redUnit{Unit: u, Tasks: ts})
	}
	sort.Slice(rp.Red, func(i, j int) bool {
		if len(rp.Red[i].Tasks) != len(rp.Red[j].Tasks) {
			return len(rp.Red[i].Tasks) > len(rp.Red[j].Tasks)
		}
		return rp.Red[i].Unit < rp.Red[j].Unit
	})
	return rp
}

func (d *Dashboard) report(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	rp := buildReport(&v.board)
	f := v.board.Filter
	var scope []string
	if f.Table != "" {
		label := string(f.Table)
		if ti, ok := v.base.Table(f.Table); ok && ti.Label != "" {
			label = ti.Label
		}
		scope = append(scope, label)
	}
	for _, s := range []string{f.Section, f.Unit, f.Leader, f.Light.Label()} {
		if s != "" {
			scope = append(scope, s)
		}
	}
	rp.Scope = strings.Join(scope, " · ")
	d.render(w, r, "report", &page{Title: "督办通报", Tab: "report", Root: "./", Day: v.day, Board: &v.board, Report: rp})
}
