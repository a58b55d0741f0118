package dingtalk

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

// waitFor polls cond every few milliseconds until it holds, failing the
// test after a deadline: the client and the fakes run in goroutines of
// their own over loopback, which testing/synctest cannot hold still.
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

// streamRig is a Stream running against a fake gateway, with a fake
// DingTalk for the sessionWebhooks.
type streamRig struct {
	s      *Stream
	gw     *dingtalktest.StreamGateway
	dt     *dingtalktest.Server
	stop   func() // cancels Run and waits for it to return
	mu     sync.Mutex
	states []string
}

func startStream(t *testing.T, cfg StreamConfig, h bot.HandlerFunc) *streamRig {
	t.Helper()
	r := &streamRig{gw: dingtalktest.NewStreamGateway(t), dt: dingtalktest.NewServer(t)}
	r.dt.SetNow(func() time.Time { return t0 })
	cfg.ClientID = dingtalktest.StreamClientID
	cfg.ClientSecret = dingtalktest.StreamClientSecret
	cfg.OpenAPIBaseURL = r.gw.URL
	cfg.BaseURL = r.dt.URL
	cfg.Now = func() time.Time { return t0 }
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff, cfg.MaxBackoff = time.Millisecond, 20*time.Millisecond
	}
	cfg.OnState = func(s string) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.states = append(r.states, s)
	}
	s, err := NewStream(cfg, h)
	if err != nil {
		t.Fatalf("NewStream: %v", err)
	}
	r.s = s
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run returned %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(r.stop)
	waitFor(t, "first connection", func() bool { return s.Connected() && r.gw.Connected() })
	return r
}

// message returns a group question @-ing the robot, whose sessionWebhook
// is a live session on the rig's fake DingTalk.
func (r *streamRig) message(id, text string) dingtalktest.Message {
	return dingtalktest.Message{
		MsgID: id, Text: text, Group: true, AtRobot: true,
		ConversationID: "cidGroup==", SenderStaffID: "staff-1", SenderNick: "王五",
		SessionWebhook: r.dt.NewSession("sess-"+id, t0.Add(90*time.Minute)), CreateAt: t0,
	}
}

func (r *streamRig) push(t *testing.T, m dingtalktest.Message) string {
	t.Helper()
	id, err := r.gw.PushRobot(m)
	if err != nil {
		t.Fatalf("PushRobot: %v", err)
	}
	return id
}

// recorder is a handler that answers answer76 and records what it saw.
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

func TestStreamAnswersGroupQuestion(t *testing.T) {
	var rc recorder
	r := startStream(t, StreamConfig{}, rc.handle)

	id := r.push(t, r.message("msg-1", "76号任务谁牵头"))
	waitFor(t, "the answer", func() bool { return len(r.dt.Sent()) == 1 })
	r.stop()

	open := r.gw.Opens()[0]
	if open.ClientID != dingtalktest.StreamClientID || !strings.HasPrefix(open.UA, "dingtalk-sdk-go/") {
		t.Errorf("connections/open = %+v", open)
	}
	if !contains(open.Subscriptions, "CALLBACK "+dingtalktest.RobotTopic) || !contains(open.Subscriptions, "SYSTEM ping") {
		t.Errorf("subscriptions = %q", open.Subscriptions)
	}
	acks := r.gw.Acks()
	if len(acks) != 1 || acks[0].MessageID != id || acks[0].Code != 200 || acks[0].Data != `{"response":null}` {
		t.Errorf("acks = %+v", acks)
	}
	want := bot.Message{Platform: bot.DingTalkStrm, ID: "msg-1", ChatID: "cidGroup==", ChatType: "group",
		UserID: "staff-1", UserName: "王五", Text: "76号任务谁牵头"}
	if got := rc.seen(); len(got) != 1 || got[0] != want {
		t.Errorf("handler saw %+v, want %+v", got, want)
	}
	sent := r.dt.Sent()[0]
	if sent.Session != "sess-msg-1" || sent.MsgType != "markdown" || !strings.Contains(sent.Text, "第76项 由住建局牵头") {
		t.Errorf("sent %+v", sent)
	}
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// The ACK goes out before the handler finishes: a handler blocked until
// the gateway has the ACK would otherwise never return.
func TestStreamAcksBeforeAnswering(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	h := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		started <- struct{}{}
		<-release
		return answer76, nil
	}
	r := startStream(t, StreamConfig{}, h)
	id := r.push(t, r.message("msg-1", "76号任务谁牵头"))
	<-started
	waitFor(t, "the ACK while the handler runs", func() bool { return r.gw.Acked(id) })
	if len(r.dt.Sent()) != 0 {
		t.Fatal("answer sent before the handler returned")
	}
	close(release)
	waitFor(t, "the answer", func() bool { return len(r.dt.Sent()) == 1 })
}

