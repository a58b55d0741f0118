// Package numerals reads the numbers officials write in task references:
// Arabic (76) and Chinese (七十六, 一百零三, 十二, 两百) below 10000.
package numerals

import "strconv"

var digit = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// Parse returns the value of an Arabic or Chinese numeral and whether s is one.
func Parse(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if s == "" {
		return 0, false
	}
	total, cur := 0, 0
	seenDigit := false
	for _, r := range s {
		if d, ok := digit[r]; ok {
			if seenDigit && cur > 0 {
				cur = cur*10 + d // 一二三, 二〇二五: digit by digit
			} else {
				cur = d
			}
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
