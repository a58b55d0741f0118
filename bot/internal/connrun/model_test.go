package connrun

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"duban/bot"
)

// A step is one scripted connection attempt: a failed dial, or a
// connection that serves for up and then ends, asked to redial or not.
type step struct {
	dialFails bool
	up        time.Duration
	redial    bool
}

// TestRunFollowsModel runs generated scripts of failures, drops and
// redials, and checks every wait and state against a model of the loop:
// the failure count grows per failure, starts over after a redial or a
// connection up for Max, and sets the next wait's ceiling min(Min·2ⁿ, Max),
// of which jitter takes off at most a quarter.
func TestRunFollowsModel(t *testing.T) {
	b := Backoff{Min: time.Second, Max: 16 * time.Second}
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 7))
		script := make([]step, 3+rng.IntN(12))
		for i := range script {
			switch rng.IntN(3) {
			case 0:
				script[i] = step{dialFails: true}
			default:
				script[i] = step{up: time.Duration(rng.IntN(20)) * time.Second, redial: rng.IntN(4) == 0}
			}
		}
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { checkModel(t, b, script) })
		})
	}
}

func checkModel(t *testing.T, b Backoff, script []step) {
	var mu sync.Mutex
	var states []string
	var dials, ends []time.Duration // per attempt: when it was dialed, when it ended
	start := time.Now()
	l := Loop{
		Name: "model", Backoff: b, Pool: NewPool(1, 1),
		State: bot.NewConnState("model", func(s string) { mu.Lock(); states = append(states, s); mu.Unlock() }),
		Dial: func(ctx context.Context) (Conn, error) {
			mu.Lock()
			n := len(dials)
			dials = append(dials, time.Since(start))
			mu.Unlock()
			if n >= len(script) { // past the script: wait for the stop
				<-ctx.Done()
				return nil, ctx.Err()
			}
			if script[n].dialFails {
				mu.Lock()
				ends = append(ends, time.Since(start))
				mu.Unlock()
				return nil, errors.New("refused")
			}
			return &scriptedConn{s: script[n], done: func() { mu.Lock(); ends = append(ends, time.Since(start)); mu.Unlock() }}, nil
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, l) }()
	for {
		time.Sleep(time.Second)
		synctest.Wait()
		mu.Lock()
		n := len(dials)
		mu.Unlock()
		if n > len(script) {
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}

	failures := 0
	var want []string
	for i, s := range script {
		want = append(want, bot.ConnConnecting)
		if !s.dialFails {
			want = append(want, bot.ConnConnected)
		}
		gap := dials[i+1] - ends[i]
		if s.redial {
			failures = 0
			if gap != 0 {
				t.Errorf("step %d %+v: redialed after %v, want at once", i, s, gap)
			}
			continue
		}
		want = append(want, bot.ConnBackoff)
		if !s.dialFails && s.up >= b.Max {
			failures = 0
		}
		ceil := min(b.Min<<failures, b.Max)
		if gap > ceil || gap < ceil-ceil/4 {
			t.Errorf("step %d %+v after %d failures: waited %v, want in [%v, %v]", i, s, failures, gap, ceil-ceil/4, ceil)
		}
		failures++
	}
	want = append(want, bot.ConnConnecting, bot.ConnStopped)
	if got := strings.Join(states, ","); got != strings.Join(want, ",") {
		t.Errorf("states\n got %s\nwant %s", got, strings.Join(want, ","))
	}
}

// scriptedConn serves for its step's up time, then ends as scripted.
type scriptedConn struct {
	s    step
	done func()
}

func (c *scriptedConn) Serve(ctx context.Context) error {
	select {
	case <-time.After(c.s.up):
	case <-ctx.Done():
		return ctx.Err()
	}
	c.done()
	if c.s.redial {
		return fmt.Errorf("scripted: %w", ErrRedial)
	}
	return errors.New("scripted: connection reset")
}

func (c *scriptedConn) Close() {}
