package scheduler

import (
	"context"
	"errors"
	"fmt"

	"duban/handlers"
	"duban/outbound"
)

// The entry points below are kept while code written before senders
// rendered for themselves still calls them (bulletins, summaries,
// 催办); new code uses newPart, messageLimit and limited. Delete this
// file when nothing calls them.

// pace takes n slots of chat ch's window, waiting while it is full: the
// rate limit of a send that is no message (a file). A stop during a wait
// wraps errStopped.
func (s *Scheduler) pace(ctx context.Context, ch Chat, n int, o *Report) error {
	c := chatIndex(s.chats, ch.Name)
	if c < 0 {
		return fmt.Errorf("rate limit: unknown chat %q", ch.Name)
	}
	lim := s.limited(c, s.senders[c], o)
	for range n {
		if err := lim.Reserve(ctx); err != nil {
			if ctx.Err() != nil && errors.Is(err, outbound.ErrNotSent) {
				return fmt.Errorf("%w: %w", errStopped, err)
			}
			return err
		}
	}
	return nil
}

// dialectFor is the format a chat type's sender was assumed to post in.
// Senders now say it themselves (messageLimit, render).
func dialectFor(typ string, mentions bool) handlers.Dialect {
	switch typ {
	case "dingtalk_webhook":
		return handlers.DingTalkMarkdown
	case "wecom_aibot":
		return handlers.WeComAIBot
	case "wecom_appchat":
		return handlers.WeComText
	}
	if mentions {
		return handlers.WeComText
	}
	return handlers.WeComMarkdown
}
