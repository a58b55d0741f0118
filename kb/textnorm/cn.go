package textnorm

import "duban/kb/numerals"

// parseCN reads a Chinese numeral below 10000 (七十六, 一百零三, 十二, 两百,
// 一二三 digit by digit); the reading itself is kb/numerals'.
func parseCN(s string) (int, bool) {
	if s == "" || s[0] < 0x80 {
		return 0, false // Arabic is not a Chinese numeral
	}
	return numerals.Parse(s)
}
