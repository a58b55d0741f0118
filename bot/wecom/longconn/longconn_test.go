package longconn

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom/longconn/longconntest"
	"duban/handlers"
)

var answer76 = handlers.Reply{
	Intent: "task_lead",
	Head:   "第76项 由住建局牵头",
	Lines:  []string{"牵头领导：张三", "完成时限：12月底前"},
	Cite:   "来源：测试任务表 第76项",
}

// waitFor polls cond every few milliseconds until it holds, failing the
// test after a deadline: client and fake talk over loopback in goroutines
// of their own, which testing/synctest cannot hold still.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

type rig struct {
	c      *Client
	fake   *longconntest.Server
	done   chan error // Run's result
	cancel context.CancelFunc
	mu     sync.Mutex
	states []string
}

// start runs a Client against a fake; connected waits for the first
// subscription.
func start(t *testing.T, cfg Config, h bot.HandlerFunc, connected bool) *rig {
	t.Helper()
	r := &rig{fake: longconntest.NewServer(t), done: make(chan error, 1)}
	cfg.BotID, cfg.URL = longconntest.BotID, r.fake.URL
	if cfg.Secret == "" {
		cfg.Secret = longconntest.Secret
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff, cfg.MaxBackoff = time.Millisecond, 20*time.Millisecond
	}
	cfg.OnState = func(s string) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.states = append(r.states, s)
	}
	c, err := New(cfg, h)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	r.c = c
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- c.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	if connected {
		waitFor(t, "the subscription", func() bool { return c.Connected() && r.fake.Connected() })
	}
	return r
}

// stop cancels Run and returns what it returned.
func (r *rig) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
		}
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
		return nil
	}
}

type recorder struct {
	mu   sync.Mutex
	msgs []bot.Message
}

func (rc *recorder) handle(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.msgs = append(rc.msgs, *m)
	return answer76, nil
}

func (rc *recorder) seen() []bot.Message {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]bot.Message(nil), rc.msgs...)
}

func groupMsg(id string) longconntest.Message {
	return longconntest.Message{MsgID: id, ChatID: "wrkGroup1", UserID: "zhangsan", Text: "@督办助手 76号任务谁牵头"}
}

func push(t *testing.T, r *rig, m longconntest.Message) string {
	t.Helper()
	reqID, err := r.fake.Push(m)
	if err != nil {
		t.Fatalf("Push: %v", err)
	}
	return reqID
}

func TestAnswersGroupQuestion(t *testing.T) {
	var rc recorder
	r := start(t, Config{}, rc.handle, true)
	reqID := push(t, r, groupMsg("msg-1"))
	waitFor(t, "the reply", func() bool { return len(r.fake.Replies()) == 1 })
	r.stop(t)

	if subs := r.fake.Subscribes(); len(subs) != 1 || !subs[0].OK || subs[0].BotID != longconntest.BotID {
		t.Errorf("subscribes = %+v", subs)
	}
	want := bot.Message{Platform: bot.WeComAIBot, ID: "msg-1", ChatID: "wrkGroup1", ChatType: "group",
		UserID: "zhangsan", Text: "76号任务谁牵头"}
	if got := rc.seen(); len(got) != 1 || got[0] != want {
		t.Errorf("handler saw %+v, want %+v", got, want)
	}
	rep := r.fake.Replies()[0]
	if rep.ReqID != reqID || rep.MsgType != "stream" || !rep.Finish || rep.StreamID == "" ||
		!strings.Contains(rep.Content, "**第76项 由住建局牵头**") || !strings.Contains(rep.Content, "> 来源：测试任务表 第76项") {
		t.Errorf("reply = %+v", rep)
	}
	if n := len(r.fake.Pushes()); n != 0 {
		t.Errorf("%d pushes, want 0", n)
	}
}

