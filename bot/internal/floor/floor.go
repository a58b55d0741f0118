// Package floor measures a platform's callback path against a bare
// net/http server that does the same platform work (signature, decoding,
// reply) and nothing else: the loads, the benchmark and the report
// written for BENCHMARKS.md. The platforms' floor benchmarks build the
// requests and both servers; only their tests import it.
package floor

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Clients is how many requests are in flight at once, over loopback and
// in process alike: a server answers many callbacks at a time, and
// duban's handler goroutine per callback costs latency, not throughput.
const Clients = 16

// Rounds is how many times Report measures bare and duban in turns.
const Rounds = 9

// A Request is one callback to send: a POST of Body to Path.
type Request struct {
	Path   string
	Header http.Header
	Body   []byte
	// Check reports what is wrong with the answer, or nil.
	Check func(status int, body []byte) error
}

// A Source makes a new callback on each call: a new message, and a new
// timestamp or nonce where the platform refuses a replay.
type Source func(tb testing.TB) Request

// Loopback posts callbacks from next to h over loopback HTTP from Clients
// parallel clients, b.N in all, and checks every answer.
func Loopback(b *testing.B, h http.Handler, next Source) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: Clients, MaxConnsPerHost: Clients}}
	defer client.CloseIdleConnections()
	b.SetParallelism(Clients / max(1, runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := next(b)
			req, _ := http.NewRequest(http.MethodPost, ts.URL+r.Path, bytes.NewReader(r.Body))
			maps.Copy(req.Header, r.Header)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err := r.Check(resp.StatusCode, got); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// InProcess calls h.ServeHTTP with recorded responses, b.N callbacks from
// Clients goroutines: the server's work alone, without the client's and
// the sockets' share.
func InProcess(b *testing.B, h http.Handler, next Source) {
	b.SetParallelism(Clients / max(1, runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := next(b)
			req := httptest.NewRequest(http.MethodPost, r.Path, bytes.NewReader(r.Body))
			maps.Copy(req.Header, r.Header)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if err := r.Check(w.Code, w.Body.Bytes()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// Paths are the two servers a floor measurement compares.
type Paths struct {
	Bare  func() http.Handler           // the floor
	Duban func(testing.TB) http.Handler // duban's path as `duban serve` mounts it
	Next  Source
}

type mode struct {
	name, sub string
	load      func(*testing.B, http.Handler, Source)
}

var modes = []mode{{"loopback HTTP", "loopback", Loopback}, {"in process", "inprocess", InProcess}}

// Bench runs the bare floor and duban's path in one run, over loopback
// HTTP and in process, as sub-benchmarks loopback/bare, loopback/duban,
// inprocess/bare and inprocess/duban; bare's ns/op over duban's is the
// callback path's share of the floor.
func Bench(b *testing.B, p Paths) {
	for _, m := range modes {
		b.Run(m.sub+"/bare", func(b *testing.B) { m.load(b, p.Bare(), p.Next) })
		b.Run(m.sub+"/duban", func(b *testing.B) { m.load(b, p.Duban(b), p.Next) })
	}
}

// Report writes file into $DUBAN_ARTIFACTS (scripts/bench.sh puts it in
// BENCHMARKS.md): intro, then the bare floor and duban's path measured in
// turns, Rounds rounds of 0.3 s, so that other work on the machine weighs
// on both alike; the ratio is the median of the rounds'. It runs only for
// scripts/bench.sh (DUBAN_BENCH and $DUBAN_ARTIFACTS set, not -short): in
// the test suite, under the race detector, its figures would mean nothing.
func Report(t *testing.T, file, intro string, p Paths) {
	dir := os.Getenv("DUBAN_ARTIFACTS")
	if dir == "" || os.Getenv("DUBAN_BENCH") == "" || testing.Short() {
		t.Skip("a load measurement for BENCHMARKS.md (scripts/bench.sh sets DUBAN_BENCH), not a test")
	}
	// Short runs in many rounds follow the machine's other load closely;
	// nine rounds of four take about twenty seconds.
	bt := flag.Lookup("test.benchtime")
	old := bt.Value.String()
	bt.Value.Set("300ms")
	defer bt.Value.Set(old)
	var md strings.Builder
	md.WriteString(intro)
	md.WriteString("| transport | round | bare | duban | ratio | allocs bare / duban |\n|---|---|---|---|---|---|\n")
	for _, m := range modes {
		var ratios []float64
		for i := range Rounds {
			bare := testing.Benchmark(func(b *testing.B) { m.load(b, p.Bare(), p.Next) })
			duban := testing.Benchmark(func(b *testing.B) { m.load(b, p.Duban(b), p.Next) })
			if bare.N == 0 || duban.N == 0 {
				t.Fatalf("%s: a benchmark failed (bare %d, duban %d runs)", m.name, bare.N, duban.N)
			}
			ratio := float64(bare.NsPerOp()) / float64(duban.NsPerOp())
			ratios = append(ratios, ratio)
			fmt.Fprintf(&md, "| %s | %d | %.0f req/s | %.0f req/s | %.2f | %d / %d |\n", m.name, i+1,
				1e9/float64(bare.NsPerOp()), 1e9/float64(duban.NsPerOp()), ratio, bare.AllocsPerOp(), duban.AllocsPerOp())
		}
		slices.Sort(ratios)
		med := ratios[len(ratios)/2]
		status := "met"
		if med < 0.5 {
			status = "**not met**"
		}
		fmt.Fprintf(&md, "| **%s, median** | | | | **%.2f** | target ≥ 0.50: %s |\n", m.name, med, status)
		t.Logf("%s: median ratio %.2f of %v", m.name, med, ratios)
	}
	md.WriteString("\n")
	if err := os.WriteFile(filepath.Join(dir, file), []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
