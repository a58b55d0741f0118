package ingest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// FuzzDocx feeds arbitrary document.xml parts to the reader: it must not
// panic or hang, errors must be *Error, and what it reads must keep the
// Table invariants the extractors rely on.
func FuzzDocx(f *testing.F) {
	var d docxBody
	d.para("2020年市政府重点工作任务分解表")
	f.Add([]byte(docxDocument(d.String())))
	for _, body := range []string{
		xtbl(3, taskHead, xtr(xtc("1", ""), xtc("甲", span(2)+vRestart)), xtr(xtc("2", ""), xtc("", span(9)+vCont))),
		xtbl(2, xtr("<w:tc>"+xtbl(1, xtr(xtc("内", vCont)))+"</w:tc>")),
		xtbl(3, taskHead) + xp("") + xtbl(3, `<w:tr><w:trPr><w:tblHeader/><w:gridBefore w:val="2"/></w:trPr>`+xtc("x", vCont)+`</w:tr>`),
		`<w:p><w:r><w:t>甲</w:t><w:br/></w:r><mc:AlternateContent><mc:Fallback><w:p/></mc:Fallback></mc:AlternateContent></w:p>`,
	} {
		f.Add([]byte(docxDocument(body)))
	}
	f.Add([]byte(docxDocument(officeDocxBody(officeTables()))))
	f.Fuzz(func(t *testing.T, doc []byte) {
		d, err := ReadDocx("f.docx", zipParts(t, map[string]string{"word/document.xml": string(doc)}))
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) || ie.File != "f.docx" {
				t.Fatalf("error %v is not an *Error naming the file", err)
			}
			return
		}
		if err := checkTables(d); err != nil {
			t.Fatal(err)
		}
		for _, l := range d.Lines {
			if strings.HasPrefix(l, "\t") {
				t.Fatalf("line %q starts with a TAB: it would read as a text-export cell", l)
			}
		}
		Extract(d)
	})
}

// checkTables verifies the shape every reader promises: rectangular
// tables within the grid bound, 1-based rows, merged cells repeating the
// cell above, tables placed within the lines.
func checkTables(d *Document) error {
	for _, tb := range d.Tables {
		if tb.Line < 0 || tb.Line > len(d.Lines) {
			return fmt.Errorf("table %s at line %d of %d", tb.Name, tb.Line, len(d.Lines))
		}
		if len(tb.Rows) == 0 {
			return fmt.Errorf("table %s has no rows", tb.Name)
		}
		width := len(tb.Rows[0])
		if width == 0 || width > maxDocxCols {
			return fmt.Errorf("table %s is %d columns wide", tb.Name, width)
		}
		for i, row := range tb.Rows {
			if len(row) != width {
				return fmt.Errorf("table %s row %d: %d cells, want %d", tb.Name, i, len(row), width)
			}
			for j, c := range row {
				if c.Row < 1 {
					return fmt.Errorf("table %s row %d cell %d: Row %d", tb.Name, i, j, c.Row)
				}
				if c.Merged && (i == 0 || tb.Rows[i-1][j].Text != c.Text) {
					return fmt.Errorf("table %s row %d cell %d: merged %q does not repeat the cell above", tb.Name, i, j, c.Text)
				}
			}
		}
	}
	return nil
}

// docxDocument wraps a body as a document.xml part.
func docxDocument(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + body + `</w:body></w:document>`
}

// BenchmarkReadDocx reads a generated .docx task table of 500 rows with
// vertical merges, and then extracts its records.
func BenchmarkReadDocx(b *testing.B) {
	t := officeTables()[0]
	t.rows, t.split = nil, 0
	for i := range 500 {
		lead, units, dl := "周国强", "交通局\n商务局", "8月\n底前"
		if i%5 != 0 {
			lead, units, dl = mergeUp, mergeUp, mergeUp
		}
		sec := mergeUp
		if i%50 == 0 {
			sec = fmt.Sprintf("第%d部分", i/50+1)
		}
		t.rows = append(t.rows, []string{sec, fmt.Sprint(i + 1), strings.Repeat("推进重点项目建设，", 8), lead, units, "自然资源局\n相关区镇", dl})
	}
	data := officeDocx(b, []officeTable{t})
	b.Logf("%d-row .docx of %d bytes", len(t.rows), len(data))
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := ReadDocx("bench.docx", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read+extract", func(b *testing.B) {
		for b.Loop() {
			d, err := ReadDocx("bench.docx", data)
			if err != nil {
				b.Fatal(err)
			}
			if c := Extract(d); len(c.Records) != 500 {
				b.Fatalf("%d records, want 500", len(c.Records))
			}
		}
	})
	xdata := officeXlsx(b, []officeTable{t})
	b.Run("xlsx read+extract", func(b *testing.B) {
		for b.Loop() {
			d, err := ReadXlsx("bench.xlsx", xdata)
			if err != nil {
				b.Fatal(err)
			}
			if c := Extract(d); len(c.Records) != 500 {
				b.Fatalf("%d records, want 500", len(c.Records))
			}
		}
	})
}
