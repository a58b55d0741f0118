package redistest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// MasterName is the name the sentinels of a Sentinel setup monitor.
const MasterName = "mymaster"

// SentinelDownAfter is down-after-milliseconds of a test Sentinel setup:
// how long the master must be unreachable before a sentinel calls it down
// (production setups use 30 s; a test that kills the master wants the
// failover within seconds).
const SentinelDownAfter = time.Second

// A Sentinel is a Sentinel setup on loopback: a master, one replica and
// three sentinels with a quorum of two. After a failover the roles change;
// CurrentMaster tells which data node is the master now.
type Sentinel struct {
	Master    *Server // the master as started
	Replica   *Server // its replica as started
	Sentinels []*Server
}

// StartSentinel starts a Sentinel setup for the test and stops it at the
// end of the test. Without a redis-server binary it skips tb, or fails it
// when CI is set.
func StartSentinel(tb testing.TB) *Sentinel {
	tb.Helper()
	s, err := NewSentinel()
	if err != nil {
		Unavailable(tb, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// dataArgs is the command line of a data node of a Sentinel setup, a
// replica of replicaOf when it is not nil: no persistence (a restarted
// node resyncs from the master the sentinels give it), diskless
// replication without delay.
func dataArgs(replicaOf *Server) func(*Server) ([]string, error) {
	return func(s *Server) ([]string, error) {
		args := []string{
			"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
			"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "",
			"--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0",
		}
		if replicaOf != nil {
			args = append(args, "--replicaof", "127.0.0.1", strconv.Itoa(replicaOf.port))
		}
		return args, nil
	}
}

// sentinelArgs writes a sentinel's configuration file (sentinels rewrite
// it with what they learn, so a restart keeps that) and returns the
// command line that runs redis-server as a sentinel on it.
func sentinelArgs(master *Server) func(*Server) ([]string, error) {
	return func(s *Server) ([]string, error) {
		conf := filepath.Join(s.dir, "sentinel.conf")
		if _, err := os.Stat(conf); errors.Is(err, os.ErrNotExist) {
			text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\n"+
				"sentinel monitor %s 127.0.0.1 %d 2\n"+
				"sentinel down-after-milliseconds %s %d\n"+
				"sentinel failover-timeout %s 5000\n"+
				"sentinel parallel-syncs %s 1\n",
				s.port, s.dir, MasterName, master.port, MasterName, SentinelDownAfter.Milliseconds(), MasterName, MasterName)
			if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
				return nil, fmt.Errorf("redistest: sentinel config: %w", err)
			}
		}
		return []string{conf, "--sentinel", "--daemonize", "no", "--logfile", ""}, nil
	}
}

// NewSentinel starts a Sentinel setup; the caller must Close it.
func NewSentinel() (*Sentinel, error) {
	master, err := startServer(dataArgs(nil))
	if err != nil {
		return nil, err
	}
	s := &Sentinel{Master: master}
	rest, err := startMany(1, dataArgs(master))
	if err != nil {
		master.Close()
		return nil, err
	}
	s.Replica = rest[0]
	if s.Sentinels, err = startMany(3, sentinelArgs(master)); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.waitShape(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// waitShape waits until the replica's link is up and every sentinel knows
// the replica and the two other sentinels: only then can they agree that
// the master is down and promote the replica.
func (s *Sentinel) waitShape() error {
	ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
	defer cancel()
	r := redis.NewClient(&redis.Options{Addr: s.Replica.Addr()})
	defer r.Close()
	err := poll(ctx, func() error {
		repl, err := r.Info(ctx, "replication").Result()
		if err == nil && !strings.Contains(repl, "master_link_status:up") {
			err = errors.New("replica link not up")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("redistest: sentinel setup: %w", err)
	}
	for _, sn := range s.Sentinels {
		c := redis.NewSentinelClient(&redis.Options{Addr: sn.Addr()})
		err := poll(ctx, func() error {
			m, err := c.Master(ctx, MasterName).Result()
			if err != nil {
				return err
			}
			if m["num-slaves"] != "1" || m["num-other-sentinels"] != "2" {
				return fmt.Errorf("knows %s replicas and %s other sentinels", m["num-slaves"], m["num-other-sentinels"])
			}
			return nil
		})
		c.Close()
		if err != nil {
			return fmt.Errorf("redistest: sentinel %s: %w", sn.Addr(), err)
		}
	}
	return nil
}

// URL returns a redis+sentinel:// URL naming the three sentinels and the
// master name.
func (s *Sentinel) URL() string {
	u := "redis+sentinel://" + s.Sentinels[0].Addr() + "/0?master_name=" + MasterName
	for _, sn := range s.Sentinels[1:] {
		u += "&addr=" + sn.Addr()
	}
	return u
}

// CurrentMaster returns the data node that every running sentinel names
// as master, or an error while they disagree (a failover in progress, or
// its new configuration not yet spread to every sentinel).
func (s *Sentinel) CurrentMaster(ctx context.Context) (*Server, error) {
	var cur *Server
	for _, sn := range s.Sentinels {
		if !sn.Running() {
			continue
		}
		c := redis.NewSentinelClient(&redis.Options{Addr: sn.Addr()})
		addr, err := c.GetMasterAddrByName(ctx, MasterName).Result()
		c.Close()
		if err != nil {
			return nil, fmt.Errorf("redistest: current master from %s: %w", sn.Addr(), err)
		}
		var named *Server
		for _, n := range []*Server{s.Master, s.Replica} {
			if len(addr) == 2 && addr[1] == strconv.Itoa(n.port) {
				named = n
			}
		}
		switch {
		case named == nil:
			return nil, fmt.Errorf("redistest: sentinel %s names %v, not a node of this setup", sn.Addr(), addr)
		case cur != nil && named != cur:
			return nil, fmt.Errorf("redistest: sentinels disagree on the master: %s and %s", cur.Addr(), named.Addr())
		}
		cur = named
	}
	if cur == nil {
		return nil, errors.New("redistest: current master: no sentinel running")
	}
	return cur, nil
}

// Logs returns the tail of every process's log, for a failed test.
func (s *Sentinel) Logs(n int) string {
	var b strings.Builder
	for _, p := range append([]*Server{s.Master, s.Replica}, s.Sentinels...) {
		l := p.Log()
		if len(l) > n {
			l = l[len(l)-n:]
		}
		fmt.Fprintf(&b, "== %s\n%s\n", p.Addr(), l)
	}
	return b.String()
}

// Close kills every process and removes their data.
func (s *Sentinel) Close() error {
	var errs []error
	for _, n := range append([]*Server{s.Master, s.Replica}, s.Sentinels...) {
		if n != nil {
			errs = append(errs, n.Close())
		}
	}
	return errors.Join(errs...)
}
