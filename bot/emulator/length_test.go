package emulator

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"duban/bot"
)

// TestAskTooLong: a question longer than the emulated platform's client
// can send gets that platform's polite refusal, without the handler.
func TestAskTooLong(t *testing.T) {
	f := &fakeBot{}
	srv := httptest.NewServer(New(newTestConfig(f)))
	defer srv.Close()
	tests := []struct {
		platform string
		runes    int
		long     bool
	}{
		{"wecom", 682, false}, // 2,046 bytes
		{"wecom", 683, true},  // 2,049 bytes
		{"wecom_app", 700, true},
		{"dingtalk", 5000, false},
		{"dingtalk", 5001, true},
	}
	for _, tt := range tests {
		f.mu.Lock()
		f.last = nil
		f.mu.Unlock()
		body := fmt.Sprintf(`{"platform":%q,"text":%q}`, tt.platform, strings.Repeat("问", tt.runes))
		status, out := postAsk(t, srv, body)
		if status != 200 {
			t.Fatalf("%s %d characters: status %d %v", tt.platform, tt.runes, status, out)
		}
		refused := out["intent"] == bot.IntentTooLong
		if refused != tt.long || refused == (f.lastMsg() != nil) {
			t.Errorf("%s %d characters: intent %v, handler called %v; want refused %v", tt.platform, tt.runes, out["intent"], f.lastMsg() != nil, tt.long)
		}
	}
}
