package wecom_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/xml"
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
	"duban/bot/metrics"
	"duban/bot/wecom"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
	"duban/store/memstore"
)

// The WeCom app callback against a bare floor, as bot/dingtalk's
// floor_bench_test.go does for DingTalk: the bare server checks the same
// msg_signature, decrypts, parses the same XML, and encrypts and signs the
// same passive reply with the standard library (wecomtest's crypto); duban's
// path is the callback as `duban serve` mounts it, around a trivial answer.

const (
	floorToken  = "benchtoken"
	floorAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	floorCorpID = "wwbench0000000001"
	floorAgent  = 1000002
	// floorClients is how many callbacks are in flight at once.
	floorClients = 16
)

var (
	floorNow    = time.Unix(1700000000, 0)
	floorCrypto = wecomtest.Crypto{Token: floorToken, EncodingAESKey: floorAESKey, ReceiveID: floorCorpID}
	floorSeq    atomic.Int64
	floorReply  = handlers.Reply{
		Intent: "task_lead",
		Head:   "第76项 由住建局牵头",
		Lines:  []string{"牵头领导：张三", "协同单位：交通局、城管局", "完成时限：12月底前"},
		Cite:   "来源：测试任务表 第76项",
	}
)

// floorCallback is a new text message, encrypted and signed as WeCom
// would, with its own MsgId and nonce.
func floorCallback(tb testing.TB) *wecomtest.Callback {
	n := strconv.FormatInt(floorSeq.Add(1), 10)
	cb, err := floorCrypto.EncryptedCallback("/wecom/app", floorNow, "nonce"+n, floorAgent,
		wecomtest.TextMessage(floorCorpID, "zhangsan", "76号任务谁牵头", "70000"+n, floorAgent, floorNow))
	if err != nil {
		tb.Fatal(err)
	}
	return cb
}

// bareFloor verifies, decrypts and parses a callback and answers it with
// an encrypted, signed passive text reply: nothing else.
func bareFloor() http.Handler {
	text := handlers.Render(floorReply, handlers.WeComText)[0]
	type envelope struct {
		Encrypt string `xml:"Encrypt"`
	}
	type message struct {
		ToUserName, FromUserName, MsgType, Content, MsgId, AgentID string
		CreateTime                                                 int64
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		body, err := io.ReadAll(r.Body)
		var env envelope
		if err != nil || xml.Unmarshal(body, &env) != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		if wecomtest.Signature(floorToken, q.Get("timestamp"), q.Get("nonce"), env.Encrypt) != q.Get("msg_signature") {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		plain, _, err := floorCrypto.Decrypt(env.Encrypt)
		var m message
		if err != nil || xml.Unmarshal(plain, &m) != nil || m.MsgId == "" {
			http.Error(w, "bad message", http.StatusBadRequest)
			return
		}
		reply := fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
			"<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content></xml>",
			m.FromUserName, m.ToUserName, floorNow.Unix(), text)
		random := make([]byte, 16)
		rand.Read(random)
		enc, err := floorCrypto.Encrypt(random, reply)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ts := strconv.FormatInt(floorNow.Unix(), 10)
		fmt.Fprintf(w, "<xml><Encrypt><![CDATA[%s]]></Encrypt><MsgSignature><![CDATA[%s]]></MsgSignature>"+
			"<TimeStamp>%s</TimeStamp><Nonce><![CDATA[%s]]></Nonce></xml>",
			enc, wecomtest.Signature(floorToken, ts, q.Get("nonce"), enc), ts, q.Get("nonce"))
	})
}

// dubanPath is the app callback as `duban serve` mounts it (bot.Server,
// replay guard and Dedup on the embedded store, the middleware chain),
// logging at Info to a discarded text handler.
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
	cb, err := wecom.NewCallback(wecom.CallbackConfig{CorpID: floorCorpID, Token: floorToken, EncodingAESKey: floorAESKey,
		Now: func() time.Time { return floorNow }, Logger: log, Replay: &bot.ReplayGuard{Store: st}}, chain)
	if err != nil {
		tb.Fatal(err)
	}
	srv := bot.NewServer(bot.ServerConfig{Metrics: m.Registry, Logger: log})
	srv.Handle("/wecom/app", cb)
	return srv
}

