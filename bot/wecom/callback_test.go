package wecom

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"duban/bot"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

func TestAppVerifyURL(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	rec := &recorder{}
	_, url := appCallback(t, fake, rec, nil)
	cb, err := fake.App.VerifyURL(url, testNow, "n1", "5927782489442352469")
	if err != nil {
		t.Fatal(err)
	}
	status, body := send(t, cb)
	if status != 200 || string(body) != "5927782489442352469" {
		t.Fatalf("verify = %d %q", status, body)
	}
	if len(rec.seen()) != 0 {
		t.Error("handler called on URL verification")
	}
}

// TestAppVectorV1OverHTTP runs the official GET sample through ServeHTTP,
// with the '+' and '/' of echostr URL-encoded as WeCom sends them.
func TestAppVectorV1OverHTTP(t *testing.T) {
	cb, err := NewCallback(CallbackConfig{CorpID: vReceiveID, Token: vToken, EncodingAESKey: vAESKey,
		MaxSkew: -1, Logger: quiet}, (&recorder{}).handle)
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, cb) + "?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780" +
		"&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D"
	status, body := send(t, &wecomtest.Callback{Method: "GET", URL: url})
	if status != 200 || string(body) != "1616140317555161061" {
		t.Fatalf("V1 over HTTP = %d %q", status, body)
	}
}

type passiveReply struct {
	ToUserName, FromUserName, MsgType, Content string
	CreateTime                                 int64
}

func TestAppQuestionAnswered(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	rec := &recorder{answer: func(_ context.Context, m *bot.Message) (handlers.Reply, error) {
		if m.Text != "76号任务谁牵头" {
			return handlers.Reply{Head: "不明白"}, nil
		}
		return handlers.Reply{Head: "第76项由市交通运输局牵头", Cite: "来源：重点工作任务分解表 第76项"}, nil
	}}
	_, url := appCallback(t, fake, rec, nil)
	msg := wecomtest.TextMessage(fake.Opts.CorpID, "zhangsan", "  76号任务谁牵头\n", "4561255354251345929", fake.Opts.AgentID, testNow)
	cb, err := fake.App.EncryptedCallback(url, testNow, "nonce-1", fake.Opts.AgentID, msg)
	if err != nil {
		t.Fatal(err)
	}
	for attempt := range 2 { // WeCom's retry sends the same bytes again
		status, body := send(t, cb)
		if status != 200 {
			t.Fatalf("status %d %s", status, body)
		}
		plain, err := fake.App.OpenXMLReply(body, "nonce-1")
		if err != nil {
			t.Fatalf("attempt %d: %v\n%s", attempt, err, body)
		}
		var r passiveReply
		if err := xml.Unmarshal(plain, &r); err != nil {
			t.Fatal(err)
		}
		want := passiveReply{ToUserName: "zhangsan", FromUserName: fake.Opts.CorpID, MsgType: "text",
			Content: "第76项由市交通运输局牵头\n来源：重点工作任务分解表 第76项", CreateTime: testNow.Unix()}
		if r != want {
			t.Errorf("reply = %+v\nwant %+v", r, want)
		}
	}
	seen := rec.seen()
	want := bot.Message{Platform: bot.WeComApp, ID: "4561255354251345929", ChatType: "single", UserID: "zhangsan", Text: "76号任务谁牵头"}
	if len(seen) != 2 || seen[0] != want || seen[1] != want {
		t.Errorf("handler saw %+v, want twice %+v (dedup is bot middleware's)", seen, want)
	}
	if len(fake.Sent()) != 0 {
		t.Error("a passive answer was also sent asynchronously")
	}
}

