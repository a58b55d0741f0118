package dingtalk

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
	"duban/outbound"
)

// TestWebhookParts: Send posts exactly the messages Render returns (their
// number is the reply's cost in sends), the mention line taken into
// account and every message within Limit, so the scheduler can cut a
// digest into parts of one message each; the credential-free format a dry
// run uses renders the same.
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
		msgs := w.Render(r)
		sent := fake.Sent()
		if len(sent) != len(msgs) {
			t.Fatalf("%d lines, mentions %v: Send posted %d messages, Render gave %d", len(r.Lines), r.Mentions, len(sent), len(msgs))
		}
		dry := WebhookFormat{}.Render(r)
		for i, m := range msgs {
			if sent[i].Text != m.Text || dry[i].Text != m.Text {
				t.Errorf("message %d: posted %q, rendered %q, dry run %q", i+1, sent[i].Text, m.Text, dry[i].Text)
			}
			if len(m.Text) > handlers.DingTalkMarkdown.Limit || len(m.Text)-len(mentionTail(r)) > w.Limit(r) {
				t.Errorf("message %d: %d bytes, over the limit %d", i+1, len(m.Text), w.Limit(r))
			}
		}
		if err := outbound.Send(context.Background(), w, handlers.Reply{}); err != outbound.ErrEmpty {
			t.Errorf("empty reply: %v, want outbound.ErrEmpty", err)
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

// mentionTail is what the first message adds after the rendered text.
func mentionTail(r handlers.Reply) string {
	if _, line := mentions(r.Mentions); line != "" {
		return "\n\n" + line
	}
	return ""
}
