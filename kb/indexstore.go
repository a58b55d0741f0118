package kb

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	berrors "go.etcd.io/bbolt/errors"
)

// indexFormat versions what duban writes into a stored index: the mapping
// (newMapping), the ids and the manifest (indexsync.go). A stored index of
// another format is rebuilt.
const indexFormat = 1

var formatKey = []byte("duban.format")

// ErrIndexBusy means another process (or another store in this one) holds
// the index directory; the caller can index in memory instead.
var ErrIndexBusy = errors.New("full-text index directory is in use")

// An IndexStore keeps the full-text indexes of one documents folder on
// disk (bleve scorch), one folder each for passages and task records, so a
// start or a reload re-indexes only the documents that changed (see
// indexsync.go). Every base built with it shares its two indexes; a
// reload's base brings them up to date in the background. It owns only
// the two folders it makes in dir.
type IndexStore struct {
	dir string
	log *slog.Logger
	idx map[string]*storedIndex
	// pending counts builds whose last batch is not on disk yet: Close
	// waits for them so the next start finds everything.
	pending sync.WaitGroup
	stop    chan struct{} // closed by Close: running builds end between batches
	closed  atomic.Bool
}

// A storedIndex is one bleve index of the store, built by one base at a
// time.
type storedIndex struct {
	mu  sync.Mutex
	idx bleve.Index
}

// The store's indexes, each a folder of dir.
const (
	passagesIndex = "passages"
	recordsIndex  = "records"
)

// OpenIndexStore opens the indexes kept in dir, creating them when
// missing. An index that cannot be read (corrupt, another format, out of
// step with its manifest) is rebuilt empty, with a log line: the next
// base indexes everything again. A directory held by another process is
// ErrIndexBusy.
func OpenIndexStore(dir string, log *slog.Logger) (*IndexStore, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("full-text index %s: %w", dir, err)
	}
	s := &IndexStore{dir: dir, log: log, idx: map[string]*storedIndex{}, stop: make(chan struct{})}
	for _, name := range []string{passagesIndex, recordsIndex} {
		idx, err := s.open(filepath.Join(dir, name))
		if err != nil {
			s.Close()
			return nil, err
		}
		s.idx[name] = &storedIndex{idx: idx}
	}
	return s, nil
}

// Dir returns the store's directory.
func (s *IndexStore) Dir() string { return s.dir }

// runtimeConfig is how scorch runs a stored index. Batches return once
// searchable, not once on disk (unsafe_batch): the manifest travels in the
// same snapshot as its passages, so a crash loses both or neither, and
// the next start re-indexes what was lost. A second opener waits a
// moment, not for ever, for the lock.
func runtimeConfig() map[string]any {
	return map[string]any{"unsafe_batch": true, "bolt_timeout": "500ms"}
}

// open opens or creates the index at path, rebuilding one it cannot use.
func (s *IndexStore) open(path string) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		if _, serr := os.Stat(path); serr == nil {
			s.log.Warn("full-text index incomplete; rebuilding it", "dir", path, "err", err)
		}
		return s.create(path)
	}
	idx, err := bleve.OpenUsing(path, runtimeConfig())
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrIndexBusy, path)
	}
	if err == nil {
		err = checkFormat(idx)
		if err != nil {
			idx.Close()
		}
	}
	if err != nil {
		s.log.Warn("full-text index unusable; rebuilding it", "dir", path, "err", err)
		return s.create(path)
	}
	return idx, nil
}

// checkFormat reports why idx cannot be brought up to date: another
// format, or documents out of step with the manifest.
func checkFormat(idx bleve.Index) error {
	v, err := idx.GetInternal(formatKey)
	if err != nil {
		return fmt.Errorf("read format: %w", err)
	}
	if string(v) != strconv.Itoa(indexFormat) {
		return fmt.Errorf("format %q, want %d", v, indexFormat)
	}
	_, err = readManifest(idx)
	return err
}

// create makes an empty index at path, removing what was there: the
// folder is the store's own (passages/ or records/ of its dir).
func (s *IndexStore) create(path string) (bleve.Index, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("full-text index %s: remove: %w", path, err)
	}
	idx, err := bleve.NewUsing(path, newMapping(), scorch.Name, scorch.Name, runtimeConfig())
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrIndexBusy, path)
	}
	if err != nil {
		return nil, fmt.Errorf("full-text index %s: create: %w", path, err)
	}
	if err := idx.SetInternal(formatKey, []byte(strconv.Itoa(indexFormat))); err != nil {
		idx.Close()
		return nil, fmt.Errorf("full-text index %s: %w", path, err)
	}
	return idx, nil
}

// index returns an Index over passages kept in the store's index name,
// brought up to date in the background.
func (s *IndexStore) index(name string, passages []Passage) *Index {
	si := s.idx[name]
	x := newIndex(si.idx, false, passages)
	s.pending.Add(1)
	var once sync.Once
	x.begin = func() { go x.build(&si.mu, s.stop, func(error) { once.Do(s.pending.Done) }) }
	x.start() // a stored index serves a server: up to date at once
	return x
}

// closeWait bounds how long Close waits for the last batch to reach the
// disk; what does not is indexed again at the next start.
const closeWait = 5 * time.Second

// Close stops running builds after their current batch, waits a moment
// for the last one to reach the disk and closes the indexes.
func (s *IndexStore) Close() error {
	if s == nil || s.closed.Swap(true) {
		return nil
	}
	close(s.stop)
	done := make(chan struct{})
	go func() { s.pending.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(closeWait):
		s.log.Warn("full-text index: closing before every change reached the disk; the next start re-indexes them", "dir", s.dir)
	}
	var errs []error
	for name, si := range s.idx {
		si.mu.Lock()
		if err := si.idx.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close full-text index %s: %w", name, err))
		}
		si.mu.Unlock()
	}
	return errors.Join(errs...)
}
