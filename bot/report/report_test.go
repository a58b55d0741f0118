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

// reportBase is a small knowledge base written for these tests: 76 is a
// key task of 住建局 and a people's project of 住建局 too; 77 and 78 are
// 住建局's; 5 is led by 各区镇.
func reportBase(t testing.TB) *kb.Base {
	t.Helper()
	src := func(line int) kb.Source { return kb.Source{File: "fixture.txt", Line: line} }
	recs := []kb.Record{
		{Table: kb.KeyTasks, No: 5, Text: "整治农村人居环境", LeadUnits: []string{"各区镇"}, DeadlineText: "全年", Due: kb.NewDate(2020, 12, 31), Source: src(5)},
		{Table: kb.KeyTasks, No: 76, Text: "推进城区道路改造工程", LeadLeaders: []string{"张三"}, LeadUnits: []string{"住建局"}, CoUnits: []string{"交通局"}, DeadlineText: "8月底前", Due: kb.NewDate(2020, 8, 31), Source: src(76)},
		{Table: kb.KeyTasks, No: 77, Text: "建设停车场", LeadUnits: []string{"住建局"}, DeadlineText: "12月底前", Due: kb.NewDate(2020, 12, 31), Source: src(77)},
		{Table: kb.KeyTasks, No: 78, Text: "改造老旧小区", LeadUnits: []string{"住建局"}, DeadlineText: "12月底前", Due: kb.NewDate(2020, 12, 31), Source: src(78)},
		{Table: kb.PeopleProjects, No: 76, Text: "改造农贸市场", LeadUnits: []string{"住建局"}, DeadlineText: "10月底前", Due: kb.NewDate(2020, 10, 31), Source: src(176)},
	}
	b, err := kb.New(kb.Contents{Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type reportClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *reportClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// reportBot is the inbound chain of cmd/duban with the Reports middleware,
// over an embedded store in a temporary directory.
type reportBot struct {
	h  bot.HandlerFunc
	tr *progress.Tracker
	n  int
}

func newReportBot(t *testing.T) *reportBot {
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &reportClock{t: time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)}
	b := reportBase(t)
	tr := progress.New(st, progress.Config{Now: c.Now})
	hd := handlers.New(b, handlers.Config{Now: c.Now, Status: tr.Lookup})
	units := map[string][]string{"cid-zjj": {"住房和城乡建设局"}, "cid-jtj": {"交通局"}, "cid-towns": {"各区镇"}}
	chatUnits := func(id string) []string { return units[id] }
	h := bot.Chain(bot.Answer(func() *handlers.Handler { return hd }, st, 0, c.Now),
		bot.Dedup(st, 0), Reports(tr, chatUnits, func() *kb.Base { return b }, st, st))
	return &reportBot{h: h, tr: tr}
}

// say sends text from user in chat and returns the reply's text.
func (rb *reportBot) say(t *testing.T, chat, user, text string) handlers.Reply {
	t.Helper()
	rb.n++
	m := &bot.Message{Platform: bot.DingTalk, ID: "msg" + strings.Repeat("x", rb.n), ChatID: chat, ChatType: "group", UserID: user + "-id", UserName: user, Text: text}
	r, err := rb.h(context.Background(), m)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return r
}

func (rb *reportBot) history(t *testing.T, table kb.Table, no int) []progress.Entry {
	t.Helper()
	h, err := rb.tr.History(context.Background(), table, no)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestReportConversation(t *testing.T) {
	rb := newReportBot(t)
	steps := []struct {
		name, chat, text string
		want             []string // substrings of the reply
		intent           string
		key76            int // entries of key task 76 after the step
	}{
		{"report done", "cid-zjj", "重点工作76号完成了，已验收", []string{"已记录：重点工作第76项 状态：已完成（住建局 9月3日）；说明：已验收"}, handlers.IntentReport, 1},
		{"answer shows it", "cid-zjj", "重点工作76号谁牵头", []string{"状态：已完成（住建局 9月3日报告）：已验收"}, handlers.IntentTask, 1},
		{"wrong chat refused", "cid-jtj", "重点工作76号已完成", []string{"重点工作第76项由住建局牵头", "本群（交通局）不能代为报告", "未作记录"}, handlers.IntentReport, 1},
		{"a question is not a report", "cid-zjj", "重点工作76号完成了吗", []string{"重点工作第76项"}, handlers.IntentTask, 1},
		{"undo", "cid-zjj", "撤销重点工作76号完成", []string{"已撤销：重点工作第76项 住建局 9月3日报告的“已完成”；现状态：未报告"}, handlers.IntentReport, 2},
		{"undo again: nothing", "cid-zjj", "撤销重点工作76号完成", []string{"没有可撤销的“已完成”报告"}, handlers.IntentReport, 2},
		{"answer after undo", "cid-zjj", "重点工作76号", []string{"（尚无进展报告）"}, handlers.IntentTask, 2},
		{"progress note", "cid-zjj", "重点工作76号进展：已完成招标，9月开工", []string{"状态：推进中（住建局 9月3日）；说明：已完成招标，9月开工"}, handlers.IntentReport, 3},
		{"extension", "cid-zjj", "重点工作76号延期到10月底，原因：拆迁未完成", []string{"状态：申请延期至10月底", "说明：原因：拆迁未完成"}, handlers.IntentReport, 4},
		{"two tables: ask which", "cid-zjj", "76号已完成", []string{"重点工作第76项和为民办实事第76项都由本群的单位牵头", "“实事76号已完成”"}, handlers.IntentReport, 4},
		{"no number: ask", "cid-zjj", "已完成", []string{"请注明任务编号"}, handlers.IntentReport, 4},
		{"collective chat", "cid-towns", "5号已完成", []string{"已记录：重点工作第5项 状态：已完成（各区镇 9月3日）"}, handlers.IntentReport, 4},
		{"unknown task", "cid-zjj", "重点工作300号已完成", []string{"未找到重点工作第300项"}, handlers.IntentReport, 4},
		{"unconfigured chat", "cid-other", "77号已完成", []string{"本群尚未登记"}, handlers.IntentReport, 4},
		{"several at once", "cid-zjj", "77号、78号已完成", []string{"已记录2项：", "重点工作第77项 状态：已完成", "重点工作第78项 状态：已完成"}, handlers.IntentReport, 4},
	}
	for _, s := range steps {
		r := rb.say(t, s.chat, "王五", s.text)
		text := r.Text()
		if r.Intent != s.intent {
			t.Errorf("%s: %q → intent %q, want %q\n%s", s.name, s.text, r.Intent, s.intent, text)
		}
		for _, w := range s.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q → reply lacks %q:\n%s", s.name, s.text, w, text)
			}
		}
		if n := len(rb.history(t, kb.KeyTasks, 76)); n != s.key76 {
			t.Errorf("%s: key task 76 has %d entries, want %d", s.name, n, s.key76)
		}
	}
	h := rb.history(t, kb.KeyTasks, 76)
	if h[0].User != "王五" || h[0].Chat != "cid-zjj" || h[0].Unit != "住建局" || h[3].Extension != "10月底" {
		t.Errorf("history = %+v", h)
	}
	if len(rb.history(t, kb.PeopleProjects, 76)) != 0 {
		t.Error("the ambiguous report was recorded")
	}
}

func TestReportConfirm(t *testing.T) {
	rb := newReportBot(t)
	r := rb.say(t, "cid-zjj", "王五", "77号好了吧")
	if !strings.Contains(r.Text(), "请确认：是要报告重点工作第77项已完成吗？") {
		t.Fatalf("vague report: %s", r.Text())
	}
	if n := len(rb.history(t, kb.KeyTasks, 77)); n != 0 {
		t.Fatalf("recorded before confirmation: %d entries", n)
	}
	// Another user's 确认 in the same chat confirms nothing of this one.
	if r := rb.say(t, "cid-zjj", "赵六", "确认"); r.Intent == handlers.IntentReport {
		t.Fatalf("another user's 确认 was taken: %s", r.Text())
	}
	r = rb.say(t, "cid-zjj", "王五", "确认")
	if !strings.Contains(r.Text(), "已记录：重点工作第77项 状态：已完成") {
		t.Fatalf("confirm: %s", r.Text())
	}
	if h := rb.history(t, kb.KeyTasks, 77); len(h) != 1 || h[0].State != kb.Done {
		t.Fatalf("after confirm: %+v", h)
	}
	// 确认 again: nothing pending, so it is an ordinary message.
	if r := rb.say(t, "cid-zjj", "王五", "确认"); r.Intent == handlers.IntentReport {
		t.Fatalf("second 确认 recorded again: %s", r.Text())
	}

	rb.say(t, "cid-zjj", "王五", "78号搞定")
	r = rb.say(t, "cid-zjj", "王五", "取消")
	if !strings.Contains(r.Text(), "已取消，未作记录") {
		t.Fatalf("cancel: %s", r.Text())
	}
	if n := len(rb.history(t, kb.KeyTasks, 78)); n != 0 {
		t.Fatalf("cancelled report recorded: %d entries", n)
	}
	// A vague report from the wrong chat is refused before any question.
	r = rb.say(t, "cid-jtj", "钱七", "78号好了吧")
	if !strings.Contains(r.Text(), "由住建局牵头") {
		t.Fatalf("vague report from the wrong chat: %s", r.Text())
	}
}

// TestReportDedup: a platform's retry of a report is recorded once.
func TestReportDedup(t *testing.T) {
	rb := newReportBot(t)
	m := &bot.Message{Platform: bot.WeComAIBot, ID: "retry-1", ChatID: "cid-zjj", UserID: "u1", Text: "77号已完成"}
	if _, err := rb.h(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if _, err := rb.h(context.Background(), m); err == nil {
		t.Fatal("retry not dropped")
	}
	if n := len(rb.history(t, kb.KeyTasks, 77)); n != 1 {
		t.Fatalf("%d entries, want 1", n)
	}
}
