package handlers

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban/kb"
	"duban/kb/names"
	"duban/kb/numerals"
)

var reMention = regexp.MustCompile(`@\S+\s+|@\S+$`)

// Task numbers: Arabic (full-width already folded) or Chinese numerals,
// with or without 第/号/项/任务. A number glued to a unit of measure or time
// (8月, 2019年, 6.5%) is not a task number.
var (
	reNumArabic = regexp.MustCompile(`(第|任务|task|tasks|project|item|no\.?|#|实事|南通|项目)?\s*(\d{1,4})\s*(号|项|件|条|个)?`)
	reNumCN     = regexp.MustCompile(`(第|任务|实事)([零〇一二两三四五六七八九十百]+)|([零〇一二两三四五六七八九十百]+)(号|项|件)`)
)

// notTaskAfter are characters that, right after a number, make it a
// quantity or a date rather than a task number.
const notTaskAfter = "月年日天周%万亿个元人岁公里亩家.点时分期届五"

// taskNumbers returns the task numbers a question names, in order.
func taskNumbers(q string) []int {
	var out []int
	seen := map[int]bool{}
	add := func(n, at int) {
		if n >= 0 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
		_ = at
	}
	type hit struct{ n, at int }
	var hits []hit
	for _, m := range reNumArabic.FindAllStringSubmatchIndex(q, -1) {
		num, _ := strconv.Atoi(q[m[4]:m[5]])
		prefix := m[2] >= 0
		suffix := m[6] >= 0
		end := m[5]
		if !suffix {
			rest := strings.TrimLeft(q[end:], " ")
			if r, _ := utf8.DecodeRuneInString(rest); r != utf8.RuneError && strings.ContainsRune(notTaskAfter, r) {
				continue
			}
		}
		if m[4] > 0 && (q[m[4]-1] == '.' || q[m[4]-1] >= '0' && q[m[4]-1] <= '9') {
			continue
		}
		if before := q[:m[0]]; !prefix && (strings.HasSuffix(before, "表") || strings.HasSuffix(before, "附件") || strings.HasSuffix(before, "专栏") || strings.HasSuffix(before, "图")) {
			continue // 表1, 附件2: a table, not a task
		}
		if num >= 1900 && num <= 2100 && !prefix {
			continue // a year
		}
		if strings.HasPrefix(q[m[4]:], "2019") && !suffix {
			continue
		}
		hits = append(hits, hit{num, m[0]})
	}
	for _, m := range reNumCN.FindAllStringSubmatchIndex(q, -1) {
		var s string
		if m[4] >= 0 {
			s = q[m[4]:m[5]]
		} else {
			s = q[m[6]:m[7]]
		}
		if strings.HasPrefix(s, "十四") || strings.HasPrefix(s, "十三") && strings.Contains(q, "十三五") {
			continue // 十四五 规划
		}
		if n, ok := numerals.Parse(s); ok {
			hits = append(hits, hit{n, m[0]})
		}
	}
	// A question that is only a Chinese numeral ("七十六") names a task.
	if len(hits) == 0 {
		if n, ok := numerals.Parse(strings.TrimRight(q, "?？!！。 ")); ok && n > 0 {
			hits = append(hits, hit{n, 0})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	for _, h := range hits {
		add(h.n, h.at)
	}
	return out
}

// scope is the table a question is about, if it says.
func scope(q string) (kb.Table, bool) {
	if containsAny(q, "都算", "全部表", "所有表", "各表") {
		return kb.KeyTasks, false
	}
	n := 0
	// "南通2019年重点工作" names one table: 重点工作 is part of its name.
	for _, words := range [][]string{{"实事", "民生"}, {"重点工作", "重点任务", "南通"}, {"补短板", "措施"}} {
		if containsAny(q, words...) {
			n++
		}
	}
	if n > 1 {
		return kb.KeyTasks, false // "重点工作和实事都算": every table
	}
	switch {
	case containsAny(q, "实事", "民生", "为民办", "livelihood", "people's", "people’s", "people project") ||
		strings.Contains(q, "project") && !strings.Contains(q, "key task"):
		return kb.PeopleProjects, true
	case containsAny(q, "南通", "nantong") || strings.Contains(q, "2019") && containsAny(q, "第", "项", "进展"):
		return kb.Nantong2019, true
	case containsAny(q, "补短板", "措施", "行动方案", "提升行动", "measure"):
		return kb.Measures2019, true
	case containsAny(q, "重点工作", "重点任务", "key task", "市政府工作"):
		return kb.KeyTasks, true
	}
	return kb.KeyTasks, false
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// gazetteer finds unit and person names in a question. It is built once
// per knowledge base from the names the documents use plus the curated
// aliases of package names.
type gazetteer struct {
	units   []surface // longest first
	persons []surface
	towns   map[string]bool
}

type surface struct {
	text  string // as it may appear in a question
	canon string
}

func newGazetteer(b *kb.Base) *gazetteer {
	g := &gazetteer{towns: map[string]bool{}}
	seen := map[string]bool{}
	addUnit := func(s, c string) {
		if s == "" || seen[s] || utf8.RuneCountInString(s) < 2 {
			return
		}
		seen[s] = true
		g.units = append(g.units, surface{s, c})
	}
	for _, u := range b.Units() {
		for _, a := range names.Aliases(u) {
			addUnit(a, u)
			if utf8.RuneCountInString(a) >= 3 && !names.IsCollective(a) {
				addUnit("市"+a, u)
				addUnit("区"+a, u)
			}
		}
		if strings.HasSuffix(u, "镇") || strings.HasSuffix(u, "区") || strings.HasSuffix(u, "园区") {
			g.towns[u] = true
		}
	}
	for _, l := range b.Contents().Leaders {
		for _, t := range l.Liaises {
			g.towns[t] = true
			addUnit(t, t)
		}
	}
	for _, q := range b.Contents().Quotas {
		g.towns[q.Town] = true
		addUnit(q.Town, q.Town)
	}
	for _, p := range b.Persons() {
		if !names.IsCollective(p) && utf8.RuneCountInString(p) >= 2 && utf8.RuneCountInString(p) <= 4 {
			g.persons = append(g.persons, surface{p, p})
		}
	}
	byLen := func(s []surface) {
		sort.SliceStable(s, func(i, j int) bool { return len(s[i].text) > len(s[j].text) })
	}
	byLen(g.units)
	byLen(g.persons)
	return g
}

// find returns the canonical names of surfaces found in q, longest match
// first, without overlaps, in order of appearance.
func find(q string, ss []surface) []string {
	type hit struct {
		at    int
		canon string
	}
	var hits []hit
	taken := make([]bool, len(q))
	for _, s := range ss {
		from := 0
		for {
			i := strings.Index(q[from:], s.text)
			if i < 0 {
				break
			}
			i += from
			free := true
			for k := i; k < i+len(s.text); k++ {
				if taken[k] {
					free = false
					break
				}
			}
			if free {
				for k := i; k < i+len(s.text); k++ {
					taken[k] = true
				}
				hits = append(hits, hit{i, s.canon})
			}
			from = i + len(s.text)
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.canon] {
			seen[h.canon] = true
			out = append(out, h.canon)
		}
	}
	return out
}

// fuzzy finds a surface of three or more characters that appears in q with
// one character wrong (a typo such as 周国强 → 周国墙), when no exact name did.
func fuzzy(q string, ss []surface, keepLast bool) string {
	rq := []rune(q)
	for _, s := range ss {
		rs := []rune(s.text)
		if len(rs) < 3 || names.IsCollective(s.text) {
			continue
		}
		for i := 0; i+len(rs) <= len(rq); i++ {
			diff := 0
			for k := range rs {
				if rq[i+k] != rs[k] {
					diff++
					if diff > 1 {
						break
					}
				}
			}
			// The last character of a unit (局, 委, 办) says what kind of
			// office it is: a different one there names another office,
			// while 交通居 is a typo.
			last := rq[i+len(rs)-1]
			window := string(rq[i : i+len(rs)])
			after := string(rq[i+len(rs):])
			if diff == 1 && (!keepLast || last == rs[len(rs)-1] || !strings.ContainsRune("局委办院部队所站会司团区镇", last)) &&
				!strings.ContainsAny(window, "谁哪什么啥的了吗呢") &&
				(!keepLast || hasRoleAfter(after)) {
				return s.canon
			}
		}
	}
	return ""
}

// hasRoleAfter reports whether a unit name is followed by what a unit does
// in a question ("交通居牵头哪些"), so a fuzzy match is the subject, not a
// chance look-alike inside other words ("科创能力" is not 科创办).
func hasRoleAfter(s string) bool {
	for _, p := range []string{"牵头", "负责", "配合", "协同", "参与", "的任务", "的重点", "有哪些", "有什么", "还有"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
