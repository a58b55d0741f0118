package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
)

// fakeActor is a card actor that records taps, refuses the 交通局 chat,
// and answers a replayed id with "已处理过" without recording it again.
type fakeActor struct {
	mu   sync.Mutex
	acts []bot.CardAction
	seen map[string]bool
}

func (f *fakeActor) Act(_ context.Context, a bot.CardAction) (bot.CardView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a.ChatID != "cid-zjj" {
		return bot.CardView{Title: "未记录：本群不能代为报告", Refused: true}, nil
	}
	if f.seen[a.ID] {
		return bot.CardView{Title: "这次点击已处理过，未重复记录", Final: true}, nil
	}
	f.seen[a.ID] = true
	f.acts = append(f.acts, a)
	return bot.CardView{Title: "重点工作第76项 已登记完成，待审核", Desc: a.UserName, Final: true}, nil
}

func cardsConfig(f *fakeActor) Config {
	cfg := newTestConfig(&fakeBot{})
	cfg.Cards = f
	cfg.Remind = func(ctx context.Context, now time.Time) ([]Digest, error) {
		ds, err := remindFake(ctx, now)
		for i := range ds {
			ds[i].Tasks = []handlers.TaskAction{{Table: kb.KeyTasks, No: 76, Title: "推进城市更新试点工作", Due: "8月31日", Light: "yellow"}}
		}
		return ds, err
	}
	return cfg
}

// TestCardAPI: the reminders panel gets cards with the unit's buttons,
// and a tap goes to the actor with the chat's ID and the click's id.
func TestCardAPI(t *testing.T) {
	f := &fakeActor{seen: map[string]bool{}}
	srv := newLoopbackServer(t, New(cardsConfig(f)))
	resp, err := http.Get(srv.URL + "/emulator/api/remind?now=2020-08-25T09:00:00%2B08:00")
	if err != nil {
		t.Fatal(err)
	}
	var rr struct{ Digests []Digest }
	json.NewDecoder(resp.Body).Decode(&rr)
	resp.Body.Close()
	if len(rr.Digests) != 1 || len(rr.Digests[0].Cards) != 1 {
		t.Fatalf("digests = %+v", rr.Digests)
	}
	c := rr.Digests[0].Cards[0]
	var verbs []string
	for _, b := range c.Buttons {
		verbs = append(verbs, b.Verb+"/"+b.Label+"/"+b.Ask)
	}
	if c.Label != "重点工作第76项" || strings.Join(verbs, ",") != "done/已完成/,extend/申请延期/date,detail/查看详情/" {
		t.Errorf("card = %+v", c)
	}
	post := func(body string) (int, cardResponse) {
		resp, err := http.Post(srv.URL+"/emulator/api/card", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v cardResponse
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	tap := `{"id":"tap-1","chat":"住建局工作群","user":"王五","verb":"done","table":"key_tasks","no":76}`
	if code, v := post(tap); code != 200 || !strings.Contains(v.Title, "待审核") || !v.Final {
		t.Errorf("tap = %d %+v", code, v)
	}
	if code, v := post(tap); code != 200 || !strings.Contains(v.Title, "已处理过") {
		t.Errorf("replayed tap = %d %+v", code, v)
	}
	if code, v := post(`{"id":"tap-2","chat":"交通局工作群","user":"钱七","verb":"done","table":"key_tasks","no":76}`); code != 200 || !v.Refused {
		t.Errorf("tap from another chat = %d %+v", code, v)
	}
	if len(f.acts) != 1 || f.acts[0].ChatID != "cid-zjj" || f.acts[0].Platform != bot.Emulator || f.acts[0].UserName != "王五" {
		t.Errorf("actions = %+v", f.acts)
	}
	for _, bad := range []string{`{"id":"x","chat":"无此群","verb":"done","table":"key_tasks","no":76}`, `{"chat":"住建局工作群","verb":"done","table":"key_tasks","no":76}`, `not json`} {
		if code, _ := post(bad); code != 400 {
			t.Errorf("POST %s = %d, want 400", bad, code)
		}
	}
	// Without an actor: no cards, and taps are not served.
	plain := newLoopbackServer(t, New(newTestConfig(&fakeBot{})))
	resp, err = http.Post(plain.URL+"/emulator/api/card", "application/json", strings.NewReader(tap))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotImplemented {
		t.Errorf("tap without Cards = %d, want 501", resp.StatusCode)
	}
}
