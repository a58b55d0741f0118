package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban/kb"
	"duban/kb/names"
)

// Responsibility clauses and dated targets of the measures genre (000).

// A responsibility is a parsed clause.
type responsibility struct{ lead, co, impl []string }

// parseClause reads a responsibility clause (without its parentheses):
// "市扶贫办牵头负责，市教育体育局、市住建局等按职责分工负责，各区镇落实".
// Units before 牵头(负责) lead; units 按职责分工负责 are co-units when the
// clause names a lead, and otherwise lead jointly: "（市住建局、市自然资源局
// 按职责分工负责）" makes both answerable for the measure, which is what an
// official asking "谁负责" expects to hear. 配合 units are co-units; units
// that 落实 (各区镇, 项目所在区镇) are implementers.
func parseClause(clause string) responsibility {
	type part struct {
		units []string
		role  string
	}
	var parts []part
	pos := 0
	hasLead := false
	for _, loc := range reMeasRole.FindAllStringIndex(clause, -1) {
		role := clause[loc[0]:loc[1]]
		parts = append(parts, part{measUnits(clause[pos:loc[0]]), role})
		hasLead = hasLead || strings.HasPrefix(role, "牵头") || role == "负责"
		pos = loc[1]
	}
	if rest := measUnits(clause[pos:]); len(rest) > 0 {
		parts = append(parts, part{rest, "负责"}) // units with no role word
		hasLead = true
	}
	var r responsibility
	seen := map[string]bool{}
	add := func(dst *[]string, us []string) {
		for _, u := range us {
			if !seen[u] {
				seen[u] = true
				*dst = append(*dst, u)
			}
		}
	}
	// Leads first, so a unit named twice keeps its strongest role.
	for _, p := range parts {
		if strings.HasPrefix(p.role, "牵头") || p.role == "负责" || (strings.Contains(p.role, "分工") && !hasLead) {
			add(&r.lead, p.units)
		}
	}
	for _, p := range parts {
		switch {
		case p.role == "配合" || strings.Contains(p.role, "分工"):
			add(&r.co, p.units)
		case p.role == "落实":
			add(&r.impl, p.units)
		}
	}
	if r.lead == nil {
		r.lead = []string{}
	}
	if r.co == nil {
		r.co = []string{}
	}
	return r
}

// measUnits splits "市教育体育局、市住建局…等" into canonical unit names.
func measUnits(s string) []string {
	var out []string
	for _, u := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,；;", r) }) {
		u = strings.TrimPrefix(names.Clean(u), "由")
		u = strings.TrimSuffix(strings.TrimSuffix(u, "等"), "等单位")
		if u = names.Written(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// trailingClause splits "…。（市民政局牵头负责）" into the text before the
// last parenthesis and the clause inside it, when the parenthesis ends the
// paragraph and names a role. Nested parentheses in unit names are kept.
func trailingClause(s string) (text, clause string, ok bool) {
	s = strings.TrimRight(s, " \t\u3000。.；;")
	if !strings.HasSuffix(s, "）") && !strings.HasSuffix(s, ")") {
		return s, "", false
	}
	depth := 0
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		switch r {
		case '）', ')':
			depth++
		case '（', '(':
			depth--
			if depth == 0 {
				_, closing := utf8.DecodeLastRuneInString(s)
				clause = s[i+size : len(s)-closing]
				if !reMeasRole.MatchString(clause) {
					return s, "", false
				}
				return s[:i], clause, true
			}
		}
	}
	return s, "", false
}

// reMeasTarget matches the time phrase that opens a dated target:
// "到2020年底", "今年底", "2019年冬—2020年冬", "2019—2020年", "下半年".
var reMeasTarget = regexp.MustCompile(`(?:今年)?下半年|(?:到|至)?(?:20\d\d年?冬?[—－\-~～至到])?(?:20\d\d|今|明)年(?:底|末|冬)?(?:前)?`)

// measTargets finds the dated targets of a measure. A target starts where a
// time phrase opens a clause (at a sentence or comma, or after 确保/力争)
// and runs to the next target or the end of the sentence. "今年" is the
// year of the document; a range counts by its last year. Phrases that only
// name a budget or a document ("2020年预算", "国家2019年药品目录") are not
// targets.
func measTargets(text string, year int) []kb.Target {
	type hit struct{ start, end, year int }
	var hits []hit
	for _, loc := range reMeasTarget.FindAllStringIndex(text, -1) {
		before, phrase, after := text[:loc[0]], text[loc[0]:loc[1]], text[loc[1]:]
		opens := before == "" || strings.HasSuffix(before, "确保") || strings.HasSuffix(before, "力争")
		if r, _ := utf8.DecodeLastRuneInString(before); strings.ContainsRune("，,；;。：:", r) {
			opens = true
		}
		for _, p := range []string{"度", "预算", "初", "的", "以来"} {
			if strings.HasSuffix(phrase, "年") && strings.HasPrefix(after, p) {
				opens = false
			}
		}
		if opens {
			hits = append(hits, hit{loc[0], loc[1], measPhraseYear(phrase, year)})
		}
	}
	var out []kb.Target
	for i, h := range hits {
		end := len(text)
		if i+1 < len(hits) {
			end = hits[i+1].start
		}
		if j := strings.IndexAny(text[h.end:end], "。；;"); j >= 0 {
			end = h.end + j
		}
		t := strings.TrimRight(text[h.start:end], "，,、 ")
		out = append(out, kb.Target{Year: h.year, Text: t})
	}
	return out
}

var reMeasYear = regexp.MustCompile(`(20\d\d|今|明)年`)

// measPhraseYear is the year a time phrase ends in.
func measPhraseYear(phrase string, year int) int {
	m := reMeasYear.FindAllStringSubmatch(phrase, -1)
	if len(m) == 0 {
		return year // 下半年
	}
	switch y := m[len(m)-1][1]; y {
	case "今":
		return year
	case "明":
		return year + 1
	default:
		n, _ := strconv.Atoi(y)
		return n
	}
}

// measPhrase is the time phrase a target's text opens with.
func measPhrase(target string) string {
	if loc := reMeasTarget.FindStringIndex(target); loc != nil && loc[0] == 0 {
		return target[:loc[1]]
	}
	return ""
}

// measYear is the document's year, from its date line "2019年10月24日".
func measYear(d *Document) (int, bool) {
	for i, l := range d.Lines {
		if i > 40 {
			break
		}
		if m := reMeasDate.FindStringSubmatch(measTrim(l)); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n, true
		}
	}
	if y, _ := docYear(d); y > 0 {
		return y, false
	}
	return 0, false
}

