package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
	"duban/kb/textnorm"
)

// sectionOf returns the sections of table t a question names: by ordinal
// (第二部分: the second section in document order) or by a topic word that
// a section's heading holds (改革开放那部分).
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
		for _, n := range textnorm.Numbers(s) {
			if n.Kind == textnorm.Ordinal && n.Value >= 1 && n.Value <= len(order) {
				out = append(out, order[n.Value-1])
			}
		}
	}
	if len(out) > 0 || !q.f.has(tagGeneric) && len(q.f.Sections) == 0 {
		return out
	}
	// a topic word that is a section heading's word names that section
	for _, top := range q.f.Topic {
		if len([]rune(top)) < 2 {
			continue
		}
		for _, s := range order {
			if strings.Contains(s, top) {
				out = append(out, s)
			}
		}
	}
	return out
}

// filterSection keeps the records of the sections the question names.
func (h *Handler) filterSection(q *query, recs []kb.Record) []kb.Record {
	if len(q.f.Sections) == 0 {
		return recs
	}
	t := q.table
	if !q.scoped && len(recs) > 0 {
		t = recs[0].Table
	}
	secs := h.sectionsNamed(q, t)
	if len(secs) == 0 {
		return recs
	}
	var out []kb.Record
	for _, r := range recs {
		if hasName(secs, r.Section) {
			out = append(out, r)
		}
	}
	return out
}

// countSection answers "第二部分有多少项": the size of each named section.
func (h *Handler) countSection(q *query, tables []kb.Table) Reply {
	t := tables[0]
	secs := h.sectionsNamed(q, t)
	if len(secs) == 0 {
		return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("%s中没有%s。", h.tableName(t), strings.Join(q.f.Sections, "、"))}
	}
	rep := Reply{Intent: IntentCount}
	for _, s := range secs {
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
