package ingest

import (
	"regexp"
	"regexp/syntax"
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

// A wordsRe is a pattern that is an alternation of literal words, each
// maybe anchored (协同|配合|责任人$), matched with strings functions: on
// the short cells of a header scan the regexp engine costs several times
// more, and every cell of every table is scanned.
type wordsRe struct {
	re    *regexp.Regexp
	words []anchoredWord // nil: not literal words; the regexp matches
}

type anchoredWord struct {
	w          string
	start, end bool // ^w, w$
}

// words compiles expr, and reads its words when it is made only of them.
func words(expr string) wordsRe {
	w := wordsRe{re: regexp.MustCompile(expr)}
	for _, alt := range strings.Split(expr, "|") {
		aw, ok := literalWord(alt)
		if !ok {
			w.words = nil
			break
		}
		w.words = append(w.words, aw)
	}
	return w
}

// literalWord reads one alternative: a literal (escapes allowed), with an
// optional ^ before and $ after.
func literalWord(alt string) (anchoredWord, bool) {
	re, err := syntax.Parse(alt, syntax.Perl)
	if err != nil {
		return anchoredWord{}, false
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	var aw anchoredWord
	if len(subs) > 0 && subs[0].Op == syntax.OpBeginText {
		aw.start, subs = true, subs[1:]
	}
	if n := len(subs); n > 0 && subs[n-1].Op == syntax.OpEndText {
		aw.end, subs = true, subs[:n-1]
	}
	if len(subs) != 1 || subs[0].Op != syntax.OpLiteral || subs[0].Flags&syntax.FoldCase != 0 {
		return anchoredWord{}, false
	}
	aw.w = string(subs[0].Rune)
	return aw, true
}

func (w wordsRe) MatchString(s string) bool {
	if w.words == nil {
		return w.re.MatchString(s)
	}
	for _, a := range w.words {
		var ok bool
		switch {
		case a.start && a.end:
			ok = s == a.w
		case a.start:
			ok = strings.HasPrefix(s, a.w)
		case a.end:
			ok = strings.HasSuffix(s, a.w)
		default:
			ok = strings.Contains(s, a.w)
		}
		if ok {
			return true
		}
	}
	return false
}
