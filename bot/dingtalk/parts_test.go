package dingtalk

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

var _ bot.PartCounter = (*Webhook)(nil)

// TestWebhookParts: Parts says how many messages Send posts, the mention
// line taken into account, so the scheduler can cut a digest into parts
// of one message each.
func TestWebhookParts(t *testing.T) {
	long := handlers.Reply{Head: "逾期任务"}
	for range 700 {
		long.Lines = append(long.Lines, strings.Repeat("住建局任务", 5))
	}
	mentioned := long
	mentioned.Mentions = []string{"13800000000"}
	short := handlers.Reply{Head: "一项", Lines: []string{"1. 任务"}, Mentions: []string{"13800000000"}}
	for _, r := range []handlers.Reply{long, mentioned, short} {
		fake := dingtalktest.NewServer(t)
		fake.SetNow(func() time.Time { return t0 })
		fake.AddRobot(token, secret)
		w := newTestWebhook(t, fake, WebhookConfig{Secret: secret})
		if err := w.Send(context.Background(), r); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if got, want := len(fake.Sent()), w.Parts(r); got != want {
			t.Errorf("%d lines, mentions %v: Send posted %d messages, Parts says %d", len(r.Lines), r.Mentions, got, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		err  *APIError
		want time.Duration
	}{
		{&APIError{Op: "send", Status: 200, Code: CodeRateLimited}, 10 * time.Minute},
		{&APIError{Op: "send", Status: 429}, time.Minute},
		{&APIError{Op: "send", Status: 200, Code: CodeSecurity}, 0},
		{&APIError{Op: "send", Status: 200, Code: CodeBusy}, 0},
	}
	for _, tt := range tests {
		if got := tt.err.RetryAfter(); got != tt.want {
			t.Errorf("%v: RetryAfter() = %v, want %v", tt.err, got, tt.want)
		}
	}
}
