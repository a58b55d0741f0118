package scheduler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/robfig/cron/v3"

	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
	"duban/progress"
	"duban/store"
)

// A Bulletin is a 通报 sent on a cron spec to one chat (config `bulletins:
// [{chat: 督查办群, cron: "0 17 * * 5", period: weekly}]`): completion rate
// by unit, red tasks by unit, the units with most overdue and the changes
// since the previous one (handlers.BulletinOf), then the full table as an
// xlsx file where the chat's sender can post files (Config.Files), else a
// link. Each is sent once per chat and period.
type Bulletin struct {
	Chat string `yaml:"chat"` // a chats[].name
	Cron string `yaml:"cron"` // standard 5 fields, Asia/Shanghai
	// Period is weekly or monthly: the ledger sends one per ISO week or
	// calendar month. Default: weekly.
	Period string `yaml:"period"`
	// Link is the dashboard or export URL the message names for the full
	// table when no file is attached. Default: none.
	Link string `yaml:"link"`
}

// A FileSender posts a file to one chat (a group robot that takes files
// implements it). Bulletins attach their xlsx through Config.Files.
type FileSender interface {
	SendFile(ctx context.Context, name string, data []byte) error
}

// checkBulletins finds the bulletins New refuses.
func checkBulletins(cfg Config) []error {
	var errs []error
	for i, b := range cfg.Bulletins {
		p := fmt.Sprintf("bulletins[%d]", i)
		if chatIndex(cfg.Chats, b.Chat) < 0 {
			errs = append(errs, fmt.Errorf("%s.chat: %q is not a configured chat name", p, b.Chat))
		}
		if _, err := cron.ParseStandard(b.Cron); err != nil {
			errs = append(errs, fmt.Errorf("%s.cron: %q: %w", p, b.Cron, err))
		}
		if b.Period != "" && b.Period != "weekly" && b.Period != "monthly" {
			errs = append(errs, fmt.Errorf("%s.period: %q: want weekly or monthly", p, b.Period))
		}
	}
	return errs
}

// period names b's period at now, for the ledger and the message:
// ("2020-W35", "2020年第35周") or ("2020-08", "2020年8月").
func (b Bulletin) period(now time.Time) (id, name string) {
	d := now.In(kb.Location)
	if b.Period == "monthly" {
		return fmt.Sprintf("%d-%02d", d.Year(), int(d.Month())), fmt.Sprintf("%d年%d月", d.Year(), int(d.Month()))
	}
	y, w := d.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w), fmt.Sprintf("%d年第%d周", y, w)
}

// Standing returns every lead unit's standing at now over the dated tasks
// (those reminders cover), units in name order, and the totals: a task led
// by two units counts for each unit, once in the totals.
func (s *Scheduler) Standing(now time.Time) ([]handlers.BulletinUnit, handlers.BulletinFigures) {
	by := map[string]*handlers.BulletinUnit{}
	tot := handlers.BulletinFigures{At: now, Reds: map[string]int{}}
	for i := range s.tasks {
		rec := s.tasks[i].rec
		st, _ := s.status(rec)
		l := progress.LightOf(rec.Due, st, now, s.cfg.Lights)
		var c progress.Completion
		// Due by the day counts from the date the task is due now: a task
		// granted an extension is not yet due in the rate's denominator.
		c.Add(progress.EffectiveDue(rec.Due, st), l, now)
		tot.Done += c.Done
		tot.Due += c.Due
		tot.Red += c.Overdue
		if st.State == kb.Claimed {
			tot.Claimed++
		}
		var seen []string
		for _, u := range rec.LeadUnits {
			cu := names.Unit(u)
			if cu == "" || slices.Contains(seen, cu) {
				continue
			}
			seen = append(seen, cu)
			bu := by[cu]
			if bu == nil {
				bu = &handlers.BulletinUnit{Unit: cu}
				by[cu] = bu
			}
			bu.Total++
			bu.Done += c.Done
			bu.Due += c.Due
			if l == progress.LightRed {
				bu.Red = append(bu.Red, rec)
				tot.Reds[cu]++
			}
		}
	}
	out := make([]handlers.BulletinUnit, 0, len(by))
	for _, u := range by {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b handlers.BulletinUnit) int {
		switch {
		case a.Unit < b.Unit:
			return -1
		case a.Unit > b.Unit:
			return 1
		}
		return 0
	})
	return out, tot
}

