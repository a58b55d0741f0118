package bot

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// accessLog logs one line per request at Info: method, path, status,
// client, duration and response bytes. The path is logged without its
// query, which can carry a token (?token=) or a callback's signature, and
// no body is read: message text never reaches the log.
func accessLog(l *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		l.LogAttrs(r.Context(), slog.LevelInfo, "http request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.String("client", ClientFrom(r).String()),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", sw.bytes))
	})
}

// statusWriter records the status and size of a response. Unwrap lets
// http.ResponseController reach the connection (flushes for streamed
// answers, deadlines).
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush passes flushes through, for handlers that type-assert http.Flusher.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// requireToken guards an admin route: with a token set, a request must
// carry it as "Authorization: Bearer …" or ?token=; otherwise 401.
func requireToken(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.URL.Query().Get("token")
		if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			got = strings.TrimSpace(b)
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="duban"`)
			http.Error(w, "token required: Authorization: Bearer or ?token=", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
