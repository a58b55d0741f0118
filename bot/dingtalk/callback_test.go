package dingtalk

import (
	"errors"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
)

func TestStripMentions(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"robot mention removed by DingTalk leaves a space", " 76号任务谁牵头", "76号任务谁牵头"},
		{"other member's mention", " @张三 76号任务谁牵头", "76号任务谁牵头"},
		{"mention at the end", "交通局牵头哪些任务 @李四", "交通局牵头哪些任务"},
		{"four-per-em space after mention", "@张三\u2005实事第12项进展", "实事第12项进展"},
		{"ideographic space", "@张三\u3000who leads task 76", "who leads task 76"},
		{"glued mention kept", "@张三76号任务谁牵头", "@张三76号任务谁牵头"},
		{"email is not a mention", "mail a@b.cn please", "mail a@b.cn please"},
		{"lone at sign kept", "a @ b", "a @ b"},
		{"spaces collapsed", "  who   leads\n task 76 ", "who leads task 76"},
		{"empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StripMentions(tt.in); got != tt.want {
				t.Errorf("StripMentions(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCallback(t *testing.T) {
	created := time.Date(2020, 8, 25, 9, 0, 0, 0, shanghai)
	group := dingtalktest.Message{
		MsgID: "msgA", Text: "@张三 76号任务谁牵头", Group: true, AtRobot: true,
		ConversationID: "cidG==", SenderStaffID: "staff1", SenderNick: "王五",
		SessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=s1", CreateAt: created,
	}
	single := group
	single.Group, single.Text = false, "8月底前要完成哪些"

	tests := []struct {
		name string
		body []byte
		want bot.Message
	}{
		{"group", group.JSON(), bot.Message{Platform: bot.DingTalk, ID: "msgA", ChatID: "cidG==", ChatType: "group",
			UserID: "staff1", UserName: "王五", Text: "76号任务谁牵头"}},
		{"single chat has no ChatID", single.JSON(), bot.Message{Platform: bot.DingTalk, ID: "msgA", ChatType: "single",
			UserID: "staff1", UserName: "王五", Text: "8月底前要完成哪些"}},
		{"rich text", []byte(`{"msgtype":"richText","content":{"richText":[{"text":" 76号"},{"pictureDownloadCode":"x"},{"text":"任务谁牵头"}]},
			"msgId":"m2","conversationType":"1","senderId":"$:LWCP_v1:$enc","senderNick":"外部"}`),
			bot.Message{Platform: bot.DingTalk, ID: "m2", ChatType: "single", UserID: "$:LWCP_v1:$enc", UserName: "外部", Text: "76号任务谁牵头"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCallback(tt.body)
			if err != nil {
				t.Fatalf("ParseCallback: %v", err)
			}
			if got := *c.Message(); got != tt.want {
				t.Errorf("Message() = %+v, want %+v", got, tt.want)
			}
		})
	}

	c, _ := ParseCallback(group.JSON())
	if !c.SessionValid(created.Add(89*time.Minute)) || c.SessionValid(created.Add(90*time.Minute)) {
		t.Errorf("SessionValid: want valid for 90 minutes after createAt, expiry %d", c.SessionWebhookExpiredTime)
	}
}

func TestParseCallbackMalformed(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"not json", `<xml/>`},
		{"truncated", `{"msgId":"m","conversationType":"1"`},
		{"array", `[]`},
		{"no msgId", `{"conversationType":"1","text":{"content":"hi"}}`},
		{"numeric conversationType", `{"msgId":"m","conversationType":1}`},
		{"unknown conversationType", `{"msgId":"m","conversationType":"3"}`},
		{"empty", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCallback([]byte(tt.body)); !errors.Is(err, ErrMalformed) {
				t.Errorf("ParseCallback(%q) = %v, want ErrMalformed", tt.body, err)
			}
		})
	}
}
