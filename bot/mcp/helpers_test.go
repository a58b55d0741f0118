package mcp

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
	"duban/kb/ingest/seedtest"
)

// The seeds are loaded once for the package: every test reads them, none
// modifies them.
var seeds struct {
	once sync.Once
	b    *kb.Base
	err  error
}

func seedBase(t testing.TB) *kb.Base {
	t.Helper()
	dir := seedtest.Dir(t)
	seeds.once.Do(func() {
		seeds.b, _, seeds.err = ingest.LoadDir(context.Background(), dir)
		if seeds.b != nil {
			seeds.err = seeds.b.WaitIndexed()
		}
	})
	if seeds.b == nil || seeds.err != nil {
		t.Fatalf("load seeds %s: %v", dir, seeds.err)
	}
	return seeds.b
}

// fakeStatus is a hand-written status source: the reports of a few tasks.
type fakeStatus map[recKey]kb.Status

func (f fakeStatus) lookup(t kb.Table, no int) (kb.Status, bool) {
	s, ok := f[recKey{table: t, no: no}]
	return s, ok
}

// plain is the Server over the seeds without statuses, shared: a Server
// serves any number of sessions, and building the handler's gazetteer
// takes most of a second under the race detector.
var plain struct {
	once sync.Once
	s    *Server
}

// seedServer returns a Server over the seeds; status may be nil.
func seedServer(t testing.TB, status func(kb.Table, int) (kb.Status, bool)) *Server {
	t.Helper()
	if status == nil {
		b := seedBase(t)
		plain.once.Do(func() {
			h := handlers.New(b, handlers.Config{})
			plain.s, _ = New(Config{Handler: func() *handlers.Handler { return h }})
		})
		return plain.s
	}
	h := handlers.New(seedBase(t), handlers.Config{Status: status})
	s, err := New(Config{Handler: func() *handlers.Handler { return h }, Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// connect returns a client session to s over the SDK's in-memory
// transport, closed at the end of the test.
func connect(t testing.TB, s *Server) *sdk.ClientSession {
	t.Helper()
	ctx := context.Background()
	ct, st := sdk.NewInMemoryTransports()
	ss, err := s.srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatalf("server connect: %v", err)
	}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatalf("client connect: %v", err)
	}
	t.Cleanup(func() { cs.Close(); ss.Wait() })
	return cs
}

// call calls tool with args and decodes its structured output into Out.
// A tool error fails the test.
func call[Out any](t testing.TB, cs *sdk.ClientSession, tool string, args map[string]any) Out {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s(%v): %v", tool, args, err)
	}
	if res.IsError {
		t.Fatalf("%s(%v): tool error: %s", tool, args, text(res))
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	var out Out
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s(%v): decode %s: %v", tool, args, raw, err)
	}
	return out
}

// callErr calls tool and returns the text of its tool error, failing the
// test when the call succeeds.
func callErr(t testing.TB, cs *sdk.ClientSession, tool string, args map[string]any) string {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s(%v): %v", tool, args, err)
	}
	if !res.IsError {
		t.Fatalf("%s(%v) = %s, want a tool error", tool, args, text(res))
	}
	return text(res)
}

func text(res *sdk.CallToolResult) string {
	var s string
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			s += tc.Text
		}
	}
	return s
}
