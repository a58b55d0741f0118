package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"duban/kb"
)

// A Library is a documents folder kept loaded: Reload re-reads the files
// that changed since the last load. A document that fails to load keeps its
// previous version (if it had one) and its error is reported until it is
// fixed, so one bad edit never empties the knowledge base. Each Reload
// builds a whole new *kb.Base; callers swap it in atomically, so answers
// never see a half-loaded base.
type Library struct {
	dir string
	// Options are how each base is built (a stored full-text index); set
	// them before the first Reload.
	Options kb.Options

	mu      sync.Mutex
	files   map[string]*libFile
	skipped []Skipped
	base    *kb.Base
	loaded  time.Time
}

type libFile struct {
	mod      time.Time
	size     int64
	contents kb.Contents
	ok       bool  // contents hold a good version
	err      error // the latest load's error, nil when it loaded
}

// NewLibrary returns a library over dir; call Reload to load it.
func NewLibrary(dir string) *Library {
	return &Library{dir: dir, files: map[string]*libFile{}}
}

// Dir returns the documents folder.
func (l *Library) Dir() string { return l.dir }

// Status is the library's state for /readyz and the emulator.
type Status struct {
	Loaded  time.Time `json:"loaded"`
	Docs    int       `json:"docs"`
	Errors  []string  `json:"errors,omitempty"`  // documents that failed; the previous version stays loaded
	Skipped []Skipped `json:"skipped,omitempty"` // unsupported formats
}

// Reload re-reads changed, added and removed documents and rebuilds the
// base when anything changed. It reports whether the base changed; the
// error joins the documents that failed (their previous versions stay).
func (l *Library) Reload(ctx context.Context) (changed bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return false, fmt.Errorf("read documents folder %s: %w", l.dir, err)
	}
	fsys := os.DirFS(l.dir)
	seen := map[string]bool{}
	var skipped []Skipped
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed while listing
		}
		seen[name] = true
		f := l.files[name]
		if f != nil && f.mod.Equal(info.ModTime()) && f.size == info.Size() {
			continue
		}
		if f == nil {
			f = &libFile{}
			l.files[name] = f
		}
		f.mod, f.size = info.ModTime(), info.Size()
		c, err := LoadFile(fsys, name)
		switch {
		case errors.Is(err, ErrUnsupported):
			skipped = append(skipped, Skipped{File: name, Reason: err.Error()})
			f.ok, f.err = false, nil
		case err != nil:
			f.err = err // keep f.contents: the previous good version
		default:
			f.contents, f.ok, f.err = c, true, nil
		}
		changed = true
	}
	for name := range l.files {
		if !seen[name] {
			delete(l.files, name)
			changed = true
		}
	}
	for name, f := range l.files {
		if !f.ok && f.err == nil && !containsSkipped(skipped, name) {
			skipped = append(skipped, Skipped{File: name, Reason: "unsupported format"})
		}
	}
	sort.Slice(skipped, func(i, j int) bool { return skipped[i].File < skipped[j].File })
	if changed || l.base == nil {
		b, berr := kb.NewWith(l.merged(), l.Options)
		if berr != nil {
			return false, berr
		}
		l.base, l.loaded, l.skipped = b, time.Now(), skipped
		changed = true
	}
	return changed, l.errs()
}

func containsSkipped(s []Skipped, name string) bool {
	for _, x := range s {
		if x.File == name {
			return true
		}
	}
	return false
}

// merged joins the good versions of every document, in name order.
func (l *Library) merged() kb.Contents {
	names := make([]string, 0, len(l.files))
	for n := range l.files {
		names = append(names, n)
	}
	sort.Strings(names)
	var c kb.Contents
	for _, n := range names {
		if f := l.files[n]; f.ok {
			c.Merge(f.contents)
		}
	}
	return c
}

func (l *Library) errs() error {
	var errs []error
	names := make([]string, 0, len(l.files))
	for n, f := range l.files {
		if f.err != nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		errs = append(errs, l.files[n].err)
	}
	return errors.Join(errs...)
}

// Base returns the latest complete knowledge base (nil before Reload).
func (l *Library) Base() *kb.Base {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.base
}

// Status reports what is loaded and what failed.
func (l *Library) Status() Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := Status{Loaded: l.loaded, Skipped: l.skipped}
	for _, f := range l.files {
		if f.ok {
			st.Docs++
		}
	}
	if err := l.errs(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			st.Errors = append(st.Errors, line)
		}
	}
	return st
}