func checkReply(b *testing.B, status int, body []byte, nonce string) bool {
	if status != http.StatusOK {
		b.Errorf("status %d: %s", status, body)
		return false
	}
	if _, err := floorCrypto.OpenXMLReply(body, nonce); err != nil {
		b.Errorf("reply: %v", err)
		return false
	}
	return true
}

// loadLoopback posts callbacks to h over loopback HTTP from floorClients
// parallel clients; every reply is decrypted and checked.
func loadLoopback(b *testing.B, h http.Handler) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: floorClients, MaxConnsPerHost: floorClients}}
	defer client.CloseIdleConnections()
	b.SetParallelism(floorClients / max(1, runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			cb := floorCallback(b)
			resp, err := client.Post(ts.URL+cb.URL, "application/xml", bytes.NewReader(cb.Body))
			if err != nil {
				b.Error(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !checkReply(b, resp.StatusCode, body, cb.Nonce) {
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// loadInProcess calls h.ServeHTTP directly: the server's work alone.
func loadInProcess(b *testing.B, h http.Handler) {
	b.SetParallelism(floorClients / max(1, runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			cb := floorCallback(b)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, cb.URL, bytes.NewReader(cb.Body)))
			if !checkReply(b, w.Code, w.Body.Bytes(), cb.Nonce) {
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkCallbackFloor measures the bare floor and duban's WeCom app
// callback in one run, over loopback HTTP and in process.
func BenchmarkCallbackFloor(b *testing.B) {
	b.Run("loopback/bare", func(b *testing.B) { loadLoopback(b, bareFloor()) })
	b.Run("loopback/duban", func(b *testing.B) { loadLoopback(b, dubanPath(b)) })
	b.Run("inprocess/bare", func(b *testing.B) { loadInProcess(b, bareFloor()) })
	b.Run("inprocess/duban", func(b *testing.B) { loadInProcess(b, dubanPath(b)) })
}

// TestCallbackFloorReport writes callback_floor_wecom.md into
// $DUBAN_ARTIFACTS, the rounds in turns as for DingTalk.
func TestCallbackFloorReport(t *testing.T) {
	dir := os.Getenv("DUBAN_ARTIFACTS")
	if dir == "" || testing.Short() {
		t.Skip("DUBAN_ARTIFACTS not set: a load measurement for BENCHMARKS.md, not a test")
	}
	const rounds = 9
	// Short runs in many rounds follow the machine's other load closely.
	bt := flag.Lookup("test.benchtime")
	old := bt.Value.String()
	bt.Value.Set("300ms")
	defer bt.Value.Set(old)
	var md strings.Builder
	md.WriteString("### WeCom app callback (encrypted XML)\n\n")
	md.WriteString("The bare server checks the same msg_signature, decrypts, parses the same XML and encrypts and signs the\n")
	md.WriteString("same passive reply with the standard library; every reply is decrypted and checked by the client\n")
	md.WriteString("(`go test -run TestCallbackFloorReport ./bot/wecom`). Bare and duban run in turns, " + strconv.Itoa(rounds) + " rounds of 0.3 s\n")
	md.WriteString("each; the ratio is duban's throughput over bare's.\n\n")
	md.WriteString("| transport | round | bare | duban | ratio | allocs bare / duban |\n|---|---|---|---|---|---|\n")
	for _, m := range []struct {
		name string
		load func(*testing.B, http.Handler)
	}{{"loopback HTTP", loadLoopback}, {"in process", loadInProcess}} {
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
	if err := os.WriteFile(filepath.Join(dir, "callback_floor_wecom.md"), []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