func TestSingleChatEventsAndEmptyReplies(t *testing.T) {
	var rc recorder
	h := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		if m.Text == "沉默" {
			return handlers.Reply{}, nil
		}
		return rc.handle(ctx, m)
	}
	r := start(t, Config{}, h, true)
	if err := r.fake.Event("enter_chat"); err != nil {
		t.Fatal(err)
	}
	push(t, r, longconntest.Message{MsgID: "quiet", UserID: "lisi", Text: "沉默"})
	push(t, r, longconntest.Message{MsgID: "mention-only", ChatID: "wrkGroup1", UserID: "lisi", Text: "@督办助手"})
	reqID := push(t, r, longconntest.Message{MsgID: "single", UserID: "lisi", Text: "76号任务谁牵头"})
	waitFor(t, "the reply", func() bool { return len(r.fake.Replies()) == 1 })
	r.stop(t) // drains: every message is fully handled

	got := rc.seen()
	if len(got) != 1 || got[0].ChatType != "single" || got[0].ChatID != "" || got[0].UserID != "lisi" {
		t.Errorf("handler answered %+v, want the single-chat question only", got)
	}
	if rep := r.fake.Replies(); len(rep) != 1 || rep[0].ReqID != reqID {
		t.Errorf("replies = %+v", rep)
	}
}

// A message redelivered with the same msgid ("可能因为网络等原因重复回调")
// is answered once when the chain has a dedup.
func TestRedeliveryAnsweredOnce(t *testing.T) {
	var rc recorder
	var mu sync.Mutex
	seen, calls := map[string]bool{}, 0
	dedup := func(next bot.HandlerFunc) bot.HandlerFunc {
		return func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
			mu.Lock()
			calls++
			dup := seen[m.Platform+"|"+m.ID]
			seen[m.Platform+"|"+m.ID] = true
			mu.Unlock()
			if dup {
				return handlers.Reply{}, bot.ErrDuplicate
			}
			return next(ctx, m)
		}
	}
	r := start(t, Config{}, bot.Chain(rc.handle, dedup), true)
	push(t, r, groupMsg("msg-1"))
	push(t, r, groupMsg("msg-1"))
	waitFor(t, "both deliveries", func() bool { mu.Lock(); defer mu.Unlock(); return calls == 2 })
	r.stop(t) // the workers reply before the connection closes
	if calls != 2 || len(rc.seen()) != 1 || len(r.fake.Replies()) != 1 {
		t.Errorf("dedup calls %d, answered %d, replies %d; want 2, 1, 1", calls, len(rc.seen()), len(r.fake.Replies()))
	}
}

func TestSendAndChatSender(t *testing.T) {
	var rc recorder
	r := start(t, Config{}, rc.handle, true)
	var s bot.Sender = ChatSender{Client: r.c, ChatID: "wrkGroup9"}
	if err := s.Send(context.Background(), answer76); err != nil {
		t.Fatalf("Send: %v", err)
	}
	long := handlers.Reply{Head: "到期任务"}
	for range 400 {
		long.Lines = append(long.Lines, strings.Repeat("任务内容", 5))
	}
	if err := r.c.Send(context.Background(), "wrkGroup9", long); err != nil {
		t.Fatalf("Send long: %v", err)
	}
	pushes := r.fake.Pushes()
	if len(pushes) < 3 || pushes[0].ChatID != "wrkGroup9" || pushes[0].MsgType != "markdown" ||
		!strings.Contains(pushes[0].Content, "第76项 由住建局牵头") {
		t.Errorf("pushes = %+v", pushes)
	}

	r.fake.Fail("aibot_send_msg", 45009)
	err := r.c.Send(context.Background(), "wrkGroup9", answer76)
	var api *APIError
	if !errors.As(err, &api) || api.Code != 45009 || !api.Retryable() {
		t.Errorf("Send refused = %v, want a retryable *APIError 45009", err)
	}
	if err := r.c.Send(context.Background(), "", answer76); err == nil {
		t.Error("Send to an empty chat id succeeded")
	}

	r.fake.SetSecret("rotated")
	r.fake.Drop()
	waitFor(t, "the disconnection", func() bool { return !r.c.Connected() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err = r.c.Send(ctx, "wrkGroup9", answer76)
	var te *TransportError
	if !errors.As(err, &te) || !errors.Is(err, ErrNotConnected) || !te.Retryable() {
		t.Errorf("Send while disconnected = %v, want a retryable ErrNotConnected", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"empty", Config{}, []string{"bot_id: missing", "secret: missing"}},
		{"http url", Config{BotID: "b", Secret: "s", URL: "https://openws.work.weixin.qq.com"}, []string{"url"}},
		{"ok", Config{BotID: "b", Secret: "s"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil })
			if (err != nil) != (len(tt.want) > 0) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q lacks %q", err, w)
				}
			}
		})
	}
}
