package report

import (
	"context"
	"testing"

	"duban/bot"
	"duban/handlers"
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

// BenchmarkMiddlewareQuestion is what the middleware adds to a question
// that is no report: since an 申请延期 tap may wait for the sender's next
// message, every message looks that wait up in the store (one Get).
func BenchmarkMiddlewareQuestion(b *testing.B) {
	for _, tt := range []struct {
		name    string
		pending bool
	}{{"no store", false}, {"embedded store", true}} {
		b.Run(tt.name, func(b *testing.B) {
			rb := newReviewBot(b, true)
			if !tt.pending {
				rb.rp.cfg.Pending = nil
			}
			next := func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{Head: "答"}, nil }
			h := rb.rp.Middleware()(next)
			m := &bot.Message{Platform: bot.WeComAIBot, ID: "q1", ChatID: "cid-zjj", UserID: "wang-id", Text: "76号牵头单位是哪个"}
			for b.Loop() {
				if r, err := h(b.Context(), m); err != nil || r.Head != "答" {
					b.Fatal(r, err)
				}
			}
		})
	}
}