func measTrim(s string) string { return strings.TrimSpace(s) }

// isMeasTitle reports whether t is a title line ending in suffix:
// "全市服务业发展提升行动方案", "…补短板强弱项的若干措施".
func isMeasTitle(t, suffix string) bool {
	return strings.HasSuffix(t, suffix) && utf8.RuneCountInString(t) <= 40 &&
		!strings.ContainsAny(t, "。，,；;：:《") && !isMeasMarked(t)
}

// isMeasFragment reports whether t is the first line of a title broken in
// two ("全市执业（助理）医师队伍建设" / "提升行动方案").
func isMeasFragment(t string) bool {
	return t != "" && utf8.RuneCountInString(t) <= 30 && !strings.ContainsAny(t, "。，,；;：:0123456789") &&
		!isMeasMarked(t) && !strings.HasSuffix(t, "）")
}

func isMeasMarked(t string) bool {
	return reMeasItem.MatchString(t) || reMeasSub.MatchString(t) || reMeasSection.MatchString(t)
}

// prevNonBlank returns the line above line index i, looking past at most
// gap blank lines, trimmed; "" when there is none.
func prevNonBlank(lines []string, i, gap int) string {
	for j := i - 1; j >= 0 && j >= i-1-gap; j-- {
		if t := measTrim(lines[j]); t != "" {
			return t
		}
	}
	return ""
}

const measDigits = "一二三四五六七八九"

// measNumeral reads a Chinese numeral below 100: 三, 十, 十七, 二十, 二十一.
func measNumeral(s string) int {
	digit := func(r string) int {
		if i := strings.Index(measDigits, r); i >= 0 && len(r) == 3 {
			return i/3 + 1
		}
		return 0
	}
	before, after, ten := strings.Cut(s, "十")
	if !ten {
		return digit(s)
	}
	n := 10
	if before != "" {
		n = 10 * digit(before)
	}
	if after != "" {
		n += digit(after)
	}
	return n
}

// measChinese writes n (0 < n < 100) as a Chinese numeral, for warnings.
func measChinese(n int) string {
	if n <= 0 || n >= 100 {
		return strconv.Itoa(n)
	}
	d := func(k int) string { return measDigits[(k-1)*3 : k*3] }
	switch {
	case n < 10:
		return d(n)
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d(n-10)
	case n%10 == 0:
		return d(n/10) + "十"
	}
	return d(n/10) + "十" + d(n%10)
}
