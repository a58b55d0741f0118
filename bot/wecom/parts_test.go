package wecom

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"duban/bot/wecom/wecomtest"
	"duban/handlers"
	"duban/outbound"
)

// TestRenderIsWhatIsPosted: every sender posts exactly the messages its
// Render returns (their number is the reply's cost in sends, the bodies
// byte for byte), with or without mentions, and the credential-free
// formats a dry run uses render the same texts.
func TestRenderIsWhatIsPosted(t *testing.T) {
	long := handlers.Reply{Head: "全部任务"}
	for i := range 300 {
		long.Lines = append(long.Lines, fmt.Sprintf("%d. 第%d项 推进城市更新和老旧小区改造", i+1, i+1))
	}
	mentioned := long
	mentioned.Mentions = []string{"13800000000"}
	short := handlers.Reply{Head: "一项任务", Lines: []string{"1. 第1项"}}
	for _, r := range []handlers.Reply{long, mentioned, short} {
		fake := wecomtest.New(t, wecomtest.Options{})
		a := newApp(t, fake)
		senders := []struct {
			name   string
			s      outbound.Sender
			format outbound.Renderer // what a dry run renders with; nil: none
		}{
			{"webhook", newWebhook(t, fake, "fake-webhook-key"), WebhookFormat{}},
			{"appchat text", a.Chat("zjjchat01", false), AppChatFormat{}},
			{"appchat markdown", a.Chat("zjjchat01", true), AppChatFormat{Markdown: true}},
			{"app message", a.Users("zhangsan"), nil},
		}
		for _, sd := range senders {
			before := len(fake.Sent())
			if err := outbound.Send(context.Background(), sd.s, r); err != nil {
				t.Fatal(err)
			}
			msgs := sd.s.Render(r)
			sent := fake.Sent()[before:]
			if len(sent) != len(msgs) {
				t.Fatalf("%s, %d lines, mentions %v: posted %d messages, Render gave %d", sd.name, len(r.Lines), r.Mentions, len(sent), len(msgs))
			}
			for i, m := range msgs {
				if sent[i].Content != m.Text || !bytes.Equal(bytes.TrimSpace(sent[i].Body), m.Body) {
					t.Errorf("%s: message %d posted %q, rendered %q", sd.name, i+1, sent[i].Body, m.Body)
				}
				if len(m.Text) > sd.s.Limit(r) {
					t.Errorf("%s: message %d is %d bytes, over its limit %d", sd.name, i+1, len(m.Text), sd.s.Limit(r))
				}
			}
			if sd.format == nil {
				continue
			}
			fm := sd.format.Render(r)
			if len(fm) != len(msgs) || sd.format.Limit(r) != sd.s.Limit(r) {
				t.Fatalf("%s: dry-run format renders %d messages (limit %d), the sender %d (limit %d)", sd.name, len(fm), sd.format.Limit(r), len(msgs), sd.s.Limit(r))
			}
			for i := range fm {
				if fm[i].Text != msgs[i].Text {
					t.Errorf("%s: message %d: dry run %q, sender %q", sd.name, i+1, fm[i].Text, msgs[i].Text)
				}
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		err  *APIError
		want time.Duration
	}{
		{&APIError{Op: "webhook/send", Status: 200, Code: 45009}, time.Minute},
		{&APIError{Op: "webhook/send", Status: 200, Code: 45033}, time.Minute},
		{&APIError{Op: "webhook/send", Status: http.StatusTooManyRequests}, time.Minute},
		{&APIError{Op: "webhook/send", Status: 200, Code: 93000}, 0},
		{&APIError{Op: "webhook/send", Status: 502}, 0},
	}
	for _, tt := range tests {
		if got := tt.err.RetryAfter(); got != tt.want {
			t.Errorf("%v: RetryAfter() = %v, want %v", tt.err, got, tt.want)
		}
	}
}
