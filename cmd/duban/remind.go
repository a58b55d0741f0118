package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"duban/bot"
	"duban/bot/wecom"
	"duban/kb"
	"duban/kb/ingest"
	"duban/progress"
	"duban/scheduler"
	"duban/store"
)

func init() {
	commands["remind"] = runRemind
	commands["config"] = runConfig
}

func runRemind(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("remind", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.String("docs", "", "documents folder (default: the config's docs, else "+defaultDocs+")")
	cfgPath := fs.String("config", "", "configuration file with chats and reminders")
	nowFlag := fs.String("now", "", "the tick's moment, RFC3339 (default: now)")
	dry := fs.Bool("dry-run", false, "print what one tick would send; send nothing (the default)")
	send := fs.Bool("send", false, "run one tick for real: ledger, rate limits, retries")
	bulletins := fs.Bool("bulletins", false, "the 通报 (bulletins:) at --now instead of the reminders")
	asJSON := fs.Bool("json", false, `print [{"chat","units","tasks":[{"table","no","due","milestone","already_sent"}],"text","messages"}]`)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *dry && *send {
		fmt.Fprintln(stderr, "duban remind: --dry-run and --send exclude each other")
		return errUsage
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return fmt.Errorf("remind: --now %q: want RFC3339 such as 2020-08-25T09:00:00+08:00", *nowFlag)
		}
		now = t
	}
	cfg, err := commandConfig(ctx, *cfgPath)
	if err != nil {
		return err
	}
	if *send && !*bulletins && (len(cfg.Chats) == 0 || len(cfg.Reminders) == 0) {
		return fmt.Errorf("remind: the config has no chats or no reminders (see duban config example)")
	}
	// While serve holds the embedded store, it runs the tick or the dry
	// run itself, over its ledger (local.go).
	fwd := []string{"remind", "--now", now.Format(time.RFC3339), "--dry-run"}
	if *send {
		fwd[3] = "--send"
	}
	if *asJSON {
		fwd = append(fwd, "--json")
	}
	if *bulletins {
		fwd = append(fwd, "--bulletins")
	}
	if data, err := runOnServe(ctx, cfg, fwd, stderr); !errors.Is(err, errNoServer) {
		stdout.Write(data)
		return err
	}
	b, err := commandBase(ctx, *docs, cfg, stderr)
	if b == nil {
		return err
	}
	if len(cfg.Chats) > 0 {
		if warnings, err := scheduler.Validate(cfg.schedulerConfig(), b); err != nil {
			return fmt.Errorf("remind: %w", err)
		} else {
			for _, w := range warnings {
				fmt.Fprintln(stderr, "warning:", w)
			}
		}
	}
	if *bulletins {
		return remindBulletins(ctx, cfg, b, now, *send, *asJSON, stdout, stderr)
	}
	if *send {
		return remindSend(ctx, cfg, b, now, *asJSON, stdout, stderr)
	}
	return remindDryRun(ctx, cfg, b, now, *asJSON, stdout, stderr)
}

// remindSend runs one tick for real through the configured senders.
func remindSend(ctx context.Context, cfg *config, b *kb.Base, now time.Time, asJSON bool, stdout, stderr io.Writer) error {
	log := newLogger(cfg, stderr)
	st, err := openStatusStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.links == nil && cfg.Links.BaseURL != "" { // serve built it for a remind run in its process
		c := *cfg // cfg may be serve's, shared with other commands
		if c.links, err = c.linkRoute(ctx, st, func() *kb.Base { return b }); err != nil {
			return err
		}
		cfg = &c
	}
	outbox, err := outboxOnly(cfg)
	if err != nil {
		return err
	}
	sc := cfg.schedulerConfig()
	sc.Logger = log
	sc.Files = fileSenders(cfg)
	sc.Status = progress.New(st, progress.Config{Logger: log}).Lookup // finished tasks are not reminded
	s, err := scheduler.New(sc, b, outboxPusher{outbox}, st)
	if err != nil {
		return err
	}
	rep, err := s.Run(ctx, now)
	// A run that ended in a store outage releases the tick lock once the
	// store is back: wait for it (before the store closes), so other hosts'
	// ticks need not wait out the lock's lease; an interrupt stops waiting.
	defer func() { _ = s.Wait(ctx) }()
	if errors.Is(err, store.ErrLocked) {
		// Cron on several hosts: one of them runs the tick, the ledger
		// keeps the others from repeating it.
		fmt.Fprintln(stdout, "another replica is running this tick; nothing sent here")
		return nil
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(rep); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintf(stdout, "sent %d reminders in %d messages; %d already sent, %d pending, %d failed (retried next tick), %d deferred by a platform block, %d released at a stop, %d retries, %d rate-limit waits, %d platform rate-limit refusals\n",
			rep.Sent, rep.Pushes, rep.Skipped, rep.Pending, rep.Failed, rep.Deferred, rep.Released, rep.Retries, rep.RateWaits, rep.RateLimited)
	}
	return err
}

// outboxOnly builds the reminder senders without the inbound side.
func outboxOnly(cfg *config) (*bot.Outbox, error) {
	p := &platforms{outbox: &bot.Outbox{}}
	var app *wecom.App
	if cfg.WeCom.CorpID != "" && cfg.WeCom.App.Secret != "" {
		a, err := wecom.NewApp(wecom.AppConfig{CorpID: cfg.WeCom.CorpID, AgentID: cfg.WeCom.App.AgentID, Secret: wecom.Secret(cfg.WeCom.App.Secret), BaseURL: cfg.WeCom.APIBaseURL})
		if err != nil {
			return nil, err
		}
		app = a
		p.cards.app = a
	}
	for i, ch := range cfg.Chats {
		s, err := chatSender(cfg, ch, app, p)
		if err == nil {
			// Card routes as serve has them; serve takes the taps (cards_wiring.go).
			s, err = withCards(cfg, ch, cfg.links.wrap(ch, s), p) // links.go
		}
		if err != nil {
			return nil, fmt.Errorf("chats[%d] (%s): %w", i, ch.Name, err)
		}
		p.outbox.Add(ch.Name, s)
	}
	return p.outbox, nil
}

func runConfig(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	switch {
	case len(args) == 1 && args[0] == "example":
		fmt.Fprint(stdout, exampleConfig)
		return nil
	case len(args) >= 1 && args[0] == "check":
		fs := flag.NewFlagSet("config check", flag.ContinueOnError)
		fs.SetOutput(stderr)
		path := fs.String("config", "", "configuration file")
		docs := fs.String("docs", "", "documents folder")
		if err := fs.Parse(args[1:]); err != nil || *path == "" {
			fmt.Fprintln(stderr, "usage: duban config check --config FILE [--docs DIR]")
			return errUsage
		}
		cfg, err := loadConfig(*path)
		if err != nil {
			return err
		}
		b, _, err := ingest.LoadDir(context.Background(), docsDir(*docs, cfg))
		if b == nil {
			return err
		}
		warnings, err := scheduler.Validate(cfg.schedulerConfig(), b)
		for _, w := range warnings {
			fmt.Fprintln(stdout, "warning:", w)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: ok (%d chats, %d reminder rules)\n", *path, len(cfg.Chats), len(cfg.Reminders))
		return nil
	}
	fmt.Fprintln(stderr, "usage: duban config example | duban config check --config FILE")
	return errUsage
}
