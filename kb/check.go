package kb

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"duban/kb/names"
)

// A CheckReport is the operator's first look at a document set (`duban kb
// check`, the emulator's knowledge-base page): how each document was read,
// each table's column roles and merged columns, and what to look at by
// hand — units seen in one spelling only, units that look like one unit
// under two names, deadlines not understood, rows without a lead unit.
type CheckReport struct {
	Docs           []Doc       `json:"docs"`
	Tables         []TableInfo `json:"tables"`
	MergedUnits    []string    `json:"merged_units"`     // "海晟集团 = 海晟控股集团": short forms found in the documents
	SingleForm     []string    `json:"single_form"`      // units seen in one spelling that no table knows
	LikelySame     []string    `json:"likely_same"`      // "住建服务中心 ~ 住房建设服务中心": not merged, look alike
	DistinctPlaces []string    `json:"distinct_places"`  // "市住建局 ≠ 住建局 (青溪区)": one document names both
	Unparsed       []string    `json:"unparsed"`         // "file:line: row n: table no: deadline …"
	NoLeadUnit     []string    `json:"no_lead_unit"`     // "file:line: row n: table no"
	Warnings       []string    `json:"warnings"`         // every extractor warning
	RecordsByTable []string    `json:"records_by_table"` // "key_tasks=173"
}

// Check builds the report.
func (b *Base) Check() CheckReport {
	c := &b.c
	r := CheckReport{Docs: c.Docs, Tables: b.Tables(), MergedUnits: b.UnitPairs()}
	if r.MergedUnits == nil {
		r.MergedUnits = []string{}
	}
	counts := map[Table]int{}
	noLead := map[Table][]string{}
	var order []Table
	for _, rec := range c.Records {
		if counts[rec.Table] == 0 {
			order = append(order, rec.Table)
		}
		counts[rec.Table]++
		loc := locate(rec.Source)
		if rec.Unparsed {
			r.Unparsed = append(r.Unparsed, fmt.Sprintf("%s: %s %d: deadline %q not dated", loc, rec.Table, rec.No, rec.DeadlineText))
		}
		if len(rec.LeadUnits) == 0 {
			noLead[rec.Table] = append(noLead[rec.Table], fmt.Sprintf("%s: %s %d has no lead unit", loc, rec.Table, rec.No))
		}
	}
	// A table none of whose rows names a lead unit (a progress report whose
	// preamble names the leaders only) is one line, not a row per task.
	for _, t := range order {
		rows := noLead[t]
		switch {
		case len(rows) == 0:
		case len(rows) == counts[t] && len(rows) > 3:
			r.NoLeadUnit = append(r.NoLeadUnit, fmt.Sprintf("%s: none of its %d rows names a lead unit (%s …)", t, len(rows), rows[0]))
		case len(rows) > maxListed:
			r.NoLeadUnit = append(r.NoLeadUnit, rows[:maxListed]...)
			r.NoLeadUnit = append(r.NoLeadUnit, fmt.Sprintf("%s: … and %d more rows without a lead unit", t, len(rows)-maxListed))
		default:
			r.NoLeadUnit = append(r.NoLeadUnit, rows...)
		}
	}
	for _, t := range order {
		r.RecordsByTable = append(r.RecordsByTable, fmt.Sprintf("%s=%d", t, counts[t]))
	}
	for _, w := range c.Warnings {
		r.Warnings = append(r.Warnings, w.String())
	}
	paired := map[string]bool{}
	for _, p := range r.MergedUnits {
		for _, side := range strings.Split(p, " = ") {
			paired[side], paired[names.Unit(side)] = true, true
		}
	}
	for _, u := range b.units {
		if names.IsCollective(u) || paired[u] || paired[names.Unit(u)] {
			continue
		}
		if len(b.unitNames.aliases[u]) <= 1 && !names.IsCurated(u) {
			r.SingleForm = append(r.SingleForm, u)
		}
	}
	r.LikelySame = likelySame(b.units, b.unitNames.placed)
	r.DistinctPlaces = append([]string{}, c.PlacePairs...)
	return r
}

