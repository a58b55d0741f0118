package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
	"duban/progress"
)

// IntentLeaderSummary is the Reply.Intent of a weekly leader summary.
const IntentLeaderSummary = handlers.IntentLeaderSummary

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

// Summary renders leader's weekly summary at now (handlers.LeaderSummary
// composes it): every task the leader leads with its reported status.
func (s *Scheduler) Summary(leader string, now time.Time) handlers.Reply {
	leader = names.Clean(leader)
	recs := s.base.ByLeader(leader)
	items := make([]handlers.SummaryItem, len(recs))
	for i := range recs {
		st, ok := s.status(&recs[i])
		items[i] = handlers.SummaryItem{Record: &recs[i], Status: st, Reported: ok}
		if recs[i].Due != nil { // days overdue count from an approved extension's date
			items[i].Due = progress.EffectiveDue(recs[i].Due, st)
		}
	}
	return handlers.LeaderSummary(leader, items, now, s.base.Tables())
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

// sendSummary sends summary i unless the ledger holds it for now's week;
// a failure releases it so the next tick of the week retries.
func (s *Scheduler) sendSummary(ctx context.Context, i int, now time.Time) (Report, error) {
	if s.pusher == nil || s.st == nil {
		return Report{}, errors.New("scheduler: summary: no pusher or store (a planning-only scheduler)")
	}
	ls := s.cfg.LeaderSummaries[i]
	c := chatIndex(s.chats, ls.Chat)
	return s.sendOnce(ctx, c, summaryKey(ls, now), fmt.Sprintf("summary %s to %q", ls.Leader, ls.Chat),
		func() handlers.Reply { return s.Summary(ls.Leader, now) })
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
