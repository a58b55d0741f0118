package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"duban/kb"
)

// shuffledFS lists its folder in a random order: Load must not depend on
// the order a file system lists files in.
type shuffledFS struct {
	fs.FS
	rng *rand.Rand
}

func (s shuffledFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := fs.ReadDir(s.FS, name)
	s.rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	return es, err
}

// determinismFS is the seeds (when present) and the county set, together.
func determinismFS(t *testing.T) fstest.MapFS {
	m := fstest.MapFS{}
	add := func(dir string) {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			m[e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	add(countyDir)
	if _, err := os.Stat(seedsDir(t)); err == nil {
		add(seedsDir(t))
	}
	return m
}

// dumpAll is everything a load yields, as bytes: records with their units
// as the knowledge base shows them, every other kind, the registry, the
// kb check report.
func dumpAll(t *testing.T, fsys fs.FS) []byte {
	t.Helper()
	res, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	passages := res.Contents.Passages
	res.Contents.Passages = nil // the full-text index is slow to build under -race and reads no order
	// Nothing here searches: no index is built.
	b, err := kb.NewWith(res.Contents, kb.Options{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	c := b.Contents()
	for _, v := range []any{c.Records, c.Leaders, c.Members, c.Duties, c.Indicators, c.Quotas, c.Phases, c.Boxes, c.Appointments,
		passages, c.Warnings, c.Docs, b.Tables(), b.Units(), b.Persons(), b.Check()} {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestLoadDeterministic loads the same documents again and in shuffled
// listing orders and requires the same bytes every time: no map order or
// file order may decide a reading, a name or a table id.
func TestLoadDeterministic(t *testing.T) {
	fsys := determinismFS(t)
	want := dumpAll(t, fsys)
	for seed := uint64(1); seed <= 1; seed++ {
		got := dumpAll(t, shuffledFS{fsys, rand.New(rand.NewPCG(seed, seed))})
		if !bytes.Equal(got, want) {
			t.Fatalf("load %d (shuffled listing) differs from the first load (%d vs %d bytes)", seed, len(got), len(want))
		}
	}
}
