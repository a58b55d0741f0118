package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"duban/kb"
)

// Duties of units under a notice, written three ways:
//
//	三、任务分工
//	（一）区城市管理局。负责牵头城区停车泊位规范化施划工作；…
//
//	三、工作机构及成员单位职责
//	（九）区人力资源和社会保障局、医保局：指导拟上市企业…
//
//	1.加快对外交通路网建设。…（责任单位：区交通局、住建局）

// reNoticeSection matches a top-level heading: 三、任务分工.
var reNoticeSection = regexp.MustCompile(`^\s*[一二三四五六七八九十]+、\s*(.*)$`)

// reDutyItem matches "（一）units。text" or "（一）units：text".
var reDutyItem = regexp.MustCompile(`^\s*[（(][一二三四五六七八九十]+[）)]\s*([^。：:]{2,120}?)\s*[。：:]\s*(.*)$`)

// duties reads the numbered items of 任务分工 and 职责 sections whose lead
// names units.
func (x *noticeExtractor) duties() {
	lines, first := x.body()
	section := ""
	for i, l := range lines {
		if m := reNoticeSection.FindStringSubmatch(l); m != nil {
			section = strings.TrimSpace(m[1])
			continue
		}
		if !strings.Contains(section, "分工") && !strings.Contains(section, "职责") {
			continue
		}
		if t := strings.TrimSpace(l); !strings.HasPrefix(t, "（") && !strings.HasPrefix(t, "(") {
			continue
		}
		m := reDutyItem.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		parts := splitOutsideBrackets(m[1])
		ok := len(parts) > 0
		for _, p := range parts {
			ok = ok && isUnitLike(p)
		}
		if !ok {
			continue
		}
		text := strings.TrimSpace(m[2])
		role := dutyRole(text, section)
		for _, u := range noticeUnits(m[1]) {
			x.c.Duties = append(x.c.Duties, kb.Duty{Unit: u, Role: role, Text: text, Topic: x.n.topic, Source: x.src(first + i)})
		}
	}
}

// dutyRole says how a unit takes part: 牵头 where its text says so (in its
// first clause), 配合 where it assists, else 成员单位 in a member-units
// section and 责任单位 elsewhere.
func dutyRole(text, section string) string {
	head := text
	if i := strings.IndexAny(head, "；;。"); i >= 0 {
		head = head[:i]
	}
	switch {
	case strings.Contains(head, "牵头"):
		return "牵头"
	case strings.HasPrefix(text, "配合") || strings.HasPrefix(text, "协助") || strings.HasPrefix(text, "协同"):
		return "配合"
	case strings.Contains(section, "成员单位"):
		return "成员单位"
	}
	return "责任单位"
}

// reDutyClause matches a responsibility clause: （责任单位：区交通局、住建局）,
// （牵头单位：…；配合单位：…）.
var reDutyClause = regexp.MustCompile(`^[（(]((?:责任|牵头|配合|协办|参与|主办)(?:单位|部门)[：:][^（）()]*)[）)]`)

var reDutyClauseLabel = regexp.MustCompile(`^(责任|牵头|配合|协办|参与|主办)(?:单位|部门)[：:]`)

// clauseRoles maps a clause's label to the roles duties use everywhere:
// 牵头, 配合, 责任单位 (and 成员单位 for member units).
var clauseRoles = map[string]string{"责任": "责任单位", "牵头": "牵头", "主办": "牵头", "配合": "配合", "协办": "配合", "参与": "配合"}

