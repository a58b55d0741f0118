package scheduler

import (
	"slices"
	"strconv"
	"time"

	"duban/handlers"
	"duban/kb"
)

// Roles of a task in a chat's digest.
const (
	RoleLead = "lead" // the chat speaks for a lead unit
	RoleCo   = "co"   // the chat speaks for a co-unit (协同 copy)
)

// A Push is one digest for one chat. It encodes as the elements of
// `duban remind --dry-run --json`:
// {"chat","units":[],"tasks":[{"table","no","due","milestone"}],"text"}.
type Push struct {
	Chat  string     `json:"chat"`
	Units []string   `json:"units"` // the chat's units, canonical
	Tasks []PushTask `json:"tasks"` // most urgent first
	Text  string     `json:"text"`  // Reply rendered as plain text
	// Reply is the message to send, with the chat's mentions.
	Reply handlers.Reply `json:"-"`

	chat  int
	now   time.Time
	items []handlers.DigestItem // Tasks' records, for a digest of a subset
}

// A PushTask is one reminder of a Push: a task at a milestone.
type PushTask struct {
	Table     kb.Table `json:"table"`
	No        int      `json:"no"`
	Due       string   `json:"due"`       // ISO date
	Milestone string   `json:"milestone"` // due-30, due-7, due-1, overdue-1, overdue-2, …
	Role      string   `json:"-"`         // RoleLead or RoleCo
}

// Plan returns the digests a run at now would send under every rule, in
// the order of the configured chats, before the ledger removes those
// already sent. It is pure: the same now gives the same pushes.
func (s *Scheduler) Plan(now time.Time) []Push { return s.plan(now, s.allRules(), true) }

// hit is one task reaching one chat at a milestone.
type hit struct {
	task int
	m    milestone
	co   bool
}

// plan computes the pushes of rules at now. Without render, Reply and Text
// are left empty: Run renders each digest after the ledger has said which
// of its reminders are still to send, usually none.
func (s *Scheduler) plan(now time.Time, rules []int, render bool) []Push {
	today := dayNumber(now)
	per := make([][]hit, len(s.chats))
	for ti, t := range s.tasks {
		var lead, co milestone
		for _, ri := range rules {
			r := s.rules[ri]
			m := r.current(t.due, today)
			if m.after(lead) {
				lead = m
			}
			if r.co && m.after(co) {
				co = m
			}
		}
		if lead.ok {
			for _, c := range t.lead {
				per[c] = append(per[c], hit{task: ti, m: lead})
			}
		}
		if co.ok {
			for _, c := range t.co {
				per[c] = append(per[c], hit{task: ti, m: co, co: true})
			}
		}
	}
	var out []Push
	for c, hits := range per {
		if len(hits) == 0 {
			continue
		}
		// Urgency: the earliest due date first, so overdue tasks lead; a
		// chat's own tasks before its 协同 copies; then document order.
		slices.SortFunc(hits, func(a, b hit) int {
			ta, tb := s.tasks[a.task], s.tasks[b.task]
			switch {
			case ta.due != tb.due:
				return ta.due - tb.due
			case a.co != b.co:
				if a.co {
					return 1
				}
				return -1
			}
			return a.task - b.task
		})
		out = append(out, s.push(c, hits, now, render))
	}
	return out
}

// push builds chat c's digest of hits.
func (s *Scheduler) push(c int, hits []hit, now time.Time, render bool) Push {
	p := Push{Chat: s.chats[c].Name, Units: s.units[c], chat: c, now: now,
		Tasks: make([]PushTask, len(hits)), items: make([]handlers.DigestItem, len(hits))}
	if p.Units == nil {
		p.Units = []string{}
	}
	for i, h := range hits {
		r := s.tasks[h.task].rec
		role := RoleLead
		if h.co {
			role = RoleCo
		}
		p.Tasks[i] = PushTask{Table: r.Table, No: r.No, Due: r.Due.ISO(), Milestone: h.m.key(), Role: role}
		p.items[i] = handlers.DigestItem{Record: *r, Co: h.co}
	}
	if render {
		p.Reply = s.digest(c, p.items, now)
		p.Text = p.Reply.Text()
	}
	return p
}

// digest renders items for chat c with the chat's mentions.
func (s *Scheduler) digest(c int, items []handlers.DigestItem, now time.Time) handlers.Reply {
	ch := s.chats[c]
	r := handlers.Digest(ch.Name, items, now)
	r.Mentions = append(append([]string{}, ch.MentionMobiles...), ch.MentionUserIDs...)
	if len(r.Mentions) == 0 {
		r.Mentions = nil
	}
	return r
}

// subset returns p reduced to the tasks at idx, rendered.
func (s *Scheduler) subset(p Push, idx []int) Push {
	if len(idx) == len(p.Tasks) && p.Text != "" {
		return p
	}
	q := Push{Chat: p.Chat, Units: p.Units, chat: p.chat, now: p.now}
	for _, i := range idx {
		q.Tasks = append(q.Tasks, p.Tasks[i])
		q.items = append(q.items, p.items[i])
	}
	q.Reply = s.digest(p.chat, q.items, p.now)
	q.Text = q.Reply.Text()
	return q
}

// ledgerKey names one reminder: the task, the chat, the milestone.
func ledgerKey(chat string, t PushTask) string {
	return "remind|" + string(t.Table) + "#" + strconv.Itoa(t.No) + "|" + chat + "|" + t.Milestone
}
