// Package browser drives a headless Chromium over the Chrome DevTools
// Protocol (CDP), just enough for the emulator's browser test: open a page,
// type, click, evaluate, wait and take a screenshot. It speaks CDP as JSON
// over one WebSocket (github.com/coder/websocket) with flattened target
// sessions, so it needs no chromedriver and no third-party CDP library.
// It serves the browser tests of every package under bot/ (the emulator,
// the dashboard).
package browser

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

// Find returns the Chromium binary to run: $DUBAN_CHROMIUM if set, else the
// first of chromium, chromium-browser, google-chrome on $PATH.
func Find() (string, error) {
	if p := os.Getenv("DUBAN_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("browser: no chromium on PATH (apt-get install chromium)")
}

// A Browser is a running headless Chromium and its CDP connection.
type Browser struct {
	cmd  *exec.Cmd
	conn *websocket.Conn
	done chan struct{} // closed when the reader stops

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan message
	events  map[string]chan message // by session ID
	readErr error
}

// message is any CDP frame: a response (ID set) or an event (Method set).
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// Launch starts Chromium headless with a fresh profile in dataDir, on a
// random loopback debugging port, and connects to it. ctx bounds the start.
func Launch(ctx context.Context, path, dataDir string) (*Browser, error) {
	cmd := exec.Command(path,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
		"--no-default-browser-check", "--password-store=basic",
		"--user-data-dir="+dataDir, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"about:blank")
	// Its own process group, so Close also ends the renderer and zygote
	// processes Chromium forks.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("browser: start %s: %w", path, err)
	}
	b := &Browser{cmd: cmd, done: make(chan struct{}), pending: map[int64]chan message{}, events: map[string]chan message{}}

	wsURL := make(chan string, 1)
	var out strings.Builder // Chromium's start-up chatter, for the error
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "ws://"); !sent && strings.Contains(line, "DevTools listening on") && i >= 0 {
				wsURL <- strings.TrimSpace(line[i:])
				sent = true
				continue
			}
			if !sent && out.Len() < 4096 {
				out.WriteString(line + "\n")
			}
		}
		if !sent {
			close(wsURL)
		}
		io.Copy(io.Discard, stderr) //nolint:errcheck // drain so Chromium never blocks
	}()
	var u string
	select {
	case u = <-wsURL:
		if u == "" { // stderr closed: Chromium exited; out is complete
			b.kill()
			return nil, fmt.Errorf("browser: %s exited before listening:\n%s", path, out.String())
		}
	case <-ctx.Done():
		b.kill()
		return nil, fmt.Errorf("browser: waiting for %s to listen: %w", path, ctx.Err())
	}
	conn, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		b.kill()
		return nil, fmt.Errorf("browser: connect %s: %w", u, err)
	}
	conn.SetReadLimit(64 << 20) // screenshots arrive as one base64 frame
	b.conn = conn
	go b.read()
	return b, nil
}

func (b *Browser) read() {
	defer close(b.done)
	for {
		_, data, err := b.conn.Read(context.Background())
		if err != nil {
			b.mu.Lock()
			b.readErr = err
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var m message
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				ch <- m
				delete(b.pending, m.ID)
			}
		} else if ch, ok := b.events[m.SessionID]; ok {
			select {
			case ch <- m:
			default: // nobody is waiting for this many events; drop
			}
		}
		b.mu.Unlock()
	}
}

// call sends one CDP command (to the browser if session is "") and
// decodes its result into result (if not nil).
func (b *Browser) call(ctx context.Context, session, method string, params, result any) error {
	b.mu.Lock()
	if b.readErr != nil {
		b.mu.Unlock()
		return fmt.Errorf("browser: %s: connection lost: %w", method, b.readErr)
	}
	b.nextID++
	id := b.nextID
	ch := make(chan message, 1)
	b.pending[id] = ch
	b.mu.Unlock()

	if params == nil {
		params = struct{}{}
	}
	frame, err := json.Marshal(map[string]any{"id": id, "sessionId": session, "method": method, "params": params})
	if err != nil {
		return fmt.Errorf("browser: %s: %w", method, err)
	}
	if err := b.conn.Write(ctx, websocket.MessageText, frame); err != nil {
		return fmt.Errorf("browser: %s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("browser: %s: connection closed", method)
		}
		if m.Error != nil {
			return fmt.Errorf("browser: %s: %d %s", method, m.Error.Code, m.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("browser: %s: %w", method, ctx.Err())
	}
}

// Close asks Chromium to quit, then ends its process group if it has not
// exited within a few seconds.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	b.call(ctx, "", "Browser.close", nil, nil) //nolint:errcheck // kill below regardless
	exited := make(chan error, 1)
	go func() { exited <- b.cmd.Wait() }()
	select {
	case <-exited:
	case <-ctx.Done():
		b.kill()
		<-exited
	}
	// Chromium's helpers share its process group; end any left behind.
	syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL) //nolint:errcheck // usually gone already
	if b.conn != nil {
		b.conn.CloseNow() //nolint:errcheck // Chromium is gone
		<-b.done
	}
	return nil
}

func (b *Browser) kill() {
	syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL) //nolint:errcheck // best effort
	b.cmd.Process.Kill()                              //nolint:errcheck // in case the group is gone
}
