package dingtalk

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
	"duban/store/memstore"
)

// replayClock is a settable clock shared by the robot and the store.
type replayClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *replayClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *replayClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestRobotReplay replays a captured robot callback as an attacker would:
// the same request after 11 and after 59 minutes (the sign header covers
// only the timestamp and stays valid for an hour), and the captured
// (timestamp, sign) pair with a made-up body recording 71号已完成 for
// 住建局. Only the first delivery reaches the handler. On the old code the
// replays were answered (Dedup forgot the msgId after 10 minutes) and the
// made-up body was handled as a real message.
func TestRobotReplay(t *testing.T) {
	clock := &replayClock{t: t0}
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), Now: clock.Now, BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var calls atomic.Int32
	h := bot.Chain(func(context.Context, *bot.Message) (handlers.Reply, error) {
		calls.Add(1)
		return answer76, nil
	}, bot.Dedup(st, 0))
	rb, err := NewRobot(RobotConfig{AppSecret: appSecret, Now: clock.Now, Replay: &bot.ReplayGuard{Store: st}}, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rb.Shutdown(context.Background()) })

	msg := dingtalktest.Message{MsgID: "msg-76", Text: "76号任务谁牵头", Group: true, AtRobot: true,
		ConversationID: "cidZJJ==", SenderStaffID: "staff-1", CreateAt: t0}
	// The sign header depends only on the timestamp, so every request
	// signed at t0 carries the captured pair.
	deliver := func(body []byte) *httptest.ResponseRecorder { return serve(rb, body, t0) }
	if rec := deliver(msg.JSON()); rec.Code != http.StatusOK || calls.Load() != 1 {
		t.Fatalf("first delivery: %d, handler called %d times; want 200 and once", rec.Code, calls.Load())
	}

	forged := msg
	forged.MsgID, forged.Text = "msg-made-up", "71号已完成"
	steps := []struct {
		name  string
		after time.Duration
		body  []byte
		want  int
	}{
		{"same request after 11 minutes", 11 * time.Minute, msg.JSON(), http.StatusOK},
		{"same signature, another body", 15 * time.Minute, forged.JSON(), http.StatusUnauthorized},
		{"same request after 59 minutes", 59 * time.Minute, msg.JSON(), http.StatusOK},
		{"same request after 61 minutes", 61 * time.Minute, msg.JSON(), http.StatusUnauthorized},
	}
	for _, s := range steps {
		clock.Set(t0.Add(s.after))
		rec := deliver(s.body)
		if rec.Code != s.want || rec.Body.Len() > 0 && rec.Code == http.StatusOK {
			t.Errorf("%s: %d %q, want %d and no answer", s.name, rec.Code, rec.Body.String(), s.want)
		}
		if n := calls.Load(); n != 1 {
			t.Fatalf("%s: handler called %d times in all, want once", s.name, n)
		}
	}
}

// TestRobotReplayStoreDown checks that a store outage does not silence
// the robot: the question is answered (reports are refused by
// bot.Reports, which needs the store to record).
func TestRobotReplayStoreDown(t *testing.T) {
	var calls atomic.Int32
	h := func(context.Context, *bot.Message) (handlers.Reply, error) {
		calls.Add(1)
		return answer76, nil
	}
	rb, err := NewRobot(RobotConfig{AppSecret: appSecret, Now: func() time.Time { return t0 },
		Replay: &bot.ReplayGuard{Store: downStore{}}}, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rb.Shutdown(context.Background()) })
	msg := dingtalktest.Message{MsgID: "m1", Text: "76号任务谁牵头", Group: true, AtRobot: true, ConversationID: "c", CreateAt: t0}
	rec := serve(rb, msg.JSON(), t0)
	if rec.Code != http.StatusOK || calls.Load() != 1 {
		t.Errorf("store down: %d, handler called %d times; want 200 and once", rec.Code, calls.Load())
	}
}

type downStore struct{}

func (downStore) FirstSeen(context.Context, string, time.Duration) (bool, error) {
	return false, errStoreDown
}

var errStoreDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

// BenchmarkRobotReplayGuard is BenchmarkRobot with the replay guard over
// the embedded store, each request signed at its own millisecond: the
// guard's cost is the difference.
func BenchmarkRobotReplayGuard(b *testing.B) {
	st, err := memstore.Open(memstore.Config{Dir: b.TempDir(), Now: func() time.Time { return t0 }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rb, err := NewRobot(RobotConfig{AppSecret: appSecret, Now: func() time.Time { return t0 }, Replay: &bot.ReplayGuard{Store: st}},
		func(context.Context, *bot.Message) (handlers.Reply, error) { return answer76, nil })
	if err != nil {
		b.Fatal(err)
	}
	body := dingtalktest.Message{MsgID: "m1", Text: "@张三 76号任务谁牵头", Group: true, AtRobot: true,
		ConversationID: "cidGroup==", SenderStaffID: "staff-1", SenderNick: "王五", CreateAt: t0}.JSON()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		rec := httptest.NewRecorder()
		rb.ServeHTTP(rec, dingtalktest.SignedRequest("/dingtalk/robot", appSecret, t0.Add(-time.Duration(i%3_000_000)*time.Millisecond), body))
		if rec.Code != 200 || rec.Body.Len() == 0 {
			b.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
		}
	}
}
