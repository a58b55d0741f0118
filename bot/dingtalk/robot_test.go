package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

const appSecret = "robot-app-secret"

var t0 = time.Date(2020, 8, 25, 9, 0, 0, 0, shanghai)

// answer76 is the reply of the test handler.
var answer76 = handlers.Reply{
	Intent: "task_lead",
	Head:   "第76项 由住建局牵头",
	Lines:  []string{"牵头领导：张三", "完成时限：12月底前"},
	Cite:   "来源：测试任务表 第76项",
}

// setup returns a robot wired to a fake DingTalk at t0, and the message a
// group member sends, whose sessionWebhook points at the fake.
func setup(t *testing.T, cfg RobotConfig, h bot.HandlerFunc) (*Robot, *dingtalktest.Server, dingtalktest.Message) {
	t.Helper()
	fake := dingtalktest.NewServer(t)
	fake.SetNow(func() time.Time { return t0 })
	cfg.AppSecret = appSecret
	cfg.BaseURL = fake.URL
	cfg.Now = func() time.Time { return t0 }
	rb, err := NewRobot(cfg, h)
	if err != nil {
		t.Fatalf("NewRobot: %v", err)
	}
	t.Cleanup(func() { rb.Shutdown(context.Background()) })
	msg := dingtalktest.Message{
		MsgID: "msg-1", Text: "76号任务谁牵头", Group: true, AtRobot: true,
		ConversationID: "cidGroup==", SenderStaffID: "staff-1", SenderNick: "王五",
		SessionWebhook: fake.NewSession("sess-1", t0.Add(90*time.Minute)), CreateAt: t0,
	}
	return rb, fake, msg
}

// serve runs one signed request through rb.
func serve(rb http.Handler, body []byte, at time.Time) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	rb.ServeHTTP(rec, dingtalktest.SignedRequest("/dingtalk/robot", appSecret, at, body))
	return rec
}

func decodeMarkdown(t *testing.T, body []byte) payload {
	t.Helper()
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("response %q: %v", body, err)
	}
	if p.MsgType != "markdown" || p.Markdown == nil {
		t.Fatalf("response %s: want msgtype markdown", body)
	}
	return p
}

func TestRobotAnswersInResponse(t *testing.T) {
	var got *bot.Message
	rb, fake, msg := setup(t, RobotConfig{}, func(_ context.Context, m *bot.Message) (handlers.Reply, error) {
		got = m
		return answer76, nil
	})
	rec := serve(rb, msg.JSON(), t0.Add(-30*time.Second))

	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	p := decodeMarkdown(t, rec.Body.Bytes())
	if want := handlers.Render(answer76, handlers.DingTalkMarkdown)[0]; p.Markdown.Text != want {
		t.Errorf("markdown.text = %q, want %q", p.Markdown.Text, want)
	}
	if p.Markdown.Title != answer76.Head {
		t.Errorf("markdown.title = %q, want %q", p.Markdown.Title, answer76.Head)
	}
	want := bot.Message{Platform: bot.DingTalk, ID: "msg-1", ChatID: "cidGroup==", ChatType: "group",
		UserID: "staff-1", UserName: "王五", Text: "76号任务谁牵头"}
	if got == nil || *got != want {
		t.Errorf("handler got %+v, want %+v", got, want)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("fake got %d sessionWebhook posts, want 0", n)
	}
}

