package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom"
	"duban/handlers"
	"duban/kb"
	"duban/outbound"
	"duban/progress"
	"duban/scheduler"
	"duban/store/memstore"
)

func TestMilestoneDays(t *testing.T) {
	rules := []scheduler.Rule{{DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7}, {DaysBefore: []int{7}}}
	due := time.Date(2020, 12, 31, 0, 0, 0, 0, kb.Location)
	asOf := time.Date(2021, 1, 20, 23, 59, 0, 0, kb.Location)
	var got []string
	for _, d := range milestoneDays(rules, due, asOf) {
		got = append(got, d.Format(time.DateOnly))
	}
	want := "2020-12-01 2020-12-24 2020-12-30 2021-01-01 2021-01-08 2021-01-15"
	if strings.Join(got, " ") != want {
		t.Errorf("milestoneDays = %v, want %s", got, want)
	}
}

// nopPusher's senders render as a WeCom webhook and accept every post.
type nopPusher struct{}

func (nopPusher) Sender(scheduler.Chat) (outbound.Sender, bool) { return nopSender{}, true }

type nopSender struct{ wecom.WebhookFormat }

func (nopSender) Post(context.Context, outbound.Message) error { return nil }

// TestDashboardLedger sends one scheduler run into a memstore and records
// a report in its journal, then reads the task page of the dashboard serve
// mounts: the report and the reminder the run sent show.
func TestDashboardLedger(t *testing.T) {
	b := e2eSeedsBase(t)
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := (&config{
		Chats:     []chatConfig{{Chat: scheduler.Chat{Name: "住建局群", Type: typeWeComWebhook, Units: []string{"住建局"}}, WebhookKey: "k"}},
		Reminders: []scheduler.Rule{{Cron: "0 9 * * *", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7}},
		Dashboard: dashboardConfig{Prefix: "/board"},
	}).withDefaults()
	s, err := scheduler.New(cfg.schedulerConfig(), b, nopPusher{}, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), time.Date(2020, 12, 1, 9, 0, 0, 0, kb.Location)); err != nil {
		t.Fatal(err)
	}

	tr := progress.New(st, progress.Config{})
	if _, err := tr.Record(context.Background(), kb.Status{Table: kb.KeyTasks, No: 76, State: kb.InProgress,
		Note: "已完成招标", Unit: "住建局", At: time.Date(2020, 12, 2, 10, 0, 0, 0, kb.Location)}); err != nil {
		t.Fatal(err)
	}
	state := &kbState{log: slog.New(slog.DiscardHandler)}
	state.handler.Store(handlers.New(b, handlers.Config{}))
	srv := bot.NewServer(bot.ServerConfig{Logger: slog.New(slog.DiscardHandler)})
	wireDashboard(cfg, srv, state, tr, st, slog.New(slog.DiscardHandler))

	r := httptest.NewRequest(http.MethodGet, "/board/api/task/key_tasks/76?asof=2020-12-20", nil)
	r.RemoteAddr, r.Host = "127.0.0.1:1", "127.0.0.1"
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	body, _ := io.ReadAll(w.Body)
	if w.Code != http.StatusOK {
		t.Fatalf("task page: %d %s", w.Code, body)
	}
	for _, want := range []string{`"ledger":"read"`, `"chat":"住建局群"`, `"milestone":"due-30"`, `"answer":"`,
		`"note":"已完成招标"`, `"light":"green"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("task page JSON lacks %s: %s", want, body)
		}
	}
	if strings.Contains(string(body), `"milestone":"due-7"`) {
		t.Errorf("due-7 listed as sent; only the 12-01 run was sent: %s", body)
	}
}
