package wecom

import (
	"bytes"
	"net/http"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom/wecomtest"
	"duban/store/memstore"
)

// replayClock is a settable clock shared by the callback and the store.
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

// replayStore is the embedded store on clock, as `duban serve` uses it.
func replayStore(t *testing.T, clock *replayClock) *memstore.Store {
	t.Helper()
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), Now: clock.Now, BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestAppCallbackReplay replays a captured app callback as an attacker
// would: while its timestamp is inside the window (the server's clock 9
// minutes behind WeCom's, so the window stays open for 19 minutes), after
// 11 and 59 minutes, and with its signature over another body. Only the
// first delivery is answered. On the old code the replay at 18 minutes was
// answered again: Dedup forgot the MsgId after 10 minutes.
func TestAppCallbackReplay(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	clock := &replayClock{t: testNow.Add(-9 * time.Minute)}
	st := replayStore(t, clock)
	rec := &recorder{}
	chain := bot.Chain(rec.handle, bot.Dedup(st, 0))
	cfg := CallbackConfig{CorpID: fake.Opts.CorpID, Token: Secret(fake.App.Token),
		EncodingAESKey: Secret(fake.App.EncodingAESKey), Now: clock.Now, Logger: quiet,
		Replay: &bot.ReplayGuard{Store: st}}
	cb, err := NewCallback(cfg, chain)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cb.Wait)
	url := serve(t, cb)

	msg := wecomtest.TextMessage(fake.Opts.CorpID, "zhangsan", "76号任务谁牵头", "msg-76", fake.Opts.AgentID, testNow)
	captured, err := fake.App.EncryptedCallback(url, testNow, "nonce-1", fake.Opts.AgentID, msg)
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := send(t, captured); status != http.StatusOK || len(rec.seen()) != 1 {
		t.Fatalf("first delivery: status %d, %d answered; want 200 and one", status, len(rec.seen()))
	}

	// Another body under the captured signature: the ciphertext of a
	// report, in the envelope, with the captured query.
	forged, err := fake.App.EncryptedCallback(url, testNow, "nonce-1", fake.Opts.AgentID,
		wecomtest.TextMessage(fake.Opts.CorpID, "zhangsan", "71号已完成", "msg-71", fake.Opts.AgentID, testNow))
	if err != nil {
		t.Fatal(err)
	}
	forged.URL = captured.URL

	steps := []struct {
		name  string
		after time.Duration // since the first delivery
		cb    *wecomtest.Callback
		want  int
	}{
		{"same request within the window", 18 * time.Minute, captured, http.StatusOK},
		{"same signature, another body", 5 * time.Minute, forged, http.StatusUnauthorized},
		{"same request after 11 minutes of a true clock", 20 * time.Minute, captured, http.StatusUnauthorized},
		{"same request after 59 minutes", 68 * time.Minute, captured, http.StatusUnauthorized},
	}
	for _, s := range steps {
		clock.Set(testNow.Add(-9*time.Minute + s.after))
		status, body := send(t, s.cb)
		if status != s.want || (status == http.StatusOK && len(bytes.TrimSpace(body)) != 0) {
			t.Errorf("%s: status %d body %q, want %d and no reply", s.name, status, body, s.want)
		}
		if n := len(rec.seen()); n != 1 {
			t.Fatalf("%s: handler called %d times in all, want once", s.name, n)
		}
	}
}

// TestAIBotCallbackReplay replays a 智能机器人 callback within its window
// after Dedup's old 10 minutes: it is ignored.
func TestAIBotCallbackReplay(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	clock := &replayClock{t: testNow.Add(-9 * time.Minute)}
	st := replayStore(t, clock)
	rec := &recorder{}
	cfg := AIBotConfig{Token: Secret(fake.AIBot.Token), EncodingAESKey: Secret(fake.AIBot.EncodingAESKey),
		Now: clock.Now, Logger: quiet, Replay: &bot.ReplayGuard{Store: st}}
	cb, err := NewAIBotCallback(cfg, bot.Chain(rec.handle, bot.Dedup(st, 0)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cb.Wait)
	url := serve(t, cb)
	plain := wecomtest.AIBotText("ai-76", "chat-1", "zhangsan", "@督办 76号已完成", "")
	captured, err := fake.AIBot.EncryptedJSONCallback(url, testNow, "nonce-a", plain)
	if err != nil {
		t.Fatal(err)
	}
	send(t, captured)
	if len(rec.seen()) != 1 {
		t.Fatalf("first delivery answered %d times, want once", len(rec.seen()))
	}
	clock.Set(testNow.Add(9 * time.Minute)) // 18 minutes later, still in the window
	if status, body := send(t, captured); status != http.StatusOK || len(bytes.TrimSpace(body)) != 0 {
		t.Errorf("replay: status %d body %q, want an empty 200", status, body)
	}
	if len(rec.seen()) != 1 {
		t.Errorf("replay answered: handler called %d times, want once", len(rec.seen()))
	}
}
