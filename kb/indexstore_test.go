package kb

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// genDocs generates docs documents of per passages each: texts of common
// words, and one word only that passage has (唯<doc>号<n>), so a search can
// ask for exactly one passage.
func genDocs(docs, per int) []Passage {
	words := []string{"推进", "建设", "重点", "项目", "城市", "交通", "完成", "改造", "工程", "服务", "提升", "农村", "生态", "管理", "发展"}
	var ps []Passage
	for d := 0; d < docs; d++ {
		for i := 0; i < per; i++ {
			var sb strings.Builder
			for j := 0; j < 20; j++ {
				sb.WriteString(words[(d*5+i*7+j*3)%len(words)])
			}
			fmt.Fprintf(&sb, "唯%s号%s", hanNum(d), hanNum(i))
			file := fmt.Sprintf("d%02d.txt", d)
			ps = append(ps, Passage{Doc: file, Text: sb.String(), Source: Source{File: file, Line: i + 1}})
		}
	}
	return ps
}

// hanNum writes n in Chinese digits, so the analyzer keeps it in bigrams.
func hanNum(n int) string {
	const digits = "〇一二三四五六七八九"
	var out []rune
	for _, c := range fmt.Sprint(n) {
		out = append(out, []rune(digits)[c-'0'])
	}
	return string(out)
}

func texts(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Passage.Text)
	}
	return out
}

// ranked lists hits as score and passage, rounded so that float noise
// from another segment layout does not count.
func ranked(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%.9f %d", h.Score, h.N))
	}
	return out
}

