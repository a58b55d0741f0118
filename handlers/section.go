package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
	"duban/kb/textnorm"
)

// sectionTopics are the topic spans that name a section of a table (便捷出
// 行 for a 实事 category, 注重城乡统筹 for a part of the key tasks).
func (h *Handler) sectionTopics(f *Frame) []string {
	var out []string
	for _, t := range f.tags {
		if t.kind != tagNone {
			continue
		}
		span := strings.TrimSpace(f.Text[t.start:t.end])
		// a span marked as a part (…类, …这部分, “…”) may be a short form;
		// an unmarked one must be most of a heading
		rest := strings.TrimLeft(f.Text[t.end:], "\" ")
		marked := hasAnyPrefix(rest, sectionMarkers) || strings.HasPrefix(f.Text[t.end:], "\"")
		for _, m := range sectionMarkers {
			if s, ok := strings.CutSuffix(span, m); ok && s != "" {
				span, marked = s, true
				break
			}
		}
		n := len([]rune(span))
		if n < 2 {
			continue
		}
		for _, s := range h.pre.sections {
			if strings.Contains(s, span) && (marked || 2*n >= len([]rune(sectionCore(s)))) {
				out = append(out, span)
				break
			}
		}
	}
	return out
}

// sectionMarkers are the words that say a phrase names a part of a table.
var sectionMarkers = []string{"类", "这部分", "那部分", "部分", "方面", "板块", "领域", "这块", "那块"}

// sectionCore is a heading without its numbering: 一、交通 → 交通.
func sectionCore(s string) string {
	if i := strings.IndexAny(s, "、.．"); i >= 0 && i < 12 {
		return s[i+len("、"):]
	}
	return s
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// sectionsNamed returns the sections of table t a question names: by
// ordinal (第二部分: the second section in document order) or by words of
// its heading (改革开放那部分, “便捷出行”类).
func (h *Handler) sectionsNamed(q *query, t kb.Table) []string {
	var order []string
	seen := map[string]bool{}
	for _, r := range h.b.Records() {
		if r.Table == t && r.Section != "" && !seen[r.Section] {
			seen[r.Section] = true
			order = append(order, r.Section)
		}
	}
	var out []string
	for _, s := range q.f.Sections {
		ns := textnorm.Numbers(s)
		if len(ns) > 0 && ns[0].Kind == textnorm.Ordinal {
			if n := ns[0].Value; n >= 1 && n <= len(order) {
				out = appendName(out, order[n-1])
			}
			continue
		}
		for _, sec := range order {
			if strings.Contains(sec, s) {
				out = appendName(out, sec)
			}
		}
	}
	return out
}

func appendName(xs []string, x string) []string {
	if hasName(xs, x) {
		return xs
	}
	return append(xs, x)
}

// filterSection keeps the records of the sections the question names.
func (h *Handler) filterSection(q *query, recs []kb.Record) []kb.Record {
	if len(q.f.Sections) == 0 || len(recs) == 0 {
		return recs
	}
	secs := map[kb.Table][]string{}
	any := false
	for _, r := range recs {
		if _, ok := secs[r.Table]; !ok {
			secs[r.Table] = h.sectionsNamed(q, r.Table)
			any = any || len(secs[r.Table]) > 0
		}
	}
	if !any {
		return recs
	}
	var out []kb.Record
	for _, r := range recs {
		if hasName(secs[r.Table], r.Section) {
			out = append(out, r)
		}
	}
	return out
}

// countSection answers "第二部分有多少项", "实事里便捷出行类一共多少项": the
// size of each named section of the tables asked about.
func (h *Handler) countSection(q *query, tables []kb.Table) Reply {
	rep := Reply{Intent: IntentCount}
	for _, t := range tables {
		for _, s := range h.sectionsNamed(q, t) {
			n := 0
			var src kb.Source
			for _, r := range h.b.Records() {
				if r.Table == t && r.Section == s {
					if n == 0 {
						src = r.Source
					}
					n++
				}
			}
			rep.Lines = append(rep.Lines, fmt.Sprintf("%s“%s”共%d项。", h.tableName(t), s, n))
			rep.Sources = append(rep.Sources, src)
		}
	}
	if len(rep.Lines) == 0 {
		return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("未找到“%s”这一部分。", strings.Join(q.f.Sections, "、"))}
	}
	rep.Head, rep.Lines = rep.Lines[0], rep.Lines[1:]
	return rep
}

// jointly returns the records every one of units leads (lead) or
// co-operates on: "A和B共同牵头的任务".
func (h *Handler) jointly(units []string, lead bool) []kb.Record {
	var out []kb.Record
	for _, r := range h.b.ByUnit(units[0], lead) {
		all := true
		for _, u := range units[1:] {
			if !hasName(r.LeadUnits, u) && !(lead == false && hasName(r.CoUnits, u)) {
				all = false
				break
			}
		}
		if all {
			out = append(out, r)
		}
	}
	return out
}

// sectionList answers "社会保障类的实事都是谁牵头", "第二部分有哪些任务": the
// records of the named sections, as a list with their leaders and units.
func (h *Handler) sectionList(q *query) (Reply, bool) {
	var recs []kb.Record
	for _, r := range h.b.Records() {
		recs = append(recs, r)
	}
	recs = filterScope(q, recs)
	all := len(recs)
	recs = h.filterSection(q, recs)
	if len(recs) == 0 || len(recs) == all {
		return Reply{}, false
	}
	secs := map[string]bool{}
	var names []string
	for _, r := range recs {
		if !secs[r.Section] {
			secs[r.Section] = true
			names = append(names, "“"+r.Section+"”")
		}
	}
	return h.listReply(q, IntentUnitTasks, strings.Join(names, "、")+"的"+h.scopeTitle(q), recs, Turn{}), true
}
