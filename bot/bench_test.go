package bot

import (
	"log/slog"
	"strconv"
	"testing"
	"time"

	"duban/handlers"
)

// BenchmarkChain measures the middleware's own cost per message: the full
// chain cmd builds, around a handler that answers at once.
func BenchmarkChain(b *testing.B) {
	d := newMemDeduper(time.Now)
	l := slog.New(slog.DiscardHandler)
	h := Chain(answerWith("task"), Recover(l), Log(l), Dedup(d, time.Minute), MaxInFlight(64), Timeout(4*time.Second))
	ctx := b.Context()
	i := 0
	for b.Loop() {
		i++
		if _, err := h(ctx, &Message{Platform: DingTalk, ID: strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswer measures bot.Answer over the one-task handler with a
// stored conversation turn loaded and saved per message.
func BenchmarkAnswer(b *testing.B) {
	hd := testHandler(b)
	h := Answer(func() *handlers.Handler { return hd }, newMemConversations(), 0, nil)
	m := &Message{Platform: DingTalk, UserID: "u", Text: "76号任务谁牵头"}
	ctx := b.Context()
	for b.Loop() {
		if _, err := h(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}
