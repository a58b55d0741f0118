package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSheetCells reads a sheet as a grid: every row as wide as the widest,
// values as the reader sees them (dates in Chinese form), merged ranges
// resolved as in a .docx table.
func xlsxSheetCells(f *excelize.File, sheet string) ([][]Cell, error) {
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	width := 0
	for _, r := range raw {
		width = max(width, min(len(r), maxXlsxCols))
	}
	vr := xlsxValues{f: f, sheet: sheet, kinds: map[int]xlsxKind{}}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		vr.date1904 = *p.Date1904
	}
	rows := make([][]Cell, len(raw))
	for i, r := range raw {
		rows[i] = make([]Cell, width)
		for j := range rows[i] {
			rows[i][j].Row = i + 1
			if j < len(r) && r[j] != "" {
				rows[i][j].Text = vr.value(r[j], j+1, i+1)
			}
		}
	}
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, err
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("merged range %s:%s: bad reference", m.GetStartAxis(), m.GetEndAxis())
		}
		xlsxMerge(rows, c1-1, r1-1, min(c2, width)-1, min(r2, len(rows))-1)
	}
	return rows, nil
}

// maxXlsxCols bounds a row: Excel allows 16384 columns, task tables have
// fewer than ten; a stray value far to the right must not make every row
// thousands of cells wide.
const maxXlsxCols = 256

// xlsxMerge resolves one merged range (0-based, inclusive): Excel shows
// only the top-left value. The rest of the top row is empty like a
// w:gridSpan; each row below copies the row above and is Merged, like a
// w:vMerge continuation.
func xlsxMerge(rows [][]Cell, c1, r1, c2, r2 int) {
	if r1 < 0 || c1 < 0 || r1 >= len(rows) || c1 >= len(rows[r1]) {
		return
	}
	for c := c1 + 1; c <= c2; c++ {
		rows[r1][c].Text = ""
	}
	for r := r1 + 1; r <= r2; r++ {
		for c := c1; c <= c2; c++ {
			rows[r][c].Text, rows[r][c].Merged = rows[r-1][c].Text, true
		}
	}
}

// xlsxKind is what a cell style's number format makes of a number.
type xlsxKind int

const (
	xlsxGeneral   xlsxKind = iota // shown as stored
	xlsxDate                      // an Excel date serial
	xlsxFormatted                 // another format: read the formatted value
)

// xlsxValues converts raw cell values, caching the kind of each style.
type xlsxValues struct {
	f        *excelize.File
	sheet    string
	date1904 bool
	kinds    map[int]xlsxKind
}

// reTextDate is a date typed as text or stored as an ISO date cell
// (t="d"): "2020-08-31", "2020/8/31", "2020.8.31T00:00:00Z".
var reTextDate = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][0-9:.]*Z?)?$`)

func (v *xlsxValues) value(raw string, col, row int) string {
	if m := reTextDate.FindStringSubmatch(strings.TrimSpace(raw)); m != nil {
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		return fmt.Sprintf("%s年%d月%d日", m[1], mo, d)
	}
	num, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return raw
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return raw
	}
	if t, err := v.f.GetCellType(v.sheet, cell); err != nil || (t != excelize.CellTypeUnset && t != excelize.CellTypeNumber) {
		return raw // text that looks like a number: "1" typed as text
	}
	style, err := v.f.GetCellStyle(v.sheet, cell)
	if err != nil {
		return raw
	}
	switch v.kind(style) {
	case xlsxDate:
		t, err := excelize.ExcelDateToTime(num, v.date1904)
		if err != nil {
			return raw
		}
		return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
	case xlsxFormatted:
		if s, err := v.f.GetCellValue(v.sheet, cell); err == nil {
			return s
		}
	}
	return raw
}

func (v *xlsxValues) kind(style int) xlsxKind {
	if k, ok := v.kinds[style]; ok {
		return k
	}
	k := xlsxGeneral
	if s, err := v.f.GetStyle(style); err == nil && s != nil {
		switch {
		case s.CustomNumFmt != nil && isDateFormat(*s.CustomNumFmt):
			k = xlsxDate
		case s.CustomNumFmt != nil:
			k = xlsxFormatted
		case isDateNumFmt(s.NumFmt):
			k = xlsxDate
		case s.NumFmt != 0:
			k = xlsxFormatted
		}
	}
	v.kinds[style] = k
	return k
}

// isDateNumFmt reports whether a built-in number format shows a date:
// 14-17 and 22 in every locale, 27-36 and 50-58 in the Chinese, Japanese
// and Korean ones (ECMA-376 part 1, 18.8.30). Time-only formats are not.
func isDateNumFmt(id int) bool {
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)
}

// reFmtLiteral matches what a format code shows literally or uses as a
// condition: "quoted text", [colour or locale], and \-escaped characters.
var reFmtLiteral = regexp.MustCompile(`"[^"]*"|\[[^\]]*\]|\\.`)

// isDateFormat reports whether a custom format code shows a date: it has a
// year or day token outside literals (m alone may be minutes, e is an
// exponent).
func isDateFormat(code string) bool {
	c := strings.ToLower(reFmtLiteral.ReplaceAllString(code, ""))
	return strings.ContainsAny(c, "yd")
}
