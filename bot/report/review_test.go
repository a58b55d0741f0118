package report

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/store/memstore"
)

// pushed records the review requests a Reporter sends.
type pushed struct {
	mu  sync.Mutex
	out []string // chat + ": " + text
	rs  []handlers.Reply
}

func (p *pushed) notify(_ context.Context, chat string, r handlers.Reply) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out = append(p.out, chat+": "+r.Text())
	p.rs = append(p.rs, r)
	return nil
}

// reviewBot is reportBot with review on: the 督查办 chat (cid-dcb) and the
// user 李审 review; requests go to the chat named 督查办工作群.
type reviewBot struct {
	*reportBot
	rp    *Reporter
	sent  *pushed
	clock *reportClock
}

func newReviewBot(t testing.TB, enabled bool) *reviewBot {
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &reportClock{t: time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)}
	b := reportBase(t)
	tr := progress.New(st, progress.Config{Now: c.Now})
	hd := handlers.New(b, handlers.Config{Now: c.Now, Status: tr.Lookup})
	units := map[string][]string{"cid-zjj": {"住建局"}, "cid-jtj": {"交通局"}, "住建局工作群": {"住建局"}}
	p := &pushed{}
	rp := New(Config{Tracker: tr, ChatUnits: func(id string) []string { return units[id] }, Base: func() *kb.Base { return b },
		Pending: st, Seen: st, Notify: p.notify,
		Review: Review{Enabled: enabled, Chats: []string{"cid-dcb"}, Users: []string{"李审"}, Notify: []string{"督查办工作群"}}})
	h := bot.Chain(bot.Answer(func() *handlers.Handler { return hd }, st, 0, c.Now), bot.Dedup(st, 0), rp.Middleware())
	return &reviewBot{reportBot: &reportBot{h: h, tr: tr}, rp: rp, sent: p, clock: c}
}

func (rb *reviewBot) state(t *testing.T, table kb.Table, no int) kb.Status {
	t.Helper()
	s, _, err := rb.tr.Status(context.Background(), table, no)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReviewConversation walks the loop in chat: claim → 待审核 (reminders
// stop: Finished) → a non-reviewer cannot decide → 退回 (reminders resume)
// → claim again → 办结; and an extension request approved.
func TestReviewConversation(t *testing.T) {
	rb := newReviewBot(t, true)
	steps := []struct {
		name, chat, user, text string
		want                   []string
		intent                 string
		state                  kb.State // key task 77 after the step
	}{
		{"claim", "cid-zjj", "王五", "77号已完成", []string{"已记录：重点工作第77项 状态：待审核（住建局 9月3日）", "已提交审核"}, handlers.IntentReport, kb.Claimed},
		{"pending list", "cid-dcb", "李审", "待审核的有哪些", []string{"待审核", "第77项"}, handlers.IntentPendingReview, kb.Claimed},
		{"not a reviewer", "cid-zjj", "王五", "办结77号", []string{"只有督办部门"}, handlers.IntentReview, kb.Claimed},
		{"return", "cid-dcb", "李审", "退回77号 缺验收材料", []string{"已记录：重点工作第77项 已退回（督查办 9月3日）：缺验收材料", "提醒恢复"}, handlers.IntentReview, kb.Returned},
		{"nothing to close", "cid-dcb", "李审", "办结77号", []string{"没有待审核的报告", "已退回"}, handlers.IntentReview, kb.Returned},
		{"claim again", "cid-zjj", "王五", "77号已完成，材料已补", []string{"待审核"}, handlers.IntentReport, kb.Claimed},
		{"reviewer user anywhere", "cid-other", "李审", "办结77号", []string{"已办结（督查办 9月3日）", "提醒停止"}, handlers.IntentReview, kb.Closed},
		{"answer shows it", "cid-zjj", "王五", "77号任务进展", []string{"已办结"}, handlers.IntentTask, kb.Closed},
	}
	for _, s := range steps {
		r := rb.say(t, s.chat, s.user, s.text)
		text := r.Text()
		if r.Intent != s.intent {
			t.Errorf("%s: %q → intent %q, want %q\n%s", s.name, s.text, r.Intent, s.intent, text)
		}
		for _, w := range s.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q → reply lacks %q:\n%s", s.name, s.text, w, text)
			}
		}
		if got := rb.state(t, kb.KeyTasks, 77); got.State != s.state {
			t.Errorf("%s: task 77 is %s, want %s", s.name, got.State, s.state)
		}
	}
	// Reminders: Finished is the scheduler's skip rule.
	for st, want := range map[kb.State]bool{kb.Claimed: true, kb.Returned: false, kb.Closed: true} {
		if got := (kb.Status{State: st}).Finished(); got != want {
			t.Errorf("%s.Finished() = %v, want %v", st, got, want)
		}
	}
	// Two claims, two review requests to the 督查办 chat, each with 通过/退回.
	if len(rb.sent.rs) != 2 || !strings.HasPrefix(rb.sent.out[0], "督查办工作群: 待审核：重点工作第77项") {
		t.Fatalf("review requests = %q", rb.sent.out)
	}
	if tk := rb.sent.rs[0].Tasks; len(tk) != 1 || tk[0].No != 77 || strings.Join(tk[0].Verbs, ",") != "approve,return" {
		t.Errorf("review request actions = %+v", tk)
	}
	// Every step is a journal entry with who decided.
	h := rb.history(t, kb.KeyTasks, 77)
	var states []string
	for _, e := range h {
		states = append(states, string(e.State))
	}
	if got := strings.Join(states, ","); got != "待审核,已退回,待审核,已办结" {
		t.Errorf("history = %s", got)
	}
	if h[1].Reviewer != "督查办" || h[1].User != "李审" || h[1].Note != "缺验收材料" || h[1].Unit != "住建局" {
		t.Errorf("return entry = %+v", h[1])
	}

	// An extension request, approved with its date.
	rb.say(t, "cid-zjj", "王五", "78号延期到10月底，原因：拆迁未完成")
	if len(rb.sent.rs) != 3 || strings.Join(rb.sent.rs[2].Tasks[0].Verbs, ",") != "approve_ext,reject_ext" {
		t.Fatalf("extension review request = %q", rb.sent.out)
	}
	r := rb.say(t, "cid-dcb", "李审", "同意延期78号")
	if !strings.Contains(r.Text(), "已同意延期至10月底") || rb.state(t, kb.KeyTasks, 78).State != kb.ExtensionApproved {
		t.Errorf("approve extension: %s", r.Text())
	}
}

