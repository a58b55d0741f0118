package questiongen

import (
	"strconv"
	"strings"
)

var cnDigits = []rune("零一二三四五六七八九")

// Chinese writes n (0 < n < 10000) as officials do: 十二, 一百零三, 两 never.
func Chinese(n int) string {
	if n <= 0 || n >= 10000 {
		return strconv.Itoa(n)
	}
	var b strings.Builder
	units := []struct {
		v int
		s string
	}{{1000, "千"}, {100, "百"}, {10, "十"}}
	zero := false
	started := false
	for _, u := range units {
		d := n / u.v % 10
		switch {
		case d == 0:
			if started {
				zero = true
			}
		default:
			if zero {
				b.WriteRune('零')
				zero = false
			}
			// 十二, not 一十二, when ten leads the number.
			if !(u.v == 10 && d == 1 && !started) {
				b.WriteRune(cnDigits[d])
			}
			b.WriteString(u.s)
			started = true
		}
	}
	if d := n % 10; d != 0 {
		if zero {
			b.WriteRune('零')
		}
		b.WriteRune(cnDigits[d])
	}
	return b.String()
}

// ParseChinese reads a simple Chinese numeral below 10000.
func ParseChinese(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '零', '〇':
			cur = 0
		case '十', '百', '千':
			u := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
			if cur == 0 {
				cur = 1
			}
			total += cur * u
			cur = 0
		case '两':
			cur = 2
		default:
			d := strings.IndexRune("零一二三四五六七八九", r)
			if d < 0 {
				return 0, false
			}
			cur = d / len("一") // each digit is three bytes in UTF-8
		}
	}
	return total + cur, true
}

// FullWidth turns ASCII letters, digits and punctuation into their
// full-width forms, as a Chinese input method in full-width mode types them.
func FullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return '\u3000'
		case r > ' ' && r < 0x7f:
			return r - 0x21 + 0xFF01
		}
		return r
	}, s)
}
