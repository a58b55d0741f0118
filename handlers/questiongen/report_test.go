package questiongen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tally counts passes per key (a perturbation class, a template).
type tally struct {
	ok, n map[string]int
	keys  []string
}

func newTally() *tally { return &tally{ok: map[string]int{}, n: map[string]int{}} }

func (t *tally) add(key string, pass bool) {
	if _, seen := t.n[key]; !seen {
		t.keys = append(t.keys, key)
	}
	t.n[key]++
	if pass {
		t.ok[key]++
	}
}

func (t *tally) rate(key string) float64 {
	if t.n[key] == 0 {
		return 1
	}
	return float64(t.ok[key]) / float64(t.n[key])
}

// total returns the pass rate over every key.
func (t *tally) total() (ok, n int) {
	for _, k := range t.keys {
		ok += t.ok[k]
		n += t.n[k]
	}
	return ok, n
}

// table renders the tally as a Markdown table, keys in order (sorted when
// order is nil), the rate in a column named col.
func (t *tally) table(title, col string, order []string) string {
	keys := order
	if keys == nil {
		keys = slices.Clone(t.keys)
		slices.Sort(keys)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | %s | passed | asked |\n| --- | ---: | ---: | ---: |\n", title, col)
	for _, k := range keys {
		if t.n[k] == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %.3f | %d | %d |\n", k, t.rate(k), t.ok[k], t.n[k])
	}
	ok, n := t.total()
	fmt.Fprintf(&b, "| **all** | **%.3f** | %d | %d |\n", float64(ok)/float64(max(n, 1)), ok, n)
	return b.String()
}

// writeArtifact saves a report under $DUBAN_ARTIFACTS (for BENCHMARKS.md)
// when it is set.
func writeArtifact(t *testing.T, name, text string) {
	t.Helper()
	dir := os.Getenv("DUBAN_ARTIFACTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	t.Logf("wrote %s", path)
}

// firstLine shortens an answer for a one-line worklist entry.
func firstLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if rs := []rune(s); len(rs) > 110 {
		return string(rs[:110]) + "…"
	}
	return s
}
