// Package ingest reads a folder of task documents into a knowledge base:
// readers per format (text export, .docx, .xlsx) produce a neutral document,
// and extractors per genre turn it into typed kb records.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"duban/kb"
)

// An Error locates a problem in a source document, e.g.
// "004_07f1fbb038e9b517.txt:1682: row 164: lead unit missing".
type Error struct {
	File string // base name of the document
	Line int    // 1-based line in File, 0 when unknown
	Row  int    // table row, 0 outside tables
	Err  error
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Row > 0 {
		s += fmt.Sprintf(": row %d", e.Row)
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrUnsupported marks a file whose format duban cannot read (.doc, .pdf).
var ErrUnsupported = errors.New("unsupported format")

// A Skipped file was not read, with the reason (kb check lists them).
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Result is what Load read: the contents and what it could not read.
type Result struct {
	Contents kb.Contents
	Skipped  []Skipped
}

// Load reads every document in fsys (top level, sorted by name) and
// extracts its records. It reads all files before failing: the returned
// error joins one *Error per document that failed, and the contents of the
// other documents are still returned.
func Load(ctx context.Context, fsys fs.FS) (Result, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Result{}, fmt.Errorf("read documents folder: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var res Result
	var errs []error
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue
		}
		c, err := LoadFile(fsys, name)
		if errors.Is(err, ErrUnsupported) {
			res.Skipped = append(res.Skipped, Skipped{File: name, Reason: err.Error()})
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res.Contents.Merge(c)
	}
	kb.CanonicalUnits(&res.Contents)
	return res, errors.Join(errs...)
}

// LoadFile reads and extracts one document of fsys.
func LoadFile(fsys fs.FS, name string) (kb.Contents, error) {
	var doc *Document
	var err error
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".txt", ".text":
		var b []byte
		b, err = fs.ReadFile(fsys, name)
		if err == nil {
			doc, err = ReadText(name, b)
		}
	default:
		reader, ok := formats[ext]
		if !ok {
			return kb.Contents{}, &Error{File: name, Err: fmt.Errorf("%w %q (save it as .docx, .xlsx or .txt)", ErrUnsupported, ext)}
		}
		doc, err = reader(fsys, name)
	}
	if err != nil {
		var ie *Error
		if errors.As(err, &ie) {
			return kb.Contents{}, err
		}
		return kb.Contents{}, &Error{File: name, Err: err}
	}
	return Extract(doc), nil
}

// formats maps a file extension to its reader; .docx and .xlsx register
// themselves here.
var formats = map[string]func(fsys fs.FS, name string) (*Document, error){}

// Extract runs the genre extractors chosen for doc (chooseGenres) and adds
// the document's paragraphs as passages for full-text search.
func Extract(doc *Document) kb.Contents {
	var c kb.Contents
	read := doc
	places := docPlaces(doc)
	if places.Any() {
		read = keepPlaces(doc, places) // 市住建局 beside 区住建局 (places.go)
	}
	chosen, report := chooseGenres(read)
	c.Docs = append(c.Docs, kb.Doc{File: doc.File, Title: doc.Title, Lines: doc.NumLines, Genres: report})
	for _, g := range chosen {
		c.Merge(g.extract(read))
	}
	if places.Any() {
		unmarkPlaces(&c, places)
	}
	c.Passages = append(c.Passages, passages(doc)...)
	return c
}

// LoadDir reads the documents folder dir and builds the knowledge base for
// a one-shot command (ask, kb dump, remind): its full-text index is built
// in memory when first needed, so a command that never searches never
// pays for it; a server keeps a Library. As with Load, documents that fail
// are reported in the error and the others are still loaded; the error is
// nil only when every document loaded.
func LoadDir(ctx context.Context, dir string) (*kb.Base, Result, error) {
	res, err := Load(ctx, os.DirFS(dir))
	if res.Contents.Docs == nil && err != nil {
		return nil, res, err
	}
	b, ierr := kb.NewWith(res.Contents, kb.Options{Lazy: true})
	if ierr != nil {
		return nil, res, errors.Join(err, ierr)
	}
	return b, res, err
}
