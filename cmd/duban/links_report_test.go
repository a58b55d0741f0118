package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/linkpage"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/scheduler"
)

// TestDigestLinksReport renders every weekday tick of 2020 for one
// webhook chat per lead unit of the seeds, with and without one-tap links
// (the wrapper serve puts on webhook chats), and checks that every task
// the chat leads has its 已完成 link, that no co-unit copy has one, and
// that every link verifies to its task, chat and verb. With
// $DUBAN_ARTIFACTS it writes digest_links.md: what links cost in bytes and
// WeCom messages.
func TestDigestLinksReport(t *testing.T) {
	if testing.Short() {
		t.Skip("a year of ticks")
	}
	b := e2eSeedsBase(t)
	units := map[string]bool{}
	for _, r := range b.Records() {
		if r.Table == kb.KeyTasks || r.Table == kb.PeopleProjects {
			for _, u := range r.LeadUnits {
				units[u] = true
			}
		}
	}
	cfg := &config{Reminders: []scheduler.Rule{{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}}}
	for u := range units {
		cfg.Chats = append(cfg.Chats, chatConfig{Chat: scheduler.Chat{Name: u + "工作群", Type: typeWeComWebhook, Units: []string{u}}, WebhookKey: "k"})
	}
	s, err := scheduler.New(cfg.schedulerConfig(), b, dryRunPusher(cfg, b), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ch := range cfg.Chats {
		names = append(names, ch.Name)
	}
	signer, err := linkpage.NewSigner([]byte(e2eLinkKey), names, nil)
	if err != nil {
		t.Fatal(err)
	}
	lw := &linkWiring{links: &linkpage.Links{Signer: signer, BaseURL: "https://duban.example.gov.cn"}}
	lw.allow(cfg, func() *kb.Base { return b })
	named := namedUnits(cfg.Chats)

	var digests, tasks, linked, plainMsgs, linkMsgs, maxPlain, maxLinked, plainBytes, linkBytes, moreMsgs int
	for d := time.Date(2020, 1, 1, 9, 0, 0, 0, kb.Location); d.Year() == 2020; d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for _, p := range s.Plan(d) {
			r := lw.links.Decorate(p.Chat, p.Reply)
			plain := handlers.Render(p.Reply, handlers.WeComMarkdown)
			with := handlers.Render(r, handlers.WeComMarkdown)
			digests++
			tasks += len(p.Reply.Tasks)
			plainMsgs += len(plain)
			linkMsgs += len(with)
			if len(with) > len(plain) {
				moreMsgs++
			}
			maxPlain, maxLinked = max(maxPlain, len(plain)), max(maxLinked, len(with))
			for _, m := range plain {
				plainBytes += len(m)
			}
			for _, m := range with {
				linkBytes += len(m)
			}
			text := strings.Join(with, "\n")
			for _, a := range p.Reply.Tasks {
				rec, _ := b.Task(a.Table, a.No)
				leads := progress.Authorize(named(p.Chat), rec) == nil
				line := handlers.TaskLabel(a.Table, a.No) + "：[已完成](https://duban.example.gov.cn/l/"
				if got := strings.Contains(text, line); got != leads {
					t.Fatalf("%s %s: %s has a 已完成 link: %v, leads it: %v", d.Format("2006-01-02"), p.Chat, handlers.TaskLabel(a.Table, a.No), got, leads)
				}
				if leads {
					linked++
					i := strings.Index(text, line) + len(line)
					tok, err := signer.Verify(text[i : i+strings.IndexByte(text[i:], ')')])
					if err != nil || tok.Chat != p.Chat || tok.No != a.No || tok.Table != string(a.Table) || tok.Verb != bot.VerbDone {
						t.Fatalf("link of %s in %s = %+v, %v", line, p.Chat, tok, err)
					}
				}
			}
		}
	}
	if digests == 0 || linked == 0 {
		t.Fatalf("%d digests, %d linked tasks", digests, linked)
	}
	t.Logf("%d chats, 2020's weekday ticks: %d digests listing %d tasks (%d with links); WeCom markdown messages %d without links, %d with (%d digests grew); max per digest %d → %d; bytes %d → %d",
		len(cfg.Chats), digests, tasks, linked, plainMsgs, linkMsgs, moreMsgs, maxPlain, maxLinked, plainBytes, linkBytes)
	if dir := os.Getenv("DUBAN_ARTIFACTS"); dir != "" {
		md := "## One-tap links in webhook reminders (issue 18)\n\n" +
			"`go test ./cmd/duban -run TestDigestLinksReport -v`: the seeds, one WeCom webhook chat per lead unit, weekday ticks of 2020 at 09:00, `days_before: [30, 7, 1]`, `co_units: true`; links for what the chat may do (a co-unit's copy has none).\n\n" +
			"| chats | digests | tasks listed | tasks with links | messages without links | messages with links | digests that grew | most messages in a digest | bytes without | bytes with |\n" +
			"|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" +
			fmt.Sprintf("| %d | %d | %d | %d | %d | %d | %d | %d → %d | %d | %d |\n", len(cfg.Chats), digests, tasks, linked, plainMsgs, linkMsgs, moreMsgs, maxPlain, maxLinked, plainBytes, linkBytes)
		if err := os.WriteFile(filepath.Join(dir, "digest_links.md"), []byte(md), 0o644); err != nil {
			t.Error(err)
		}
	}
}
