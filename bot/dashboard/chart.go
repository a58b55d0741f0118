package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// Charts are drawn on the server as inline SVG: a few hundred bytes, no
// script and no library, offline, and printed as crisply as text. Colours
// come from CSS classes (style.css), so the print page can restyle them.

// barChart draws one bar pair per point: back (grey, e.g. due) with front
// (coloured, e.g. done) over it, labelled below and valued above.
type barChart struct {
	Title       string
	Labels      []string
	Back, Front []int
	BackName    string // legend of Back, "" for no back bars
	FrontName   string
	FrontClass  string // CSS class of the front bars
}

const (
	chartW, chartH = 520, 190
	chartPadL      = 30
	chartPadB      = 22
	chartPadT      = 36 // title and legend above the tallest bar's value
)

func (c barChart) svg() template.HTML {
	n := len(c.Labels)
	if n == 0 {
		return ""
	}
	top := 1
	for i := 0; i < n; i++ {
		top = max(top, at(c.Back, i), at(c.Front, i))
	}
	plotW := float64(chartW - chartPadL - 6)
	plotH := float64(chartH - chartPadB - chartPadT)
	slot := plotW / float64(n)
	bw := slot * 0.62
	y := func(v int) float64 { return float64(chartPadT) + plotH - plotH*float64(v)/float64(top) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, chartW, chartH, html.EscapeString(c.Title))
	fmt.Fprintf(&b, `<text class="ct" x="%d" y="14">%s</text>`, chartPadL, html.EscapeString(c.Title))
	// Legend, right-aligned: a swatch then its name, left to right. A CJK
	// character of the 11px label font is about 11px wide.
	type item struct{ class, name string }
	var legend []item
	if c.BackName != "" {
		legend = append(legend, item{"cb", c.BackName})
	}
	if c.FrontName != "" {
		legend = append(legend, item{c.FrontClass, c.FrontName})
	}
	width := 0
	for _, it := range legend {
		width += 14 + 11*len([]rune(it.name)) + 10
	}
	lx := chartW - 6 - width
	for _, it := range legend {
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="6" width="10" height="10"/><text class="cl" x="%d" y="15">%s</text>`,
			it.class, lx, lx+14, html.EscapeString(it.name))
		lx += 14 + 11*len([]rune(it.name)) + 10
	}
	// Axis: zero line and the top value.
	fmt.Fprintf(&b, `<line class="ca" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, chartPadL, y(0), chartW-6, y(0))
	fmt.Fprintf(&b, `<text class="cl" x="%d" y="%.1f" text-anchor="end">%d</text>`, chartPadL-4, y(top)+4, top)
	fmt.Fprintf(&b, `<text class="cl" x="%d" y="%.1f" text-anchor="end">0</text>`, chartPadL-4, y(0)+4)
	for i := 0; i < n; i++ {
		x := float64(chartPadL) + slot*float64(i) + (slot-bw)/2
		cx := x + bw/2
		if c.BackName != "" {
			v := at(c.Back, i)
			fmt.Fprintf(&b, `<rect class="cb" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s %s %d</title></rect>`,
				x, y(v), bw, y(0)-y(v), html.EscapeString(c.Labels[i]), html.EscapeString(c.BackName), v)
		}
		v := at(c.Front, i)
		fw := bw
		fx := x
		if c.BackName != "" {
			fw, fx = bw*0.6, x+bw*0.2
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s %s %d</title></rect>`,
			c.FrontClass, fx, y(v), fw, y(0)-y(v), html.EscapeString(c.Labels[i]), html.EscapeString(c.FrontName), v)
		label := strconv.Itoa(v)
		if c.BackName != "" {
			label = strconv.Itoa(v) + "/" + strconv.Itoa(at(c.Back, i))
		}
		top := min(y(v), y(at(c.Back, i)))
		fmt.Fprintf(&b, `<text class="cv" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, cx, top-3, label)
		fmt.Fprintf(&b, `<text class="cl" x="%.1f" y="%d" text-anchor="middle">%s</text>`, cx, chartH-6, html.EscapeString(c.Labels[i]))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built here; every text is escaped
}

func at(xs []int, i int) int {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

// monthLabel turns "2020-08" into 8月.
func monthLabel(ym string) string {
	if i := strings.IndexByte(ym, '-'); i >= 0 {
		if m, err := strconv.Atoi(ym[i+1:]); err == nil {
			return strconv.Itoa(m) + "月"
		}
	}
	return ym
}

func completionChart(ms []Month) template.HTML {
	c := barChart{Title: "逐月完成情况（累计）", BackName: "应完成", FrontName: "已完成", FrontClass: "cf"}
	for _, m := range ms {
		c.Labels = append(c.Labels, monthLabel(m.Month))
		c.Back = append(c.Back, m.Due)
		c.Front = append(c.Front, m.Done)
	}
	return c.svg()
}

func aheadChart(a Ahead) template.HTML {
	c := barChart{Title: "未来六个月到期（未完成）", FrontName: "到期任务", FrontClass: "cy"}
	for _, m := range a.ByMonth {
		c.Labels = append(c.Labels, monthLabel(m.Month))
		c.Front = append(c.Front, m.Due)
	}
	return c.svg()
}