// bulletinJournal keeps each chat's figures after every 通报 sent, so the
// next one can say what changed.
func bulletinJournal(chat string) string { return "bulletin/" + chat }

// previous reads the last figures sent to chat, nil for none (or when the
// store keeps no journal).
func (s *Scheduler) previous(ctx context.Context, chat string) (*handlers.BulletinFigures, error) {
	j, ok := s.st.(store.Journal)
	if !ok {
		return nil, nil
	}
	raw, err := j.List(ctx, bulletinJournal(chat))
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var f handlers.BulletinFigures
	if err := json.Unmarshal(raw[len(raw)-1], &f); err != nil {
		return nil, fmt.Errorf("bulletin figures of %q: %w", chat, err)
	}
	return &f, nil
}

// BulletinReply renders bulletin i at now with the previous figures prev.
func (s *Scheduler) BulletinReply(i int, now time.Time, prev *handlers.BulletinFigures, attachment string) handlers.Reply {
	b := s.cfg.Bulletins[i]
	_, name := b.period(now)
	units, tot := s.Standing(now)
	c := chatIndex(s.chats, b.Chat)
	return handlers.BulletinOf(handlers.Bulletin{Period: name, At: now, Units: units, Now: &tot, Prev: prev,
		Link: b.Link, Attachment: attachment, Limit: s.messageLimit(c), Tables: s.base.Tables()})
}

// Workbook is the xlsx of every task with its status and colour at now,
// the table a bulletin attaches.
func (s *Scheduler) Workbook(now time.Time) ([]byte, error) {
	statuses := map[progress.Key]kb.Status{}
	for _, r := range s.base.Records() {
		if st, ok := s.status(&r); ok {
			statuses[progress.Key{Table: r.Table, No: r.No}] = st
		}
	}
	var buf bytes.Buffer
	if err := (progress.Export{Now: now, Lights: s.cfg.Lights}).WriteXLSX(&buf, s.base, statuses); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// A BulletinPreview is a bulletin as the next send at a moment would post
// it: `duban remind --bulletins --dry-run`.
type BulletinPreview struct {
	Chat        string   `json:"chat"`
	Period      string   `json:"period"` // 2020-W35, 2020-08
	Text        string   `json:"text"`
	Messages    []string `json:"messages,omitempty"`
	Attachment  string   `json:"attachment,omitempty"` // the xlsx sent after it, "" for none
	AlreadySent bool     `json:"already_sent,omitempty"`
}

// PreviewBulletins returns every configured bulletin at now with the
// previous figures it would compare with, reading the ledger and the
// journal only. Without a store nothing counts as sent and there are no
// previous figures.
func (s *Scheduler) PreviewBulletins(ctx context.Context, now time.Time) ([]BulletinPreview, error) {
	var out []BulletinPreview
	for i, b := range s.cfg.Bulletins {
		id, _ := b.period(now)
		p := BulletinPreview{Chat: b.Chat, Period: id}
		var prev *handlers.BulletinFigures
		if s.st != nil {
			sent, err := s.st.Sent(ctx, "bulletin|"+b.Chat+"|"+id)
			if err != nil {
				return nil, fmt.Errorf("scheduler: bulletin preview: %w", err)
			}
			p.AlreadySent = sent
			if prev, err = s.previous(ctx, b.Chat); err != nil {
				return nil, fmt.Errorf("scheduler: bulletin preview: %w", err)
			}
		}
		if s.cfg.Files != nil {
			if _, ok := s.cfg.Files(b.Chat); ok {
				p.Attachment = "督办通报" + id + ".xlsx"
			}
		}
		r := s.BulletinReply(i, now, prev, p.Attachment)
		p.Text = r.Text()
		for _, m := range s.messages(chatIndex(s.chats, b.Chat), r) {
			p.Messages = append(p.Messages, m.Text)
		}
		out = append(out, p)
	}
	return out, nil
}
