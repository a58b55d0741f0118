package scheduler

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"duban/kb"
	"duban/kb/names"
)

// TestYearAgainstStrictEndpoint ticks a year of weekdays over the seeds
// (and two months on) against an endpoint that enforces 20 messages a
// minute per robot and fails chosen posts: retryable errors, the
// platforms' rate-limit refusals (WeCom 45009, DingTalk 130101) and
// refusals that release a chat's rest. Messages are cut at 400 bytes, so
// busy days take several parts. Each tick runs as the cron job does, with
// its same-day retries. It checks that no reminder is accepted twice, none
// planned is lost, no robot ever gets more than 20 messages in a minute
// or a message during its penalty.
func TestYearAgainstStrictEndpoint(t *testing.T) {
	base := seedsBase(t)
	// Every third lead unit gets a chat (every third of those DingTalk),
	// every sixth under -race: enough for busy days of many parts.
	every := 3
	if raceEnabled {
		every = 6
	}
	var chats []Chat
	seen := map[string]bool{}
	for _, r := range base.Records() {
		for _, u := range r.LeadUnits {
			if u = names.Unit(u); r.Due != nil && !names.IsCollective(u) && !seen[u] {
				seen[u] = true
				if len(seen)%every != 1 {
					continue
				}
				typ := WeComWebhook
				if len(chats)%3 == 2 {
					typ = DingTalkWebhook
				}
				chats = append(chats, Chat{Name: "群·" + u, Type: typ, Units: []string{u}, HasCredentials: true})
			}
		}
	}
	typeOf := func(chat string) string {
		i := chatIndex(chats, chat)
		return chats[i].Type
	}
	c := &clock{}
	st := newFakeStore(c.Now)
	ep := newEndpoint(c.Now, typeOf)
	ep.dialect.Limit = 400
	ep.fail = chaos(ep, 40, 15, 5)
	sl := &sleeper{c: c}
	rule := Rule{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true, CollectiveCoUnits: true}
	// One chat at a time: the sleeper moves the one fake clock that every
	// goroutine reads, so a concurrent chat's wait would jump another's
	// post a minute past the send time its window logged, which no real
	// clock does.
	cfg := Config{Chats: chats, Reminders: []Rule{rule}, Now: c.Now, Sleep: sl.Sleep, Concurrency: 1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s, err := New(cfg, base, ep, st)
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, kb.Location), time.Date(2021, 2, 28, 0, 0, 0, 0, kb.Location)
	planned := map[seat]string{} // → the ledger key
	ticks := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if !weekday(d) {
			continue
		}
		ticks++
		now := d.Add(9 * time.Hour)
		c.Set(now)
		unsent, err := s.Unsent(t.Context(), s.Plan(now))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range unsent {
			for _, task := range p.Tasks {
				planned[seat{d.Format(time.DateOnly), p.Chat, fmt.Sprintf("%s#%d", task.Table, task.No)}] = ledgerKey(p.Chat, task)
			}
		}
		s.tick(t.Context(), s.allRules(), LockName)
		if !sameDay(c.Now(), now) {
			t.Fatalf("%s: the tick's retries ran into the next day (%s)", d.Format(time.DateOnly), c.Now())
		}
	}

	bySource := map[kb.Source]kb.Record{}
	for _, r := range base.Records() {
		bySource[r.Source] = r
	}
	got := map[seat]int{}
	parts, multi := 0, 0
	for _, dl := range ep.deliveries() {
		parts++
		if strings.Contains(dl.reply.Head, "（第") {
			multi++
		}
		for _, src := range dl.reply.Sources {
			r := bySource[src]
			got[seat{dl.at.Format(time.DateOnly), dl.chat, fmt.Sprintf("%s#%d", r.Table, r.No)}]++
		}
	}
	var lost, doubled, extra []string
	for k := range planned {
		switch n := got[k]; {
		case n == 0:
			lost = append(lost, fmt.Sprint(k))
		case n > 1:
			doubled = append(doubled, fmt.Sprint(k))
		}
	}
	for k := range got {
		if _, ok := planned[k]; !ok {
			extra = append(extra, fmt.Sprint(k))
		}
	}
	for _, l := range []struct {
		what string
		xs   []string
	}{{"lost", lost}, {"accepted twice", doubled}, {"unplanned", extra}} {
		if len(l.xs) > 0 {
			slices.Sort(l.xs)
			t.Errorf("%d reminders %s, e.g. %v", len(l.xs), l.what, l.xs[:min(5, len(l.xs))])
		}
	}
	if d := st.doubled(); len(d) > 0 {
		t.Errorf("ledger confirmed twice: %v", d[:min(5, len(d))])
	}
	if n, chat := ep.maxInWindow(); n > ep.limit {
		t.Errorf("%s accepted %d messages within a minute, limit %d", chat, n, ep.limit)
	}
	if ep.tooFast > 0 || ep.inBlock > 0 {
		t.Errorf("posts refused for breaking the limit: %d; posts during a penalty: %d; want none", ep.tooFast, ep.inBlock)
	}
	if ep.injectedLimits == 0 || multi == 0 {
		t.Errorf("not exercised: %d injected rate-limit refusals, %d parts of multi-part digests", ep.injectedLimits, multi)
	}
	n, _ := ep.maxInWindow()
	t.Logf("%d chats, %d ticks: %d reminders planned, %d messages accepted (%d parts of multi-part digests), "+
		"busiest minute %d messages, %d injected rate-limit refusals",
		len(chats), ticks, len(planned), parts, multi, n, ep.injectedLimits)
}
