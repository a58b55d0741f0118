package ingest

import (
	"strings"
	"unicode/utf8"
)

// A Document is one file in a neutral form the genre extractors read.
// Text exports fill Lines; .docx and .xlsx fill Tables with real cells and
// Lines with their paragraphs, so extractors that read paragraphs work on
// every format.
type Document struct {
	File     string   // base name
	Title    string   // first heading-like line
	Lines    []string // text lines without the trailing newline; Lines[0] is line 1
	NumLines int
	Tables   []Table // tables with real cell structure (.docx, .xlsx)

	// grids memoises the task-table grids of the text (textGrids and
	// tsvGrids): genre choice and extraction both need them.
	grids     []grid
	gridsDone bool
	place     *[2]string // docPlaceFull, read once
}

// textTaskGrids returns the task tables of the text, read once.
func (d *Document) textTaskGrids() []grid {
	if !d.gridsDone {
		d.grids = append(textGrids(d), tsvGrids(d)...)
		d.gridsDone = true
	}
	return d.grids
}

// A Table is a grid read from a .docx table or an .xlsx sheet.
type Table struct {
	Name string // "表格3", "Sheet1"
	Line int    // line in Lines of the paragraph before it, for ordering
	Rows [][]Cell
}

// A Cell is one grid cell. Merged is true when the file marks the cell as
// the continuation of a vertical merge (w:vMerge without restart, or a cell
// inside an xlsx merged range below its top-left); Text then repeats the
// merge's value.
type Cell struct {
	Text   string // lines joined by "\n"
	Merged bool
	Row    int // 1-based row in the table or sheet
}

// ReadText reads a plain-text export: UTF-8 (a BOM is dropped), UTF-16
// with a BOM, or GB18030/GBK (encoding.go); LF, CRLF or CR line ends.
func ReadText(name string, b []byte) (*Document, error) {
	raw := b
	b, _, err := decodeText(b)
	if err != nil {
		line := 0
		if !utf8.Valid(raw) {
			line = 1 + strings.Count(string(raw[:invalidAt(raw)]), "\n")
		}
		return nil, &Error{File: name, Line: line, Err: err}
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	d := &Document{File: name, Lines: lines, NumLines: len(lines)}
	d.Title = guessTitle(lines)
	return d, nil
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// guessTitle returns the first line that names a document (…措施, …方案,
// …通知, …纲要), else the first short line that reads like a title. Lines
// with runs of spaces are signatures ("中共海门市委        海门市人民政府").
func guessTitle(lines []string) string {
	for i, l := range lines {
		if i > 40 {
			break
		}
		t := strings.TrimSpace(reBookmark.ReplaceAllString(l, ""))
		if n := utf8.RuneCountInString(t); n >= 6 && n <= 40 && reDocTitle.MatchString(t) && !strings.Contains(t, "  ") {
			return t
		}
	}
	for i, l := range lines {
		if i > 40 {
			break
		}
		t := strings.TrimSpace(strings.TrimPrefix(l, "\t"))
		n := utf8.RuneCountInString(t)
		if n >= 6 && n <= 40 && !strings.HasSuffix(t, "：") && !strings.HasSuffix(t, "。") && !strings.Contains(t, "  ") {
			return t
		}
	}
	return ""
}

// Line returns line n (1-based) or "" when out of range.
func (d *Document) Line(n int) string {
	if n < 1 || n > len(d.Lines) {
		return ""
	}
	return d.Lines[n-1]
}
