package main

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"duban/bot"
	"duban/bot/dashboard"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/scheduler"
	"duban/store"
)

// dashboardConfig is the config's dashboard key: the supervision
// dashboard of `duban serve` (package dashboard).
type dashboardConfig struct {
	// Token opens the dashboard to others than loopback clients: given once
	// as ?token=… (then kept in a cookie) or as Authorization: Bearer ….
	// Default: "", loopback clients only.
	Token string `yaml:"token"`
	// Prefix is the path it is served at. Default: /dashboard.
	Prefix   string `yaml:"prefix"`
	Disabled bool   `yaml:"disabled"`
}

// wireDashboard mounts the dashboard on srv over the same knowledge base,
// status journal and reminder ledger the bot uses.
func wireDashboard(cfg *config, srv *bot.Server, state *kbState, tr *progress.Tracker, st store.Store, log *slog.Logger) {
	if cfg.Dashboard.Disabled {
		return
	}
	base := func() *kb.Base {
		if h := state.current(); h != nil {
			return h.Base()
		}
		return nil
	}
	d := dashboard.New(dashboard.Config{
		Prefix:  cfg.Dashboard.Prefix,
		Token:   cfg.Dashboard.Token,
		Base:    base,
		History: tr.History,
		Answer: func(ctx context.Context, q handlers.Question) handlers.Reply {
			if h := state.current(); h != nil {
				return h.Answer(ctx, q)
			}
			return handlers.Reply{}
		},
		Reminders:  ledgerReminders(cfg, base, st, tr.History),
		Thresholds: cfg.Lights,
		Logger:     log,
	})
	srv.Handle(d.Prefix(), d)
	srv.Handle(d.Prefix()+"/", d)
	access := "loopback clients only (set dashboard.token to open it)"
	if cfg.Dashboard.Token != "" {
		access = "token (?token= once, or Authorization: Bearer)"
	}
	log.Info("dashboard", "path", d.Prefix()+"/", "access", access)
}

// ledgerReminders reads a task's reminders from the ledger, which keeps
// keys and no times: for every milestone day of the task up to asOf it
// asks the scheduler which pushes a run that day would hold for the task,
// and keeps those the ledger has confirmed. At is the milestone's day (a
// weekend milestone goes out on the next weekday tick). The document
// date's milestones are asked of a scheduler that sees no statuses, as
// before; an extension approved by asOf (history, the journal; nil: none)
// adds its date's milestones, asked of one that sees the approval, so the
// history follows the date the scheduler counted from.
func ledgerReminders(cfg *config, base func() *kb.Base, st store.Store, history func(context.Context, kb.Table, int) ([]progress.Entry, error)) func(context.Context, kb.Table, int, time.Time) ([]dashboard.Reminder, error) {
	sc := cfg.schedulerConfig()
	if len(sc.Reminders) == 0 || len(sc.Chats) == 0 {
		return nil // nothing is ever sent: the page says the ledger is not wired
	}
	return func(ctx context.Context, t kb.Table, no int, asOf time.Time) ([]dashboard.Reminder, error) {
		b := base()
		if b == nil {
			return nil, nil
		}
		rec, ok := b.Task(t, no)
		if !ok || rec.Due == nil {
			return nil, nil
		}
		s, err := scheduler.New(sc, b, dryRunPusher(cfg, b), st)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		out, err := sentOn(ctx, s, t, no, milestoneDays(sc.Reminders, rec.Due.Time, asOf), seen)
		if err != nil || history == nil {
			return out, err
		}
		ext, ok, err := approvedBy(ctx, history, t, no, asOf)
		if err != nil || !ok {
			return out, err
		}
		d := progress.EffectiveDue(rec.Due, ext)
		if d == rec.Due {
			return out, nil
		}
		moved := sc
		moved.Status = func(tt kb.Table, n int) (kb.Status, bool) {
			if tt == t && n == no {
				return ext, true
			}
			return kb.Status{}, false
		}
		s, err = scheduler.New(moved, b, dryRunPusher(cfg, b), st)
		if err != nil {
			return nil, err
		}
		more, err := sentOn(ctx, s, t, no, milestoneDays(sc.Reminders, d.Time, asOf), seen)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
		slices.SortStableFunc(out, func(x, y dashboard.Reminder) int { return x.At.Compare(y.At) })
		return out, nil
	}
}

// sentOn is the reminders of task (t, no) that s plans on days and the
// ledger confirms, each chat and milestone once (seen).
func sentOn(ctx context.Context, s *scheduler.Scheduler, t kb.Table, no int, days []time.Time, seen map[string]bool) ([]dashboard.Reminder, error) {
	var out []dashboard.Reminder
	for _, day := range days {
		var mine []scheduler.Push
		for _, p := range s.Plan(day) {
			var keep []scheduler.PushTask
			for _, pt := range p.Tasks {
				if pt.Table == t && pt.No == no {
					keep = append(keep, pt)
				}
			}
			if len(keep) > 0 {
				p.Tasks = keep
				mine = append(mine, p)
			}
		}
		unsent, err := s.Unsent(ctx, mine)
		if err != nil {
			return nil, err
		}
		pending := map[string]bool{}
		for _, p := range unsent {
			for _, pt := range p.Tasks {
				pending[p.Chat+"|"+pt.Milestone] = true
			}
		}
		for _, p := range mine {
			for _, pt := range p.Tasks {
				k := p.Chat + "|" + pt.Milestone
				if !pending[k] && !seen[k] {
					seen[k] = true
					out = append(out, dashboard.Reminder{Chat: p.Chat, Milestone: pt.Milestone, At: day})
				}
			}
		}
	}
	return out, nil
}

// approvedBy returns the latest approved extension (同意延期) of the task
// in its journal recorded by asOf: a later report does not take it back.
func approvedBy(ctx context.Context, history func(context.Context, kb.Table, int) ([]progress.Entry, error), t kb.Table, no int, asOf time.Time) (kb.Status, bool, error) {
	es, err := history(ctx, t, no)
	if err != nil {
		return kb.Status{}, false, err
	}
	var last kb.Status
	ok := false
	for _, e := range es {
		if e.State == kb.ExtensionApproved && e.Extension != "" && !e.At.After(asOf) {
			last, ok = e.Status, true
		}
	}
	return last, ok, nil
}

// milestoneDays are the days (late in the day, Asia/Shanghai) on which a
// task due on due starts a milestone of any rule, up to asOf: due-N for
// each days_before, then the overdue repeats. It mirrors the scheduler's
// milestone arithmetic only to pick the days to ask Plan about; which
// reminder is due is still the scheduler's answer.
func milestoneDays(rules []scheduler.Rule, due, asOf time.Time) []time.Time {
	at := func(d time.Time) time.Time {
		y, m, dd := d.In(kb.Location).Date()
		return time.Date(y, m, dd, 23, 0, 0, 0, kb.Location)
	}
	seen := map[time.Time]bool{}
	var out []time.Time
	add := func(d time.Time) {
		if d := at(d); !d.After(asOf) && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	for _, r := range rules {
		for _, n := range r.DaysBefore {
			add(due.AddDate(0, 0, -n))
		}
		for _, k := range r.OverdueDays(60) {
			d := due.AddDate(0, 0, k)
			if d.After(asOf) {
				break
			}
			add(d)
		}
	}
	return out
}
