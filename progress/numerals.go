package progress

import (
	"regexp"
	"strings"
	"unicode"

	"duban/kb/numerals"
)

// normalize folds a message into the form the report patterns read:
// full-width digits and letters to half-width (７６ → 76), ideographic and
// no-break spaces to spaces, @-mentions removed, trimmed. Chinese
// punctuation is kept (the patterns accept both widths), so a progress
// note is recorded as the official wrote it. It is a
// small copy of the question normaliser in handlers, which progress may
// does not import, so that the two stay independent leaves over kb.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '＃':
			r = r - '！' + '!'
		case r == '\u3000' || r == '\u00a0':
			r = ' '
		}
		b.WriteRune(r)
	}
	out := reMention.ReplaceAllString(b.String(), "")
	return strings.TrimFunc(out, unicode.IsSpace)
}

var reMention = regexp.MustCompile(`@\S+\s+|@\S+$`)

// number parses an Arabic or Chinese numeral (七十六, 一百零三).
func number(s string) (int, bool) { return numerals.Parse(s) }
