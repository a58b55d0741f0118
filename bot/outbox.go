package bot

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"duban/handlers"
	"duban/outbound"
)

// An Outbox routes pushes to the Sender of each configured group chat by
// the chat's name (the `chats[].name` key of the config); cmd gives the
// scheduler its senders (Sender), so the scheduler pushes without
// importing bot. The
// zero value is an empty Outbox ready to use; it is safe for concurrent use.
type Outbox struct {
	mu      sync.RWMutex
	senders map[string]Sender
}

// Add registers s as the sender for chat name. Like http.ServeMux.Handle it
// panics on an empty name, a nil sender or a name already added: those are
// configuration bugs that config validation should have caught.
func (o *Outbox) Add(name string, s Sender) {
	if name == "" || s == nil {
		panic(fmt.Sprintf("bot: Outbox.Add(%q): empty name or nil sender", name))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, dup := o.senders[name]; dup {
		panic(fmt.Sprintf("bot: Outbox.Add(%q): chat added twice", name))
	}
	if o.senders == nil {
		o.senders = make(map[string]Sender)
	}
	o.senders[name] = s
}

// Chats returns the names of the chats added, sorted.
func (o *Outbox) Chats() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	names := make([]string, 0, len(o.senders))
	for n := range o.senders {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Push sends r to the chat named chat. An unknown chat fails with
// ErrUnknownChat; a sender's error is wrapped, so errors.As still finds its
// RetryableError.
func (o *Outbox) Push(ctx context.Context, chat string, r handlers.Reply) error {
	o.mu.RLock()
	s, ok := o.senders[chat]
	o.mu.RUnlock()
	if !ok {
		return fmt.Errorf("push to %q: %w", chat, ErrUnknownChat)
	}
	if err := s.Send(ctx, r); err != nil {
		return fmt.Errorf("push to %q: %w", chat, err)
	}
	return nil
}

// Sender returns the sender of chat as an outbound.Sender (which renders
// and posts message by message, what the scheduler needs), and false when
// the chat has none or its sender is not one.
func (o *Outbox) Sender(chat string) (outbound.Sender, bool) {
	o.mu.RLock()
	s := o.senders[chat]
	o.mu.RUnlock()
	os, ok := s.(outbound.Sender)
	return os, ok
}
