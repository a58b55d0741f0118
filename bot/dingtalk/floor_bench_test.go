package dingtalk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/metrics"
	"duban/handlers"
	"duban/store/memstore"
)

// The callback floor: how many signed DingTalk robot callbacks a second
// duban's HTTP path takes, against a bare net/http server that does the
// same signature check and the same JSON in and out, both over loopback
// HTTP with the same client. The handler is trivial in both, so the ratio
// is the cost of everything duban puts around an answer: the server's
// access log and client address, the body cap, the replay guard and Dedup
// on the embedded store, the middleware chain with its log line and
// metrics, the handler goroutine and the reply's rendering.

const floorSecret = "benchdingtalkappsecret"

var floorNow = time.Date(2020, 8, 20, 9, 0, 0, 0, time.UTC)

var floorReply = handlers.Reply{
	Intent: "task_lead",
	Head:   "第76项 由住建局牵头",
	Lines:  []string{"牵头领导：张三", "协同单位：交通局、城管局", "完成时限：12月底前"},
	Cite:   "来源：测试任务表 第76项",
}

// floorBody is a group message @-ing the robot, with msgID as its ID.
func floorBody() func(msgID string) []byte {
	tmpl := dingtalktest.Message{MsgID: "@MSGID@", Text: "76号任务谁牵头", Group: true, AtRobot: true,
		ConversationID: "cidGroup==", SenderStaffID: "staff-1", SenderNick: "王五",
		SessionWebhook: "http://127.0.0.1:1/robot/sendBySession?session=s", CreateAt: floorNow}.JSON()
	i := bytes.Index(tmpl, []byte("@MSGID@"))
	return func(id string) []byte {
		b := make([]byte, 0, len(tmpl)+len(id))
		b = append(b, tmpl[:i]...)
		b = append(b, id...)
		return append(b, tmpl[i+len("@MSGID@"):]...)
	}
}

// bareFloor is the floor: the signature check, the body read and parsed
// into the same struct, the reply marshalled and written, nothing else.
func bareFloor() http.Handler {
	text := handlers.Render(floorReply, handlers.DingTalkMarkdown)[0]
	type markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := dingtalk.Verify(floorSecret, r.Header.Get("timestamp"), r.Header.Get("sign"), floorNow, time.Hour); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var cb dingtalk.Callback // the same JSON duban reads
		if err := json.Unmarshal(body, &cb); err != nil || cb.MsgID == "" || !cb.IsInAtList {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		out, _ := json.Marshal(struct {
			MsgType  string   `json:"msgtype"`
			Markdown markdown `json:"markdown"`
		}{"markdown", markdown{floorReply.Head, text}})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(out)
	})
}

