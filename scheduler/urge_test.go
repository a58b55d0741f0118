package scheduler

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"duban/kb"
)

func urgeRig(t *testing.T) *rig {
	return newRig(t, func(c *Config) {
		c.Chats = append(c.Chats,
			Chat{Name: "督查群", Type: WeComWebhook, HasCredentials: true},
			Chat{Name: "张三群", Type: WeComWebhook, Leader: "张三", HasCredentials: true})
		c.Urge = UrgeConfig{Chats: []string{"督查群"}}
	})
}

func TestMayUrge(t *testing.T) {
	r := urgeRig(t)
	for chat, want := range map[string]bool{"督查群": true, "张三群": true, "住建群": false, "nowhere": false, "": false} {
		if got := r.s.MayUrge(chat); got != want {
			t.Errorf("MayUrge(%q) = %v, want %v", chat, got, want)
		}
	}
}

func TestUrgeOncePerMessage(t *testing.T) {
	r := urgeRig(t)
	rec, _ := r.s.base.Task(kb.KeyTasks, 1)
	req := UrgeRequest{Record: rec, From: "督查群", By: "王五", ID: "wecom|m1", N: 2}
	for i := range 2 { // the same message delivered twice
		sent, rep, err := r.s.Urge(t.Context(), req, at(2020, 7, 3))
		if err != nil || !slices.Equal(sent, []string{"住建群"}) {
			t.Fatalf("Urge #%d = %v, %v; want 住建群", i+1, sent, err)
		}
		if i == 1 && rep.Skipped != 1 {
			t.Errorf("second delivery of the same message: %+v, want it skipped by the ledger", rep)
		}
	}
	got := r.p.deliveries()
	if len(got) != 1 || got[0].chat != "住建群" {
		t.Fatalf("deliveries = %+v, want one to 住建群", got)
	}
	text := got[0].reply.Text()
	for _, want := range []string{"【催办】督查群（王五）催办", "第1项（第2次催办）", "逾期3天", "请尽快报告进展"} {
		if !strings.Contains(text, want) {
			t.Errorf("urgent reminder lacks %q:\n%s", want, text)
		}
	}
	if len(got[0].reply.Mentions) == 0 {
		t.Errorf("urgent reminder mentions nobody; 住建群 has contacts to @")
	}
	if tk := got[0].reply.Tasks; len(tk) != 1 || tk[0].No != 1 || tk[0].Light != "red" || tk[0].Unit != "住建局" {
		t.Errorf("reply tasks = %+v, want key task 1, red, for 住建局", tk)
	}
	// Another message is another urging: sent again.
	req.ID, req.N = "wecom|m2", 3
	if _, _, err := r.s.Urge(t.Context(), req, at(2020, 7, 3)); err != nil {
		t.Fatal(err)
	}
	if n := len(r.p.deliveries()); n != 2 {
		t.Errorf("a second urging (another message): %d deliveries, want 2", n)
	}
}

func TestUrgeCollectiveAndNoChat(t *testing.T) {
	r := urgeRig(t)
	rec, _ := r.s.base.Task(kb.KeyTasks, 2) // 各区镇
	sent, _, err := r.s.Urge(t.Context(), UrgeRequest{Record: rec, From: "督查群", ID: "x|1", N: 1}, at(2020, 7, 3))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(sent)
	if want := []string{"区镇总群", "开发区群", "正余群"}; !slices.Equal(sent, want) {
		t.Errorf("urging a task of 各区镇 reached %v, want each member chat %v", sent, want)
	}
	orphan := kb.Record{Table: kb.KeyTasks, No: 99, LeadUnits: []string{"档案馆"}}
	if _, _, err := r.s.Urge(t.Context(), UrgeRequest{Record: orphan, From: "督查群", ID: "x|2"}, at(2020, 7, 3)); !errors.Is(err, ErrNoChat) {
		t.Errorf("urging a task no chat speaks for: err = %v, want ErrNoChat", err)
	}
}

func TestUrgeFailureReleases(t *testing.T) {
	r := urgeRig(t)
	r.p.fail = func(chat string, attempt int) error { return errBadKey }
	rec, _ := r.s.base.Task(kb.KeyTasks, 1)
	req := UrgeRequest{Record: rec, From: "督查群", ID: "x|1", N: 1}
	if sent, _, err := r.s.Urge(t.Context(), req, at(2020, 7, 3)); err == nil || len(sent) != 0 {
		t.Fatalf("Urge with a refusing platform = %v, %v; want an error and nothing sent", sent, err)
	}
	r.p.fail = nil
	// The ledger released it: sending 催办 again goes through.
	if sent, _, err := r.s.Urge(t.Context(), req, at(2020, 7, 3)); err != nil || len(sent) != 1 {
		t.Fatalf("Urge again = %v, %v; want it sent", sent, err)
	}
}
