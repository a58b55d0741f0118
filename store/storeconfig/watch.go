package storeconfig

import (
	"context"
	"log/slog"
	"time"
)

// Watch defaults.
const (
	// DefaultWatchMin is the first wait after a failed ping.
	DefaultWatchMin = time.Second
	// DefaultWatchMax caps the doubling backoff, and is the interval of
	// pings while the store is up.
	DefaultWatchMax = 30 * time.Second
)

// A Pinger reports whether a store is reachable (store.Store's Ping).
type Pinger interface {
	Ping(ctx context.Context) error
}

// WatchConfig tunes Watch. The zero value is usable.
type WatchConfig struct {
	// Min is the first wait after a failed ping; each further failure
	// doubles it up to Max. Default: DefaultWatchMin (1s).
	Min time.Duration
	// Max caps the backoff and spaces pings while the store is up.
	// Default: DefaultWatchMax (30s).
	Max time.Duration
	// Timeout bounds each ping. Default: 2s.
	Timeout time.Duration
	// Logger logs each change between reachable and unreachable, and every
	// failed retry at Debug. Default: discard.
	Logger *slog.Logger
	// OnChange, if set, is called with each new state (true: reachable),
	// after the first ping as well.
	OnChange func(up bool)
}

// Watch pings p until ctx is done: while it fails, after waits doubling
// from Min to Max (1s, 2s, 4s … 30s), so an outage is noticed as it ends
// without hammering a Redis that is starting; while it answers, every Max.
// go-redis reconnects on its own at the next command; Watch is what makes
// the recovery visible (the log line, OnChange) rather than what causes it.
// Readiness follows Health, whose probe keeps a short fixed interval.
func Watch(ctx context.Context, p Pinger, cfg WatchConfig) {
	if cfg.Min <= 0 {
		cfg.Min = DefaultWatchMin
	}
	if cfg.Max < cfg.Min {
		cfg.Max = max(DefaultWatchMax, cfg.Min)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wait := cfg.Min
	known, up := false, false
	for {
		pctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
		err := p.Ping(pctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		now := err == nil
		if !known || now != up {
			switch {
			case now && known:
				log.Info("store reachable again")
			case !now:
				log.Warn("store unreachable, retrying with backoff", "retry_in", wait, "err", err)
			}
			if cfg.OnChange != nil {
				cfg.OnChange(now)
			}
			known, up = true, now
		} else if !now {
			log.Debug("store still unreachable", "retry_in", wait, "err", err)
		}
		next := cfg.Max
		if !now {
			next = wait
			wait = min(wait*2, cfg.Max)
		} else {
			wait = cfg.Min
		}
		t := time.NewTimer(next)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
