package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
	"duban/store"
)

// IntentLeaderSummary is the Reply.Intent of a weekly leader summary.
const IntentLeaderSummary = "leader_summary"

// A LeaderSummary sends, on its cron spec, a summary of every task a
// leader leads, grouped by reported status, to one configured chat
// (config `leader_summaries: [{leader: 周国强, chat: 周国强督办群, cron:
// "0 17 * * 5"}]`). It is sent once per leader, chat and ISO week, however
// many replicas or ticks there are.
type LeaderSummary struct {
	Leader string `yaml:"leader"`
	Chat   string `yaml:"chat"` // a chats[].name
	Cron   string `yaml:"cron"` // standard 5 fields, Asia/Shanghai
}

// checkSummaries finds the summaries New refuses: no leader, a chat that
// is not configured (nothing could send to it), a bad spec.
func checkSummaries(cfg Config) error {
	var errs []error
	for i, ls := range cfg.LeaderSummaries {
		p := fmt.Sprintf("leader_summaries[%d]", i)
		if strings.TrimSpace(ls.Leader) == "" {
			errs = append(errs, fmt.Errorf("%s.leader: missing", p))
		}
		if chatIndex(cfg.Chats, ls.Chat) < 0 {
			errs = append(errs, fmt.Errorf("%s.chat: %q is not a configured chat name", p, ls.Chat))
		}
		if _, err := cron.ParseStandard(ls.Cron); err != nil {
			errs = append(errs, fmt.Errorf("%s.cron: %q: %w", p, ls.Cron, err))
		}
	}
	errs = append(errs, checkEscalation(cfg)...)
	errs = append(errs, checkUrge(cfg)...)
	errs = append(errs, checkBulletins(cfg)...)
	return errors.Join(errs...)
}

func chatIndex(chats []Chat, name string) int {
	for i, c := range chats {
		if c.Name == name && name != "" {
			return i
		}
	}
	return -1
}

// summaryOrder groups a summary: what needs the leader's attention first.
var summaryOrder = []kb.State{kb.Extension, kb.NotStarted, kb.InProgress, kb.Done}

// Summary renders leader's weekly summary at now: a head line with the
// counts by status, then one line per task, grouped by status, each with
// its days overdue when unfinished past its date and its latest report.
func (s *Scheduler) Summary(leader string, now time.Time) handlers.Reply {
	leader = names.Clean(leader)
	recs := s.base.ByLeader(leader)
	today := dayNumber(now)
	d := now.In(kb.Location)
	head := fmt.Sprintf("督办周报（%s牵头任务，%d年%d月%d日）：", leader, d.Year(), int(d.Month()), d.Day())
	if len(recs) == 0 {
		return handlers.Reply{Intent: IntentLeaderSummary, Head: head + "没有找到牵头任务。"}
	}
	count := map[kb.State]int{}
	overdue := 0
	var lines []string
	var srcs []kb.Source
	var docs []string
	for _, st := range summaryOrder {
		for i := range recs {
			r := &recs[i]
			cur, ok := s.status(r)
			if !ok {
				cur.State = kb.NotStarted
			}
			if cur.State != st {
				continue
			}
			count[st]++
			late := r.Due != nil && !cur.Finished() && today > dayNumber(r.Due.Time)
			if late {
				overdue++
			}
			lines = append(lines, strconv.Itoa(len(lines)+1)+". "+summaryLine(r, cur, ok, late, today))
			srcs = append(srcs, r.Source)
			if f := r.Source.File; f != "" && !containsString(docs, f) {
				docs = append(docs, f)
			}
		}
	}
	var parts []string
	for _, st := range []kb.State{kb.Done, kb.InProgress, kb.Extension, kb.NotStarted} {
		if count[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s%d项", st, count[st]))
		}
	}
	head += fmt.Sprintf("共%d项，%s", len(recs), strings.Join(parts, "，"))
	if overdue > 0 {
		head += fmt.Sprintf("；其中逾期未完成%d项", overdue)
	}
	r := handlers.Reply{Intent: IntentLeaderSummary, Head: head + "。", Lines: lines, Sources: srcs}
	if len(docs) > 0 {
		r.Cite = "来源：" + strings.Join(docs, "；")
	}
	return r
}

