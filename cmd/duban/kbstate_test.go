package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestIndexDir(t *testing.T) {
	tests := []struct {
		name string
		cfg  config
		want string
	}{
		{"no config file: in memory", config{DataDir: "data"}, ""},
		{"config: beside the data", config{path: filepath.Join("etc", "duban.yaml"), DataDir: "state"}, filepath.Join("etc", "state", "index")},
		{"index_dir relative to the config", config{path: filepath.Join("etc", "duban.yaml"), DataDir: "state", KB: kbConfig{IndexDir: "idx"}}, filepath.Join("etc", "idx")},
		{"index_dir absolute", config{path: "duban.yaml", KB: kbConfig{IndexDir: "/var/lib/duban/index"}}, "/var/lib/duban/index"},
		{"index_dir memory", config{path: "duban.yaml", DataDir: "data", KB: kbConfig{IndexDir: "memory"}}, ""},
	}
	for _, tt := range tests {
		if got := indexDir(&tt.cfg); got != tt.want {
			t.Errorf("%s: indexDir = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// syncBuffer is a log sink the index's background goroutine writes to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// kbDocs writes a small documents folder: two documents, so that the
// test measures the index's bookkeeping, not bleve under -race.
func kbDocs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.txt": "关于印发垃圾分类工作措施的通知\n\n一、推进生活垃圾分类工作，建成分类投放设施（市城管局牵头负责）。\n二、加快污水管网建设（市住建局牵头负责）。\n",
		"b.txt": "关于印发交通工作方案的通知\n\n一、实施道路改造工程，年底前完成（市交通局牵头负责）。\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// startKB loads docs with the index kept in dir, waits for the index and
// returns the log.
func startKB(t *testing.T, docs, dir string) (*kbState, *syncBuffer, func()) {
	t.Helper()
	var logs syncBuffer
	s := newKBState(docs, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	closeIdx := s.openIndexes(dir)
	if err := s.load(t.Context()); err != nil {
		t.Fatal(err)
	}
	b := s.current().Base()
	if err := b.WaitIndexed(); err != nil {
		t.Fatal(err)
	}
	if hits := b.Search("垃圾分类", 3); len(hits) == 0 {
		t.Error("no passage found for 垃圾分类")
	}
	return s, &logs, closeIdx
}

// waitLog waits until the log holds want: the swap logs the index in the
// background, once it is built.
func waitLog(t *testing.T, logs *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(e2ePollTimeout)
	for !strings.Contains(logs.String(), want) {
		if time.Now().After(deadline) {
			t.Errorf("log never said %q:\n%s", want, logs.String())
			return
		}
		time.Sleep(e2ePollEvery)
	}
}

// TestKBStateIndexOnDisk: serve's knowledge base keeps its index in the
// configured directory; the next start indexes nothing; a directory in
// use by another start leaves that start's index in memory, with a log
// line, and searches still answer.
func TestKBStateIndexOnDisk(t *testing.T) {
	docs, dir := kbDocs(t), filepath.Join(t.TempDir(), "index")
	_, logs, closeIdx := startKB(t, docs, dir)
	waitLog(t, logs, "docs_kept=0 docs_indexed=2 docs_removed=0")
	closeIdx()
	_, logs, closeIdx = startKB(t, docs, dir)
	defer closeIdx()
	waitLog(t, logs, "docs_kept=2 docs_indexed=0 docs_removed=0 passages_indexed=0 records_indexed=0")
	_, logs, closeBusy := startKB(t, docs, dir)
	defer closeBusy()
	waitLog(t, logs, "full-text index kept in memory")
	waitLog(t, logs, "docs_kept=0 docs_indexed=2")
}
