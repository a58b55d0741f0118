package mcp

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// ErrNoToken is the error of HTTPHandler without a token: the tools read
// government documents, so the HTTP endpoint is never open.
var ErrNoToken = errors.New("mcp: the HTTP endpoint needs a token")

// HTTPHandler returns the Streamable HTTP endpoint, which answers only
// requests that carry "Authorization: Bearer <token>"; others get 401.
//
// It is stateless: every request stands alone, so replicas behind a load
// balancer need no session affinity (the tools keep no per-session state)
// and responses are plain JSON rather than event streams.
func (s *Server) HTTPHandler(token string) (http.Handler, error) {
	if token == "" {
		return nil, ErrNoToken
	}
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return s.srv }, &sdk.StreamableHTTPOptions{
		Stateless:    true,
		JSONResponse: true,
		Logger:       s.cfg.Logger,
		// The SDK refuses a loopback connection whose Host is not loopback,
		// against DNS rebinding. duban usually listens on 127.0.0.1 behind
		// a reverse proxy that passes the public Host, which that check
		// would refuse; the bearer token, which a rebinding page cannot
		// know, is what protects the endpoint.
		DisableLocalhostProtection: true,
	})
	return requireToken(token, h), nil
}

// requireToken refuses requests without the bearer token. The hashes
// make the comparison constant-time whatever the lengths.
func requireToken(token string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		// The scheme is case-insensitive (RFC 9110 §11.1).
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="duban mcp"`)
			http.Error(w, "mcp: missing or wrong bearer token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
