package dashboard

import (
	"crypto/subtle"
	"net"
	"net/http"
	"path"
	"strings"
)

// tokenCookie keeps the token after the first visit, so the page's links,
// assets and downloads carry no token in their URLs.
const tokenCookie = "duban_dashboard"

// guard enforces the access rules of the package doc.
func (d *Dashboard) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.cfg.Token == "" {
			if !loopbackOnly(r) {
				http.Error(w, "the dashboard answers loopback requests only; set dashboard.token to open it to others", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		switch {
		case d.tokenOK(r.URL.Query().Get("token")):
			http.SetCookie(w, &http.Cookie{
				Name: tokenCookie, Value: d.cfg.Token, Path: d.cookiePath(r),
				HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || forwardedHTTPS(r),
			})
			if !isPage(r.URL.Path) {
				break // a script or a download: serve it, no redirect
			}
			// Drop the token from the address bar (and from history and
			// the Referer of anything the page links to).
			q := r.URL.Query()
			q.Del("token")
			target := path.Base(r.URL.Path)
			// A backslash would let a browser read "\\host" as another
			// site; the dashboard's own names never hold one.
			if strings.HasSuffix(r.URL.Path, "/") || strings.ContainsAny(target, `\/:`) || target == "." {
				target = "./"
			}
			if len(q) > 0 {
				target += "?" + q.Encode()
			}
			redirect(w, target, http.StatusSeeOther)
			return
		case d.tokenOK(bearer):
		case d.cookieOK(r):
		default:
			w.Header().Set("WWW-Authenticate", `Bearer realm="duban dashboard"`)
			http.Error(w, "token required: open the dashboard once with ?token=…, or send Authorization: Bearer …", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isPage reports whether p is an HTML page, not a JSON endpoint or a file.
func isPage(p string) bool {
	return !strings.Contains(p, "/api/") && !strings.Contains(p, "/export.") && !strings.Contains(p, "/static/")
}

func (d *Dashboard) tokenOK(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(d.cfg.Token)) == 1
}

func (d *Dashboard) cookieOK(r *http.Request) bool {
	c, err := r.Cookie(tokenCookie)
	return err == nil && d.tokenOK(c.Value)
}

// cookiePath is the dashboard's path as the browser sees it: the mount
// prefix behind the proxy's own (X-Forwarded-Prefix), so the cookie goes
// with every dashboard request and nothing else. The header cannot widen
// access: the cookie is only the token the client already holds.
func (d *Dashboard) cookiePath(r *http.Request) string {
	p := d.cfg.Prefix
	if fp := strings.TrimRight(r.Header.Get("X-Forwarded-Prefix"), "/"); strings.HasPrefix(fp, "/") && !strings.ContainsAny(fp, ";, \t") {
		p = fp + p
	}
	return p
}

func forwardedHTTPS(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// loopbackOnly reports whether r comes from this machine and names it:
// the peer is loopback, the Host header is a loopback name (so a DNS-
// rebinding page cannot read the dashboard), and no proxy header names
// another client (a reverse proxy on the same machine connects from
// loopback for everyone).
func loopbackOnly(r *http.Request) bool {
	if !loopbackAddr(r.RemoteAddr) || !loopbackHost(r.Host) {
		return false
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

func loopbackAddr(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
