package report

import (
	"testing"

	"duban/bot"
	"duban/kb"
)

// BenchmarkActReplay is a tap delivered again (a platform retry): the
// task, its status and history read from the embedded store, the replay
// found, nothing written. A first tap costs this plus one append.
func BenchmarkActReplay(b *testing.B) {
	rb := newReviewBot(b, true)
	a := bot.CardAction{Platform: bot.WeComAIBot, ID: "e1", ChatID: "cid-zjj", UserName: "王五", Verb: bot.VerbDone, Table: string(kb.KeyTasks), No: 77}
	if _, err := rb.rp.Act(b.Context(), a); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if v, err := rb.rp.Act(b.Context(), a); err != nil || v.Refused {
			b.Fatal(v, err)
		}
	}
}

// BenchmarkActRefused is a tap from a chat that may not report for the
// task: decided without writing.
func BenchmarkActRefused(b *testing.B) {
	rb := newReviewBot(b, true)
	a := bot.CardAction{Platform: bot.WeComAIBot, ID: "e1", ChatID: "cid-jtj", UserName: "钱七", Verb: bot.VerbDone, Table: string(kb.KeyTasks), No: 77}
	for b.Loop() {
		if v, err := rb.rp.Act(b.Context(), a); err != nil || !v.Refused {
			b.Fatal(v, err)
		}
	}
}
