package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfigErrors(t *testing.T) {
	key43 := strings.Repeat("a", 43)
	tests := []struct {
		name string
		yaml string
		want []string // every fragment must appear in the error
	}{
		{"unknown key", "listne: 1.2.3.4:80\n", []string{"field listne not found"}},
		{"bad log format", "log: {format: xml}\n", []string{`log.format: "xml": want text or json`}},
		{"half wecom app", "wecom:\n  app:\n    token: t\n    encoding_aes_key: short\n", []string{"wecom.corp_id: missing", "wecom.app.encoding_aes_key: must be the 43 characters"}},
		{"missing env hint", "wecom:\n  corp_id: c\n  app:\n    token: ${DUBAN_TEST_UNSET_TOKEN}x\n    encoding_aes_key: ${DUBAN_TEST_UNSET_KEY}\n", []string{"unset environment variables: DUBAN_TEST_UNSET_KEY, DUBAN_TEST_UNSET_TOKEN"}},
		{"chat without key", "chats:\n  - name: 住建局群\n    type: wecom_webhook\n    units: [住建局]\n", []string{"chats[0] (住建局群).webhook_key: missing"}},
		{"chat bad type", "chats:\n  - name: x\n    type: slack\n", []string{`chats[0] (x).type: "slack": want wecom_webhook`}},
		{"duplicate chat", "chats:\n  - {name: a, type: wecom_webhook, webhook_key: k}\n  - {name: a, type: wecom_webhook, webhook_key: k}\n", []string{"chats[1] (a).name: duplicate chat name"}},
		{"appchat without app", "chats:\n  - {name: a, type: wecom_appchat, chat_id: c}\n", []string{"wecom_appchat needs wecom.corp_id and wecom.app.secret"}},
		{"stream half", "dingtalk:\n  stream:\n    client_id: id\n", []string{"dingtalk.stream.client_secret: missing"}},
		{"aibot bad key", "wecom:\n  aibot:\n    token: t\n    encoding_aes_key: " + key43[:40] + "\n", []string{"wecom.aibot.encoding_aes_key: must be the 43 characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("duban.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("parseConfig(%q) = nil error", tt.yaml)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestParseConfigValid(t *testing.T) {
	t.Setenv("DUBAN_TEST_KEY", "secret-key")
	cfg, err := parseConfig(filepath.Join("etc", "duban.yaml"), []byte(`
docs: docs
data_dir: state
chats:
  - name: 交通局群
    type: wecom_webhook
    webhook_key: ${DUBAN_TEST_KEY}
    units: [交通运输局]
reminders:
  - cron: "0 9 * * 1-5"
    days_before: [7, 1]
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Chats[0].WebhookKey != "secret-key" || !cfg.Chats[0].HasCredentials {
		t.Errorf("env not expanded or credentials not seen: %+v", cfg.Chats[0])
	}
	if got := cfg.rel(cfg.DataDir); got != filepath.Join("etc", "state") {
		t.Errorf("data_dir relative to the config = %q", got)
	}
	if cfg.Listen != "127.0.0.1:8080" || cfg.WeCom.App.Path != "/wecom/app" {
		t.Errorf("defaults not applied: listen %q path %q", cfg.Listen, cfg.WeCom.App.Path)
	}
	sc := cfg.schedulerConfig()
	if len(sc.Chats) != 1 || sc.Reminders[0].DaysBefore[1] != 1 {
		t.Errorf("scheduler config = %+v", sc)
	}
}

// TestExampleConfig checks that `duban config example` is a valid file once
// its environment variables are set.
func TestExampleConfig(t *testing.T) {
	for _, v := range []string{"WECOM_CORP_ID", "WECOM_APP_SECRET", "WECOM_APP_TOKEN", "WECOM_AIBOT_TOKEN", "DINGTALK_APP_SECRET", "WECOM_KEY_ZJJ", "DINGTALK_TOKEN_JTJ", "DINGTALK_SECRET_JTJ", "WECOM_KEY_QZ"} {
		t.Setenv(v, "x")
	}
	t.Setenv("WECOM_APP_AES_KEY", strings.Repeat("k", 43))
	t.Setenv("WECOM_AIBOT_AES_KEY", strings.Repeat("k", 43))
	dir := t.TempDir()
	path := filepath.Join(dir, "duban.yaml")
	if err := os.WriteFile(path, []byte(exampleConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if len(cfg.Chats) != 3 || len(cfg.Reminders) != 1 {
		t.Errorf("example has %d chats, %d rules", len(cfg.Chats), len(cfg.Reminders))
	}
}
