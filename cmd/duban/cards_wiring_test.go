package main

import (
	"context"
	"testing"

	"duban/handlers"
	"duban/kb"
	"duban/outbound"
)

// recSender renders one message per reply, its body named after the
// sender, and records what it posts.
type recSender struct {
	name   string
	posted []string
}

func (s *recSender) Render(r handlers.Reply) []outbound.Message {
	return []outbound.Message{{Text: r.Head, Body: []byte(s.name + ":" + r.Head)}}
}
func (s *recSender) Limit(handlers.Reply) int { return 4096 }
func (s *recSender) Post(_ context.Context, m outbound.Message) error {
	s.posted = append(s.posted, string(m.Body))
	return nil
}

// TestTaskCards: a reply with tasks goes through the card sender, any
// other through the chat's own, each message posted by the sender that
// rendered it (also when the scheduler renders and posts apart).
func TestTaskCards(t *testing.T) {
	cards, other := &recSender{name: "card"}, &recSender{name: "group"}
	s := taskCards{cards: cards, other: other}
	digest := handlers.Reply{Head: "提醒", Tasks: []handlers.TaskAction{{Table: kb.KeyTasks, No: 76}}}
	notice := handlers.Reply{Head: "通报"}
	for _, r := range []handlers.Reply{digest, notice} {
		for _, m := range s.Render(r) {
			if err := s.Post(context.Background(), m); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(cards.posted) != 1 || cards.posted[0] != "card:提醒" || len(other.posted) != 1 || other.posted[0] != "group:通报" {
		t.Errorf("cards posted %q, group posted %q", cards.posted, other.posted)
	}
	if s.Parts(digest) != 1 || s.Limit(notice) != 4096 {
		t.Errorf("Parts %d, Limit %d", s.Parts(digest), s.Limit(notice))
	}
}