// dubanPath is the robot callback as `duban serve` mounts it, logging at
// Info as bench.sh's server does (to a discarded text handler here), with
// a trivial answer in place of the knowledge base.
func dubanPath(tb testing.TB) http.Handler {
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	st, err := memstore.Open(memstore.Config{Dir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	m := metrics.New()
	answer := func(context.Context, *bot.Message) (handlers.Reply, error) { return floorReply, nil }
	chain := bot.Chain(answer, bot.Recover(log), bot.Log(log), m.Middleware(), bot.Dedup(st, 0),
		bot.MaxInFlight(64), bot.Timeout(30*time.Second))
	rb, err := dingtalk.NewRobot(dingtalk.RobotConfig{AppSecret: floorSecret, BaseURL: "http://127.0.0.1:1",
		Now: func() time.Time { return floorNow }, Logger: log, Replay: &bot.ReplayGuard{Store: st}}, chain)
	if err != nil {
		tb.Fatal(err)
	}
	srv := bot.NewServer(bot.ServerConfig{Metrics: m.Registry, Logger: log})
	srv.Handle("POST /dingtalk/robot", rb)
	return srv
}

// floorClients is how many requests are in flight at once, over loopback
// and in process alike: a server answers many callbacks at a time, and
// duban's handler goroutine per callback costs latency, not throughput.
const floorClients = 16

// floorSeq makes every request's msgId and timestamp new: duban accepts a
// (timestamp, sign) pair once, and Dedup a message ID once.
var floorSeq atomic.Int64

// loadLoopback posts signed callbacks to h over loopback HTTP from
// parallel clients, b.N in all.
func loadLoopback(b *testing.B, h http.Handler) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: floorClients, MaxConnsPerHost: floorClients}}
	defer client.CloseIdleConnections()
	body := floorBody()
	url := ts.URL + "/dingtalk/robot"
	b.SetParallelism(floorClients / max(1, testingProcs()))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := floorSeq.Add(1)
			stamp := strconv.FormatInt(floorNow.Add(-30*time.Minute).UnixMilli()+n, 10)
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body("m"+strconv.FormatInt(n, 10))))
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("timestamp", stamp)
			req.Header.Set("sign", dingtalktest.Sign(stamp, floorSecret))
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !bytes.Contains(got, []byte(`"markdown"`)) {
				b.Errorf("status %d: %s", resp.StatusCode, got)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// loadInProcess calls h.ServeHTTP with recorded responses, b.N signed
// callbacks from floorClients goroutines: the server's work alone, without
// the client's and the sockets' share.
func loadInProcess(b *testing.B, h http.Handler) {
	body := floorBody()
	b.SetParallelism(floorClients / max(1, testingProcs()))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := floorSeq.Add(1)
			stamp := strconv.FormatInt(floorNow.Add(-30*time.Minute).UnixMilli()+n, 10)
			req := httptest.NewRequest(http.MethodPost, "/dingtalk/robot", bytes.NewReader(body("m"+strconv.FormatInt(n, 10))))
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("timestamp", stamp)
			req.Header.Set("sign", dingtalktest.Sign(stamp, floorSecret))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte(`"markdown"`)) {
				b.Errorf("status %d: %s", w.Code, w.Body)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkCallbackFloor measures the bare floor and duban's path in one
// run, over loopback HTTP and in process; bare's ns/op over duban's is the
// callback path's share of the floor.
func BenchmarkCallbackFloor(b *testing.B) {
	b.Run("loopback/bare", func(b *testing.B) { loadLoopback(b, bareFloor()) })
	b.Run("loopback/duban", func(b *testing.B) { loadLoopback(b, dubanPath(b)) })
	b.Run("inprocess/bare", func(b *testing.B) { loadInProcess(b, bareFloor()) })
	b.Run("inprocess/duban", func(b *testing.B) { loadInProcess(b, dubanPath(b)) })
}

func testingProcs() int { return runtime.GOMAXPROCS(0) }

// TestCallbackFloorReport writes callback_floor.md into $DUBAN_ARTIFACTS
// (scripts/bench.sh puts it in BENCHMARKS.md): the bare floor and duban's
// path measured in turns, several rounds, so that other work on the
// machine weighs on both alike; the ratio is the median of the rounds'.
func TestCallbackFloorReport(t *testing.T) {
	dir := os.Getenv("DUBAN_ARTIFACTS")
	if dir == "" || testing.Short() {
		t.Skip("DUBAN_ARTIFACTS not set: a load measurement for BENCHMARKS.md, not a test")
	}
	const rounds = 9
	// Short runs in many rounds follow the machine's other load closely;
	// nine rounds of four take about twenty seconds.
	bt := flag.Lookup("test.benchtime")
	old := bt.Value.String()
	bt.Value.Set("300ms")
	defer bt.Value.Set(old)
	type mode struct {
		name string
		load func(*testing.B, http.Handler)
	}
	var md strings.Builder
	md.WriteString("## Callback path against a bare server (DingTalk robot HTTP mode)\n\n")
	md.WriteString("Signed robot callbacks from 16 parallel clients; the bare server checks the same signature, reads the\n")
	md.WriteString("same JSON and writes the same markdown reply; duban's path is `bot.Server` (access log, client address,\n")
	md.WriteString("body cap), the replay guard and Dedup on the embedded store, cmd/duban's middleware chain and the\n")
	md.WriteString("robot's reply, around a trivial answer. Bare and duban run in turns, " + strconv.Itoa(rounds) + " rounds of 0.3 s each;\n")
	md.WriteString("the ratio is duban's throughput over bare's (`go test -run TestCallbackFloorReport ./bot/dingtalk`,\n")
	md.WriteString("`go test -bench CallbackFloor ./bot/dingtalk`).\n\n")
	md.WriteString("| transport | round | bare | duban | ratio | allocs bare / duban |\n|---|---|---|---|---|---|\n")
	for _, m := range []mode{{"loopback HTTP", loadLoopback}, {"in process", loadInProcess}} {
		var ratios []float64
		for i := range rounds {
			bare := testing.Benchmark(func(b *testing.B) { m.load(b, bareFloor()) })
			duban := testing.Benchmark(func(b *testing.B) { m.load(b, dubanPath(b)) })
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
	if err := os.WriteFile(filepath.Join(dir, "callback_floor.md"), []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