// TestReviewOff: with review off a claim is done at once (as before), and
// a decision word is no decision.
func TestReviewOff(t *testing.T) {
	rb := newReviewBot(t, false)
	if r := rb.say(t, "cid-zjj", "王五", "77号已完成"); !strings.Contains(r.Text(), "状态：已完成") || strings.Contains(r.Text(), "审核") {
		t.Errorf("claim with review off: %s", r.Text())
	}
	if r := rb.say(t, "cid-dcb", "李审", "退回77号"); r.Intent == handlers.IntentReview {
		t.Errorf("退回 with review off was taken as a decision: %s", r.Text())
	}
	if s := rb.state(t, kb.KeyTasks, 77); s.State != kb.Done {
		t.Errorf("task 77 is %s, want %s", s.State, kb.Done)
	}
	if len(rb.sent.out) != 0 {
		t.Errorf("review requests with review off: %q", rb.sent.out)
	}
}

// TestQuoteReply: a reply quoting a reminder line reports on that task
// without a number; a quote of several tasks binds to none.
func TestQuoteReply(t *testing.T) {
	rb := newReviewBot(t, false)
	m := &bot.Message{Platform: bot.DingTalk, ID: "q1", ChatID: "cid-zjj", UserName: "王五", Text: "已完成，附照片",
		Quote: "🔴 重点工作第77项 建设停车场（12月31日，还剩119天）"}
	r, err := rb.h(context.Background(), m)
	if err != nil || !strings.Contains(r.Text(), "已记录：重点工作第77项 状态：已完成") || !strings.Contains(r.Text(), "附照片") {
		t.Fatalf("quote reply = %q, %v", r.Text(), err)
	}
	m = &bot.Message{Platform: bot.DingTalk, ID: "q2", ChatID: "cid-zjj", UserName: "王五", Text: "已完成",
		Quote: "重点工作第77项 建设停车场\n重点工作第78项 改造老旧小区"}
	if r, _ := rb.h(context.Background(), m); !strings.Contains(r.Text(), "请注明任务编号") {
		t.Errorf("reply quoting two tasks = %q, want a request for the number", r.Text())
	}
	// The quoted task is still checked against the chat.
	m = &bot.Message{Platform: bot.DingTalk, ID: "q3", ChatID: "cid-jtj", UserName: "钱七", Text: "已完成", Quote: "重点工作第78项 改造老旧小区"}
	if r, _ := rb.h(context.Background(), m); !strings.Contains(r.Text(), "由住建局牵头") {
		t.Errorf("quote reply from the wrong chat = %q", r.Text())
	}
	if s := rb.state(t, kb.KeyTasks, 78); s.State != "" {
		t.Errorf("task 78 = %s after refused replies", s.State)
	}
}
