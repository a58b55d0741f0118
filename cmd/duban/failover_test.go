package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/wecomtest"
	"duban/outbound"
	"duban/scheduler"
	"duban/store"
	"duban/store/redisstore"
	"duban/store/redisstore/redistest"
	"duban/store/storeconfig"
)

// The failover tests (issue 22) kill the Redis master under three `duban
// serve` replicas and three reminder schedulers, on a real Cluster and a
// real Sentinel setup on loopback, and check what an official and a unit
// would notice: no question answered twice once Redis serves again, no
// report answered 已记录 missing from the journal (and none recorded
// twice), every reminder of the tick sent exactly once (also after
// leftover claims expire), /readyz not ready only while the store fails.
// The figures go to $DUBAN_ARTIFACTS/failover_<topology>.md.

// fTopology is a Redis setup whose master a failover test kills.
type fTopology struct {
	name string
	url  string // the setup's URL; the test adds its client parameters
	// master returns the data node that serves the journal's slot now.
	master func(ctx context.Context) (*redistest.Server, error)
}

// failoverQuery is the client side of the test: short timeouts, so a dead
// node fails a call in well under a second, and must-survive writes wait
// for the one replica each master has.
const failoverQuery = "&dial_timeout=300ms&read_timeout=500ms&write_timeout=500ms&wait_replicas=1&wait_timeout=300ms"

// Short leases, so a lapsed claim or lock shows within the test.
const (
	// Leases must outlast the outage, as production's 2 minutes outlast
	// its seconds: a run whose tick lock lapses while Redis is away has
	// the reminders it posted but could not yet confirm taken over by the
	// next lock holder (a newer fencing token) and sent again, and a
	// confirm that fails is retried for only half the claim's lease (both
	// seen with leases of 2 and 8 s while a loaded machine stretched the
	// outage to 6 s). Nothing in the test waits for them to lapse.
	failoverLockTTL  = 15 * time.Second
	failoverClaimTTL = 30 * time.Second
	failoverPushTime = 300 * time.Millisecond // each digest's post: a slow tick
	// failoverSlack is how long after the store serves again a replica
	// may still act on the outage: its readiness probe runs every second
	// and a call in flight at recovery ends within its timeouts.
	failoverSlack = 2 * time.Second
)

// fSlowPusher's senders post each message after failoverPushTime.
type fSlowPusher struct {
	p      scheduler.Pusher
	pushed *atomic.Int32
}

func (s fSlowPusher) Sender(c scheduler.Chat) (outbound.Sender, bool) {
	snd, ok := s.p.Sender(c)
	if !ok {
		return nil, false
	}
	return fSlowSender{Sender: snd, pushed: s.pushed}, true
}

type fSlowSender struct {
	outbound.Sender
	pushed *atomic.Int32
}

func (s fSlowSender) Post(ctx context.Context, m outbound.Message) error {
	select {
	case <-time.After(failoverPushTime):
	case <-ctx.Done():
		return ctx.Err()
	}
	err := s.Sender.Post(ctx, m)
	s.pushed.Add(1)
	return err
}

// fConfirmLog logs every ledger confirm and claim with its outcome, so a
// reminder sent twice can be traced to the write that was lost.
type fConfirmLog struct {
	scheduler.Store
	log *slog.Logger
}

func (c fConfirmLog) Confirm(ctx context.Context, key string, o store.Owner, retain time.Duration) error {
	start := time.Now()
	err := c.Store.Confirm(ctx, key, o, retain)
	c.log.Info("confirm", "key", key, "token", o.Token, "took", time.Since(start), "err", err)
	return err
}

func (c fConfirmLog) Claim(ctx context.Context, key string, o store.Owner, ttl time.Duration) (bool, error) {
	ok, err := c.Store.Claim(ctx, key, o, ttl)
	c.log.Info("claim", "key", key, "token", o.Token, "ok", ok, "err", err)
	return ok, err
}

// fResult holds a failover test's figures.
type fResult struct {
	topology          string
	promoted, back    time.Duration // after the kill: a replica promoted; durable writes succeed again
	writeOutage       time.Duration // first to last failed durable write
	notReady          time.Duration // the longest /readyz not-ready span of a replica
	questions         int
	answeredTwiceOut  int // during the outage (allowed: two answers beat none)
	answeredTwiceBack int // after the store serves again (must be 0)
	reports           int
	recorded, refused int
	reminders, sent   int
}