// summaryLine is "【推进中·逾期3天】重点工作第76项 text｜住建局｜时限：8月底前｜住建局 9月3日：note".
func summaryLine(r *kb.Record, cur kb.Status, reported, late bool, today int) string {
	tag := cur.Label()
	if late {
		tag += "·逾期" + strconv.Itoa(today-dayNumber(r.Due.Time)) + "天"
	}
	var b strings.Builder
	b.WriteString("【" + tag + "】")
	b.WriteString(label(r.Table, r.No))
	b.WriteString(" " + cutText(r.Text, 30))
	if len(r.LeadUnits) > 0 {
		b.WriteString("｜" + strings.Join(r.LeadUnits, "、"))
	}
	if t := strings.Join(strings.Fields(r.DeadlineText), ""); t != "" {
		b.WriteString("｜时限：" + t)
	}
	if reported {
		b.WriteString("｜" + cur.Byline())
		if cur.Note != "" {
			b.WriteString("：" + cutText(cur.Note, 60))
		}
	}
	return b.String()
}

func label(t kb.Table, no int) string {
	switch t {
	case kb.PeopleProjects:
		return "为民办实事第" + strconv.Itoa(no) + "项"
	case kb.Nantong2019:
		return "南通2019年重点工作第" + strconv.Itoa(no) + "项"
	case kb.Measures2019:
		return "补短板措施第" + strconv.Itoa(no) + "项"
	}
	return "重点工作第" + strconv.Itoa(no) + "项"
}

func cutText(s string, n int) string {
	s = strings.Join(strings.Fields(s), "")
	if i := strings.IndexAny(s, "。；;"); i > 0 {
		s = s[:i]
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// summaryKey is the ledger key of leader's summary to chat in now's ISO week.
func summaryKey(ls LeaderSummary, now time.Time) string {
	y, w := now.In(kb.Location).ISOWeek()
	return fmt.Sprintf("summary|%s|%s|%d-W%02d", names.Clean(ls.Leader), ls.Chat, y, w)
}

// RunSummaries sends every configured leader summary not yet sent in now's
// week; Start sends each on its own cron spec instead.
func (s *Scheduler) RunSummaries(ctx context.Context, now time.Time) (Report, error) {
	var rep Report
	var errs []error
	for i := range s.cfg.LeaderSummaries {
		o, err := s.sendSummary(ctx, i, now)
		rep.add(o)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return rep, errors.Join(errs...)
}

// sendSummary sends summary i unless the ledger holds it for now's week:
// under its own lock, claim, push (paced, retried), confirm; or release on
// failure so the next tick of the week retries.
func (s *Scheduler) sendSummary(ctx context.Context, i int, now time.Time) (o Report, err error) {
	if s.pusher == nil || s.st == nil {
		return o, errors.New("scheduler: summary: no pusher or store (a planning-only scheduler)")
	}
	ls := s.cfg.LeaderSummaries[i]
	key := summaryKey(ls, now)
	lock := LockName + ":" + key
	token, err := s.st.Lock(ctx, lock, s.cfg.LockTTL)
	if err != nil {
		return o, fmt.Errorf("scheduler: summary %s: lock: %w", ls.Leader, err)
	}
	defer func() { _ = s.st.Unlock(context.WithoutCancel(ctx), lock, token) }()
	held := newClaimSet(s.st, store.Owner{Lock: lock, Token: token}, s.cfg.ClaimTTL)
	ok, err := s.st.Claim(ctx, key, held.owner, s.cfg.ClaimTTL)
	if err != nil {
		return o, fmt.Errorf("scheduler: summary %s: ledger: %w", ls.Leader, err)
	}
	if !ok {
		o.Skipped++
		return o, nil
	}
	held.add(key)
	stop := held.keepAlive(ctx)
	defer stop()
	c := chatIndex(s.chats, ls.Chat)
	r := s.Summary(ls.Leader, now)
	// A summary is one ledger key: a long one goes out as the sender
	// splits it, each message taking its own send slot.
	parts := []part{{keys: []string{key}, reply: r, pieces: s.pieces(c, r)}}
	if err := s.deliverParts(ctx, c, parts, held, &o); err != nil {
		return o, fmt.Errorf("scheduler: summary %s to %q: %w", ls.Leader, ls.Chat, err)
	}
	return o, nil
}

// addSummaries schedules each leader summary on its spec.
func (s *Scheduler) addSummaries(ctx context.Context, c *cron.Cron) error {
	for i, ls := range s.cfg.LeaderSummaries {
		if _, err := c.AddFunc(ls.Cron, func() {
			if ctx.Err() != nil {
				return
			}
			rep, err := s.sendSummary(ctx, i, s.cfg.Now())
			if err != nil {
				s.log.Error("leader summary failed", "leader", ls.Leader, "chat", ls.Chat, "err", err)
				return
			}
			s.log.Info("leader summary", "leader", ls.Leader, "chat", ls.Chat, "sent", rep.Sent, "skipped", rep.Skipped)
		}); err != nil {
			return fmt.Errorf("scheduler: start: leader_summaries[%d].cron %q: %w", i, ls.Cron, err)
		}
	}
	return nil
}
