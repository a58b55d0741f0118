package bot

import (
	"context"
	"strings"
	"testing"

	"duban/handlers"
)

func TestTooLong(t *testing.T) {
	tests := []struct {
		name     string
		platform string
		text     string
		want     bool
	}{
		{"wecom at the cap", WeComApp, strings.Repeat("a", MaxWeComQuestionBytes), false},
		{"wecom one byte over", WeComApp, strings.Repeat("a", MaxWeComQuestionBytes+1), true},
		{"wecom 683 Chinese characters", WeComAIBot, strings.Repeat("问", 683), true}, // 2,049 bytes
		{"wecom 682 Chinese characters", WeComAIBot, strings.Repeat("问", 682), false},
		{"dingtalk 5,000 characters", DingTalk, strings.Repeat("问", MaxDingTalkQuestionRunes), false},
		{"dingtalk 5,001 characters", DingTalkStrm, strings.Repeat("问", MaxDingTalkQuestionRunes+1), true},
		{"emulator 14,000 characters", Emulator, strings.Repeat("问", 14_000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, got := TooLong(&Message{Platform: tt.platform, Text: tt.text})
			if got != tt.want {
				t.Fatalf("TooLong(%s, %d bytes) = %v, want %v", tt.platform, len(tt.text), got, tt.want)
			}
			if got && (r.Intent != IntentTooLong || !strings.Contains(r.Text(), "过长")) {
				t.Errorf("refusal = %+v, want a polite 过长 reply", r)
			}
		})
	}
}

// TestLongQuestionNotAnswered: a 14,000-character question never reaches
// the handler through Answer (through reports: bot/report's
// TestLongReportNotRecorded); before, it was parsed
// for seconds (4.7 s for 2,000 characters) and a long report was recorded
// with its whole text as the note.
func TestLongQuestionNotAnswered(t *testing.T) {
	hd := testHandler(t)
	long := "76号进展：" + strings.Repeat("已完成招标", 2800)
	called := false
	next := func(context.Context, *Message) (handlers.Reply, error) { called = true; return handlers.Reply{}, nil }
	chains := map[string]HandlerFunc{
		"answer": Answer(func() *handlers.Handler { return hd }, nil, 0, nil),
	}
	_ = next
	for name, h := range chains {
		r, err := h(t.Context(), &Message{Platform: DingTalk, ID: "m1", Text: long})
		if err != nil || r.Intent != IntentTooLong {
			t.Errorf("%s: %d-character message = %+v, %v; want the too-long reply", name, len([]rune(long)), r, err)
		}
	}
	if called {
		t.Error("the next handler saw an over-long message")
	}
}

// BenchmarkLongQuestion is the whole cost of a 14,000-character question
// through Answer: the cap refuses it after counting 5,001 characters.
func BenchmarkLongQuestion(b *testing.B) {
	hd := testHandler(b)
	h := Answer(func() *handlers.Handler { return hd }, nil, 0, nil)
	m := &Message{Platform: DingTalk, ID: "m1", Text: strings.Repeat("住建局牵头哪些任务", 1556)}
	for b.Loop() {
		if r, _ := h(context.Background(), m); r.Intent != IntentTooLong {
			b.Fatal("answered")
		}
	}
}
