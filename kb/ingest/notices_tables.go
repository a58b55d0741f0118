package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"duban/kb/names"
)

// Small tables of the notices (002) and the plan (003): a quota table, the
// indicator tables, the 专栏 boxes. Unlike the task tables of 004, their
// cells never hold blank lines, so in a text export a blank line ends a
// row; a paragraph after a blank line, two blank lines or a new 专栏 end
// the table. Tables of a .docx or
// .xlsx come from Document.Tables in the same shape, so the extractors do
// not care which format they read.

// A cellTable is one table with the paragraph that titles it.
type cellTable struct {
	title string // nearest paragraph above, bookmarks removed
	rows  []cellRow
}

// A cellRow is one row; line is the 1-based line of its first cell.
type cellRow struct {
	line  int
	cells []tableCell
}

// A tableCell is one cell; continuation lines are joined with "\n".
type tableCell struct {
	text   string
	line   int
	merged bool // continuation of a vertical merge (.docx/.xlsx only)
}

// cellTables returns every table of d: those of a .docx or .xlsx first,
// then those written as TAB-started lines in the text.
func cellTables(d *Document) []cellTable {
	var out []cellTable
	for _, t := range d.Tables {
		ct := cellTable{}
		for r, row := range t.Rows {
			cr := cellRow{line: t.Line}
			for _, c := range row {
				cr.cells = append(cr.cells, tableCell{text: c.Text, line: t.Line, merged: c.Merged})
			}
			if r == 0 && len(cr.cells) == 0 {
				continue
			}
			ct.rows = append(ct.rows, cr)
		}
		if len(ct.rows) == 0 {
			continue
		}
		ct.title = cellTableTitle(d.Lines, t.Line)
		if ct.title == "" {
			ct.title = t.Name
		}
		out = append(out, ct)
	}
	for i := 0; i < len(d.Lines); i++ {
		if !strings.HasPrefix(d.Lines[i], "\t") {
			continue
		}
		ct, end := readCellTable(d.Lines, i)
		ct.title = cellTableTitle(d.Lines, i)
		out = append(out, ct)
		i = end - 1
	}
	return out
}

// readCellTable reads the table whose first cell is lines[first] and
// returns it with the index of the first line after it.
func readCellTable(lines []string, first int) (cellTable, int) {
	var t cellTable
	blank := 0 // blank lines since the last text
	j := first
	for ; j < len(lines); j++ {
		l := lines[j]
		switch {
		case strings.HasPrefix(l, "\t") && len(t.rows) > 0 && (blank > 1 || strings.HasPrefix(l, "\t专栏")):
			return t, j // two blank lines, or the next box, start another table
		case strings.HasPrefix(l, "\t"):
			if len(t.rows) == 0 || blank > 0 {
				t.rows = append(t.rows, cellRow{line: j + 1})
			}
			row := &t.rows[len(t.rows)-1]
			row.cells = append(row.cells, tableCell{text: strings.TrimSpace(l[1:]), line: j + 1})
			blank = 0
		case strings.TrimSpace(l) == "":
			blank++
		case blank > 0:
			return t, j
		default:
			row := &t.rows[len(t.rows)-1]
			c := &row.cells[len(row.cells)-1]
			if c.text == "" {
				c.text = strings.TrimSpace(l)
			} else {
				c.text += "\n" + strings.TrimSpace(l)
			}
		}
	}
	return t, j
}

var reTableUnitNote = regexp.MustCompile(`^(?:计量)?单位[：:]`)

// cellTableTitle finds the paragraph above the table starting at index
// first of lines (0-based; for a .docx table, the 1-based line of the
// paragraph before it, which is the same thing). A "单位：家" line is a note
// between the title and the table, not the title.
func cellTableTitle(lines []string, first int) string {
	for k := first - 1; k >= 0 && k >= first-6; k-- {
		if k >= len(lines) {
			continue
		}
		l := lines[k]
		if strings.HasPrefix(l, "\t") {
			return ""
		}
		t := strings.TrimSpace(reBookmark.ReplaceAllString(l, ""))
		if t == "" || reTableUnitNote.MatchString(t) {
			continue
		}
		if utf8.RuneCountInString(t) > 60 {
			return ""
		}
		return t
	}
	return ""
}

