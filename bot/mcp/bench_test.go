package mcp

import (
	"io"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// BenchmarkToolCallHTTP measures one tool call over Streamable HTTP on
// loopback, as an assistant makes it: a POST with the bearer token, JSON
// in, the tool, structured output validated against its schema, JSON out.
func BenchmarkToolCallHTTP(b *testing.B) {
	srv := httpServer(b, seedServer(b, nil))
	cs, err := connectHTTP(b, srv.URL, testToken)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		tool string
		args map[string]any
	}{
		{"task", map[string]any{"number": 76}},
		{"tasks_of_unit", map[string]any{"unit": "交通运输局", "role": "lead"}},
		{"tasks_of_leader", map[string]any{"leader": "周国强"}},
		{"due_between", map[string]any{"from": "2020-08-01", "to": "2020-08-31"}},
		{"overdue", map[string]any{"as_of": "2020-06-01"}},
		{"division_of_labour", map[string]any{"name": "茅敏勇"}},
		{"indicator", map[string]any{"name": "GDP"}},
		{"quota", map[string]any{"town": "开发区"}},
		{"search", map[string]any{"query": "森林覆盖率"}},
		{"ask", map[string]any{"question": "76号任务谁牵头"}},
	} {
		b.Run(bc.tool, func(b *testing.B) {
			params := &sdk.CallToolParams{Name: bc.tool, Arguments: bc.args}
			for b.Loop() {
				res, err := cs.CallTool(b.Context(), params)
				if err != nil || res.IsError {
					b.Fatalf("%s: %v %v", bc.tool, err, res)
				}
			}
		})
	}
}

// BenchmarkToolCallRawHTTP is the same calls as plain JSON-RPC POSTs, as a
// client without the Go SDK makes them (stateless: no initialize needed),
// so the server's share of the latency shows apart from the Go client's.
func BenchmarkToolCallRawHTTP(b *testing.B) {
	srv := httpServer(b, seedServer(b, nil))
	for _, bc := range []struct{ tool, args string }{
		{"task", `{"number":76}`},
		{"tasks_of_unit", `{"unit":"交通运输局","role":"lead"}`},
		{"search", `{"query":"森林覆盖率"}`},
		{"ask", `{"question":"76号任务谁牵头"}`},
	} {
		b.Run(bc.tool, func(b *testing.B) {
			body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"` + bc.tool + `","arguments":` + bc.args + `}}`
			for b.Loop() {
				req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, srv.URL, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+testToken)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				req.Header.Set("MCP-Protocol-Version", "2025-06-18")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || n == 0 {
					b.Fatalf("%s: %d", bc.tool, resp.StatusCode)
				}
			}
		})
	}
}
