package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"duban/bot"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn/longconntest"
	"duban/bot/wecom/wecomtest"
)

// TestServeCardExtensionByReply runs `duban serve` with 住建局's group on
// the 智能机器人 long connection and review on: a tap on 申请延期 records
// nothing and updates the tapper's card to ask for the date; the tapper's
// next message in the group ("10月底，原因：…") is the request, which the
// 督查办 gets as a card and approves by tap. A second tap answered with a
// question instead of a date drops the request, says so, and answers the
// question.
func TestServeCardExtensionByReply(t *testing.T) {
	fake, _ := e2eStartLongConn(t, true)
	replies := func(n int, want string) func() (bool, string) {
		return func() (bool, string) {
			rs := fake.Replies()
			return len(rs) == n && strings.Contains(rs[n-1].Content, want), fmt.Sprintf("replies %+v", rs)
		}
	}
	ask := func(msgID string) longconntest.Update {
		t.Helper()
		n := len(fake.Updates())
		if _, err := fake.Click(longconntest.Click{MsgID: msgID, ChatID: "wrzjj", UserID: "wangwu",
			EventKey: bot.CardKey(bot.VerbExtend, "key_tasks", 76), TaskID: "vdei_t1@key_tasks-76"}); err != nil {
			t.Fatal(err)
		}
		return e2eWaitCount(t, "the card asking for the date", fake.Updates, n+1)[n]
	}

	u := ask("evt-ext")
	t.Logf("asking card: %q / %q", u.Card.MainTitle.Title, u.Card.SubTitleText)
	if !strings.Contains(u.Card.MainTitle.Title, "76") || !strings.Contains(u.Card.SubTitleText, "请回复新的完成时间") ||
		len(u.UserIDs) != 1 || u.UserIDs[0] != "wangwu" || len(u.Card.Buttons) == 0 {
		t.Errorf("update %+v: want 76号 named, the date asked for, shown to wangwu only, buttons kept", u)
	}
	// The tap alone recorded nothing.
	e2eLongConnPush(t, fake, longconntest.Message{MsgID: "q-0", ChatID: "wrzjj", UserID: "zhaoliu", Text: "@督办助手 10月底"})
	e2eEventually(t, "another member's message answered as a question", func() (bool, string) {
		rs := fake.Replies()
		return len(rs) == 1 && !strings.Contains(rs[0].Content, "已记录"), fmt.Sprintf("replies %+v", rs)
	})

	e2eLongConnPush(t, fake, longconntest.Message{MsgID: "q-1", ChatID: "wrzjj", UserID: "wangwu", Text: "@督办助手 10月底，原因：拆迁未完成"})
	e2eEventually(t, "the request recorded", replies(2, "已记录"))
	if got := fake.Replies()[1].Content; !strings.Contains(got, "10月底") || !strings.Contains(got, "拆迁未完成") {
		t.Errorf("reply %q: want the date and the reason", got)
	}
	review := e2eLongConnCardTo(t, fake, "wrdcb")
	if len(review.Card.Buttons) == 0 || review.Card.Buttons[0].Key != bot.CardKey(bot.VerbApproveExt, "key_tasks", 76) {
		t.Fatalf("review card buttons %+v, want 同意延期 on 76", review.Card.Buttons)
	}
	n := len(fake.Updates())
	if _, err := fake.Click(longconntest.Click{MsgID: "evt-ok", ChatID: "wrdcb", UserID: "dcb1",
		EventKey: review.Card.Buttons[0].Key, TaskID: review.Card.TaskID}); err != nil {
		t.Fatal(err)
	}
	e2eWaitCount(t, "the approval's card update", fake.Updates, n+1)
	e2eLongConnPush(t, fake, longconntest.Message{MsgID: "q-2", ChatID: "wrzjj", UserID: "wangwu", Text: "@督办助手 76号谁牵头"})
	e2eEventually(t, "the answer with the extension", replies(3, "10月底"))

	// Tapped again, then asked a question: the request is dropped, said
	// so before the answer.
	ask("evt-ext-2")
	e2eLongConnPush(t, fake, longconntest.Message{MsgID: "q-3", ChatID: "wrzjj", UserID: "wangwu", Text: "@督办助手 76号谁牵头"})
	e2eEventually(t, "the dropped request", replies(4, "延期申请未提交"))
	got := fake.Replies()[3].Content
	t.Logf("dropped: %q", got)
	if !strings.Contains(got, "住建局") {
		t.Errorf("reply %q: want the question answered after the notice", got)
	}
}

// TestServeCardExtensionByReplyAIBotCallback is the same flow on the
// 智能机器人 in callback mode: the click's passive reply asks the tapper
// alone for the date, and the tapper's next @-message in the group is the
// request, answered in its passive stream reply.
func TestServeCardExtensionByReplyAIBotCallback(t *testing.T) {
	// A wecom_user route makes serve handle card taps; the 智能机器人's
	// callback takes those of cards sent as its replies.
	wc, s, _ := e2eStartWeComCards(t, true, false,
		"review:\n  enabled: true\n  chats: [督查办群]\ncards:\n  routes:\n    - chat: 督查办群\n      wecom_user: dcbuser\n")

	post := func(nonce string, plain []byte) []byte {
		t.Helper()
		body := e2eAIBotPost(t, wc, s, "callback "+nonce, nonce, plain)
		out, err := wc.AIBot.OpenJSONReply(body, nonce)
		if err != nil {
			t.Fatalf("reply to %s %q: %v", nonce, body, err)
		}
		return out
	}
	out := post("noncetap", wecomtest.AIBotCardClick("evt-ext", "cidzjj", "wangwu",
		bot.CardKey(bot.VerbExtend, "key_tasks", 76), "vdei_t1@key_tasks-76", nil))
	var u wecom.UpdateTemplateCard
	if err := json.Unmarshal(out, &u); err != nil {
		t.Fatal(err)
	}
	t.Logf("asking card: %q / %q", u.TemplateCard.MainTitle.Title, u.TemplateCard.SubTitleText)
	if fmt.Sprint(u.UserIDs) != "[wangwu]" || !strings.Contains(u.TemplateCard.SubTitleText, "请回复新的完成时间") {
		t.Errorf("update %+v, want the date asked of wangwu alone", u)
	}

	out = post("noncedate", wecomtest.AIBotText("msg-date", "cidzjj", "wangwu", "@督办助手 10月底，原因：拆迁未完成", wc.ResponseURL()))
	var r struct {
		Stream struct {
			Content string `json:"content"`
		} `json:"stream"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	t.Logf("reply: %q", r.Stream.Content)
	for _, w := range []string{"已记录", "重点工作第76项", "10月底", "拆迁未完成"} {
		if !strings.Contains(r.Stream.Content, w) {
			t.Errorf("reply %q, want %q", r.Stream.Content, w)
		}
	}
}
