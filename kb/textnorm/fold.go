// Package textnorm folds the many ways officials type the same question
// into one form that matchers read, and finds the numbers in it, telling a
// task reference (第76项, 任务76, #76) from a number that is content (85条,
// 第二阶段, 十四五, 2019年). It is a leaf: handlers and progress import it,
// it imports nothing of the project.
package textnorm

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Fold returns s in the form the matchers read: full-width ASCII to
// half-width, traditional characters to simplified, Latin lower-cased, every
// run of white space to one ASCII space, curly quotes and dashes to ASCII.
// Chinese punctuation that separates entities (、。) is kept. Fold is
// idempotent and never changes the number of runes by more than the
// traditional→simplified phrase mapping does.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	trad := false
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r >= 0x3400 && isTraditional(r) {
			trad = true
		}
		b.WriteRune(r)
	}
	out := b.String()
	if trad {
		out = toSimplified(out)
	}
	return out
}

// foldRune maps one rune to its folded form.
func foldRune(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		r = r - '！' + '!'
	case r == '\u3000' || r == '\u00a0':
		return ' '
	case r == '“' || r == '”' || r == '「' || r == '」' || r == '『' || r == '』':
		return '"'
	case r == '‘' || r == '’':
		return '\''
	case r == '—' || r == '–' || r == '－':
		return '-'
	case r == '【' || r == '〔':
		return '['
	case r == '】' || r == '〕':
		return ']'
	case r == '…':
		return '.'
	}
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// The converter costs about 6 ms to load and 50 µs a sentence, so it runs
// only on text that holds a traditional character; whether a character is
// traditional is asked of it once per character and remembered.
var (
	ccOnce sync.Once
	cc     *opencc.OpenCC
	tradMu sync.RWMutex
	tradOf = map[rune]bool{}
)

func converter() *opencc.OpenCC {
	ccOnce.Do(func() {
		c, err := opencc.New("t2s")
		if err == nil {
			cc = c
		}
	})
	return cc
}

// isTraditional reports whether the converter maps r to another character.
func isTraditional(r rune) bool {
	tradMu.RLock()
	t, ok := tradOf[r]
	tradMu.RUnlock()
	if ok {
		return t
	}
	c := converter()
	if c == nil {
		return false
	}
	out, err := c.Convert(string(r))
	t = err == nil && out != string(r)
	tradMu.Lock()
	tradOf[r] = t
	tradMu.Unlock()
	return t
}

// toSimplified converts s phrase by phrase (乾燥 → 干燥, 乾隆 stays).
func toSimplified(s string) string {
	c := converter()
	if c == nil {
		return s
	}
	out, err := c.Convert(s)
	if err != nil {
		return s
	}
	return out
}