// maxListed bounds the rows listed per table and kind of problem.
const maxListed = 50

func locate(s Source) string {
	out := s.File
	if s.Line > 0 {
		out += fmt.Sprintf(":%d", s.Line)
	}
	if s.Row > 0 {
		out += fmt.Sprintf(": row %d", s.Row)
	}
	return out
}

// likelySame lists pairs of unit names that were not merged but look like
// one unit: one inside the other, or one character apart.
func likelySame(units []string, placed map[string]bool) []string {
	var out []string
	for i, a := range units {
		if names.IsCollective(a) || utf8.RuneCountInString(a) < 3 {
			continue
		}
		for _, b := range units[i+1:] {
			if names.IsCollective(b) || utf8.RuneCountInString(b) < 3 {
				continue
			}
			if (placed[a] || placed[b]) && names.Unit(a) == names.Unit(b) {
				continue // 市住建局 and 住建局: kept apart on purpose (DistinctPlaces)
			}
			if strings.Contains(a, b) || strings.Contains(b, a) || oneApart(a, b) {
				out = append(out, a+" ~ "+b)
			}
		}
	}
	sort.Strings(out)
	return out
}

// oneApart reports whether a and b, of four characters or more, differ in
// exactly one character (one replaced, added or removed).
func oneApart(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) < 4 || len(y) < 4 {
		return false
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(y)-len(x) > 1 {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	if i == len(x) {
		return len(x) != len(y) // equal names are not two names
	}
	if len(x) == len(y) {
		return string(x[i+1:]) == string(y[i+1:])
	}
	return string(x[i:]) == string(y[i+1:])
}

// A CheckSection is one part of the report: a title and its lines.
type CheckSection struct {
	Title string   `json:"title"`
	Lines []string `json:"lines"`
}

// Sections renders the report as titled lists, for the terminal (Text) and
// the emulator's knowledge-base page.
func (r CheckReport) Sections() []CheckSection {
	var docs []string
	for _, d := range r.Docs {
		docs = append(docs, fmt.Sprintf("%s (%s, %d lines)", d.File, d.Title, d.Lines))
		for _, g := range d.Genres {
			if strings.HasPrefix(g, "not ") {
				docs = append(docs, "  "+g)
			} else {
				docs = append(docs, "  read as "+g)
			}
		}
		if len(d.Genres) == 0 {
			docs = append(docs, "  read as passages only (no genre recognised)")
		}
	}
	var tables []string
	for _, t := range r.Tables {
		year := "no year"
		if t.Year > 0 {
			year = fmt.Sprintf("%d (from %s)", t.Year, t.YearFrom)
		}
		tables = append(tables, fmt.Sprintf("%s: %s, %s, %d records, %s", t.ID, t.Title, year, t.Rows, locate(Source{File: t.Doc, Line: t.Line})))
		if len(t.Columns) > 0 {
			tables = append(tables, "  columns: "+strings.Join(t.Columns, " | "))
			merged := "none"
			if len(t.Merged) > 0 {
				merged = strings.Join(t.Merged, ", ")
			}
			tables = append(tables, "  merged columns (empty cell = the value above): "+merged)
		}
	}
	return []CheckSection{
		{fmt.Sprintf("documents: %d", len(r.Docs)), docs},
		{fmt.Sprintf("tables: %d", len(r.Tables)), tables},
		{"units merged by a short form found in the documents", r.MergedUnits},
		{"units seen in one spelling only (check them)", r.SingleForm},
		{"units that look like one unit under two names (not merged)", r.LikelySame},
		{"deadlines not understood", r.Unparsed},
		{"rows without a lead unit", r.NoLeadUnit},
		{"units of different places kept apart (one document names both)", r.DistinctPlaces},
	}
}

// Text renders the report for a terminal.
func (r CheckReport) Text() string {
	var b strings.Builder
	for k, sec := range r.Sections() {
		if k < 2 {
			fmt.Fprintf(&b, "%s\n", sec.Title)
		} else {
			fmt.Fprintf(&b, "%s: %d\n", sec.Title, len(sec.Lines))
		}
		for _, l := range sec.Lines {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	return b.String()
}
