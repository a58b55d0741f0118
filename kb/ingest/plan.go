package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban/kb"
)

// Plans (003): a five-year plan with indicator tables and 专栏 boxes.
//
// 表1 (十三五 completion) has no 序号 and two value columns:
//
//	类别 | 指标名称 | 单位 | “十三五”目标 | 预计完成 | 属性
//
// 表2 (十四五 targets) has one:
//
//	类别 | 序号 | 指标 | 单位 | 十四五目标 | 属性
//
// A column whose title says 目标 or 规划 is the Target; one that says 完成,
// 现状, 基期 or 实际 is the Base, so for 表1 Target is the 十三五 goal and
// Base what was achieved (预计完成), the starting point of 十四五. Without a
// 序号 column, No is the row's position in its table. An empty 类别 cell is
// a vertical merge: it continues the category above. The marks in front of
// a name ("*" for locally adjusted indicators, "(1)" for a sub-indicator)
// are dropped so that names match questions.

// reIndicatorTitle matches a table title: 表1 …, 表 2：…
var reIndicatorTitle = regexp.MustCompile(`^表\s*(\d+)\s*[：:.、]?\s*(.*)$`)

// isPlan reports whether d has an indicator table (a numbered table with 指标
// and 属性 columns) or a 专栏 box.
func isPlan(d *Document) bool {
	for _, t := range cellTables(d) {
		if _, ok := indicatorColumns(t); ok {
			return true
		}
		if isBox(t) {
			return true
		}
	}
	return false
}

// extractPlan extracts the indicators and boxes of d.
func extractPlan(d *Document) kb.Contents {
	var c kb.Contents
	for _, t := range cellTables(d) {
		if cols, ok := indicatorColumns(t); ok {
			c.Merge(indicatorRows(d, t, cols))
		}
	}
	c.Boxes = planBoxes(d)
	return c
}

// indicatorCols holds the index of each column of an indicator table, -1
// where the table has none.
type indicatorCols struct {
	category, no, name, unit, base, target, attribute int
	table                                             string // 表1
}

// indicatorColumns recognises an indicator table by its title and header.
func indicatorColumns(t cellTable) (indicatorCols, bool) {
	cols := indicatorCols{category: -1, no: -1, name: -1, unit: -1, base: -1, target: -1, attribute: -1}
	if len(t.rows) == 0 {
		return cols, false
	}
	if m := reIndicatorTitle.FindStringSubmatch(t.title); m != nil {
		cols.table = "表" + m[1]
	} else if strings.Contains(t.title, "指标") && utf8.RuneCountInString(t.title) <= 40 {
		// "青溪县“十五五”经济社会发展主要指标": a county's table without 表N.
		cols.table = strings.TrimSpace(t.title)
	} else {
		return cols, false
	}
	var values []int
	for k, c := range t.rows[0].cells {
		h := flatCell(c.text)
		switch {
		case h == "类别" || h == "分类" || h == "领域" || h == "类型":
			cols.category = k
		case h == "序号" || h == "编号":
			cols.no = k
		case strings.Contains(h, "指标") && cols.name < 0:
			cols.name = k
		case h == "单位" || h == "计量单位":
			cols.unit = k
		case strings.Contains(h, "属性"):
			cols.attribute = k
		case strings.Contains(h, "完成") || strings.Contains(h, "现状") || strings.Contains(h, "基期") || strings.Contains(h, "实际") || strings.Contains(h, "基数"):
			if cols.base < 0 {
				cols.base = k
			}
		case strings.Contains(h, "目标") || strings.Contains(h, "规划"):
			if cols.target < 0 {
				cols.target = k
			}
		default:
			values = append(values, k)
		}
	}
	if cols.target < 0 && len(values) > 0 {
		cols.target = values[len(values)-1] // "2025年": the last value column
	}
	return cols, cols.name >= 0 && cols.attribute >= 0 && cols.target >= 0
}

// indicatorRows reads the data rows of one indicator table.
func indicatorRows(d *Document, t cellTable, cols indicatorCols) kb.Contents {
	var c kb.Contents
	width := len(t.rows[0].cells)
	category := ""
	row := 0
	for _, r := range t.rows[1:] {
		if rowEmpty(r.cells) {
			continue
		}
		row++
		src := kb.Source{File: d.File, Line: r.line, Title: t.title, Row: row}
		if len(r.cells) != width {
			c.Warnings = append(c.Warnings, kb.Warning{Source: src,
				Msg: cols.table + ": row has " + strconv.Itoa(len(r.cells)) + " cells, header has " + strconv.Itoa(width)})
			continue
		}
		cell := func(k int) string {
			if k < 0 {
				return ""
			}
			return flatCell(r.cells[k].text)
		}
		if v := cell(cols.category); v != "" {
			category = v
		}
		in := kb.Indicator{
			Table: cols.table, Category: category, No: row, Name: indicatorName(cell(cols.name)),
			Unit: cell(cols.unit), Base: cell(cols.base), Target: cell(cols.target),
			Attribute: cell(cols.attribute), Source: src,
		}
		if cols.no >= 0 {
			n, err := strconv.Atoi(cell(cols.no))
			if err != nil {
				c.Warnings = append(c.Warnings, kb.Warning{Source: src, Msg: cols.table + ": 序号 " + strconv.Quote(cell(cols.no)) + " is not a number"})
			} else {
				in.No = n
			}
		}
		if in.Name == "" {
			c.Warnings = append(c.Warnings, kb.Warning{Source: src, Msg: cols.table + ": indicator without a name"})
			continue
		}
		c.Indicators = append(c.Indicators, in)
	}
	return c
}

var reNameMarks = regexp.MustCompile(`^(?:[*＊※]|[（(]\d+[）)])+`)

// indicatorName drops the marks in front of an indicator's name.
func indicatorName(s string) string {
	return reNameMarks.ReplaceAllString(s, "")
}
