package redisstore

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"duban/store/redisstore/redistest"
)

// TestPingClusterEveryMaster runs a two-master Cluster on loopback, kills
// one master and expects Ping to fail at once, although the other master
// still answers PING: half the slots fail every command, so readiness
// must not say ready. (go-redis sends a plain PING to one node; tried
// here, it answered 20 of 20 times with one master dead.)
func TestPingClusterEveryMaster(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		redistest.Unavailable(t, redistest.ErrNotInstalled)
	}
	ctx := t.Context()
	var addrs []string
	var procs []*exec.Cmd
	for range 2 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		var log bytes.Buffer
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", t.TempDir(),
			"--save", "", "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-node-timeout", "1000")
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		procs = append(procs, cmd)
		addrs = append(addrs, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	}
	nodes := make([]*redis.Client, len(addrs))
	for i, a := range addrs {
		nodes[i] = redis.NewClient(&redis.Options{Addr: a})
		defer nodes[i].Close()
		eventually(t, "node "+a+" up", func() error { return nodes[i].Ping(ctx).Err() })
	}
	half := 16384 / len(nodes)
	for i, n := range nodes {
		if err := n.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", i*half, (i+1)*half-1).Err(); err != nil {
			t.Fatal(err)
		}
	}
	host, port, _ := net.SplitHostPort(addrs[1])
	if err := nodes[0].ClusterMeet(ctx, host, port).Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		eventually(t, "cluster ok", func() error {
			info, err := n.ClusterInfo(ctx).Result()
			if err == nil && !strings.Contains(info, "cluster_state:ok") {
				err = fmt.Errorf("not ok yet")
			}
			return err
		})
	}

	s, err := New(Config{URL: "redis+cluster://" + addrs[0] + "?addr=" + addrs[1] + "&dial_timeout=200ms&read_timeout=200ms&max_retries=0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	eventually(t, "Ping with both masters", func() error { return s.Ping(ctx) })

	procs[1].Process.Kill()
	procs[1].Wait()
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.Ping(pctx); err == nil {
		t.Fatal("Ping with one of two masters dead = nil, want an error")
	}
	if err := nodes[0].Ping(ctx).Err(); err != nil {
		t.Fatalf("the live master: %v", err)
	}
}

// eventually retries f for up to 10 s.
func eventually(t *testing.T, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
