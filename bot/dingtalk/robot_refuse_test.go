package dingtalk

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

func TestRobotRefusesBadInput(t *testing.T) {
	valid := dingtalktest.Message{MsgID: "m1", Text: "76号任务谁牵头", Group: true, AtRobot: true,
		ConversationID: "cid==", SenderStaffID: "s1", CreateAt: t0}.JSON()
	huge := append(bytes.Repeat([]byte(" "), DefaultMaxBodyBytes), valid...)
	signed := func(body []byte, secret string, at time.Time) *http.Request {
		return dingtalktest.SignedRequest("/dingtalk/robot", secret, at, body)
	}
	tests := []struct {
		name string
		req  *http.Request
		want int
	}{
		{"GET", httptest.NewRequest(http.MethodGet, "/dingtalk/robot", nil), http.StatusMethodNotAllowed},
		{"missing headers", httptest.NewRequest(http.MethodPost, "/dingtalk/robot", bytes.NewReader(valid)), http.StatusUnauthorized},
		{"missing sign", func() *http.Request { r := signed(valid, appSecret, t0); r.Header.Del("sign"); return r }(), http.StatusUnauthorized},
		{"missing timestamp", func() *http.Request { r := signed(valid, appSecret, t0); r.Header.Del("timestamp"); return r }(), http.StatusUnauthorized},
		{"wrong secret", signed(valid, "another-secret", t0), http.StatusUnauthorized},
		{"sign of another timestamp", func() *http.Request {
			r := signed(valid, appSecret, t0)
			r.Header.Set("timestamp", r.Header.Get("timestamp")[:12]+"9")
			return r
		}(), http.StatusUnauthorized},
		{"stale timestamp (61 min)", signed(valid, appSecret, t0.Add(-61*time.Minute)), http.StatusUnauthorized},
		{"future timestamp (61 min)", signed(valid, appSecret, t0.Add(61*time.Minute)), http.StatusUnauthorized},
		{"malformed JSON", signed([]byte(`{"msgId":"m1","text":{"content":`), appSecret, t0), http.StatusBadRequest},
		{"XML body", signed([]byte(`<xml><MsgId>1</MsgId></xml>`), appSecret, t0), http.StatusBadRequest},
		{"empty body", signed(nil, appSecret, t0), http.StatusBadRequest},
		{"no msgId", signed([]byte(`{"conversationType":"1","text":{"content":"hi"}}`), appSecret, t0), http.StatusBadRequest},
		{"huge body", signed(huge, appSecret, t0), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			rb, fake, _ := setup(t, RobotConfig{}, func(context.Context, *bot.Message) (handlers.Reply, error) {
				called = true
				return answer76, nil
			})
			rec := httptest.NewRecorder()
			rb.ServeHTTP(rec, tt.req)
			if rec.Code != tt.want {
				t.Errorf("status = %d, want %d", rec.Code, tt.want)
			}
			if called {
				t.Error("handler called, want refused before it")
			}
			if strings.Contains(rec.Body.String(), appSecret) || len(fake.Requests()) != 0 {
				t.Errorf("body %q / %d posts: want a bare status", rec.Body, len(fake.Requests()))
			}
		})
	}
}

func TestReplySession(t *testing.T) {
	fake := dingtalktest.NewServer(t)
	fake.SetNow(func() time.Time { return t0 })
	live := fake.NewSession("sess-live-5ecret", t0.Add(time.Hour))
	dead := fake.NewSession("sess-dead-5ecret", t0.Add(-time.Second))

	if err := ReplySession(context.Background(), nil, live, answer76); err != nil {
		t.Fatalf("ReplySession(live) = %v", err)
	}
	if s := fake.Sent(); len(s) != 1 || s[0].Session != "sess-live-5ecret" || s[0].Title != answer76.Head {
		t.Errorf("fake got %+v, want one markdown post to the live session", s)
	}

	err := ReplySession(context.Background(), nil, dead, answer76)
	checkSendError(t, err, dingtalktest.CodeBadToken, false, "sess-dead-5ecret")

	fake.Fail(dingtalktest.Failure{Status: http.StatusServiceUnavailable})
	err = ReplySession(context.Background(), nil, live, answer76)
	checkSendError(t, err, 0, true, "sess-live-5ecret")
}
