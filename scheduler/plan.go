package scheduler

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
)

// Roles of a task in a chat's digest.
const (
	RoleLead   = "lead"   // the chat speaks for a lead unit
	RoleShared = "shared" // the chat's unit is a member of the collective that leads (各部门共同)
	RoleCo     = "co"     // the chat speaks for a co-unit (协同 copy)
	// RoleEscalate: the chat is the supervision office's or a leader's,
	// and the task has been red long enough to go up (escalate.go).
	RoleEscalate = "escalate"
)

// A Push is one digest for one chat. It encodes as the elements of
// `duban remind --dry-run --json`:
// {"chat","units":[],"tasks":[{"table","no","due","milestone"}],"text"}.
type Push struct {
	Chat  string     `json:"chat"`
	Units []string   `json:"units"` // the chat's units, canonical
	Tasks []PushTask `json:"tasks"` // most urgent first
	Text  string     `json:"text"`  // Reply rendered as plain text
	// Messages are, in a Preview, the messages a run would post for the
	// reminders not yet sent, as the chat's sender renders them, in order.
	Messages []string `json:"messages,omitempty"`
	// NoChat marks a preview for a unit no chat is configured for.
	NoChat bool `json:"no_chat,omitempty"`
	// Reply is the message to send, with the chat's mentions.
	Reply handlers.Reply `json:"-"`

	chat  int
	now   time.Time
	tasks []int // index in Scheduler.tasks of each of Tasks
}

// A PushTask is one reminder of a Push: a task at a milestone.
type PushTask struct {
	Table     kb.Table `json:"table"`
	No        int      `json:"no"`
	Due       string   `json:"due"`       // ISO date the task is due now (an approved extension's)
	Milestone string   `json:"milestone"` // due-30, due-7, due-1, overdue-1, overdue-2, …, escalate-3
	Role      string   `json:"-"`         // RoleLead, RoleShared, RoleCo or RoleEscalate
	// AlreadySent marks, in a Preview, a reminder the ledger has confirmed:
	// the next run leaves it out.
	AlreadySent bool `json:"already_sent,omitempty"`
}

// Plan returns the digests a run at now would send under every rule, in
// the order of the configured chats, before the ledger removes those
// already sent. It is pure: the same now gives the same pushes.
func (s *Scheduler) Plan(now time.Time) []Push { return s.plan(now, s.allRules(), true) }

// hit is one task reaching one chat at a milestone. ord sorts hits by
// urgency: the earliest due date first, so overdue tasks lead; a chat's
// own tasks before those of its collectives and its 协同 copies; then
// document order. It holds no pointer, so the garbage collector does not
// scan the hits.
type hit struct {
	ord uint64    // due day << 32 | co << 31 | shared << 30 | escalate << 29 | task index
	m   milestone // the task's milestone for this chat
}

const (
	hitCo     = 1 << 31
	hitShared = 1 << 30
	hitEsc    = 1 << 29
)

func (h hit) task() int { return int(h.ord & (hitEsc - 1)) }

func (h hit) role() string {
	switch {
	case h.ord&hitEsc != 0:
		return RoleEscalate
	case h.ord&hitCo != 0:
		return RoleCo
	case h.ord&hitShared != 0:
		return RoleShared
	}
	return RoleLead
}

