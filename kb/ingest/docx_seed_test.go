package ingest

import (
	"duban/kb/ingest/seedtest"
	"os"
	"path/filepath"
	"testing"

	"duban/kb"
)

// TestOfficeSeedTables rewrites the task tables of the seed 004 (read from
// ../shared/seeds at test time, never stored) as a .docx and an .xlsx with
// real merges where the export left a merged cell empty, and checks that
// all 223 records come out as from the text export.
func TestOfficeSeedTables(t *testing.T) {
	dir := officeSeedDir(t)
	matches, _ := filepath.Glob(filepath.Join(dir, "004_*.txt"))
	if len(matches) != 1 {
		t.Skipf("seed 004 not found in %s", dir)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadText("004.txt", b)
	if err != nil {
		t.Fatal(err)
	}
	var tables []officeTable
	for i, g := range textGrids(d) {
		tables = append(tables, seedTable(g, i+1))
	}
	txt := loadOne(t, "004.txt", b).Records
	if len(txt) != 223 {
		t.Fatalf("text export: %d records, want 223", len(txt))
	}
	for name, data := range map[string][]byte{"004.docx": officeDocx(t, tables), "004.xlsx": officeXlsx(t, tables)} {
		t.Run(name, func(t *testing.T) {
			sameRecords(t, loadOne(t, name, data).Records, txt)
		})
	}
}

// seedTable turns a text grid into an officeTable, marking as merged the
// empty cells the text extractor inherits (DESIGN.md): 牵头领导, 牵头单位
// and 完成时限 except at a section start of a key-task table, and the
// section cell.
func seedTable(g grid, n int) officeTable {
	titles := map[column]string{colSection: "重点工作", colNo: "序号", colText: "主要任务", colLeaders: "牵头领导",
		colUnits: "牵头单位", colCo: "协同单位", colDeadline: "完成时限"}
	t := officeTable{attachment: "附件" + string(rune('0'+n)), title: g.title}
	for _, c := range g.cols {
		t.header = append(t.header, titles[c])
	}
	section, prevSection := "", ""
	first := true
	for _, row := range g.rows {
		var cells []string
		for j, c := range row.cells {
			cells = append(cells, c.Text)
			if g.cols[j] == colSection && cleanCell(c.Text) != "" {
				section = cleanCell(c.Text)
			}
		}
		start := first || (g.table == kb.KeyTasks && section != prevSection)
		for j, c := range g.cols {
			if cleanCell(cells[j]) != "" || first {
				continue
			}
			switch {
			case c == colSection:
				cells[j] = mergeUp
			case (c == colLeaders || c == colUnits || c == colDeadline) && !start:
				cells[j] = mergeUp
			}
		}
		t.rows = append(t.rows, cells)
		first, prevSection = false, section
	}
	return t
}

func officeSeedDir(t *testing.T) string {
	t.Helper()
	seeds := seedtest.Dir(t)
	return seeds
}
