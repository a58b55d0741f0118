package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

func TestLibraryReload(t *testing.T) {
	dir := t.TempDir()
	sample, err := os.ReadFile(filepath.Join("testdata", "tasktable_sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tasks.txt")
	write := func(b []byte, mod time.Time) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	t0 := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	write(sample, t0)
	os.WriteFile(filepath.Join(dir, "old.doc"), []byte("x"), 0o644)
	l := NewLibrary(dir)
	if changed, err := l.Reload(ctx); !changed || err != nil {
		t.Fatalf("first Reload = %v, %v", changed, err)
	}
	leader := func() string {
		r, ok := l.Base().Task(kb.KeyTasks, 1)
		if !ok {
			return ""
		}
		return strings.Join(r.LeadLeaders, "、")
	}
	if got := leader(); got != "王大明" {
		t.Fatalf("leader = %q", got)
	}
	if st := l.Status(); len(st.Skipped) != 1 || st.Skipped[0].File != "old.doc" {
		t.Errorf("skipped = %+v, want old.doc", st.Skipped)
	}
	// Nothing changed: no rebuild.
	if changed, _ := l.Reload(ctx); changed {
		t.Error("Reload with no change reported a change")
	}
	// A good edit is picked up.
	write([]byte(strings.Replace(string(sample), "王大明", "周小平", -1)), t0.Add(time.Minute))
	if changed, err := l.Reload(ctx); !changed || err != nil {
		t.Fatalf("Reload after edit = %v, %v", changed, err)
	}
	if got := leader(); got != "周小平" {
		t.Errorf("leader after edit = %q, want 周小平", got)
	}
	// A broken edit keeps the previous version and reports the file.
	write([]byte("2021年县政府重点工作任务分解表\n\xff\xfe"), t0.Add(2*time.Minute))
	_, err = l.Reload(ctx)
	if err == nil || !strings.Contains(err.Error(), "tasks.txt:2") {
		t.Fatalf("Reload of broken file error = %v, want tasks.txt:2", err)
	}
	if got := leader(); got != "周小平" {
		t.Errorf("leader after broken edit = %q, want the previous 周小平", got)
	}
	if st := l.Status(); len(st.Errors) != 1 {
		t.Errorf("status errors = %v", st.Errors)
	}
	// Removing the file removes its records.
	os.Remove(path)
	if changed, err := l.Reload(ctx); !changed || err != nil {
		t.Fatalf("Reload after removal = %v, %v", changed, err)
	}
	if _, ok := l.Base().Task(kb.KeyTasks, 1); ok {
		t.Error("removed document still answers")
	}
}
