package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

func init() {
	formats[".docx"] = readDocxFile
}

// maxDocxPart bounds the uncompressed size of the main document part, so a
// zip bomb cannot exhaust memory; real task-table documents are a few MB.
const maxDocxPart = 64 << 20

// The two namespaces of WordprocessingML: transitional (what Word and WPS
// write) and strict ISO 29500.
const (
	nsWord       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWordStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMarkup     = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

func readDocxFile(fsys fs.FS, name string) (*Document, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	return ReadDocx(name, b)
}

// ReadDocx reads a Word .docx file: its body paragraphs in order into
// Lines (one line per paragraph, a line break inside a paragraph starts a
// new line, a tab becomes a space so that no line looks like a cell of a
// text export), and its tables into Tables with real merges (see
// docx_table.go for how spans, vertical merges and split tables are
// resolved). Headers, footers, footnotes and deleted revisions are not
// read. Errors are *Error naming the file.
func ReadDocx(name string, b []byte) (*Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("not a .docx file: %w", err)}
	}
	part := docxMainPart(zr)
	f := docxZipFile(zr, part)
	if f == nil {
		return nil, &Error{File: name, Err: fmt.Errorf("no %s in the zip: not a Word .docx document", part)}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("open %s: %w", part, err)}
	}
	defer rc.Close()
	d, err := parseDocx(name, &docxLimit{r: rc, n: maxDocxPart})
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("%s: %w", part, err)}
	}
	return d, nil
}

// parseDocx streams document.xml. Only the outermost tables keep their
// structure; the paragraphs of a nested table are lines of the outer cell.
func parseDocx(name string, r io.Reader) (*Document, error) {
	p := &docxParser{}
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			if errors.Is(err, errDocxTooLarge) {
				return nil, err
			}
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.start(t)
		case xml.EndElement:
			p.end(t)
		case xml.CharData:
			if p.inText && p.skip == 0 {
				p.text(string(t))
			}
		}
	}
	d := &Document{File: name, Lines: p.lines, NumLines: len(p.lines), Tables: p.tables.done()}
	d.Title = guessTitle(d.Lines)
	return d, nil
}

// docxParser is the state of one streaming pass over document.xml.
type docxParser struct {
	lines  []string
	tables docxTables

	skip      int // depth inside an ignored subtree (mc:Fallback, w:del)
	paraDepth int // >1 inside a text box paragraph within a paragraph
	inText    bool
	cur       strings.Builder // the current line of the current paragraph
	paraLines []string

	tblDepth int // 1 inside an outermost table
	row      *docxRow
	cell     *docxCell
}

func isWordNS(s string) bool { return s == nsWord || s == nsWordStrict }

func (p *docxParser) start(t xml.StartElement) {
	if p.skip > 0 {
		p.skip++
		return
	}
	if !isWordNS(t.Name.Space) {
		// mc:Fallback repeats the mc:Choice content (text boxes) for old
		// readers; reading both would double the text.
		if t.Name.Space == nsMarkup && t.Name.Local == "Fallback" {
			p.skip = 1
		}
		return
	}
	outer := p.tblDepth == 1
	switch t.Name.Local {
	case "del", "moveFrom":
		p.skip = 1 // tracked deletions are not part of the text
	case "p":
		p.paraDepth++
		if p.paraDepth > 1 {
			p.newLine() // a text box paragraph inside a paragraph
		}
	case "t":
		p.inText = true
	case "tab", "ptab":
		p.cur.WriteByte(' ')
	case "noBreakHyphen":
		p.cur.WriteByte('-')
	case "br", "cr":
		p.newLine()
	case "tbl":
		p.tblDepth++
		if p.tblDepth == 1 {
			p.tables.begin()
		}
	case "gridCol":
		if outer {
			p.tables.gridCols++
		}
	case "tr":
		if outer {
			p.row = &docxRow{}
		}
	case "tblHeader":
		if outer && p.row != nil && p.cell == nil {
			p.row.header = docxOnOff(t)
		}
	case "gridBefore":
		if outer && p.row != nil && p.cell == nil {
			p.row.before = docxInt(t, 0)
		}
	case "tc":
		if outer && p.row != nil {
			p.cell = &docxCell{span: 1}
		}
	case "gridSpan":
		if outer && p.cell != nil {
			p.cell.span = docxInt(t, 1)
		}
	case "vMerge":
		if outer && p.cell != nil {
			p.cell.vcont = docxVal(t) != "restart"
		}
	case "hMerge":
		if outer && p.cell != nil {
			p.cell.hcont = docxVal(t) != "restart"
		}
	}
}

func (p *docxParser) end(t xml.EndElement) {
	if p.skip > 0 {
		p.skip--
		return
	}
	if !isWordNS(t.Name.Space) {
		return
	}
	outer := p.tblDepth == 1
	switch t.Name.Local {
	case "t":
		p.inText = false
	case "p":
		p.paraDepth--
		if p.paraDepth > 0 {
			p.newLine()
			return
		}
		p.paraDepth = 0
		p.endParagraph()
	case "tc":
		if outer && p.cell != nil && p.row != nil {
			p.row.cells = append(p.row.cells, *p.cell)
			p.cell = nil
		}
	case "tr":
		if outer && p.row != nil {
			p.tables.rows = append(p.tables.rows, *p.row)
			p.row, p.cell = nil, nil
		}
	case "tbl":
		if outer {
			p.tables.end(len(p.lines))
			p.row, p.cell = nil, nil
		}
		if p.tblDepth > 0 {
			p.tblDepth--
		}
	}
}

func (p *docxParser) text(s string) {
	// A literal TAB would make the line look like a cell of a text export.
	p.cur.WriteString(strings.ReplaceAll(s, "\t", " "))
}

func (p *docxParser) newLine() {
	p.paraLines = append(p.paraLines, p.cur.String())
	p.cur.Reset()
}

// endParagraph files the finished paragraph: as body lines, or as lines of
// the current table cell, where blank lines are layout and are dropped.
func (p *docxParser) endParagraph() {
	p.newLine()
	lines := p.paraLines
	p.paraLines = nil
	if p.tblDepth == 0 {
		for _, l := range lines {
			p.lines = append(p.lines, strings.TrimRight(l, " "))
			if strings.TrimSpace(l) != "" {
				p.tables.textSince = true
			}
		}
		return
	}
	if p.cell == nil {
		return // a paragraph outside any cell of a malformed table
	}
	for _, l := range lines {
		if l = strings.TrimRight(l, " "); strings.TrimSpace(l) != "" {
			p.cell.lines = append(p.cell.lines, l)
		}
	}
}
