package ingest

import (
	"regexp"
	"strconv"
	"strings"

	"duban/kb"
)

// Task tables (004): 附件1 重点工作任务分解表 and 附件2 为民办实事项目任务分解表.
// In the text export every cell starts with a TAB at the start of a line and
// may continue on following lines (two units on two lines, blank lines in
// between), so rows come from the column grid, never from blank lines.

var reTableTitle = regexp.MustCompile(`^\s*(\d{4})年.*(任务分解表|项目分解表|任务清单|责任分解表)\s*$`)

// column is what a task-table column holds, recognised by its header text.
type column int

const (
	colOther column = iota
	colSection
	colNo
	colText
	colLeaders
	colUnits
	colCo
	colDeadline
)

// headerColumn maps a header cell to its column; titles vary between tables
// and offices (协同单位, 配合单位, 责任单位; 完成时限, 时间节点).
func headerColumn(title string) column {
	t := cleanCell(title)
	switch {
	case t == "序号" || t == "编号":
		return colNo
	case strings.Contains(t, "牵头领导") || t == "分管领导" || t == "责任领导":
		return colLeaders
	case strings.Contains(t, "牵头单位") || t == "牵头部门" || t == "主办单位":
		return colUnits
	case strings.Contains(t, "协同") || strings.Contains(t, "配合") || strings.Contains(t, "责任单位") || strings.Contains(t, "参与单位"):
		return colCo
	case strings.Contains(t, "时限") || strings.Contains(t, "时间节点") || strings.Contains(t, "完成时间"):
		return colDeadline
	case strings.Contains(t, "任务") || strings.Contains(t, "项目") || strings.Contains(t, "内容"):
		return colText
	case t == "重点工作" || t == "类别" || t == "分类" || t == "领域":
		return colSection
	}
	return colOther
}

// cleanCell removes whitespace and line breaks: header and name cells are
// padded and wrapped ("牵头\n领导", "姜  勇").
func cleanCell(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func isTaskTables(d *Document) bool {
	if len(d.Tables) > 0 {
		for _, t := range d.Tables {
			if _, ok := gridHeader(t.Rows); ok {
				return true
			}
		}
	}
	for _, l := range d.Lines {
		if reTableTitle.MatchString(l) {
			return true
		}
	}
	return false
}

func extractTaskTables(d *Document) kb.Contents {
	var c kb.Contents
	var grids []grid
	grids = append(grids, textGrids(d)...)
	for _, t := range d.Tables {
		if g, ok := tableGrid(d, t); ok {
			grids = append(grids, g)
		}
	}
	place := docPlace(d)
	docYr, docYrFrom := docYear(d)
	for _, g := range grids {
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
	line     int // header line
	// textMerge: empty cells in mergeable columns continue the cell above
	// (text exports lose the merge marks; see DESIGN.md).
	textMerge bool
	// merged, when set, is the evidence's verdict on which columns are
	// merged (see inferMerges); nil leaves the defaults of isMerged.
	merged map[column]bool
}

type gridRow struct {
	line  int // line of the row's first cell
	cells []Cell
}

// tableKind names the kind of table from its title: 为民办实事 and 民生实事
// tables are people_projects, other task tables key_tasks.
func tableKind(title string) string {
	if strings.Contains(title, "实事") || strings.Contains(title, "民生") {
		return kb.KindPeopleProjects
	}
	return kb.KindKeyTasks
}

// textGrids finds the task tables of a text export: a title line, a header
// of TAB cells, then TAB cells until the next 附件 marker or title.
func textGrids(d *Document) []grid {
	var out []grid
	for i := 0; i < len(d.Lines); i++ {
		m := reTableTitle.FindStringSubmatch(d.Lines[i])
		if m == nil {
			continue
		}
		title := strings.TrimSpace(d.Lines[i])
		year, _ := strconv.Atoi(m[1])
		end := len(d.Lines)
		for j := i + 1; j < len(d.Lines); j++ {
			if reTableTitle.MatchString(d.Lines[j]) || reAttachment.MatchString(d.Lines[j]) {
				end = j
				break
			}
		}
		cells := textCells(d.Lines[i+1:end], i+2)
		g := grid{title: title, year: year, kind: tableKind(title), textMerge: true}
		// The header is the leading run of cells that name columns.
		n := headerLen(cells)
		if n < 3 {
			i = end - 1
			continue
		}
		g.line = cells[0].Row
		for _, h := range cells[:n] {
			g.cols = append(g.cols, headerColumn(h.Text))
		}
		body := cells[n:]
		for k := 0; k < len(body); k += n {
			row := gridRow{line: body[k].Row}
			for j := k; j < k+n; j++ {
				if j < len(body) {
					row.cells = append(row.cells, body[j])
				} else {
					row.cells = append(row.cells, Cell{Row: body[len(body)-1].Row})
				}
			}
			g.rows = append(g.rows, row)
		}
		out = append(out, g)
		i = end - 1
	}
	return out
}

var reAttachment = regexp.MustCompile(`^\s*附件\s*\d+\s*$`)

// headerLen returns how many leading cells are column titles: short cells
// that each name a column not named before.
func headerLen(cells []Cell) int {
	seen := map[column]bool{}
	n := 0
	for ; n < len(cells); n++ {
		t := cleanCell(cells[n].Text)
		c := headerColumn(t)
		if c == colOther || seen[c] || len([]rune(t)) > 12 {
			break
		}
		seen[c] = true
	}
	return n
}

// textCells splits lines into TAB-started cells. Cell.Row holds the cell's
// line number here. Non-TAB lines continue the current cell; blank lines
// inside a cell are dropped.
func textCells(lines []string, first int) []Cell {
	var cells []Cell
	var parts []string
	flush := func() {
		if len(cells) > 0 {
			cells[len(cells)-1].Text = strings.Join(parts, "\n")
		}
		parts = nil
	}
	for k, l := range lines {
		if strings.HasPrefix(l, "\t") {
			flush()
			cells = append(cells, Cell{Row: first + k})
			l = l[1:]
		} else if len(cells) == 0 {
			continue
		}
		if t := strings.TrimSpace(l); t != "" {
			parts = append(parts, strings.TrimRight(l, " \t"))
		}
	}
	flush()
	return cells
}

// gridHeader finds the header row of a real table: the first row whose
// cells name at least a number, a text and a lead-unit column.
func gridHeader(rows [][]Cell) (int, bool) {
	for i, row := range rows {
		if i > 3 {
			break
		}
		seen := map[column]bool{}
		for _, c := range row {
			seen[headerColumn(c.Text)] = true
		}
		if seen[colNo] && seen[colText] && (seen[colUnits] || seen[colLeaders]) {
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
	title := t.Name
	year := 0
	for k := t.Line; k >= 1 && k > t.Line-6; k-- {
		if m := reTableTitle.FindStringSubmatch(d.Line(k)); m != nil {
			title = strings.TrimSpace(d.Line(k))
			year, _ = strconv.Atoi(m[1])
			break
		}
	}
	g := grid{title: title, year: year, kind: tableKind(title), line: t.Line}
	for _, c := range t.Rows[h] {
		g.cols = append(g.cols, headerColumn(c.Text))
	}
	for _, row := range t.Rows[h+1:] {
		if _, again := gridHeader([][]Cell{row}); again {
			continue // a header repeated on every page
		}
		g.rows = append(g.rows, gridRow{line: t.Line, cells: row})
	}
	return g, true
}
