package dingtalk_test

import (
	"bytes"
	"context"
	"duban/kb/ingest/seedtest"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/metrics"
	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
	"duban/store/memstore"
)

// BenchmarkRobotSeeds runs the whole inbound path as `duban serve` wires
// it: verify the sign header, parse, the middleware chain, a real answer
// over the seeds' knowledge base, render and write the markdown reply
// (issue target: under 200 µs per message). "nostore" leaves out Dedup and
// the conversation store; "embedded" has both, on the embedded (bbolt)
// store that commits every message to disk.
func BenchmarkRobotSeeds(b *testing.B) {
	h := seedsHandler(b)
	for _, withStore := range []bool{false, true} {
		name := map[bool]string{false: "nostore", true: "embedded"}[withStore]
		b.Run(name, func(b *testing.B) {
			rb, err := dingtalk.NewRobot(dingtalk.RobotConfig{AppSecret: seedSecret, BaseURL: "http://127.0.0.1:1",
				Now: func() time.Time { return seedNow }, Logger: slog.New(slog.DiscardHandler)}, chain(b, h, withStore))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				// Signing and the body are a few µs of the client's work,
				// measured with the rest.
				body := dingtalktest.Message{MsgID: fmt.Sprintf("msg%d", i), Text: seedQuestions[i%len(seedQuestions)],
					Group: true, AtRobot: true, ConversationID: "cid==", SenderStaffID: fmt.Sprintf("u%d", i%50),
					SessionWebhook: "http://127.0.0.1:1/robot/sendBySession?session=s", CreateAt: seedNow}.JSON()
				i++
				req := dingtalktest.SignedRequest("/dingtalk/robot", seedSecret, seedNow, body)
				req.Body = io.NopCloser(bytes.NewReader(body))
				w := httptest.NewRecorder()
				rb.ServeHTTP(w, req)
				if w.Code != http.StatusOK || w.Body.Len() == 0 {
					b.Fatalf("message %d: status %d, %d bytes", i, w.Code, w.Body.Len())
				}
			}
		})
	}
}

const seedSecret = "benchdingtalkappsecret"

// seedQuestions mix single tasks, lists, people and searches.
var seedQuestions = []string{
	"76号任务谁牵头", "第十二项任务的完成时限", "任务１０３配合单位有哪些", "交通局牵头哪些任务",
	"本月到期的任务", "沈旭东分管哪些工作", "交通运输局归谁分管", "研发经费占比目标",
	"垃圾分类谁牵头", "明天天气怎么样", "实事第3项谁牵头", "帮助",
}

// seedNow is within the seeds' plan year, so 本月到期 lists tasks.
var seedNow = time.Date(2020, 8, 20, 9, 0, 0, 0, kb.Location)

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
