package scheduler

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"duban/kb"
	"duban/kb/names"
	"duban/progress"
)

// An Escalation sends a task that stays red (overdue and not reported done)
// up the line, once per stage: after 3 days red to the supervision office's
// chat, after 10 days again (config `escalate: {after_days: [3, 10], chat:
// 督查办群, leaders: true}`). Escalations join the receiving chat's digest of
// the tick, marked 升级督办 with the lead unit, so they add no message of
// their own; each (task, chat, stage) goes through the ledger like any
// reminder and is sent exactly once. A stage whose day has no tick (a
// weekend) goes out at the next one, unless a later stage has started.
type Escalation struct {
	// AfterDays are the stages: days red (days past the due date) at which
	// the task goes up again. Default: none, no escalation.
	AfterDays []int `yaml:"after_days"`
	// Chat is the configured chat (chats[].name) that receives every
	// escalation, usually the 督查办's. Default: none.
	Chat string `yaml:"chat"`
	// Leaders also sends each escalation to the chat of every leader who
	// 分管 a lead unit of the task, as the division-of-labour document says
	// (chats with `leader: 茅敏勇`). Default: false.
	Leaders bool `yaml:"leaders"`
}

// stages returns the escalation days, positive, ascending, unique.
func (e Escalation) stages() []int {
	out := slices.DeleteFunc(slices.Clone(e.AfterDays), func(n int) bool { return n <= 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// checkEscalation finds what New refuses in the escalate key.
func checkEscalation(cfg Config) []error {
	e := cfg.Escalate
	var errs []error
	for i, n := range e.AfterDays {
		if n <= 0 {
			errs = append(errs, fmt.Errorf("escalate.after_days[%d]: %d: want a number of days above 0", i, n))
		}
	}
	if e.Chat != "" && chatIndex(cfg.Chats, e.Chat) < 0 {
		errs = append(errs, fmt.Errorf("escalate.chat: %q is not a configured chat name", e.Chat))
	}
	if len(e.AfterDays) > 0 && e.Chat == "" && !e.Leaders {
		errs = append(errs, fmt.Errorf("escalate: after_days without chat or leaders: true sends nothing"))
	}
	return errs
}

// escalation returns the stage task ti, in status st and due now on day
// due (dueNow), has reached at now (ok false: none) and the chats it goes
// to, besides the task's own lead chats; stages are Escalate.stages(),
// computed once per plan.
func (s *Scheduler) escalation(ti int, st kb.Status, due int, now time.Time, stages []int) (milestone, []int) {
	t := &s.tasks[ti]
	if len(stages) == 0 || dayNumber(now) <= due {
		return milestone{}, nil // not red
	}
	if progress.LightOf(t.rec.Due, st, now, s.cfg.Lights) != progress.LightRed {
		return milestone{}, nil
	}
	// Red since the day after the date it is late against.
	red := dayNumber(now) - due
	var m milestone
	for _, n := range stages {
		if red >= n {
			m = milestone{start: due + n, days: n, esc: true, ok: true}
		}
	}
	if due != t.due {
		m.moved = due
	}
	if !m.ok {
		return m, nil
	}
	var to []int
	if c := chatIndex(s.chats, s.cfg.Escalate.Chat); c >= 0 {
		to = append(to, c)
	}
	if s.cfg.Escalate.Leaders {
		to = append(to, s.leaderChats(t.rec.LeadUnits)...)
	}
	to = slices.DeleteFunc(to, func(c int) bool { return slices.Contains(t.lead, c) })
	slices.Sort(to)
	return m, slices.Compact(to)
}

// leaderChats are the chats of the leaders who 分管 one of units.
func (s *Scheduler) leaderChats(units []string) []int {
	var out []int
	for _, u := range units {
		for _, l := range s.base.Overseers(u) {
			for c, ch := range s.chats {
				if ch.Leader != "" && names.Clean(ch.Leader) == l.Name {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// escalateKey names a stage in the ledger: escalate-3.
func escalateKey(days int) string { return "escalate-" + strconv.Itoa(days) }
