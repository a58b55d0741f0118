package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"duban/kb"
	"duban/progress"
	"duban/scheduler"
	"duban/store"
)

// remindBulletins is `duban remind --bulletins`: the configured 通报 at now,
// previewed (the ledger and the previous figures read, nothing written) or
// sent for real (--send), as serve's cron would send them.
func remindBulletins(ctx context.Context, cfg *config, b *kb.Base, now time.Time, send, asJSON bool, stdout, stderr io.Writer) error {
	if len(cfg.Bulletins) == 0 {
		return errors.New("remind --bulletins: the config has no bulletins (see duban config example)")
	}
	sc := cfg.schedulerConfig()
	sc.Logger = newLogger(cfg, stderr)
	sc.Files = fileSenders(cfg)
	var st store.Store
	var pusher scheduler.Pusher = dryRun{}
	if send {
		var err error
		if st, err = openStatusStore(ctx, cfg); err != nil {
			return err
		}
		outbox, err := outboxOnly(cfg)
		if err != nil {
			st.Close()
			return err
		}
		pusher = outboxPusher{outbox}
	} else {
		st = openLedgerForPreview(ctx, cfg, stderr)
	}
	var sst scheduler.Store
	if st != nil {
		defer st.Close()
		sc.Status = progress.New(st, progress.Config{}).Lookup
		sst = st
	}
	s, err := scheduler.New(sc, b, pusher, sst)
	if err != nil {
		return err
	}
	if send {
		rep, err := s.RunBulletins(ctx, now)
		if asJSON {
			if jerr := json.NewEncoder(stdout).Encode(rep); jerr != nil {
				return jerr
			}
		} else {
			fmt.Fprintf(stdout, "sent %d messages and files; %d already sent this period, %d failed\n", rep.Sent, rep.Skipped, rep.Failed)
		}
		return err
	}
	ps, err := s.PreviewBulletins(ctx, now)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(ps)
	}
	for _, p := range ps {
		state := "to send"
		if p.AlreadySent {
			state = "already sent"
		}
		fmt.Fprintf(stdout, "==> %s: 通报 %s, %s\n%s\n", p.Chat, p.Period, state, p.Text)
		if p.Attachment != "" {
			fmt.Fprintf(stdout, "(then the file %s)\n", p.Attachment)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
