package bot

import (
	"fmt"

	"duban/handlers"
)

// Question length caps: what each platform's client can send, so nothing
// longer is a real question, and a message far longer (a 14,000-character
// paste, or a forged callback) costs no handler time at all.
const (
	// MaxWeComQuestionBytes is WeCom's text message limit: "Content 文本消息
	// 内容，最长不超过2048个字节" (PROTOCOLS §1.5, §2), in bytes of UTF-8:
	// about 680 Chinese characters.
	MaxWeComQuestionBytes = 2048
	// MaxDingTalkQuestionRunes is DingTalk's: its client takes at most 5,000
	// characters in one text message. Counted in characters, not bytes;
	// the exact unit is not in the stored DingTalk documents.
	MaxDingTalkQuestionRunes = 5000
)

// IntentTooLong is the Reply.Intent of the answer to an over-long message.
const IntentTooLong = "too_long"

// TooLong returns the polite refusal of a message longer than its
// platform's cap, and false for a message within it. WeCom messages are
// measured in bytes, every other platform (DingTalk, the emulator) in
// characters. It reads at most cap+1 characters of the text.
//
// Answer and Reports both refuse such a message before any parsing, so a
// chain built from either is bounded whatever the middleware order.
// Refusing beats truncating: a cut report would record half a note, and a
// cut question would answer a question nobody asked.
func TooLong(m *Message) (handlers.Reply, bool) {
	switch m.Platform {
	case WeComApp, WeComAIBot:
		if len(m.Text) <= MaxWeComQuestionBytes {
			return handlers.Reply{}, false
		}
		return tooLongReply(fmt.Sprintf("消息过长（超过%d字节，约%d个汉字），未作处理。请精简后重发，或分几次提问。",
			MaxWeComQuestionBytes, MaxWeComQuestionBytes/3)), true
	}
	if len(m.Text) <= MaxDingTalkQuestionRunes || !runesOver(m.Text, MaxDingTalkQuestionRunes) {
		return handlers.Reply{}, false
	}
	return tooLongReply(fmt.Sprintf("消息过长（超过%d字），未作处理。请精简后重发，或分几次提问。", MaxDingTalkQuestionRunes)), true
}

func tooLongReply(text string) handlers.Reply {
	return handlers.Reply{Intent: IntentTooLong, Head: text}
}

// runesOver reports whether s has more than n runes, reading no further
// than the (n+1)th.
func runesOver(s string, n int) bool {
	i := 0
	for range s {
		if i == n {
			return true
		}
		i++
	}
	return false
}
