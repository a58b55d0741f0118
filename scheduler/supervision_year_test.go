package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
)

// supervisionYear is a year of scheduled reminders with escalation and a
// weekly 通报, over the seeds: what every chat receives, day by day.
type supervisionYear struct {
	chats, days         int
	messages            int            // reminder messages (digests, escalations inside them)
	maxPerDay           int            // most reminder messages one chat got on one day
	maxAt               string         // which chat and day
	chatDays            int            // (chat, day) pairs with a reminder message
	digests, items      int            // digests sent; reminders in them
	maxItems            int            // most reminders in one digest
	byRole              map[string]int // reminders by why the chat has them
	escalations         map[string]int // escalations by stage (escalate-3, escalate-10)
	bulletins, bulMsgs  int            // 通报 sent; their messages
	bulMaxBytes         int            // the longest 通报 message
	maxWithBulletin     int            // most messages (reminders and 通报) one chat got on one day
	reportedDone, tasks int            // tasks reported done during the year; dated tasks
}

// simulateSupervision ticks every weekday at 09:00 and sends a 通报 every
// Friday at 17:00 to the 督查办's chat. Units report every third task done
// two days before its due date; the rest are never reported, so they turn
// red and escalate: to 督查办群 and to the chat of the leader who 分管 the
// lead unit.
func simulateSupervision(t *testing.T, base *kb.Base, rule Rule, from, to time.Time) supervisionYear {
	t.Helper()
	chats := leadUnitChats(base)
	chats = append(chats, Chat{Name: "督查办群", Type: WeComWebhook, HasCredentials: true})
	for _, l := range base.Contents().Leaders {
		chats = append(chats, Chat{Name: l.Name + "督办群", Type: WeComWebhook, Leader: l.Name, HasCredentials: true})
	}
	var today time.Time
	status := func(tb kb.Table, no int) (kb.Status, bool) {
		r, ok := base.Task(tb, no)
		if !ok || r.Due == nil || no%3 != 0 {
			return kb.Status{}, false
		}
		at := r.Due.Time.AddDate(0, 0, -2)
		if today.Before(at) {
			return kb.Status{}, false
		}
		return kb.Status{Table: tb, No: no, State: kb.Done, At: at}, true
	}
	cfg := Config{Chats: chats, Reminders: []Rule{rule}, Status: status,
		Escalate:  Escalation{AfterDays: []int{3, 10}, Chat: "督查办群", Leaders: true},
		Bulletins: []Bulletin{{Chat: "督查办群", Cron: "0 17 * * 5"}}}
	s, err := New(cfg, base, &fakePusher{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	y := supervisionYear{chats: len(chats), byRole: map[string]int{}, escalations: map[string]int{}, tasks: len(s.tasks)}
	sent := map[string]bool{}
	var prev *handlers.BulletinFigures
	bc := chatIndex(s.chats, "督查办群")
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if !weekday(d) {
			continue
		}
		y.days++
		today = d.Add(9 * time.Hour)
		perChat := map[string]int{}
		for _, p := range s.Plan(today) {
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
			n := 0
			for _, pt := range s.split(s.pick(p, idx), keys) {
				n += len(pt.msgs)
			}
			perChat[p.Chat] += n
			y.messages += n
			y.digests++
			y.items += len(idx)
			y.maxItems = max(y.maxItems, len(idx))
			for _, i := range idx {
				y.byRole[p.Tasks[i].Role]++
				if p.Tasks[i].Role == RoleEscalate {
					y.escalations[p.Tasks[i].Milestone]++
				}
			}
		}
		for chat, n := range perChat {
			y.chatDays++
			if n > y.maxPerDay {
				y.maxPerDay, y.maxAt = n, chat+" "+d.Format(time.DateOnly)
			}
		}
		if d.Weekday() == time.Friday {
			now := d.Add(17 * time.Hour)
			r := s.BulletinReply(0, now, prev, "督办通报.xlsx")
			msgs := s.messages(bc, r)
			y.bulletins++
			y.bulMsgs += len(msgs)
			for _, m := range msgs {
				y.bulMaxBytes = max(y.bulMaxBytes, len(m.Text))
			}
			perChat["督查办群"] += len(msgs) + 1 // and the file
			_, tot := s.Standing(now)
			prev = &tot
		}
		for _, n := range perChat {
			y.maxWithBulletin = max(y.maxWithBulletin, n)
		}
	}
	if prev != nil {
		y.reportedDone = prev.Done
	}
	return y
}

// supervisionYearReport is issue 17's figure with escalation and 通报 (a
// subtest of TestDigestYear, whose report it joins): no chat gets more
// than 2 messages on any day from scheduled reminders, escalations
// included; each stage of each red task goes up once per chat. It returns
// the report's Markdown section.
func supervisionYearReport(t *testing.T, base *kb.Base) string {
	from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, kb.Location), time.Date(2021, 3, 31, 0, 0, 0, 0, kb.Location)
	example := Rule{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}
	decay := example
	decay.OverdueIntervals = []int{1, 7, 14, 30}
	var rows []string
	for _, tt := range []struct {
		name string
		rule Rule
	}{
		{"example rules", example},
		{"overdue 1, 7, 14, 30 days", decay},
	} {
		t.Run(tt.name, func(t *testing.T) {
			y := simulateSupervision(t, base, tt.rule, from, to)
			if y.maxPerDay > 2 {
				t.Errorf("%s got %d reminder messages in a day, want at most 2", y.maxAt, y.maxPerDay)
			}
			if y.escalations["escalate-3"] == 0 || y.escalations["escalate-10"] == 0 || y.bulletins == 0 {
				t.Fatalf("nothing escalated or reported: %+v", y)
			}
			// Each stage once per (task, chat): stage 10 never outnumbers stage 3.
			if y.escalations["escalate-10"] > y.escalations["escalate-3"] {
				t.Errorf("escalations %v: a later stage sent more often than the first", y.escalations)
			}
			mean := float64(y.messages) / float64(y.chats*y.days)
			t.Logf("%d chats, %d weekday ticks: %d digests, %d messages; per chat per day max %d (%s), mean %.3f; reminders per digest mean %.1f, max %d; "+
				"copies: lead %d, 各部门共同 %d, 协同 %d, 升级督办 %d (stage 3: %d, stage 10: %d); %d 通报 in %d messages (longest %d bytes); with 通报 max %d a day",
				y.chats, y.days, y.digests, y.messages, y.maxPerDay, y.maxAt, mean, float64(y.items)/float64(y.digests), y.maxItems,
				y.byRole[RoleLead], y.byRole[RoleShared], y.byRole[RoleCo], y.byRole[RoleEscalate], y.escalations["escalate-3"], y.escalations["escalate-10"],
				y.bulletins, y.bulMsgs, y.bulMaxBytes, y.maxWithBulletin)
			rows = append(rows, fmt.Sprintf("| %s | %d | %d | %d | %d | %.3f | %.1f | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |",
				tt.name, y.chats, y.days, y.messages, y.maxPerDay, mean, float64(y.items)/float64(y.digests), y.maxItems,
				y.byRole[RoleLead], y.byRole[RoleShared], y.byRole[RoleCo], y.escalations["escalate-3"], y.escalations["escalate-10"],
				y.bulletins, y.bulMsgs, y.bulMaxBytes, y.maxWithBulletin))
		})
	}
	return "### With escalation and a weekly 通报 (15 months)\n\n" +
		"`go test ./scheduler/ -run TestDigestYear -v`: the seeds from 2020-01-01 to 2021-03-31, the chats above plus a 督查办群 and one chat per leader of the division of labour, " +
		"`escalate: {after_days: [3, 10], chat: 督查办群, leaders: true}`, a weekly 通报 to 督查办群 on Fridays at 17:00 (message plus xlsx). " +
		"Units report every third task done two days before its due date; the rest turn red and escalate. " +
		"Escalations ride in the receiving chat's 09:00 digest, so they add no message of their own.\n\n" +
		"| rules | chats | ticks | reminder messages | most to a chat in a day | per chat per day (mean) | reminders per digest (mean) | (max) | lead | 各部门共同 | 协同 | escalated at 3 days | at 10 days | 通报 | 通报 messages | longest 通报 (bytes) | most in a day with 通报 and its file |\n" +
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" +
		strings.Join(rows, "\n") + "\n"
}
