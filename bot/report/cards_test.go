package report

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"duban/bot"
	"duban/kb"
)

// updates records what a CardUpdater was asked to show.
type updates struct {
	mu   sync.Mutex
	got  []string // ref + " " + user + " " + title
	fail error
}

func (u *updates) UpdateCard(_ context.Context, ref string, a bot.CardAction, v bot.CardView) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.got = append(u.got, ref+" "+a.UserID+" "+a.Table+"#"+strconv.Itoa(a.No)+" "+v.Title+" "+strings.Join(v.Lines, "；"))
	return u.fail
}

// TestDecisionUpdatesCard: the reviewer's decision, tapped, linked or
// typed, updates the card the unit tapped, once, through its platform's
// updater; a claim typed in chat, or tapped on a platform without an
// updater, leaves no card to update.
func TestDecisionUpdatesCard(t *testing.T) {
	claim := func(id, platform, ref string) bot.CardAction {
		return bot.CardAction{Platform: platform, ID: id, ChatID: "cid-zjj", UserID: "wang-id", UserName: "王五",
			Verb: bot.VerbDone, Table: string(kb.KeyTasks), No: 76, Card: ref}
	}
	decide := func(id, verb string) bot.CardAction {
		return bot.CardAction{Platform: "wecom", ID: id, ChatID: "cid-dcb", UserID: "li-id", UserName: "李审",
			Verb: verb, Table: string(kb.KeyTasks), No: 76}
	}
	tests := []struct {
		name  string
		claim *bot.CardAction // nil: typed "76号已完成"
		typed string          // the decision typed, else tapped
		tap   string
		want  []string
	}{
		{"tap, approved by tap", ptr(claim("c1", "dingtalk", "track-1")), "", bot.VerbApprove,
			[]string{"track-1 wang-id key_tasks#76 重点工作第76项 已办结 已办结，提醒停止。"}},
		{"tap, returned by typing", ptr(claim("c1", "wecom", "code-1|task-1")), "退回76号 缺验收材料", "",
			[]string{"code-1|task-1 wang-id key_tasks#76 重点工作第76项 已退回 已退回牵头单位，提醒恢复。；意见：缺验收材料"}},
		{"typed claim", nil, "办结76号", "", nil},
		{"platform without an updater", ptr(claim("c1", "emulator", "x")), "办结76号", "", nil},
		{"no handle", ptr(claim("c1", "dingtalk", "")), "办结76号", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb := newReviewBot(t, true)
			u := &updates{}
			rb.rp.UpdateCardsWith("dingtalk", u)
			rb.rp.UpdateCardsWith("wecom", u)
			if tt.claim != nil {
				v, err := rb.rp.Act(t.Context(), *tt.claim)
				if err != nil {
					t.Fatal(err)
				}
				if kept := len(tt.want) > 0; v.Later != kept {
					t.Errorf("claim view Later = %v, want %v", v.Later, kept)
				}
			} else {
				rb.say(t, "cid-zjj", "王五", "重点工作76号已完成")
			}
			if st := rb.state(t, kb.KeyTasks, 76); st.State != kb.Claimed {
				t.Fatalf("claim: %+v", st)
			}
			if len(u.got) != 0 {
				t.Fatalf("a claim updated a card: %v", u.got)
			}
			if tt.typed != "" {
				rb.say(t, "cid-dcb", "李审", tt.typed)
			} else if _, err := rb.rp.Act(t.Context(), decide("d1", tt.tap)); err != nil {
				t.Fatal(err)
			}
			// A second decision (a replayed tap, or the next claim's) finds
			// the handle spent.
			if _, err := rb.rp.Act(t.Context(), decide("d1", bot.VerbApprove)); err != nil {
				t.Fatal(err)
			}
			if strings.Join(u.got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("updates:\n%s\nwant:\n%s", strings.Join(u.got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestDecisionUpdatesExtensionCard: an extension tapped with its date
// (DingTalk's card carries one) keeps the card for 同意延期; an updater's
// failure leaves the decision recorded. One asked for by reply keeps
// none: the asking view spent the tap's handle.
func TestDecisionUpdatesExtensionCard(t *testing.T) {
	rb := newReviewBot(t, true)
	u := &updates{fail: errors.New("card gone")}
	rb.rp.UpdateCardsWith("dingtalk", u)
	rb.rp.UpdateCardsWith("wecom", u)
	tap := bot.CardAction{Platform: "dingtalk", ID: "c1", ChatID: "cid-zjj", UserID: "wang-id", UserName: "王五",
		Verb: bot.VerbExtend, Table: string(kb.KeyTasks), No: 76, Extension: "10月底", Card: "track-9"}
	v, err := rb.rp.Act(t.Context(), tap)
	if err != nil || !v.Later {
		t.Fatalf("tap: %+v %v, want the card kept (Later)", v, err)
	}
	rb.say(t, "cid-dcb", "李审", "同意延期76号")
	if st := rb.state(t, kb.KeyTasks, 76); st.State != kb.ExtensionApproved {
		t.Errorf("state %+v", st)
	}
	if len(u.got) != 1 || !strings.HasPrefix(u.got[0], "track-9 wang-id key_tasks#76 重点工作第76项 ") {
		t.Errorf("updates %v", u.got)
	}

	asked := extendTap("tap-2", "cid-zjj", "王五")
	asked.Card = "code-1|task-1"
	if v, _ := rb.rp.Act(t.Context(), asked); v.Later {
		t.Errorf("asking view %+v kept the card", v)
	}
	rb.say(t, "cid-zjj", "王五", "11月底")
	rb.say(t, "cid-dcb", "李审", "同意延期76号")
	if len(u.got) != 1 {
		t.Errorf("updates %v, want none for a request dated by reply", u.got)
	}
}

func ptr[T any](v T) *T { return &v }
