package emulator

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"

	"duban/bot"
)

const (
	tokenHeader = "X-Duban-Token"
	tokenCookie = "duban_token"
)

// guard enforces the access rules of the package doc: the token when one
// is configured, loopback only otherwise.
func (e *emulator) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e.cfg.Token == "" {
			if !bot.ClientFrom(r).Local() || !loopbackHost(r.Host) {
				http.Error(w, "the emulator answers loopback requests only; set a token to expose it", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		fromQuery := r.URL.Query().Get("token")
		switch {
		case e.tokenOK(fromQuery):
			// The page's assets and fetches carry no query: remember the
			// token in a cookie only this site's own requests send.
			http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: e.cfg.Token, Path: "/",
				HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		case e.tokenOK(r.Header.Get(tokenHeader)):
		case e.cookieOK(r):
		default:
			http.Error(w, "token required: ?token= or the "+tokenHeader+" header", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (e *emulator) tokenOK(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(e.cfg.Token)) == 1
}

func (e *emulator) cookieOK(r *http.Request) bool {
	c, err := r.Cookie(tokenCookie)
	return err == nil && e.tokenOK(c.Value)
}

// loopbackHost reports whether the Host header names this machine, so a
// foreign name that resolves to 127.0.0.1 (DNS rebinding) is refused.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
