// Package redistest starts a real redis-server on a free loopback port for
// tests, and can kill and restart it on the same port to test a Redis that
// goes away and comes back.
//
// The binary is found on PATH (Debian/Ubuntu: apt-get install redis-server).
// When it is missing, Start skips the test, except when the environment
// variable CI is set: then it fails, so CI never passes by skipping.
package redistest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ErrNotInstalled is returned by StartServer when redis-server is not on PATH.
var ErrNotInstalled = errors.New("redistest: redis-server not found on PATH (apt-get install redis-server)")

// startTimeout bounds how long a starting server may take to answer PING.
const startTimeout = 10 * time.Second

// A Server is a redis-server child process listening on 127.0.0.1. It runs
// with AOF persistence (appendfsync everysec, the setting recommended for
// the ledger) in its own temporary directory, so a Restart keeps the data
// written up to the last fsync and a Stop then Restart keeps all of it.
type Server struct {
	bin  string
	dir  string
	port int
	// args returns the command line after the binary; nil for a plain
	// server (see plainArgs). Cluster nodes and sentinels set their own.
	args func(s *Server) ([]string, error)

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	log    *syncWriter
}

// Start starts a server for the test and stops it at the end of the test.
// Without a redis-server binary it skips t, or fails it when CI is set.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s, err := StartServer()
	if err != nil {
		Unavailable(tb, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Unavailable ends tb for a server that could not start: a skip when the
// binary is missing outside CI, a failure otherwise.
func Unavailable(tb testing.TB, err error) {
	tb.Helper()
	if errors.Is(err, ErrNotInstalled) && os.Getenv("CI") == "" {
		tb.Skipf("%v; skipping (set CI=1 to make this a failure)", err)
	}
	tb.Fatal(err)
}

// StartServer starts a server on a free port; the caller must Close it.
// TestMain functions use it where no testing.TB exists yet.
func StartServer() (*Server, error) { return startServer(nil) }

// startServer starts a server whose command line args builds (nil: a
// plain server with AOF).
func startServer(args func(s *Server) ([]string, error)) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, fmt.Errorf("redistest: %w", err)
	}
	// Another process can take the free port between our probe and the
	// server's bind, so a failed start is retried on a new port.
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s := &Server{bin: bin, dir: dir, port: port, args: args}
		err = s.start()
		if err == nil {
			return s, nil
		}
		if attempt == 2 {
			os.RemoveAll(dir)
			return nil, err
		}
	}
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL returns a redis:// URL for database 0 of the server.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Log returns what the server has logged since it last started.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return ""
	}
	return s.log.String()
}

// Kill ends the server with SIGKILL, as a crash or a lost host would, and
// waits for it to exit. Writes of the last second may be lost (everysec).
// Killing a stopped server does nothing.
func (s *Server) Kill() error { return s.signal(os.Kill) }

// Stop ends the server with SIGTERM, which flushes the AOF, and waits for
// it to exit. Stopping a stopped server does nothing.
func (s *Server) Stop() error { return s.signal(syscall.SIGTERM) }

func (s *Server) signal(sig os.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return nil
	}
	if err := s.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("redistest: %v: %w", sig, err)
	}
	<-s.exited
	s.cmd = nil
	return nil
}

// Restart starts the server again on the same port and data directory
// after Kill or Stop (or kills it first if it runs). It waits until the
// server answers PING.
func (s *Server) Restart() error {
	if err := s.Kill(); err != nil {
		return err
	}
	return s.start()
}

// Close kills the server and removes its data directory.
func (s *Server) Close() error {
	err := s.Kill()
	if rmErr := os.RemoveAll(s.dir); err == nil && rmErr != nil {
		err = fmt.Errorf("redistest: %w", rmErr)
	}
	return err
}

// Port returns the server's TCP port on 127.0.0.1.
func (s *Server) Port() int { return s.port }

// Running reports whether the server process runs (not killed or stopped).
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cmd != nil
}

// plainArgs is the command line of a standalone server.
func plainArgs(s *Server) ([]string, error) {
	return []string{
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--dir", s.dir,
		"--save", "",
		"--appendonly", "yes",
		"--appendfsync", "everysec",
		"--daemonize", "no",
		"--logfile", "",
	}, nil
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	argsFor := s.args
	if argsFor == nil {
		argsFor = plainArgs
	}
	args, err := argsFor(s)
	if err != nil {
		return err
	}
	cmd := exec.Command(s.bin, args...)
	dieWithParent(cmd)
	log := &syncWriter{w: &bytes.Buffer{}}
	cmd.Stdout = log
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: start %s: %w", s.bin, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	if err := waitReady(s.Addr(), exited); err != nil {
		cmd.Process.Kill()
		<-exited
		return fmt.Errorf("redistest: start on port %d: %w\n%s", s.port, err, log.String())
	}
	s.cmd, s.exited, s.log = cmd, exited, log
	return nil
}

// waitReady polls addr until the server answers PING with PONG (not
// LOADING), the process exits, or startTimeout passes.
func waitReady(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(startTimeout)
	for {
		if err := ping(addr); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %v: %w", startTimeout, err)
		}
		select {
		case <-exited:
			return errors.New("redis-server exited")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("PING: %q", strings.TrimSpace(line))
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("redistest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncWriter collects the server's log; the process writes to it while
// start may read it.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.String()
}