func TestAppIgnoresEventsAndMedia(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	rec := &recorder{}
	_, url := appCallback(t, fake, rec, nil)
	image := strings.Replace(string(wecomtest.TextMessage(fake.Opts.CorpID, "u", "x", "1", 1, testNow)),
		"[text]", "[image]", 1)
	for name, plain := range map[string][]byte{
		"event": wecomtest.EventMessage(fake.Opts.CorpID, "u", "enter_agent", fake.Opts.AgentID, testNow),
		"image": []byte(image),
		"blank": wecomtest.TextMessage(fake.Opts.CorpID, "u", " \n ", "2", 1, testNow),
	} {
		cb, _ := fake.App.EncryptedCallback(url, testNow, "n", 1, plain)
		if status, body := send(t, cb); status != 200 || len(body) != 0 {
			t.Errorf("%s: %d %q, want empty 200", name, status, body)
		}
	}
	if len(rec.seen()) != 0 {
		t.Errorf("handler called: %+v", rec.seen())
	}
}

// TestAppLateAnswer: the handler is still working at the deadline, so the
// callback returns an empty 200 and the answer goes out by message/send.
func TestAppLateAnswer(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	release := make(chan struct{})
	rec := &recorder{answer: func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		<-release // held until the callback has answered
		return handlers.Reply{Head: "迟到的答案"}, nil
	}}
	cb, url := appCallback(t, fake, rec, func(c *CallbackConfig) { c.Deadline = 1 })
	req, _ := fake.App.EncryptedCallback(url, testNow, "n", 1,
		wecomtest.TextMessage(fake.Opts.CorpID, "lisi", "8月底前要完成哪些", "77", 1, testNow))
	status, body := send(t, req)
	if status != 200 || len(body) != 0 {
		t.Fatalf("late: %d %q, want empty 200", status, body)
	}
	close(release)
	cb.Wait()
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].Endpoint != wecomtest.MessageSend || sent[0].ToUser != "lisi" ||
		sent[0].Content != "迟到的答案" || sent[0].AgentID != fake.Opts.AgentID {
		t.Fatalf("sent %+v", sent)
	}
}

// TestAppLongAnswerGoesAsync: an answer longer than one passive message is
// sent in order through message/send, every piece within 2048 bytes.
func TestAppLongAnswerGoesAsync(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	lines := make([]string, 120)
	for i := range lines {
		lines[i] = strings.Repeat("任务", 10)
	}
	rec := &recorder{answer: func(context.Context, *bot.Message) (handlers.Reply, error) {
		return handlers.Reply{Head: "很多任务", Lines: lines}, nil
	}}
	cb, url := appCallback(t, fake, rec, nil)
	req, _ := fake.App.EncryptedCallback(url, testNow, "n", 1,
		wecomtest.TextMessage(fake.Opts.CorpID, "u1", "交通局牵头哪些任务", "78", 1, testNow))
	if status, body := send(t, req); status != 200 || len(body) != 0 {
		t.Fatalf("%d %q", status, body)
	}
	cb.Wait()
	sent := fake.Sent()
	if len(sent) < 2 {
		t.Fatalf("sent %d messages, want ≥ 2", len(sent))
	}
	var got []string
	for _, s := range sent {
		got = append(got, s.Content)
	}
	if want := handlers.Render(handlers.Reply{Head: "很多任务", Lines: lines}, handlers.WeComText); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Error("async pieces differ from the rendered answer or are out of order")
	}
}

func TestAppHandlerErrorAndPanic(t *testing.T) {
	for name, answer := range map[string]func(context.Context, *bot.Message) (handlers.Reply, error){
		"error": func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, context.Canceled },
		"panic": func(context.Context, *bot.Message) (handlers.Reply, error) { panic("boom") },
	} {
		t.Run(name, func(t *testing.T) {
			fake := wecomtest.New(t, wecomtest.Options{})
			_, url := appCallback(t, fake, &recorder{answer: answer}, nil)
			req, _ := fake.App.EncryptedCallback(url, testNow, "n", 1,
				wecomtest.TextMessage(fake.Opts.CorpID, "u", "q", "1", 1, testNow))
			if status, body := send(t, req); status != http.StatusOK || len(body) != 0 {
				t.Errorf("%d %q, want empty 200", status, body)
			}
		})
	}
}
