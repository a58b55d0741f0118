// Package metrics holds duban's Prometheus collectors on a registry of its
// own (never the global one, so tests and several servers in one process
// do not collide), and the bot middleware that feeds the question metrics.
// Every name is prefixed "duban_".
package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"duban/bot"
	"duban/handlers"
)

// Metrics is the set of duban's collectors. The fields are exported for
// callers that need a label combination the helper methods do not cover;
// cmd wires the scheduler's and the loader's events to the methods.
type Metrics struct {
	// Registry holds every collector below plus the Go and process
	// collectors; serve it with bot.ServerConfig{Metrics: m.Registry}.
	Registry *prometheus.Registry

	Questions      *prometheus.CounterVec   // duban_questions_total{intent,platform}
	AnswerSeconds  *prometheus.HistogramVec // duban_answer_seconds{platform}
	NotFound       prometheus.Counter       // duban_not_found_total
	RemindersSent  *prometheus.CounterVec   // duban_reminders_sent_total{chat}
	RemindersRetry *prometheus.CounterVec   // duban_reminders_retried_total{chat}
	RemindersFail  *prometheus.CounterVec   // duban_reminders_failed_total{chat}
	RateLimitWaits *prometheus.CounterVec   // duban_ratelimit_waits_total{chat}
	RateRefusals   *prometheus.CounterVec   // duban_ratelimit_refusals_total{chat}
	KBRecords      *prometheus.GaugeVec     // duban_kb_records{table}
	KBPassages     prometheus.Gauge         // duban_kb_passages
	KBLastReload   prometheus.Gauge         // duban_kb_last_reload_timestamp_seconds
	ConnectionUp   *prometheus.GaugeVec     // duban_connection_up{name}
}

// answerBuckets span a microsecond answer from memory up to the 5 s after
// which WeCom abandons a callback.
var answerBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// New returns the collectors registered on a fresh registry.
func New() *Metrics {
	const ns = "duban"
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Questions: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "questions_total",
			Help: "Questions answered, by the answer's intent and the platform asked on."}, []string{"intent", "platform"}),
		AnswerSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "answer_seconds",
			Help: "Time to answer one question, middleware included.", Buckets: answerBuckets}, []string{"platform"}),
		NotFound: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "not_found_total",
			Help: "Questions answered with \"not found\"."}),
		RemindersSent: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "reminders_sent_total",
			Help: "Reminder digests delivered, by chat."}, []string{"chat"}),
		RemindersRetry: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "reminders_retried_total",
			Help: "Reminder sends retried after a retryable error, by chat."}, []string{"chat"}),
		RemindersFail: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "reminders_failed_total",
			Help: "Reminder digests given up on, by chat."}, []string{"chat"}),
		RateLimitWaits: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "ratelimit_waits_total",
			Help: "Sends that waited for the per-webhook rate limiter, by chat."}, []string{"chat"}),
		RateRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "ratelimit_refusals_total",
			Help: "Platform refusals for sending too fast (WeCom 45009, DingTalk 130101), by chat."}, []string{"chat"}),
		KBRecords: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "kb_records",
			Help: "Task records loaded, by table."}, []string{"table"}),
		KBPassages: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "kb_passages",
			Help: "Paragraphs in the full-text index."}),
		KBLastReload: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "kb_last_reload_timestamp_seconds",
			Help: "Unix time of the last successful knowledge-base load."}),
		ConnectionUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "connection_up",
			Help: "1 while an outbound long connection (WeCom 智能机器人, DingTalk Stream) or the store is up."}, []string{"name"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.Questions, m.AnswerSeconds, m.NotFound,
		m.RemindersSent, m.RemindersRetry, m.RemindersFail, m.RateLimitWaits, m.RateRefusals,
		m.KBRecords, m.KBPassages, m.KBLastReload, m.ConnectionUp,
	)
	return m
}

// Middleware counts each answered question by its reply's intent and the
// platform, counts "not found" answers and observes latency. A failed
// message counts with intent "error"; a duplicate is not a question and is
// not counted. Put it right inside bot.Log so it times the whole chain.
func (m *Metrics) Middleware() bot.Middleware {
	return func(next bot.HandlerFunc) bot.HandlerFunc {
		return func(ctx context.Context, msg *bot.Message) (handlers.Reply, error) {
			start := time.Now()
			r, err := next(ctx, msg)
			if errors.Is(err, bot.ErrDuplicate) {
				return r, err
			}
			m.AnswerSeconds.WithLabelValues(msg.Platform).Observe(time.Since(start).Seconds())
			intent := r.Intent
			switch {
			case err != nil:
				intent = "error"
			case intent == "":
				intent = "unknown"
			}
			m.Questions.WithLabelValues(intent, msg.Platform).Inc()
			if err == nil && r.NotFound {
				m.NotFound.Inc()
			}
			return r, err
		}
	}
}

// ReminderSent counts one digest delivered to chat.
func (m *Metrics) ReminderSent(chat string) { m.RemindersSent.WithLabelValues(chat).Inc() }

// ReminderRetried counts one retry of a send to chat.
func (m *Metrics) ReminderRetried(chat string) { m.RemindersRetry.WithLabelValues(chat).Inc() }

// ReminderFailed counts one digest to chat given up on.
func (m *Metrics) ReminderFailed(chat string) { m.RemindersFail.WithLabelValues(chat).Inc() }

// RateLimitWaited counts one send to chat that had to wait for a token.
func (m *Metrics) RateLimitWaited(chat string) { m.RateLimitWaits.WithLabelValues(chat).Inc() }

// RateLimitRefused counts one platform refusal of a send to chat for
// sending too fast.
func (m *Metrics) RateLimitRefused(chat string) { m.RateRefusals.WithLabelValues(chat).Inc() }

// KBLoaded records a successful knowledge-base load: records per table,
// the passage count and the load time. A table missing from records keeps
// its last value; list it with 0 to clear it.
func (m *Metrics) KBLoaded(records map[string]int, passages int, at time.Time) {
	for table, n := range records {
		m.KBRecords.WithLabelValues(table).Set(float64(n))
	}
	m.KBPassages.Set(float64(passages))
	m.KBLastReload.Set(float64(at.UnixNano()) / 1e9)
}

// SetConnectionUp records whether the connection called name is up.
func (m *Metrics) SetConnectionUp(name string, up bool) {
	v := 0.0
	if up {
		v = 1
	}
	m.ConnectionUp.WithLabelValues(name).Set(v)
}
