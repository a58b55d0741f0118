package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"
)

// Platforms dubanbench can drive; "all" runs each in turn.
const (
	WeComApp   = "wecom_app"
	WeComAIBot = "wecom_aibot"
	DingTalk   = "dingtalk"
	All        = "all"
)

// Test credentials, the defaults of the credential flags. They are not
// secrets: scripts/bench.sh writes the same values into the server's
// configuration, so the two agree without passing anything around.
const (
	defaultWeComToken  = "benchtoken"
	defaultWeComAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	defaultCorpID      = "wwbench0000000001"
	defaultAIBotToken  = "benchaibottoken"
	defaultAIBotAESKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"
	defaultDingSecret  = "benchdingtalkappsecret"
)

// options are the parsed flags.
type options struct {
	url       string
	platform  string
	questions string
	json      bool
	tsv       bool
	pid       int
	load      LoadConfig

	wecomToken, wecomAESKey, corpID string
	agentID                         int64
	aibotToken, aibotAESKey         string
	dingSecret                      string
	appPath, aibotPath, dingPath    string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("dubanbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "base URL of the running duban serve (loopback only)")
	fs.StringVar(&o.platform, "platform", All, "wecom_app | wecom_aibot | dingtalk | all (each in turn)")
	fs.StringVar(&o.questions, "questions", "", "file with one question a line (default: a built-in set)")
	fs.BoolVar(&o.json, "json", false, "print the reports as JSON")
	fs.BoolVar(&o.tsv, "tsv", false, "print the reports as tab-separated values with a header line")
	fs.IntVar(&o.pid, "pid", 0, "server process id: report its peak RSS (VmHWM) from /proc")
	fs.Float64Var(&o.load.Rate, "rate", 0, "requests per second; 0 = as fast as -c allows")
	fs.IntVar(&o.load.Concurrency, "c", 16, "requests in flight at most")
	fs.IntVar(&o.load.Max, "n", 0, "stop after this many requests per platform (0 = no limit; -d still applies)")
	fs.DurationVar(&o.load.Duration, "d", 10*time.Second, "stop after this long per platform")
	fs.DurationVar(&o.load.Timeout, "timeout", 5*time.Second, "per-request timeout (WeCom gives up after 5 s)")
	fs.IntVar(&o.load.Users, "users", 100, "distinct sender ids, so conversations spread as in a real group")
	fs.StringVar(&o.wecomToken, "wecom-token", defaultWeComToken, "WeCom app callback Token")
	fs.StringVar(&o.wecomAESKey, "wecom-aes-key", defaultWeComAESKey, "WeCom app EncodingAESKey (43 characters)")
	fs.StringVar(&o.corpID, "wecom-corp-id", defaultCorpID, "WeCom corp id (the app callback's receive id)")
	fs.Int64Var(&o.agentID, "wecom-agent-id", 1000002, "WeCom app agent id")
	fs.StringVar(&o.aibotToken, "aibot-token", defaultAIBotToken, "WeCom AI bot callback Token")
	fs.StringVar(&o.aibotAESKey, "aibot-aes-key", defaultAIBotAESKey, "WeCom AI bot EncodingAESKey (43 characters)")
	fs.StringVar(&o.dingSecret, "dingtalk-secret", defaultDingSecret, "DingTalk robot app_secret")
	fs.StringVar(&o.appPath, "wecom-path", "/wecom/app", "WeCom app callback path")
	fs.StringVar(&o.aibotPath, "aibot-path", "/wecom/aibot", "WeCom AI bot callback path")
	fs.StringVar(&o.dingPath, "dingtalk-path", "/dingtalk/robot", "DingTalk robot callback path")
	if err := fs.Parse(args); err != nil {
		return nil, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dubanbench: unexpected arguments %q\n", fs.Args())
		return nil, errUsage
	}
	if err := o.validate(); err != nil {
		fmt.Fprintln(stderr, "dubanbench:", err)
		return nil, errUsage
	}
	return o, nil
}

func (o *options) validate() error {
	if o.json && o.tsv {
		return errors.New("-json and -tsv exclude each other")
	}
	if err := checkLoopback(o.url); err != nil {
		return err
	}
	switch o.platform {
	case WeComApp, WeComAIBot, DingTalk, All:
	default:
		return fmt.Errorf("-platform %q: want wecom_app, wecom_aibot, dingtalk or all", o.platform)
	}
	switch {
	case o.load.Concurrency < 1:
		return errors.New("-c must be at least 1")
	case o.load.Rate < 0:
		return errors.New("-rate must not be negative")
	case o.load.Max < 0:
		return errors.New("-n must not be negative")
	case o.load.Duration <= 0:
		return errors.New("-d must be positive: the run must stop by itself")
	case o.load.Users < 1:
		return errors.New("-users must be at least 1")
	}
	return nil
}

// checkLoopback refuses a target that is not 127.0.0.1, ::1 or localhost:
// dubanbench is a load generator and must not be pointed at anyone else.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("-url %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("-url %q: want http://127.0.0.1:PORT", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !(ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback)) {
		return fmt.Errorf("-url %q: only 127.0.0.1, ::1 or localhost may be targeted", raw)
	}
	return nil
}

// platformList expands "all".
func (o *options) platformList() []string {
	if o.platform == All {
		return []string{WeComApp, WeComAIBot, DingTalk}
	}
	return []string{o.platform}
}
