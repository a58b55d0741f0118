package storeconfig

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Health defaults.
const (
	// DefaultHealthEvery spaces the probes of Health.Run.
	DefaultHealthEvery = time.Second
	// DefaultHealthTimeout bounds each probe.
	DefaultHealthTimeout = time.Second
)

// Health is the store's readiness as a periodic probe sees it: Run pings
// the store every Every (on a Cluster every master, see redisstore's
// Ping) and Check reports the outcome. Unlike Watch, whose backoff waits
// up to 30 s, the probe keeps a short fixed interval, so /readyz turns
// ready again within Every of the store answering; one PING a second per
// replica costs Redis nothing. Only Store must be set.
type Health struct {
	// Store is the store probed. Required.
	Store Pinger
	// Every spaces the probes. Default: DefaultHealthEvery (1s).
	Every time.Duration
	// Timeout bounds each probe. Default: DefaultHealthTimeout (1s).
	Timeout time.Duration

	mu  sync.Mutex
	err error // the last probe's
}

// Run probes h.Store until ctx is done.
func (h *Health) Run(ctx context.Context) {
	every, timeout := h.Every, h.Timeout
	if every <= 0 {
		every = DefaultHealthEvery
	}
	if timeout <= 0 {
		timeout = DefaultHealthTimeout
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, timeout)
		err := h.Store.Ping(pctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		h.set(err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (h *Health) set(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.err = err
}

// Check is a readiness check (bot.Server.AddCheck's signature). While
// the last probe failed it returns that error, so a store that fails
// commands stays not ready whatever a single ping says; otherwise (or
// before the first probe) it pings the store itself, so a store that died
// since the last probe is not reported ready for up to Every.
func (h *Health) Check(ctx context.Context) error {
	h.mu.Lock()
	err := h.err
	h.mu.Unlock()
	if err != nil {
		return fmt.Errorf("store probe failed: %w", err)
	}
	return h.Store.Ping(ctx)
}
