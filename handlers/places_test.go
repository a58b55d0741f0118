package handlers_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"duban/handlers"
	"duban/kb/ingest"
)

// TestUnitsOfTwoPlaces asks about a document that names 市住建局 and
// 区住建局 (its own) as lead units of different tasks: every spelling of
// each finds only that unit's tasks, never the other place's.
func TestUnitsOfTwoPlaces(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "kb", "ingest", "testdata", "places_two_levels.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "places.txt"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	b, _, err := ingest.LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	h := handlers.New(b, handlers.Config{})
	for _, tc := range []struct {
		q         string
		want, not []string
	}{
		{"市住建局牵头哪些", []string{"第2项", "第4项"}, []string{"第1项", "第3项"}},
		{"市住房和城乡建设局牵头哪些任务", []string{"第2项", "第4项"}, []string{"第1项", "第3项"}},
		{"区住建局牵头哪些", []string{"第1项", "第3项"}, []string{"第2项", "第4项"}},
		{"住建局牵头哪些", []string{"第1项", "第3项"}, []string{"第2项", "第4项"}},
	} {
		got := h.Answer(context.Background(), handlers.Question{Text: tc.q}).Text()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %s:\n%s", tc.q, w, got)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: names %s, another place's task:\n%s", tc.q, n, got)
			}
		}
	}
}
