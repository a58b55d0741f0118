package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban/kb"
	"duban/kb/names"
)

// The measures genre (000): a 若干措施 document whose items （一）…（二十）
// end with an inline responsibility clause, followed by action plans
// (…提升行动方案) whose items （一）… or 1. … carry clauses of their own.
//
// A record is an item that carries a responsibility clause, or an item
// without one that is not the heading of numbered sub-items (it is kept
// and warned about). Numbering: No counts the records of the document in
// order, so the measures of the 若干措施 come first and No 3 is its
// （三） — "第3条措施谁牵头" asks for it. The action plans' items continue
// the count (21, 22, …) with the plan's title as Section and their ordinal
// within the plan as Source.Row, so (table, no) stays a unique key for
// lookups and reminder ledgers. For the 若干措施, Section is the heading
// 一、更大力度实施兜底保障 above the measure and Row equals No.

// measYearDefault is the plan year of the seed document (dated 2019年10月24日),
// used for 今年 when a document carries no date line.
const measYearDefault = 2019

var (
	// reMeasItem matches a measure: "（三）全力改善农民住房条件。…".
	reMeasItem = regexp.MustCompile(`^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$`)
	// reMeasSub matches a numbered sub-item "1.发挥统领型政策作用。…"; the
	// digit after the dot is excluded so "1.5万亩" is not an item.
	reMeasSub = regexp.MustCompile(`^(\d{1,3})\s*[.．、]\s*([^\d].*)?$`)
	// reMeasSection matches a section heading "一、更大力度实施兜底保障".
	reMeasSection = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	// reMeasDate is the date line under the issuers: "2019年10月24日".
	reMeasDate = regexp.MustCompile(`^(20\d\d)年\d{1,2}月\d{1,2}日$`)
	// reMeasRole finds the role words of a clause, longest first.
	reMeasRole = regexp.MustCompile(`按照?(?:职责|责任)分工(?:负责|落实)|牵头负责|牵头|配合|落实|负责`)
)

func isMeasures(d *Document) bool {
	n := 0
	for _, l := range d.Lines {
		if _, c, ok := trailingClause(strings.TrimSpace(l)); ok && (strings.Contains(c, "牵头") || strings.Contains(c, "分工")) {
			n++
		}
	}
	return n >= 3
}

// A measItem is one （n） or n. paragraph before it becomes a record.
type measItem struct {
	line    int
	sub     bool // a "1." item under a （n） item
	n       int  // its printed number
	text    string
	part    int // 0: the 若干措施; k: the k-th action plan
	section string
}

func extractMeasures(d *Document) kb.Contents {
	var c kb.Contents
	year, dated := measYear(d)
	mainTitle := kb.TableTitle[kb.Measures2019]
	titles := []string{mainTitle} // by part
	warn := func(line int, title string, format string, a ...any) {
		c.Warnings = append(c.Warnings, kb.Warning{
			Source: kb.Source{File: d.File, Line: line, Title: title},
			Msg:    fmt.Sprintf(format, a...),
		})
	}
	if !dated {
		warn(0, mainTitle, "no date line found; 今年 taken as %d", year)
	}
	var items []measItem
	section := ""
	joinable := false // the previous line was an item without its clause yet
	for i, raw := range d.Lines {
		t := measTrim(raw)
		part := len(titles) - 1
		switch {
		case t == "":
			joinable = false
			continue
		case isMeasTitle(t, "措施") && part == 0:
			if p := prevNonBlank(d.Lines, i, 1); isMeasFragment(p) {
				t = p + t
			}
			titles[0] = t
		case isMeasTitle(t, "方案"):
			if p := prevNonBlank(d.Lines, i, 0); isMeasFragment(p) {
				t = p + t
			}
			titles = append(titles, t)
			section = ""
		case reMeasSection.MatchString(t):
			if part == 0 {
				section = t
			}
		case reMeasItem.MatchString(t):
			m := reMeasItem.FindStringSubmatch(t)
			items = append(items, measItem{line: i + 1, n: measNumeral(m[1]), text: m[2], part: part, section: section})
			_, _, done := trailingClause(t)
			joinable = !done
			continue
		case reMeasSub.MatchString(t):
			m := reMeasSub.FindStringSubmatch(t)
			n, _ := strconv.Atoi(m[1])
			items = append(items, measItem{line: i + 1, sub: true, n: n, text: m[2], part: part, section: section})
			_, _, done := trailingClause(t)
			joinable = !done
			continue
		case joinable:
			// A paragraph wrapped onto the next line: its clause comes later.
			it := &items[len(items)-1]
			it.text += t
			_, _, done := trailingClause(it.text)
			joinable = !done
			continue
		}
		joinable = false
	}
	c.Records = measRecords(d.File, items, titles, year, warn)
	return c
}

// measRecords numbers the items and turns them into records; see the
// numbering comment at the top of this file.
func measRecords(file string, items []measItem, titles []string, year int, warn func(int, string, string, ...any)) []kb.Record {
	var recs []kb.Record
	no := 0
	rowInPart := map[int]int{}
	lastTop := map[int]int{} // last （n） per part
	lastSub := 0
	for i, it := range items {
		title := titles[it.part]
		if it.sub {
			if it.n != lastSub+1 {
				warn(it.line, title, "item %d. follows %d.", it.n, lastSub)
			}
			lastSub = it.n
		} else {
			if it.n != lastTop[it.part]+1 {
				warn(it.line, title, "item （%s） follows （%s）", measChinese(it.n), measChinese(lastTop[it.part]))
			}
			lastTop[it.part] = it.n
			lastSub = 0
		}
		text, clause, hasClause := trailingClause(it.text)
		if !hasClause {
			text = it.text
			// "（一）严格落实三类政策" heads the 1. 2. 3. items below it.
			if !it.sub && i+1 < len(items) && items[i+1].sub && items[i+1].part == it.part {
				continue
			}
		}
		no++
		rowInPart[it.part]++
		section := it.section
		if it.part > 0 {
			section = title
		}
		r := kb.Record{
			Doc: file, Table: kb.Measures2019, Section: section, No: no,
			Text:        strings.TrimSpace(text),
			LeadLeaders: []string{}, LeadUnits: []string{}, CoUnits: []string{}, Inherited: []string{},
			Source: kb.Source{File: file, Line: it.line, Title: title, Row: rowInPart[it.part]},
		}
		if !hasClause {
			warn(it.line, title, "measure %d has no responsibility clause", no)
		} else {
			resp := parseClause(clause)
			r.LeadUnits, r.CoUnits, r.Implementers = resp.lead, resp.co, resp.impl
			if len(r.LeadUnits) == 0 {
				warn(it.line, title, "measure %d: no unit in clause %q", no, clause)
			}
		}
		r.Targets = measTargets(r.Text, year)
		setMeasDue(&r)
		recs = append(recs, r)
	}
	return recs
}

// setMeasDue sets Due to the end of the latest target year: a measure is
// done when its last dated target is met ("今年底…；到2020年底…" → 2020-12-31).
func setMeasDue(r *kb.Record) {
	best := -1
	for i, t := range r.Targets {
		if best < 0 || t.Year > r.Targets[best].Year {
			best = i
		}
	}
	if best < 0 {
		return
	}
	r.Due = kb.NewDate(r.Targets[best].Year, 12, 31)
	r.DeadlineText = measPhrase(r.Targets[best].Text)
}

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
		if u = names.Unit(u); u != "" {
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
	return measYearDefault, false
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
