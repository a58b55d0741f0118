package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// LoadConfig bounds one run. Zero Max means no count limit; Duration must
// be positive, so every run stops by itself.
type LoadConfig struct {
	Rate        float64       // requests per second; 0: as fast as Concurrency allows
	Concurrency int           // requests in flight at most
	Max         int           // requests to send at most; 0: no limit
	Duration    time.Duration // stop sending after this long
	Timeout     time.Duration // per request; default 5 s
	Users       int           // distinct sender ids; default 100
}

// sample is one finished request.
type sample struct {
	latency time.Duration // request written → reply read
	lag     time.Duration // scheduled → sent (fixed rate only): client-side queueing
	kind    string        // "" for success, else the error kind
	err     error
}

// Load sends callbacks built by t, cycling through questions, until cfg
// stops it or ctx is done, and reports what happened. Requests in flight
// when the duration ends are waited for and counted.
func Load(ctx context.Context, t Target, questions []string, cfg LoadConfig) (Report, error) {
	if len(questions) == 0 {
		return Report{}, errors.New("no questions")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Users <= 0 {
		cfg.Users = 100
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	client := newClient(cfg)
	defer client.CloseIdleConnections()

	stopCtx, stop := context.WithTimeout(ctx, cfg.Duration)
	defer stop()
	jobs := make(chan time.Time, cfg.Concurrency)
	var seq atomic.Int64
	next := func() (int64, bool) {
		i := seq.Add(1) - 1
		return i, cfg.Max == 0 || i < int64(cfg.Max)
	}

	results := make([][]sample, cfg.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var due time.Time
				if cfg.Rate > 0 {
					d, ok := <-jobs
					if !ok {
						return
					}
					due = d
				} else if stopCtx.Err() != nil {
					return
				}
				i, ok := next()
				if !ok {
					return
				}
				q := questions[int(i%int64(len(questions)))]
				user := fmt.Sprintf("bench-user-%03d", i%int64(cfg.Users))
				results[w] = append(results[w], send(ctx, client, t, i, user, q, due))
			}
		}()
	}
	if cfg.Rate > 0 {
		pace(stopCtx, jobs, start, cfg)
	}
	wg.Wait()
	elapsed := time.Since(start)

	var all []sample
	for _, rs := range results {
		all = append(all, rs...)
	}
	r := summarize(t.Platform, all, elapsed, cfg)
	return r, nil
}

// pace feeds jobs at cfg.Rate, each stamped with its due time, until the
// count or the duration is reached. Sleeps shorter than a millisecond are
// skipped: timers are too coarse for them, so requests go out in small
// bursts that keep the average rate.
func pace(ctx context.Context, jobs chan<- time.Time, start time.Time, cfg LoadConfig) {
	defer close(jobs)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for i := 0; cfg.Max == 0 || i < cfg.Max; i++ {
		due := start.Add(time.Duration(float64(i) * float64(time.Second) / cfg.Rate))
		if d := time.Until(due); d > time.Millisecond {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		select {
		case jobs <- due:
		case <-ctx.Done():
			return
		}
	}
}

// send builds, sends and checks one request.
func send(ctx context.Context, client *http.Client, t Target, i int64, user, q string, due time.Time) sample {
	req, check, err := t.Build(ctx, i, user, q)
	if err != nil {
		return sample{kind: "build", err: err}
	}
	begin := time.Now()
	var s sample
	if !due.IsZero() {
		s.lag = begin.Sub(due)
	}
	resp, err := client.Do(req)
	if err != nil {
		s.latency = time.Since(begin)
		s.kind, s.err = "transport", err
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			s.kind = "timeout"
		}
		return s
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.latency = time.Since(begin)
	switch {
	case err != nil:
		s.kind, s.err = "transport", err
	case resp.StatusCode != http.StatusOK:
		s.kind, s.err = fmt.Sprintf("status %d", resp.StatusCode), fmt.Errorf("status %d: %.100q", resp.StatusCode, body)
	default:
		if err := check(body); err != nil {
			s.kind, s.err = "invalid reply", err
			if errors.Is(err, errEmpty) {
				s.kind = "empty reply"
			}
		}
	}
	return s
}

// newClient keeps one connection per worker alive, as a platform's
// callback senders do, and never uses a proxy.
func newClient(cfg LoadConfig) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: cfg.Timeout}).DialContext,
		MaxIdleConns:        cfg.Concurrency * 2,
		MaxIdleConnsPerHost: cfg.Concurrency * 2,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: cfg.Timeout}
}
