package dingtalk

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

const (
	token  = "tok-5ecret-access"
	secret = "SECsigning-5ecret"
)

func TestWebhookURLVectorD2(t *testing.T) {
	w, err := NewWebhook(WebhookConfig{AccessToken: "XXX", Secret: d2Secret,
		Now: func() time.Time { return time.UnixMilli(1577262236757) }})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.url(), "https://oapi.dingtalk.com/robot/send"+d2Query; got != want {
		t.Errorf("url() = %q, want %q", got, want)
	}
}

func newTestWebhook(t *testing.T, fake *dingtalktest.Server, cfg WebhookConfig) *Webhook {
	t.Helper()
	if cfg.AccessToken == "" {
		cfg.AccessToken = token
	}
	cfg.BaseURL = fake.URL
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return t0 }
	}
	w, err := NewWebhook(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWebhookWireFormat(t *testing.T) {
	fake := dingtalktest.NewServer(t)
	fake.SetNow(func() time.Time { return t0.Add(2 * time.Second) })
	fake.AddRobot(token, secret)
	w := newTestWebhook(t, fake, WebhookConfig{Secret: secret})

	r := answer76
	r.Mentions = []string{"13800000000", "user123"}
	if err := w.Send(context.Background(), r); err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := fake.Sent()
	if len(sent) != 1 {
		t.Fatalf("fake accepted %d posts, want 1: %+v", len(sent), fake.Requests())
	}
	s := sent[0]
	wantText := handlers.Render(answer76, handlers.DingTalkMarkdown)[0] + "\n\n@13800000000 @user123"
	checks := []struct {
		what      string
		got, want any
	}{
		{"endpoint", s.Endpoint, "robot"},
		{"access_token", s.AccessToken, token},
		{"timestamp", s.Timestamp, fmt.Sprint(t0.UnixMilli())},
		{"content type", s.ContentType, "application/json; charset=utf-8"},
		{"msgtype", s.MsgType, "markdown"},
		{"title", s.Title, answer76.Head},
		{"text", s.Text, wantText},
		{"atMobiles", fmt.Sprint(s.AtMobiles), "[13800000000]"},
		{"atUserIds", fmt.Sprint(s.AtUserIDs), "[user123]"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestWebhookWithoutSecret(t *testing.T) {
	fake := dingtalktest.NewServer(t)
	fake.AddRobot(token, "")
	w := newTestWebhook(t, fake, WebhookConfig{Now: time.Now})
	if err := w.Send(context.Background(), handlers.Reply{Lines: []string{"提醒"}}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	s := fake.Sent()
	if len(s) != 1 || s[0].Timestamp != "" || s[0].Sign != "" || s[0].Title != defaultTitle || len(s[0].AtMobiles) > 0 {
		t.Errorf("sent %+v, want one unsigned post titled %q", s, defaultTitle)
	}
}

func TestWebhookSplitsLongReplies(t *testing.T) {
	fake := dingtalktest.NewServer(t)
	fake.SetNow(func() time.Time { return t0 })
	fake.AddRobot(token, secret)
	w := newTestWebhook(t, fake, WebhookConfig{Secret: secret})
	long := handlers.Reply{Head: "逾期任务", Mentions: []string{"13800000000"}}
	for range 700 {
		long.Lines = append(long.Lines, strings.Repeat("住建局任务", 5))
	}
	if err := w.Send(context.Background(), long); err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := fake.Sent()
	if len(sent) < 2 {
		t.Fatalf("fake accepted %d posts, want several", len(sent))
	}
	var total int
	for i, s := range sent {
		if len(s.Text) > dingtalktest.MaxTextBytes {
			t.Errorf("piece %d is %d bytes, over %d", i, len(s.Text), dingtalktest.MaxTextBytes)
		}
		if mentioned := len(s.AtMobiles) > 0 && strings.HasSuffix(s.Text, "@13800000000"); mentioned != (i == 0) {
			t.Errorf("piece %d mentions = %v, want only on the first piece", i, mentioned)
		}
		total += strings.Count(s.Text, "住建局任务住建局任务住建局任务住建局任务住建局任务")
	}
	if total != 700 {
		t.Errorf("pieces hold %d lines, want 700", total)
	}
}
