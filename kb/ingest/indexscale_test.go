package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

// The full-text index at scale (issue 21 item 5): how long until a corpus
// n× the seeds answers searches, with the index kept on disk cold (an
// empty index directory) and warm (nothing changed since the last run),
// and the memory a start takes.

// startSearchable loads fsys into a base whose index is kept in dir (in
// memory when dir is ""), waits until it answers searches, and returns
// the base and its store, open.
func startSearchable(tb testing.TB, fsys fs.FS, dir string) (*kb.Base, *kb.IndexStore) {
	tb.Helper()
	var opts kb.Options
	if dir != "" {
		st, err := kb.OpenIndexStore(dir, nil)
		if err != nil {
			tb.Fatal(err)
		}
		opts.Indexes = st
	}
	res, err := Load(context.Background(), fsys)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := kb.NewWith(res.Contents, opts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := b.WaitIndexed(); err != nil {
		tb.Fatal(err)
	}
	if hits := b.Search("垃圾分类", 3); len(hits) == 0 {
		tb.Fatal("no passage found for 垃圾分类")
	}
	return b, opts.Indexes
}

// BenchmarkIndexStart measures a start of a corpus n× the seeds until
// searches answer: cold builds the index into an empty directory, warm
// opens the one the previous start left. heap-MB is the live heap after
// the start, disk-MB the index directory. x100 only with BENCH_FULL=1
// (a cold build takes over a minute on two cores).
func BenchmarkIndexStart(b *testing.B) {
	sizes := []int{1, 10}
	if os.Getenv("BENCH_FULL") != "" {
		sizes = append(sizes, 100)
	}
	for _, n := range sizes {
		fsys := scaledCorpus(b, n)
		dir := b.TempDir()
		var base *kb.Base // the last start's, alive when the heap is measured
		b.Run(fmt.Sprintf("x%d/cold", n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				os.RemoveAll(dir)
				b.StartTimer()
				var st *kb.IndexStore
				base, st = startSearchable(b, fsys, dir)
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
			reportIndex(b, dir)
			runtime.KeepAlive(base)
		})
		b.Run(fmt.Sprintf("x%d/warm", n), func(b *testing.B) {
			for b.Loop() {
				var st *kb.IndexStore
				base, st = startSearchable(b, fsys, dir)
				b.StopTimer()
				if p, r := base.IndexStats(); p.Added+r.Added != 0 {
					b.Fatalf("warm start indexed documents: %+v %+v", p, r)
				}
				st.Close()
				b.StartTimer()
			}
			reportIndex(b, dir)
			runtime.KeepAlive(base)
		})
	}
}

func reportIndex(b *testing.B, dir string) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/1e6, "heap-MB")
	b.ReportMetric(float64(dirSize(dir))/1e6, "disk-MB")
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// startFigures is what one start measured, in a process of its own so
// that its peak resident memory is its own.
type startFigures struct {
	Mode      string  `json:"mode"`
	Copies    int     `json:"copies"`
	Records   float64 `json:"records_s"`    // until kb.NewWith returned: every structured answer ready
	Search    float64 `json:"searchable_s"` // until the first search answered
	RecCPU    float64 `json:"records_cpu_s"`
	SearchCPU float64 `json:"searchable_cpu_s"`
	Indexed   int     `json:"docs_indexed"`
	Kept      int     `json:"docs_kept"`
	HeapMB    float64 `json:"heap_mb"`     // live heap after the start
	PeakRSSMB float64 `json:"peak_rss_mb"` // VmHWM of the process
	DiskMB    float64 `json:"disk_mb"`
}

