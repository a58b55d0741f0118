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

// BenchmarkLoadSeeds measures reading the five seed documents into a
// knowledge base (issue target: < 50 ms). "records" stops when kb.New
// returns and every structured answer is ready; "indexed" also waits for
// the full-text index, which builds in the background.
func BenchmarkLoadSeeds(b *testing.B) {
	fsys := os.DirFS(seedsDir(b))
	for _, wait := range []bool{false, true} {
		name := map[bool]string{false: "records", true: "indexed"}[wait]
		b.Run(name, func(b *testing.B) { benchLoad(b, fsys, wait) })
	}
}

// BenchmarkLoadScaled loads the seeds copied n times under other names, to
// show that loading grows linearly.
func BenchmarkLoadScaled(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		fsys := scaledCorpus(b, n)
		b.Run(fmt.Sprintf("x%d/records", n), func(b *testing.B) { benchLoad(b, fsys, false) })
		b.Run(fmt.Sprintf("x%d/indexed", n), func(b *testing.B) { benchLoad(b, fsys, true) })
	}
}

func benchLoad(b *testing.B, fsys fs.FS, wait bool) {
	for b.Loop() {
		res, err := Load(context.Background(), fsys)
		if err != nil {
			b.Fatal(err)
		}
		base, err := kb.New(res.Contents)
		if err != nil {
			b.Fatal(err)
		}
		if wait {
			if err := base.WaitIndexed(); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		base.Close() // waits for a background build still running
		b.StartTimer()
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
