package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"duban/store"
)

// RunBulletins sends every configured bulletin not yet sent in its period
// at now; Start sends each on its own cron spec instead.
func (s *Scheduler) RunBulletins(ctx context.Context, now time.Time) (Report, error) {
	var rep Report
	var errs []error
	for i := range s.cfg.Bulletins {
		o, err := s.sendBulletin(ctx, i, now)
		rep.add(o)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return rep, errors.Join(errs...)
}

// sendBulletin sends bulletin i unless the ledger holds it for now's
// period: under its own lock, the message (claim, push, confirm), the
// figures for the next one's changes, then the xlsx as its own ledger
// entry, so a failed upload is retried at the next tick without repeating
// the message.
func (s *Scheduler) sendBulletin(ctx context.Context, i int, now time.Time) (o Report, err error) {
	if s.pusher == nil || s.st == nil {
		return o, errors.New("scheduler: bulletin: no pusher or store (a planning-only scheduler)")
	}
	b := s.cfg.Bulletins[i]
	id, _ := b.period(now)
	key := "bulletin|" + b.Chat + "|" + id
	lock := LockName + ":" + key
	token, err := s.st.Lock(ctx, lock, s.cfg.LockTTL)
	if err != nil {
		return o, fmt.Errorf("scheduler: bulletin to %q: lock: %w", b.Chat, err)
	}
	defer s.unlock(ctx, lock, token)
	held := newClaimSet(s.st, store.Owner{Lock: lock, Token: token}, s.cfg.ClaimTTL, s.cfg.Now)
	stop := held.keepAlive(ctx)
	defer stop()
	c := chatIndex(s.chats, b.Chat)
	var fs FileSender
	if s.cfg.Files != nil {
		if f, ok := s.cfg.Files(b.Chat); ok {
			fs = f
		}
	}
	file := ""
	if fs != nil {
		file = "督办通报" + id + ".xlsx"
	}
	ok, err := s.st.Claim(ctx, key, held.owner, s.cfg.ClaimTTL)
	if err != nil {
		return o, fmt.Errorf("scheduler: bulletin to %q: ledger: %w", b.Chat, err)
	}
	if ok {
		held.add(key)
		prev, err := s.previous(ctx, b.Chat)
		if err != nil {
			s.release(ctx, held, []string{key})
			return o, fmt.Errorf("scheduler: bulletin to %q: %w", b.Chat, err)
		}
		r := s.BulletinReply(i, now, prev, file)
		if err := s.deliverParts(ctx, c, []part{s.newPart(c, []string{key}, r)}, held, &o); err != nil {
			return o, fmt.Errorf("scheduler: bulletin to %q: %w", b.Chat, err)
		}
		if j, ok := s.st.(store.Journal); ok {
			_, tot := s.Standing(now)
			raw, _ := json.Marshal(tot)
			if oj, ok := j.(store.OnceJournal); ok {
				_, _, err = oj.AppendOnce(ctx, bulletinJournal(b.Chat), id, raw)
			} else {
				_, err = j.Append(ctx, bulletinJournal(b.Chat), raw)
			}
			if err != nil {
				s.log.Warn("bulletin figures not kept; the next one shows no changes", "chat", b.Chat, "err", err)
			}
		}
	} else {
		o.Skipped++
	}
	if fs == nil {
		return o, nil
	}
	return o, s.sendWorkbook(ctx, fs, c, key+"|file", file, now, held, &o)
}

// sendWorkbook posts the bulletin's xlsx once (its own ledger key), after
// a send slot of the chat's window.
func (s *Scheduler) sendWorkbook(ctx context.Context, fs FileSender, c int, key, name string, now time.Time, held *claimSet, o *Report) error {
	ch := s.chats[c]
	ok, err := s.st.Claim(ctx, key, held.owner, s.cfg.ClaimTTL)
	if err != nil {
		return fmt.Errorf("scheduler: bulletin file to %q: ledger: %w", ch.Name, err)
	}
	if !ok {
		o.Skipped++
		return nil
	}
	held.add(key)
	data, err := s.Workbook(now)
	if err == nil {
		// A file takes a slot of the chat's window like any message.
		err = s.limited(c, s.senders[c], o).Reserve(ctx)
	}
	if err == nil {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.PushTimeout)
		err = fs.SendFile(pctx, name, data)
		cancel()
	}
	if err != nil {
		s.release(ctx, held, []string{key})
		o.Failed++
		return fmt.Errorf("scheduler: bulletin file to %q: %w", ch.Name, err)
	}
	o.Pushes++
	o.Sent++
	return s.confirm(ctx, held, key)
}

// addBulletins schedules each bulletin on its spec.
func (s *Scheduler) addBulletins(ctx context.Context, c *cron.Cron) error {
	for i, b := range s.cfg.Bulletins {
		if _, err := c.AddFunc(b.Cron, func() {
			if ctx.Err() != nil {
				return
			}
			rep, err := s.sendBulletin(ctx, i, s.cfg.Now())
			if err != nil {
				s.log.Error("bulletin failed", "chat", b.Chat, "err", err)
				return
			}
			s.log.Info("bulletin", "chat", b.Chat, "sent", rep.Sent, "skipped", rep.Skipped)
		}); err != nil {
			return fmt.Errorf("scheduler: start: bulletins[%d].cron %q: %w", i, b.Cron, err)
		}
	}
	return nil
}
