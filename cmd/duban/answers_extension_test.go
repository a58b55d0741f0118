package main

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/store/memstore"
)

// TestAnswersApprovedExtension asks serve's handler (kbState's wiring) on
// the seeds about key task 76 (住建局, due 2020-12-31) after the journal
// recorded an approved extension to 3月底 (2021-03-31): on 2021-01-20 no
// overdue list names it, its lines show both dates, and the document's
// window (12月底前) still lists it, marked.
func TestAnswersApprovedExtension(t *testing.T) {
	b := e2eSeedsBase(t)
	if r, ok := b.Task(kb.KeyTasks, 76); !ok || r.Due.ISO() != "2020-12-31" || !strings.Contains(strings.Join(r.LeadUnits, ""), "住建局") {
		t.Fatalf("seed key task 76 = %v %v, want 住建局's, due 2020-12-31", r.LeadUnits, r.Due)
	}
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tr := progress.New(st, progress.Config{})
	state := &kbState{log: slog.New(slog.DiscardHandler), status: tr.Lookup}
	state.swap(b)
	h := state.current()

	// ask returns the answer with every page of it (更多 until none is left).
	ask := func(q string, now time.Time) handlers.Reply {
		r := h.Answer(context.Background(), handlers.Question{Text: q, Now: now})
		for page := r; page.More != "" && page.Turn != nil; {
			page = h.Answer(context.Background(), handlers.Question{Text: "更多", Prev: page.Turn, Now: now})
			r.Lines = append(r.Lines, page.Lines...)
		}
		return r
	}
	jan20 := time.Date(2021, 1, 20, 9, 0, 0, 0, kb.Location)
	task76 := regexp.MustCompile(`(^|[^0-9])第76项`)
	// Before the approval the task is overdue: the lists that follow say so.
	if text := ask("住建局已逾期的任务", jan20).Text(); !task76.MatchString(text) {
		t.Fatalf("before the approval, 住建局已逾期的任务 lacks 第76项:\n%s", text)
	}
	if _, err := tr.Record(context.Background(), kb.Status{Table: kb.KeyTasks, No: 76, State: kb.ExtensionApproved, Extension: "3月底",
		Unit: "住建局", Reviewer: "督查办", At: time.Date(2021, 1, 5, 10, 0, 0, 0, kb.Location)}); err != nil {
		t.Fatal(err)
	}
	both := "原定12月31日，同意延期至2021年3月31日"
	tests := []struct {
		q    string
		now  time.Time
		want []string
		has  bool // the answer names 第76项
		not  []string
	}{
		{"住建局已逾期的任务", jan20, nil, false, nil},
		{"住建局逾期未完成的任务", jan20, nil, false, nil},
		{"住建局还有哪些没完成", jan20, []string{both}, true, nil},
		{"住建局任务进度", jan20, []string{"【已同意延期至3月底】", both}, true, nil},
		{"12月底前要完成哪些", jan20, []string{both}, true, nil},
		{"重点工作第76项进展", jan20, []string{"状态：已同意延期至3月底", both}, true, []string{"逾期"}},
		{"重点工作第76项进展", time.Date(2021, 4, 6, 9, 0, 0, 0, kb.Location), []string{both, "逾期6天"}, true, nil},
		{"住建局已逾期的任务", time.Date(2021, 4, 6, 9, 0, 0, 0, kb.Location), []string{both}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.q+"@"+tt.now.Format(time.DateOnly), func(t *testing.T) {
			r := ask(tt.q, tt.now)
			var lines []string
			for _, l := range append([]string{r.Head}, r.Lines...) {
				// a list's line of the task, or every line of the task's own answer
				if task76.MatchString(l) || task76.MatchString(tt.q) {
					lines = append(lines, l)
				}
			}
			if has := len(lines) > 0; has != tt.has {
				t.Fatalf("%q names 第76项: %v, want %v\n%s", tt.q, has, tt.has, r.Text())
			}
			for _, w := range tt.want {
				if !strings.Contains(strings.Join(lines, "\n"), w) {
					t.Errorf("%q: 第76项's line lacks %q:\n%s", tt.q, w, strings.Join(lines, "\n"))
				}
			}
			for _, w := range tt.not {
				if strings.Contains(strings.Join(lines, "\n"), w) {
					t.Errorf("%q: 第76项's line has %q:\n%s", tt.q, w, strings.Join(lines, "\n"))
				}
			}
		})
	}
}
