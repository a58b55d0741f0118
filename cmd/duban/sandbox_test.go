package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
	"duban/progress"
	"duban/store/memstore"
	"duban/store/redisstore/redistest"
)

// e2eRobotSay sends text to serve's DingTalk robot from conversation cid
// and returns the markdown reply.
func e2eRobotSay(t *testing.T, base, msgID, cid, text string) string {
	t.Helper()
	now := time.Now()
	msg := dingtalktest.Message{MsgID: msgID, Text: text, Group: true, AtRobot: true,
		ConversationID: cid, SenderStaffID: "staff01", SenderNick: "王五", CreateAt: now}
	status, body := e2eDo(t, dingtalktest.SignedRequest(base+"/dingtalk/robot", e2eDingTalkSecret, now, msg.JSON()))
	var r struct{ Markdown struct{ Text string } }
	if status != http.StatusOK || json.Unmarshal(body, &r) != nil {
		t.Fatalf("dingtalk robot %q: %d %s", text, status, body)
	}
	return r.Markdown.Text
}

// TestServeEmulatorSandbox reports progress through the emulator as the
// group of 住建局: the emulator's answers show it, the real chats' answers
// do not, and the production journal holds nothing. Before, the emulator
// wrote into the production journal, under any name, forever.
func TestServeEmulatorSandbox(t *testing.T) {
	seeds := seedsDir(t)
	dt := dingtalktest.NewServer(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	chats := []e2eChat{{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}}}
	cfg := e2eConfig{DataDir: data, DingTalk: dt, Chats: chats}.write(t, dir)
	s := e2eStartServe(t, seeds, cfg)

	status, a := e2eEmulatorAsk(t, s.URL, "wecom", "住建局工作群", "任意名字", "76号已完成")
	if status != http.StatusOK || a.Intent != handlers.IntentReport || !strings.Contains(a.Text(), "已记录") || !strings.Contains(a.Text(), "沙盒") {
		t.Fatalf("emulator report = %d %+v, want 已记录 in the sandbox", status, a)
	}
	if _, a = e2eEmulatorAsk(t, s.URL, "wecom", "住建局工作群", "任意名字", "76号谁牵头"); !strings.Contains(a.Text(), "已完成") {
		t.Errorf("emulator answer after its report = %q, want 已完成 (the sandbox's status)", a.Text())
	}
	if got := e2eRobotSay(t, s.URL, "dt-q1", "cidzjj", "76号谁牵头"); !strings.Contains(got, e2eLeader) || strings.Contains(got, "已完成") {
		t.Errorf("real chat's answer = %q, want %s and no 已完成 from the emulator", got, e2eLeader)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	st, err := memstore.Open(memstore.Config{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cur, err := progress.New(st, progress.Config{}).Current(t.Context())
	if err != nil || len(cur) != 0 {
		t.Errorf("production journal after an emulator report: %v, %v; want empty", cur, err)
	}
}

// TestServeRedisDownAtBoot starts serve while Redis is down, as a reboot
// that brings duban up first would: serve starts and reports not ready, a
// progress report gets a reply that it was not recorded, and once Redis is
// up serve is ready and records. Before, serve exited within 50 ms.
func TestServeRedisDownAtBoot(t *testing.T) {
	rs := redistest.Start(t)
	if err := rs.Stop(); err != nil {
		t.Fatal(err)
	}
	seeds := seedsDir(t)
	dt := dingtalktest.NewServer(t)
	dir := t.TempDir()
	chats := []e2eChat{{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}}}
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), RedisURL: rs.URL() + "?dial_timeout=200ms&max_retries=0", DingTalk: dt, Chats: chats}.write(t, dir)
	s := e2eStartServe(t, seeds, cfg)

	if status, rd, _ := e2eReadyz(t, s.URL); status != http.StatusServiceUnavailable || rd.Checks["store"] == "ok" {
		t.Errorf("/readyz with Redis down = %d %v, want 503 and a store error", status, rd.Checks)
	}
	e2eEventually(t, "duban_connection_up{name=store} reported 0", func() (bool, string) {
		mf := e2eCounter(t, s.URL, "duban_connection_up", map[string]string{"name": "store"})
		return mf == 0 && strings.Contains(s.Stderr.String(), "store unreachable"), fmt.Sprint(mf)
	})
	if status, _ := e2eGet(t, s.URL+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz with Redis down = %d, want 200", status)
	}
	if got := e2eRobotSay(t, s.URL, "dt-r1", "cidzjj", "76号已完成"); !strings.Contains(got, "未记录") || !strings.Contains(got, "重发") {
		t.Errorf("report during the outage = %q, want 未记录 … 重发", got)
	}
	if err := rs.Restart(); err != nil {
		t.Fatal(err)
	}
	e2eEventually(t, "serve ready once Redis is up", func() (bool, string) {
		status, rd, _ := e2eReadyz(t, s.URL)
		return status == http.StatusOK, rd.Checks["store"]
	})
	// The backoff's first waits are 1, 2, 4 s: the retry notices soon.
	e2eEventually(t, "duban_connection_up{name=store} back to 1", func() (bool, string) {
		v := e2eCounter(t, s.URL, "duban_connection_up", map[string]string{"name": "store"})
		return v == 1, fmt.Sprint(v)
	})
	if got := e2eRobotSay(t, s.URL, "dt-r2", "cidzjj", "76号已完成"); !strings.Contains(got, "已记录") {
		t.Errorf("report after the outage = %q, want 已记录", got)
	}
}
