package report

import (
	"context"
	"strings"
	"testing"

	"duban/bot"
	"duban/handlers"
)

// TestLongReportNotRecorded: a 14,000-character report never reaches the
// parser or the next handler (moved from bot's TestLongQuestionNotAnswered):
// a long report was recorded with its whole text as the note.
func TestLongReportNotRecorded(t *testing.T) {
	long := "76号进展：" + strings.Repeat("已完成招标", 2800)
	called := false
	next := func(context.Context, *bot.Message) (handlers.Reply, error) {
		called = true
		return handlers.Reply{}, nil
	}
	h := Reports(nil, nil, nil, nil, nil)(next)
	r, err := h(t.Context(), &bot.Message{Platform: bot.DingTalk, ID: "m1", Text: long})
	if err != nil || r.Intent != bot.IntentTooLong {
		t.Errorf("%d-character report = %+v, %v; want the too-long reply", len([]rune(long)), r, err)
	}
	if called {
		t.Error("the next handler saw an over-long message")
	}
}
