package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/wecom"
	"duban/handlers"
)

// recorder is the handler behind the real callbacks: it answers with the
// question and remembers every message id, to prove they are unique.
type recorder struct {
	mu   sync.Mutex
	ids  map[string]int
	msgs int
}

func (r *recorder) handle(_ context.Context, m *bot.Message) (handlers.Reply, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids[string(m.Platform)+"/"+m.ID]++
	r.msgs++
	return handlers.Reply{Intent: "task", Head: "答：" + m.Text}, nil
}

// newServer mounts duban's real WeCom app, AI bot and DingTalk robot
// callbacks, with the bench's default credentials, on a loopback server.
func newServer(t *testing.T) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{ids: map[string]int{}}
	quiet := slog.New(slog.DiscardHandler)
	app, err := wecom.NewCallback(wecom.CallbackConfig{CorpID: defaultCorpID, Token: defaultWeComToken,
		EncodingAESKey: defaultWeComAESKey, Logger: quiet}, rec.handle)
	if err != nil {
		t.Fatal(err)
	}
	ai, err := wecom.NewAIBotCallback(wecom.AIBotConfig{Token: defaultAIBotToken, EncodingAESKey: defaultAIBotAESKey, Logger: quiet}, rec.handle)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := dingtalk.NewRobot(dingtalk.RobotConfig{AppSecret: defaultDingSecret, Logger: quiet}, rec.handle)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/wecom/app", app)
	mux.Handle("/wecom/aibot", ai)
	mux.Handle("/dingtalk/robot", rb)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, rec
}

func TestRunAllPlatforms(t *testing.T) {
	srv, rec := newServer(t)
	var out, errb bytes.Buffer
	args := []string{"-url", srv.URL, "-platform", "all", "-n", "40", "-d", "30s", "-c", "4",
		"-json", "-pid", fmt.Sprint(os.Getpid())}
	if err := run(t.Context(), args, &out, &errb); err != nil {
		t.Fatalf("run: %v\n%s%s", err, errb.String(), out.String())
	}
	var reps []Report
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil {
		t.Fatalf("json output: %v\n%s", err, out.String())
	}
	if len(reps) != 3 {
		t.Fatalf("got %d reports, want 3", len(reps))
	}
	for i, want := range []string{WeComApp, WeComAIBot, DingTalk} {
		r := reps[i]
		if r.Platform != want || r.Requests != 40 || r.Errors != 0 {
			t.Errorf("report %d = %s, %d requests, %d errors %v; want %s, 40, 0", i, r.Platform, r.Requests, r.Errors, r.ErrorSamples, want)
		}
		if r.Latency.P50 <= 0 || r.Latency.Max < r.Latency.P99 || r.Throughput <= 0 {
			t.Errorf("%s: latency %+v, throughput %v", r.Platform, r.Latency, r.Throughput)
		}
		if r.Server == nil || r.Server.PeakMB <= 0 {
			t.Errorf("%s: server memory %+v, want the peak RSS", r.Platform, r.Server)
		}
	}
	if rec.msgs != 120 || len(rec.ids) != 120 {
		t.Errorf("server saw %d messages with %d distinct ids, want 120 and 120", rec.msgs, len(rec.ids))
	}
}

func TestRunCountsErrors(t *testing.T) {
	srv, _ := newServer(t)
	var out bytes.Buffer
	// A wrong secret: every request is refused with 401.
	args := []string{"-url", srv.URL, "-platform", "dingtalk", "-n", "5", "-c", "1", "-dingtalk-secret", "wrong"}
	err := run(t.Context(), args, &out, io.Discard)
	if !errors.Is(err, errFailed) {
		t.Fatalf("run with a wrong secret = %v, want errFailed", err)
	}
	if !strings.Contains(out.String(), "5 errors") || !strings.Contains(out.String(), "status 401 × 5") {
		t.Errorf("report does not show the refusals:\n%s", out.String())
	}
}

func TestRunEmptyReplyIsAnError(t *testing.T) {
	// A server that answers 200 with nothing, as duban does for a
	// duplicate or a missed deadline.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	for _, p := range []string{WeComApp, WeComAIBot, DingTalk} {
		var out bytes.Buffer
		err := run(t.Context(), []string{"-url", srv.URL, "-platform", p, "-n", "3", "-c", "1"}, &out, io.Discard)
		if !errors.Is(err, errFailed) || !strings.Contains(out.String(), "empty reply × 3") {
			t.Errorf("%s: run = %v\n%s", p, err, out.String())
		}
	}
}

func TestLoopbackOnly(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://127.0.0.2:8080", false},
		{"http://example.com", false},
		{"http://127.0.0.1.example.com", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	}
	for _, tt := range tests {
		err := checkLoopback(tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
	if err := run(t.Context(), []string{"-url", "http://192.0.2.1"}, io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Errorf("run with a remote -url = %v, want errUsage", err)
	}
}

func TestPercentiles(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	got := percentiles(d)
	want := Percentiles{Mean: 50.5, P50: 50, P95: 95, P99: 99, Max: 100}
	if got != want {
		t.Errorf("percentiles(1..100 ms) = %+v, want %+v", got, want)
	}
	if got := percentiles(nil); got != (Percentiles{}) {
		t.Errorf("percentiles(nil) = %+v, want zero", got)
	}
}

func TestPace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jobs := make(chan time.Time, 100)
		start := time.Now()
		pace(t.Context(), jobs, start, LoadConfig{Rate: 100, Max: 50})
		var due []time.Time
		for d := range jobs {
			due = append(due, d)
		}
		if len(due) != 50 {
			t.Fatalf("pace sent %d jobs, want 50", len(due))
		}
		if got := due[49].Sub(due[0]); got != 490*time.Millisecond {
			t.Errorf("jobs span %v, want 490ms at 100/s", got)
		}
		if got := time.Since(start); got < 480*time.Millisecond || got > 500*time.Millisecond {
			t.Errorf("pace took %v, want about 490ms", got)
		}
	})
}

func TestPaceStopsAtDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		jobs := make(chan time.Time, 1000)
		pace(ctx, jobs, time.Now(), LoadConfig{Rate: 100})
		n := len(jobs)
		if n < 99 || n > 101 {
			t.Errorf("pace sent %d jobs in 1s at 100/s, want about 100", n)
		}
	})
}

func TestLoadQuestions(t *testing.T) {
	p := t.TempDir() + "/q.txt"
	if err := os.WriteFile(p, []byte("# a comment\n76号任务谁牵头\n\n  交通局牵头哪些任务  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	qs, err := loadQuestions(p)
	if err != nil || len(qs) != 2 || qs[1] != "交通局牵头哪些任务" {
		t.Errorf("loadQuestions = %q, %v", qs, err)
	}
	if qs, _ := loadQuestions(""); len(qs) != len(builtinQuestions) {
		t.Errorf("default questions: %d, want the built-in %d", len(qs), len(builtinQuestions))
	}
}

func TestRunTSV(t *testing.T) {
	srv, _ := newServer(t)
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-url", srv.URL, "-platform", "wecom_aibot", "-n", "5", "-tsv"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || lines[0] != tsvHeader {
		t.Fatalf("tsv output:\n%s", out.String())
	}
	f := strings.Split(lines[1], "\t")
	if len(f) != len(strings.Split(tsvHeader, "\t")) || f[0] != WeComAIBot || f[3] != "5" || f[4] != "0" || f[12] != "-1.000" {
		t.Errorf("tsv row = %q", f)
	}
}
