package dingtalk

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

// FuzzRobot drives verify-and-parse with arbitrary bodies and headers,
// signed correctly or not: no panic, only the documented statuses, and the
// handler runs only for a verified, parsed message.
//
//	go test -run '^$' -fuzz FuzzRobot -fuzztime 30s ./bot/dingtalk
func FuzzRobot(f *testing.F) {
	ts := strconv.FormatInt(t0.UnixMilli(), 10)
	msg := dingtalktest.Message{MsgID: "m1", Text: "76号任务谁牵头", Group: true, AtRobot: true, CreateAt: t0}
	f.Add(msg.JSON(), ts, true)
	f.Add(msg.JSON(), ts, false)
	f.Add([]byte(`{"msgId":"m","conversationType":"1","text":{"content":" @a 问"}}`), ts, true)
	f.Add([]byte(`{"msgId":"m","conversationType":"2","isInAtList":false}`), ts, true)
	f.Add([]byte(`{"msgtype":"richText","content":{"richText":[{"text":"x"}]},"msgId":"m","conversationType":"1"}`), ts, true)
	f.Add([]byte(`{`), "1577262236757", true)
	f.Add([]byte(`null`), "-1", true)

	rb, err := NewRobot(RobotConfig{AppSecret: appSecret, MaxBodyBytes: 4096, Now: func() time.Time { return t0 }},
		func(_ context.Context, m *bot.Message) (handlers.Reply, error) {
			if m.ID == "" || m.Text == "" {
				panic("handler got an unparsed message")
			}
			return handlers.Reply{Head: m.Text, Lines: []string{m.UserName}}, nil
		})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, timestamp string, signed bool) {
		req := httptest.NewRequest(http.MethodPost, "/dingtalk/robot", bytes.NewReader(body))
		req.Header.Set("timestamp", timestamp)
		sig := "bm90IGEgc2lnbg=="
		if signed {
			sig = dingtalktest.Sign(timestamp, appSecret)
		}
		req.Header.Set("sign", sig)
		rec := httptest.NewRecorder()
		rb.ServeHTTP(rec, req)

		verified := Verify(appSecret, timestamp, sig, t0, DefaultWindow) == nil
		switch rec.Code {
		case http.StatusOK:
			if !verified {
				t.Fatalf("200 for an unverified request (ts %q)", timestamp)
			}
			if rec.Body.Len() > 0 {
				if _, err := ParseCallback(body); err != nil {
					t.Fatalf("answered an unparsable body: %v", err)
				}
			}
		case http.StatusUnauthorized:
			if verified {
				t.Fatalf("401 for a verified request")
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if !verified {
				t.Fatalf("%d before verification", rec.Code)
			}
		default:
			t.Fatalf("status %d", rec.Code)
		}
	})
}
