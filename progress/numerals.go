package progress

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
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

var cnDigit = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// number parses an Arabic numeral or a Chinese one below 10000 (七十六,
// 一百零三, 十二, 两百).
func number(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if s == "" {
		return 0, false
	}
	total, cur := 0, 0
	seenDigit := false
	for _, r := range s {
		if d, ok := cnDigit[r]; ok {
			cur = d
			seenDigit = true
			continue
		}
		unit := 0
		switch r {
		case '十':
			unit = 10
		case '百':
			unit = 100
		case '千':
			unit = 1000
		default:
			return 0, false
		}
		if cur == 0 && !seenDigit {
			cur = 1 // 十二 = 12
		}
		total += cur * unit
		cur = 0
		seenDigit = false
	}
	return total + cur, true
}
