package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A lineRe is a pattern run over every line of every document, with a
// test every match passes that costs a byte or a rune: most lines match
// none, and the regexp engine scans a whole line before it says so.
// TestPrefiltersNecessary checks each test against its pattern.
type lineRe struct {
	re  *regexp.Regexp
	may func(string) bool
}

func (l lineRe) MatchString(s string) bool { return l.may(s) && l.re.MatchString(s) }

func (l lineRe) FindStringSubmatch(s string) []string {
	if !l.may(s) {
		return nil
	}
	return l.re.FindStringSubmatch(s)
}

// startsWithDigit: the line opens with an ASCII digit (\d).
func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// startsWithRune returns a test that the line opens with one of runes.
func startsWithRune(runes string) func(string) bool {
	return func(s string) bool {
		r, _ := utf8.DecodeRuneInString(s)
		return strings.ContainsRune(runes, r)
	}
}

// endsWithAny returns a test that the line ends with one of words.
func endsWithAny(words ...string) func(string) bool {
	return func(s string) bool {
		for _, w := range words {
			if strings.HasSuffix(s, w) {
				return true
			}
		}
		return false
	}
}
