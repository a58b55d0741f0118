package storeconfig_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"duban/bot"
	"duban/store/redisstore/redistest"
	"duban/store/storeconfig"
)

// TestReadyzFollowsRedis serves /readyz as `duban serve` wires it (a
// Health probe on the opened store) on a real redis-server, stops the
// server and expects 503 within a few seconds, then restarts it and
// expects 200 again without reopening the store.
func TestReadyzFollowsRedis(t *testing.T) {
	srv := redistest.Start(t)
	url := srv.URL() + "?dial_timeout=200ms&read_timeout=200ms&write_timeout=200ms&max_retries=0"
	st, _, err := storeconfig.Open(t.Context(), storeconfig.Config{RedisURL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := &storeconfig.Health{Store: st, Every: 100 * time.Millisecond, Timeout: 300 * time.Millisecond}
	go h.Run(t.Context())
	s := bot.NewServer(bot.ServerConfig{})
	s.AddCheck("store", h.Check)
	ts := httptest.NewServer(s)
	defer ts.Close()

	waitStatus(t, ts.URL, http.StatusOK, "at start")
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, ts.URL, http.StatusServiceUnavailable, "after the server stopped")
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, ts.URL, http.StatusOK, "after the server restarted")
}

// waitStatus polls /readyz until it answers want, failing after 5 s.
func waitStatus(t *testing.T, base string, want int, when string) {
	t.Helper()
	start := time.Now()
	for {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == want {
			t.Logf("/readyz %d %s after %v", want, when, time.Since(start).Round(10*time.Millisecond))
			return
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("/readyz %s: %d after 5 s, want %d", when, resp.StatusCode, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
