// Package seedtest finds the seed documents (../shared/seeds beside the
// module root) for tests and benchmarks in any package. The seeds are read
// at test time, never copied into the repository.
package seedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the seeds folder. Without it the test is skipped, except
// under CI (CI set), where a missing folder is a failure: CI must test on
// the real documents.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			missing(tb, "no go.mod above "+dir)
		}
		dir = parent
	}
	seeds := filepath.Join(dir, "..", "shared", "seeds")
	if _, err := os.Stat(seeds); err != nil {
		missing(tb, err.Error())
	}
	return seeds
}

func missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("seed documents missing: %s", why)
	}
	tb.Skipf("seed documents missing: %s", why)
}
