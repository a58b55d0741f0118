package ingest

import (
	"fmt"
	"regexp"
	"strings"

	"duban/kb"
	"duban/kb/deadline"
	"duban/kb/names"
)

// taskRecords turns a grid into records, resolving vertical merges.
//
// Which empty cells are merges is decided per table from evidence (see
// merges.go): files with real merge marks (.docx, .xlsx) set Cell.Merged
// and an empty cell then means empty; in a text export an empty cell in a
// merged column continues the cell above. A merge never crosses a section
// row that spans the table; in a table whose sections are a repeated cell
// it may (the 实事 table's merges cross its 类别 lines).
func taskRecords(file string, g grid) kb.Contents {
	var c kb.Contents
	warn := func(line, row int, format string, a ...any) {
		c.Warnings = append(c.Warnings, kb.Warning{
			Source: kb.Source{File: file, Line: line, Title: g.title, Row: row},
			Msg:    fmt.Sprintf(format, a...),
		})
	}
	if g.textMerge && g.merged == nil {
		g.merged = inferMerges(g)
	}
	var prev *kb.Record
	section := g.section
	leaders := leaderSplitter(g)
	lastNo := 0
	hasNo := len(indexesOf(g.cols, colNo)) > 0
	afterSpan := false
	for i, row := range g.rows {
		if row.span != "" {
			section = row.span
			afterSpan = true
			continue
		}
		if gridRowEmpty(row) {
			continue // an empty trailing row
		}
		r := kb.Record{Doc: file, Table: g.table, Source: kb.Source{File: file, Line: row.line, Title: g.title, Row: i + 1}}
		marked := map[column]bool{}
		empty := map[column]bool{}
		var detail string
		var labelledCo []string // co-units a units cell names itself (配合单位：…)
		numbered := false
		for j, col := range g.cols {
			if j >= len(row.cells) {
				break
			}
			cell := row.cells[j]
			txt := strings.TrimSpace(cell.Text)
			if cell.Merged {
				marked[col] = true
			}
			if txt == "" {
				empty[col] = true
			}
			switch col {
			case colSection:
				if s := cleanCell(txt); s != "" {
					section = s
				}
			case colNo:
				n, ok := rowNumber(txt)
				if !ok && txt != "" {
					warn(cell.Row, i+1, "序号 %q is not a number", txt)
				}
				r.No, numbered = n, ok
			case colText:
				r.Text = joinText(txt)
			case colDetail:
				detail = joinText(txt)
			case colLeaders:
				r.LeadLeaders = leaders(txt)
			case colUnits:
				if lead, co, ok := splitRoles(txt); ok {
					r.LeadUnits, labelledCo = lead, co
				} else {
					r.LeadUnits = unitList(txt)
				}
			case colCo:
				r.CoUnits = unitList(txt)
			case colDeadline:
				r.DeadlineText = cleanCell(txt)
			case colProgress:
				r.Progress = strings.TrimSpace(txt)
			}
		}
		for _, u := range labelledCo {
			if !contains(r.CoUnits, u) {
				r.CoUnits = append(r.CoUnits, u)
			}
		}
		if detail != "" {
			if r.Text == "" {
				r.Text = detail
			} else if !strings.Contains(r.Text, detail) {
				r.Text += "：" + detail
			}
		}
		if !numbered && hasNo && r.Text == "" {
			continue // an empty trailing row
		}
		if !hasNo || (!numbered && r.No == 0) {
			r.No = lastNo + 1 // a table without numbers counts its rows
		}
		if r.No != lastNo+1 {
			warn(row.line, i+1, "序号 %d follows %d", r.No, lastNo)
		}
		lastNo = r.No
		r.Section = section
		spanStart := prev == nil || afterSpan
		afterSpan = false
		inherit := func(col column, field string, get func(*kb.Record) bool, copyFrom func(dst, src *kb.Record)) {
			if marked[col] && get(&r) {
				// The file merged the cell: its text is the value above.
				r.Inherited = append(r.Inherited, field)
				return
			}
			if get(&r) || !empty[col] || !(marked[col] || (g.textMerge && g.merged[col])) {
				return
			}
			if spanStart {
				warn(row.line, i+1, "%s is empty at the start of a section; nothing to inherit", field)
				return
			}
			copyFrom(&r, prev)
			r.Inherited = append(r.Inherited, field)
		}
		inherit(colLeaders, kb.FieldLeadLeaders, func(r *kb.Record) bool { return len(r.LeadLeaders) > 0 },
			func(d, s *kb.Record) { d.LeadLeaders = append([]string(nil), s.LeadLeaders...) })
		inherit(colUnits, kb.FieldLeadUnits, func(r *kb.Record) bool { return len(r.LeadUnits) > 0 },
			func(d, s *kb.Record) { d.LeadUnits = append([]string(nil), s.LeadUnits...) })
		inherit(colCo, kb.FieldCoUnits, func(r *kb.Record) bool { return len(r.CoUnits) > 0 },
			func(d, s *kb.Record) { d.CoUnits = append([]string(nil), s.CoUnits...) })
		inherit(colDeadline, kb.FieldDeadlineText, func(r *kb.Record) bool { return r.DeadlineText != "" },
			func(d, s *kb.Record) { d.DeadlineText = s.DeadlineText })
		if r.Inherited == nil {
			r.Inherited = []string{}
		}
		if r.CoUnits == nil {
			r.CoUnits = []string{}
		}
		if r.LeadLeaders == nil {
			r.LeadLeaders = []string{}
		}
		if r.LeadUnits == nil {
			r.LeadUnits = []string{}
		}
		if len(r.LeadUnits) == 0 {
			warn(row.line, i+1, "task %d has no lead unit", r.No)
		}
		setDue(&r, g.year, func(msg string) { warn(row.line, i+1, "task %d: %s", r.No, msg) })
		c.Records = append(c.Records, r)
		prev = &c.Records[len(c.Records)-1]
	}
	c.Tables = []kb.TableInfo{g.info(file, len(c.Records))}
	return c
}

