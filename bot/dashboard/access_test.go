package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

func newTestDashboard(t *testing.T, token, prefix string) *Dashboard {
	t.Helper()
	b := seeds(t)
	return New(Config{Base: func() *kb.Base { return b }, History: reports().history, Token: token, Prefix: prefix,
		Now: func() time.Time { return day(12, 20, 9) }})
}

func get(h http.Handler, target, remote, host string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = remote
	if host != "" {
		r.Host = host
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestAccessWithoutToken(t *testing.T) {
	d := newTestDashboard(t, "", "")
	tests := []struct {
		name   string
		remote string
		host   string
		hdr    map[string]string
		want   int
	}{
		{"loopback v4", "127.0.0.1:5000", "127.0.0.1:8080", nil, http.StatusOK},
		{"loopback v6", "[::1]:5000", "localhost:8080", nil, http.StatusOK},
		{"remote client", "203.0.113.7:5000", "127.0.0.1:8080", nil, http.StatusForbidden},
		{"LAN client", "192.168.1.20:5000", "192.168.1.2:8080", nil, http.StatusForbidden},
		{"rebinding host", "127.0.0.1:5000", "evil.example:8080", nil, http.StatusForbidden},
		{"local proxy for a remote client", "127.0.0.1:5000", "127.0.0.1:8080", map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusForbidden},
		{"bearer is no key when none is set", "203.0.113.7:5000", "gov.example", map[string]string{"Authorization": "Bearer x"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := get(d, "/dashboard/?asof=2020-12-20", tt.remote, tt.host, tt.hdr); w.Code != tt.want {
				t.Errorf("GET from %s (Host %s) = %d, want %d", tt.remote, tt.host, w.Code, tt.want)
			}
		})
	}
}

func TestAccessWithToken(t *testing.T) {
	const token = "s3cret-token-for-tests"
	d := newTestDashboard(t, token, "")
	remote, host := "203.0.113.7:5000", "duban.gov.example"

	if w := get(d, "/dashboard/", remote, host, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", w.Code)
	}
	if w := get(d, "/dashboard/?token=wrong", remote, host, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", w.Code)
	}
	if w := get(d, "/dashboard/api/board", remote, host, map[string]string{"Authorization": "Bearer " + token}); w.Code != http.StatusOK {
		t.Errorf("bearer: %d, want 200", w.Code)
	}

	// ?token= sets the cookie and redirects to the address without it.
	w := get(d, "/dashboard/timeline?token="+token+"&unit=住建局", remote, host, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("?token=: %d, want 303", w.Code)
	}
	if loc := w.Header().Get("Location"); strings.Contains(loc, "token") || !strings.HasPrefix(loc, "timeline?") {
		t.Errorf("redirect to %q, want timeline?… without the token", loc)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies = %v, want one", cookies)
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/dashboard" || c.Value != token {
		t.Errorf("cookie = %+v, want HttpOnly, SameSite=Strict, Path /dashboard", c)
	}
	// The cookie alone then opens every page.
	if w := get(d, "/dashboard/timeline?unit=住建局", remote, host, map[string]string{"Cookie": c.Name + "=" + c.Value}); w.Code != http.StatusOK {
		t.Errorf("with cookie: %d, want 200", w.Code)
	}
	if w := get(d, "/dashboard/", remote, host, map[string]string{"Cookie": c.Name + "=nope"}); w.Code != http.StatusUnauthorized {
		t.Errorf("bad cookie: %d, want 401", w.Code)
	}
	// The redirect never leaves the dashboard, whatever the path holds.
	for _, p := range []string{`/dashboard/\\evil.example?token=` + token, "/dashboard/x:y?token=" + token} {
		w := get(d, p, remote, host, nil)
		if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "./" {
			t.Errorf("GET %s: %d → %q, want 303 → ./", p, w.Code, loc)
		}
	}
	// A download with ?token= is served at once (no redirect for files).
	if w := get(d, "/dashboard/export.csv?token="+token, remote, host, nil); w.Code != http.StatusOK {
		t.Errorf("export with ?token=: %d, want 200", w.Code)
	}
}

// TestProxyPrefix mounts the dashboard at a configured prefix behind a
// proxy that adds its own: links stay relative, the cookie path takes
// both prefixes, the bare prefix redirects into the dashboard.
func TestProxyPrefix(t *testing.T) {
	const token = "tok"
	d := newTestDashboard(t, token, "/ops/board/")
	if d.Prefix() != "/ops/board" {
		t.Fatalf("Prefix() = %q, want /ops/board", d.Prefix())
	}
	hdr := map[string]string{"X-Forwarded-Prefix": "/duban", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
	w := get(d, "/ops/board/?token="+token, "127.0.0.1:4000", "gov.example", hdr)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("?token= behind proxy: %d, want 303", w.Code)
	}
	c := w.Result().Cookies()[0]
	if c.Path != "/duban/ops/board" || !c.Secure {
		t.Errorf("cookie path %q secure %v, want /duban/ops/board, secure", c.Path, c.Secure)
	}
	hdr["Cookie"] = c.Name + "=" + c.Value
	w = get(d, "/ops/board/?asof=2020-12-20", "127.0.0.1:4000", "gov.example", hdr)
	if w.Code != http.StatusOK {
		t.Fatalf("overview behind proxy: %d", w.Code)
	}
	body := w.Body.String()
	for _, link := range []string{`href="./static/style.css"`, `href="./timeline?asof=2020-12-20"`, `href="./export.xlsx?asof=2020-12-20"`} {
		if !strings.Contains(body, link) {
			t.Errorf("overview lacks relative link %s", link)
		}
	}
	if strings.Contains(body, `href="/`) {
		t.Errorf("overview has an absolute link, which a proxy prefix would break")
	}
	if w := get(d, "/ops/board?asof=2020-12-20", "127.0.0.1:4000", "gov.example", hdr); w.Code != http.StatusFound || w.Header().Get("Location") != "board/?asof=2020-12-20" {
		t.Errorf("bare prefix: %d → %q, want 302 → board/?asof=2020-12-20", w.Code, w.Header().Get("Location"))
	}
	if w := get(d, "/ops/boardx/", "127.0.0.1:4000", "gov.example", hdr); w.Code != http.StatusNotFound {
		t.Errorf("neighbouring path: %d, want 404", w.Code)
	}
	// The task page's links climb back to the root.
	w = get(d, "/ops/board/task/key_tasks/76?asof=2020-12-20", "127.0.0.1:4000", "gov.example", hdr)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `href="../../static/style.css"`) {
		t.Errorf("task page behind proxy: %d, relative style link missing", w.Code)
	}
}
