package report

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/kb"
	"duban/store/memstore"
)

// extendTap is an 申请延期 tap on key task 76 from user in chat, on a
// route whose messages reportBot.say sends (DingTalk's platform name
// stands for any): the tapper's next message there brings the date.
func extendTap(id, chat, user string) bot.CardAction {
	return bot.CardAction{Platform: "wecom", ID: id, ChatID: chat, UserID: user + "-id", UserName: user,
		Verb: bot.VerbExtend, Table: string(kb.KeyTasks), No: 76,
		Conversation: (&bot.Message{Platform: bot.DingTalk, ChatID: chat, UserID: user + "-id"}).ConversationKey()}
}

// TestExtendAsksForDate: a tap without a date records nothing and asks
// for one; the tapper's next message in that chat is the date (and the
// reason), recorded once as the unit's request and sent for review; a
// message that is not a date drops the request, says so and is answered;
// "取消" drops it; another user's date is not the tapper's.
func TestExtendAsksForDate(t *testing.T) {
	type say struct {
		chat, user, text string
		want             []string // in the reply's text
		state            kb.State // of task 76 after it
	}
	tests := []struct {
		name     string
		tapChat  string
		wantView string
		refused  bool
		then     []say
		requests int // review requests pushed
	}{
		{"date and reason", "cid-zjj", "请回复新的完成时间", false, []say{
			{"cid-zjj", "王五", "10月底，原因：拆迁未完成", []string{"已记录：重点工作第76项", "10月底", "原因：拆迁未完成"}, kb.Extension},
			{"cid-zjj", "王五", "11月底", []string{"11月"}, kb.Extension}, // no tap waits: a question
		}, 1},
		{"date alone, with a lead-in", "cid-zjj", "请回复新的完成时间", false, []say{
			{"cid-zjj", "王五", "延期到12月15日", []string{"已记录：重点工作第76项", "12月15日"}, kb.Extension},
		}, 1},
		{"a question instead", "cid-zjj", "请回复新的完成时间", false, []say{
			{"cid-zjj", "王五", "76号牵头单位是哪个", []string{"没有收到新的完成时间", "延期申请未提交", "住建局"}, ""},
			{"cid-zjj", "王五", "10月底", []string{}, ""}, // the wait is over
		}, 0},
		{"cancelled", "cid-zjj", "请回复新的完成时间", false, []say{
			{"cid-zjj", "王五", "取消", []string{"延期申请已取消，未作记录"}, ""},
		}, 0},
		{"another user's date", "cid-zjj", "请回复新的完成时间", false, []say{
			{"cid-zjj", "赵六", "10月底", []string{}, ""},
		}, 0},
		{"another unit's chat", "cid-jtj", "本群不能代为报告", true, []say{
			{"cid-jtj", "王五", "10月底", []string{}, ""},
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb := newReviewBot(t, true)
			v, err := rb.rp.Act(t.Context(), extendTap("tap-1", tt.tapChat, "王五"))
			if err != nil {
				t.Fatal(err)
			}
			text := v.Title + "\n" + strings.Join(v.Lines, "\n")
			if !strings.Contains(text, tt.wantView) || v.Refused != tt.refused || v.Final {
				t.Fatalf("tap view = %+v, want %q (refused %v, not final)", v, tt.wantView, tt.refused)
			}
			if h := rb.history(t, kb.KeyTasks, 76); len(h) != 0 {
				t.Fatalf("tap recorded %d entries, want none before the date", len(h))
			}
			for _, s := range tt.then {
				got := rb.say(t, s.chat, s.user, s.text).Text()
				for _, w := range s.want {
					if !strings.Contains(got, w) {
						t.Errorf("%s: reply %q, want %q", s.text, got, w)
					}
				}
				if st := rb.state(t, kb.KeyTasks, 76); st.State != s.state {
					t.Errorf("%s: state %q, want %q", s.text, st.State, s.state)
				}
			}
			if n := len(rb.sent.out); n != tt.requests {
				t.Errorf("review requests = %d, want %d: %v", n, tt.requests, rb.sent.out)
			}
		})
	}
}