// plan computes the pushes of rules at now. Without render, Reply and Text
// are left empty: Run renders each digest after the ledger has said which
// of its reminders are still to send, usually none.
//
// It counts first and allocates once: a tick over ten thousand tasks can
// hold a hundred thousand reminders, and the garbage would cost more than
// the planning.
func (s *Scheduler) plan(now time.Time, rules []int, render bool) []Push {
	today := dayNumber(now)
	leadM := make([]milestone, len(s.tasks))
	coM := make([]milestone, len(s.tasks))
	memM := make([]milestone, len(s.tasks))
	escM := map[int]milestone{}
	escTo := map[int][]int{}
	// Escalations ride with the first rule's job, so that several cron
	// specs do not each add them to a digest of their own.
	escalate := slices.Contains(rules, 0)
	stages := s.cfg.Escalate.stages()
	count := make([]int, len(s.chats))
	total := 0
	for ti, t := range s.tasks {
		st, reported := s.status(t.rec)
		if reported && st.Finished() {
			continue // reported done: no more reminders (status.go)
		}
		due, moved := s.dueNow(ti, st)
		var lead, co, mem milestone
		for _, ri := range rules {
			r := s.rules[ri]
			m := r.current(due, today)
			m.moved = moved
			if m.after(lead) {
				lead = m
			}
			if r.co && m.after(co) {
				co = m
			}
			if r.coMembers && m.after(mem) {
				mem = m
			}
		}
		if lead.ok && len(t.lead) > 0 {
			leadM[ti] = lead
			for _, c := range t.lead {
				count[c]++
			}
			total += len(t.lead)
		}
		if co.ok && len(t.co) > 0 {
			coM[ti] = co
			for _, c := range t.co {
				count[c]++
			}
			total += len(t.co)
		}
		if mem.ok && len(t.coMembers) > 0 {
			memM[ti] = mem
			for _, c := range t.coMembers {
				count[c]++
			}
			total += len(t.coMembers)
		}
		if !escalate {
			continue
		}
		if m, to := s.escalation(ti, st, due, now, stages); m.ok && len(to) > 0 {
			escM[ti], escTo[ti] = m, to
			for _, c := range to {
				count[c]++
			}
			total += len(to)
		}
	}
	all := make([]hit, total)
	per := make([][]hit, len(s.chats))
	off := 0
	for c, n := range count {
		per[c] = all[off : off : off+n]
		off += n
	}
	for ti, t := range s.tasks {
		// Every milestone of a task carries the same moved date.
		due := uint64(cmp.Or(leadM[ti].moved, coM[ti].moved, memM[ti].moved, escM[ti].moved, t.due)) << 32
		if m := leadM[ti]; m.ok {
			for _, c := range t.lead {
				o := due | uint64(ti)
				if _, ok := slices.BinarySearch(t.shared, c); ok {
					o |= hitShared
				}
				per[c] = append(per[c], hit{ord: o, m: m})
			}
		}
		if m := coM[ti]; m.ok {
			for _, c := range t.co {
				per[c] = append(per[c], hit{ord: due | hitCo | uint64(ti), m: m})
			}
		}
		if m := memM[ti]; m.ok {
			for _, c := range t.coMembers {
				per[c] = append(per[c], hit{ord: due | hitCo | uint64(ti), m: m})
			}
		}
		if m, ok := escM[ti]; ok {
			for _, c := range escTo[ti] {
				per[c] = append(per[c], hit{ord: due | hitEsc | uint64(ti), m: m})
			}
		}
	}
	tasks := make([]PushTask, total)
	idx := make([]int, total)
	var out []Push
	off = 0
	for c, hits := range per {
		if len(hits) == 0 {
			continue
		}
		slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.ord, b.ord) })
		n := len(hits)
		out = append(out, s.push(c, hits, tasks[off:off+n:off+n], idx[off:off+n:off+n], now, render))
		off += n
	}
	return out
}

// push builds chat c's digest of hits into the slices given.
func (s *Scheduler) push(c int, hits []hit, tasks []PushTask, idx []int, now time.Time, render bool) Push {
	p := Push{Chat: s.chats[c].Name, Units: s.units[c], chat: c, now: now, Tasks: tasks, tasks: idx}
	if p.Units == nil {
		p.Units = []string{}
	}
	for i, h := range hits {
		t := &s.tasks[h.task()]
		iso := t.iso
		if h.m.moved != 0 {
			iso = isoDay(h.m.moved)
		}
		p.Tasks[i] = PushTask{Table: t.rec.Table, No: t.rec.No, Due: iso, Milestone: h.m.key(), Role: h.role()}
		p.tasks[i] = h.task()
	}
	if render {
		s.render(&p)
	}
	return p
}

// render sets p.Reply and p.Text: the digest with the chat's mentions.
func (s *Scheduler) render(p *Push) {
	items := make([]handlers.DigestItem, len(p.tasks))
	for i := range p.tasks {
		items[i] = s.item(*p, i)
	}
	p.Reply = s.digest(p.chat, items, p.now)
	p.Text = p.Reply.Text()
}

// item is task i of p as its digest line shows it: why it is in the chat.
func (s *Scheduler) item(p Push, i int) handlers.DigestItem {
	it := handlers.DigestItem{Record: s.tasks[p.tasks[i]].rec}
	switch p.Tasks[i].Role {
	case RoleCo:
		it.Co, it.Reason = true, handlers.ReasonCo
	case RoleShared:
		it.Reason = sharedReason(it.Record)
	case RoleEscalate:
		it.Reason = handlers.EscalationReason(it.Record.LeadUnits)
	}
	return it
}

// sharedReason names the collective a task is led by: 各区镇共同, 各部门共同.
func sharedReason(r *kb.Record) string {
	for _, u := range r.LeadUnits {
		if cu := names.Unit(u); names.IsCollective(cu) {
			return cu + "共同"
		}
	}
	return handlers.ReasonShared
}

// digest renders items for chat c with the chat's mentions, each with its
// colour and reported status, compact enough for one message of the
// chat's platform: what does not fit is counted, with how to see it all.
func (s *Scheduler) digest(c int, items []handlers.DigestItem, now time.Time) handlers.Reply {
	ch := s.chats[c]
	for i := range items {
		s.annotate(&items[i], now)
	}
	opt := handlers.DigestOptions{Unit: ch.Name, Limit: s.messageLimit(c), Tables: s.base.Tables()}
	if len(s.units[c]) > 0 {
		opt.Unit = s.units[c][0]
	} else {
		opt.All = handlers.AllOverdue // a 督查办 or leader chat: its escalations
	}
	r := handlers.DigestOf(ch.Name, items, now, opt)
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
		q.tasks = append(q.tasks, p.tasks[i])
	}
	s.render(&q)
	return q
}

// ledgerKey names one reminder: the task, the chat, the milestone.
func ledgerKey(chat string, t PushTask) string {
	return "remind|" + string(t.Table) + "#" + strconv.Itoa(t.No) + "|" + chat + "|" + t.Milestone
}
