package wecom

import (
	"context"
	"encoding/json"
	"testing"

	"duban/bot"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

func TestAIBotVerifyURL(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	_, url := aibotCallback(t, fake, &recorder{}, nil)
	cb, _ := fake.AIBot.VerifyURL(url, testNow, "n", "echo-123")
	if status, body := send(t, cb); status != 200 || string(body) != "echo-123" {
		t.Fatalf("verify = %d %q", status, body)
	}
}

type stream struct {
	MsgType string `json:"msgtype"`
	Stream  struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
}

func TestAIBotQuestionAnswered(t *testing.T) {
	answer := handlers.Reply{Head: "第76项由市交通运输局牵头", Cite: "来源：第76项"}
	tests := []struct {
		name, chatID, content, botName string
		want                           bot.Message
	}{
		{"group", "wrkSFfCgAAxxx", "@督办\u2005 76号任务谁牵头", "",
			bot.Message{Platform: bot.WeComAIBot, ID: "m-group", ChatID: "wrkSFfCgAAxxx", ChatType: "group", UserID: "wangwu", Text: "76号任务谁牵头"}},
		{"group with name", "c2", "请问@督办 76号任务谁牵头", "督办",
			bot.Message{Platform: bot.WeComAIBot, ID: "m-group with name", ChatID: "c2", ChatType: "group", UserID: "wangwu", Text: "请问  76号任务谁牵头"}},
		{"single", "", "76号任务谁牵头", "",
			bot.Message{Platform: bot.WeComAIBot, ID: "m-single", ChatType: "single", UserID: "wangwu", Text: "76号任务谁牵头"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := wecomtest.New(t, wecomtest.Options{})
			rec := &recorder{answer: func(context.Context, *bot.Message) (handlers.Reply, error) { return answer, nil }}
			_, url := aibotCallback(t, fake, rec, func(c *AIBotConfig) { c.BotName = tt.botName })
			plain := wecomtest.AIBotText("m-"+tt.name, tt.chatID, "wangwu", tt.content, fake.ResponseURL())
			cb, err := fake.AIBot.EncryptedJSONCallback(url, testNow, "nonce-7", plain)
			if err != nil {
				t.Fatal(err)
			}
			status, body := send(t, cb)
			if status != 200 {
				t.Fatalf("status %d %s", status, body)
			}
			out, err := fake.AIBot.OpenJSONReply(body, "nonce-7")
			if err != nil {
				t.Fatalf("%v\n%s", err, body)
			}
			var s stream
			if err := json.Unmarshal(out, &s); err != nil {
				t.Fatal(err)
			}
			if s.MsgType != "stream" || !s.Stream.Finish || s.Stream.ID == "" ||
				s.Stream.Content != handlers.Render(answer, handlers.WeComAIBot)[0] {
				t.Errorf("reply %s", out)
			}
			if seen := rec.seen(); len(seen) != 1 || seen[0] != tt.want {
				t.Errorf("handler saw %+v\nwant %+v", seen, tt.want)
			}
		})
	}
}

func TestAIBotLateAnswerViaResponseURL(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	release := make(chan struct{})
	rec := &recorder{answer: func(context.Context, *bot.Message) (handlers.Reply, error) {
		<-release
		return handlers.Reply{Head: "迟到的答案"}, nil
	}}
	cb, url := aibotCallback(t, fake, rec, func(c *AIBotConfig) { c.Deadline = 1 })
	req, _ := fake.AIBot.EncryptedJSONCallback(url, testNow, "n",
		wecomtest.AIBotText("m9", "chat", "u", "@督办 进展", fake.ResponseURL()))
	if status, body := send(t, req); status != 200 || len(body) != 0 {
		t.Fatalf("%d %q, want empty 200", status, body)
	}
	close(release)
	cb.Wait()
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].Endpoint != wecomtest.AIBotResponse || sent[0].MsgType != "markdown" ||
		sent[0].Content != "**迟到的答案**" {
		t.Fatalf("sent %+v", sent)
	}
}

func TestAIBotIgnoresEvents(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	rec := &recorder{}
	_, url := aibotCallback(t, fake, rec, nil)
	for _, plain := range []string{
		`{"msgid":"e1","msgtype":"event","from":{"userid":"u"},"event":{"eventtype":"enter_chat"}}`,
		`{"msgid":"s1","msgtype":"stream","from":{"userid":"u"},"stream":{"id":"x"}}`,
		`{"msgid":"i1","msgtype":"image","from":{"userid":"u"},"image":{"url":"https://x"}}`,
		`{"msgid":"t1","msgtype":"text","from":{"userid":"u"},"text":{"content":"@督办 "}}`,
	} {
		cb, _ := fake.AIBot.EncryptedJSONCallback(url, testNow, "n", []byte(plain))
		if status, body := send(t, cb); status != 200 || len(body) != 0 {
			t.Errorf("%s: %d %q, want empty 200", plain, status, body)
		}
	}
	if len(rec.seen()) != 0 {
		t.Errorf("handler called: %+v", rec.seen())
	}
}

func TestStripMentions(t *testing.T) {
	tests := []struct{ in, bot, want string }{
		{"@RobotA hello robot", "", "hello robot"},
		{"@督办\u2005交通局牵头哪些任务", "", "交通局牵头哪些任务"},
		{"@张三 @督办 76号", "", "76号"},
		{"76号任务 @督办", "督办", "76号任务"},
		{"@督办", "", ""},
		{"no mention", "", "no mention"},
		{"  spaced  ", "", "spaced"},
	}
	for _, tt := range tests {
		if got := stripMentions(tt.in, tt.bot); got != tt.want {
			t.Errorf("stripMentions(%q, %q) = %q, want %q", tt.in, tt.bot, got, tt.want)
		}
	}
}
