package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
)

func TestWebhookFailures(t *testing.T) {
	tests := []struct {
		name      string
		failure   *dingtalktest.Failure
		cfg       WebhookConfig // AccessToken/Secret/Now override the working ones
		wantAPI   int           // errcode of *APIError; 0 for *TransportError
		wantRetry bool
	}{
		{"rate limited", &dingtalktest.Failure{ErrCode: 130101, ErrMsg: "send too fast, exceed 20 times per minute"}, WebhookConfig{}, 130101, true},
		{"system busy", &dingtalktest.Failure{ErrCode: -1, ErrMsg: "系统繁忙"}, WebhookConfig{}, -1, true},
		{"http 500", &dingtalktest.Failure{Status: 500}, WebhookConfig{}, 0, true},
		{"http 502 with errcode", &dingtalktest.Failure{Status: 502, ErrCode: 88}, WebhookConfig{}, 88, true},
		{"hangs past the client timeout", &dingtalktest.Failure{Hang: true}, WebhookConfig{HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}}, 0, true},
		{"wrong secret", nil, WebhookConfig{Secret: "SECwrong"}, 310000, false},
		{"no secret where one is required", nil, WebhookConfig{Secret: ""}, 310000, false},
		{"clock two hours slow", nil, WebhookConfig{Now: func() time.Time { return t0.Add(-2 * time.Hour) }}, 310000, false},
		{"unknown token", nil, WebhookConfig{AccessToken: "tok-unknown-5ecret"}, 300001, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dingtalktest.NewServer(t)
			fake.SetNow(func() time.Time { return t0 })
			fake.AddRobot(token, secret)
			if tt.failure != nil {
				fake.Fail(*tt.failure)
			}
			cfg := tt.cfg
			if tt.name != "no secret where one is required" && cfg.Secret == "" {
				cfg.Secret = secret
			}
			w := newTestWebhook(t, fake, cfg)
			err := w.Send(context.Background(), answer76)
			checkSendError(t, err, tt.wantAPI, tt.wantRetry, string(cfg.AccessToken), string(cfg.Secret))
			if len(fake.Sent()) != 0 {
				t.Errorf("fake accepted %d posts, want 0", len(fake.Sent()))
			}
		})
	}
}

// checkSendError checks the error's type, code and retryability, and that
// its text holds none of the credentials.
func checkSendError(t *testing.T, err error, wantAPI int, wantRetry bool, creds ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("Send = nil, want an error")
	}
	var api *APIError
	var tr *TransportError
	switch {
	case wantAPI != 0 && !errors.As(err, &api):
		t.Fatalf("Send = %v (%T), want *APIError", err, err)
	case wantAPI != 0 && api.Code != wantAPI:
		t.Errorf("APIError.Code = %d, want %d", api.Code, wantAPI)
	case wantAPI == 0 && !errors.As(err, &api) && !errors.As(err, &tr):
		t.Fatalf("Send = %v (%T), want *APIError or *TransportError", err, err)
	}
	var re bot.RetryableError
	if !errors.As(err, &re) || re.Retryable() != wantRetry {
		t.Errorf("Send = %v: Retryable() = %v, want %v", err, re != nil && re.Retryable(), wantRetry)
	}
	for _, c := range append(creds, token, secret) {
		if c != "" && strings.Contains(err.Error(), c) {
			t.Errorf("error %q leaks a credential", err)
		}
	}
}

func TestWebhookRateLimitByFake(t *testing.T) {
	fake := dingtalktest.NewServer(t)
	now := t0
	fake.SetNow(func() time.Time { return now })
	fake.AddRobot(token, secret)
	w := newTestWebhook(t, fake, WebhookConfig{Secret: secret, Now: func() time.Time { return now }})
	for i := range dingtalktest.RatePerMinute {
		now = t0.Add(time.Duration(i) * time.Second)
		if err := w.Send(context.Background(), answer76); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
	}
	err := w.Send(context.Background(), answer76)
	var api *APIError
	if !errors.As(err, &api) || !api.RateLimited() || !api.Retryable() {
		t.Fatalf("send 21 = %v, want a rate-limit *APIError", err)
	}
}

func TestWebhookConnectionRefused(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	w, err := NewWebhook(WebhookConfig{AccessToken: token, Secret: secret, BaseURL: closed.URL})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Send(context.Background(), answer76)
	checkSendError(t, err, 0, true)
	var tr *TransportError
	if !errors.As(err, &tr) {
		t.Errorf("Send = %T, want *TransportError", err)
	}
}

func TestWebhookConfigValidate(t *testing.T) {
	if _, err := NewWebhook(WebhookConfig{}); err == nil || !strings.Contains(err.Error(), "access_token: missing") {
		t.Errorf("NewWebhook(zero) = %v, want access_token: missing", err)
	}
	if _, err := NewWebhook(WebhookConfig{AccessToken: "x", BaseURL: "ftp://x"}); err == nil {
		t.Error("NewWebhook(ftp base) = nil error, want one")
	}
	if _, err := NewRobot(RobotConfig{}, func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil }); err == nil {
		t.Error("NewRobot(zero) = nil error, want app_secret missing")
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	w, _ := NewWebhook(WebhookConfig{AccessToken: token, Secret: secret})
	rb, _ := NewRobot(RobotConfig{AppSecret: appSecret}, func(context.Context, *bot.Message) (handlers.Reply, error) {
		return handlers.Reply{}, nil
	})
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "secret", Secret(secret), "token", WebhookConfig{AccessToken: token}.AccessToken)
	out := fmt.Sprintf("%v %+v %#v %s %v %v", Secret(secret), WebhookConfig{AccessToken: token, Secret: secret},
		WebhookConfig{Secret: secret}, w, rb, RobotConfig{AppSecret: appSecret}) + logged.String()
	for _, s := range []string{token, secret, appSecret} {
		if strings.Contains(out, s) {
			t.Errorf("output %q contains a secret", out)
		}
	}
}
