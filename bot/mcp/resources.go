package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"duban/kb"
)

// DocumentsURI is the resource listing the loaded documents.
const DocumentsURI = "duban://documents"

// A Document is one loaded document as the documents resource lists it.
type Document struct {
	File   string     `json:"file"`
	Title  string     `json:"title"`
	Year   int        `json:"year,omitempty"`
	Lines  int        `json:"lines"`
	Tables []TableRow `json:"tables,omitempty"`
}

// A TableRow is a task table of a document with its size.
type TableRow struct {
	TableRef
	Label string `json:"label,omitempty"`
	Rows  int    `json:"rows"`
}

func (s *Server) addResources() {
	s.srv.AddResource(&sdk.Resource{
		URI:         DocumentsURI,
		Name:        "documents",
		Title:       "Loaded documents",
		Description: "Every document the answers come from, with its title, year and task tables (their ids are the table and scope arguments of the tools).",
		MIMEType:    "application/json",
	}, s.readDocuments)
}

func (s *Server) readDocuments(_ context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
	h, err := s.handler()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", DocumentsURI, err)
	}
	raw, err := json.Marshal(documents(h.Base()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", DocumentsURI, err)
	}
	return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: req.Params.URI, MIMEType: "application/json", Text: string(raw)}}}, nil
}

// documents lists b's documents with their tables. A document's year is
// the plan year of its tables, which kb reads from the document; for a
// document without task tables, the year its paragraphs name most.
func documents(b *kb.Base) []Document {
	c := b.Contents()
	out := make([]Document, 0, len(c.Docs))
	for _, d := range c.Docs {
		doc := Document{File: d.File, Title: d.Title, Lines: d.Lines}
		for _, t := range b.Tables() {
			if t.Doc != d.File {
				continue
			}
			doc.Tables = append(doc.Tables, TableRow{TableRef: tableRef(t), Label: t.Label, Rows: b.Count(t.ID)})
			if doc.Year == 0 {
				doc.Year = t.Year
			}
		}
		if doc.Year == 0 {
			doc.Year = namedYear(c.Passages, d.File)
		}
		out = append(out, doc)
	}
	return out
}

var reYear = regexp.MustCompile(`(20\d\d)\s*年`)

// namedYear is the year the paragraphs of file name most often, the first
// named on a tie; 0 when they name none.
func namedYear(ps []kb.Passage, file string) int {
	counts := map[int]int{}
	best := 0
	for _, p := range ps {
		if p.Source.File != file {
			continue
		}
		for _, m := range reYear.FindAllStringSubmatch(p.Text, -1) {
			y, _ := strconv.Atoi(m[1])
			counts[y]++
			if counts[y] > counts[best] {
				best = y
			}
		}
	}
	return best
}
