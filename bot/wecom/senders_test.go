package wecom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

var reply = handlers.Reply{Head: "住建局 3项任务即将到期", Lines: []string{"1. 第12项 老旧小区改造 8月底前", "2. 第40项 *海绵城市* 12月底前"}}

func newWebhook(t *testing.T, fake *wecomtest.Server, key string) *Webhook {
	t.Helper()
	w, err := NewWebhook(WebhookConfig{Key: Secret(key), BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWebhookMarkdownAndMentions(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	w := newWebhook(t, fake, "fake-webhook-key")
	ctx := context.Background()
	if err := w.Send(ctx, reply); err != nil {
		t.Fatal(err)
	}
	withMentions := reply
	withMentions.Mentions = []string{"13800000000", "zhangsan", "@all"}
	if err := w.Send(ctx, withMentions); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 2 {
		t.Fatalf("sent %d", len(sent))
	}
	if sent[0].MsgType != "markdown" || sent[0].Content != handlers.Render(reply, handlers.WeComMarkdown)[0] {
		t.Errorf("markdown: %+v", sent[0])
	}
	m := sent[1]
	if m.MsgType != "text" || m.Content != handlers.Render(reply, handlers.WeComText)[0] ||
		fmt.Sprint(m.MentionedMobileList) != "[13800000000]" || fmt.Sprint(m.MentionedList) != "[zhangsan @all]" {
		t.Errorf("text with mentions: %+v", m)
	}
}

func TestWebhookSplitsLongReplies(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	w := newWebhook(t, fake, "fake-webhook-key")
	long := handlers.Reply{Head: "全部任务"}
	for i := range 300 {
		long.Lines = append(long.Lines, fmt.Sprintf("%d. 第%d项 推进城市更新和老旧小区改造", i+1, i+1))
	}
	long.Mentions = []string{"13800000000"}
	if err := w.Send(context.Background(), long); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	want := handlers.Render(long, handlers.WeComText)
	if len(sent) != len(want) || len(want) < 2 {
		t.Fatalf("sent %d pieces, want %d (>1)", len(sent), len(want))
	}
	for i, s := range sent {
		if s.Content != want[i] {
			t.Errorf("piece %d differs", i)
		}
		if (i == 0) != (len(s.MentionedMobileList) > 0) {
			t.Errorf("piece %d mentions %v: want them on the first piece only", i, s.MentionedMobileList)
		}
	}
}

func TestSenderErrors(t *testing.T) {
	const key = "fake-webhook-key"
	tests := []struct {
		name      string
		fail      wecomtest.Failure
		key       string
		code      int
		status    int
		retryable bool
		net       bool
	}{
		{"rate limited", wecomtest.Failure{ErrCode: 45009, ErrMsg: "api freq out of limit"}, key, 45009, 200, true, false},
		{"system busy", wecomtest.Failure{ErrCode: -1, ErrMsg: "system busy"}, key, -1, 200, true, false},
		{"http 500", wecomtest.Failure{Status: 500}, key, 0, 500, true, false},
		{"http 429", wecomtest.Failure{Status: 429}, key, 0, 429, true, false},
		{"bad key", wecomtest.Failure{}, "wrong-key-0123456789", 93000, 200, false, false},
		{"slow", wecomtest.Failure{Delay: time.Hour}, key, 0, 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := wecomtest.New(t, wecomtest.Options{})
			if tt.fail != (wecomtest.Failure{}) {
				fake.Fail(wecomtest.Webhook, tt.fail)
			}
			w := newWebhook(t, fake, tt.key)
			ctx := context.Background()
			if tt.net {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
			}
			err := w.Send(ctx, reply)
			var re bot.RetryableError
			if !errors.As(err, &re) || re.Retryable() != tt.retryable {
				t.Fatalf("err %v: retryable %v, want %v", err, re != nil && re.Retryable(), tt.retryable)
			}
			if strings.Contains(err.Error(), tt.key) {
				t.Errorf("error leaks the webhook key: %v", err)
			}
			var ae *APIError
			var ne *NetError
			switch {
			case tt.net:
				if !errors.As(err, &ne) || !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("want a NetError wrapping DeadlineExceeded, got %v", err)
				}
			case !errors.As(err, &ae) || ae.Code != tt.code || ae.Status != tt.status:
				t.Errorf("want APIError code %d status %d, got %v", tt.code, tt.status, err)
			}
		})
	}
}

func TestNetErrorRedactsKey(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there any more
	w, err := NewWebhook(WebhookConfig{Key: "super-secret-key-42", BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Send(context.Background(), reply)
	var ne *NetError
	if !errors.As(err, &ne) || !ne.Retryable() {
		t.Fatalf("want retryable NetError, got %v", err)
	}
	if strings.Contains(err.Error(), "super-secret-key-42") || !strings.Contains(err.Error(), "key=REDACTED") {
		t.Errorf("error = %v", err)
	}
}

func newApp(t *testing.T, fake *wecomtest.Server) *App {
	t.Helper()
	a, err := NewApp(AppConfig{CorpID: fake.Opts.CorpID, AgentID: fake.Opts.AgentID,
		Secret: Secret(fake.Opts.Secret), BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAppChatAndMessage(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	a := newApp(t, fake)
	ctx := context.Background()
	if err := a.Chat("zjjchat01", false).Send(ctx, reply); err != nil {
		t.Fatal(err)
	}
	if err := a.Chat("zjjchat01", true).Send(ctx, reply); err != nil {
		t.Fatal(err)
	}
	if err := a.Users("zhangsan", "lisi").Send(ctx, reply); err != nil {
		t.Fatal(err)
	}
	if n := fake.Calls(wecomtest.GetToken); n != 1 {
		t.Errorf("gettoken called %d times, want 1 (cached)", n)
	}
	sent := fake.Sent()
	if len(sent) != 3 || sent[0].ChatID != "zjjchat01" || sent[0].MsgType != "text" ||
		sent[1].MsgType != "markdown" || sent[2].ToUser != "zhangsan|lisi" || sent[2].AgentID != fake.Opts.AgentID {
		t.Errorf("sent %+v", sent)
	}
}

func TestAppTokenRefresh(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(*wecomtest.Server)
		ok       bool
		gettoken int
	}{
		{"expired 42001 refreshes once", func(f *wecomtest.Server) { f.ExpireTokens() }, true, 2},
		{"invalid 40014 refreshes once", func(f *wecomtest.Server) {
			f.Fail(wecomtest.AppChatSend, wecomtest.Failure{ErrCode: 40014, ErrMsg: "invalid access_token"})
		}, true, 2},
		{"still invalid after refresh", func(f *wecomtest.Server) {
			f.Fail(wecomtest.AppChatSend, wecomtest.Failure{ErrCode: 40014}, wecomtest.Failure{ErrCode: 40014})
		}, false, 2},
		{"rate limited is not a token problem", func(f *wecomtest.Server) {
			f.Fail(wecomtest.AppChatSend, wecomtest.Failure{ErrCode: 45009})
		}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := wecomtest.New(t, wecomtest.Options{})
			a := newApp(t, fake)
			chat := a.Chat("chat1", false)
			ctx := context.Background()
			if err := chat.Send(ctx, reply); err != nil { // caches a token
				t.Fatal(err)
			}
			tt.setup(fake)
			err := chat.Send(ctx, reply)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if n := fake.Calls(wecomtest.GetToken); n != tt.gettoken {
				t.Errorf("gettoken called %d times, want %d", n, tt.gettoken)
			}
			if err != nil && strings.Contains(err.Error(), fake.Opts.Secret) {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestGetTokenFailure(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	a, _ := NewApp(AppConfig{CorpID: fake.Opts.CorpID, AgentID: 1, Secret: "wrong-secret-123", BaseURL: fake.URL})
	err := a.SendToUser(context.Background(), "u", reply)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Op != "gettoken" || ae.Code != 40001 || ae.Retryable() {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret-123") {
		t.Errorf("leak: %v", err)
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	s := Secret("hunter2-secret")
	cfg := WebhookConfig{Key: s}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("cfg", "key", s, "cfg", cfg)
	out := fmt.Sprintf("%v %+v %#v %s %q %x", s, cfg, cfg, s, s, s) + buf.String()
	if strings.Contains(out, "hunter2") {
		t.Errorf("secret printed: %s", out)
	}
	if Secret("").String() != "" {
		t.Error("an empty secret should print empty")
	}
}

func TestConstructorsValidate(t *testing.T) {
	key := Secret("k")
	if _, err := NewWebhook(WebhookConfig{}); err == nil {
		t.Error("webhook without key")
	}
	if _, err := NewWebhook(WebhookConfig{Key: key, BaseURL: "ftp://x"}); err == nil {
		t.Error("webhook with ftp base URL")
	}
	if _, err := NewApp(AppConfig{CorpID: "c"}); err == nil {
		t.Error("app without secret")
	}
	if _, err := NewAppChat(AppChatConfig{AppConfig: AppConfig{CorpID: "c", Secret: "s"}}); err == nil {
		t.Error("appchat without chat id")
	}
	h := (&recorder{}).handle
	if _, err := NewCallback(CallbackConfig{CorpID: "c", Token: "t", EncodingAESKey: "short"}, h); err == nil {
		t.Error("callback with short AES key")
	}
	if _, err := NewAIBotCallback(AIBotConfig{EncodingAESKey: vAESKey}, h); err == nil {
		t.Error("AI bot without token")
	}
}

func TestEmptyReplyRefused(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	a := newApp(t, fake)
	for name, s := range map[string]bot.Sender{
		"webhook": newWebhook(t, fake, "fake-webhook-key"),
		"appchat": a.Chat("c1", true),
		"message": a.Users("u1"),
	} {
		if err := s.Send(context.Background(), handlers.Reply{}); !errors.Is(err, ErrEmptyReply) {
			t.Errorf("%s: err = %v, want ErrEmptyReply", name, err)
		}
	}
	if len(fake.Sent()) != 0 {
		t.Error("an empty reply was sent")
	}
}
