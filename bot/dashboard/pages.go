package dashboard

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"duban/progress"
)

// page is what every template gets.
type page struct {
	Title  string
	Tab    string // overview | timeline | task | report
	Root   string // relative path from this page to the dashboard root
	Day    string
	Board  *Board
	Facets facets
	Lights []progress.Light

	Completion, AheadChart, Timeline template.HTML
	Tasks                            []Task
	Undated                          int // undated tasks left out of the timeline's list
	Task                             *taskPage
	Report                           *reportPage
}

// Q returns the page's query (as-of day and filter) with kv overrides, for
// links that keep the view: {{.Q "sort" "rate"}}.
func (p *page) Q(kv ...string) string {
	if p.Board == nil {
		return (Filter{}).query(p.Day, kv...)
	}
	return p.Board.Filter.query(p.Day, kv...)
}

func parseTemplates() map[string]*template.Template {
	funcs := template.FuncMap{
		"join":  func(xs []string) string { return strings.Join(xs, "、") },
		"cut":   cut,
		"pct":   func(n, of int) int { return pct(n, of) },
		"label": func(l progress.Light) string { return l.Label() },
		"count": func(g Group, l progress.Light) int { return g.Lights[l] },
		"days":  daysText,
		"inc":   func(i int) int { return i + 1 },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(web, "web/layout.html"))
	out := map[string]*template.Template{}
	names, _ := fs.Glob(web, "web/*.html")
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") {
			continue
		}
		t := template.Must(template.Must(layout.Clone()).ParseFS(web, n))
		out[strings.TrimSuffix(n[strings.LastIndexByte(n, '/')+1:], ".html")] = t
	}
	return out
}

func pct(n, of int) int {
	if of <= 0 {
		return 0
	}
	return (n*100 + of/2) / of
}

// daysText says how a task stands against its date: 剩12天, 今日到期, 逾期3天.
func daysText(d *int) string {
	switch {
	case d == nil:
		return ""
	case *d > 0:
		return "剩" + itoa(*d) + "天"
	case *d == 0:
		return "今日到期"
	}
	return "逾期" + itoa(-*d) + "天"
}

// render executes template name into a buffer first, so a failure is a 500
// and not half a page.
func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, name string, p *page) {
	p.Lights = progress.Lights
	var buf bytes.Buffer
	if err := d.tmpl[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		d.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	send(w, r, "text/html; charset=utf-8", buf.Bytes())
}

func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	d.render(w, r, "overview", &page{
		Title: "总览", Tab: "overview", Root: "./", Day: v.day, Board: &v.board, Facets: v.facets(),
		Completion: completionChart(v.board.Months), AheadChart: aheadChart(v.board.Ahead),
	})
}

func (d *Dashboard) timeline(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	p := &page{Title: "时间轴", Tab: "timeline", Root: "./", Day: v.day, Board: &v.board, Facets: v.facets()}
	p.Timeline = timelineSVG(v.board.Tasks, v.asOf, p.Root, p.Q("sort", ""))
	// The list follows the strip: dated tasks. Undated ones (长期, or no
	// 完成时限: 160 of the seeds' 408) have a light of their own to list them.
	for _, t := range byDue(v.board.Tasks) {
		if t.due != nil || v.board.Filter.Light == progress.LightUndated {
			p.Tasks = append(p.Tasks, t)
		} else {
			p.Undated++
		}
	}
	d.render(w, r, "timeline", p)
}
