package scheduler

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
)

// digestYearStats are the figures of a simulated reminder year for one
// set of rules: what each chat receives from the scheduled reminders.
type digestYearStats struct {
	chats, days    int
	messages       int            // messages posted (a part may be several)
	chatDays       int            // (chat, day) pairs with at least one message
	maxPerDay      int            // most messages one chat got on one day
	maxAt          string         // which chat and day
	digests        int            // digests sent (one per chat per tick with news)
	items, listed  int            // reminders in the digests; those listed as a line
	maxItems       int            // most reminders in one digest
	byRole         map[string]int // reminders by why the chat has them
	multiMessage   int            // digests of more than one message
	overLimitParts int            // messages over the platform's limit (want none)
}

// simulateDigestYear ticks every weekday at 09:00 from from to to over
// base with one chat per lead unit, sending what Plan gives less what the
// ledger (a set here) already holds, cut into messages as a run cuts them.
func simulateDigestYear(t *testing.T, base *kb.Base, chats []Chat, rules []Rule, from, to time.Time) digestYearStats {
	t.Helper()
	// The fake's senders render and limit as each chat type's real sender.
	s, err := New(Config{Chats: chats, Reminders: rules}, base, &fakePusher{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := digestYearStats{chats: len(chats), byRole: map[string]int{}}
	sent := map[string]bool{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if !weekday(d) {
			continue
		}
		st.days++
		now := d.Add(9 * time.Hour)
		for _, p := range s.Plan(now) {
			var idx []int
			var keys []string
			for i, task := range p.Tasks {
				if k := ledgerKey(p.Chat, task); !sent[k] {
					sent[k] = true
					idx = append(idx, i)
					keys = append(keys, k)
				}
			}
			if len(idx) == 0 {
				continue
			}
			q := s.pick(p, idx)
			parts := s.split(q, keys)
			n := 0
			dialect := testDialect(s.chats[q.chat].Type, len(s.chats[q.chat].MentionMobiles) > 0)
			for _, pt := range parts {
				n += len(pt.msgs)
				for _, m := range handlers.Render(pt.reply, dialect) {
					if len(m) > dialect.Limit {
						st.overLimitParts++
					}
				}
				for _, l := range pt.reply.Lines {
					if !strings.HasPrefix(l, "【") {
						st.listed++
					}
				}
			}
			st.digests++
			st.messages += n
			st.chatDays++
			if n > 1 {
				st.multiMessage++
			}
			if n > st.maxPerDay {
				st.maxPerDay, st.maxAt = n, p.Chat+" "+d.Format(time.DateOnly)
			}
			st.items += len(idx)
			st.maxItems = max(st.maxItems, len(idx))
			for _, i := range idx {
				st.byRole[p.Tasks[i].Role]++
			}
		}
	}
	return st
}

// leadUnitChats is one chat per unit that leads a dated task (collectives
// aside: their tasks reach the member chats); a third each of WeCom with
// an @ (plain text, 2,048 bytes), WeCom markdown and DingTalk.
func leadUnitChats(base *kb.Base) []Chat {
	var us []string
	for _, r := range base.Records() {
		for _, u := range r.LeadUnits {
			if u = names.Unit(u); r.Due != nil && u != "" && !names.IsCollective(u) && !slices.Contains(us, u) {
				us = append(us, u)
			}
		}
	}
	var chats []Chat
	for i, u := range us {
		c := Chat{Name: u + "工作群", Type: WeComWebhook, Units: []string{u}, HasCredentials: true}
		switch i % 3 {
		case 0:
			c.MentionMobiles = []string{"13800000000"}
		case 2:
			c.Type = DingTalkWebhook
		}
		chats = append(chats, c)
	}
	return chats
}

// TestDigestYear is issue 17's figure: a year of scheduled reminders over
// the seeds with the example rules and one chat per lead unit. No chat may
// get more than 2 messages on any day, and no message may exceed its
// platform's limit.
func TestDigestYear(t *testing.T) {
	base := seedsBase(t)
	chats := leadUnitChats(base)
	from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, kb.Location), time.Date(2020, 12, 31, 0, 0, 0, 0, kb.Location)
	example := Rule{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}
	decay := example
	decay.OverdueIntervals = []int{1, 7, 14, 30}
	fanOut := example
	fanOut.CollectiveCoUnits = true
	tests := []struct {
		name string
		rule Rule
		to   time.Time
	}{
		{"example rules, 2020", example, to},
		{"example rules, 2020 and 2021 Q1 (overdue weekly)", example, to.AddDate(0, 3, 0)},
		{"overdue 1, 7, 14, 30 days, 2020 and 2021 Q1", decay, to.AddDate(0, 3, 0)},
		{"collective co-units fanned out, 2020", fanOut, to},
	}
	var rows []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := simulateDigestYear(t, base, chats, []Rule{tt.rule}, from, tt.to)
			if st.maxPerDay > 2 {
				t.Errorf("%s got %d messages in a day, want at most 2", st.maxAt, st.maxPerDay)
			}
			if st.overLimitParts > 0 {
				t.Errorf("%d messages over the platform's limit", st.overLimitParts)
			}
			if st.digests == 0 || st.listed == 0 {
				t.Fatalf("nothing sent: %+v", st)
			}
			perChatDay := float64(st.messages) / float64(st.chats*st.days)
			perSending := float64(st.messages) / float64(st.chatDays)
			t.Logf("%d chats, %d weekday ticks: %d digests, %d messages; per chat and day max %d (%s), mean %.3f (%.2f on days with any); "+
				"reminders per digest mean %.1f, max %d, lines listed %d of %d; %d digests of 2 messages; copies: lead %d, 各部门共同 %d, 协同 %d",
				st.chats, st.days, st.digests, st.messages, st.maxPerDay, st.maxAt, perChatDay, perSending,
				float64(st.items)/float64(st.digests), st.maxItems, st.listed, st.items, st.multiMessage,
				st.byRole[RoleLead], st.byRole[RoleShared], st.byRole[RoleCo])
			rows = append(rows, fmt.Sprintf("| %s | %d | %d | %d | %.3f | %.2f | %.1f | %d | %d | %d | %d | %d |",
				tt.name, st.chats, st.days, st.messages, perChatDay, perSending, float64(st.items)/float64(st.digests), st.maxItems,
				st.maxPerDay, st.byRole[RoleLead], st.byRole[RoleShared], st.byRole[RoleCo]))
		})
	}
	var supervision string
	t.Run("with escalation and 通报", func(t *testing.T) { supervision = supervisionYearReport(t, base) })
	if dir := os.Getenv("DUBAN_ARTIFACTS"); dir != "" && len(rows) == len(tests) && supervision != "" {
		md := "## Scheduled reminders over a year (issue 17)\n\n" +
			"`go test ./scheduler/ -run TestDigestYear -v`: the seeds, one chat per lead unit (a third WeCom with an @, a third WeCom markdown, a third DingTalk), weekday ticks at 09:00, `days_before: [30, 7, 1]`, `co_units: true`.\n\n" +
			"| rules | chats | ticks | messages | per chat per day (mean) | per chat on days with any | reminders per digest (mean) | reminders per digest (max) | most messages to a chat in a day | lead | 各部门共同 | 协同 |\n" +
			"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" +
			strings.Join(rows, "\n") + "\n\n" + supervision
		if err := os.WriteFile(filepath.Join(dir, "reminders_year.md"), []byte(md), 0o644); err != nil {
			t.Error(err)
		}
	}
}
