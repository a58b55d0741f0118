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

// TestDashboardExtension: key task 76 of the seeds is due 2020-12-31; the
// journal records an approved extension to 3月底 (2021-03-31) and a run at
// the new date's due-7 sends its reminder. The dashboard's task page
// counts days, colour and the reminder history from the new date and
// shows both dates.
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
	if _, err := tr.Record(context.Background(), kb.Status{Table: kb.KeyTasks, No: 76, State: kb.ExtensionApproved, Extension: "3月底",
		Unit: "住建局", Reviewer: "督查办", At: time.Date(2021, 1, 5, 10, 0, 0, 0, kb.Location)}); err != nil {
		t.Fatal(err)
	}
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
	if _, err := s.Run(context.Background(), time.Date(2021, 3, 24, 9, 0, 0, 0, kb.Location)); err != nil {
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
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/board/api/task/key_tasks/76?asof="+tt.asOf, nil)
			r.RemoteAddr, r.Host = "127.0.0.1:1", "127.0.0.1"
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("task page: %d %s", w.Code, body)
			}
			var page struct {
				Task struct {
					Due      string `json:"due"`
					Extended string `json:"extended_due"`
					DaysLeft *int   `json:"days_left"`
					Light    string `json:"light"`
				} `json:"task"`
				Reminders []struct{ Chat, Milestone string } `json:"reminders"`
			}
			if err := json.Unmarshal([]byte(body), &page); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			got := page.Task
			if got.Due != "2020-12-31" || got.Extended != "2021-03-31" || got.DaysLeft == nil || *got.DaysLeft != tt.daysLeft || got.Light != tt.light {
				t.Errorf("task = due %s, extended %s, days left %v, light %s; want 2020-12-31, 2021-03-31, %d, %s\n%s",
					got.Due, got.Extended, got.DaysLeft, got.Light, tt.daysLeft, tt.light, body)
			}
			found := false
			for _, rm := range page.Reminders {
				if rm.Chat == "住建局群" && strings.HasPrefix(rm.Milestone, "due-7") {
					found = true
				}
			}
			if found != tt.sent {
				t.Errorf("history has the new date's due-7: %v, want %v\n%s", found, tt.sent, body)
			}
		})
	}
}
