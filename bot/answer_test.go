package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
)

// testHandler answers from one hand-written task: 重点工作 No 76.
func testHandler(t testing.TB) *handlers.Handler {
	t.Helper()
	b, err := kb.New(kb.Contents{Records: []kb.Record{{
		Doc: "test.txt", Table: kb.KeyTasks, Section: "一、测试", No: 76,
		Text:        "推进城市更新试点工作",
		LeadLeaders: []string{"周国强"}, LeadUnits: []string{"市住建局"}, CoUnits: []string{"市财政局"},
		DeadlineText: "8月底前", Due: kb.NewDate(2020, 8, 31),
		Source: kb.Source{File: "test.txt", Line: 3, Row: 76},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return handlers.New(b, handlers.Config{})
}

func TestAnswerFollowUp(t *testing.T) {
	hd := testHandler(t)
	conv := newMemConversations()
	now := time.Date(2020, 8, 25, 9, 0, 0, 0, kb.Location)
	h := Answer(func() *handlers.Handler { return hd }, conv, 0, func() time.Time { return now })
	m := &Message{Platform: DingTalk, ChatID: "cid1", UserID: "u1", Text: "76号任务谁牵头"}

	r, err := h(t.Context(), m)
	if err != nil || !strings.Contains(r.Text(), "周国强") {
		t.Fatalf("Answer(%q) = %q, %v; want 周国强", m.Text, r.Text(), err)
	}
	if got := conv.ttls[m.ConversationKey()]; got != DefaultTurnTTL {
		t.Errorf("saved turn ttl = %v, want %v", got, DefaultTurnTTL)
	}
	m.Text = "那它什么时候到期？"
	r, err = h(t.Context(), m)
	if err != nil || !strings.Contains(r.Text(), "2020年8月31日") {
		t.Errorf("follow-up %q = %q, %v; want the due date of task 76", m.Text, r.Text(), err)
	}
	// Another user in the same chat has no context to follow.
	other := *m
	other.UserID = "u2"
	if r, _ := h(t.Context(), &other); !r.NotFound {
		t.Errorf("another user's follow-up used u1's context: %q", r.Text())
	}
}

func TestAnswerStoreErrorsStillAnswer(t *testing.T) {
	hd := testHandler(t)
	for _, tt := range []struct {
		name string
		get  error
		put  error
		want string
	}{
		{"load fails", errors.New("redis down"), nil, "load conversation failed"},
		{"save fails", nil, errors.New("redis down"), "save conversation failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conv := newMemConversations()
			conv.getErr, conv.putErr = tt.get, tt.put
			var buf bytes.Buffer
			h := Chain(Answer(func() *handlers.Handler { return hd }, conv, time.Minute, nil),
				Log(slog.New(slog.NewTextHandler(&buf, nil))))
			r, err := h(t.Context(), &Message{Platform: WeComApp, ID: "m9", Text: "76号任务谁牵头"})
			if err != nil || !strings.Contains(r.Text(), "周国强") {
				t.Fatalf("got %q, %v; want an answer despite the store", r.Text(), err)
			}
			if !strings.Contains(buf.String(), tt.want) || !strings.Contains(buf.String(), "msg_id=m9") {
				t.Errorf("log %q lacks %q with msg_id", buf.String(), tt.want)
			}
		})
	}
}

func TestAnswerBadStoredTurn(t *testing.T) {
	conv := newMemConversations()
	m := &Message{Platform: DingTalk, UserID: "u", Text: "76号任务谁牵头"}
	conv.m[m.ConversationKey()] = []byte("{not json")
	hd := testHandler(t)
	r, err := Answer(func() *handlers.Handler { return hd }, conv, 0, nil)(t.Context(), m)
	if err != nil || !strings.Contains(r.Text(), "周国强") {
		t.Errorf("got %q, %v; want an answer", r.Text(), err)
	}
}

func TestAnswerNoHandlerAndNilStore(t *testing.T) {
	var cur *handlers.Handler
	h := Answer(func() *handlers.Handler { return cur }, nil, 0, nil)
	if _, err := h(t.Context(), &Message{Text: "76号任务谁牵头"}); !errors.Is(err, ErrNoHandler) {
		t.Errorf("no handler: err = %v, want ErrNoHandler", err)
	}
	cur = testHandler(t) // a reload swaps the handler in
	if r, err := h(context.Background(), &Message{Text: "76号任务谁牵头"}); err != nil || !strings.Contains(r.Text(), "周国强") {
		t.Errorf("after swap: %q, %v", r.Text(), err)
	}
}
