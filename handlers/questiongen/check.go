package questiongen

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Norm folds s the way the public scorer does (eval/score.py): Unicode
// NFKC, lower case, whitespace and '-' '_' removed, so that width and
// spacing never decide a match.
func Norm(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u200b', '-', '_':
			return -1
		}
		return r
	}, s)
}

// notFoundWords are the phrases by which an answer says it found nothing,
// in both languages. The list is the scorer's, so a wording the pipeline
// may choose is not held against it.
var notFoundWords = []string{
	"没有", "未找到", "找不到", "没找到", "不存在", "未查到", "查不到", "查无", "无此",
	"无相关", "未检索到", "未提及", "没有提到", "未涉及", "无法回答", "无法找到", "暂无",
	"not found", "no such", "does not exist", "doesn't exist", "no information",
	"no record", "cannot find", "can't find", "could not find", "couldn't find",
	"not mentioned", "unable to find", "no relevant", "no data", "no task",
}

// SaysNotFound reports whether answer text says nothing was found.
func SaysNotFound(answer string) bool {
	a := Norm(answer)
	for _, w := range notFoundWords {
		if strings.Contains(a, Norm(w)) {
			return true
		}
	}
	return false
}

// Check returns why answer fails c, or nil when it passes. notFound is the
// reply's own not-found flag; either it or the wording counts.
func Check(c Case, answer string, notFound bool) []string {
	a := Norm(answer)
	var why []string
	for _, s := range c.Must {
		if !strings.Contains(a, Norm(s)) {
			why = append(why, "missing "+s)
		}
	}
	for _, g := range c.Any {
		ok := false
		for _, s := range g {
			if n := Norm(s); n != "" && strings.Contains(a, n) {
				ok = true
				break
			}
		}
		if !ok {
			why = append(why, "missing one of "+strings.Join(g, "|"))
		}
	}
	for _, s := range c.MustNot {
		if n := Norm(s); n != "" && strings.Contains(a, n) {
			why = append(why, "has "+s)
		}
	}
	if len(c.ExpectNos) > 0 {
		got := MentionedNumbers(answer)
		want := map[int]bool{}
		var miss []int
		for _, n := range c.ExpectNos {
			want[n] = true
			if !got[n] {
				miss = append(miss, n)
			}
		}
		if len(miss) > 0 {
			why = append(why, fmt.Sprintf("missing task numbers %v", miss))
		}
		extra := 0
		for n := range got {
			if n >= 1 && n <= 173 && !want[n] {
				extra++
			}
		}
		if limit := max(10, 2*len(c.ExpectNos)); extra > limit {
			why = append(why, fmt.Sprintf("%d other task numbers", extra))
		}
	}
	if c.NotFound && !notFound && !SaysNotFound(answer) {
		why = append(why, "does not say not found")
	}
	return why
}

var (
	numRE   = regexp.MustCompile(`(第|#|no\.?|task|项目|任务|序号)?(\d+(?:\.\d+)?)(.?)`)
	cnNumRE = regexp.MustCompile(`第([零〇一二两三四五六七八九十百千]+)`)
)

// unitAfter are measure characters after which a number is a quantity,
// not a task number (the scorer's list).
const unitAfter = "月年日%‰万亿元亩吨米个家人座条公里辆场次件套所户台块批册名标"

// MentionedNumbers returns the integers answer mentions as task numbers,
// by the public scorer's rules.
func MentionedNumbers(answer string) map[int]bool {
	a := strings.ToLower(norm.NFKC.String(answer))
	a = strings.Join(strings.Fields(a), "")
	out := map[int]bool{}
	for _, m := range numRE.FindAllStringSubmatchIndex(a, -1) {
		num := a[m[4]:m[5]]
		if strings.Contains(num, ".") || (m[4] > 0 && a[m[4]-1] == '.') {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil {
			continue
		}
		if m[2] >= 0 {
			out[n] = true
			continue
		}
		if nxt := a[m[6]:m[7]]; nxt != "" && strings.Contains(unitAfter, nxt) {
			continue
		}
		if n >= 1900 && n <= 2100 {
			continue
		}
		out[n] = true
	}
	for _, m := range cnNumRE.FindAllStringSubmatch(a, -1) {
		if v, ok := ParseChinese(m[1]); ok {
			out[v] = true
		}
	}
	return out
}
