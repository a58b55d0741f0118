package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"duban/kb"
	"duban/progress"
)

// The timeline is a calendar strip: one column per month, each dated task a
// square in the column of its due month, coloured by its light, linking to
// its task page. A county's tasks bunch at 年底 (171 of the seeds' 173 key
// tasks are due 12月31日), so a Gantt bar per task would be one wall;
// squares that wrap inside their month show the bunching as a height.

const (
	tlColW  = 84 // month column width
	tlCell  = 10 // square pitch
	tlPer   = 7  // squares per row in a column
	tlHead  = 34 // month labels and the as-of marker
	tlPad   = 6
	tlMaxTs = 400 // squares drawn per column before "+N"
)

// timelineSVG draws the dated tasks of ts from the earliest due month (or
// asOf's, if earlier) to the latest, at least the whole year of asOf.
// root is the relative path to the dashboard root, for the task links.
func timelineSVG(ts []Task, asOf time.Time, root, query string) template.HTML {
	y := asOf.In(kb.Location).Year()
	first := time.Date(y, 1, 1, 0, 0, 0, 0, kb.Location)
	last := time.Date(y, 12, 1, 0, 0, 0, 0, kb.Location)
	var dated []*Task
	for i := range ts {
		t := &ts[i]
		if t.due == nil {
			continue
		}
		dated = append(dated, t)
		m := time.Date(t.due.Year(), t.due.Month(), 1, 0, 0, 0, 0, kb.Location)
		if m.Before(first) {
			first = m
		}
		if m.After(last) {
			last = m
		}
	}
	var cols []time.Time
	for m := first; !m.After(last) && len(cols) < 36; m = m.AddDate(0, 1, 0) {
		cols = append(cols, m)
	}
	rank := map[progress.Light]int{}
	for i, l := range progress.Lights {
		rank[l] = i
	}
	sort.SliceStable(dated, func(i, j int) bool {
		a, b := dated[i], dated[j]
		if !a.due.Equal(b.due.Time) {
			return a.due.Before(b.due.Time)
		}
		return rank[a.Light] < rank[b.Light]
	})
	byCol := make([][]*Task, len(cols))
	for _, t := range dated {
		k := (t.due.Year()-first.Year())*12 + int(t.due.Month()) - int(first.Month())
		if k >= 0 && k < len(byCol) {
			byCol[k] = append(byCol[k], t)
		}
	}
	rows := 1
	for _, c := range byCol {
		rows = max(rows, (min(len(c), tlMaxTs)+tlPer-1)/tlPer)
	}
	w := tlPad*2 + tlColW*len(cols)
	h := tlHead + rows*tlCell + tlPad*2 + 14
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="到期时间轴">`, w, h, w, h)
	for k, m := range cols {
		x := tlPad + k*tlColW
		cls := "tm"
		if m.Year() == asOf.Year() && m.Month() == asOf.Month() {
			cls = "tm now"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d"/>`, cls, x+1, tlHead-8, tlColW-2, h-tlHead+6-tlPad)
		label := strconv.Itoa(int(m.Month())) + "月"
		if m.Month() == time.January || k == 0 {
			label = strconv.Itoa(m.Year()) + "年" + label
		}
		fmt.Fprintf(&b, `<text class="cl" x="%d" y="14">%s</text>`, x+4, label)
		fmt.Fprintf(&b, `<text class="cv" x="%d" y="%d" text-anchor="end">%d</text>`, x+tlColW-4, 14, len(byCol[k]))
		for i, t := range byCol[k] {
			if i == tlMaxTs {
				fmt.Fprintf(&b, `<text class="cl" x="%d" y="%d">+%d</text>`, x+4, h-4, len(byCol[k])-tlMaxTs)
				break
			}
			cx := x + 6 + (i%tlPer)*tlCell
			cy := tlHead + (i/tlPer)*tlCell
			tip := fmt.Sprintf("%s第%d项 %s 到期%s %s", t.TableLabel, t.No, t.Light.Label(), t.Due, cut(t.Text, 30))
			fmt.Fprintf(&b, `<a href="%stask/%s/%d%s"><rect class="sq %s" x="%d" y="%d" width="8" height="8"><title>%s</title></rect></a>`,
				root, html.EscapeString(string(t.Table)), t.No, html.EscapeString(query), t.Light, cx, cy, html.EscapeString(tip))
		}
	}
	// The as-of day as a line across its month column.
	if k := (asOf.Year()-first.Year())*12 + int(asOf.Month()) - int(first.Month()); k >= 0 && k < len(cols) {
		days := time.Date(asOf.Year(), asOf.Month()+1, 0, 0, 0, 0, 0, kb.Location).Day()
		x := tlPad + k*tlColW + 1 + (tlColW-2)*(asOf.Day()-1)/days
		fmt.Fprintf(&b, `<line class="asof" x1="%d" y1="18" x2="%d" y2="%d"/><text class="cl asoft" x="%d" y="28">%d日</text>`,
			x, x, h-tlPad, x+2, asOf.Day())
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built here; every text is escaped
}

// cut shortens s to n runes with an ellipsis, on one line.
func cut(s string, n int) string {
	s = oneLine(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// byDue returns ts ordered as the timeline lists them: by due date (the
// undated last), the worst light first on one day, then by table and number.
func byDue(ts []Task) []Task {
	out := append([]Task(nil), ts...)
	rank := map[progress.Light]int{}
	for i, l := range progress.Lights {
		rank[l] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		switch {
		case (a.due == nil) != (b.due == nil):
			return b.due == nil
		case a.due != nil && !a.due.Equal(b.due.Time):
			return a.due.Before(b.due.Time)
		case a.Light != b.Light:
			return rank[a.Light] < rank[b.Light]
		case a.Table != b.Table:
			return false // keep the base's table order
		}
		return a.No < b.No
	})
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