// openStore opens a store in dir and closes it at the end of the test.
func openStore(t *testing.T, dir string, log *slog.Logger) *IndexStore {
	t.Helper()
	s, err := OpenIndexStore(dir, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// storedIndex builds the passages index of ps in s and waits for it.
func buildStored(t *testing.T, s *IndexStore, ps []Passage) *Index {
	t.Helper()
	x := s.index(passagesIndex, ps)
	if err := x.Wait(); err != nil {
		t.Fatal(err)
	}
	return x
}

func buildMemory(t *testing.T, ps []Passage) *Index {
	t.Helper()
	x, err := NewIndex(ps)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

var storeQueries = []string{"推进建设", "唯三号一二", "农村生态管理", "唯一〇号〇", "交通", "不存在的词语"}

// TestIndexStoreAnswersLikeMemory: a stored index, cold and warm, finds
// what an in-memory index of the same passages finds, in the same order.
func TestIndexStoreAnswersLikeMemory(t *testing.T) {
	ps := genDocs(12, 30)
	mem := buildMemory(t, ps)
	dir := t.TempDir()
	s := openStore(t, dir, nil)
	cold := buildStored(t, s, ps)
	if st := cold.Stats(); st.Added != 12 || st.Kept != 0 || st.Passages != len(ps) {
		t.Errorf("cold stats = %+v, want 12 documents, %d passages indexed", st, len(ps))
	}
	for _, q := range storeQueries {
		if got, want := ranked(cold.Search(q, len(ps))), ranked(mem.Search(q, len(ps))); !reflect.DeepEqual(got, want) {
			t.Errorf("cold %q = %q, memory %q", q, got, want)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, dir, nil)
	warm := buildStored(t, s2, ps)
	if st := warm.Stats(); st.Added != 0 || st.Kept != 12 || st.Removed != 0 {
		t.Errorf("warm stats = %+v, want all 12 documents kept", st)
	}
	for _, q := range storeQueries {
		if got, want := ranked(warm.Search(q, len(ps))), ranked(mem.Search(q, len(ps))); !reflect.DeepEqual(got, want) {
			t.Errorf("warm %q = %q, memory %q", q, got, want)
		}
		// The first ten are the same too: equal scores go in passage order.
		if got, want := texts(warm.Search(q, 10)), texts(mem.Search(q, 10)); !reflect.DeepEqual(got, want) {
			t.Errorf("warm %q top 10 = %q, memory %q", q, got, want)
		}
	}
	for _, term := range []string{"推进", "唯〇", "没有"} {
		if w, m := warm.Weight(term), mem.Weight(term); w != m {
			t.Errorf("Weight(%q) = %v warm, %v in memory", term, w, m)
		}
	}
}

// TestIndexStoreReindexesChanges: a reload indexes only the documents
// added or changed, takes out the removed and changed ones, and answers
// from the new contents only.
func TestIndexStoreReindexesChanges(t *testing.T) {
	ps := genDocs(10, 20)
	tests := []struct {
		name           string
		edit           func([]Passage) []Passage
		added, removed int
		gone, found    string // a query no longer answered, one newly answered
	}{
		{"unchanged", func(p []Passage) []Passage { return p }, 0, 0, "", "唯三号一"},
		{"one passage edited", func(p []Passage) []Passage {
			p = append([]Passage(nil), p...)
			p[45].Text = "新增海绵城市示范" // d02, passage 5
			return p
		}, 1, 1, "唯二号五", "海绵城市示范"},
		{"document removed", func(p []Passage) []Passage { return p[20:] }, 0, 1, "唯〇号七", "唯一号七"},
		{"document added", func(p []Passage) []Passage { return append(append([]Passage(nil), p...), genDocs(11, 20)[200:]...) }, 1, 0, "", "唯一〇号三"},
		{"renamed copy", func(p []Passage) []Passage {
			p = append([]Passage(nil), p...)
			for i := 0; i < 20; i++ {
				p[i].Doc = "copy.txt"
			}
			return p
		}, 1, 1, "", "唯〇号三"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir, nil)
			old := buildStored(t, s, ps)
			if old.Stats().Added != 10 {
				t.Fatalf("first build stats = %+v", old.Stats())
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			next := tt.edit(ps)
			x := buildStored(t, openStore(t, dir, nil), next)
			st := x.Stats()
			if st.Added != tt.added || st.Removed != tt.removed {
				t.Errorf("stats = %+v, want %d added, %d removed", st, tt.added, tt.removed)
			}
			if tt.gone != "" {
				if hits := x.Search(tt.gone, 3); len(hits) > 0 && strings.Contains(hits[0].Passage.Text, tt.gone) {
					t.Errorf("%q still found: %q", tt.gone, texts(hits))
				}
			}
			hits := x.Search(tt.found, 3)
			if len(hits) == 0 || !strings.Contains(hits[0].Passage.Text, tt.found) {
				t.Fatalf("%q: %q, want the passage holding it first", tt.found, texts(hits))
			}
			if h := hits[0]; next[h.N].Text != h.Passage.Text || next[h.N].Doc != h.Passage.Doc {
				t.Errorf("hit N=%d is %+v, passage there is %+v", h.N, h.Passage, next[h.N])
			}
			mem := buildMemory(t, next)
			for _, q := range storeQueries {
				if got, want := len(x.Search(q, 50)), len(mem.Search(q, 50)); got != want {
					t.Errorf("%q: %d hits stored, %d in memory", q, got, want)
				}
			}
		})
	}
}

// TestIndexStoreRebuildsUnusable: an index directory that is corrupt, of
// another format, or out of step with its manifest is rebuilt with a log
// line, and the base searches as before.
func TestIndexStoreRebuildsUnusable(t *testing.T) {
	ps := genDocs(4, 10)
	// Scorch itself falls back to an older snapshot when the newest one's
	// segments are gone (rebuilt false): the manifest of that snapshot
	// matches its passages, so what it lacks is indexed again.
	tests := []struct {
		name    string
		spoil   func(t *testing.T, dir string)
		rebuilt bool
	}{
		{"root.bolt garbage", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, passagesIndex, "store", "root.bolt"), "not a bolt file")
		}, true},
		{"segments deleted", func(t *testing.T, dir string) {
			zaps, _ := filepath.Glob(filepath.Join(dir, passagesIndex, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment files to delete")
			}
			for _, z := range zaps {
				os.Remove(z)
			}
		}, false},
		{"meta missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, passagesIndex, "index_meta.json"))
		}, true},
		{"meta garbage", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, passagesIndex, "index_meta.json"), "{")
		}, true},
		{"other format", func(t *testing.T, dir string) { setInternal(t, dir, formatKey, "0") }, true},
		{"manifest out of step", func(t *testing.T, dir string) { setInternal(t, dir, manifestKey, "{}") }, true},
		{"manifest garbage", func(t *testing.T, dir string) { setInternal(t, dir, manifestKey, "[") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir, nil)
			buildStored(t, s, ps)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			tt.spoil(t, dir)
			var logs bytes.Buffer
			s2 := openStore(t, dir, slog.New(slog.NewTextHandler(&logs, nil)))
			if tt.rebuilt && !strings.Contains(logs.String(), "rebuilding") {
				t.Errorf("no log line says the index is rebuilt: %q", logs.String())
			}
			x := buildStored(t, s2, ps)
			if st := x.Stats(); (tt.rebuilt && st.Added != 4) || st.Added+st.Kept != 4 {
				t.Errorf("stats after rebuild = %+v, want 4 documents indexed", st)
			}
			if hits := x.Search("唯二号三", 1); len(hits) != 1 || !strings.Contains(hits[0].Passage.Text, "唯二号三") {
				t.Errorf("search after rebuild: %q", texts(hits))
			}
		})
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// setInternal writes an internal value of the stored passages index.
func setInternal(t *testing.T, dir string, key []byte, v string) {
	t.Helper()
	s := openStore(t, dir, nil)
	idx := s.idx[passagesIndex].idx
	b := idx.NewBatch()
	b.SetInternal(key, []byte(v))
	done := make(chan error, 1)
	b.SetPersistedCallback(func(err error) { done <- err })
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestIndexStoreBusy: a second store on the same directory says so, and
// leaves the first one's index alone.
func TestIndexStoreBusy(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir, nil)
	x := buildStored(t, s, genDocs(2, 5))
	if _, err := OpenIndexStore(dir, nil); !errors.Is(err, ErrIndexBusy) {
		t.Fatalf("second open: %v, want ErrIndexBusy", err)
	}
	if hits := x.Search("唯一号四", 1); len(hits) != 1 {
		t.Errorf("first store after the second open: %q", texts(hits))
	}
}

