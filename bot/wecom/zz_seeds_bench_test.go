package wecom_test

import (
	"bytes"
	"context"
	"duban/kb/ingest/seedtest"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/metrics"
	"duban/bot/wecom"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
	"duban/store/memstore"
)

// The seeds benchmarks run the whole inbound path as `duban serve` wires
// it: verify msg_signature, decrypt, parse, the middleware chain, a real
// answer over the seeds' knowledge base, render, encrypt and sign the
// passive reply (issue target: under 200 µs per message). "nostore" leaves
// out Dedup and the conversation store; "embedded" has both, on the
// embedded (bbolt) store that commits every message to disk.

const (
	seedToken  = "benchtoken"
	seedAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	seedCorpID = "wwbench0000000001"
)

// seedQuestions mix single tasks, lists, people and searches.
var seedQuestions = []string{
	"76号任务谁牵头", "第十二项任务的完成时限", "任务１０３配合单位有哪些", "交通局牵头哪些任务",
	"本月到期的任务", "沈旭东分管哪些工作", "交通运输局归谁分管", "研发经费占比目标",
	"垃圾分类谁牵头", "明天天气怎么样", "实事第3项谁牵头", "帮助",
}

// seedNow is within the seeds' plan year, so 本月到期 lists tasks.
var seedNow = time.Date(2020, 8, 20, 9, 0, 0, 0, kb.Location)

func BenchmarkInboundSeeds(b *testing.B) {
	h := seedsHandler(b)
	for _, withStore := range []bool{false, true} {
		name := map[bool]string{false: "nostore", true: "embedded"}[withStore]
		b.Run("app/"+name, func(b *testing.B) {
			c := wecomtest.Crypto{Token: seedToken, EncodingAESKey: seedAESKey, ReceiveID: seedCorpID}
			cb, err := wecom.NewCallback(wecom.CallbackConfig{CorpID: seedCorpID, Token: seedToken, EncodingAESKey: seedAESKey,
				MaxSkew: -1, Logger: slog.New(slog.DiscardHandler)}, chain(b, h, withStore))
			if err != nil {
				b.Fatal(err)
			}
			benchCallbacks(b, cb, func(i int) (*wecomtest.Callback, error) {
				id := strconv.Itoa(1_000_000 + i)
				return c.EncryptedCallback("http://wecom.test/app", seedNow, "n"+id, 1000002,
					wecomtest.TextMessage(seedCorpID, fmt.Sprintf("u%d", i%50), seedQuestions[i%len(seedQuestions)], id, 1000002, seedNow))
			})
		})
		b.Run("aibot/"+name, func(b *testing.B) {
			c := wecomtest.Crypto{Token: seedToken, EncodingAESKey: seedAESKey}
			cb, err := wecom.NewAIBotCallback(wecom.AIBotConfig{Token: seedToken, EncodingAESKey: seedAESKey,
				MaxSkew: -1, Logger: slog.New(slog.DiscardHandler)}, chain(b, h, withStore))
			if err != nil {
				b.Fatal(err)
			}
			benchCallbacks(b, cb, func(i int) (*wecomtest.Callback, error) {
				id := strconv.Itoa(i)
				return c.EncryptedJSONCallback("http://wecom.test/aibot", seedNow, "n"+id,
					wecomtest.AIBotText("m"+id, "chat", fmt.Sprintf("u%d", i%50), "@督办 "+seedQuestions[i%len(seedQuestions)], "http://127.0.0.1:1/r"))
			})
		})
	}
}

// chain is cmd/duban's inbound chain around h, with or without the store.
func chain(b *testing.B, h *handlers.Handler, withStore bool) bot.HandlerFunc {
	l := slog.New(slog.DiscardHandler)
	get := func() *handlers.Handler { return h }
	m := metrics.New()
	if !withStore {
		return bot.Chain(bot.Answer(get, nil, 0, nil), bot.Recover(l), bot.Log(l), m.Middleware(),
			bot.MaxInFlight(64), bot.Timeout(30*time.Second))
	}
	st, err := memstore.Open(memstore.Config{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return bot.Chain(bot.Answer(get, st, 0, nil), bot.Recover(l), bot.Log(l), m.Middleware(),
		bot.Dedup(st, 0), bot.MaxInFlight(64), bot.Timeout(30*time.Second))
}

// benchCallbacks serves callbacks with distinct message ids, built ahead
// in batches outside the timer so that the client's encryption is not
// measured.
func benchCallbacks(b *testing.B, h http.Handler, build func(i int) (*wecomtest.Callback, error)) {
	const batch = 1024
	var cbs []*wecomtest.Callback
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i%batch == 0 {
			b.StopTimer()
			cbs = cbs[:0]
			for j := range batch {
				cb, err := build(i + j)
				if err != nil {
					b.Fatal(err)
				}
				cbs = append(cbs, cb)
			}
			b.StartTimer()
		}
		cb := cbs[i%batch]
		i++
		req := httptest.NewRequest(cb.Method, cb.URL, bytes.NewReader(cb.Body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || w.Body.Len() == 0 {
			b.Fatalf("message %d: status %d, %d bytes", i, w.Code, w.Body.Len())
		}
	}
}

// seedsHandler loads ../shared/seeds (beside the directory holding go.mod).
func seedsHandler(b *testing.B) *handlers.Handler {
	b.Helper()
	seeds := seedtest.Dir(b)
	base, _, err := ingest.LoadDir(context.Background(), seeds)
	if base == nil {
		b.Fatalf("load seeds: %v", err)
	}
	// The full-text index may build in the background; measure a warm server.
	if err := base.WaitIndexed(); err != nil {
		b.Fatal(err)
	}
	return handlers.New(base, handlers.Config{Now: func() time.Time { return seedNow }})
}
