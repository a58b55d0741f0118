package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"duban/kb"
	"duban/kb/names"
	"duban/progress"
	"duban/scheduler"
	"duban/store"
)

// exampleRule is the reminder rule of a dry run whose config has none:
// the example config's.
var exampleRule = scheduler.Rule{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}

// remindDryRun prints what the next tick at now would send: the ledger and
// the reported statuses are read (never written), reminders already sent
// are marked (`"already_sent": true`) and the messages are the ones a run
// would post. With no chats configured it previews what each lead unit
// would receive and says that no chat is configured for it.
func remindDryRun(ctx context.Context, cfg *config, b *kb.Base, now time.Time, asJSON bool, stdout, stderr io.Writer) error {
	sc := cfg.schedulerConfig()
	if len(sc.Reminders) == 0 {
		fmt.Fprintln(stderr, "note: no reminders configured; previewing the example rule (days_before: [30, 7, 1], overdue_every_days: 7, co_units: true)")
	}
	st := openLedgerForPreview(ctx, cfg, stderr)
	if st != nil {
		defer st.Close()
		sc.Status = progress.New(st, progress.Config{}).Lookup
	}
	dry := dryRunPusher(cfg, b)
	if dry.err != nil {
		return fmt.Errorf("remind: dry run: %w", dry.err)
	}
	s, noChats, err := previewScheduler(sc, b, st, dry)
	if err != nil {
		return err
	}
	pushes, err := s.Preview(ctx, now)
	if err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	if noChats {
		for i := range pushes {
			pushes[i].NoChat = true
		}
	}
	if asJSON {
		if pushes == nil {
			pushes = []scheduler.Push{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(pushes)
	}
	if len(pushes) == 0 {
		fmt.Fprintf(stdout, "%s: nothing to send.\n", now.In(kb.Location).Format(time.RFC3339))
		return nil
	}
	messages, pending := 0, 0
	for _, p := range pushes {
		sent := 0
		for _, t := range p.Tasks {
			if t.AlreadySent {
				sent++
			}
		}
		where := p.Chat
		if len(p.Units) > 0 {
			where += " (" + strings.Join(p.Units, "、") + ")"
		}
		if p.NoChat {
			where = strings.Join(p.Units, "、") + " (no chat is configured for this unit)"
		}
		fmt.Fprintf(stdout, "==> %s: %d reminders, %d already sent, %d messages\n", where, len(p.Tasks), sent, len(p.Messages))
		for i, m := range p.Messages {
			if len(p.Messages) > 1 {
				fmt.Fprintf(stdout, "--- message %d of %d ---\n", i+1, len(p.Messages))
			}
			fmt.Fprintln(stdout, m)
		}
		fmt.Fprintln(stdout)
		messages += len(p.Messages)
		pending += len(p.Tasks) - sent
	}
	ledger := "the ledger read"
	if st == nil {
		ledger = "no ledger read: nothing counts as sent"
	}
	fmt.Fprintf(stdout, "%d digests, %d reminders in %d messages to send (dry run: nothing sent; %s)\n", len(pushes), pending, messages, ledger)
	return nil
}

// previewScheduler is the scheduler a dry run previews with: sc's chats and
// rules, or, with no chats, one chat per unit (noChats true), and with no
// rules the example rule. st may be nil: nothing counts as sent. p renders
// each chat as its sender does (dryRunPusher; dryRun{} knows only types).
func previewScheduler(sc scheduler.Config, b *kb.Base, st store.Store, p dryRun) (s *scheduler.Scheduler, noChats bool, err error) {
	noChats = len(sc.Chats) == 0
	if noChats {
		sc.Chats = unitChats(b)
		// What names configured chats has none to name.
		sc.Escalate, sc.Urge, sc.Bulletins, sc.LeaderSummaries = scheduler.Escalation{}, scheduler.UrgeConfig{}, nil, nil
	}
	if len(sc.Reminders) == 0 {
		sc.Reminders = []scheduler.Rule{exampleRule}
	}
	var sst scheduler.Store
	if st != nil {
		sst = st
	}
	s, err = scheduler.New(sc, b, p, sst) // renders as each chat's sender (chattypes.go)
	return s, noChats, err
}

// openLedgerForPreview opens the configured store to read the ledger and
// the statuses, or returns nil (and says why) when there is none yet or it
// cannot be opened: an embedded store that does not exist is not created.
func openLedgerForPreview(ctx context.Context, cfg *config, stderr io.Writer) store.Store {
	if cfg.RedisURL == "" {
		if _, err := os.Stat(cfg.rel(cfg.DataDir)); err != nil {
			return nil
		}
	}
	st, err := openStatusStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "warning: ledger and statuses not read:", err)
		return nil
	}
	return st
}

// unitChats is one preview chat per unit that leads a dated task, named
// after the unit; collectives reach their members' chats.
func unitChats(b *kb.Base) []scheduler.Chat {
	var us []string
	for _, r := range b.Records() {
		if r.Due == nil {
			continue
		}
		for _, u := range r.LeadUnits {
			if u = names.Unit(u); u != "" && !names.IsCollective(u) && !slices.Contains(us, u) {
				us = append(us, u)
			}
		}
	}
	slices.Sort(us)
	chats := make([]scheduler.Chat, len(us))
	for i, u := range us {
		chats[i] = scheduler.Chat{Name: u, Type: typeWeComWebhook, Units: []string{u}}
	}
	return chats
}
