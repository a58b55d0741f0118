package scheduler

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Preview returns what a run at now would send, for `remind --dry-run` and
// the emulator's reminder panel: Plan's pushes with each reminder the
// ledger has confirmed marked AlreadySent, and the rest rendered exactly
// as a run cuts them (Messages, one per platform message; Text, the same
// joined as plain text). A push whose reminders are all sent keeps its
// tasks, marked, with no messages. It reads the ledger only: it claims,
// confirms and releases nothing. Without a store nothing counts as sent.
func (s *Scheduler) Preview(ctx context.Context, now time.Time) ([]Push, error) {
	pushes := s.plan(now, s.allRules(), false)
	for pi := range pushes {
		p := &pushes[pi]
		var keep []int
		var keys []string
		for i, t := range p.Tasks {
			k := ledgerKey(p.Chat, t)
			if s.st != nil {
				sent, err := s.st.Sent(ctx, k)
				if err != nil {
					return nil, fmt.Errorf("scheduler: preview: %w", err)
				}
				if sent {
					p.Tasks[i].AlreadySent = true
					continue
				}
			}
			keep = append(keep, i)
			keys = append(keys, k)
		}
		if len(keep) == 0 {
			continue
		}
		q := s.pick(*p, keep)
		parts := s.split(q, keys)
		var texts []string
		for i, pt := range parts {
			for _, m := range pt.msgs {
				p.Messages = append(p.Messages, m.Text)
			}
			if i == 0 {
				p.Reply = pt.reply
			}
			texts = append(texts, pt.reply.Text())
		}
		p.Text = strings.Join(texts, "\n\n")
	}
	return pushes, nil
}
