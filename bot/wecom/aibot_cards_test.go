package wecom

import (
	"encoding/json"
	"fmt"
	"testing"

	"duban/bot"
	"duban/bot/cardtest"
	"duban/bot/wecom/wecomtest"
)

// TestAIBotCardClickPassiveUpdate: in callback mode a click is answered by
// the encrypted update_template_card passive reply; a replayed msgid is
// acted on once and answered with an empty 200.
func TestAIBotCardClickPassiveUpdate(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	cb, url := aibotCallback(t, fake, &recorder{}, nil)
	act := newCardActor()
	if err := cb.HandleCards(AIBotCardConfig{Actor: act, Dedup: &cardtest.Dedup{}}); err != nil {
		t.Fatal(err)
	}
	card := DigestCard(cardtest.Digest(2), testNow)
	tests := []struct {
		name, msgID, user string
		wantTitle         string // "" when no update is expected
		wantUsers         []string
	}{
		{"claim", "m1", "zhangsan", "77号 已登记完成，待审核", nil},
		{"replay", "m1", "zhangsan", "", nil},
		{"refused", "m2", "outsider", "你不能替本单位登记", []string{"outsider"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := wecomtest.AIBotCardClick(tt.msgID, "wrgroup", tt.user, card.Buttons[0].Key, card.TaskID,
				map[string]string{CardQuestionKey: card.ButtonSelection.Options[1].ID})
			nonce := fmt.Sprint("nonce-", i)
			c, err := fake.AIBot.EncryptedJSONCallback(url, testNow, nonce, plain)
			if err != nil {
				t.Fatal(err)
			}
			status, body := send(t, c)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			if tt.wantTitle == "" {
				if len(body) != 0 {
					t.Errorf("replay answered %q, want an empty 200", body)
				}
				return
			}
			out, err := fake.AIBot.OpenJSONReply(body, nonce)
			if err != nil {
				t.Fatalf("%v\n%s", err, body)
			}
			var u UpdateTemplateCard
			if err := json.Unmarshal(out, &u); err != nil {
				t.Fatal(err)
			}
			if u.ResponseType != "update_template_card" || u.TemplateCard.MainTitle.Title != tt.wantTitle || fmt.Sprint(u.UserIDs) != fmt.Sprint(tt.wantUsers) {
				t.Errorf("update %+v, want %q for %v", u, tt.wantTitle, tt.wantUsers)
			}
		})
	}
	got := act.Actions()
	if len(got) != 2 || got[0] != (bot.CardAction{Platform: "wecom", ID: "m1", ChatID: "wrgroup", UserID: "zhangsan", Verb: bot.VerbDone, Table: "key_tasks", No: 77,
		Conversation: "wecom_aibot|wrgroup|zhangsan"}) {
		t.Errorf("actor got %+v", got)
	}
}
