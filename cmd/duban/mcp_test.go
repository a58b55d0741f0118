package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"duban/bot/mcp"
	"duban/kb"
	"duban/progress"
	"duban/store/memstore"
)

func TestMCPConfig(t *testing.T) {
	tests := []struct {
		name, yaml, want string // want: "" for valid
	}{
		{"off by default", "listen: 127.0.0.1:8080\n", ""},
		{"off without token", "mcp: {enabled: false}\n", ""},
		{"on without token", "mcp: {enabled: true}\n", "mcp.token: missing"},
		{"on with unset variable", "mcp: {enabled: true, token: \"${DUBAN_TEST_UNSET_MCP}\"}\n", "unset environment variables: DUBAN_TEST_UNSET_MCP"},
		{"short token", "mcp: {enabled: true, token: abc}\n", "mcp.token: 3 characters: want at least 16"},
		{"on", "mcp: {enabled: true, token: 0123456789abcdef0123}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig("duban.yaml", []byte(tt.yaml))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("parseConfig: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("parseConfig = %v, want an error with %q", err, tt.want)
			case tt.want == "" && strings.Contains(tt.yaml, "enabled: true") && cfg.MCP.Token == "":
				t.Errorf("token not read: %+v", cfg.MCP)
			}
		})
	}
}

// TestMCPHelperProcess is not a test: TestMCPStdio runs the test binary
// with DUBAN_MCP_HELPER set, and this becomes `duban mcp` on the real
// standard input and output of that subprocess.
func TestMCPHelperProcess(t *testing.T) {
	env := os.Getenv("DUBAN_MCP_HELPER")
	if env == "" {
		t.Skip("helper process for TestMCPStdio")
	}
	var args []string
	if err := json.Unmarshal([]byte(env), &args); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr); err != nil {
		os.Stderr.WriteString("duban mcp: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

// TestMCPStdio starts `duban mcp --docs SEEDS --config FILE` as a real
// subprocess and talks to it through the SDK's command transport. The
// config's embedded store holds a report on key task 76, which the task
// tool must show.
func TestMCPStdio(t *testing.T) {
	seeds := seeds(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "duban.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: ./data\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := memstore.Open(memstore.Config{Dir: filepath.Join(dir, "data")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := progress.New(st, progress.Config{}).Record(t.Context(), kb.Status{Table: kb.KeyTasks, No: 76, State: kb.Done, Unit: "住建局", Note: "已验收"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestMCPHelperProcess$")
	args, _ := json.Marshal([]string{"mcp", "--docs", seeds, "--config", cfgPath})
	cmd.Env = append(os.Environ(), "DUBAN_MCP_HELPER="+string(args))
	cmd.Stderr = os.Stderr
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(t.Context(), &sdk.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("start duban mcp: %v", err)
	}
	defer cs.Close()
	if got := cs.InitializeResult().ServerInfo.Name; got != "duban" {
		t.Errorf("server name %q, want duban", got)
	}
	var task mcp.TaskOut
	mcpCall(t, cs, "task", map[string]any{"number": 76}, &task)
	if r := task.Task; r == nil || r.LeadLeaders[0] != "周国强" || r.Source.Line != 824 || r.Status == nil || r.Status.State != "已完成" || r.Status.Unit != "住建局" {
		t.Errorf("task 76 over stdio = %+v, status %+v", task.Task, task.Task.Status)
	}
	var done mcp.TaskList
	mcpCall(t, cs, "tasks_of_unit", map[string]any{"unit": "住房和城乡建设局", "role": "lead", "status": "done"}, &done)
	if done.Count != 1 || done.Tasks[0].No != 76 {
		t.Errorf("住建局 done = %d tasks, want key task 76 only", done.Count)
	}
}

// TestServeMCP runs `duban serve` with mcp enabled and calls /mcp with and
// without the token.
func TestServeMCP(t *testing.T) {
	seeds := seeds(t)
	dir := t.TempDir()
	const token = "serve-mcp-token-0123456789"
	cfgPath := filepath.Join(dir, "duban.yaml")
	cfg := "data_dir: ./data\nmcp:\n  enabled: true\n  token: ${DUBAN_TEST_MCP_TOKEN}\n"
	t.Setenv("DUBAN_TEST_MCP_TOKEN", token)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	s := e2eStartServe(t, seeds, cfgPath)

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/mcp", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	if code, _ := e2eDo(t, req); code != http.StatusUnauthorized {
		t.Errorf("/mcp without token: %d, want 401", code)
	}
	hc := &http.Client{Transport: headerRT{"Authorization", "Bearer " + token}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).
		Connect(t.Context(), &sdk.StreamableClientTransport{Endpoint: s.URL + "/mcp", HTTPClient: hc}, nil)
	if err != nil {
		t.Fatalf("connect /mcp: %v", err)
	}
	defer cs.Close()
	var div mcp.DivisionOut
	mcpCall(t, cs, "division_of_labour", map[string]any{"name": "茅敏勇"}, &div)
	if div.Person == nil || div.Person.Post != "副区长" || div.Person.Source == nil || div.Person.Source.Line != 251 {
		t.Errorf("division_of_labour(茅敏勇) via serve = %+v", div)
	}
}

type headerRT struct{ key, value string }

func (h headerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.key, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// mcpCall calls tool and decodes its structured output into out.
func mcpCall(t *testing.T, cs *sdk.ClientSession, tool string, args map[string]any, out any) {
	t.Helper()
	res, err := cs.CallTool(t.Context(), &sdk.CallToolParams{Name: tool, Arguments: args})
	if err != nil || res.IsError {
		t.Fatalf("%s(%v): %v %+v", tool, args, err, res)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: decode %s: %v", tool, raw, err)
	}
}
