package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"duban/progress"
	"duban/scheduler"
)

// config is the YAML file (DESIGN.md "Configuration contract"). Every key
// is optional unless its feature is used; ${VAR} is replaced from the
// environment before parsing, so secrets stay out of the file.
type config struct {
	Listen      string `yaml:"listen"`       // default 127.0.0.1:8080
	Docs        string `yaml:"docs"`         // relative to the config file
	DataDir     string `yaml:"data_dir"`     // embedded store; default ./data
	RedisURL    string `yaml:"redis_url"`    // set → shared state in Redis
	RedisPrefix string `yaml:"redis_prefix"` // default "duban:"
	Log         struct {
		Format string `yaml:"format"` // text | json; default text
		Level  string `yaml:"level"`  // debug | info | warn | error; default info
	} `yaml:"log"`
	Emulator struct {
		Disabled bool   `yaml:"disabled"`
		Token    string `yaml:"token"` // required when listen is not loopback
	} `yaml:"emulator"`
	ReloadEvery string `yaml:"reload_every"` // documents folder poll; default 5s
	// KB is where the full-text index lives (kb.index_dir).
	KB kbConfig `yaml:"kb"`

	httpConfig `yaml:",inline"` // trusted_proxies, tls, admin (httpconfig.go)

	WeCom struct {
		CorpID     string `yaml:"corp_id"`
		APIBaseURL string `yaml:"api_base_url"`
		App        struct {
			AgentID        int64  `yaml:"agent_id"`
			Secret         string `yaml:"secret"`
			Token          string `yaml:"token"`
			EncodingAESKey string `yaml:"encoding_aes_key"`
			Path           string `yaml:"path"`
		} `yaml:"app"`
		AIBot struct {
			Token          string `yaml:"token"`
			EncodingAESKey string `yaml:"encoding_aes_key"`
			Path           string `yaml:"path"`
			LongConnection struct {
				BotID  string `yaml:"bot_id"`
				Secret string `yaml:"secret"`
				URL    string `yaml:"url"`
			} `yaml:"long_connection"`
		} `yaml:"aibot"`
	} `yaml:"wecom"`

	DingTalk struct {
		APIBaseURL     string `yaml:"api_base_url"`
		OpenAPIBaseURL string `yaml:"openapi_base_url"`
		Robot          struct {
			AppSecret string `yaml:"app_secret"`
			Path      string `yaml:"path"`
		} `yaml:"robot"`
		Stream struct {
			ClientID     string `yaml:"client_id"`
			ClientSecret string `yaml:"client_secret"`
		} `yaml:"stream"`
	} `yaml:"dingtalk"`

	Chats     []chatConfig     `yaml:"chats"`
	Reminders []scheduler.Rule `yaml:"reminders"`
	// LeaderSummaries send each leader a weekly list of their tasks by status.
	LeaderSummaries []scheduler.LeaderSummary `yaml:"leader_summaries"`
	// Dashboard is the supervision dashboard (dashboard.go); Lights the
	// traffic-light thresholds it and the reminders share.
	Dashboard dashboardConfig     `yaml:"dashboard"`
	Lights    progress.Thresholds `yaml:"lights"`
	// MCP serves the MCP tools at /mcp (see mcp.go); off by default.
	MCP mcpConfig `yaml:"mcp"`
	// escalate, urge and bulletins (supervise.go).
	supervisionConfig `yaml:",inline"`
	// Review is 办结审核 (review.go); Links the signed one-tap links of
	// webhook-only chats (links.go).
	Review reviewConfig `yaml:"review"`
	Links  linksConfig  `yaml:"links"`
	// Cards are the chats whose digests go as interactive cards (cards_config.go).
	Cards cardsConfig `yaml:"cards"`

	links   *linkWiring // built from Links by serve and remind --send (links.go)
	path    string      // the file, for relative paths
	missing []string    // ${VAR}s that were not set
}

// kbConfig is the knowledge base's section.
type kbConfig struct {
	// IndexDir keeps the full-text index on disk, so a start or a reload
	// re-indexes only the documents that changed. Default: <data_dir>/index
	// when a config file is given, else in memory; "memory" keeps it in
	// memory.
	IndexDir string `yaml:"index_dir"`
}

// chatConfig is one reminder chat: the scheduler's routing plus the
// sender's credentials.
type chatConfig struct {
	scheduler.Chat `yaml:",inline"`
	WebhookKey     string `yaml:"webhook_key"`  // wecom_webhook
	ChatID         string `yaml:"chat_id"`      // wecom_appchat, wecom_aibot
	AccessToken    string `yaml:"access_token"` // dingtalk_webhook
	Secret         string `yaml:"secret"`       // dingtalk_webhook 加签
	Markdown       *bool  `yaml:"markdown"`     // wecom_appchat; default true
}

