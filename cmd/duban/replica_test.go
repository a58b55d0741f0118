package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/wecomtest"
	"duban/scheduler"
	"duban/store"
	"duban/store/redisstore/redistest"
	"duban/store/storeconfig"
)

// The replica tests run several `duban serve` (or scheduler) instances in
// one test process, each with its own store client, sharing one real
// redis-server (issue 6). redistest skips them when redis-server is not
// installed, and fails them when CI is set.

// e2eReplicas starts n serve instances sharing the Redis at redisURL.
func e2eReplicas(t *testing.T, n int, base e2eConfig) []*e2eServe {
	t.Helper()
	seeds := seedsDir(t)
	out := make([]*e2eServe, n)
	for i := range out {
		dir := t.TempDir()
		c := base
		c.DataDir = filepath.Join(dir, "data")
		out[i] = e2eLaunchServe(t, seeds, c.write(t, dir))
	}
	for _, s := range out {
		s.waitListening(t)
	}
	return out
}

// e2eAll sends one request per replica at once, built by req, and returns
// each replica's status and body.
func e2eAll(t *testing.T, replicas []*e2eServe, req func(base string) *http.Request) ([]int, [][]byte) {
	t.Helper()
	statuses := make([]int, len(replicas))
	bodies := make([][]byte, len(replicas))
	errs := make([]error, len(replicas))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range replicas {
		rq := req(r.URL)
		wg.Go(func() {
			<-start
			resp, err := e2eClient.Do(rq)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			statuses[i] = resp.StatusCode
			bodies[i], errs[i] = io.ReadAll(resp.Body)
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return statuses, bodies
}

// TestReplicas runs three `duban serve` replicas on one Redis. One
// platform message delivered to all three at once, as WeCom and DingTalk
// retries through a load balancer arrive, is answered by exactly one; the
// others return an empty 200. Then Redis is killed under them and
// restarted: /readyz turns 503 naming the store and back, questions are
// answered throughout, and no replica dies.
func TestReplicas(t *testing.T) {
	rs := redistest.Start(t)
	wc := wecomtest.New(t, wecomtest.Options{})
	dt := dingtalktest.NewServer(t)
	replicas := e2eReplicas(t, 3, e2eConfig{RedisURL: rs.URL(), WeCom: wc, DingTalk: dt})

	t.Run("wecom app callback", func(t *testing.T) {
		cb := e2eWeComAppAsk(t, wc, replicas[0].URL, "noncerep1", "7390000000000000001", "zhangsan", e2eQuestion)
		statuses, bodies := e2eAll(t, replicas, func(base string) *http.Request {
			c := *cb
			c.URL = base + strings.TrimPrefix(cb.URL, replicas[0].URL)
			req, err := c.Request(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return req
		})
		answered := 0
		for i, b := range bodies {
			if statuses[i] != http.StatusOK {
				t.Errorf("replica %d: status %d", i, statuses[i])
			}
			if len(b) == 0 {
				continue
			}
			answered++
			if got := e2eOpenAppReply(t, wc, b, "noncerep1"); !strings.Contains(got, e2eLeader) {
				t.Errorf("replica %d answered %q, want %s", i, got, e2eLeader)
			}
		}
		// An answer that missed the passive reply's deadline (a loaded
		// machine) goes out by message/send: count those too.
		late := func() int { return wc.Calls(wecomtest.MessageSend) }
		if answered == 0 {
			e2eEventually(t, "a late answer", func() (bool, string) { return late() > 0, "none yet" })
		}
		if answered+late() != 1 {
			t.Errorf("the same MsgId was answered %d times in the reply and %d by message/send, want once in all", answered, late())
		}
	})

	t.Run("dingtalk robot", func(t *testing.T) {
		now := time.Now()
		msg := dingtalktest.Message{MsgID: "msgrep0001", Text: e2eQuestion, Group: true, AtRobot: true,
			ConversationID: "cidrep", SenderStaffID: "staff01",
			SessionWebhook: dt.NewSession("sessrep", now.Add(time.Hour)), CreateAt: now}
		body := msg.JSON()
		statuses, bodies := e2eAll(t, replicas, func(base string) *http.Request {
			return dingtalktest.SignedRequest(base+"/dingtalk/robot", e2eDingTalkSecret, now, body)
		})
		answered := 0
		for i, b := range bodies {
			if statuses[i] != http.StatusOK {
				t.Errorf("replica %d: status %d", i, statuses[i])
			}
			if len(b) == 0 {
				continue
			}
			answered++
			if !strings.Contains(string(b), e2eLeader) {
				t.Errorf("replica %d answered %s, want %s", i, b, e2eLeader)
			}
		}
		// An answer that missed ReplyWithin goes out by sessionWebhook.
		late := func() int { return len(dt.Requests()) }
		if answered == 0 {
			e2eEventually(t, "a late answer", func() (bool, string) { return late() > 0, "none yet" })
		}
		if answered+late() != 1 {
			t.Errorf("the same msgId was answered %d times in the response and %d by sessionWebhook, want once in all", answered, late())
		}
	})

	t.Run("redis outage", func(t *testing.T) {
		e2eStoreOutage(t, rs, wc, replicas)
	})
	for i, s := range replicas {
		if err := s.Stop(); err != nil {
			t.Errorf("replica %d: %v, want a clean shutdown", i, err)
		}
	}
}

// TestReplicasRemindOnce fires one reminder tick on three replicas at once
// through `duban remind --send`, each with its own Redis client: every
// reminder reaches its chat exactly once, and a later tick sends nothing.
func TestReplicasRemindOnce(t *testing.T) {
	rs := redistest.Start(t)
	chats := e2eTickChats()
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	dir := t.TempDir()
	cfgPath := e2eConfig{DataDir: filepath.Join(dir, "data"), RedisURL: rs.URL(), WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
	tk := e2eNewTick(t, cfgPath, chats)
	seeds := seedsDir(t)
	args := []string{"remind", "--send", "--now", e2eTickNow, "--docs", seeds, "--config", cfgPath}

	const replicas = 3
	errs := make([]error, replicas)
	stderr := make([]*e2eBuffer, replicas)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range replicas {
		stderr[i] = &e2eBuffer{}
		wg.Go(func() {
			<-start
			errs[i] = run(t.Context(), args, strings.NewReader(""), io.Discard, stderr[i])
		})
	}
	close(start)
	wg.Wait()
	ran := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ran++
		case errors.Is(err, store.ErrLocked):
			// Another replica held the tick lock: the expected outcome.
		default:
			t.Errorf("replica %d: %v\n%s", i, err, stderr[i].Tail(3000))
		}
	}
	if ran == 0 {
		t.Errorf("no replica ran the tick")
	}
	tk.check(t, wc)

	// The same tick again (a replica whose cron fired late), by a
	// scheduler built as `remind --send` builds it: the ledger in Redis
	// holds every reminder, so nothing is sent.
	st, _, err := storeconfig.Open(t.Context(), storeconfig.Config{RedisURL: rs.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	outbox, err := outboxOnly(tk.cfg)
	if err != nil {
		t.Fatal(err)
	}
	late, err := scheduler.New(tk.cfg.schedulerConfig(), tk.base, outboxPusher{outbox}, st)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := late.Run(t.Context(), tk.now)
	if err != nil || rep.Sent != 0 || rep.Pending != 0 || rep.Skipped != tk.reminders() {
		t.Errorf("the tick again = %+v, %v; want all %d reminders skipped", rep, err, tk.reminders())
	}
	tk.check(t, wc)
}

// e2eCrashable is a replica's store that can die: after crash every
// operation fails, as if the process had been killed, so its claims stay in
// Redis and nothing is released, confirmed or unlocked.
type e2eCrashable struct {
	scheduler.Store
	crashed  atomic.Bool
	confirms atomic.Int32
}

var e2eErrCrashed = errors.New("replica crashed")

func (c *e2eCrashable) Claim(ctx context.Context, key string, o store.Owner, ttl time.Duration) (bool, error) {
	if c.crashed.Load() {
		return false, e2eErrCrashed
	}
	return c.Store.Claim(ctx, key, o, ttl)
}

func (c *e2eCrashable) Renew(ctx context.Context, key string, o store.Owner, ttl time.Duration) error {
	if c.crashed.Load() {
		return e2eErrCrashed
	}
	return c.Store.Renew(ctx, key, o, ttl)
}

func (c *e2eCrashable) Confirm(ctx context.Context, key string, o store.Owner, retain time.Duration) error {
	if c.crashed.Load() {
		return e2eErrCrashed
	}
	err := c.Store.Confirm(ctx, key, o, retain)
	if err == nil {
		c.confirms.Add(1)
	}
	return err
}

func (c *e2eCrashable) Release(ctx context.Context, key string, o store.Owner) error {
	if c.crashed.Load() {
		return e2eErrCrashed
	}
	return c.Store.Release(ctx, key, o)
}

func (c *e2eCrashable) Block(ctx context.Context, key string, burst int, per, d time.Duration) error {
	if c.crashed.Load() {
		return e2eErrCrashed
	}
	return c.Store.Block(ctx, key, burst, per, d)
}

func (c *e2eCrashable) Sent(ctx context.Context, key string) (bool, error) {
	if c.crashed.Load() {
		return false, e2eErrCrashed
	}
	return c.Store.Sent(ctx, key)
}

func (c *e2eCrashable) Reserve(ctx context.Context, key string, burst int, per time.Duration) (time.Duration, error) {
	if c.crashed.Load() {
		return 0, e2eErrCrashed
	}
	return c.Store.Reserve(ctx, key, burst, per)
}

func (c *e2eCrashable) Lock(ctx context.Context, name string, ttl time.Duration) (int64, error) {
	if c.crashed.Load() {
		return 0, e2eErrCrashed
	}
	return c.Store.Lock(ctx, name, ttl)
}

func (c *e2eCrashable) Extend(ctx context.Context, name string, token int64, ttl time.Duration) error {
	if c.crashed.Load() {
		return e2eErrCrashed
	}
	return c.Store.Extend(ctx, name, token, ttl)
}

func (c *e2eCrashable) Unlock(ctx context.Context, name string, token int64) error {
	if c.crashed.Load() {
		return e2eErrCrashed
	}
	return c.Store.Unlock(ctx, name, token)
}

// TestReplicaKilledMidTick stops a replica while one of its pushes hangs
// on the platform, then lets another replica tick: every reminder reaches
// its chat exactly once overall. "cancelled" is a graceful stop (the
// replica releases its claims); "crashed" is a kill (its claims and tick
// lock stay in Redis until they expire).
//
// The CLI's scheduler keeps claims for scheduler.Config's default ClaimTTL
// (10 minutes) and config.go has no key for it, so the replicas here are
// schedulers built as `remind --send` builds them (outboxOnly, the same
// Redis store) with short TTLs.
func TestReplicaKilledMidTick(t *testing.T) {
	chats := e2eTickChats()
	for _, crash := range []bool{false, true} {
		name := map[bool]string{false: "cancelled", true: "crashed"}[crash]
		t.Run(name, func(t *testing.T) {
			rs := redistest.Start(t)
			wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
			dir := t.TempDir()
			cfgPath := e2eConfig{DataDir: filepath.Join(dir, "data"), RedisURL: rs.URL(), WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
			tk := e2eNewTick(t, cfgPath, chats)
			for key, pieces := range tk.want {
				if len(pieces) != 1 {
					t.Fatalf("webhook %s: digest of %d messages; the test counts on one each", key, len(pieces))
				}
			}
			const lockTTL, claimTTL = 2 * time.Second, 6 * time.Second // generous: -race on 2 loaded cores delays lease renewals
			replica := func(name string) (*scheduler.Scheduler, *e2eCrashable) {
				st, _, err := storeconfig.Open(t.Context(), storeconfig.Config{RedisURL: rs.URL()})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				outbox, err := outboxOnly(tk.cfg)
				if err != nil {
					t.Fatal(err)
				}
				sc := tk.cfg.schedulerConfig()
				// A stop lets the post in flight finish: bound it.
				sc.LockTTL, sc.ClaimTTL, sc.PushTimeout = lockTTL, claimTTL, 500*time.Millisecond
				sc.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)).With("replica", name)
				cs := &e2eCrashable{Store: st}
				s, err := scheduler.New(sc, tk.base, outboxPusher{outbox}, cs)
				if err != nil {
					t.Fatal(err)
				}
				return s, cs
			}

			// Replica A: the first webhook post hangs until A gives up.
			wc.Fail(wecomtest.Webhook, wecomtest.Failure{Delay: time.Hour})
			a, aStore := replica("a")
			ctxA, cancelA := context.WithCancel(t.Context())
			defer cancelA()
			doneA := make(chan error, 1)
			startA := time.Now()
			go func() {
				_, err := a.Run(ctxA, tk.now)
				doneA <- err
			}()
			// Wait until A has posted every digest, one of them hanging,
			// and confirmed the others.
			var hung string
			e2eEventually(t, "replica a mid-tick", func() (bool, string) {
				sent := map[string]bool{}
				for _, s := range wc.Sent() {
					sent[s.Key] = true
				}
				hung = ""
				for key := range tk.want {
					if !sent[key] {
						hung = key
					}
				}
				wantConfirms := 0
				for _, p := range tk.plan {
					if tk.keyOf[p.Chat] != hung {
						wantConfirms += len(p.Tasks)
					}
				}
				calls, confirms := wc.Calls(wecomtest.Webhook), int(aStore.confirms.Load())
				note := fmt.Sprintf("%d posts, %d accepted, %d of %d confirms", calls, len(sent), confirms, wantConfirms)
				return calls == len(tk.want) && len(sent) == len(tk.want)-1 && confirms == wantConfirms, note
			})
			// B can see A's claims only if they outlive A's tick lock.
			observable := time.Since(startA) < claimTTL-lockTTL-time.Second
			if crash {
				aStore.crashed.Store(true)
			}
			cancelA()
			select {
			case err := <-doneA:
				if err == nil {
					t.Errorf("replica a's run returned nil; its hung push was cut off")
				}
			case <-time.After(e2eStopTimeout):
				t.Fatalf("replica a's run did not return within %v of cancel", e2eStopTimeout)
			}

			// Replica B ticks until the hung digest went out.
			hungTasks := 0
			for _, p := range tk.plan {
				if tk.keyOf[p.Chat] == hung {
					hungTasks = len(p.Tasks)
				}
			}
			b, _ := replica("b")
			var total scheduler.Report
			sawPending := false
			e2eEventually(t, "replica b sends the hung digest", func() (bool, string) {
				rep, err := b.Run(t.Context(), tk.now)
				if errors.Is(err, store.ErrLocked) {
					return false, "tick lock still held"
				}
				if err != nil {
					t.Fatalf("replica b: %v", err)
				}
				total.Sent += rep.Sent
				total.Skipped += rep.Skipped
				total.Pending += rep.Pending
				total.Pushes += rep.Pushes
				sawPending = sawPending || rep.Pending > 0
				return total.Sent >= hungTasks, fmt.Sprintf("%+v", total)
			})
			if crash && !observable {
				t.Logf("replica a took %v to reach the crash; its claims may have expired before b ran", time.Since(startA))
			}
			// After a crash, b takes a's claims over as soon as it holds
			// the tick lock (a newer fencing token); after a graceful stop
			// a released them. Either way b never waits for them.
			_ = observable
			if sawPending {
				t.Errorf("replica b saw a's claims pending (crash %v): it should hold them at once", crash)
			}
			if total.Sent != hungTasks {
				t.Errorf("replica b sent %d reminders, want the %d of the hung digest", total.Sent, hungTasks)
			}
			tk.checkTasks(t, wc)
			if !crash {
				// Released claims are claimed again together: one digest.
				tk.check(t, wc)
			}

			// Another tick finds everything in the ledger.
			rep, err := b.Run(t.Context(), tk.now)
			if err != nil || rep.Sent != 0 || rep.Pending != 0 {
				t.Errorf("tick after recovery = %+v, %v; want nothing left to send", rep, err)
			}
			tk.checkTasks(t, wc)
		})
	}
}

// e2eStoreOutage kills Redis under running replicas and restarts it.
func e2eStoreOutage(t *testing.T, rs *redistest.Server, wc *wecomtest.Server, replicas []*e2eServe) {
	// askApp delivers an app callback and WeCom's retry of it, and returns
	// the passive replies ("" for an empty 200).
	askApp := func(s *e2eServe, msgID string) (string, string) {
		t.Helper()
		nonce := "n" + msgID
		cb := e2eWeComAppAsk(t, wc, s.URL, nonce, msgID, "zhangsan", e2eQuestion)
		var replies []string
		for range 2 {
			status, body, err := cb.Send(t.Context(), e2eClient)
			if err != nil || status != http.StatusOK {
				t.Fatalf("callback %s: %d %v", msgID, status, err)
			}
			reply := ""
			if len(body) > 0 {
				reply = e2eOpenAppReply(t, wc, body, nonce)
			}
			replies = append(replies, reply)
		}
		return replies[0], replies[1]
	}

	readyAll := func() ([]int, []string) {
		statuses, bodies := e2eAll(t, replicas, func(base string) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, base+"/readyz", nil)
			return req
		})
		checks := make([]string, len(bodies))
		for i, b := range bodies {
			var rd e2eReadiness
			if err := json.Unmarshal(b, &rd); err != nil {
				checks[i] = fmt.Sprintf("unparsable /readyz %q: %v", b, err)
				continue
			}
			checks[i] = rd.Checks["store"]
		}
		return statuses, checks
	}

	if err := rs.Kill(); err != nil {
		t.Fatal(err)
	}
	// Kill waits for the server to exit, so every replica's next check
	// fails.
	statuses, checks := readyAll()
	for i := range replicas {
		if statuses[i] != http.StatusServiceUnavailable || checks[i] == "ok" || checks[i] == "" {
			t.Errorf("replica %d: /readyz with Redis down = %d store=%q, want 503 and the store's error", i, statuses[i], checks[i])
		}
	}

	// Without Redis nothing de-duplicates and no conversation context is
	// kept, but every question is answered (two answers beat none) and
	// the failures are logged. Each store call waits for go-redis to give
	// up on its dials, so an app answer may miss the passive reply's
	// deadline and go out as an app message (message/send) instead. The
	// emulator and the app callback ask at once, on two replicas.
	began := time.Now()
	var (
		wg      sync.WaitGroup
		emuErr  error
		emuTook time.Duration
	)
	wg.Go(func() {
		body, _ := json.Marshal(map[string]string{"platform": "dingtalk", "user": "emu", "text": e2eQuestion})
		resp, err := e2eClient.Post(replicas[0].URL+"/emulator/api/ask", "application/json", bytes.NewReader(body))
		emuTook = time.Since(began)
		if err != nil {
			emuErr = err
			return
		}
		defer resp.Body.Close()
		var a e2eAsk
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(a.Text(), e2eLeader) {
			emuErr = fmt.Errorf("emulator = %d %+v %v, want %s", resp.StatusCode, a, err, e2eLeader)
		}
	})
	cb := e2eWeComAppAsk(t, wc, replicas[1].URL, "noutage", "7400000000000000002", "wangwu", e2eQuestion)
	status, body, err := cb.Send(t.Context(), e2eClient)
	if err != nil || status != http.StatusOK {
		t.Fatalf("callback during the outage: %d %v", status, err)
	}
	if len(body) > 0 {
		if got := e2eOpenAppReply(t, wc, body, "noutage"); !strings.Contains(got, e2eLeader) {
			t.Errorf("during the outage: passive reply %q, want %s", got, e2eLeader)
		}
		t.Logf("during the outage an app callback was answered passively after %v", time.Since(began).Round(time.Millisecond))
	} else {
		e2eEventually(t, "the late answer goes out as an app message", func() (bool, string) {
			for _, m := range wc.Sent() {
				if m.Endpoint == wecomtest.MessageSend && m.ToUser == "wangwu" && strings.Contains(m.Content, e2eLeader) {
					return true, ""
				}
			}
			return false, fmt.Sprintf("%d app messages", wc.Calls(wecomtest.MessageSend))
		})
		t.Logf("during the outage an app callback missed its passive reply; answered by message/send after %v", time.Since(began).Round(time.Millisecond))
	}
	wg.Wait()
	if emuErr != nil {
		t.Errorf("during the outage: %v", emuErr)
	}
	t.Logf("during the outage an emulator question took %v", emuTook.Round(time.Millisecond))
	for i, s := range replicas {
		if status, _ := e2eGet(t, s.URL+"/healthz"); status != http.StatusOK {
			t.Errorf("replica %d: /healthz during the outage = %d, want 200", i, status)
		}
	}
	logged := false
	for _, s := range replicas {
		logged = logged || strings.Contains(s.Stderr.String(), "dedup store failed")
	}
	if !logged {
		t.Errorf("no replica logged the dedup store failure")
	}

	if err := rs.Restart(); err != nil {
		t.Fatal(err)
	}
	e2eEventually(t, "/readyz recovers on every replica", func() (bool, string) {
		statuses, checks := readyAll()
		for i := range statuses {
			if statuses[i] != http.StatusOK || checks[i] != "ok" {
				return false, fmt.Sprintf("replica %d: %d store=%q", i, statuses[i], checks[i])
			}
		}
		return true, ""
	})
	if first, retry := askApp(replicas[2], "7400000000000000003"); !strings.Contains(first, e2eLeader) || retry != "" {
		t.Errorf("after the outage: answer %q, retry %q; want the answer once", first, retry)
	}
}
