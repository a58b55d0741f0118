package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"duban/bot"
	"duban/handlers"
)

// proxied starts the emulator behind a bot.Server trusting proxies, and a
// loopback reverse proxy in front of it that forwards as nginx does with
// its default Host header ($proxy_host, a loopback address) and
// X-Forwarded-For set to the browser's address, client.
func proxied(t *testing.T, token string, trusted []string, client string) (direct, viaProxy string) {
	t.Helper()
	proxies, err := bot.ParseProxies(trusted)
	if err != nil {
		t.Fatal(err)
	}
	s := bot.NewServer(bot.ServerConfig{Proxies: proxies})
	s.Handle("/", New(Config{Token: token, Handler: func(context.Context, *bot.Message) (handlers.Reply, error) {
		return handlers.Reply{Head: "ok"}, nil
	}}))
	backend := httptest.NewServer(s)
	t.Cleanup(backend.Close)
	target, _ := url.Parse(backend.URL)
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target) // Host becomes the backend's 127.0.0.1:port
		pr.Out.Header.Set("X-Forwarded-For", client)
		pr.Out.Header.Set("X-Real-IP", client)
	}}
	front := httptest.NewServer(rp)
	t.Cleanup(front.Close)
	return backend.URL, front.URL
}

func status(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestEmulatorBehindProxy reaches the emulator through a loopback reverse
// proxy. On the old code a browser anywhere got the page through nginx
// on the same host: the peer and the Host header were both loopback.
func TestEmulatorBehindProxy(t *testing.T) {
	const remote = "203.0.113.7"
	tests := []struct {
		name    string
		token   string
		trusted []string
		client  string
		path    string
		want    int
	}{
		{"remote browser, proxy not in trusted_proxies", "", nil, remote, "/", http.StatusForbidden},
		{"local browser, proxy not in trusted_proxies", "", nil, "127.0.0.1", "/", http.StatusForbidden},
		{"remote browser, trusted proxy", "", []string{"127.0.0.1"}, remote, "/", http.StatusForbidden},
		{"remote browser, trusted proxy, token", "emu-token", []string{"127.0.0.1"}, remote, "/?token=emu-token", http.StatusOK},
		{"remote browser, trusted proxy, wrong token", "emu-token", []string{"127.0.0.1"}, remote, "/?token=guess", http.StatusUnauthorized},
		{"local browser, trusted proxy", "", []string{"127.0.0.1"}, "127.0.0.1", "/", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			direct, via := proxied(t, tt.token, tt.trusted, tt.client)
			if got := status(t, via+tt.path); got != tt.want {
				t.Errorf("through the proxy: %d, want %d", got, tt.want)
			}
			if tt.token == "" {
				if got := status(t, direct+"/"); got != http.StatusOK {
					t.Errorf("direct from loopback: %d, want 200", got)
				}
			}
		})
	}
}