func runFailover(t *testing.T, topo fTopology) {
	ctx := t.Context()
	url := topo.url + failoverQuery
	chats := e2eTickChats()
	chats[0].ConversationIDs = []string{failoverChat} // 住建局工作群 reports for 住建局
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	dt := dingtalktest.NewServer(t)
	replicas := failoverReplicas(t, e2eConfig{RedisURL: url, WeCom: wc, DingTalk: dt, Chats: chats})
	dir := t.TempDir()
	tk := e2eNewTick(t, e2eConfig{DataDir: filepath.Join(dir, "data"), RedisURL: url, WeCom: wc, Chats: chats, Reminders: true}.write(t, dir), chats)
	for i, r := range replicas {
		e2eEventually(t, fmt.Sprintf("replica %d ready", i), func() (bool, string) {
			status, _ := e2eGet(t, r.URL+"/readyz")
			return status == http.StatusOK, strconv.Itoa(status)
		})
	}

	probeCtx, stopProbes := context.WithCancel(ctx)
	defer stopProbes()
	var probes sync.WaitGroup
	ready := make([]*fProbe, len(replicas))
	for i, r := range replicas {
		ready[i] = &fProbe{}
		probes.Go(func() {
			ready[i].run(probeCtx, 100*time.Millisecond, func(ctx context.Context) (bool, string) {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.URL+"/readyz", nil)
				resp, err := e2eClient.Do(req)
				if err != nil {
					return false, err.Error()
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp.StatusCode == http.StatusOK, resp.Status + " " + string(b)
			})
		})
	}
	// The store probe: a must-survive write in the journal's slot.
	ps, err := redisstore.New(redisstore.Config{URL: url, Prefix: "probe:"})
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	writes := &fProbe{}
	var probeN atomic.Int64
	probes.Go(func() {
		writes.run(probeCtx, 50*time.Millisecond, func(ctx context.Context) (bool, string) {
			cctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			_, err := ps.Claim(cctx, "{journal}:"+strconv.FormatInt(probeN.Add(1), 10), store.Owner{Lock: "probe", Token: 1}, time.Minute)
			if err != nil {
				return false, err.Error()
			}
			return true, ""
		})
	})

	load := startLoad(t, dt, replicas)
	time.Sleep(time.Second)

	// Three schedulers tick at once, each with its own Redis client; the
	// clock reads 09:00 of a weekday, so Start runs the day's tick at once.
	tickStart := time.Now()
	clock := func() time.Time { return tk.now.Add(time.Since(tickStart)) }
	var pushed atomic.Int32
	schedLog := &e2eBuffer{}
	newScheduler := func(name string) *scheduler.Scheduler {
		st, _, err := storeconfig.Open(ctx, storeconfig.Config{RedisURL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		outbox, err := outboxOnly(tk.cfg)
		if err != nil {
			t.Fatal(err)
		}
		sc := tk.cfg.schedulerConfig()
		sc.Now = clock
		sc.LockTTL, sc.ClaimTTL, sc.PushTimeout = failoverLockTTL, failoverClaimTTL, time.Second
		sc.RetryBackoff, sc.MaxRetryBackoff, sc.Concurrency = 300*time.Millisecond, time.Second, 1
		sc.Backoff, sc.MaxBackoff = 200*time.Millisecond, 500*time.Millisecond
		sc.Logger = slog.New(slog.NewTextHandler(schedLog, nil)).With("replica", name)
		s, err := scheduler.New(sc, tk.base, fSlowPusher{p: outboxPusher{outbox}, pushed: &pushed}, fConfirmLog{Store: st, log: sc.Logger})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	schedCtx, stopScheds := context.WithCancel(ctx)
	var scheds sync.WaitGroup
	for i := range 3 {
		s := newScheduler("tick" + strconv.Itoa(i))
		scheds.Go(func() {
			if err := s.Start(schedCtx); err != nil {
				t.Errorf("scheduler %d: %v", i, err)
			}
		})
	}
	defer func() {
		stopScheds()
		scheds.Wait()
		if t.Failed() {
			t.Logf("scheduler log:\n%s", schedLog.String())
		}
	}()

	// Kill the journal's master once the tick is under way.
	failoverWait(t, "the tick's first post", 30*time.Second, func() bool { return pushed.Load() > 0 })
	victim, err := topo.master(ctx)
	if err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	if err := victim.Kill(); err != nil {
		t.Fatal(err)
	}
	failoverWait(t, "a replica promoted", 30*time.Second, func() bool {
		m, err := topo.master(ctx)
		return err == nil && m != victim
	})
	res := fResult{topology: topo.name, promoted: time.Since(killed)}
	if m, err := topo.master(ctx); err == nil {
		t.Logf("killed the master %s; %s promoted after %v", victim.Addr(), m.Addr(), res.promoted.Round(time.Millisecond))
	}
	// The dead node comes back (as a supervisor restarts it) and rejoins
	// as the new master's replica: until then no write can reach a
	// replica, and wait_replicas=1 refuses the must-survive writes.
	if err := victim.Restart(); err != nil {
		t.Fatal(err)
	}
	sentLines := func() int {
		n := 0
		for _, s := range wc.Sent() {
			if s.Endpoint == wecomtest.Webhook {
				n += len(e2eReDigestLine.FindAllString(s.Content, -1))
			}
		}
		return n
	}
	res.reminders = tk.reminders()
	failoverWait(t, "durable writes back and the tick done", 40*time.Second, func() bool {
		return writes.stableSince(2*time.Second) && sentLines() >= res.reminders
	})
	back := writes.backAfter(killed)
	res.back = back.Sub(killed)
	if first, last, n := writes.failed(killed); n > 0 {
		res.writeOutage = last.Sub(first)
		t.Logf("durable writes failed %d times from %v to %v after the kill: %s", n,
			first.Sub(killed).Round(time.Millisecond), last.Sub(killed).Round(time.Millisecond), writes.notes(killed))
	}
	time.Sleep(failoverSlack + time.Second) // questions and reports after recovery
	msgs := load.finish()

	// A claim left unconfirmed by a run cut off by the outage would be
	// sent again once it lapsed. A tick under a newer lock token takes
	// such claims over at once instead of waiting for them, so a tick now
	// shows what a later one would do: it must find every reminder
	// confirmed and send nothing.
	stopScheds()
	scheds.Wait()
	late := newScheduler("late")
	var rep scheduler.Report
	failoverWait(t, "a late tick", 20*time.Second, func() bool {
		rep, err = late.Run(ctx, clock())
		return !errors.Is(err, store.ErrLocked)
	})
	if err != nil || rep.Sent != 0 || rep.Pending != 0 || rep.Skipped != res.reminders {
		t.Errorf("a tick after the failover = %+v, %v; want all %d reminders skipped as sent", rep, err, res.reminders)
	}
	res.sent = sentLines()
	tk.checkTasks(t, wc)
	stopProbes()
	probes.Wait()

	failoverCheckMessages(t, &res, msgs, back, url)
	failoverCheckReady(t, &res, ready, writes, killed, back)
	failoverReport(t, res)
}

// failoverReplicas starts three serve replicas on the task tables alone
// (the seed document of task 76): the load asks and reports about task 76
// only, and loading every seed six times at once under the race detector
// took over a minute on two cores.
func failoverReplicas(t *testing.T, base e2eConfig) []*e2eServe {
	t.Helper()
	docs := t.TempDir()
	src, err := filepath.Glob(filepath.Join(seedsDir(t), "004_*.txt"))
	if err != nil || len(src) != 1 {
		t.Fatalf("the task tables among the seeds: %v, %v", src, err)
	}
	b, err := os.ReadFile(src[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, filepath.Base(src[0])), b, 0o600); err != nil {
		t.Fatal(err)
	}
	out := make([]*e2eServe, 3)
	for i := range out {
		dir := t.TempDir()
		c := base
		c.DataDir = filepath.Join(dir, "data")
		out[i] = e2eLaunchServe(t, docs, c.write(t, dir))
	}
	for _, s := range out {
		s.waitListening(t)
	}
	return out
}

// failoverWait polls cond every 50 ms for up to limit.
func failoverWait(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// failoverCheckMessages checks the questions and reports of the load.
func failoverCheckMessages(t *testing.T, res *fResult, msgs []*fMsg, back time.Time, url string) {
	js, err := redisstore.New(redisstore.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer js.Close()
	var journal strings.Builder
	keys, err := js.Keys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		entries, err := js.List(t.Context(), k)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			journal.Write(e)
			journal.WriteByte('\n')
		}
	}
	after := back.Add(failoverSlack)
	for _, m := range msgs {
		if m.errs > 0 {
			t.Errorf("%s: %d requests failed outright", m.id, m.errs)
		}
		if !m.report {
			res.questions++
			for _, b := range m.bodies {
				if !strings.Contains(b, e2eLeader) {
					t.Errorf("question %s answered %q, want %s", m.id, b, e2eLeader)
				}
			}
			switch n := len(m.bodies); {
			case n == 0:
				t.Errorf("question %s (sent %s) was never answered", m.id, m.sent.Format("15:04:05.000"))
			case n > 1 && m.sent.After(after):
				res.answeredTwiceBack++
				t.Errorf("question %s, sent %v after the store served again, answered %d times", m.id, m.sent.Sub(back).Round(time.Millisecond), n)
			case n > 1:
				res.answeredTwiceOut++
			}
			continue
		}
		res.reports++
		kinds := map[string]int{}
		for _, b := range m.bodies {
			kinds[replyKind(b)]++
		}
		entries := strings.Count(journal.String(), m.token)
		switch {
		case len(m.bodies) == 0:
			t.Errorf("report %s got no reply", m.id)
		case kinds["other"] > 0:
			t.Errorf("report %s: unexpected replies %q", m.id, m.bodies)
		case kinds["recorded"] > 1:
			t.Errorf("report %s answered 已记录 %d times", m.id, kinds["recorded"])
		case kinds["recorded"] == 1 && entries != 1:
			t.Errorf("report %s answered 已记录, but the journal holds it %d times", m.id, entries)
		case entries > 1:
			t.Errorf("report %s is in the journal %d times", m.id, entries)
		case kinds["recorded"] == 0 && m.sent.After(after):
			t.Errorf("report %s, sent %v after the store served again, was refused: %q", m.id, m.sent.Sub(back).Round(time.Millisecond), m.bodies)
		}
		if kinds["recorded"] > 0 {
			res.recorded++
		} else {
			res.refused++
		}
	}
}

// failoverCheckReady checks that each replica's /readyz said not ready
// only between the kill and failoverSlack after the store served again,
// or when the test's own store probe failed too within the readiness
// probe's period before (a loaded machine can time a store call out
// before the kill as well), and that one of them did say so.
func failoverCheckReady(t *testing.T, res *fResult, ready []*fProbe, writes *fProbe, killed, back time.Time) {
	said := false
	for i, p := range ready {
		p.mu.Lock()
		var spanStart time.Time
		for _, o := range p.obs {
			if o.ok {
				if !spanStart.IsZero() {
					res.notReady = max(res.notReady, o.at.Sub(spanStart))
					spanStart = time.Time{}
				}
				continue
			}
			if spanStart.IsZero() {
				spanStart = o.at
			}
			switch {
			case o.at.Before(killed) && writes.failedWithin(o.at.Add(-failoverSlack), o.at):
				t.Logf("replica %d: /readyz not ready %v before the kill, while the store probe failed too: %s", i, killed.Sub(o.at), o.note)
			case o.at.Before(killed):
				t.Errorf("replica %d: /readyz not ready %v before the kill: %s", i, killed.Sub(o.at), o.note)
			case o.at.After(back.Add(failoverSlack)):
				t.Errorf("replica %d: /readyz not ready %v after the store served again: %s", i, o.at.Sub(back), o.note)
			default:
				said = true
			}
		}
		p.mu.Unlock()
	}
	if !said {
		t.Errorf("no replica's /readyz said not ready while the store failed")
	}
}

// failoverReport writes res to $DUBAN_ARTIFACTS/failover_<topology>.md.
func failoverReport(t *testing.T, r fResult) {
	s := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s" }
	row := fmt.Sprintf("| %s | %s | %s | %s | %s | %d: %d twice during, %d after | %d: %d 已记录, %d refused | %d sent of %d |",
		r.topology, s(r.promoted), s(r.back), s(r.writeOutage), s(r.notReady),
		r.questions, r.answeredTwiceOut, r.answeredTwiceBack, r.reports, r.recorded, r.refused, r.sent, r.reminders)
	t.Log(row)
	dir := os.Getenv("DUBAN_ARTIFACTS")
	if dir == "" || t.Failed() {
		return
	}
	md := row + "\n"
	if err := os.WriteFile(filepath.Join(dir, "failover_"+strings.ToLower(r.topology)+".md"), []byte(md), 0o644); err != nil {
		t.Error(err)
	}
}
