package handlers

import (
	"strings"
	"unicode"
)

// normalize folds a question into the form the recognisers read: full-width
// ASCII to half-width, ideographic space removed, @-mentions stripped,
// Latin lower-cased. Chinese punctuation is kept: it separates entities.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r = r - '！' + '!'
		case r == '\u3000' || r == '\u00a0':
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	out := b.String()
	out = reMention.ReplaceAllString(out, "")
	return strings.TrimSpace(out)
}
