package dingtalk

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

// BenchmarkRobot measures the full inbound path: verify the signature,
// read and parse the body, call a trivial handler, render and write the
// markdown reply.
func BenchmarkRobot(b *testing.B) {
	rb, err := NewRobot(RobotConfig{AppSecret: appSecret, Now: func() time.Time { return t0 }},
		func(context.Context, *bot.Message) (handlers.Reply, error) { return answer76, nil })
	if err != nil {
		b.Fatal(err)
	}
	body := dingtalktest.Message{MsgID: "m1", Text: "@张三 76号任务谁牵头", Group: true, AtRobot: true,
		ConversationID: "cidGroup==", SenderStaffID: "staff-1", SenderNick: "王五",
		SessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=s", CreateAt: t0}.JSON()
	req := dingtalktest.SignedRequest("/dingtalk/robot", appSecret, t0, body)
	b.ReportAllocs()
	for b.Loop() {
		req.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		rb.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.Len() == 0 {
			b.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
		}
	}
}
