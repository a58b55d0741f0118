package ingest

import (
	"regexp"
	"strconv"
	"strings"

	"duban/kb"
)

// 专栏 boxes of a plan. In the text export a box is a one-cell table: a
// TAB line "专栏 打造“科创城”" (or "专栏3 …") and its items on the lines
// that continue the cell. A box laid out as a table of its own (a title
// row, then one row per project) gives one item per row.

var reBoxTitle = regexp.MustCompile(`^专栏\s*(\d*)\s*[：:、.]?\s*(.*)$`)

// isBox reports whether t is a 专栏 box.
func isBox(t cellTable) bool {
	if len(t.rows) == 0 || len(t.rows[0].cells) == 0 {
		return false
	}
	first, _, _ := strings.Cut(strings.TrimSpace(t.rows[0].cells[0].text), "\n")
	return reBoxTitle.MatchString(strings.TrimSpace(first))
}

// planBoxes returns the boxes of d in document order, numbered from 1 unless
// their titles carry numbers.
func planBoxes(d *Document) []kb.Box {
	var out []kb.Box
	for _, t := range cellTables(d) {
		if !isBox(t) {
			continue
		}
		first := t.rows[0].cells[0]
		lines := strings.Split(strings.TrimSpace(first.text), "\n")
		m := reBoxTitle.FindStringSubmatch(strings.TrimSpace(lines[0]))
		b := kb.Box{No: len(out) + 1, Title: strings.TrimSpace(m[2])}
		if n, err := strconv.Atoi(m[1]); err == nil {
			b.No = n
		}
		if b.Title == "" && len(lines) > 1 {
			b.Title, lines = strings.TrimSpace(lines[1]), lines[1:]
		}
		b.Source = kb.Source{File: d.File, Line: first.line, Title: "专栏 " + b.Title}
		for _, l := range lines[1:] {
			b.Items = appendTrimmed(b.Items, l)
		}
		for _, c := range t.rows[0].cells[1:] {
			b.Items = appendTrimmed(b.Items, oneLine(c.text))
		}
		for _, r := range t.rows[1:] {
			if len(r.cells) > 0 && flatCell(r.cells[0].text) == "序号" {
				continue // the header of a box laid out as a table
			}
			var cells []string
			for _, c := range r.cells {
				cells = appendTrimmed(cells, oneLine(c.text))
			}
			b.Items = appendTrimmed(b.Items, strings.Join(cells, " "))
		}
		out = append(out, b)
	}
	return out
}

// oneLine joins a cell's lines into one.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "")), " ")
}
