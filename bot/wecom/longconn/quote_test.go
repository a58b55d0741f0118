package longconn

import (
	"encoding/json"
	"testing"
)

// TestCallbackQuote: a reply's quoted message reaches bot.Message.Quote.
func TestCallbackQuote(t *testing.T) {
	var b callbackBody
	body := `{"msgid":"m1","chattype":"group","chatid":"c","from":{"userid":"u"},"msgtype":"text","text":{"content":"@bot 已完成"},` +
		`"quote":{"msgtype":"text","text":{"content":"重点工作第76项 道路改造"}}}`
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatal(err)
	}
	if m := b.message("bot"); m.Quote != "重点工作第76项 道路改造" || m.Text != "已完成" {
		t.Errorf("message = %+v", m)
	}
}
