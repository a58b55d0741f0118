package longconn

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
)

// A dropped connection is subscribed again; the message whose handler was
// running when it dropped is answered once, by a push to its chat (its
// req_id belonged to the old connection), and later messages as usual.
func TestReconnectsWithoutLossOrDuplicate(t *testing.T) {
	var rc recorder
	release := make(chan struct{})
	started := make(chan struct{})
	h := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		if m.ID == "msg-inflight" {
			close(started)
			<-release
		}
		return rc.handle(ctx, m)
	}
	r := start(t, Config{}, h, true)

	push(t, r, groupMsg("msg-1"))
	waitFor(t, "the first reply", func() bool { return len(r.fake.Replies()) == 1 })
	push(t, r, groupMsg("msg-inflight"))
	<-started
	r.fake.Drop()
	waitFor(t, "the second subscription", func() bool { return r.fake.Connections() == 2 && r.c.Connected() })
	close(release)
	waitFor(t, "the in-flight answer", func() bool { return len(r.fake.Pushes()) == 1 })
	push(t, r, groupMsg("msg-2"))
	waitFor(t, "the third answer", func() bool { return len(r.fake.Replies()) == 2 })
	r.stop(t)

	if n := len(rc.seen()); n != 3 {
		t.Errorf("handler ran %d times, want 3", n)
	}
	if p := r.fake.Pushes(); len(p) != 1 || p[0].ChatID != "wrkGroup1" || p[0].Conn != 2 || !strings.Contains(p[0].Content, "第76项") {
		t.Errorf("pushes = %+v, want the in-flight answer on connection 2", p)
	}
	if rep := r.fake.Replies(); len(rep) != 2 || rep[0].Conn != 1 || rep[1].Conn != 2 {
		t.Errorf("replies = %+v", rep)
	}
	if subs := r.fake.Subscribes(); len(subs) != 2 || !subs[1].OK {
		t.Errorf("subscribes = %+v", subs)
	}
	r.mu.Lock()
	states := strings.Join(r.states, ",")
	r.mu.Unlock()
	if !strings.HasPrefix(states, "connecting,connected,backoff,connecting,connected") || !strings.HasSuffix(states, ",stopped") {
		t.Errorf("states = %s", states)
	}
}

// Heartbeats go out every Heartbeat; when MissedHeartbeats of them go
// unanswered the client gives the connection up and subscribes again.
func TestHeartbeats(t *testing.T) {
	var rc recorder
	r := start(t, Config{Heartbeat: 5 * time.Millisecond}, rc.handle, true)
	waitFor(t, "three heartbeats", func() bool { return r.fake.Pings() >= 3 })
	if n := r.fake.Connections(); n != 1 {
		t.Fatalf("answered heartbeats: %d connections, want 1", n)
	}
	r.fake.IgnorePings(true)
	waitFor(t, "a new connection", func() bool { return r.fake.Connections() >= 2 })
	r.fake.IgnorePings(false)
	waitFor(t, "the subscription", func() bool { return r.c.Connected() && r.fake.Connected() })
	push(t, r, groupMsg("msg-1"))
	waitFor(t, "the reply", func() bool { return len(r.fake.Replies()) == 1 })
}

// A refused subscribe (853000) keeps the client retrying with backoff,
// reported by Check, until the credentials are accepted.
func TestRefusedSubscribeRetried(t *testing.T) {
	var rc recorder
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r := start(t, Config{Secret: "s3cr3t-wrong", Logger: log}, rc.handle, false)
	waitFor(t, "two refused subscribes", func() bool { return len(r.fake.Subscribes()) >= 2 })
	if r.c.Connected() {
		t.Error("Connected() with refused credentials")
	}
	err := r.c.Check(context.Background())
	var api *APIError
	if !errors.As(err, &api) || api.Code != CodeBadCredentials || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("Check = %v, want the 853000 refusal without the secret", err)
	}
	r.fake.SetSecret("s3cr3t-wrong")
	waitFor(t, "the subscription", func() bool { return r.c.Connected() })
	if err := r.c.Check(context.Background()); err != nil {
		t.Errorf("Check = %v once connected", err)
	}
	r.stop(t)
	if l := logs.String(); !strings.Contains(l, "853000") || strings.Contains(l, "s3cr3t") {
		t.Errorf("logs lack the refusal or leak the secret:\n%s", l)
	}
}

// disconnected_event (another connection took the bot) stops Run with
// ErrReplaced instead of reconnecting and evicting the other one.
func TestReplacedStopsRun(t *testing.T) {
	var rc recorder
	r := start(t, Config{}, rc.handle, true)
	if err := r.fake.Replace(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.done:
		close(r.done)
		if !errors.Is(err, ErrReplaced) {
			t.Errorf("Run = %v, want ErrReplaced", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still running after disconnected_event")
	}
	if s := r.c.State(); s != StateReplaced {
		t.Errorf("State = %s, want %s", s, StateReplaced)
	}
	if n := r.fake.Connections(); n != 1 {
		t.Errorf("%d connections, want 1 (no reconnection)", n)
	}
}

// The default backoff: 1 s doubling to 1 min, less up to a quarter.
func TestBackoff(t *testing.T) {
	b := Config{}.withDefaults().backoff()
	for _, tt := range []struct {
		failures int
		want     time.Duration
	}{{0, time.Second}, {2, 4 * time.Second}, {10, time.Minute}} {
		for range 20 {
			if got := b.Wait(tt.failures); got > tt.want || got < tt.want*3/4 {
				t.Errorf("backoff(%d) = %v, want in [%v, %v]", tt.failures, got, tt.want*3/4, tt.want)
			}
		}
	}
}

func TestDecodeFrameAndMentions(t *testing.T) {
	f, err := decodeFrame([]byte("{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r1\"},\"body\":{\"msgid\":\"m\",\"msgtype\":\"text\",\"text\":{\"content\":\"@督办助手\u2005第\x0176号\"}}}"))
	if err != nil {
		t.Fatalf("decodeFrame with a raw control character: %v", err)
	}
	j, err := newJob(nil, f)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, bot, want string }{
		{"@督办助手\u2005第76号", "", "第76号"},
		{"@督办助手 @张三 76号任务谁牵头", "", "76号任务谁牵头"},
		{"请问 @督办助手 76号", "督办助手", "请问   76号"},
		{"@督办助手", "", ""},
		{"76号", "", "76号"},
	}
	for _, tt := range tests {
		if got := stripMentions(tt.in, tt.bot); got != tt.want {
			t.Errorf("stripMentions(%q, %q) = %q, want %q", tt.in, tt.bot, got, tt.want)
		}
	}
	if got := j.body.question(""); got != "第76号" {
		t.Errorf("question = %q", got)
	}
}

// Stopping Run keeps the connection until the messages already received
// are answered on it.
func TestStopAnswersReceivedMessages(t *testing.T) {
	var rc recorder
	release := make(chan struct{})
	started := make(chan struct{})
	h := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		close(started)
		<-release
		return rc.handle(ctx, m)
	}
	r := start(t, Config{}, h, true)
	reqID := push(t, r, groupMsg("msg-1"))
	<-started
	stopped := make(chan error)
	go func() { stopped <- r.stop(t) }()
	close(release)
	if err := <-stopped; err != nil {
		t.Errorf("Run = %v", err)
	}
	if rep := r.fake.Replies(); len(rep) != 1 || rep[0].ReqID != reqID {
		t.Errorf("replies = %+v, want the answer sent before the connection closed", rep)
	}
	if s := r.c.State(); s != StateStopped {
		t.Errorf("State = %s", s)
	}
}
