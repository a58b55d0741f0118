package scheduler

import (
	"fmt"
	"sort"

	"duban/handlers"
)

// A PartPusher is a Pusher that says how many messages its sender posts
// for a reply. A run uses it to cut a chat's digest into parts that are
// one message each, so that the ledger confirms each part's reminders as
// soon as the platform accepts that message, and each message takes its
// own rate-limit slot. *bot.Outbox implements it; for another Pusher the
// count comes from rendering in the chat type's dialect.
type PartPusher interface {
	Pusher
	Parts(chat string, r handlers.Reply) int
}

// A part is one message of a delivery: the ledger keys it confirms once
// accepted, the reply, and how many messages the sender makes of it (1,
// unless a single reminder or a summary is longer than a message).
type part struct {
	keys   []string
	reply  handlers.Reply
	pieces int
}

// pieces is how many messages chat's sender posts for r.
func (s *Scheduler) pieces(chat int, r handlers.Reply) int {
	ch := s.chats[chat]
	if pp, ok := s.pusher.(PartPusher); ok {
		return max(pp.Parts(ch.Name, r), 1)
	}
	return max(len(handlers.Render(r, dialectFor(ch.Type, len(r.Mentions) > 0))), 1)
}

// partMark is the widest head suffix a part gets, used while cutting so
// that the real suffix never makes a part longer than it was measured.
const partMark = "（第999/999条）"

// split cuts q's tasks (already claimed, keys[i] for q.Tasks[i]) into
// parts of one message each, most urgent first. Only the first part
// carries the chat's mentions, so each person is notified once per run.
// When there are several parts, each head says which part it is.
func (s *Scheduler) split(q Push, keys []string) []part {
	n := len(q.Tasks)
	var cuts [][2]int // [from, to) of each part
	for from := 0; from < n; {
		first := len(cuts) == 0
		fits := func(k int) bool {
			r := s.partReply(q, from, from+k, first, partMark)
			return s.pieces(q.chat, r) <= 1
		}
		// The largest k with fits(k), at least 1: a message grows with its
		// lines, so fits is true up to some k and false after. Gallop to
		// a bound first, so no probe renders much more than one message.
		lo, hi := 1, 1 // fits(lo) or lo == 1; !fits(hi) or hi > n-from
		for hi <= n-from && fits(hi) {
			lo, hi = hi, hi*2
		}
		hi = min(hi, n-from+1)
		k := lo + sort.Search(hi-lo-1, func(i int) bool { return !fits(lo + 1 + i) })
		cuts = append(cuts, [2]int{from, from + k})
		from += k
	}
	parts := make([]part, len(cuts))
	for i, c := range cuts {
		mark := ""
		if len(cuts) > 1 {
			mark = fmt.Sprintf("（第%d/%d条）", i+1, len(cuts))
		}
		r := s.partReply(q, c[0], c[1], i == 0, mark)
		parts[i] = part{keys: keys[c[0]:c[1]], reply: r, pieces: s.pieces(q.chat, r)}
	}
	return parts
}

// partReply renders tasks [from, to) of q as one digest.
func (s *Scheduler) partReply(q Push, from, to int, mentions bool, mark string) handlers.Reply {
	items := make([]handlers.DigestItem, 0, to-from)
	for i := from; i < to; i++ {
		items = append(items, s.item(q, i))
	}
	r := s.digest(q.chat, items, q.now)
	if !mentions {
		r.Mentions = nil
	}
	r.Head += mark
	return r
}
