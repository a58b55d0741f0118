package progress

import (
	"strings"
	"unicode"

	"duban/kb"
)

// NoteLimit is how many characters (runes) of a progress note answers,
// confirmations and reminders show. A note is free text from a chat: a
// 60 KB note once became four answer messages. The whole note stays in the
// task's history (Tracker.History, `duban status history`) and exports.
const NoteLimit = 200

// noteRunes maps the characters that start markup in WeCom or DingTalk
// markdown (links, images, emphasis, headings, code, quotes, tables, HTML
// tags and entities) to their full-width forms, which read the same to an
// official and mean nothing to a renderer. handlers.Render escapes a few of
// these for document text; a note is typed by anyone in a reporting chat,
// so it is made inert before any dialect sees it.
var noteRunes = map[rune]rune{
	'[': '［', ']': '］', '(': '（', ')': '）', '!': '！',
	'*': '＊', '_': '＿', '#': '＃', '`': '｀', '~': '～',
	'<': '＜', '>': '＞', '|': '｜', '\\': '＼', '&': '＆',
}

// PlainNote returns note as one line of plain text that every platform
// dialect shows as written: markup characters replaced by their full-width
// forms, line breaks and other control or invisible formatting characters
// (bidi overrides, zero-width joiners) folded into single spaces so a note
// cannot fake a status line of its own, and the result cut to NoteLimit
// characters with "…". Invalid UTF-8 becomes U+FFFD, visible and inert.
func PlainNote(note string) string {
	var b strings.Builder
	b.Grow(min(len(note), NoteLimit*4))
	n := 0
	space := false // a fold is pending
	for _, r := range note {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			space = n > 0
			continue
		}
		if space && n < NoteLimit {
			b.WriteByte(' ')
			n++
			space = false
		}
		if n == NoteLimit {
			b.WriteString("…")
			return b.String()
		}
		if m, ok := noteRunes[r]; ok {
			r = m
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Display is s as answers, confirmations and reminders show it: the note
// and the requested deadline (both typed in chat) made plain by PlainNote.
// Lookup returns statuses in this form; History and Current keep the
// reports as written.
func Display(s kb.Status) kb.Status {
	s.Note = PlainNote(s.Note)
	s.Extension = PlainNote(s.Extension)
	return s
}
