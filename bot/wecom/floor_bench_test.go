package wecom_test

import (
	"context"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/internal/floor"
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

// floorRequest is a new callback whose passive reply must decrypt.
func floorRequest(tb testing.TB) floor.Request {
	cb := floorCallback(tb)
	return floor.Request{
		Path:   cb.URL,
		Header: http.Header{"Content-Type": {"application/xml"}},
		Body:   cb.Body,
		Check: func(status int, body []byte) error {
			if status != http.StatusOK {
				return fmt.Errorf("status %d: %s", status, body)
			}
			if _, err := floorCrypto.OpenXMLReply(body, cb.Nonce); err != nil {
				return fmt.Errorf("reply: %v", err)
			}
			return nil
		},
	}
}

var floorPaths = floor.Paths{Bare: bareFloor, Duban: dubanPath, Next: floorRequest}

// BenchmarkCallbackFloor measures the bare floor and duban's WeCom app
// callback in one run, over loopback HTTP and in process.
func BenchmarkCallbackFloor(b *testing.B) { floor.Bench(b, floorPaths) }

// TestCallbackFloorReport writes callback_floor_wecom.md into
// $DUBAN_ARTIFACTS, the rounds in turns as for DingTalk.
func TestCallbackFloorReport(t *testing.T) {
	floor.Report(t, "callback_floor_wecom.md", "### WeCom app callback (encrypted XML)\n\n"+
		"The bare server checks the same msg_signature, decrypts, parses the same XML and encrypts and signs the\n"+
		"same passive reply with the standard library; every reply is decrypted and checked by the client\n"+
		"(`go test -run TestCallbackFloorReport ./bot/wecom`). Bare and duban run in turns, "+strconv.Itoa(floor.Rounds)+" rounds of 0.3 s\n"+
		"each; the ratio is duban's throughput over bare's.\n\n", floorPaths)
}
