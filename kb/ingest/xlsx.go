package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/xuri/excelize/v2"

	"duban/kb"
)

func init() {
	formats[".xlsx"] = readXlsxFile
}

// maxXlsxUnzip bounds the uncompressed size of a workbook (excelize's
// default is 16 GB), so a zip bomb cannot exhaust memory.
const maxXlsxUnzip = 256 << 20

// xlsxHeaderScan is how many leading rows of a sheet may precede its header:
// a title, a date line, a "单位：" note and blank rows.
const xlsxHeaderScan = 12

// ErrNoTable is returned for a workbook in which no sheet holds a table
// duban understands.
var ErrNoTable = errors.New("no task table")

func readXlsxFile(fsys fs.FS, name string) (*Document, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	return ReadXlsx(name, b)
}

// ReadXlsx reads an Excel .xlsx workbook. Every sheet becomes one Table
// named after the sheet, starting at its header row: the first row naming
// task columns (序号, 主要任务, 牵头单位 …) within the first rows, else the
// first row with two or more cells. The rows above it (the title merged
// across the columns, "2020年市政府重点工作任务分解表") become Lines, so the
// table's title and plan year are found as for a .docx; a sheet whose
// header row holds no title above it but whose name is such a title
// contributes its name as that line. A sheet with no row of two cells is
// text only: all its rows become Lines. Merged ranges follow the .docx
// rules (docx_table.go); Cell.Row is the row number in the sheet. Dates
// stored as Excel dates read as "2020年8月31日", which deadline.Parse
// understands.
//
// A workbook with no task header in any sheet is still read when another
// genre extractor finds records in it; otherwise it is an error wrapping
// ErrNoTable: a workbook in the documents folder is meant to be a task
// table, and one that yields nothing is most likely one whose header
// titles were changed, which the operator should hear about.
func ReadXlsx(name string, b []byte) (*Document, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxXlsxUnzip})
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("not a readable .xlsx workbook: %w", err)}
	}
	defer f.Close()
	d := &Document{File: name}
	sheets := f.GetSheetList()
	hasHeader := false
	for _, sheet := range sheets {
		rows, err := xlsxSheetCells(f, sheet)
		if err != nil {
			return nil, &Error{File: name, Err: fmt.Errorf("sheet %q: %w", sheet, err)}
		}
		h, isTask, ok := xlsxHeaderRow(rows)
		hasHeader = hasHeader || isTask
		if !ok {
			h = len(rows)
		}
		for _, row := range rows[:h] {
			d.Lines = append(d.Lines, xlsxRowLines(row)...)
		}
		if !ok {
			continue
		}
		if h == 0 && reTableTitle.MatchString(sheet) {
			d.Lines = append(d.Lines, strings.TrimSpace(sheet))
		}
		table := rows[h:]
		foldHeader(table)
		d.Tables = append(d.Tables, Table{Name: sheet, Line: len(d.Lines), Rows: table})
	}
	d.NumLines = len(d.Lines)
	d.Title = guessTitle(d.Lines)
	if d.Title == "" && len(sheets) > 0 {
		d.Title = sheets[0]
	}
	if !hasHeader && !hasStructure(Extract(d)) {
		return nil, &Error{File: name, Err: fmt.Errorf("%w: no sheet (%s) has a header row naming 序号, 主要任务 and 牵头单位 or 牵头领导",
			ErrNoTable, strings.Join(sheets, ", "))}
	}
	return d, nil
}

// xlsxHeaderRow finds the header row of a sheet and reports whether it is
// a task header; ok is false when no row has two cells.
func xlsxHeaderRow(rows [][]Cell) (h int, isTask, ok bool) {
	for i := 0; i < len(rows) && i < xlsxHeaderScan; i++ {
		if _, t := gridHeader(rows[i : i+1]); t {
			return i, true, true
		}
	}
	for i, row := range rows {
		n := 0
		for _, c := range row {
			if strings.TrimSpace(c.Text) != "" && !c.Merged {
				n++
			}
		}
		if n >= 2 {
			return i, false, true
		}
	}
	return 0, false, false
}

// xlsxRowLines is a row above the header as paragraph lines: its cells
// joined by a space, a line per line of text, blank rows dropped.
func xlsxRowLines(row []Cell) []string {
	var parts []string
	for _, c := range row {
		if t := strings.TrimSpace(c.Text); t != "" && !c.Merged {
			parts = append(parts, t)
		}
	}
	var out []string
	for _, l := range strings.Split(strings.Join(parts, " "), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// hasStructure reports whether an extractor found anything beyond
// paragraphs.
func hasStructure(c kb.Contents) bool {
	return len(c.Records)+len(c.Leaders)+len(c.Members)+len(c.Duties)+
		len(c.Indicators)+len(c.Quotas)+len(c.Phases)+len(c.Boxes) > 0
}
