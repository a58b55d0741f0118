package wecom

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

var (
	_ bot.PartCounter = (*Webhook)(nil)
	_ bot.PartCounter = (*AppChat)(nil)
	_ bot.PartCounter = (*AppMessage)(nil)
)

// TestPartsCountPosts: Parts says how many messages Send posts, for every
// sender and with or without mentions, so the scheduler can cut a digest
// into parts of one message each.
func TestPartsCountPosts(t *testing.T) {
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
			name string
			s    interface {
				bot.Sender
				bot.PartCounter
			}
		}{
			{"webhook", newWebhook(t, fake, "fake-webhook-key")},
			{"appchat text", a.Chat("zjjchat01", false)},
			{"appchat markdown", a.Chat("zjjchat01", true)},
			{"app message", a.Users("zhangsan")},
		}
		for _, sd := range senders {
			before := len(fake.Sent())
			if err := sd.s.Send(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if got, want := len(fake.Sent())-before, sd.s.Parts(r); got != want {
				t.Errorf("%s, %d lines, mentions %v: Send posted %d messages, Parts says %d", sd.name, len(r.Lines), r.Mentions, got, want)
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
