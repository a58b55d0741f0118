package wecom

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

// testNow is the fixed clock of the callback tests.
var testNow = time.Unix(1700000000, 0)

func fixedNow() time.Time { return testNow }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// recorder is a fake HandlerFunc: it answers with answer(m) and records
// the messages it saw.
type recorder struct {
	mu     sync.Mutex
	msgs   []bot.Message
	answer func(ctx context.Context, m *bot.Message) (handlers.Reply, error)
}

func (r *recorder) handle(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
	r.mu.Lock()
	r.msgs = append(r.msgs, *m)
	r.mu.Unlock()
	if r.answer != nil {
		return r.answer(ctx, m)
	}
	return handlers.Reply{Head: "答：" + m.Text}, nil
}

func (r *recorder) seen() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Message(nil), r.msgs...)
}

// serve starts h on a loopback server and returns its URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// appCallback returns an app callback configured against the fake, served
// on loopback, with its async sender pointed at the fake's message/send.
func appCallback(t *testing.T, fake *wecomtest.Server, rec *recorder, mod func(*CallbackConfig)) (*Callback, string) {
	t.Helper()
	app, err := NewApp(AppConfig{CorpID: fake.Opts.CorpID, AgentID: fake.Opts.AgentID,
		Secret: Secret(fake.Opts.Secret), BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	cfg := CallbackConfig{CorpID: fake.Opts.CorpID, Token: Secret(fake.App.Token),
		EncodingAESKey: Secret(fake.App.EncodingAESKey), Now: fixedNow, Async: app, Logger: quiet}
	if mod != nil {
		mod(&cfg)
	}
	cb, err := NewCallback(cfg, rec.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cb.Wait)
	return cb, serve(t, cb)
}

func aibotCallback(t *testing.T, fake *wecomtest.Server, rec *recorder, mod func(*AIBotConfig)) (*AIBotCallback, string) {
	t.Helper()
	cfg := AIBotConfig{Token: Secret(fake.AIBot.Token), EncodingAESKey: Secret(fake.AIBot.EncodingAESKey),
		Now: fixedNow, Logger: quiet}
	if mod != nil {
		mod(&cfg)
	}
	cb, err := NewAIBotCallback(cfg, rec.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cb.Wait)
	return cb, serve(t, cb)
}

func send(t *testing.T, cb *wecomtest.Callback) (int, []byte) {
	t.Helper()
	status, body, err := cb.Send(context.Background(), http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	return status, body
}
