package textnorm

var cnDigit = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// parseCN reads a Chinese numeral below 10000 (七十六, 一百零三, 十二, 两百).
func parseCN(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	total, cur := 0, 0
	seenDigit := false
	for _, r := range s {
		if d, ok := cnDigit[r]; ok {
			if seenDigit && cur > 0 {
				cur = cur*10 + d // 一二三 read digit by digit
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
