package wecom

import (
	"encoding/json"
	"testing"
)

// TestAIBotQuote: a reply's quoted message (quote) reaches the message.
func TestAIBotQuote(t *testing.T) {
	tests := []struct{ name, quote, want string }{
		{"text", `{"msgtype":"text","text":{"content":"重点工作第76项 道路改造"}}`, "重点工作第76项 道路改造"},
		{"mixed", `{"msgtype":"mixed","mixed":{"msg_item":[{"msgtype":"text","text":{"content":"重点工作第76项"}},{"msgtype":"image","image":{"url":"u"}}]}}`, "重点工作第76项"},
		{"none", `null`, ""},
	}
	for _, tt := range tests {
		var m aibotMessage
		body := `{"msgid":"m1","chattype":"group","chatid":"c","from":{"userid":"u"},"msgtype":"text","text":{"content":"已完成"},"quote":` + tt.quote + `}`
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := m.quote(); got != tt.want {
			t.Errorf("%s: quote() = %q, want %q", tt.name, got, tt.want)
		}
	}
}
