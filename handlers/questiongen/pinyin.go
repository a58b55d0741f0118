package questiongen

import (
	"strings"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// pinyinName writes a Chinese name as an English question would: surname
// first, given name joined (茅敏勇 → Mao Minyong). It returns "" when a
// character has no reading in the dictionary.
func pinyinName(name string) string {
	syl := pinyin.LazyPinyin(name, pinyin.NewArgs())
	if len(syl) != utf8.RuneCountInString(name) || len(syl) < 2 {
		return ""
	}
	return title(syl[0]) + " " + title(strings.Join(syl[1:], ""))
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