// clauses reads （责任单位：…） clauses. The item a clause belongs to is the
// text before it, back to the previous clause or the paragraph start.
func (x *noticeExtractor) clauses() {
	lines, first := x.body()
	for i, l := range lines {
		if !strings.Contains(l, "单位") && !strings.Contains(l, "部门") {
			continue
		}
		locs := clauseLocs(l)
		prev := 0
		for _, loc := range locs {
			item := strings.TrimSpace(strings.TrimLeft(l[prev:loc[0]], "；;。，"))
			prev = loc[1]
			inner := l[loc[2]:loc[3]]
			for _, part := range strings.FieldsFunc(inner, func(r rune) bool { return r == '；' || r == ';' }) {
				lm := reDutyClauseLabel.FindStringSubmatch(part)
				if lm == nil {
					continue
				}
				role := clauseRoles[lm[1]]
				units := noticeUnits(part[len(lm[0]):])
				if len(units) == 0 {
					x.warn(first+i, "（"+inner+"）: no unit named")
				}
				for _, u := range units {
					x.c.Duties = append(x.c.Duties, kb.Duty{Unit: u, Role: role, Text: item, Topic: x.n.topic, Source: x.src(first + i)})
				}
			}
		}
	}
}

// rePhase matches a dated stage: 摸底排查阶段（2022年1月—2022年2月）,
// 常态管理阶段（2022年9月起）, 动员部署阶段（2022年1月—2月）.
var rePhase = regexp.MustCompile(`([^\s：:，。；、（）]{2,16}阶段)[（(]\s*(\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:上旬|中旬|下旬|底|初)?)\s*(?:(?:—|－|-|–|~|～|至|到)+\s*((?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:上旬|中旬|下旬|底|初)?))?\s*(起|以后)?[）)]`)

// phases reads the dated stages of a campaign.
func (x *noticeExtractor) phases() {
	lines, first := x.body()
	for i, l := range lines {
		for _, m := range phaseLocs(l) {
			name := l[m[2]:m[3]]
			p := kb.Phase{Topic: x.n.topic, Name: name, From: l[m[4]:m[5]], Text: phaseText(l[m[1]:]), Source: x.src(first + i)}
			if m[6] >= 0 {
				p.To = l[m[6]:m[7]]
			}
			x.c.Phases = append(x.c.Phases, p)
		}
	}
}

var reNextStage = regexp.MustCompile(`第[一二三四五六七八九十\d]+阶段\s*[：:]?\s*$`)

// phaseText is what a phase line says after the dates, up to the next phase.
func phaseText(s string) string {
	s = strings.TrimLeft(strings.TrimSpace(s), "。：:，")
	if locs := phaseLocs(s); len(locs) > 0 {
		s = s[:locs[0][0]]
	}
	return strings.TrimSpace(reNextStage.ReplaceAllString(s, ""))
}

// clauseLocs returns the submatch indexes of reDutyClause in l. The
// regexp is anchored and tried at each opening bracket: scanning a long
// paragraph with an unanchored one costs a hundred times more.
func clauseLocs(l string) [][]int {
	var out [][]int
	for off := 0; off < len(l); {
		k := strings.IndexAny(l[off:], "（(")
		if k < 0 {
			break
		}
		at := off + k
		m := reDutyClause.FindStringSubmatchIndex(l[at:])
		if m == nil {
			_, w := utf8.DecodeRuneInString(l[at:])
			off = at + w
			continue
		}
		for j := range m {
			if m[j] >= 0 {
				m[j] += at
			}
		}
		out = append(out, m)
		off = m[1]
	}
	return out
}

// phaseLocs returns the submatch indexes of rePhase in l, trying the
// regexp only on a window around each "阶段" for the same reason.
func phaseLocs(l string) [][]int {
	var out [][]int
	const before, after = 16 * 4, 160 // a name of up to 16 runes; the dates
	for off := 0; off < len(l); {
		k := strings.Index(l[off:], "阶段")
		if k < 0 {
			break
		}
		at := off + k
		start := max(off, at-before)
		for start < at && !utf8.RuneStart(l[start]) {
			start++
		}
		end := min(len(l), at+after)
		for end < len(l) && !utf8.RuneStart(l[end]) {
			end++
		}
		m := rePhase.FindStringSubmatchIndex(l[start:end])
		if m == nil || start+m[3] != at+len("阶段") {
			off = at + len("阶段")
			continue
		}
		for j := range m {
			if m[j] >= 0 {
				m[j] += start
			}
		}
		out = append(out, m)
		off = m[1]
	}
	return out
}
