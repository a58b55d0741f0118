package scheduler

import (
	"sync/atomic"
	"testing"

	"duban/handlers"
	"duban/outbound"
)

// renderCounter counts the renders of its chats' senders.
type renderCounter struct {
	fakePusher
	renders atomic.Int64
}

func (p *renderCounter) Sender(c Chat) (outbound.Sender, bool) {
	return countedSender{replySender{chat: c, book: &p.book, push: p.Push}, &p.renders}, true
}

type countedSender struct {
	replySender
	n *atomic.Int64
}

func (s countedSender) Render(r handlers.Reply) []outbound.Message {
	s.n.Add(1)
	return s.replySender.Render(r)
}

// BenchmarkRunTick is one tick sent for real over the benchmark's 1,000
// chats: claims, cutting into parts, rendering, the rate limit, posts and
// confirms, on an in-memory store. renders/part counts every Render of a
// part's reply, the cutting's probes included: each part's messages are
// rendered once more after the cut and then posted as rendered.
func BenchmarkRunTick(b *testing.B) {
	var parts, renders int64
	for b.Loop() {
		b.StopTimer()
		c := &clock{t: at(2020, 7, 1)}
		p := &renderCounter{}
		sl := &sleeper{c: c}
		s := benchSchedulerWith(b, Config{Now: c.Now, Sleep: sl.Sleep}, p, newFakeStore(c.Now))
		b.StartTimer()
		rep, err := s.Run(b.Context(), at(2020, 7, 1))
		if err != nil {
			b.Fatal(err)
		}
		parts += int64(rep.Pushes)
		renders += p.renders.Load()
	}
	b.ReportMetric(float64(parts)/float64(b.N), "parts/op")
	b.ReportMetric(float64(renders)/float64(parts), "renders/part")
}
