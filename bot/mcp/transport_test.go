package mcp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestStdio runs the server over newline-delimited JSON-RPC on pipes, as
// `duban mcp` does on its standard input and output.
func TestStdio(t *testing.T) {
	s := seedServer(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- s.RunStdio(ctx, inR, outW) }()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).
		Connect(ctx, &sdk.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := call[TaskOut](t, cs, "task", map[string]any{"number": 76})
	if got.Task == nil || got.Task.LeadLeaders[0] != "周国强" || got.Task.Source.Line != 824 {
		t.Errorf("task 76 over stdio = %+v", got.Task)
	}
	list := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "交通运输局", "role": "lead"})
	if list.Unit != "交通局" || list.Count == 0 {
		t.Errorf("tasks_of_unit over stdio = %d tasks of %q", list.Count, list.Unit)
	}
	cs.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunStdio: %v", err)
	}
}

// bearer adds a token to every request, as an MCP client configured with
// a header does.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

const testToken = "test-token-0123456789abcdef"

// httpServer serves s on 127.0.0.1 behind testToken.
func httpServer(t testing.TB, s *Server) *httptest.Server {
	t.Helper()
	h, err := s.HTTPHandler(testToken)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// connectHTTP returns a client session over Streamable HTTP with token.
func connectHTTP(t testing.TB, url, token string) (*sdk.ClientSession, error) {
	t.Helper()
	tr := &sdk.StreamableClientTransport{Endpoint: url, HTTPClient: &http.Client{Transport: bearer{token, http.DefaultTransport}}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(t.Context(), tr, nil)
	if err == nil {
		t.Cleanup(func() { cs.Close() })
	}
	return cs, err
}

func TestHTTP(t *testing.T) {
	srv := httpServer(t, seedServer(t, nil))
	cs, err := connectHTTP(t, srv.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := cs.ListTools(t.Context(), nil)
	if err != nil || len(tools.Tools) != 10 {
		t.Fatalf("tools over HTTP: %d, %v", len(tools.Tools), err)
	}
	div := call[DivisionOut](t, cs, "division_of_labour", map[string]any{"name": "交通局"})
	if div.Unit == nil || div.Unit.OverseenBy[0].Name != "茅敏勇" {
		t.Errorf("division_of_labour(交通局) over HTTP = %+v", div)
	}
	due := call[TaskList](t, cs, "due_between", map[string]any{"from": "2020-08-01", "to": "2020-08-31"})
	if due.Count != 1 || due.Tasks[0].No != 17 {
		t.Errorf("due_between over HTTP = %v", keys(due.Tasks))
	}
	if _, err := connectHTTP(t, srv.URL, "wrong-token"); err == nil {
		t.Error("client with a wrong token connected")
	}
}

func TestHTTPToken(t *testing.T) {
	srv := httpServer(t, seedServer(t, nil))
	const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}`
	for _, tt := range []struct {
		name, auth string
		want       int
	}{
		{"none", "", http.StatusUnauthorized},
		{"wrong", "Bearer not-the-token", http.StatusUnauthorized},
		{"prefix of the token", "Bearer " + testToken[:10], http.StatusUnauthorized},
		{"other scheme", "Basic " + testToken, http.StatusUnauthorized},
		{"right", "Bearer " + testToken, http.StatusOK},
		{"scheme in lower case", "bearer " + testToken, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader(initialize))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("POST with %q: %d %s, want %d", tt.auth, resp.StatusCode, body, tt.want)
			}
			if tt.want == http.StatusOK && !strings.Contains(string(body), `"serverInfo"`) {
				t.Errorf("initialize answered %s", body)
			}
		})
	}
	if _, err := seedServer(t, nil).HTTPHandler(""); !errors.Is(err, ErrNoToken) {
		t.Errorf("HTTPHandler(\"\") = %v, want ErrNoToken", err)
	}
}
