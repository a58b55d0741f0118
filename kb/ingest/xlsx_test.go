package ingest

import (
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestReadXlsx: values as a reader sees them (dates in every storage),
// rows above the header as lines, a text-only sheet, a sheet named as
// the table's title.
func TestReadXlsx(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		must(t, err)
		return id
	}
	cnDate := `yyyy"年"m"月"d"日"`
	twoDec := "0.00"
	set := func(sheet, cell string, v any, styleID int) {
		must(t, f.SetCellValue(sheet, cell, v))
		if styleID > 0 {
			must(t, f.SetCellStyle(sheet, cell, cell, styleID))
		}
	}
	must(t, f.SetSheetName("Sheet1", "任务"))
	xlsxFxRows(t, f, "任务", 1, [][]string{
		{"2020年市政府重点工作任务分解表", mergeLeft, mergeLeft, mergeLeft, mergeLeft},
		{"单位：万元"},
		{},
		{"序号", "主要任务", "牵头单位", "完成时限", "投资"},
		{"1", "甲", "交通局"},
		{"2", "乙", "住建局"},
		{"3", "丙", "水利局", "2020/8/31", "12"},
		{"4", "丁", "水利局"},
	})
	date := time.Date(2020, 8, 31, 0, 0, 0, 0, time.UTC)
	set("任务", "D5", date, 0)                                   // excelize's default date style
	set("任务", "D6", 44074, style(&excelize.Style{NumFmt: 14})) // built-in m/d/yyyy
	set("任务", "D8", 44074, style(&excelize.Style{CustomNumFmt: &cnDate}))
	set("任务", "E5", 1.5, style(&excelize.Style{CustomNumFmt: &twoDec}))
	set("任务", "E6", 0.25, style(&excelize.Style{NumFmt: 10})) // 0.00%
	set("任务", "E8", 7, 0)
	_, err := f.NewSheet("说明")
	must(t, err)
	xlsxFxRows(t, f, "说明", 1, [][]string{{"本表由市政府办公室编制。"}, {"如有疑问请联系督查室。"}})
	_, err = f.NewSheet("2020年为民办实事项目任务分解表")
	must(t, err)
	xlsxFxRows(t, f, "2020年为民办实事项目任务分解表", 1, [][]string{
		{"序号", "项目内容", "牵头单位"},
		{"1", "戊", "教体局"},
	})
	buf, err := f.WriteToBuffer()
	must(t, err)

	d, err := ReadXlsx("w.xlsx", buf.Bytes())
	if err != nil {
		t.Fatalf("ReadXlsx: %v", err)
	}
	wantLines := []string{"2020年市政府重点工作任务分解表", "单位：万元", "本表由市政府办公室编制。", "如有疑问请联系督查室。", "2020年为民办实事项目任务分解表"}
	if !reflect.DeepEqual(d.Lines, wantLines) {
		t.Errorf("Lines = %q, want %q", d.Lines, wantLines)
	}
	if len(d.Tables) != 2 {
		t.Fatalf("%d tables, want 2", len(d.Tables))
	}
	tasks := d.Tables[0]
	if tasks.Name != "任务" || tasks.Line != 2 || tasks.Rows[0][0].Row != 4 {
		t.Errorf("table %q at line %d, header row %d; want 任务 at line 2, header row 4", tasks.Name, tasks.Line, tasks.Rows[0][0].Row)
	}
	var deadlines, amounts []string
	for _, row := range tasks.Rows[1:] {
		deadlines = append(deadlines, row[3].Text)
		amounts = append(amounts, row[4].Text)
	}
	if want := []string{"2020年8月31日", "2020年8月31日", "2020年8月31日", "2020年8月31日"}; !reflect.DeepEqual(deadlines, want) {
		t.Errorf("deadlines = %q, want %q", deadlines, want)
	}
	if want := []string{"1.50", "25.00%", "12", "7"}; !reflect.DeepEqual(amounts, want) {
		t.Errorf("amounts = %q, want %q", amounts, want)
	}
	if pp := d.Tables[1]; pp.Line != 5 {
		t.Errorf("sheet named as its title: table at line %d, want 5 (after the name)", pp.Line)
	}

	c := Extract(d)
	if len(c.Records) != 5 {
		t.Fatalf("%d records, want 5", len(c.Records))
	}
	for _, r := range c.Records[:4] {
		if r.Due.ISO() != "2020-08-31" {
			t.Errorf("task %d: due %q, want 2020-08-31", r.No, r.Due.ISO())
		}
	}
	if r := c.Records[4]; r.Table != "people_projects" || r.Source.Title != "2020年为民办实事项目任务分解表" {
		t.Errorf("last record from table %s titled %q, want people_projects", r.Table, r.Source.Title)
	}
}
