package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"duban/kb"
)

// BenchmarkLoadSeeds measures reading the five seed documents and building
// the knowledge base with its full-text indexes (issue target: < 50 ms).
func BenchmarkLoadSeeds(b *testing.B) {
	fsys := os.DirFS(seedsDir(b))
	for b.Loop() {
		res, err := Load(context.Background(), fsys)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := kb.New(res.Contents); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadScaled loads the seeds copied n times under other names, to
// show that loading grows linearly.
func BenchmarkLoadScaled(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		fsys := scaledCorpus(b, n)
		b.Run(fmt.Sprintf("x%d", n), func(b *testing.B) {
			for b.Loop() {
				res, err := Load(context.Background(), fsys)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := kb.New(res.Contents); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// scaledCorpus returns an in-memory folder holding n copies of every seed.
func scaledCorpus(tb testing.TB, n int) fs.FS {
	dir := seedsDir(tb)
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, e := range entries {
		data, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		for i := 0; i < n; i++ {
			m[fmt.Sprintf("c%03d_%s", i, e.Name())] = &fstest.MapFile{Data: data}
		}
	}
	return m
}
