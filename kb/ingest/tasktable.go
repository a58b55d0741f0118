package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban/kb"
)

// Task tables (004 and every county's own): 重点工作任务分解表, 民生实事 tables.
// A table is found by its header row, recognised by column roles (see
// columns.go), not by a title or a fixed cell count. In a text export every
// cell starts with a TAB at the start of a line and may continue on
// following lines (two units on two lines, blank lines in between), so
// rows come from the header's cell count, never from blank lines; a
// section written as a spanning row is a single cell where a row starts.

// reTableTitle matches a table title line: 2020年市政府重点工作任务分解表,
// 如东县2025年民生实事项目推进表, 重点任务清单.
var reTableTitle = regexp.MustCompile(`^\s*(?:\p{Han}{0,12}?)((?:19|20)\d\d)年.*(?:分解表|清单|一览表|安排表|推进表|计划表|台账|任务表|项目表|责任表|进度表|情况表)\s*$`)

// reTitleish is a title line without a year.
var reTitleish = regexp.MustCompile(`(?:分解表|清单|一览表|安排表|推进表|计划表|台账|任务表|项目表|责任表|进度表|情况表)\s*$`)

var reAttachment = regexp.MustCompile(`^\s*附件\s*\d*\s*[:：]?\s*$`)

// reTableNote is a note under a table: 注：…, 备注：…, 说明：….
var reTableNote = regexp.MustCompile(`^(?:注|备注|说明)\s*[0-9１-９]?\s*[:：]`)

// reSpanHeading is a section heading: 一、…, （一）…, 第一部分 ….
var reSpanHeading = regexp.MustCompile(`^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|篇|章|类|方面))`)

