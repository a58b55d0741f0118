package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// tsSDK is the official TypeScript SDK release the independent client
// test installs. Pinned, so a run today and a run next year test the same
// client; the cache directory is named after it.
const tsSDK = "@modelcontextprotocol/sdk@1.32.2"

// TestTypeScriptClient lists the tools and calls two of them over HTTP
// with the official TypeScript SDK, an implementation independent of the
// Go SDK the server uses. It installs the SDK from npm into a cache
// directory that later runs reuse; without node or npm it skips, unless
// $CI is set.
func TestTypeScriptClient(t *testing.T) {
	if testing.Short() {
		t.Skip("TypeScript client test skipped in -short mode")
	}
	modules, err := installTSSDK(t)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs the TypeScript MCP SDK from npm: %v", err)
		}
		t.Skipf("TypeScript MCP SDK unavailable (node/npm missing or npm unreachable): %v", err)
	}
	b := seedBase(t)
	srv := httpServer(t, seedServer(t, nil))

	// The script resolves the SDK from a node_modules beside it.
	dir := t.TempDir()
	script, err := os.ReadFile(filepath.Join("testdata", "tsclient.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tsclient.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir, "tsclient.mjs"), srv.URL, testToken)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node tsclient.mjs: %v\n%s", err, stderrOf(err))
	}
	var got struct {
		Server struct{ Name string }
		Tools  []string
		Task   TaskOut
		Unit   TaskList
		Errors []bool
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("client output %s: %v", out, err)
	}
	want := []string{"ask", "division_of_labour", "due_between", "indicator", "overdue", "quota", "search", "task", "tasks_of_leader", "tasks_of_unit"}
	if got.Server.Name != "duban" || !slices.Equal(got.Tools, want) {
		t.Errorf("TypeScript client: server %q, tools %v; want duban, %v", got.Server.Name, got.Tools, want)
	}
	if slices.Contains(got.Errors, true) {
		t.Errorf("tool errors: %v", got.Errors)
	}
	if r := got.Task.Task; r == nil || !slices.Equal(r.LeadLeaders, []string{"周国强"}) || r.Source.File != seed004 || r.Source.Line != 824 {
		t.Errorf("task 76 via TypeScript = %+v", got.Task)
	}
	if got.Unit.Unit != "交通局" || got.Unit.Count != len(b.ByUnit("交通局", true)) {
		t.Errorf("tasks_of_unit(交通运输局) via TypeScript = %q with %d tasks, want 交通局 with %d", got.Unit.Unit, got.Unit.Count, len(b.ByUnit("交通局", true)))
	}
}

// installTSSDK returns the node_modules folder holding tsSDK, installing
// it on first use. It installs into a fresh folder and renames it into
// place, so concurrent test runs never see half an install.
func installTSSDK(t *testing.T) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	root := filepath.Join(cache, "duban-test", "mcp-ts-sdk-1.32.2")
	modules := filepath.Join(root, "node_modules")
	if _, err := os.Stat(filepath.Join(modules, "@modelcontextprotocol", "sdk", "package.json")); err == nil {
		return modules, nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(root), ".install-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	t.Logf("installing %s into %s (once)", tsSDK, root)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "install", "--prefix", tmp, "--no-audit", "--no-fund", "--loglevel=error", tsSDK)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install %s: %w\n%s", tsSDK, err, out)
	}
	if err := os.Rename(tmp, root); err != nil && !os.IsExist(err) {
		// Another run may have finished first; its install serves as well.
		if _, serr := os.Stat(modules); serr != nil {
			return "", err
		}
	}
	return modules, nil
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}
