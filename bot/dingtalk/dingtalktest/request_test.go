package dingtalktest

import (
	"encoding/json"
	"testing"
	"time"
)

// PROTOCOLS §7.4 vectors D1 (robot header) and D2 (custom robot).
func TestSign(t *testing.T) {
	tests := []struct{ ts, secret, want string }{
		{"1577262236757", "this is a secret", "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA="},
		{"1577262236757", "this is secret", "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM="},
	}
	for _, tt := range tests {
		if got := Sign(tt.ts, tt.secret); got != tt.want {
			t.Errorf("Sign(%q, %q) = %q, want %q", tt.ts, tt.secret, got, tt.want)
		}
	}
}

func TestSignedRequest(t *testing.T) {
	at := time.UnixMilli(1577262236757)
	r := SignedRequest("http://127.0.0.1/robot", "this is a secret", at, []byte("{}"))
	if r.Header.Get("timestamp") != "1577262236757" || r.Header.Get("sign") != "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=" {
		t.Errorf("headers = %v, want vector D1", r.Header)
	}
}

func TestMessageJSON(t *testing.T) {
	created := time.UnixMilli(1577262236757)
	b := Message{MsgID: "m", Text: "问", Group: true, AtRobot: true, CreateAt: created}.JSON()
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	checks := map[string]any{
		"conversationType":          "2", // a string, not a number
		"isInAtList":                true,
		"text":                      map[string]any{"content": " 问"}, // DingTalk keeps the space of the removed @
		"sessionWebhookExpiredTime": float64(created.Add(90 * time.Minute).UnixMilli()),
	}
	for k, want := range checks {
		if g, _ := json.Marshal(got[k]); string(g) != mustJSON(want) {
			t.Errorf("%s = %s, want %s", k, g, mustJSON(want))
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
