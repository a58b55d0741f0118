package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"duban/bot"
	"duban/bot/emulator"
	"duban/bot/metrics"
	"duban/store/storeconfig"
)

var errNotLoaded = errors.New("documents not loaded")

func init() { commands["serve"] = runServe }

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.String("docs", "", "documents folder (default: the config's docs, else "+defaultDocs+")")
	cfgPath := fs.String("config", "", "configuration file (YAML); none: embedded defaults")
	listen := fs.String("listen", "", "address to listen on (overrides the config's listen)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *listen != "" {
		cfg.Listen = *listen
	}
	log := newLogger(cfg, stderr)
	dir := docsDir(*docs, cfg)

	// A Redis that is not up yet (a reboot, a short outage) does not stop
	// serve: it starts, /readyz says not ready, storeWatch retries.
	st, kind, err := storeconfig.Open(ctx, storeconfig.Config{RedisURL: cfg.RedisURL, DataDir: cfg.rel(cfg.DataDir), Prefix: cfg.RedisPrefix, StartDown: true})
	switch {
	case errors.Is(err, storeconfig.ErrDown):
		log.Warn("store not reachable at start; serving, not ready until it answers", "kind", kind, "err", err)
	case err != nil:
		return fmt.Errorf("store: %w", err)
	default:
		log.Info("store opened", "kind", kind)
	}
	defer st.Close()

	m := metrics.New()
	state := newKBState(dir, m, log)
	defer state.openIndexes(indexDir(cfg))()
	pw := wireProgress(cfg, st, state, log)
	state.status = pw.tracker.Lookup
	sup := wireSupervision(cfg, st, state, pw.tracker, log)
	if err := state.load(ctx); err != nil {
		return fmt.Errorf("documents %s: %w", dir, err)
	}

	srv := bot.NewServer(cfg.serverConfig(bot.ServerConfig{Metrics: m.Registry, Logger: log}))
	srv.AddCheck("documents", state.ready)
	// A periodic probe drives the store's readiness, so /readyz is not
	// ready while store commands fail, on every topology (see Health).
	health := &storeconfig.Health{Store: st}
	srv.AddCheck("store", health.Check)
	srv.AddDetail("documents", func() any { return state.lib.Status() })
	chain := inboundChain(state, st, m, log, sup.middleware(pw.middleware))

	if cfg.links, err = cfg.linkRoute(ctx, st, stateBase(state)); err != nil { // webhook digests carry signed links
		return err
	}
	p, err := wirePlatforms(ctx, cfg, chain, &bot.ReplayGuard{Store: st}, srv, m, log)
	if err != nil {
		return err
	}
	if err := p.handleCards(cfg, pw.reporter, st, log); err != nil { // card taps (cards_wiring.go)
		return err
	}
	sched := newSchedulerLoop(cfg, p.outbox, st, m, log)
	sched.cfg.Status = pw.tracker.Lookup
	sup.sched = sched.current
	state.onChange = sched.reset
	sched.reset(state.current().Base())
	defer serveLocal(ctx, cfg, st, sup.base, log)() // status and remind while serving (local.go)

	pw.outbox.Store(p.outbox) // review requests go out through the chats' senders
	cfg.links.mount(srv, pw.reporter, st, stateBase(state), log)

	if !cfg.Emulator.Disabled {
		emuChain, emuCards := emulatorChain(cfg, state, pw.tracker, m, log) // a sandbox, never the real journal
		srv.Handle("/", emulator.New(emulator.Config{
			Handler:   sup.sandbox(emuChain), // 催办 previewed, never sent (supervise.go)
			Cards:     emuCards,
			Chats:     emulatorChats(cfg),
			Remind:    sched.digests,
			KBSummary: state.summary,
			Token:     cfg.Emulator.Token,
			Logger:    log,
		}))
	}

	wireDashboard(cfg, srv, state, pw.tracker, st, log)
	if err := mountMCP(cfg, srv, state, pw.tracker.Lookup, log); err != nil {
		return err
	}

	every, err := time.ParseDuration(cfg.ReloadEvery)
	if err != nil || every <= 0 {
		return fmt.Errorf("config: reload_every %q: want a duration such as 5s", cfg.ReloadEvery)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	hupc := make(chan struct{}, 1)

	var wg sync.WaitGroup
	run := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }
	run(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				select {
				case hupc <- struct{}{}:
				default:
				}
			}
		}
	})
	run(func() { state.watch(ctx, every, hupc) })
	run(func() { health.Run(ctx) })
	run(func() {
		storeconfig.Watch(ctx, st, storeconfig.WatchConfig{Logger: log, OnChange: func(up bool) { m.SetConnectionUp("store", up) }})
	})
	for _, r := range p.runners {
		run(func() {
			if err := r(ctx); err != nil && ctx.Err() == nil {
				log.Error("connection stopped", "err", err)
			}
		})
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	scheme := "http"
	if cfg.TLS.CertFile != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "duban: serving on %s://%s/ (documents %s, %s store)\n", scheme, ln.Addr(), dir, kind)
	log.Info("serving", "addr", ln.Addr().String(), "docs", dir)
	for _, w := range cfg.exposureWarnings(ln.Addr().String()) {
		log.Warn(w)
	}
	err = srv.Serve(ctx, ln)
	sched.stop() // between sends: a running tick finishes its current push
	wg.Wait()
	p.shutdown()
	return err
}

// docsDir picks the documents folder: the flag, the config, the default.
func docsDir(flagDocs string, cfg *config) string {
	switch {
	case flagDocs != "":
		return flagDocs
	case cfg.Docs != "":
		return cfg.rel(cfg.Docs)
	}
	return defaultDocs
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func emulatorChats(cfg *config) []emulator.Chat {
	var out []emulator.Chat
	for _, c := range cfg.Chats {
		id := c.Name
		if len(c.ConversationIDs) > 0 {
			id = c.ConversationIDs[0]
		}
		out = append(out, emulator.Chat{Name: c.Name, Units: c.Units, ID: id})
	}
	return out
}
