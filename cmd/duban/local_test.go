package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban/bot/wecom/wecomtest"
	"duban/kb"
	"duban/progress"
	"duban/scheduler"
	"duban/store/memstore"
)

// TestLocalHelperProcess is `duban` itself when the test binary is run
// with DUBAN_LOCAL_HELPER (a JSON argument list): a real serve process for
// TestCommandsWhileServing, stopped with SIGTERM.
func TestLocalHelperProcess(t *testing.T) {
	raw := os.Getenv("DUBAN_LOCAL_HELPER")
	if raw == "" {
		t.Skip("helper process only")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, args, strings.NewReader(""), os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
}

// TestCommandsWhileServing runs a real `duban serve` process on the
// embedded store, which it keeps locked, and the commands that need that
// store beside it: status history and export, remind --dry-run and --send
// all work through the server's local socket, and the dry run after the
// send shows every reminder already sent.
func TestCommandsWhileServing(t *testing.T) {
	seeds := seedsDir(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	chats := e2eTickChats()
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	cfgPath := e2eConfig{DataDir: data, Chats: chats, Reminders: true, WeCom: wc}.write(t, dir)

	st, err := memstore.Open(memstore.Config{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := progress.New(st, progress.Config{}).Record(t.Context(), kb.Status{Table: kb.KeyTasks, No: 76, State: kb.Done, Unit: "住建局", Note: "已验收"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	args, _ := json.Marshal([]string{"serve", "--docs", seeds, "--config", cfgPath, "--listen", "127.0.0.1:0"})
	cmd := exec.Command(os.Args[0], "-test.run=^TestLocalHelperProcess$")
	cmd.Env = append(os.Environ(), "DUBAN_LOCAL_HELPER="+string(args))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr e2eBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve process: %v\n%s", err, stderr.Tail(3000))
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("serve did not stop within 30 s of SIGTERM")
		}
	}
	t.Cleanup(stop)
	serving := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "serving on") {
				close(serving)
			}
		}
	}()
	select {
	case <-serving:
	case <-time.After(e2eStartTimeout):
		t.Fatalf("serve did not start:\n%s", stderr.Tail(3000))
	}

	cli := func(args ...string) (string, string) {
		t.Helper()
		var o, e strings.Builder
		if err := run(t.Context(), args, strings.NewReader(""), &o, &e); err != nil {
			t.Fatalf("duban %s: %v\nstderr: %s", strings.Join(args, " "), err, e.String())
		}
		if !strings.Contains(e.String(), "ran by the running duban serve") {
			t.Errorf("duban %s did not go through the running serve; stderr: %s", strings.Join(args, " "), e.String())
		}
		return o.String(), e.String()
	}

	hist, _ := cli("status", "history", "--config", cfgPath, "76")
	if !strings.Contains(hist, "1 entries") || !strings.Contains(hist, "current: 已完成") {
		t.Errorf("status history 76 while serving:\n%s", hist)
	}

	xlsx := filepath.Join(dir, "report.xlsx")
	cli("status", "export", "--config", cfgPath, "-o", xlsx)
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatalf("status export while serving: %v", err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	f.Close()
	if err != nil || len(rows) < 2 {
		t.Fatalf("export rows: %v, %d", err, len(rows))
	}
	head := rows[0]
	if head[len(head)-1] != "灯" {
		t.Errorf("export header ends %q, want the colour column 灯", head[len(head)-1])
	}
	for _, r := range rows[1:] {
		if r[1] == "76" && (r[9] != "已完成" || r[len(head)-1] != "已完成") {
			t.Errorf("export row 76: state %q, colour %q; want 已完成 from the server's journal", r[9], r[len(head)-1])
		}
	}

	preview := func() []scheduler.Push {
		t.Helper()
		o, _ := cli("remind", "--config", cfgPath, "--now", e2eTickNow, "--dry-run", "--json")
		var ps []scheduler.Push
		if err := json.Unmarshal([]byte(o), &ps); err != nil {
			t.Fatalf("remind --dry-run --json: %v\n%s", err, o)
		}
		return ps
	}
	before := preview()
	pending := 0
	for _, p := range before {
		for _, pt := range p.Tasks {
			if !pt.AlreadySent {
				pending++
			}
		}
	}
	if len(before) != len(chats) || pending == 0 {
		t.Fatalf("dry run before the send: %d digests, %d pending; want one per chat, some pending", len(before), pending)
	}
	sent, _ := cli("remind", "--config", cfgPath, "--now", e2eTickNow, "--send")
	if !strings.Contains(sent, "sent ") {
		t.Errorf("remind --send while serving: %q", sent)
	}
	posts := 0
	for _, s := range wc.Sent() {
		if s.Endpoint == wecomtest.Webhook {
			posts++
		}
	}
	if posts < len(chats) {
		t.Errorf("the fake received %d webhook posts, want at least one per chat (%d)", posts, len(chats))
	}
	for _, p := range preview() {
		if len(p.Messages) != 0 {
			t.Errorf("dry run after the send: %s still has %d messages to send", p.Chat, len(p.Messages))
		}
		for _, pt := range p.Tasks {
			if !pt.AlreadySent {
				t.Errorf("dry run after the send: %s %s#%d %s not marked already_sent", p.Chat, pt.Table, pt.No, pt.Milestone)
			}
		}
	}
	stop()
	if _, err := os.Stat(filepath.Join(data, localSocket)); !os.IsNotExist(err) {
		t.Errorf("socket left after serve stopped: %v", err)
	}
}
