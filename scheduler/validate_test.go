package scheduler

import (
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	base := fixtureBase(t)
	tests := []struct {
		name     string
		edit     func(c *Config)
		errs     []string // every line of the joined error, in order
		warnings []string
	}{
		{"valid", func(c *Config) {}, nil, nil},
		{"unknown unit", func(c *Config) { c.Chats[1].Units = []string{"交通厅", "交通局"} },
			[]string{`chats[1].units[0]: unknown unit "交通厅"`}, nil},
		{"unknown unit after alias resolution", func(c *Config) { c.Chats[1].Units = append(c.Chats[1].Units, "市 交通厅") },
			[]string{`chats[1].units[1]: unknown unit "市 交通厅" (read as "交通厅")`}, nil},
		{"aliases and collectives are known", func(c *Config) {
			c.Chats[0].Units = []string{"住房和城乡建设局", "区住建局"}
			c.Chats[4].Units = []string{"各区镇", "相关部门"}
		}, nil, nil},
		{"bad cron", func(c *Config) { c.Reminders[0].Cron = "0 9 * *" },
			[]string{`reminders[0].cron: "0 9 * *": expected exactly 5 fields, found 4: [0 9 * *]`}, nil},
		{"bad cron field", func(c *Config) { c.Reminders = append(c.Reminders, Rule{Cron: "0 25 * * *"}) },
			[]string{`reminders[1].cron: "0 25 * * *": end of range (25) above maximum (23): 25`}, nil},
		{"negative offsets", func(c *Config) {
			c.Reminders[0].DaysBefore = []int{7, -1}
			c.Reminders[0].OverdueEveryDays = -7
		}, []string{
			`reminders[0].days_before[1]: -1 is negative (days before the due date; overdue reminders use overdue_every_days)`,
			`reminders[0].overdue_every_days: -7 is negative (0 tells once)`,
		}, nil},
		{"duplicate and missing names", func(c *Config) {
			c.Chats[2].Name = "住建群"
			c.Chats[3].Name = " "
		}, []string{
			`chats[2].name: duplicate chat name "住建群" (also chats[0])`,
			`chats[3].name: missing`,
		}, nil},
		{"no credentials", func(c *Config) {
			c.Chats[0].HasCredentials = false
			c.Chats[1].HasCredentials = false
		}, []string{
			// Which keys are missing is the platform's to say (cmd/duban
			// chattypes_test.go); the scheduler knows no platform.
			`chats[0]: chat "住建群" has no credentials for its sender (type "wecom_webhook")`,
			`chats[1]: chat "交通群" has no credentials for its sender (type "dingtalk_webhook")`,
		}, nil},
		// Chat types are checked by the platforms' registry in cmd/duban
		// (chattypes_test.go), not here.
		{"units without a chat", func(c *Config) {
			c.Chats = slices.Delete(c.Chats, 1, 3) // 交通群, 正余群
			c.Chats = c.Chats[:len(c.Chats)-1]     // 区镇总群; 开发区群 still takes 各区镇
		}, nil, []string{
			"chats: 2 units lead dated tasks but have no chat, their reminders go nowhere: 交通局 (1), 正余镇 (1)",
		}},
		{"collective lead without members", func(c *Config) {
			c.Chats = c.Chats[:2] // no town, park or 各区镇 chat
		}, nil, []string{
			"chats: 2 units lead dated tasks but have no chat, their reminders go nowhere: 各区镇 (1), 正余镇 (1)",
		}},
		{"chat without units", func(c *Config) { c.Chats[4].Units = nil }, nil, []string{
			`chats[4]: chat "区镇总群" lists no units and receives nothing: no reminders, escalations, 催办, 通报 or leader summaries`,
		}},
		// A chat of no unit that has another part is not warned about.
		{"escalation chat without units", func(c *Config) {
			c.Chats[4].Units = nil
			c.Escalate = Escalation{AfterDays: []int{3}, Chat: "区镇总群"}
		}, nil, nil},
		{"leader's chat without units", func(c *Config) { c.Chats[4].Units, c.Chats[4].Leader = nil, "李四" }, nil, nil},
		{"催办 chat without units", func(c *Config) {
			c.Chats[4].Units = nil
			c.Urge = UrgeConfig{Chats: []string{"区镇总群"}}
		}, nil, nil},
		{"通报 chat without units", func(c *Config) {
			c.Chats[4].Units = nil
			c.Bulletins = []Bulletin{{Chat: "区镇总群", Cron: "0 9 * * 1", Period: "weekly"}}
		}, nil, nil},
		{"summary chat without units", func(c *Config) {
			c.Chats[4].Units = nil
			c.LeaderSummaries = []LeaderSummary{{Leader: "李四", Chat: "区镇总群", Cron: "0 17 * * 5"}}
		}, nil, nil},
		{"escalation chat of another chat: still nothing", func(c *Config) {
			c.Chats[4].Units = nil
			c.Escalate = Escalation{AfterDays: []int{3}, Chat: "住建群"}
		}, nil, []string{
			`chats[4]: chat "区镇总群" lists no units and receives nothing: no reminders, escalations, 催办, 通报 or leader summaries`,
		}},
		{"different overdue repeats", func(c *Config) {
			c.Reminders = append(c.Reminders, Rule{Cron: "0 9 * * 1", OverdueEveryDays: 30})
		}, nil, []string{
			"reminders[1].overdue_every_days: rules with different overdue repeats share the ledger keys overdue-2, overdue-3, …; the first one sent wins",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fixtureConfig()
			tt.edit(&cfg)
			warnings, err := Validate(cfg, base)
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if !slices.Equal(got, tt.errs) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.errs)
			}
			if !slices.Equal(warnings, tt.warnings) {
				t.Errorf("warnings:\n got %q\nwant %q", warnings, tt.warnings)
			}
		})
	}
}