// TestIndexStartChild is one start of the report below; it runs only as
// the child process TestIndexScaleReport starts.
func TestIndexStartChild(t *testing.T) {
	spec := os.Getenv("DUBAN_INDEX_CHILD") // copies,dir (dir "" : memory)
	if spec == "" {
		t.Skip("child of TestIndexScaleReport")
	}
	ns, dir, _ := strings.Cut(spec, ",")
	n, _ := strconv.Atoi(ns)
	fsys := scaledCorpus(t, n)
	start, cpu0 := time.Now(), cpuTime()
	var opts kb.Options
	if dir != "" {
		st, err := kb.OpenIndexStore(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		opts.Indexes = st
	}
	res, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	b, err := kb.NewWith(res.Contents, opts)
	if err != nil {
		t.Fatal(err)
	}
	f := startFigures{Copies: n, Records: time.Since(start).Seconds(), RecCPU: (cpuTime() - cpu0).Seconds()}
	if err := b.WaitIndexed(); err != nil {
		t.Fatal(err)
	}
	if len(b.Search("垃圾分类", 3)) == 0 {
		t.Fatal("no passage found for 垃圾分类")
	}
	f.Search, f.SearchCPU = time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
	p, r := b.IndexStats()
	f.Indexed, f.Kept = p.Added+r.Added, p.Kept+r.Kept
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f.HeapMB = float64(ms.HeapInuse) / 1e6
	f.PeakRSSMB = float64(vmHWM()) / 1e3
	runtime.KeepAlive(b) // the heap measured is the base's
	out, _ := json.Marshal(f)
	fmt.Println("FIGURES " + string(out))
}

// vmHWM returns the process's peak resident set in kB (Linux), 0 elsewhere.
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// TestIndexScaleReport writes index_scale.md into $DUBAN_ARTIFACTS: for
// each corpus size (DUBAN_INDEX_SCALE, default "1,10"; scripts/bench.sh
// adds 100 with BENCH_FULL=1) a start with the index in memory, a cold
// start on disk and a warm one, each in its own process. It runs only for
// scripts/bench.sh (DUBAN_BENCH set): the test suite's index tests check
// behaviour, and timings under the race detector would mean nothing.
func TestIndexScaleReport(t *testing.T) {
	art := os.Getenv("DUBAN_ARTIFACTS")
	if art == "" || os.Getenv("DUBAN_BENCH") == "" {
		t.Skip("a measurement for BENCHMARKS.md (scripts/bench.sh sets DUBAN_BENCH and DUBAN_ARTIFACTS)")
	}
	seedsDir(t)
	scales := os.Getenv("DUBAN_INDEX_SCALE")
	if scales == "" {
		scales = "1,10"
	}
	var rows []string
	for _, s := range strings.Split(scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			t.Fatalf("DUBAN_INDEX_SCALE %q: %v", scales, err)
		}
		dir := t.TempDir()
		for _, mode := range []string{"memory", "disk, cold", "disk, warm"} {
			d := dir
			if mode == "memory" {
				d = ""
			}
			f := childStart(t, n, d)
			f.Mode = mode
			if d != "" {
				f.DiskMB = float64(dirSize(d)) / 1e6
			}
			if mode == "disk, warm" && f.Indexed != 0 {
				t.Errorf("x%d warm start indexed %d documents, want 0", n, f.Indexed)
			}
			rows = append(rows, fmt.Sprintf("| %d× | %s | %.2f s (%.2f s CPU) | %.2f s (%.2f s CPU) | %d | %d | %.0f MB | %.0f MB | %s |",
				n, f.Mode, f.Records, f.RecCPU, f.Search, f.SearchCPU, f.Indexed, f.Kept, f.HeapMB, f.PeakRSSMB, diskCell(f.DiskMB)))
		}
	}
	md := "## The full-text index at scale (issue 21 item 5)\n\n" +
		"`DUBAN_ARTIFACTS=dir go test ./kb/ingest -run TestIndexScaleReport`: the seeds copied n times under other names, " +
		"each start in a process of its own: the index in memory (as `ask` and tests keep it), on disk into an empty " +
		"directory (cold), and on disk again with nothing changed (warm). Documents are counted once per index (passages, task records): the seeds are 5 documents with passages, 3 with task records. " +
		"CPU is the process's user and system time, which other work on a shared machine does not inflate; with two idle cores " +
		"the wall time of a start is about its CPU time (indexing and the garbage collector use the second core).\n\n" +
		"| corpus | index | records ready | searches answer | documents indexed | documents kept | live heap after | peak RSS | index on disk |\n" +
		"|---|---|---:|---:|---:|---:|---:|---:|---:|\n" +
		strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(art, "index_scale.md"), []byte(md), 0o644); err != nil {
		t.Error(err)
	}
	t.Log("\n" + md)
}

func diskCell(mb float64) string {
	if mb == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f MB", mb)
}

// childStart runs TestIndexStartChild in a process of its own.
func childStart(t *testing.T, n int, dir string) startFigures {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIndexStartChild$", "-test.v", "-test.count=1", "-test.timeout=30m")
	cmd.Env = append(os.Environ(), fmt.Sprintf("DUBAN_INDEX_CHILD=%d,%s", n, dir))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("x%d start (%q): %v\n%s", n, dir, err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "FIGURES "); ok {
			var f startFigures
			if err := json.Unmarshal([]byte(v), &f); err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("x%d start printed no figures:\n%s", n, out)
	return startFigures{}
}