var reEnv = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// loadConfig reads and validates path. An empty path gives the embedded
// defaults.
func loadConfig(path string) (*config, error) {
	cfg := &config{}
	if path == "" {
		return cfg.withDefaults(), nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return parseConfig(path, raw)
}

func parseConfig(path string, raw []byte) (*config, error) {
	cfg := &config{path: path}
	missing := map[string]bool{}
	expanded := reEnv.ReplaceAllFunc(raw, func(m []byte) []byte {
		name := string(reEnv.FindSubmatch(m)[1])
		v, ok := os.LookupEnv(name)
		if !ok {
			missing[name] = true
		}
		return []byte(v)
	})
	for k := range missing {
		cfg.missing = append(cfg.missing, k)
	}
	sort.Strings(cfg.missing)
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)                                              // a misspelt key is an error, not a silent default
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("config %s:\n%w", path, err)
	}
	return cfg, nil
}

func (c *config) withDefaults() *config {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if c.ReloadEvery == "" {
		c.ReloadEvery = "5s"
	}
	if c.WeCom.App.Path == "" {
		c.WeCom.App.Path = "/wecom/app"
	}
	if c.WeCom.AIBot.Path == "" {
		c.WeCom.AIBot.Path = "/wecom/aibot"
	}
	if c.DingTalk.Robot.Path == "" {
		c.DingTalk.Robot.Path = "/dingtalk/robot"
	}
	for i := range c.Chats {
		c.Chats[i].HasCredentials = c.hasCredentials(c.Chats[i]) // chattypes.go
	}
	return c
}

// rel resolves a path from the config file's folder.
func (c *config) rel(p string) string {
	if p == "" || filepath.IsAbs(p) || c.path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(c.path), p)
}

// validate checks what the scheduler does not: platform sections that are
// half filled. Each problem names its YAML path.
func (c *config) validate() error {
	var errs []error
	bad := func(path, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, a...)))
	}
	need := func(path, v string) {
		if v == "" {
			bad(path, "missing%s", c.hint())
		}
	}
	if err := c.validateHTTP(); err != nil {
		errs = append(errs, err)
	}
	if c.Log.Format != "" && c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "%q: want text or json", c.Log.Format)
	}
	if c.Log.Level != "" && !strings.Contains(" debug info warn error ", " "+c.Log.Level+" ") {
		bad("log.level", "%q: want debug, info, warn or error", c.Log.Level)
	}
	app := c.WeCom.App
	if app.Token != "" || app.EncodingAESKey != "" {
		need("wecom.corp_id", c.WeCom.CorpID)
		need("wecom.app.token", app.Token)
		if len(app.EncodingAESKey) != 43 {
			bad("wecom.app.encoding_aes_key", "must be the 43 characters the console shows (got %d)%s", len(app.EncodingAESKey), c.hint())
		}
	}
	ai := c.WeCom.AIBot
	if ai.Token != "" || ai.EncodingAESKey != "" {
		need("wecom.aibot.token", ai.Token)
		if len(ai.EncodingAESKey) != 43 {
			bad("wecom.aibot.encoding_aes_key", "must be the 43 characters the console shows (got %d)%s", len(ai.EncodingAESKey), c.hint())
		}
	}
	if lc := ai.LongConnection; lc.BotID != "" || lc.Secret != "" {
		need("wecom.aibot.long_connection.bot_id", lc.BotID)
		need("wecom.aibot.long_connection.secret", lc.Secret)
	}
	if st := c.DingTalk.Stream; st.ClientID != "" || st.ClientSecret != "" {
		need("dingtalk.stream.client_id", st.ClientID)
		need("dingtalk.stream.client_secret", st.ClientSecret)
	}
	names := map[string]bool{}
	for i, ch := range c.Chats {
		p := fmt.Sprintf("chats[%d]", i)
		if ch.Name != "" {
			p = fmt.Sprintf("chats[%d] (%s)", i, ch.Name)
		}
		if names[ch.Name] && ch.Name != "" {
			bad(p+".name", "duplicate chat name")
		}
		names[ch.Name] = true
		errs = append(errs, c.checkChat(p, ch)...) // each platform's own check (chattypes.go)
	}
	errs = append(errs, c.validateMCP()...)
	errs = append(errs, c.Review.validate()...)
	errs = append(errs, c.Links.validate()...)
	return errors.Join(errs...)
}

// hint names the unset environment variables, the usual cause of a
// missing secret.
func (c *config) hint() string {
	if len(c.missing) == 0 {
		return ""
	}
	return " (unset environment variables: " + strings.Join(c.missing, ", ") + ")"
}

// schedulerConfig returns the scheduler's part.
func (c *config) schedulerConfig() scheduler.Config {
	sc := scheduler.Config{Reminders: c.Reminders, LeaderSummaries: c.LeaderSummaries, Lights: c.Lights}
	c.supervisionConfig.apply(&sc)
	for _, ch := range c.Chats {
		sc.Chats = append(sc.Chats, ch.Chat)
	}
	return sc
}

//go:embed example.yaml
var exampleConfig string
