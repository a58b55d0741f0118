package dingtalk

import (
	"context"
	"errors"
	"strings"
	"testing"

	"duban/bot"
	"duban/handlers"
)

func TestStreamConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  StreamConfig
		want []string
	}{
		{"empty", StreamConfig{}, []string{"client_id: missing", "client_secret: missing"}},
		{"bad urls", StreamConfig{ClientID: "id", ClientSecret: "s", OpenAPIBaseURL: "api.dingtalk.com", BaseURL: "ftp://x"},
			[]string{"openapi_base_url", "api_base_url"}},
		{"ok", StreamConfig{ClientID: "id", ClientSecret: "s"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewStream(tt.cfg, func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil })
			if (err != nil) != (len(tt.want) > 0) {
				t.Fatalf("err = %v, want errors %q", err, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestStreamRunTwice(t *testing.T) {
	var rc recorder
	r := startStream(t, StreamConfig{}, rc.handle)
	if err := r.s.Run(context.Background()); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("second Run = %v, want an error", err)
	}
}
