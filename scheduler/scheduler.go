// Package scheduler pushes deadline reminders: at each cron tick it works
// out which dated tasks reach a milestone (due in 30, 7, 1 days; overdue,
// and again every so many days), routes each to the chats of its lead units
// (and co-units, marked 协同), sends one digest per chat, and records each
// (task, chat, milestone) in the store's ledger so it is sent once.
//
// Plan is pure and is what `duban remind --dry-run` prints. Run adds the
// tick lock, the ledger (claim → push → confirm, or release on failure),
// retries and backoff; each chat's sender (Pusher) renders and posts, and
// outbound.RateLimit keeps it within the chat's window. Start runs Run on the rules' cron
// specs with robfig/cron.
package scheduler

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"duban/kb"
	"duban/kb/names"
	"duban/outbound"
	"duban/store"
)

// Store is the shared state a run needs; every store.Store has it.
type Store interface {
	store.Ledger
	store.Limiter
	store.Locker
}

// LockName is the store lock a run takes, so one replica runs each tick.
const LockName = "duban:tick"

// A Scheduler plans and sends the reminders of one knowledge base.
type Scheduler struct {
	cfg    Config
	chats  []Chat
	units  [][]string // canonical units of each chat
	rules  []rule
	groups []group
	tasks  []task
	pusher Pusher
	// senders are the chats' senders (Pusher.Sender), looked up at New.
	senders []outbound.Sender
	st      Store
	log     *slog.Logger
	base    *kb.Base       // for the leader summaries
	bg      sync.WaitGroup // background unlocks (unlock.go)
}

// A group is the rules that share a cron spec: they run as one job.
type group struct {
	spec  string
	rules []int
}

// A task is a dated record with its chats, routed once at New.
type task struct {
	rec  *kb.Record
	due  int    // day number of rec.Due
	iso  string // rec.Due as 2006-01-02
	lead []int  // chats of the lead units
	co   []int  // chats of the co-units, without lead chats
	// shared: lead chats reached as members of a collective (各部门共同);
	// coMembers: chats reached as members of a collective co-unit (route.go).
	shared, coMembers []int
}

// New prepares a scheduler for base. pusher and st may be nil for a
// scheduler that only plans (`remind --dry-run`); Run and Start need them.
// New fails on what would make planning or scheduling wrong (a bad cron
// spec, a duplicate chat name, a negative offset); Validate reports the
// rest, such as unknown units and missing credentials.
func New(cfg Config, base *kb.Base, pusher Pusher, st Store) (*Scheduler, error) {
	if base == nil {
		return nil, errors.New("scheduler: no knowledge base")
	}
	if err := errors.Join(checkStructure(cfg)...); err != nil {
		return nil, fmt.Errorf("scheduler: config: %w", err)
	}
	if err := checkSummaries(cfg); err != nil {
		return nil, fmt.Errorf("scheduler: config: %w", err)
	}
	cfg = cfg.withDefaults()
	s := &Scheduler{cfg: cfg, chats: cfg.Chats, pusher: pusher, senders: sendersOf(pusher, cfg.Chats, cfg.Logger), st: st, log: cfg.Logger, base: base}
	for _, c := range cfg.Chats {
		var us []string
		for _, u := range c.Units {
			if cu := names.Unit(u); cu != "" && !slices.Contains(us, cu) {
				us = append(us, cu)
			}
		}
		s.units = append(s.units, us)
	}
	for i, r := range cfg.Reminders {
		s.rules = append(s.rules, prepare(r))
		j := slices.IndexFunc(s.groups, func(g group) bool { return g.spec == r.Cron })
		if j < 0 {
			s.groups = append(s.groups, group{spec: r.Cron})
			j = len(s.groups) - 1
		}
		s.groups[j].rules = append(s.groups[j].rules, i)
	}
	rt := newRouter(cfg.Chats)
	recs := base.Records()
	for i := range recs {
		r := &recs[i]
		if r.Due == nil {
			continue // 长期, 持续: no date, no reminder
		}
		rg := rt.task(r)
		s.tasks = append(s.tasks, task{rec: r, due: dayNumber(r.Due.Time), iso: r.Due.ISO(),
			lead: rg.lead, co: rg.co, shared: rg.shared, coMembers: rg.coMembers})
	}
	return s, nil
}

// allRules lists every rule index, for Plan and Run.
func (s *Scheduler) allRules() []int {
	out := make([]int, len(s.rules))
	for i := range out {
		out[i] = i
	}
	return out
}