// cleanCell removes whitespace and line breaks: header and name cells are
// padded and wrapped ("牵头\n领导", "姜  勇").
func cleanCell(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// tableKind names the kind of table from its title: 为民办实事 and 民生实事
// tables are people_projects, other task tables key_tasks.
func tableKind(title string) string {
	if strings.Contains(title, "实事") || strings.Contains(title, "民生") {
		return kb.KindPeopleProjects
	}
	return kb.KindKeyTasks
}

func isTaskTables(d *Document) bool {
	for _, t := range d.Tables {
		if _, ok := gridHeader(t.Rows); ok {
			return true
		}
	}
	return len(d.textTaskGrids()) > 0
}

func extractTaskTables(d *Document) kb.Contents {
	var c kb.Contents
	grids := append([]grid(nil), d.textTaskGrids()...)
	for _, t := range d.Tables {
		if g, ok := tableGrid(d, t); ok {
			grids = append(grids, g)
		}
	}
	place := docPlace(d)
	docYr, docYrFrom := docYear(d)
	for _, g := range grids {
		// A title naming both kinds (the notice's "…重点工作任务和民生实事
		// 项目…", used when a table has no title of its own): the header
		// decides, a 项目 text column being a 实事 table.
		if strings.Contains(g.title, "重点") && (strings.Contains(g.title, "实事") || strings.Contains(g.title, "民生")) {
			g.kind = kb.KindKeyTasks
			if g.textHeader != "" && strings.Contains(g.textHeader, "项目") {
				g.kind = kb.KindPeopleProjects
			}
		}
		// A table with a 进展情况 column is a progress report's table.
		if len(indexesOf(g.cols, colProgress)) > 0 {
			g.kind = kb.KindProgressList
		}
		g.yearFrom = "title"
		if g.year == 0 {
			g.year, g.yearFrom = docYr, docYrFrom
		}
		g.table = kb.TableID(g.kind, place, g.year)
		tc := taskRecords(d.File, g)
		tc.Tables[0].Place = place
		c.Merge(tc)
	}
	return c
}

// A grid is a task table in neutral form: header columns and rows of cells.
type grid struct {
	title    string
	year     int
	kind     string // kb.KindKeyTasks or kb.KindPeopleProjects
	yearFrom string
	table    kb.Table
	cols     []column
	rows     []gridRow
	line     int    // header line
	section  string // a heading above the table: its rows' section
	// textHeader is the text column's header word (主要任务, 项目名称).
	textHeader string
	// textMerge: the file has no merge marks (a text export); which empty
	// cells continue the cell above is inferred (see merges.go).
	textMerge bool
	// merged, when set, is the evidence's verdict on which columns are
	// merged (see inferMerges); nil leaves the defaults of isMerged.
	merged map[column]bool
}

type gridRow struct {
	line  int // line of the row's first cell
	cells []Cell
	// span is a section written as a row spanning the table ("一、…").
	span string
}

// titleFor returns a table's title and year from the lines above its
// header (lines[from:to]), nearest first.
func titleFor(lines []string, from, to int) (string, int, bool) {
	for k := to - 1; k >= from && k >= 0; k-- {
		l := strings.TrimSpace(lines[k])
		if l == "" || strings.HasPrefix(lines[k], "\t") {
			continue
		}
		if m := reTableTitle.FindStringSubmatch(l); m != nil {
			y, _ := strconv.Atoi(m[1])
			return l, y, true
		}
		if reTitleish.MatchString(l) && utf8.RuneCountInString(l) <= 40 && !strings.ContainsAny(l, "。；") {
			return l, 0, true
		}
	}
	// A title that ends in no table word ("2025年县政府重点工作任务"): the
	// nearest short line naming a year and tasks or projects.
	for k := to - 1; k >= from && k >= 0; k-- {
		l := strings.TrimSpace(lines[k])
		if l == "" || strings.HasPrefix(lines[k], "\t") || utf8.RuneCountInString(l) > 40 ||
			strings.ContainsAny(l, "。；：:") || reSpanHeading.MatchString(l) || reAttachment.MatchString(l) {
			continue
		}
		if m := reYearIn.FindStringSubmatch(l); m != nil && strings.ContainsAny(l, "任务项目实事") && !strings.HasSuffix(l, "通知") {
			y, _ := strconv.Atoi(m[1])
			return l, y, true
		}
	}
	return "", 0, false
}

// headingAbove returns the section heading nearest above a table's header
// in lines[from:to], if the gap holds one.
func headingAbove(lines []string, from, to int) string {
	for k := to - 1; k >= from && k >= 0; k-- {
		l := strings.TrimSpace(lines[k])
		if reSpanHeading.MatchString(l) && utf8.RuneCountInString(l) <= 40 {
			return cleanCell(l)
		}
	}
	return ""
}

// isBreak reports whether a line that does not start with a TAB ends the
// cell and table above it: an attachment marker, a table title or a
// section heading between tables. Any other such line continues a cell.
func isBreak(l string) bool {
	t := strings.TrimSpace(l)
	if t == "" {
		return false
	}
	// Cheap tests first: this runs on every continuation line.
	if strings.HasPrefix(t, "附件") && reAttachment.MatchString(t) {
		return true
	}
	// A note under the table (注：…) or a date line ends it.
	if reTableNote.MatchString(t) || reDateLine.MatchString(t) {
		return true
	}
	if utf8.RuneCountInString(t) > 60 {
		return false
	}
	if strings.Contains(t, "年") && reTableTitle.MatchString(t) {
		return true
	}
	short := utf8.RuneCountInString(t) <= 40 && !strings.ContainsAny(t, "。；")
	return short && (reTitleish.MatchString(t) || reSpanHeading.MatchString(t) || isBareTitle(t))
}

// isBareTitle reports whether t reads as a table title without a table
// word: a year and 任务/项目/实事, and no sentence punctuation
// ("2025年民生实事项目"); a cell's wrapped line has a comma or no year.
func isBareTitle(t string) bool {
	return reYearIn.MatchString(t) && strings.ContainsAny(t, "任务项目实事") &&
		!strings.ContainsAny(t, "。；：:，,、") && !strings.HasSuffix(t, "前") && !strings.HasSuffix(t, "完成")
}

// textGrids finds the task tables of a text export: runs of TAB cells
// broken by titles and headings; in each run a header (a row of cells that
// name task columns), then its rows.
func textGrids(d *Document) []grid {
	var out []grid
	blocks := textBlocks(d.Lines)
	hw := headerWords{}
	prevEnd := 0 // line index after the previous grid's header scan
	for _, b := range blocks {
		cells := b.cells
		for i := 0; i < len(cells); {
			n, cols := headerAt(cells, i, hw)
			if n == 0 {
				i++
				continue
			}
			hdrLine := cells[i].Row // 1-based
			title, year, ok := titleFor(d.Lines, prevEnd, hdrLine-1)
			g := grid{title: title, year: year, cols: cols, line: hdrLine, textMerge: true}
			if !ok && len(out) > 0 {
				// No title since the previous table: the same table,
				// split by a heading.
				last := out[len(out)-1]
				g.title, g.year = last.title, last.year
			} else if !ok {
				g.title = d.Title
			}
			g.kind = tableKind(g.title)
			g.section = headingAbove(d.Lines, prevEnd, hdrLine-1)
			if m, folded, ok := secondHeaderRow(cells, i, n); ok {
				// A header of two rows: the body has the lower row's width.
				cells = append(cells[:i:i], cells[i+n:]...) // the lower row is the header now
				n, cols = m, folded
				g.cols = cols
			}
			g.textHeader = headerOf(cells[i:i+n], cols, colText)
			end := i + n
			for end < len(cells) {
				if m, _ := headerAt(cells, end, hw); m > 0 {
					if sameHeader(cells, i, end, n, m) {
						cells = append(cells[:end:end], cells[end+m:]...) // a header repeated on a page
						continue
					}
					break
				}
				end++
			}
			g.rows = textRows(cells[i+n:end], cols)
			out = append(out, g)
			prevEnd = hdrLine
			i = end
		}
		if len(b.cells) > 0 {
			prevEnd = b.cells[len(b.cells)-1].Row
		}
	}
	return out
}

// secondHeaderRow reads a header of two rows in a text export: a cell
// spanning columns above (责任单位 over 牵头单位 | 配合单位) is one cell of
// the upper row, and the lower row has a cell per column, empty under the
// upper cells merged down (序号, 工作任务). It returns the lower row's width
// and the roles of the folded header.
func secondHeaderRow(cells []Cell, i, n int) (int, []column, bool) {
	var lower []string
	words, empties := 0, 0
	for k := i + n; k < len(cells); k++ {
		t := cleanCell(cells[k].Text)
		if t != "" && !isHeaderWord(t) {
			break
		}
		if t == "" {
			empties++
		} else {
			words++
		}
		lower = append(lower, t)
	}
	if len(lower) <= n || words < 2 || empties == 0 {
		return 0, nil, false
	}
	// Fold: an empty lower cell takes the upper cell above it; a run of
	// named lower cells sits under one spanning upper cell.
	titles := make([]string, len(lower))
	p := 0
	for k, t := range lower {
		if p >= n {
			return 0, nil, false
		}
		if t == "" {
			titles[k] = cells[i+p].Text
			p++
			continue
		}
		titles[k] = t
		if k+1 == len(lower) || lower[k+1] == "" {
			p++
		}
	}
	if p != n {
		return 0, nil, false
	}
	cols := roles(titles)
	if !isTaskHeader(cols) {
		return 0, nil, false
	}
	return len(lower), cols, true
}

func sameHeader(cells []Cell, a, b, n, m int) bool {
	if n != m {
		return false
	}
	for k := 0; k < n; k++ {
		if cleanCell(cells[a+k].Text) != cleanCell(cells[b+k].Text) {
			return false
		}
	}
	return true
}

// headerAt reports whether a header row starts at cells[i]: the longest
// run of header-like cells whose roles make a task header. It returns the
// run's length (0: none) and the roles.
func headerAt(cells []Cell, i int, hw headerWords) (int, []column) {
	j := i
	for j < len(cells) && hw.is(cells[j].Text) {
		j++
	}
	for n := j - i; n >= 3; n-- {
		titles := make([]string, n)
		for k := range titles {
			titles[k] = cells[i+k].Text
		}
		if cols := roles(titles); isTaskHeader(cols) {
			return n, cols
		}
	}
	return 0, nil
}

// headerWords memoises isHeaderWord over one document's cells: headerAt
// runs at every cell and reads the run after it again, and a table
// repeats its unit names and deadlines row after row.
type headerWords map[string]bool

func (h headerWords) is(s string) bool {
	v, ok := h[s]
	if !ok {
		v = isHeaderWord(s)
		h[s] = v
	}
	return v
}

// textRows cuts body cells into rows of the header's width. Where a row
// should start, a lone heading cell ("一、…") followed by a full row is a
// section spanning the table.
func textRows(body []Cell, cols []column) []gridRow {
	n := len(cols)
	noIdx := -1
	if k := indexesOf(cols, colNo); len(k) > 0 {
		noIdx = k[0]
	}
	secIdx := -1
	if k := indexesOf(cols, colSection); len(k) > 0 {
		secIdx = k[0]
	}
	var rows []gridRow
	for k := 0; k < len(body); {
		if isSpanCell(body, k, noIdx, secIdx) {
			rows = append(rows, gridRow{line: body[k].Row, span: cleanCell(body[k].Text)})
			k++
			continue
		}
		row := gridRow{line: body[k].Row}
		for j := k; j < k+n; j++ {
			if j < len(body) {
				row.cells = append(row.cells, body[j])
			} else {
				row.cells = append(row.cells, Cell{Row: body[len(body)-1].Row})
			}
		}
		rows = append(rows, row)
		k += n
	}
	return rows
}

// isSpanCell reports whether body[k], where a row starts, is a section
// row spanning the table: a heading-like cell after which a row starts
// (its number cell one place on), while read as a row's first cell the
// number cell would not hold a number.
func isSpanCell(body []Cell, k, noIdx, secIdx int) bool {
	t := cleanCell(body[k].Text)
	if t == "" || isNumberCell(t) || utf8.RuneCountInString(t) > 40 {
		return false
	}
	heading := reSpanHeading.MatchString(t) || !strings.ContainsAny(t, "。；;，,")
	if !heading {
		return false
	}
	if noIdx < 0 {
		// No number column: only an explicit heading spans.
		return reSpanHeading.MatchString(t) && secIdx != 0
	}
	asRow := k+noIdx < len(body) && isNumberCell(body[k+noIdx].Text)
	shifted := k+1+noIdx < len(body) && isNumberCell(body[k+1+noIdx].Text)
	return !asRow && shifted
}

// textBlock is a run of TAB cells not broken by a title or heading line.
type textBlock struct{ cells []Cell }

// textBlocks splits lines into blocks of TAB-started cells. Cell.Row holds
// the cell's 1-based line here. Non-TAB lines continue the current cell
// unless they break the table (isBreak); blank lines inside a cell are
// dropped.
func textBlocks(lines []string) []textBlock {
	var blocks []textBlock
	var cur []Cell
	var parts []string
	flush := func() {
		if len(cur) > 0 {
			cur[len(cur)-1].Text = strings.Join(parts, "\n")
		}
		parts = nil
	}
	endBlock := func() {
		flush()
		if len(cur) > 0 {
			blocks = append(blocks, textBlock{cells: cur})
		}
		cur = nil
	}
	for k, l := range lines {
		if strings.HasPrefix(l, "\t") {
			flush()
			cur = append(cur, Cell{Row: k + 1})
			l = l[1:]
		} else if len(cur) == 0 {
			continue
		} else if isBreak(l) {
			endBlock()
			continue
		}
		if t := strings.TrimSpace(l); t != "" {
			parts = append(parts, strings.TrimRight(l, " \t"))
		}
	}
	endBlock()
	return blocks
}

// textCells splits lines into TAB-started cells (every block's cells).
func textCells(lines []string, first int) []Cell {
	var out []Cell
	for _, b := range textBlocks(lines) {
		for _, c := range b.cells {
			c.Row += first - 1
			out = append(out, c)
		}
	}
	return out
}

// gridHeader finds the header row of a real table: the first of its first
// rows whose cells name task columns (isTaskHeader).
func gridHeader(rows [][]Cell) (int, bool) {
	for i, row := range rows {
		if i > 3 {
			break
		}
		titles := make([]string, len(row))
		words, filled := 0, 0
		for k, c := range row {
			titles[k] = c.Text
			if cleanCell(c.Text) != "" {
				filled++
				if isHeaderWord(c.Text) {
					words++
				}
			}
		}
		// Every filled cell of a header names a column (a data row whose
		// merged cells repeat header text is not a header).
		if words == filled && isTaskHeader(roles(titles)) {
			return i, true
		}
	}
	return 0, false
}

// tableGrid turns a real table into a grid, with merges from the file.
func tableGrid(d *Document, t Table) (grid, bool) {
	h, ok := gridHeader(t.Rows)
	if !ok {
		return grid{}, false
	}
	from := t.Line - 8
	if from < 0 {
		from = 0
	}
	title, year, found := titleFor(d.Lines, from, t.Line)
	if !found {
		title = t.Name
		if d.Title != "" {
			title = d.Title
		}
	}
	g := grid{title: title, year: year, kind: tableKind(title), line: t.Line, section: headingAbove(d.Lines, from, t.Line)}
	titles := make([]string, len(t.Rows[h]))
	for k, c := range t.Rows[h] {
		titles[k] = c.Text
	}
	g.cols = roles(titles)
	g.textHeader = headerOf(t.Rows[h], g.cols, colText)
	noIdx := -1
	if k := indexesOf(g.cols, colNo); len(k) > 0 {
		noIdx = k[0]
	}
	for _, row := range t.Rows[h+1:] {
		if _, again := gridHeader([][]Cell{row}); again {
			continue // a header repeated on every page
		}
		line := t.Line
		if span, ok := spanRow(row, noIdx); ok {
			g.rows = append(g.rows, gridRow{line: line, span: span})
			continue
		}
		g.rows = append(g.rows, gridRow{line: line, cells: row})
	}
	return g, true
}

// spanRow reports whether a real row is a section spanning the table: one
// text (possibly repeated across a horizontally merged range) and no
// number in the number column.
func spanRow(row []Cell, noIdx int) (string, bool) {
	text := ""
	for _, c := range row {
		t := cleanCell(c.Text)
		if t == "" || c.Merged {
			continue
		}
		if text != "" && t != text {
			return "", false
		}
		text = t
	}
	if text == "" || utf8.RuneCountInString(text) > 40 || isNumberCell(text) {
		return "", false
	}
	if noIdx >= 0 && noIdx < len(row) && isNumberCell(row[noIdx].Text) {
		return "", false
	}
	return text, true
}

// headerOf returns the header word of the column with role c.
func headerOf(hdr []Cell, cols []column, c column) string {
	for j, col := range cols {
		if col == c && j < len(hdr) {
			return cleanCell(hdr[j].Text)
		}
	}
	return ""
}
