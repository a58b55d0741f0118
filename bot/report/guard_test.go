package report

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/store/memstore"
)

// guardBot is a report chain whose dedup and report-ID store run on a
// settable clock.
type guardBot struct {
	h     bot.HandlerFunc
	tr    *progress.Tracker
	clock *reportClock
}

func newGuardBot(t *testing.T, dedupTTL time.Duration, seen func(now func() time.Time) *memDeduper) *guardBot {
	t.Helper()
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &reportClock{t: time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)}
	b := reportBase(t)
	tr := progress.New(st, progress.Config{Now: c.Now})
	hd := handlers.New(b, handlers.Config{Now: c.Now, Status: tr.Lookup})
	dd := seen(c.Now)
	units := func(string) []string { return []string{"住建局"} }
	h := bot.Chain(bot.Answer(func() *handlers.Handler { return hd }, st, 0, c.Now),
		bot.Dedup(dd, dedupTTL), Reports(tr, units, func() *kb.Base { return b }, st, dd))
	return &guardBot{h: h, tr: tr, clock: c}
}

func (g *guardBot) send(t *testing.T, id, text string) string {
	t.Helper()
	r, err := g.h(context.Background(), &bot.Message{Platform: bot.DingTalk, ID: id, ChatID: "cid-zjj", ChatType: "group", UserID: "u1", UserName: "王五", Text: text})
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return r.Text()
}

// TestReportReplayAfterDedupForgets replays a report 15 minutes later,
// after a 10-minute bot.Dedup (the old default) forgot its ID: the report is
// not recorded again, because recording needs an ID never seen.
func TestReportReplayAfterDedupForgets(t *testing.T) {
	g := newGuardBot(t, 10*time.Minute, newMemDeduper)
	if got := g.send(t, "m-71", "77号已完成"); !strings.Contains(got, "已记录") {
		t.Fatalf("first report = %q, want it recorded", got)
	}
	if got := g.send(t, "m-72", "撤销77号完成"); !strings.Contains(got, "已撤销") {
		t.Fatalf("undo = %q, want it recorded", got)
	}
	g.clock.t = g.clock.t.Add(15 * time.Minute)
	got := g.send(t, "m-71", "77号已完成")
	if !strings.Contains(got, "未重复记录") {
		t.Errorf("replayed report = %q, want it refused", got)
	}
	h, err := g.tr.History(t.Context(), kb.KeyTasks, 77)
	if err != nil || len(h) != 2 {
		t.Errorf("history has %d entries (%v), want 2: the report and its undo", len(h), err)
	}
	if s, ok := g.tr.Lookup(kb.KeyTasks, 77); ok {
		t.Errorf("task 77 is %s after the replay, want no report in force", s.State)
	}
}

// TestReportWithoutIDNotRecorded: a message without an ID cannot be told
// from a replay, so it records nothing.
func TestReportWithoutIDNotRecorded(t *testing.T) {
	g := newGuardBot(t, 0, newMemDeduper)
	if got := g.send(t, "", "77号已完成"); !strings.Contains(got, "未作记录") {
		t.Errorf("report without ID = %q, want 未作记录", got)
	}
}

// TestReportDuringOutage: with the store down, a report gets a reply that
// says it was not recorded and to send it again; before, it got none.
func TestReportDuringOutage(t *testing.T) {
	down := errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
	t.Run("id check fails", func(t *testing.T) {
		g := newGuardBot(t, 0, func(now func() time.Time) *memDeduper {
			d := newMemDeduper(now)
			d.err = down
			return d
		})
		if got := g.send(t, "m1", "77号已完成"); !strings.Contains(got, "未记录") || !strings.Contains(got, "重发") {
			t.Errorf("report during outage = %q, want 未记录…重发", got)
		}
	})
	t.Run("journal fails", func(t *testing.T) {
		b := reportBase(t)
		tr := progress.New(downJournal{down}, progress.Config{})
		h := Reports(tr, func(string) []string { return []string{"住建局"} }, func() *kb.Base { return b }, nil, newMemDeduper(time.Now))(
			func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil })
		r, err := h(t.Context(), &bot.Message{Platform: bot.DingTalk, ID: "m1", ChatID: "c", Text: "77号已完成"})
		if err != nil || !strings.Contains(r.Text(), "未记录") {
			t.Errorf("report with the journal down = %q, %v; want a 未记录 reply and no error", r.Text(), err)
		}
	})
}

type downJournal struct{ err error }

func (d downJournal) Append(context.Context, string, []byte) (int64, error) { return 0, d.err }
func (d downJournal) List(context.Context, string) ([][]byte, error)        { return nil, d.err }
func (d downJournal) Keys(context.Context) ([]string, error)                { return nil, d.err }

// TestReportNoteShownPlain: the confirmation shows the note as plain text
// (no link, no second line), the history keeps it as written.
func TestReportNoteShownPlain(t *testing.T) {
	g := newGuardBot(t, 0, newMemDeduper)
	note := "已完成招标 [详见](http://evil.example/x) ![](http://evil.example/p.png)"
	got := g.send(t, "m1", "77号进展："+note)
	if !strings.Contains(got, "已记录") || strings.Contains(got, "](") || strings.Contains(got, "![") {
		t.Errorf("confirmation = %q, want the note recorded and shown without markup", got)
	}
	for _, d := range []handlers.Dialect{handlers.DingTalkMarkdown, handlers.WeComAIBot} {
		r, _ := g.h(t.Context(), &bot.Message{Platform: bot.DingTalk, ID: "q-" + d.Name, ChatID: "cid-zjj", Text: "77号任务进展"})
		if out := strings.Join(handlers.Render(r, d), "\n"); strings.Contains(out, "](") {
			t.Errorf("%s answer holds a link: %q", d.Name, out)
		}
	}
	h, err := g.tr.History(t.Context(), kb.KeyTasks, 77)
	if err != nil || len(h) != 1 || !strings.Contains(h[0].Note, "[详见](http://evil.example/x)") {
		t.Errorf("history = %+v, %v; want the note as written", h, err)
	}
}

// TestReportLongNoteOneMessage: the confirmation of a report with a long
// note (4,000 characters, within DingTalk's cap) is one message in every
// dialect; it echoed the whole note, and a 60 KB note became four
// messages. The history keeps the whole note.
func TestReportLongNoteOneMessage(t *testing.T) {
	g := newGuardBot(t, 0, newMemDeduper)
	note := strings.Repeat("已完成招标，正在施工。", 400)
	r, err := g.h(context.Background(), &bot.Message{Platform: bot.DingTalk, ID: "m1", ChatID: "cid-zjj", ChatType: "group", UserID: "u1", Text: "77号进展：" + note})
	if err != nil || !strings.Contains(r.Text(), "已记录") {
		t.Fatalf("report = %q, %v", r.Text(), err)
	}
	for _, d := range []handlers.Dialect{handlers.WeComText, handlers.WeComMarkdown, handlers.DingTalkMarkdown} {
		if n := len(handlers.Render(r, d)); n != 1 {
			t.Errorf("%s: confirmation is %d messages, want 1", d.Name, n)
		}
	}
	h, err := g.tr.History(t.Context(), kb.KeyTasks, 77)
	if err != nil || len(h) != 1 {
		t.Fatalf("history = %d entries, %v; want 1", len(h), err)
	}
	if n := len([]rune(h[0].Note)); n < 4000 {
		t.Errorf("history note has %d characters, want the whole note", n)
	}
}