// TestIndexStoreReloadWhileSearching: a reload's base brings the shared
// index up to date while the old base is still searched; the old base
// never returns a passage that is not its own, and the new one answers
// from the new contents.
func TestIndexStoreReloadWhileSearching(t *testing.T) {
	ps := genDocs(6, 15)
	s := openStore(t, t.TempDir(), nil)
	old := buildStored(t, s, ps)
	next := append([]Passage(nil), ps[15:]...)
	next = append(next, genDocs(9, 15)[6*15:]...)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, h := range old.Search("推进建设", 20) {
				if ps[h.N].Text != h.Passage.Text {
					t.Errorf("old base hit N=%d holds %q, its passage is %q", h.N, h.Passage.Text, ps[h.N].Text)
					return
				}
			}
		}
	}()
	x := buildStored(t, s, next)
	close(stop)
	wg.Wait()
	if st := x.Stats(); st.Added != 3 || st.Removed != 1 || st.Kept != 5 {
		t.Errorf("stats = %+v, want 3 added, 1 removed, 5 kept", st)
	}
	if hits := x.Search("唯七号九", 1); len(hits) != 1 || next[hits[0].N].Text != hits[0].Passage.Text {
		t.Errorf("new base: %q", texts(hits))
	}
}

// TestLazyIndex: a lazy base builds its indexes at the first search, and
// one closed before any search never builds them.
func TestLazyIndex(t *testing.T) {
	c := Contents{Passages: genDocs(2, 5)}
	b, err := NewWith(c, Options{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	if hits := b.Search("唯一号四", 1); len(hits) != 1 || hits[0].N != 9 {
		t.Errorf("lazy search: %+v", hits)
	}
	if p, _ := b.IndexStats(); p.Added != 2 {
		t.Errorf("stats after the first search = %+v", p)
	}
	b.Close()
	unused, err := NewWith(c, Options{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := unused.Close(); err != nil {
		t.Fatal(err)
	}
	if p, _ := unused.IndexStats(); p.Added != 0 || !errors.Is(unused.WaitIndexed(), errClosed) {
		t.Errorf("closed unused base: stats %+v, wait %v", p, unused.WaitIndexed())
	}
	if hits := unused.Search("唯一号四", 1); hits != nil {
		t.Errorf("search after close = %+v", hits)
	}
}

// TestIndexStoreCloseMidBuild: closing the store while a base is being
// indexed stops the build between batches; the next start finds an index
// that agrees with its manifest and indexes only what is missing.
func TestIndexStoreCloseMidBuild(t *testing.T) {
	ps := genDocs(40, 30) // 1,200 passages: several batches
	dir := t.TempDir()
	s, err := OpenIndexStore(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := s.index(passagesIndex, ps)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	first := x.Stats()
	x2 := buildStored(t, openStore(t, dir, nil), ps)
	st := x2.Stats()
	if st.Kept+st.Added != 40 || st.Removed != 0 {
		t.Errorf("after a build stopped at %+v (%v): %+v, want 40 documents kept or added", first, x.Wait(), st)
	}
	if hits := x2.Search("唯三九号二九", 1); len(hits) != 1 || hits[0].N != len(ps)-1 {
		t.Errorf("last passage: %+v", hits)
	}
}
