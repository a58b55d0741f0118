package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban/kb"
)

// Fixtures: the tests write their own .docx and .xlsx files. A task table
// is written once as an officeTable and rendered as a text export, a .docx
// and an .xlsx, so the three readers can be held to the same records.

// mergeUp marks a cell that continues the vertical merge of the cell above;
// mergeLeft (.xlsx only) one merged into the cell on its left.
const (
	mergeUp   = "^"
	mergeLeft = "<"
)

// An officeTable is a task table to render in every format.
type officeTable struct {
	attachment string // "附件1": the line before the title
	title      string
	header     []string
	rows       [][]string
	split      int // .docx only: rows from this index on go into a second table
	splitHead  bool
}

// officeText renders tables as a text export: every cell starts with a TAB
// at the start of a line, continuation lines follow, rows are separated by
// blank lines; a merged cell is empty, as the export leaves it.
func officeText(tables []officeTable) []byte {
	var b strings.Builder
	b.WriteString("关于印发任务分解表的通知\n\n")
	for _, t := range tables {
		fmt.Fprintf(&b, "%s\n%s\n\n", t.attachment, t.title)
		for _, h := range t.header {
			b.WriteString("\t" + h + "\n")
		}
		for _, row := range t.rows {
			b.WriteString("\n")
			for _, c := range row {
				if c == mergeUp {
					c = ""
				}
				b.WriteString("\t" + c + "\n")
			}
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// A docxBody builds the XML of word/document.xml.
type docxBody struct{ strings.Builder }

func (d *docxBody) para(text string) {
	d.WriteString("<w:p>")
	for i, l := range strings.Split(text, "\n") {
		if i > 0 {
			d.WriteString("<w:r><w:br/></w:r>")
		}
		if l != "" {
			fmt.Fprintf(&d.Builder, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, xmlEscape(l))
		}
	}
	d.WriteString("</w:p>")
}

// A docxFxCell is one w:tc: text (one paragraph per line), span, merge.
type docxFxCell struct {
	text   string
	span   int
	vMerge string // "", "restart" or "continue"
}

// table writes a w:tbl; the first head rows are marked w:tblHeader.
func (d *docxBody) table(cols int, rows [][]docxFxCell, head int) {
	d.WriteString("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>")
	for range cols {
		d.WriteString(`<w:gridCol w:w="1000"/>`)
	}
	d.WriteString("</w:tblGrid>")
	for i, row := range rows {
		d.WriteString("<w:tr>")
		if i < head {
			d.WriteString("<w:trPr><w:tblHeader/></w:trPr>")
		}
		for _, c := range row {
			d.WriteString("<w:tc><w:tcPr>")
			if c.span > 1 {
				fmt.Fprintf(&d.Builder, `<w:gridSpan w:val="%d"/>`, c.span)
			}
			switch c.vMerge {
			case "restart":
				d.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				d.WriteString(`<w:vMerge/>`)
			}
			d.WriteString("</w:tcPr>")
			if c.text == "" {
				d.WriteString("<w:p/>")
			}
			for _, l := range strings.Split(c.text, "\n") {
				if l != "" {
					d.para(l)
				}
			}
			d.WriteString("</w:tc>")
		}
		d.WriteString("</w:tr>")
	}
	d.WriteString("</w:tbl>")
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// docxZip packages a body as a .docx: the parts Word needs to open it.
func docxZip(t testing.TB, body string) []byte {
	t.Helper()
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">` +
		`<w:body>` + body + `<w:sectPr/></w:body></w:document>`
	return zipParts(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": doc,
	})
}

func zipParts(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/other.xml"} {
		s, ok := parts[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// officeDocx renders tables as a .docx with real vertical merges.
func officeDocx(t testing.TB, tables []officeTable) []byte {
	t.Helper()
	return docxZip(t, officeDocxBody(tables))
}

// officeDocxBody is the document body of officeDocx.
func officeDocxBody(tables []officeTable) string {
	var d docxBody
	d.para("关于印发任务分解表的通知")
	d.para("")
	for _, tb := range tables {
		d.para(tb.attachment)
		d.para(tb.title)
		d.para("")
		rows := [][]string{tb.header}
		rows = append(rows, tb.rows...)
		cells := docxFxRows(rows)
		cols := len(tb.header)
		if tb.split == 0 {
			d.table(cols, cells, 1)
			continue
		}
		d.table(cols, cells[:tb.split+1], 1)
		d.para("") // Word keeps an empty paragraph between split tables
		rest := cells[tb.split+1:]
		if tb.splitHead {
			rest = append([][]docxFxCell{docxFxRows([][]string{tb.header})[0]}, rest...)
			d.table(cols, rest, 1)
		} else {
			d.table(cols, rest, 0)
		}
	}
	return d.String()
}

// docxFxRows turns rows with mergeUp marks into cells with w:vMerge.
func docxFxRows(rows [][]string) [][]docxFxCell {
	out := make([][]docxFxCell, len(rows))
	for i, row := range rows {
		for j, c := range row {
			cell := docxFxCell{text: c}
			switch {
			case c == mergeUp:
				cell = docxFxCell{vMerge: "continue"}
			case i+1 < len(rows) && j < len(rows[i+1]) && rows[i+1][j] == mergeUp:
				cell.vMerge = "restart"
			}
			out[i] = append(out[i], cell)
		}
	}
	return out
}

var reFxDate = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)

// officeXlsx renders tables as a workbook, a sheet per table: the title
// merged across the columns in row 1, the header in row 2, merged ranges
// for the vertical merges, and "2020年8月31日" stored as an Excel date.
func officeXlsx(t testing.TB, tables []officeTable) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, tb := range tables {
		sheet := tb.attachment
		if i == 0 {
			must(t, f.SetSheetName("Sheet1", sheet))
		} else if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		last, _ := excelize.ColumnNumberToName(len(tb.header))
		if tb.title != "" {
			must(t, f.SetCellValue(sheet, "A1", tb.title))
			must(t, f.MergeCell(sheet, "A1", last+"1"))
		}
		rows := [][]string{tb.header}
		rows = append(rows, tb.rows...)
		xlsxFxRows(t, f, sheet, 2, rows)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xlsxFxRows writes rows from sheet row first on, merging each mergeUp run
// with the cell above it.
func xlsxFxRows(t testing.TB, f *excelize.File, sheet string, first int, rows [][]string) {
	t.Helper()
	for i, row := range rows {
		for j, c := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, first+i)
			if c == "" || c == mergeUp || c == mergeLeft {
				continue
			}
			if m := reFxDate.FindStringSubmatch(c); m != nil {
				y, _ := strconv.Atoi(m[1])
				mo, _ := strconv.Atoi(m[2])
				d, _ := strconv.Atoi(m[3])
				must(t, f.SetCellValue(sheet, cell, time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)))
				continue
			}
			must(t, f.SetCellValue(sheet, cell, c))
		}
	}
	for i, row := range rows {
		for j := 0; j < len(row); j++ {
			k := j + 1
			for k < len(row) && row[k] == mergeLeft {
				k++
			}
			if k > j+1 {
				left, _ := excelize.CoordinatesToCellName(j+1, first+i)
				right, _ := excelize.CoordinatesToCellName(k, first+i)
				must(t, f.MergeCell(sheet, left, right))
			}
			j = k - 1
		}
	}
	for j := range rows[0] {
		for i := 0; i < len(rows); i++ {
			k := i + 1
			for k < len(rows) && j < len(rows[k]) && rows[k][j] == mergeUp {
				k++
			}
			if k > i+1 {
				top, _ := excelize.CoordinatesToCellName(j+1, first+i)
				bottom, _ := excelize.CoordinatesToCellName(j+1, first+k-1)
				must(t, f.MergeCell(sheet, top, bottom))
			}
			i = k - 1
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// comparable returns records without what legitimately differs between
// formats: the file name and the line (a text export cites the line of the
// row, a .docx or .xlsx the line of the table).
func comparableRecords(rs []kb.Record) []kb.Record {
	out := make([]kb.Record, len(rs))
	for i, r := range rs {
		r.Doc, r.Source.File, r.Source.Line = "", "", 0
		out[i] = r
	}
	return out
}
