package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// Card verbs: what a button on a reminder card (or a signed link) asks for.
// The first three are a unit's; the rest are a reviewer's.
const (
	VerbDone       = "done"        // 已完成: a completion claim
	VerbExtend     = "extend"      // 申请延期
	VerbDetail     = "detail"      // 查看详情: no change, the task's full answer
	VerbApprove    = "approve"     // 办结: a reviewer confirms a completion claim
	VerbReturn     = "return"      // 退回: a reviewer returns it, reminders resume
	VerbApproveExt = "approve_ext" // 同意延期
	VerbRejectExt  = "reject_ext"  // 不同意延期
)

// A CardAction is one tap on a card's button or one confirmed link: which
// task, what to do, and who asked from where. Platforms build it from their
// click events; the report package decides and records it.
type CardAction struct {
	Platform string // "wecom", "dingtalk", "emulator", "link"
	ID       string // the click event's message ID: a replayed click is recorded once
	ChatID   string // the conversation the card was in ("" for a 1:1 card)
	UserID   string
	UserName string
	Verb     string
	Table    string // kb.Table of the task
	No       int
	// Extension is the requested new date for VerbExtend ("10月底"), when
	// the route can carry one; Reason the reviewer's words for VerbReturn.
	Extension string
	Reason    string
	// Conversation is the Message.ConversationKey of the tapper's own
	// messages where the card is, set by routes whose cards cannot carry
	// a date (WeCom): an 申请延期 tap then waits for the date there.
	Conversation string
	// Card is the platform's handle to update this card later, after the
	// tap's own answer (DingTalk's outTrackId; a WeCom app click's unspent
	// response_code with its task_id); "" where the platform has none.
	Card string
}

// A CardView is what a card shows after a tap: the platform updates the
// card in place with it.
type CardView struct {
	Title string   // "76号 已登记完成，待审核"
	Desc  string   // "张三 8月25日"
	Lines []string // details (the full answer for VerbDetail)
	// Refused marks a tap that was not allowed (another unit's chat, a
	// non-reviewer); Title says why and the buttons stay.
	Refused bool
	// Final marks a card whose buttons should go (nothing left to tap).
	Final bool
	// Later says the actor kept CardAction.Card to show a later decision:
	// a platform whose handle is single-use must not spend it now.
	Later bool
}

// A CardActor decides and records card taps.
type CardActor interface {
	Act(ctx context.Context, a CardAction) (CardView, error)
}

// CardKey is the button key of a verb on a task, as sent in cards
// ("done:r1:76"); ParseCardKey reads it back. Platforms whose keys must be
// unique per card append their own suffix after a further colon.
func CardKey(verb, table string, no int) string {
	return verb + ":" + table + ":" + strconv.Itoa(no)
}

// ErrCardKey is returned for a key that is not one of ours.
var ErrCardKey = errors.New("bot: not a duban card key")

// ParseCardKey reads a key written by CardKey (with or without a suffix).
func ParseCardKey(key string) (verb, table string, no int, err error) {
	f := strings.Split(key, ":")
	if len(f) < 3 || f[0] == "" || f[1] == "" {
		return "", "", 0, ErrCardKey
	}
	no, err = strconv.Atoi(f[2])
	if err != nil || no <= 0 {
		return "", "", 0, ErrCardKey
	}
	return f[0], f[1], no, nil
}
