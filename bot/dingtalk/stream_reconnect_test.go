package dingtalk

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
)

// A dropped connection is opened again (new ticket, new WebSocket); the
// message in flight when it dropped is answered once, and messages after
// it are answered too.
func TestStreamReconnectsAfterDrop(t *testing.T) {
	var rc recorder
	release := make(chan struct{})
	h := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		if m.ID == "msg-inflight" {
			<-release
		}
		return rc.handle(ctx, m)
	}
	r := startStream(t, StreamConfig{}, h)

	r.push(t, r.message("msg-1", "76号任务谁牵头"))
	waitFor(t, "the first answer", func() bool { return len(r.dt.Sent()) == 1 })
	inflight := r.push(t, r.message("msg-inflight", "76号任务谁牵头"))
	waitFor(t, "the in-flight message's ACK", func() bool { return r.gw.Acked(inflight) })

	r.gw.Drop()
	waitFor(t, "a second connection", func() bool { return r.gw.Connections() == 2 && r.s.Connected() })
	close(release)
	r.push(t, r.message("msg-2", "76号任务谁牵头"))
	waitFor(t, "three answers", func() bool { return len(r.dt.Sent()) == 3 })
	r.stop()

	if n := len(r.gw.Opens()); n != 2 {
		t.Errorf("connections/open called %d times, want 2 (a ticket is single-use)", n)
	}
	sessions := map[string]int{}
	for _, s := range r.dt.Sent() {
		sessions[s.Session]++
	}
	for _, id := range []string{"msg-1", "msg-inflight", "msg-2"} {
		if sessions["sess-"+id] != 1 {
			t.Errorf("%s answered %d times, want 1", id, sessions["sess-"+id])
		}
	}
	r.mu.Lock()
	states := strings.Join(r.states, ",")
	r.mu.Unlock()
	if !strings.HasPrefix(states, "connecting,connected,backoff,connecting,connected") || !strings.HasSuffix(states, ",stopped") {
		t.Errorf("states = %s", states)
	}
}

// dedup is the smallest Deduper-backed middleware: it remembers message
// IDs, as bot.Dedup does through the store.
type dedup struct {
	mu    sync.Mutex
	seen  map[string]bool
	calls int
}

func (d *dedup) wrap(next bot.HandlerFunc) bot.HandlerFunc {
	return func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		d.mu.Lock()
		d.calls++
		first := !d.seen[m.Platform+"|"+m.ID]
		d.seen[m.Platform+"|"+m.ID] = true
		d.mu.Unlock()
		if !first {
			return handlers.Reply{}, bot.ErrDuplicate
		}
		return next(ctx, m)
	}
}

// A message whose ACK never reached the gateway is delivered again after
// the reconnection; with a dedup in the chain it is answered once.
func TestStreamRedeliveredUnackedAnsweredOnce(t *testing.T) {
	var rc recorder
	d := &dedup{seen: map[string]bool{}}
	r := startStream(t, StreamConfig{}, bot.Chain(rc.handle, d.wrap))

	r.gw.LoseAcks(true)
	id := r.push(t, r.message("msg-1", "76号任务谁牵头"))
	waitFor(t, "the lost ACK", func() bool { return len(r.gw.LostAcks()) == 1 })
	r.gw.Drop()
	waitFor(t, "the reconnection", func() bool { return r.gw.Connections() == 2 && r.s.Connected() })
	r.gw.LoseAcks(false)
	again, err := r.gw.RedeliverUnacked()
	if err != nil || len(again) != 1 || again[0] != id {
		t.Fatalf("RedeliverUnacked = %v, %v; want [%s]", again, err, id)
	}
	waitFor(t, "the ACK of the copy", func() bool { return r.gw.Acked(id) })
	r.stop() // drains the workers: both deliveries are fully handled

	if d.calls != 2 {
		t.Errorf("dedup saw %d deliveries, want 2", d.calls)
	}
	if n := len(rc.seen()); n != 1 {
		t.Errorf("handler answered %d times, want 1", n)
	}
	if n := len(r.dt.Sent()); n != 1 {
		t.Errorf("%d answers sent, want 1", n)
	}
}

// SYSTEM disconnect makes the client reconnect at once, without backoff.
func TestStreamGatewayDisconnect(t *testing.T) {
	var rc recorder
	r := startStream(t, StreamConfig{MinBackoff: time.Hour, MaxBackoff: time.Hour}, rc.handle)
	if err := r.gw.Disconnect(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new connection", func() bool { return r.gw.Connections() == 2 && r.s.Connected() })
	r.push(t, r.message("msg-1", "76号任务谁牵头"))
	waitFor(t, "the answer", func() bool { return len(r.dt.Sent()) == 1 })
}

// Refused credentials keep the client in backoff, reported by Check, and
// it connects once the gateway accepts them.
func TestStreamRefusedCredentialsRetried(t *testing.T) {
	var rc recorder
	var logs strings.Builder
	r := startStream(t, StreamConfig{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}, rc.handle)
	r.gw.SetSecret("rotated")
	r.gw.Drop()
	waitFor(t, "a refused open", func() bool {
		opens := r.gw.Opens()
		return len(opens) >= 3 && opens[len(opens)-1].Status == 401
	})
	if r.s.Connected() {
		t.Error("Connected() while the gateway refuses the credentials")
	}
	if err := r.s.Check(context.Background()); err == nil || strings.Contains(err.Error(), "fake-client-secret") {
		t.Errorf("Check = %v, want an error without the secret", err)
	}
	r.gw.SetSecret("fake-client-secret")
	waitFor(t, "the reconnection", func() bool { return r.s.Connected() })
	if err := r.s.Check(context.Background()); err != nil {
		t.Errorf("Check after reconnecting = %v", err)
	}
	r.stop()
	if l := logs.String(); !strings.Contains(l, "connection lost") || strings.Contains(l, "fake-client-secret") || strings.Contains(l, "ticket=") {
		t.Errorf("logs lack the failure or leak a credential:\n%s", l)
	}
}

// A connection whose peer stops answering WebSocket pings is given up and
// opened again, though no read ever fails.
func TestStreamKeepAliveDetectsSilentPeer(t *testing.T) {
	var rc recorder
	r := startStream(t, StreamConfig{KeepAlive: 20 * time.Millisecond}, rc.handle)
	r.gw.StallAfterNextResponse()
	if _, err := r.gw.Ping(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a new connection", func() bool { return r.gw.Connections() == 2 && r.s.Connected() })
	r.push(t, r.message("msg-1", "76号任务谁牵头"))
	waitFor(t, "the answer", func() bool { return len(r.dt.Sent()) == 1 })
}

// The default backoff: 1 s doubling to 1 min, less up to a quarter.
func TestBackoff(t *testing.T) {
	b := StreamConfig{}.withDefaults().backoff()
	tests := []struct {
		failures int
		want     time.Duration // before jitter, which takes off up to a quarter
	}{
		{0, time.Second}, {1, 2 * time.Second}, {3, 8 * time.Second}, {6, time.Minute}, {40, time.Minute},
	}
	for _, tt := range tests {
		for range 20 {
			got := b.Wait(tt.failures)
			if got > tt.want || got < tt.want*3/4 {
				t.Errorf("backoff(%d) = %v, want in [%v, %v]", tt.failures, got, tt.want*3/4, tt.want)
			}
		}
	}
}
