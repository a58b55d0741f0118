package report

import (
	"context"
	"strings"
	"testing"

	"duban/bot"
	"duban/kb"
	"duban/progress"
	"duban/store"
	"duban/store/memstore"
)

// TestAct walks the loop by taps: a unit's 已完成 from another unit's chat
// is refused and the view says so; from its own chat it is a claim; the
// replayed click is recorded once; a reviewer's 通过 from a unit's chat is
// refused; 退回 from the 督查办 resumes reminders; claim and 通过 close it.
func TestAct(t *testing.T) {
	rb := newReviewBot(t, true)
	act := func(a bot.CardAction) bot.CardView {
		t.Helper()
		v, err := rb.rp.Act(t.Context(), a)
		if err != nil {
			t.Fatalf("Act(%+v): %v", a, err)
		}
		return v
	}
	tap := func(id, chat, user, verb string) bot.CardAction {
		return bot.CardAction{Platform: bot.WeComAIBot, ID: id, ChatID: chat, UserID: user + "-id", UserName: user, Verb: verb, Table: string(kb.KeyTasks), No: 76}
	}
	steps := []struct {
		name    string
		a       bot.CardAction
		want    string
		refused bool
		state   kb.State
		entries int
	}{
		{"another unit's chat", tap("e1", "cid-jtj", "钱七", bot.VerbDone), "本群不能代为报告", true, "", 0},
		{"claim", tap("e2", "cid-zjj", "王五", bot.VerbDone), "已登记完成，待审核", false, kb.Claimed, 1},
		{"replayed click", tap("e2", "cid-zjj", "王五", bot.VerbDone), "已处理过", false, kb.Claimed, 1},
		{"details", tap("e3", "cid-zjj", "王五", bot.VerbDetail), "重点工作第76项", false, kb.Claimed, 1},
		{"unit approves", tap("e4", "cid-zjj", "王五", bot.VerbApprove), "只有审核人可以审核", true, kb.Claimed, 1},
		{"reviewer returns", tap("e5", "cid-dcb", "李审", bot.VerbReturn), "已退回", false, kb.Returned, 2},
		{"replayed return", tap("e5", "cid-dcb", "李审", bot.VerbReturn), "已处理过", false, kb.Returned, 2},
		{"approve a returned task", tap("e6", "cid-dcb", "李审", bot.VerbApprove), "没有待审核的报告", true, kb.Returned, 2},
		{"extension without a date", tap("e7", "cid-zjj", "王五", bot.VerbExtend), "需写明新的完成时限", false, kb.Returned, 2},
		{"claim again", tap("e8", "cid-zjj", "王五", bot.VerbDone), "待审核", false, kb.Claimed, 3},
		{"reviewer closes", tap("e9", "cid-dcb", "李审", bot.VerbApprove), "已办结", false, kb.Closed, 4},
		{"replayed close", tap("e9", "cid-dcb", "李审", bot.VerbApprove), "已处理过", false, kb.Closed, 4},
	}
	for _, s := range steps {
		v := act(s.a)
		text := v.Title + "\n" + strings.Join(v.Lines, "\n")
		if !strings.Contains(text, s.want) || v.Refused != s.refused {
			t.Errorf("%s: view = %+v, want %q (refused %v)", s.name, v, s.want, s.refused)
		}
		if got := rb.state(t, kb.KeyTasks, 76).State; got != s.state {
			t.Errorf("%s: state %q, want %q", s.name, got, s.state)
		}
		if n := len(rb.history(t, kb.KeyTasks, 76)); n != s.entries {
			t.Errorf("%s: %d entries, want %d", s.name, n, s.entries)
		}
	}
	// An extension with its date (a link page or a card that asks for it).
	a := tap("e10", "cid-zjj", "王五", bot.VerbExtend)
	a.No, a.Extension, a.Reason = 77, "10月底", "拆迁未完成"
	if v := act(a); !strings.Contains(v.Title, "申请延期至10月底") {
		t.Errorf("extension view = %+v", v)
	}
	// A link names the chat it was sent to: its units by name.
	rb.rp.cfg.NamedUnits = func(name string) []string {
		if name == "住建局工作群" {
			return []string{"住建局"}
		}
		return nil
	}
	l := bot.CardAction{Platform: PlatformLink, ID: "n1", ChatID: "住建局工作群", UserName: "王五", Verb: bot.VerbDone, Table: string(kb.KeyTasks), No: 78}
	if v := act(l); v.Refused || !strings.Contains(v.Title, "待审核") {
		t.Errorf("link claim view = %+v", v)
	}
	l.ID, l.ChatID = "n2", "cid-zjj" // a conversation ID is no chat name
	if v := act(l); !v.Refused {
		t.Errorf("link for an unknown chat name = %+v, want refused", v)
	}
	// A verb that is not ours is an error, not a record.
	if _, err := rb.rp.Act(t.Context(), tap("e11", "cid-zjj", "王五", "explode")); err == nil {
		t.Error("unknown verb: no error")
	}
}

// plainJournal hides AppendOnce: a journal without ids (the emulator's
// sandbox), where only the entries' Ref tells a replay.
type plainJournal struct{ j store.Journal }

func (p plainJournal) Append(ctx context.Context, k string, v []byte) (int64, error) {
	return p.j.Append(ctx, k, v)
}
func (p plainJournal) List(ctx context.Context, k string) ([][]byte, error) { return p.j.List(ctx, k) }
func (p plainJournal) Keys(ctx context.Context) ([]string, error)           { return p.j.Keys(ctx) }

// TestActReplayWithoutIDs: a replayed tap is recorded once on a journal
// that cannot key appends by id.
func TestActReplayWithoutIDs(t *testing.T) {
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := reportBase(t)
	tr := progress.New(plainJournal{st}, progress.Config{})
	rp := New(Config{Tracker: tr, ChatUnits: func(string) []string { return []string{"住建局"} }, Base: func() *kb.Base { return b }})
	a := bot.CardAction{Platform: bot.Emulator, ID: "tap-1", ChatID: "c", UserName: "王五", Verb: bot.VerbDone, Table: string(kb.KeyTasks), No: 77}
	for range 3 {
		if _, err := rp.Act(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	if h, _ := tr.History(t.Context(), kb.KeyTasks, 77); len(h) != 1 {
		t.Errorf("%d entries after three deliveries of one tap, want 1", len(h))
	}
}