func TestRobotOverLoopback(t *testing.T) {
	rb, _, msg := setup(t, RobotConfig{}, func(context.Context, *bot.Message) (handlers.Reply, error) {
		return answer76, nil
	})
	srv := httptest.NewServer(rb)
	defer srv.Close()
	resp, err := srv.Client().Do(dingtalktest.SignedRequest(srv.URL+"/dingtalk/robot", appSecret, t0, msg.JSON()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	if p := decodeMarkdown(t, buf.Bytes()); !strings.Contains(p.Markdown.Text, "住建局") {
		t.Errorf("markdown.text = %q, want the answer", p.Markdown.Text)
	}
}

// slowHandler blocks until release is closed, so ServeHTTP gives up
// waiting without the test sleeping.
func slowHandler(r handlers.Reply, release <-chan struct{}) bot.HandlerFunc {
	return func(ctx context.Context, _ *bot.Message) (handlers.Reply, error) {
		<-release
		return r, nil
	}
}

func TestRobotAnswerGoesToSessionWebhook(t *testing.T) {
	tests := []struct {
		name string
		cfg  RobotConfig
	}{
		{"late answer", RobotConfig{ReplyWithin: time.Millisecond}},
		{"session only", RobotConfig{SessionOnly: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testSessionAnswer(t, tt.cfg) })
	}
}

func testSessionAnswer(t *testing.T, cfg RobotConfig) {
	release := make(chan struct{})
	rb, fake, msg := setup(t, cfg, slowHandler(answer76, release))
	if cfg.SessionOnly {
		close(release)
	}

	rec := serve(rb, msg.JSON(), t0)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("response = %d %q, want 200 with empty body", rec.Code, rec.Body)
	}
	if !cfg.SessionOnly {
		close(release)
	}
	if err := rb.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 1 {
		t.Fatalf("fake got %d posts (%+v), want 1", len(sent), fake.Requests())
	}
	s := sent[0]
	if s.Endpoint != "session" || s.Session != "sess-1" || s.MsgType != "markdown" {
		t.Errorf("post = %s %s %s, want session sess-1 markdown", s.Endpoint, s.Session, s.MsgType)
	}
	if want := handlers.Render(answer76, handlers.DingTalkMarkdown)[0]; s.Text != want || s.Title != answer76.Head {
		t.Errorf("post title %q text %q, want %q %q", s.Title, s.Text, answer76.Head, want)
	}
}

func TestRobotLongAnswerAllViaSessionWebhook(t *testing.T) {
	long := handlers.Reply{Head: "交通局牵头的任务"}
	for i := range 400 {
		long.Lines = append(long.Lines, strings.Repeat("任", 20)+string(rune('a'+i%26)))
	}
	want := handlers.Render(long, handlers.DingTalkMarkdown)
	if len(want) < 2 {
		t.Fatalf("fixture renders to %d piece, want several", len(want))
	}
	rb, fake, msg := setup(t, RobotConfig{}, func(context.Context, *bot.Message) (handlers.Reply, error) {
		return long, nil
	})
	rec := serve(rb, msg.JSON(), t0)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("response = %d, %d bytes; want 200 with empty body", rec.Code, rec.Body.Len())
	}
	rb.Shutdown(context.Background())
	sent := fake.Sent()
	if len(sent) != len(want) {
		t.Fatalf("fake got %d posts, want %d", len(sent), len(want))
	}
	for i, s := range sent {
		if s.Text != want[i] {
			t.Errorf("piece %d out of order or changed", i)
		}
	}
}

func TestRobotAnswersNothing(t *testing.T) {
	expired := func(m *dingtalktest.Message) { m.SessionExpires = t0.Add(-time.Minute) }
	foreign := func(m *dingtalktest.Message) { m.SessionWebhook = "http://127.0.0.1:1/robot/sendBySession?session=x" }
	notAt := func(m *dingtalktest.Message) { m.AtRobot = false }
	blank := func(m *dingtalktest.Message) { m.Text = "  " }
	ok := func(context.Context, *bot.Message) (handlers.Reply, error) { return answer76, nil }
	tests := []struct {
		name     string
		edit     func(*dingtalktest.Message)
		h        bot.HandlerFunc
		slow     bool
		wantCall bool
	}{
		{"group message without @", notAt, ok, false, false},
		{"no text", blank, ok, false, false},
		{"handler error", nil, func(context.Context, *bot.Message) (handlers.Reply, error) {
			return handlers.Reply{}, context.DeadlineExceeded
		}, false, true},
		{"handler panic", nil, func(context.Context, *bot.Message) (handlers.Reply, error) { panic("boom") }, false, true},
		{"zero reply", nil, func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil }, false, true},
		{"late, session expired", expired, ok, true, true},
		{"late, session on another host", foreign, ok, true, true},
		{"late, handler panic", nil, func(context.Context, *bot.Message) (handlers.Reply, error) { panic("boom") }, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			release := make(chan struct{})
			cfg := RobotConfig{}
			if tt.slow {
				cfg.ReplyWithin = time.Millisecond
			}
			rb, fake, msg := setup(t, cfg, func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
				calls.Add(1)
				if tt.slow {
					<-release
				}
				return tt.h(ctx, m)
			})
			if tt.edit != nil {
				tt.edit(&msg)
			}
			rec := serve(rb, msg.JSON(), t0)
			close(release)
			rb.Shutdown(context.Background())
			if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
				t.Errorf("response = %d %q, want 200 with empty body", rec.Code, rec.Body)
			}
			if got := calls.Load() == 1; got != tt.wantCall {
				t.Errorf("handler called = %v, want %v", got, tt.wantCall)
			}
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("fake got %d posts, want 0", n)
			}
		})
	}
}