func TestStreamSystemFramesAndIgnoredMessages(t *testing.T) {
	var rc recorder
	r := startStream(t, StreamConfig{}, rc.handle)

	pingID, err := r.gw.Ping()
	if err != nil {
		t.Fatal(err)
	}
	noAt := r.message("msg-noat", "76号任务谁牵头")
	noAt.AtRobot = false
	noAtID := r.push(t, noAt)
	blank := r.message("msg-blank", "   ")
	blankID := r.push(t, blank)
	otherID, err := r.gw.Push("EVENT", "/v1.0/other/topic", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "four responses", func() bool { return len(r.gw.Acks()) == 4 })
	r.stop()

	byID := map[string]dingtalktest.StreamAck{}
	for _, a := range r.gw.Acks() {
		byID[a.MessageID] = a
	}
	tests := []struct {
		name, id string
		code     int
		data     string
	}{
		{"ping answered with its opaque", pingID, 200, `{"opaque":"` + pingID + `"}`},
		{"group message without @ ACKed", noAtID, 200, `{"response":null}`},
		{"message without text ACKed", blankID, 200, `{"response":null}`},
		{"unsubscribed topic", otherID, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := byID[tt.id]
			if a.Code != tt.code || a.Data != tt.data {
				t.Errorf("response %+v, want code %d data %q", a, tt.code, tt.data)
			}
		})
	}
	if n := len(rc.seen()); n != 0 {
		t.Errorf("handler called %d times, want 0", n)
	}
	if n := len(r.dt.Sent()); n != 0 {
		t.Errorf("%d answers sent, want 0", n)
	}
}

// Workers bounds concurrent handlers; Queue bounds the waiting ones; a
// message beyond both is refused, not ACKed. Stopping Run still answers
// every message that was ACKed.
func TestStreamBoundedWorkersAndDrainOnStop(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	running, peak, started := 0, 0, 0
	h := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		mu.Lock()
		running++
		started++
		peak = max(peak, running)
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		mu.Unlock()
		return answer76, nil
	}
	r := startStream(t, StreamConfig{Workers: 2, Queue: 1}, h)
	startedN := func() int { mu.Lock(); defer mu.Unlock(); return started }

	var ids []string
	for i, want := range []int{1, 2} {
		ids = append(ids, r.push(t, r.message("msg-"+string(rune('a'+i)), "问题")))
		waitFor(t, "a worker to take the message", func() bool { return startedN() == want })
	}
	ids = append(ids, r.push(t, r.message("msg-c", "问题"))) // queued
	waitFor(t, "the queued message's ACK", func() bool { return r.gw.Acked(ids[2]) })
	busy := r.push(t, r.message("msg-d", "问题")) // refused
	waitFor(t, "the refusal", func() bool { return len(r.gw.Acks()) == 4 })

	stopped := make(chan struct{})
	go func() { r.stop(); close(stopped) }()
	close(release)
	<-stopped

	for _, a := range r.gw.Acks() {
		if a.MessageID == busy && (a.Code != 500 || a.Message != "busy") {
			t.Errorf("over-capacity message answered %+v, want 500 busy", a)
		}
	}
	if peak != 2 {
		t.Errorf("peak concurrent handlers = %d, want 2", peak)
	}
	if n := len(r.dt.Sent()); n != 3 {
		t.Errorf("%d answers after stop, want the 3 ACKed messages answered", n)
	}
}
