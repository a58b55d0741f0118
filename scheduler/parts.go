package scheduler

import (
	"fmt"
	"sort"

	"duban/handlers"
	"duban/outbound"
)

// A part is one message of a delivery: the ledger keys it confirms once
// accepted, the reply, and the messages the chat's sender made of it (one,
// unless a single reminder or a summary is longer than a message),
// rendered once and posted as rendered.
type part struct {
	keys  []string
	reply handlers.Reply
	msgs  []outbound.Message
}

// newPart is the part that delivers r to chat and confirms keys: r is
// rendered here, once.
func (s *Scheduler) newPart(chat int, keys []string, r handlers.Reply) part {
	return part{keys: keys, reply: r, msgs: s.messages(chat, r)}
}

// messages returns the messages chat's sender makes of r.
func (s *Scheduler) messages(chat int, r handlers.Reply) []outbound.Message {
	return s.senders[chat].Render(r)
}

// pieces is how many messages chat's sender posts for r.
func (s *Scheduler) pieces(chat int, r handlers.Reply) int {
	return max(len(s.messages(chat, r)), 1)
}

// messageLimit is the size in bytes a digest for chat must fit: its
// sender's limit for a message carrying the chat's mentions.
func (s *Scheduler) messageLimit(chat int) int {
	ch := s.chats[chat]
	r := handlers.Reply{Mentions: append(append([]string{}, ch.MentionMobiles...), ch.MentionUserIDs...)}
	if len(r.Mentions) == 0 {
		r.Mentions = nil
	}
	return s.senders[chat].Limit(r)
}

// partMark is the widest head suffix a part gets, used while cutting so
// that the real suffix never makes a part longer than it was measured.
const partMark = "（第999/999条）"

// split cuts q's tasks (already claimed, keys[i] for q.Tasks[i]) into
// parts of one message each, most urgent first. Only the first part
// carries the chat's mentions, so each person is notified once per run.
// When there are several parts, each head says which part it is. The
// probes while cutting only measure; each part's messages are rendered
// once, with its real head, and a digest of one message is rendered once
// in all.
func (s *Scheduler) split(q Push, keys []string) []part {
	n := len(q.Tasks)
	// Most digests are one message (a digest is made to fit one): then
	// the first render is the part's, and the only one.
	whole := s.partReply(q, 0, n, true, "")
	if msgs := s.messages(q.chat, whole); len(msgs) <= 1 {
		return []part{{keys: keys, reply: whole, msgs: msgs}}
	}
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
		parts[i] = s.newPart(q.chat, keys[c[0]:c[1]], s.partReply(q, c[0], c[1], i == 0, mark))
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
