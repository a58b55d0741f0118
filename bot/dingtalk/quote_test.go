package dingtalk

import "testing"

// TestCallbackQuote: a reply's quoted message (text.repliedMsg) reaches
// bot.Message.Quote in each shape DingTalk sends it.
func TestCallbackQuote(t *testing.T) {
	tests := []struct{ name, replied, want string }{
		{"text", `{"msgType":"text","content":{"text":"重点工作第76项 道路改造"}}`, "重点工作第76项 道路改造"},
		{"richText", `{"msgType":"richText","content":{"richText":[{"text":"重点工作"},{"text":"第76项"}]}}`, "重点工作第76项"},
		{"string", `{"content":"重点工作第76项"}`, "重点工作第76项"},
		{"no content", `{"msgType":"picture"}`, ""},
	}
	for _, tt := range tests {
		body := `{"msgtype":"text","msgId":"m1","conversationType":"2","conversationId":"cid","senderStaffId":"u1",` +
			`"text":{"content":"已完成，附照片","isReplyMsg":true,"repliedMsg":` + tt.replied + `}}`
		c, err := ParseCallback([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if m := c.Message(); m.Quote != tt.want || m.Text != "已完成，附照片" {
			t.Errorf("%s: Quote = %q, Text = %q; want %q", tt.name, m.Quote, m.Text, tt.want)
		}
	}
	c, _ := ParseCallback([]byte(`{"msgtype":"text","msgId":"m2","conversationType":"2","text":{"content":"76号已完成"}}`))
	if q := c.Message().Quote; q != "" {
		t.Errorf("no reply: Quote = %q", q)
	}
}