// flatCell is a cell's text on one line without padding: header and name cells
// are wrapped and padded ("十四五\n目标", "姜  勇").
func flatCell(s string) string { return names.Clean(s) }

// splitOutsideBrackets splits a list of names on 、，,; outside brackets, so that
// "住建局（人防办、地震局）、城管局" gives two parts.
func splitOutsideBrackets(s string) []string {
	var out []string
	depth := 0
	start := 0
	for i, r := range s {
		switch r {
		case '（', '(', '《', '“':
			depth++
		case '）', ')', '》', '”':
			if depth > 0 {
				depth--
			}
		case '、', '，', ',', '；', ';':
			if depth == 0 {
				out = appendTrimmed(out, s[start:i])
				start = i + utf8.RuneLen(r)
			}
		}
	}
	return appendTrimmed(out, s[start:])
}

func appendTrimmed(out []string, s string) []string {
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}

// unitSuffixes end the names of offices, companies and places that can own
// a duty; "（为主）" or "研究制定规划" end with none of them.
var unitSuffixes = []string{
	"局", "委", "办", "室", "院", "部", "处", "队", "所", "站", "中心", "集团", "公司",
	"街道", "镇", "乡", "政府", "管委会", "办事处", "行", "社", "联", "会", "组",
	"新区", "园区", "开发区", "指挥部", "海关", "团区委",
}

// isUnitLike reports whether s, without a trailing parenthesis, names an
// office or a place.
func isUnitLike(s string) bool {
	s, _ = cutParenthesised(flatCell(s))
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 30 || strings.ContainsAny(s, "。：:，") {
		return false
	}
	for _, suf := range unitSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// cutParenthesised splits "发展和改革委员会（工业和信息化局、粮食和物资储备局）（为主）"
// into the head name and the contents of each parenthesis.
func cutParenthesised(s string) (head string, inner []string) {
	i := strings.IndexAny(s, "（(")
	if i < 0 {
		return s, nil
	}
	head = s[:i]
	rest := s[i:]
	for rest != "" {
		open := strings.IndexAny(rest, "（(")
		if open < 0 {
			break
		}
		close := strings.IndexAny(rest[open:], "）)")
		if close < 0 {
			inner = append(inner, strings.TrimLeft(rest[open:], "（("))
			break
		}
		_, w := utf8.DecodeRuneInString(rest[open:])
		inner = append(inner, rest[open+w:open+close])
		_, cw := utf8.DecodeRuneInString(rest[open+close:])
		rest = rest[open+close+cw:]
	}
	return head, inner
}

// canonicalUnit is names.Unit, guarding names whose leading 区 or 市 belongs to
// the word: names.Unit("区域治理现代化指挥中心") would drop the 区.
func canonicalUnit(s string) string {
	s = flatCell(s)
	for _, w := range []string{"区域", "市场", "市政", "市民"} {
		if strings.HasPrefix(s, w) {
			return names.Written("区" + s)
		}
	}
	return names.Written(s)
}

// noticeUnits turns a list such as "区政府办公室（研究室、外事办）、科技局等" into
// canonical unit names: each head office, then the offices in its
// parenthesis that are offices themselves ("（为主）" is a remark).
func noticeUnits(s string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		// 城市管理局（综合行政执法局）: a parenthesis naming the head office
		// again under another name adds no unit.
		if k := names.Unit(u); u != "" && !seen[k] {
			seen[k] = true
			out = append(out, u)
		}
	}
	for _, part := range splitOutsideBrackets(flatCell(s)) {
		part = strings.TrimSuffix(part, "等")
		head, inner := cutParenthesised(part)
		head = strings.TrimSuffix(head, "等")
		if len(inner) > 0 && !names.IsCollective(part) {
			add(canonicalUnit(head))
			for _, in := range inner {
				for _, u := range splitOutsideBrackets(in) {
					if isUnitLike(u) {
						add(canonicalUnit(u))
					}
				}
			}
			continue
		}
		add(canonicalUnit(part))
	}
	return out
}