// TestExtendRecordsTheTap: the request is the tapping unit's, in the chat
// of the card, with the date and reason as written, once.
func TestExtendRecordsTheTap(t *testing.T) {
	rb := newReviewBot(t, true)
	if _, err := rb.rp.Act(t.Context(), extendTap("tap-1", "cid-zjj", "王五")); err != nil {
		t.Fatal(err)
	}
	rb.say(t, "cid-zjj", "王五", "10月底 拆迁未完成")
	h := rb.history(t, kb.KeyTasks, 76)
	if len(h) != 1 {
		t.Fatalf("history = %+v, want one entry", h)
	}
	s := h[0].Status
	if s.State != kb.Extension || s.Extension != "10月底" || s.Note != "拆迁未完成" || s.Unit != "住建局" || s.Chat != "cid-zjj" || s.User != "王五" {
		t.Errorf("recorded %+v", s)
	}
	// The reviewer's 同意延期 moves the date as for a typed request.
	rb.say(t, "cid-dcb", "李审", "同意延期76号")
	if st := rb.state(t, kb.KeyTasks, 76); st.State != kb.ExtensionApproved || st.Extension != "10月底" {
		t.Errorf("after approval: %+v", st)
	}
}

// TestExtendWaitExpires: a date after ExtendTTL is not taken.
func TestExtendWaitExpires(t *testing.T) {
	rb := newReviewBot(t, true)
	now := time.Now()
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), BatchDelay: -1, SweepEvery: -1, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rb.rp.cfg.Pending = st
	if _, err := rb.rp.Act(t.Context(), extendTap("tap-1", "cid-zjj", "王五")); err != nil {
		t.Fatal(err)
	}
	now = now.Add(ExtendTTL + time.Minute)
	rb.say(t, "cid-zjj", "王五", "10月底")
	if h := rb.history(t, kb.KeyTasks, 76); len(h) != 0 {
		t.Errorf("a late date recorded %+v", h)
	}
}

func TestParseDateReply(t *testing.T) {
	now := time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)
	tests := []struct {
		text, date, reason string
		ok                 bool
	}{
		{"10月底", "10月底", "", true},
		{"10月底，原因：拆迁未完成", "10月底", "原因：拆迁未完成", true},
		{"延期到11月15日", "11月15日", "", true},
		{"改到2020年12月底 资金未到位", "2020年12月底", "资金未到位", true},
		{"10月底前要完成哪些", "", "", false},
		{"76号牵头单位是哪个", "", "", false},
		{"好的", "", "", false},
		{"河道整治", "", "", false},
	}
	for _, tt := range tests {
		date, reason, ok := parseDateReply(tt.text, now)
		if date != tt.date || reason != tt.reason || ok != tt.ok {
			t.Errorf("parseDateReply(%q) = %q, %q, %v; want %q, %q, %v", tt.text, date, reason, ok, tt.date, tt.reason, tt.ok)
		}
	}
}

// failingConversations is a store.Conversations that does not answer.
type failingConversations struct{}

func (failingConversations) Get(context.Context, string) ([]byte, bool, error) {
	return nil, false, errors.New("store down")
}
func (failingConversations) Put(context.Context, string, []byte, time.Duration) error {
	return errors.New("store down")
}
func (failingConversations) Delete(context.Context, string) error { return errors.New("store down") }

// TestExtendStoreDown: when the wait cannot be kept, the card asks for
// the whole request typed out instead (nothing recorded), and messages
// are answered as questions.
func TestExtendStoreDown(t *testing.T) {
	rb := newReviewBot(t, true)
	rb.rp.cfg.Pending = failingConversations{}
	v, err := rb.rp.Act(t.Context(), extendTap("tap-1", "cid-zjj", "王五"))
	if err != nil {
		t.Fatal(err)
	}
	if text := v.Title + strings.Join(v.Lines, ""); !strings.Contains(text, "需写明新的完成时限") || !strings.Contains(text, "76号延期到10月底") {
		t.Errorf("view %+v, want the typed form asked for", v)
	}
	if got := rb.say(t, "cid-zjj", "王五", "76号牵头单位是哪个").Text(); !strings.Contains(got, "住建局") || strings.Contains(got, "延期") {
		t.Errorf("question answered %q", got)
	}
	if h := rb.history(t, kb.KeyTasks, 76); len(h) != 0 {
		t.Errorf("recorded %+v", h)
	}
}