// setDue parses r.DeadlineText for the plan year.
func setDue(r *kb.Record, year int, warn func(string)) {
	if r.DeadlineText == "" {
		return
	}
	d, err := deadline.Parse(r.DeadlineText, year)
	if err != nil {
		r.Unparsed = true
		warn(fmt.Sprintf("deadline %q not understood; kept as text", r.DeadlineText))
		return
	}
	r.Qualifier = d.Qualifier
	if !d.Due.IsZero() {
		r.Due = kb.NewDate(d.Due.Year(), d.Due.Month(), d.Due.Day())
	}
}

// joinText joins a wrapped text cell; Chinese needs no space at a wrap.
func joinText(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimSpace(l))
	}
	return b.String()
}

// unitList splits a units cell: one unit a line, or several separated by 、.
func unitList(s string) []string {
	out := []string{}
	seen := map[string]bool{}
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		// "社管中心\n（社会治理现代化指挥中心）": a wrapped full name in
		// parentheses belongs to the unit above it.
		if len(lines) > 0 && (strings.HasPrefix(l, "（") || strings.HasPrefix(l, "(")) {
			lines[len(lines)-1] += l
			continue
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		var parts []string
		for _, u := range strings.FieldsFunc(l, func(r rune) bool { return strings.ContainsRune("、，,；;/", r) }) {
			parts = append(parts, spaceSeparated(u)...)
		}
		for _, u := range parts {
			u = strings.TrimSuffix(strings.TrimSuffix(u, "等单位"), "等")
			u = names.Written(u)
			if u != "" && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// spaceSeparated splits "县财政局  县住建局" at its spaces when every part
// is a unit name of its own; padded names ("残  联") stay whole.
func spaceSeparated(s string) []string {
	parts := strings.Fields(s)
	if len(parts) < 2 {
		return []string{s}
	}
	for _, p := range parts {
		if len([]rune(p)) < 3 || !hasUnitSuffix(p) {
			return []string{s}
		}
	}
	return parts
}

func hasUnitSuffix(s string) bool {
	for _, suf := range []string{"局", "委", "办", "会", "院", "部", "中心", "公司", "集团", "队", "所", "站", "镇", "街道", "区", "政府", "分局"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// leaderSplitter returns a function that splits a leaders cell. Names are
// padded to three characters' width (`姜  勇`), and two can run together on
// one line (`沈旭东姜  勇`); the grid's own single-name cells are the
// gazetteer that splits them.
func leaderSplitter(g grid) func(string) []string {
	known := map[string]bool{}
	for _, row := range g.rows {
		for j, col := range g.cols {
			if col != colLeaders || j >= len(row.cells) {
				continue
			}
			for _, l := range strings.Split(row.cells[j].Text, "\n") {
				if n := names.Clean(stripPost(l)); n != "" && len([]rune(n)) <= 3 {
					known[n] = true
				}
			}
		}
	}
	return func(s string) []string {
		out := []string{}
		for _, l := range strings.Split(s, "\n") {
			for _, f := range strings.FieldsFunc(stripPost(l), func(r rune) bool { return strings.ContainsRune("、，,；;", r) }) {
				if f = stripPost(f); strings.TrimSpace(f) != "" {
					out = append(out, splitRunTogether(f, known)...)
				}
			}
		}
		return out
	}
}

// rePadded reads names in their three-character slots: a two-character name
// is padded with spaces in the middle (`姜  勇`), a three-character one is not.
var rePadded = regexp.MustCompile(`\p{Han}[ \x{3000}]+\p{Han}|\p{Han}{3}|\p{Han}{2}`)

// splitRunTogether splits "沈旭东姜  勇" into names: by the names the table
// itself uses, else by the padding slots; a string that is neither is kept
// whole.
func splitRunTogether(raw string, known map[string]bool) []string {
	s := names.Clean(raw)
	if parts := splitKnown(s, known); len(parts) > 1 || s == "" {
		return parts
	}
	if len([]rune(s)) > 3 && strings.TrimSpace(raw) != s {
		var out []string
		n := 0
		for _, m := range rePadded.FindAllString(strings.TrimSpace(raw), -1) {
			out = append(out, names.Clean(m))
			n += len([]rune(names.Clean(m)))
		}
		if n == len([]rune(s)) && len(out) > 1 {
			return out
		}
	}
	return []string{s}
}

// splitKnown splits s into names the table knows.
func splitKnown(s string, known map[string]bool) []string {
	if s == "" {
		return nil
	}
	if known[s] || len([]rune(s)) <= 3 {
		return []string{s}
	}
	rs := []rune(s)
	for n := 3; n >= 2; n-- {
		if n < len(rs) && known[string(rs[:n])] {
			if rest := splitKnown(string(rs[n:]), known); len(rest) > 0 && known[rest[0]] {
				return append([]string{string(rs[:n])}, rest...)
			}
		}
	}
	return []string{s}
}

func toHalf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

func gridRowEmpty(row gridRow) bool {
	for _, c := range row.cells {
		if strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// info is the grid's registry entry.
func (g grid) info(file string, rows int) kb.TableInfo {
	kind := g.kind
	if kind == "" {
		kind = string(g.table)
	}
	scope := []string{"重点工作", "重点任务"}
	switch kind {
	case kb.KindPeopleProjects:
		scope = []string{"实事", "民生"}
	case kb.KindProgressList:
		scope = []string{"进展", "推进情况"}
	}
	if g.year > 0 {
		scope = append(scope, fmt.Sprint(g.year))
	}
	t := kb.TableInfo{
		ID: g.table, Kind: kind, Title: g.title, Year: g.year, Label: kb.DefaultLabel(kind, g.year),
		Scope: scope, Doc: file, Line: g.line, Genre: "task tables", Rows: rows, YearFrom: g.yearFrom,
	}
	for _, c := range g.cols {
		t.Columns = append(t.Columns, c.String())
	}
	for _, c := range g.mergedCols() {
		t.Merged = append(t.Merged, c.String())
	}
	return t
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
