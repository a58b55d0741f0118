package dingtalk

import (
	"testing"
	"time"

	"duban/bot/cardtest"
	"duban/bot/dingtalk/dingtalktest"
)

// BenchmarkCardTapStream is one tap over Stream on loopback: the fake
// gateway pushes the card callback, the client decodes content twice,
// dedups the frame id, calls the actor and answers with the card update.
func BenchmarkCardTapStream(b *testing.B) {
	gw := dingtalktest.NewStreamGateway(b)
	s, err := NewStream(StreamConfig{ClientID: dingtalktest.StreamClientID, ClientSecret: dingtalktest.StreamClientSecret,
		OpenAPIBaseURL: gw.URL}, noHandler)
	if err != nil {
		b.Fatal(err)
	}
	s.HandleCards(CardConfig{Actor: newCardActor(), Dedup: &cardtest.Dedup{}})
	runStream(b, s, gw)
	click := dingtalktest.CardClick{OutTrackID: "duban-x", UserID: "staff1", ConversationID: "cid1",
		ActionID: "done", Params: map[string]string{"task": "key_tasks:76"}}
	for b.Loop() {
		sig := gw.AckSignal()
		if _, err := gw.PushCardClick(click); err != nil {
			b.Fatal(err)
		}
		select {
		case <-sig:
		case <-time.After(5 * time.Second):
			b.Fatal("no answer frame")
		}
	}
}

// BenchmarkDigestParams renders a 40-task digest as card variables.
func BenchmarkDigestParams(b *testing.B) {
	r := cardtest.Digest(40)
	for b.Loop() {
		DigestParams(r)
	}
}