func TestNewRefusesStructuralErrors(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Reminders[0].Cron = "every morning"
	cfg.Chats[0].HasCredentials = false // not New's concern: dry runs need no secrets
	_, err := New(cfg, fixtureBase(t), nil, nil)
	if err == nil || !strings.Contains(err.Error(), `reminders[0].cron: "every morning"`) {
		t.Errorf("New: %v", err)
	}
	if _, err := New(fixtureConfig(), nil, nil, nil); err == nil {
		t.Error("New without a base: no error")
	}
	cfg = fixtureConfig()
	cfg.Chats[0].HasCredentials = false
	if _, err := New(cfg, fixtureBase(t), nil, nil); err != nil {
		t.Errorf("New refuses a chat without credentials: %v", err)
	}
}

func TestCollectiveMembership(t *testing.T) {
	tests := []struct {
		unit string
		kind unitKind
	}{
		{"正余镇", kindTown}, {"三厂街道", kindTown}, {"开发区", kindPark}, {"叠石桥家纺产业园区", kindPark},
		{"海门港新区", kindPark}, {"住建局", kindDept}, {"城发集团", kindDept},
	}
	for _, tt := range tests {
		if got := kindOf(tt.unit); got != tt.kind {
			t.Errorf("kindOf(%q) = %d, want %d", tt.unit, got, tt.kind)
		}
	}
	members := []struct {
		collective string
		want       unitKind
	}{
		{"各区镇", kindTown | kindPark}, {"相关区镇", kindTown | kindPark}, {"各区镇（街道）", kindTown | kindPark},
		{"各镇", kindTown}, {"各园区", kindPark}, {"相关园区", kindPark}, {"各部门", kindDept}, {"相关部门", kindDept},
		{"各有关部门", kindDept}, {"区各委办局", kindDept}, {"各成员单位", 0}, {"相关单位", 0}, {"各招商分局", 0},
	}
	for _, tt := range members {
		if got := membersOf(tt.collective); got != tt.want {
			t.Errorf("membersOf(%q) = %d, want %d", tt.collective, got, tt.want)
		}
	}
}
