package progress

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"duban/kb"
)

// exportHeader is the column row of both exports: the task as the document
// gives it, then its status as the units reported it.
var exportHeader = []string{
	"表", "序号", "板块", "任务内容", "牵头领导", "牵头单位", "协同单位", "完成时限", "到期日",
	"状态", "进展说明", "申请延期至", "报告单位", "报告人", "报告群", "报告时间", "延期后到期日", "灯",
}

// exportTables is the order tables appear in, current plan first.
var exportTables = []kb.Table{kb.KeyTasks, kb.PeopleProjects, kb.Measures2019, kb.Nantong2019}

// rows returns one row per task of b, table by table in document
// order, with its status from statuses (未开始 when it has none). 到期日 is
// the document's date; 延期后到期日 and 灯 read the date it is due now
// (EffectiveDue: an approved extension's date, else empty). 灯 stays last.
func (e Export) rows(b *kb.Base, statuses map[Key]kb.Status) [][]string {
	now := e.now()
	var rows [][]string
	for _, t := range exportTables {
		for _, r := range b.Records() {
			if r.Table == t {
				s := statuses[Key{r.Table, r.No}]
				moved := ""
				if r.Due != nil {
					if d := EffectiveDue(r.Due, s); d != r.Due {
						moved = d.ISO()
					}
				}
				rows = append(rows, append(exportRow(r, s), moved, LightOf(r.Due, s, now, e.Lights).Label()))
			}
		}
	}
	return rows
}

func exportRow(r kb.Record, s kb.Status) []string {
	state := string(kb.NotStarted)
	at := ""
	if s.State != "" {
		state = string(s.State)
		at = s.At.In(kb.Location).Format("2006-01-02 15:04")
	}
	title := kb.TableTitle[r.Table]
	if title == "" {
		title = string(r.Table)
	}
	return []string{
		title, strconv.Itoa(r.No), r.Section, oneLine(r.Text),
		strings.Join(r.LeadLeaders, "、"), strings.Join(r.LeadUnits, "、"), strings.Join(r.CoUnits, "、"),
		oneLine(r.DeadlineText), r.Due.ISO(),
		state, s.Note, s.Extension, s.Unit, s.User, s.Chat, at,
	}
}

// oneLine joins the lines of a cell ("8月\n底前") as the documents mean them.
func oneLine(s string) string { return strings.Join(strings.Fields(s), "") }

// WriteCSV writes every task of b with its status as CSV (UTF-8 with a
// byte-order mark, which Excel needs to read Chinese text correctly).
func WriteCSV(w io.Writer, b *kb.Base, statuses map[Key]kb.Status) error {
	return Export{}.WriteCSV(w, b, statuses)
}

// WriteCSV is the package's WriteCSV with e's colours.
func (e Export) WriteCSV(w io.Writer, b *kb.Base, statuses map[Key]kb.Status) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("progress: csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return fmt.Errorf("progress: csv: %w", err)
	}
	rows := e.rows(b, statuses)
	for _, r := range rows {
		for i, c := range r {
			r[i] = CSVCell(c)
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("progress: csv: %w", err)
	}
	return nil
}

// CSVCell returns s as a CSV cell that spreadsheet programs show as text:
// a cell beginning with = + - @, a tab or a carriage return is read by
// Excel, LibreOffice and Google Sheets as a formula (=HYPERLINK(…) runs
// when the monthly report is opened), so it gets a leading apostrophe,
// the neutraliser OWASP's "CSV Injection" page recommends and that the
// programs hide when they display the cell. Notes are typed by anyone in a
// reporting chat; task texts come from documents, and are treated alike.
// The xlsx export needs none of this: its cells are typed strings, never
// formulas.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// xlsxWidths are the column widths of the xlsx export, in characters.
var xlsxWidths = []float64{16, 6, 14, 60, 12, 16, 24, 12, 11, 9, 40, 12, 10, 10, 14, 16, 12, 8}

// WriteXLSX writes every task of b with its status as an Excel workbook:
// one sheet per table (the document's title), a bold frozen header row and
// wrapped task texts, for the office's monthly report.
func WriteXLSX(w io.Writer, b *kb.Base, statuses map[Key]kb.Status) error {
	return Export{}.WriteXLSX(w, b, statuses)
}

// WriteXLSX is the package's WriteXLSX with e's colours.
func (e Export) WriteXLSX(w io.Writer, b *kb.Base, statuses map[Key]kb.Status) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("progress: xlsx: %w", cerr)
		}
	}()
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	rows := e.rows(b, statuses)
	first := true
	for _, t := range exportTables {
		var sheetRows [][]string
		for _, r := range rows {
			if r[0] == tableTitle(t) {
				sheetRows = append(sheetRows, r)
			}
		}
		if len(sheetRows) == 0 {
			continue
		}
		name := sheetName(t)
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("progress: xlsx: %w", err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("progress: xlsx: %w", err)
		}
		if err := writeSheet(f, name, sheetRows, head, wrap); err != nil {
			return fmt.Errorf("progress: xlsx: sheet %s: %w", name, err)
		}
	}
	if first { // no tasks: still a valid workbook with the header
		if err := writeSheet(f, "Sheet1", nil, head, wrap); err != nil {
			return fmt.Errorf("progress: xlsx: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, sheet string, rows [][]string, head, wrap int) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range xlsxWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(exportHeader))
	for i, h := range exportHeader {
		cells[i] = excelize.Cell{Value: h, StyleID: head}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			c := excelize.Cell{Value: v, StyleID: wrap}
			if j == 1 { // 序号 as a number, so the sheet sorts it numerically
				if n, err := strconv.Atoi(v); err == nil {
					c.Value = n
				}
			}
			cells[j] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func tableTitle(t kb.Table) string {
	if s := kb.TableTitle[t]; s != "" {
		return s
	}
	return string(t)
}

// sheetName is the table's title cut to Excel's 31-character limit.
func sheetName(t kb.Table) string {
	r := []rune(tableTitle(t))
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}
