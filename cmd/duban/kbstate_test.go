package main

import (
	"bytes"
	"log/slog"
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

// startKB loads the seeds with the index kept in dir, waits for the index
// and returns the log.
func startKB(t *testing.T, dir string) (*kbState, *syncBuffer, func()) {
	t.Helper()
	var logs syncBuffer
	s := newKBState(seeds(t), nil, slog.New(slog.NewTextHandler(&logs, nil)))
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
	dir := filepath.Join(t.TempDir(), "index")
	_, logs, closeIdx := startKB(t, dir)
	waitLog(t, logs, "docs_kept=0 docs_indexed=5 docs_removed=0")
	closeIdx()
	_, logs, closeIdx = startKB(t, dir)
	defer closeIdx()
	waitLog(t, logs, "docs_kept=5 docs_indexed=0 docs_removed=0 passages_indexed=0 records_indexed=0")
	_, logs, closeBusy := startKB(t, dir)
	defer closeBusy()
	waitLog(t, logs, "full-text index kept in memory")
	waitLog(t, logs, "docs_kept=0 docs_indexed=5")
}
