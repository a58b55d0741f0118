package dingtalk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/internal/floor"
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

// floorSeq makes every request's msgId and timestamp new: duban accepts a
// (timestamp, sign) pair once, and Dedup a message ID once.
var floorSeq atomic.Int64

// floorRequest is a signed group message @-ing the robot with a new msgId
// and timestamp; its answer must be the markdown reply.
func floorRequest() floor.Source {
	body := floorBody()
	return func(testing.TB) floor.Request {
		n := floorSeq.Add(1)
		stamp := strconv.FormatInt(floorNow.Add(-30*time.Minute).UnixMilli()+n, 10)
		return floor.Request{
			Path: "/dingtalk/robot",
			Header: http.Header{"Content-Type": {"application/json; charset=utf-8"},
				"Timestamp": {stamp}, "Sign": {dingtalktest.Sign(stamp, floorSecret)}},
			Body: body("m" + strconv.FormatInt(n, 10)),
			Check: func(status int, got []byte) error {
				if status != http.StatusOK || !bytes.Contains(got, []byte(`"markdown"`)) {
					return fmt.Errorf("status %d: %s", status, got)
				}
				return nil
			},
		}
	}
}

func floorPaths() floor.Paths {
	return floor.Paths{Bare: bareFloor, Duban: dubanPath, Next: floorRequest()}
}

// BenchmarkCallbackFloor measures the bare floor and duban's path in one
// run, over loopback HTTP and in process; bare's ns/op over duban's is the
// callback path's share of the floor.
func BenchmarkCallbackFloor(b *testing.B) { floor.Bench(b, floorPaths()) }

// TestCallbackFloorReport writes callback_floor.md into $DUBAN_ARTIFACTS
// (scripts/bench.sh puts it in BENCHMARKS.md): the bare floor and duban's
// path measured in turns, several rounds, so that other work on the
// machine weighs on both alike; the ratio is the median of the rounds'.
func TestCallbackFloorReport(t *testing.T) {
	floor.Report(t, "callback_floor.md", "## Callback path against a bare server (DingTalk robot HTTP mode)\n\n"+
		"Signed robot callbacks from 16 parallel clients; the bare server checks the same signature, reads the\n"+
		"same JSON and writes the same markdown reply; duban's path is `bot.Server` (access log, client address,\n"+
		"body cap), the replay guard and Dedup on the embedded store, cmd/duban's middleware chain and the\n"+
		"robot's reply, around a trivial answer. Bare and duban run in turns, "+strconv.Itoa(floor.Rounds)+" rounds of 0.3 s each;\n"+
		"the ratio is duban's throughput over bare's (`go test -run TestCallbackFloorReport ./bot/dingtalk`,\n"+
		"`go test -bench CallbackFloor ./bot/dingtalk`).\n\n", floorPaths())
}
