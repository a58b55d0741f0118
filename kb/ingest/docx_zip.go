package ingest

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// The package layer of a .docx (a zip of XML parts) and the attribute
// helpers of the WordprocessingML parser.

// docxMainPart finds the main document part through the package
// relationships; nearly always word/document.xml, which is the fallback.
func docxMainPart(zr *zip.Reader) string {
	const fallback = "word/document.xml"
	f := docxZipFile(zr, "_rels/.rels")
	if f == nil {
		return fallback
	}
	rc, err := f.Open()
	if err != nil {
		return fallback
	}
	defer rc.Close()
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&rels) != nil {
		return fallback
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/officeDocument") && r.Target != "" {
			return strings.TrimPrefix(path.Clean("/"+r.Target), "/")
		}
	}
	return fallback
}

// docxZipFile returns the zip entry called name, compared without regard
// to case (some tools upper-case part names).
func docxZipFile(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(f.Name, "/"), name) {
			return f
		}
	}
	return nil
}

// errDocxTooLarge is returned for a document part above maxDocxPart.
var errDocxTooLarge = fmt.Errorf("larger than %d MB uncompressed", maxDocxPart>>20)

// docxLimit reads at most n bytes and then fails, unlike io.LimitReader,
// whose silent EOF would look like a truncated XML file.
type docxLimit struct {
	r io.Reader
	n int64
}

func (l *docxLimit) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errDocxTooLarge
	}
	// Read one byte past the limit to tell "exactly n" from "more".
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	if l.n -= int64(n); l.n < 0 {
		return n, errDocxTooLarge
	}
	return n, err
}

// docxVal returns the w:val attribute of an element.
func docxVal(t xml.StartElement) string {
	for _, a := range t.Attr {
		if a.Name.Local == "val" {
			return a.Value
		}
	}
	return ""
}

// docxOnOff reads an ST_OnOff property: present without w:val means on.
func docxOnOff(t xml.StartElement) bool {
	switch docxVal(t) {
	case "", "true", "1", "on":
		return true
	}
	return false
}

// docxInt reads a numeric w:val, def when absent or invalid.
func docxInt(t xml.StartElement, def int) int {
	n, err := strconv.Atoi(docxVal(t))
	if err != nil {
		return def
	}
	return n
}
