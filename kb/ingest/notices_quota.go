package ingest

import (
	"strconv"
	"strings"

	"duban/kb"
)

// Per-town quota tables (任务分解表 of a notice). The header may have two
// rows: group titles over period columns, the first cells merged down.
//
//	序号 | 区镇 | 新增上市企业数          | 新增报会企业数 | …
//	     |      | 十四五期间 | 2022年     | 十四五期间 | 2022年 | …
//	1    | 开发区 | 4        | 1          | 6 | 2 | …
//	全区合计     | 20       | 3          | …      (序号 and 区镇 merged)
//
// The text export drops the horizontal merges, so the first header row has
// fewer cells than the second; each group title spans an equal share. A
// .docx keeps every grid column and leaves the spanned ones empty.

// isTownHeader reports whether a header cell names the town column.
func isTownHeader(s string) bool {
	s = flatCell(s)
	return strings.Contains(s, "区镇") || s == "镇" || s == "乡镇" || s == "镇（街道）" || s == "街道" || s == "地区"
}

func (x *noticeExtractor) quotas() {
	for _, t := range x.tables {
		if len(t.rows) < 2 {
			continue
		}
		town := -1
		for k, c := range t.rows[0].cells {
			if isTownHeader(c.text) {
				town = k
				break
			}
		}
		if town < 0 {
			continue
		}
		x.quotaTable(t, town)
	}
}

// quotaTable reads one quota table whose town column is town.
func (x *noticeExtractor) quotaTable(t cellTable, town int) {
	titles, data := quotaHeader(t.rows)
	src := func(line, row int) kb.Source {
		return kb.Source{File: x.d.File, Line: line, Title: t.title, Row: row}
	}
	width := len(titles)
	if town >= width {
		x.c.Warnings = append(x.c.Warnings, kb.Warning{Source: src(t.rows[0].line, 0), Msg: "quota table: header not understood"})
		return
	}
	no := -1
	if flatCell(t.rows[0].cells[0].text) == "序号" {
		no = 0
	}
	topic := t.title
	if topic == "" {
		topic = x.n.topic
	}
	first := len(x.c.Quotas)
	for r, row := range t.rows[data:] {
		rowNo := r + 1
		cells := row.cells
		if rowEmpty(cells) {
			continue
		}
		if len(cells) == width-1 && no == 0 && town == 1 && !isNumeric(flatCell(cells[0].text)) {
			// 全区合计: 序号 and 区镇 merged into one cell.
			cells = append([]tableCell{{line: cells[0].line}}, cells...)
		}
		if len(cells) != width {
			x.c.Warnings = append(x.c.Warnings, kb.Warning{Source: src(row.line, rowNo),
				Msg: "quota table: row has " + strconv.Itoa(len(cells)) + " cells, header has " + strconv.Itoa(width)})
			continue
		}
		name := flatCell(cells[town].text) // towns stay as written: 开发区, 海门港新区
		if name == "" && town > 0 {
			// 全区合计 spanning 序号 and 区镇 in a .docx: text in the first column.
			if prev := flatCell(cells[town-1].text); !isNumeric(prev) {
				name = prev
			}
		}
		if name == "" {
			x.c.Warnings = append(x.c.Warnings, kb.Warning{Source: src(row.line, rowNo), Msg: "quota table: town missing"})
			continue
		}
		for k, c := range cells {
			v := flatCell(c.text)
			if k == town || k == no || v == "" || titles[k] == "" {
				continue
			}
			x.c.Quotas = append(x.c.Quotas, kb.Quota{Topic: topic, Town: name, Item: titles[k], Value: v, Source: src(row.line, rowNo)})
		}
	}
	x.checkTotals(x.c.Quotas[first:])
}

// checkTotals warns where a 合计 row is not the sum of the towns above it:
// a shifted cell or a misread header shows up here first.
func (x *noticeExtractor) checkTotals(qs []kb.Quota) {
	sums := map[string]float64{}
	numeric := map[string]bool{}
	for _, q := range qs {
		if strings.Contains(q.Town, "合计") || strings.Contains(q.Town, "总计") {
			continue
		}
		v, err := strconv.ParseFloat(q.Value, 64)
		if err != nil {
			numeric[q.Item] = false
			continue
		}
		if _, seen := numeric[q.Item]; !seen {
			numeric[q.Item] = true
		}
		sums[q.Item] += v
	}
	for _, q := range qs {
		if !strings.Contains(q.Town, "合计") && !strings.Contains(q.Town, "总计") {
			continue
		}
		v, err := strconv.ParseFloat(q.Value, 64)
		if err != nil || !numeric[q.Item] {
			continue
		}
		if d := v - sums[q.Item]; d > 1e-6 || d < -1e-6 {
			x.c.Warnings = append(x.c.Warnings, kb.Warning{Source: q.Source,
				Msg: "quota table: " + q.Item + " total " + q.Value + " is not the sum of the towns (" + strconv.FormatFloat(sums[q.Item], 'f', -1, 64) + ")"})
		}
	}
}

// quotaHeader returns the column titles and the index of the first data
// row. A second header row is one whose first cell is empty or merged; its
// titles are prefixed with the group title above ("2022年新增上市企业数").
func quotaHeader(rows []cellRow) (titles []string, data int) {
	top := rows[0].cells
	for _, c := range top {
		titles = append(titles, flatCell(c.text))
	}
	if len(rows) < 2 || len(rows[1].cells) == 0 {
		return titles, 1
	}
	sub := rows[1].cells
	if c := sub[0]; !(c.merged || flatCell(c.text) == "" || flatCell(c.text) == titles[0]) || isNumeric(flatCell(c.text)) {
		return titles, 1
	}
	lead := 0 // leading cells merged down from the top row
	for lead < len(sub) && lead < len(top) && (sub[lead].merged || flatCell(sub[lead].text) == "" || flatCell(sub[lead].text) == titles[lead]) {
		lead++
	}
	out := append([]string(nil), titles[:lead]...)
	groups := append([]string(nil), titles[lead:]...)
	subs := sub[lead:]
	if len(groups) == len(subs) {
		// A .docx keeps the grid: a spanning title sits in its first
		// column and the columns it spans are empty.
		for j := 1; j < len(groups); j++ {
			if groups[j] == "" {
				groups[j] = groups[j-1]
			}
		}
	}
	span := 0
	if len(groups) > 0 && len(subs)%len(groups) == 0 {
		span = len(subs) / len(groups)
	}
	for j, c := range subs {
		s := flatCell(c.text)
		g := ""
		if span > 0 {
			g = groups[j/span]
		}
		switch {
		case g == "" || g == s:
			out = append(out, s)
		case s == "":
			out = append(out, g)
		default:
			out = append(out, s+g)
		}
	}
	return out, 2
}

func rowEmpty(cells []tableCell) bool {
	for _, c := range cells {
		if flatCell(c.text) != "" {
			return false
		}
	}
	return true
}

func isNumeric(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
