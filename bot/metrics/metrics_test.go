package metrics_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"duban/bot"
	"duban/bot/metrics"
	"duban/handlers"
)

// scrape GETs /metrics from a bot.Server serving m and parses it with the
// Prometheus text parser, as a Prometheus server would.
func scrape(t *testing.T, srv *httptest.Server) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics = %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// value returns the counter, gauge or histogram count of the sample of
// family name whose labels include want, or -1 when there is none.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	f, ok := fams[name]
	if !ok {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, lp := range m.GetLabel() {
			labels[lp.GetName()] = lp.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	return -1
}

func TestMetricsMoveAfterAQuestion(t *testing.T) {
	m := metrics.New()
	s := bot.NewServer(bot.ServerConfig{Metrics: m.Registry})
	srv := httptest.NewServer(s)
	defer srv.Close()

	replies := map[string]handlers.Reply{
		"76号任务谁牵头": {Intent: "task", Head: "周国强"},
		"火星上有什么":   {Intent: "not_found", NotFound: true},
	}
	h := bot.Chain(func(_ context.Context, msg *bot.Message) (handlers.Reply, error) {
		if msg.Text == "boom" {
			return handlers.Reply{}, errors.New("boom")
		}
		return replies[msg.Text], nil
	}, m.Middleware())

	before := scrape(t, srv)
	if v := value(before, "duban_questions_total", map[string]string{"intent": "task"}); v > 0 {
		t.Fatalf("questions_total before any question = %v", v)
	}
	ctx := t.Context()
	h(ctx, &bot.Message{Platform: bot.DingTalk, Text: "76号任务谁牵头"})
	h(ctx, &bot.Message{Platform: bot.DingTalk, Text: "76号任务谁牵头"})
	h(ctx, &bot.Message{Platform: bot.WeComAIBot, Text: "火星上有什么"})
	h(ctx, &bot.Message{Platform: bot.WeComAIBot, Text: "boom"})
	bot.Chain(func(context.Context, *bot.Message) (handlers.Reply, error) {
		return handlers.Reply{}, bot.ErrDuplicate
	}, m.Middleware())(ctx, &bot.Message{Platform: bot.DingTalk})

	m.ReminderSent("住建局工作群")
	m.ReminderRetried("住建局工作群")
	m.ReminderFailed("交通局工作群")
	m.RateLimitWaited("住建局工作群")
	m.RateLimitRefused("交通局工作群")
	m.KBLoaded(map[string]int{"key_tasks": 173, "people_projects": 50}, 1200, time.Unix(1600000000, 0))
	m.SetConnectionUp("dingtalk_stream", true)

	after := scrape(t, srv)
	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"duban_questions_total", map[string]string{"intent": "task", "platform": "dingtalk"}, 2},
		{"duban_questions_total", map[string]string{"intent": "not_found", "platform": "wecom_aibot"}, 1},
		{"duban_questions_total", map[string]string{"intent": "error", "platform": "wecom_aibot"}, 1},
		{"duban_answer_seconds", map[string]string{"platform": "dingtalk"}, 2}, // the duplicate is not timed
		{"duban_not_found_total", nil, 1},
		{"duban_reminders_sent_total", map[string]string{"chat": "住建局工作群"}, 1},
		{"duban_reminders_retried_total", map[string]string{"chat": "住建局工作群"}, 1},
		{"duban_reminders_failed_total", map[string]string{"chat": "交通局工作群"}, 1},
		{"duban_ratelimit_waits_total", map[string]string{"chat": "住建局工作群"}, 1},
		{"duban_ratelimit_refusals_total", map[string]string{"chat": "交通局工作群"}, 1},
		{"duban_kb_records", map[string]string{"table": "key_tasks"}, 173},
		{"duban_kb_passages", nil, 1200},
		{"duban_kb_last_reload_timestamp_seconds", nil, 1600000000},
		{"duban_connection_up", map[string]string{"name": "dingtalk_stream"}, 1},
	}
	for _, tt := range tests {
		if got := value(after, tt.name, tt.labels); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}
	if _, ok := after["go_goroutines"]; !ok {
		t.Error("Go runtime collector missing from the registry")
	}
}

func TestTwoRegistriesDoNotCollide(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.ReminderSent("群")
	if v := testValue(t, b); v != 0 {
		t.Errorf("second Metrics sees the first's counter: %v", v)
	}
}

func testValue(t *testing.T, m *metrics.Metrics) float64 {
	t.Helper()
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == "duban_reminders_sent_total" {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}
