package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

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
	Period string     `json:"period,omitempty"` // of a five-year plan: 2021–2025
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
	s.addTaskResource()
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
// document without task tables, what its paragraphs name most: a
// five-year plan (十四五: 2021–2025) or a year.
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
			doc.Year, doc.Period = namedYear(c.Passages, d.File)
		}
		out = append(out, doc)
	}
	return out
}

var (
	reYear = regexp.MustCompile(`((?:20|二〇)[0-9〇一二三四五六七八九]{2})\s*年`)
	// rePlan is a five-year plan by its number: 十四五 is the 14th.
	rePlan = regexp.MustCompile(`十([一二三四五六七八九])五`)
)

const cnDigits = "〇一二三四五六七八九"

// namedYear is the year the paragraphs of file name most often (the first
// named on a tie), or the first year of the five-year plan they name more
// often than any year, with its period; 0 when they name neither.
func namedYear(ps []kb.Passage, file string) (int, string) {
	years, plans := map[int]int{}, map[int]int{}
	bestYear, bestPlan := 0, 0
	for _, p := range ps {
		if p.Source.File != file {
			continue
		}
		for _, m := range reYear.FindAllStringSubmatch(p.Text, -1) {
			y := cnYear(m[1])
			if years[y]++; years[y] > years[bestYear] {
				bestYear = y
			}
		}
		for _, m := range rePlan.FindAllStringSubmatch(p.Text, -1) {
			// The 3rd plan began in 1966 and every later one five years on.
			n := 10 + strings.Index(cnDigits, m[1])/len("一")
			start := 1966 + 5*(n-3)
			if plans[start]++; plans[start] > plans[bestPlan] {
				bestPlan = start
			}
		}
	}
	if bestPlan != 0 && plans[bestPlan] > years[bestYear] {
		return bestPlan, strconv.Itoa(bestPlan) + "–" + strconv.Itoa(bestPlan+4)
	}
	return bestYear, ""
}

// cnYear reads 2020 or 二〇二〇.
func cnYear(s string) int {
	n := 0
	for _, r := range s {
		d := int(r - '0')
		if r < '0' || r > '9' {
			d = strings.IndexRune(cnDigits, r) / len("一")
		}
		n = n*10 + d
	}
	return n
}
