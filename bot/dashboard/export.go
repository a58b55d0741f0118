package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"duban/progress"
)

// The exports are the current view: the same filter and as-of day as the
// page the link is on, one row per task in timeline order.

var exportHeader = []string{
	"表", "序号", "板块", "任务内容", "牵头领导", "分管领导", "牵头单位", "协同单位", "完成时限", "到期日",
	"延期后到期日", "剩余天数", "亮灯", "状态", "进展说明", "申请延期至", "报告", "来源",
}

func exportRow(t *Task) []string {
	left := ""
	if t.DaysLeft != nil {
		left = strconv.Itoa(*t.DaysLeft)
	}
	return []string{
		t.TableLabel, strconv.Itoa(t.No), t.Section, oneLine(t.Text),
		strings.Join(t.LeadLeaders, "、"), strings.Join(t.Overseers, "、"),
		strings.Join(t.LeadUnits, "、"), strings.Join(t.CoUnits, "、"),
		t.DeadlineText, t.Due, t.Extended, left, t.Light.Label(), string(t.State), t.Note, t.Extension, t.ReportedBy,
		t.Source.File + ":" + strconv.Itoa(t.Source.Line),
	}
}

// unitHeader heads the second sheet: the standing of every unit.
var unitHeader = []string{"牵头单位", "任务数", "红灯", "黄灯", "绿灯", "已完成", "无时限", "应完成", "逾期", "完成率"}

func unitRow(g Group) []string {
	row := []string{g.Name, strconv.Itoa(g.Total)}
	for _, l := range progress.Lights {
		row = append(row, strconv.Itoa(g.Lights[l]))
	}
	return append(row, strconv.Itoa(g.Due), strconv.Itoa(g.Overdue), g.RateText())
}

func attachment(w http.ResponseWriter, name string) {
	w.Header().Set("Cache-Control", "no-store")
	// filename* carries the Chinese name (RFC 6266); filename is the ASCII fallback.
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dashboard.%s"; filename*=UTF-8''%s`,
		name[strings.LastIndexByte(name, '.')+1:], url.PathEscape(name)))
}

func (d *Dashboard) exportCSV(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // Excel reads UTF-8 only with the byte-order mark
	cw := csv.NewWriter(&buf)
	cw.Write(exportHeader) //nolint:errcheck // a bytes.Buffer does not fail; Flush reports
	for _, t := range byDue(v.board.Tasks) {
		row := exportRow(&t)
		for i := range row {
			row[i] = progress.CSVCell(row[i])
		}
		cw.Write(row) //nolint:errcheck // as above
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		d.fail(w, r, http.StatusInternalServerError, fmt.Errorf("dashboard: csv: %w", err))
		return
	}
	attachment(w, "督办看板_"+v.day+".csv")
	send(w, r, "text/csv; charset=utf-8", buf.Bytes())
}

func (d *Dashboard) exportXLSX(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	var buf bytes.Buffer
	if err := writeXLSX(&buf, &v.board); err != nil {
		d.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	attachment(w, "督办看板_"+v.day+".xlsx")
	// An xlsx is a zip already: gzip would gain nothing.
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// writeXLSX writes the view as a workbook: the tasks, then the units.
// Cells are typed strings, never formulas, so a note typed in a chat
// cannot run in Excel.
func writeXLSX(w *bytes.Buffer, b *Board) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("dashboard: xlsx: %w", cerr)
		}
	}()
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return fmt.Errorf("dashboard: xlsx: %w", err)
	}
	tasks := [][]string{}
	for _, t := range byDue(b.Tasks) {
		tasks = append(tasks, exportRow(&t))
	}
	units := [][]string{}
	for _, g := range b.Units {
		units = append(units, unitRow(g))
	}
	sheets := []struct {
		name   string
		header []string
		rows   [][]string
		widths []float64
	}{
		{"任务（截至" + b.AsOf + "）", exportHeader, tasks, []float64{16, 6, 14, 60, 12, 12, 16, 20, 12, 11, 11, 8, 8, 9, 30, 12, 14, 26}},
		{"单位", unitHeader, units, []float64{20, 8, 6, 6, 6, 8, 8, 8, 6, 8}},
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return fmt.Errorf("dashboard: xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return fmt.Errorf("dashboard: xlsx: %w", err)
		}
		if err := writeSheet(f, s.name, s.header, s.rows, s.widths, head); err != nil {
			return fmt.Errorf("dashboard: xlsx: sheet %s: %w", s.name, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("dashboard: xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, sheet string, header []string, rows [][]string, widths []float64, head int) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{Value: h, StyleID: head}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
			if n, err := strconv.Atoi(v); err == nil && j > 0 { // numbers sort as numbers
				cells[j] = n
			}
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
