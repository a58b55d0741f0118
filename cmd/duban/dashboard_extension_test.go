package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/scheduler"
	"duban/store/memstore"
)

// TestDashboardExtension: key task 76 of the seeds is due 2020-12-31; a run
// sends its due-30, then the journal records an approved extension to 3月底
// (2021-03-31), a run at the new date's due-7 sends that, and the task is
// finished on 4月10日. The dashboard's task page counts days and colour from
// the new date, shows both dates, and its reminder history keeps both
// dates' reminders, also once the task is finished.
func TestDashboardExtension(t *testing.T) {
	b := e2eSeedsBase(t)
	if r, ok := b.Task(kb.KeyTasks, 76); !ok || r.Due.ISO() != "2020-12-31" {
		t.Fatalf("seed key task 76 due %v, want 2020-12-31", r.Due)
	}
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tr := progress.New(st, progress.Config{})
	cfg := (&config{
		Chats:     []chatConfig{{Chat: scheduler.Chat{Name: "住建局群", Type: typeWeComWebhook, Units: []string{"住建局"}}, WebhookKey: "k"}},
		Reminders: []scheduler.Rule{{Cron: "0 9 * * *", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7}},
		Dashboard: dashboardConfig{Prefix: "/board"},
	}).withDefaults()
	sc := cfg.schedulerConfig()
	sc.Status = tr.Lookup
	s, err := scheduler.New(sc, b, nopPusher{}, st)
	if err != nil {
		t.Fatal(err)
	}
	// Before the approval: the document date's due-30.
	if _, err := s.Run(context.Background(), time.Date(2020, 12, 1, 9, 0, 0, 0, kb.Location)); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Record(context.Background(), kb.Status{Table: kb.KeyTasks, No: 76, State: kb.ExtensionApproved, Extension: "3月底",
		Unit: "住建局", Reviewer: "督查办", At: time.Date(2021, 1, 5, 10, 0, 0, 0, kb.Location)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), time.Date(2021, 3, 24, 9, 0, 0, 0, kb.Location)); err != nil {
		t.Fatal(err)
	}
	// Finished after the new date.
	if _, err := tr.Record(context.Background(), kb.Status{Table: kb.KeyTasks, No: 76, State: kb.Done,
		Unit: "住建局", At: time.Date(2021, 4, 10, 10, 0, 0, 0, kb.Location)}); err != nil {
		t.Fatal(err)
	}
	state := &kbState{log: slog.New(slog.DiscardHandler)}
	state.handler.Store(handlers.New(b, handlers.Config{}))
	srv := bot.NewServer(bot.ServerConfig{Logger: slog.New(slog.DiscardHandler)})
	wireDashboard(cfg, srv, state, tr, st, slog.New(slog.DiscardHandler))

	tests := []struct {
		asOf     string
		daysLeft int
		light    string
		sent     bool // the new date's due-7 in the history
	}{
		{"2021-01-10", 80, "green", false},
		{"2021-03-25", 6, "green", true},
		{"2021-04-02", -2, "red", true},
	}
	type page struct {
		Task struct {
			Due      string `json:"due"`
			Extended string `json:"extended_due"`
			DaysLeft *int   `json:"days_left"`
			Light    string `json:"light"`
		} `json:"task"`
		Reminders []struct{ Chat, Milestone string } `json:"reminders"`
	}
	get := func(t *testing.T, asOf string) page {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, "/board/api/task/key_tasks/76?asof="+asOf, nil)
		r.RemoteAddr, r.Host = "127.0.0.1:1", "127.0.0.1"
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		var p page
		if w.Code != http.StatusOK {
			t.Fatalf("task page: %d %s", w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
			t.Fatalf("%v: %s", err, w.Body)
		}
		return p
	}
	has := func(p page, milestone string) bool {
		for _, rm := range p.Reminders {
			if rm.Chat == "住建局群" && strings.HasPrefix(rm.Milestone, milestone) {
				return true
			}
		}
		return false
	}
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			p := get(t, tt.asOf)
			got := p.Task
			if got.Due != "2020-12-31" || got.Extended != "2021-03-31" || got.DaysLeft == nil || *got.DaysLeft != tt.daysLeft || got.Light != tt.light {
				t.Errorf("task = due %s, extended %s, days left %v, light %s; want 2020-12-31, 2021-03-31, %d, %s\n%+v",
					got.Due, got.Extended, got.DaysLeft, got.Light, tt.daysLeft, tt.light, p)
			}
			if found := has(p, "due-7@"); found != tt.sent {
				t.Errorf("history has the new date's due-7: %v, want %v\n%+v", found, tt.sent, p.Reminders)
			}
			if !has(p, "due-30") {
				t.Errorf("history lost the document date's due-30 sent before the approval: %+v", p.Reminders)
			}
		})
	}
	// Finished: the history keeps both dates' reminders.
	if p := get(t, "2021-04-12"); p.Task.Light != "done" || !has(p, "due-7@") || !has(p, "due-30") {
		t.Errorf("after 已完成: light %s, reminders %+v; want done, due-30 and the new due-7", p.Task.Light, p.Reminders)
	}
}
