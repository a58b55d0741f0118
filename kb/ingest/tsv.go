package ingest

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Tab-separated tables. Excel's and WPS's "text (tab-separated)" exports
// write a row per line with TABs between cells, and quote a cell holding
// line breaks ("县住建局\n县财政局"). A header line is found by its column
// roles as in the Word export; the rows follow until a line that is not a
// row. A line with one cell and a heading's wording is a section row.

// tsvGrids finds the tab-separated task tables of a text export.
func tsvGrids(d *Document) []grid {
	var out []grid
	for i := 0; i < len(d.Lines); i++ {
		l := d.Lines[i]
		if strings.HasPrefix(l, "\t") || strings.Count(l, "\t") < 2 {
			continue
		}
		titles := strings.Split(strings.TrimRight(l, "\t "), "\t")
		cols := roles(titles)
		if !isTaskHeader(cols) || !allHeaderWords(titles) {
			continue
		}
		title, year, ok := titleFor(d.Lines, max(0, i-8), i)
		if !ok {
			title = d.Title
		}
		g := grid{title: title, year: year, kind: tableKind(title), cols: cols, line: i + 1, textMerge: true,
			section: headingAbove(d.Lines, max(0, i-8), i)}
		end := tsvRows(d.Lines, i+1, &g)
		out = append(out, g)
		i = end - 1
	}
	return out
}

func allHeaderWords(titles []string) bool {
	for _, t := range titles {
		if cleanCell(t) != "" && !isHeaderWord(t) {
			return false
		}
	}
	return true
}

// tsvRows reads the rows after a header at lines[from:] into g and returns
// the index of the first line after the table.
func tsvRows(lines []string, from int, g *grid) int {
	r := csv.NewReader(strings.NewReader(strings.Join(lines[from:], "\n")))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	n := len(g.cols)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return len(lines)
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return from + line - 1
		}
		filled := 0
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				filled++
			}
		}
		switch {
		case filled == 0:
			continue // a blank line between rows
		case filled == 1 && strings.TrimSpace(rec[0]) != "" && len(rec) <= n:
			t := cleanCell(rec[0])
			if !reSpanHeading.MatchString(t) || utf8.RuneCountInString(t) > 40 {
				return from + line - 1
			}
			g.rows = append(g.rows, gridRow{line: from + line, span: t})
		case len(rec) < 2:
			return from + line - 1
		default:
			row := gridRow{line: from + line}
			for j := 0; j < n; j++ {
				c := Cell{Row: from + line}
				if j < len(rec) {
					c.Text = strings.TrimSpace(rec[j])
				}
				row.cells = append(row.cells, c)
			}
			g.rows = append(g.rows, row)
		}
	}
}
