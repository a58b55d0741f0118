package emulator

import (
	"context"
	"duban/kb/ingest/seedtest"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
)

// seedsDir finds ../shared/seeds beside the module root, or skips.
func seedsDir(t *testing.T) string {
	t.Helper()
	seeds := seedtest.Dir(t)
	return seeds
}

type memConv struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memConv) Get(_ context.Context, k string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok, nil
}

func (c *memConv) Put(_ context.Context, k string, v []byte, _ time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
	return nil
}

func (c *memConv) Delete(_ context.Context, k string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
	return nil
}

// TestSeedsThroughTheWholeChain asks the real documents through the chain
// cmd builds (bot middleware, bot.Answer, the handlers) via the emulator's
// API, including a follow-up that needs the stored conversation turn.
func TestSeedsThroughTheWholeChain(t *testing.T) {
	if testing.Short() {
		t.Skip("loads every seed document; skipped in -short mode")
	}
	b, _, err := ingest.LoadDir(t.Context(), seedsDir(t))
	if b == nil {
		t.Fatalf("load seeds: %v", err)
	}
	hd := handlers.New(b, handlers.Config{})
	now := time.Date(2020, 8, 25, 9, 0, 0, 0, kb.Location)
	h := bot.Chain(
		bot.Answer(func() *handlers.Handler { return hd }, &memConv{m: map[string][]byte{}}, 0, func() time.Time { return now }),
		bot.Recover(nil), bot.Log(nil), bot.MaxInFlight(4), bot.Timeout(time.Second))
	srv := newLoopbackServer(t, New(Config{Handler: h, Chats: []Chat{{Name: "住建局工作群"}}}))

	tests := []struct {
		platform, text, want string
	}{
		{"wecom", "76号任务谁牵头", "**重点工作第76项：牵头领导：周国强"},
		{"wecom", "那它什么时候到期？", "完成时限"},
		{"dingtalk", "交通局牵头哪些任务", "交通"},
	}
	for _, tt := range tests {
		status, out := postAsk(t, srv, `{"platform":"`+tt.platform+`","chat":"住建局工作群","user":"张三","text":"`+tt.text+`"}`)
		msgs, _ := out["messages"].([]any)
		if status != 200 || len(msgs) == 0 || !strings.Contains(msgs[0].(string), tt.want) {
			t.Errorf("%s %q = %d %v, want %q in the first message", tt.platform, tt.text, status, out, tt.want)
		}
	}
}
