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
		Reminders:  ledgerReminders(cfg, base, st, tr.Lookup),
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
// weekend milestone goes out on the next weekday tick). With status (the
// journal's lookup; nil: none) the scheduler counts from the date a task
// is due now, as serve's does: an approved extension's milestones are
// asked about beside the document date's, which the ledger kept from
// before the approval.
func ledgerReminders(cfg *config, base func() *kb.Base, st store.Store, status func(kb.Table, int) (kb.Status, bool)) func(context.Context, kb.Table, int, time.Time) ([]dashboard.Reminder, error) {
	sc := cfg.schedulerConfig()
	sc.Status = status
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
		var out []dashboard.Reminder
		seen := map[string]bool{}
		days := milestoneDays(sc.Reminders, rec.Due.Time, asOf)
		if status != nil {
			if cur, ok := status(t, no); ok {
				if d := progress.EffectiveDue(rec.Due, cur); d != rec.Due {
					days = mergeDays(days, milestoneDays(sc.Reminders, d.Time, asOf))
				}
			}
		}
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

// mergeDays is the days of a and b, each once, earliest first.
func mergeDays(a, b []time.Time) []time.Time {
	seen := map[time.Time]bool{}
	for _, d := range a {
		seen[d] = true
	}
	for _, d := range b {
		if !seen[d] {
			seen[d] = true
			a = append(a, d)
		}
	}
	slices.SortFunc(a, func(x, y time.Time) int { return x.Compare(y) })
	return a
}
