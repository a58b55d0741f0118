package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
)

// people answers questions about named persons (their tasks, their
// division of labour) and the reverse: who 分管 a department or 联系 a town,
// who convenes a joint meeting.
func (h *Handler) people(q *query) (Reply, bool) {
	f := q.f
	persons := q.persons
	// 丁忠明和王一兵分别联系哪些地方: each person's answer in turn
	if len(persons) > 1 && !f.Joint && (f.hasRole("oversee", "liaise") || q.fields&fDuty != 0) {
		var parts []Reply
		for _, p := range persons {
			if l, ok := h.b.Leader(p); ok {
				parts = append(parts, h.division(q, l))
			}
		}
		if len(parts) > 0 {
			return mergeReplies(parts), true
		}
	}
	if len(q.units) > 1 && f.hasRole("oversee") {
		var parts []Reply
		for _, u := range q.units {
			parts = append(parts, h.overseers(q, u))
		}
		return mergeReplies(parts), true
	}
	if len(persons) > 0 {
		p := persons[0]
		wantsTasks := q.fields&fDuty == 0 && f.has(tagGeneric) || len(f.Tables) > 0 || q.fields&fProgress != 0 || f.hasRole("lead") && (f.List || f.Count)
		if l, ok := h.b.Leader(p); ok && !wantsTasks {
			return h.division(q, l), true
		}
		if len(h.b.ByLeader(p)) > 0 {
			return h.leaderTasks(q, p), true
		}
		if r, ok := h.memberOf(q, p); ok {
			return r, true
		}
		if l, ok := h.b.Leader(p); ok {
			return h.division(q, l), true
		}
		return Reply{}, false
	}
	if len(q.units) > 0 && f.hasRole("oversee") {
		return h.overseers(q, q.units[0]), true
	}
	if len(q.units) == 0 && f.hasRole("oversee") {
		if u := h.stemUnit(f); u != "" {
			return h.overseers(q, u), true
		}
	}
	if len(f.Towns) > 0 && f.hasRole("liaise") {
		return h.liaisons(q, f.Towns[0]), true
	}
	if f.hasRole("convener", "member") && len(h.b.Contents().Members) > 0 {
		return h.members(q), true
	}
	return Reply{}, false
}

// division answers "茅敏勇分管哪些部门", "王一兵负责哪些工作", "谁联系哪个镇".
func (h *Handler) division(q *query, l kb.Leader) Reply {
	rep := Reply{Intent: IntentDivision, Sources: []kb.Source{l.Source}}
	post := ""
	if l.Post != "" {
		post = "（" + l.Post + "）"
	}
	asksOversee := q.f.hasRole("oversee")
	asksLiaise := q.f.hasRole("liaise")
	asksAreas := !asksOversee && !asksLiaise
	// 分管哪些部门 联系哪些镇, 负责哪些工作，分管哪些部门: several parts
	// asked at once get the whole division of labour
	if asksOversee && asksLiaise || (asksOversee || asksLiaise) && (q.fields&fDuty != 0 || q.f.hasRole("lead")) {
		asksOversee, asksLiaise, asksAreas = false, false, true
	}
	switch {
	case asksOversee && len(l.Oversees) > 0:
		rep.Head = fmt.Sprintf(lbl(q.en, "%s分管：%s", "%s oversees: %s"), l.Name, join(l.Oversees))
	case asksLiaise && len(l.Liaises) > 0:
		rep.Head = fmt.Sprintf(lbl(q.en, "%s联系：%s", "%s is the liaison for: %s"), l.Name, join(l.Liaises))
	default:
		rep.Head = l.Name + post
		asksAreas = true
	}
	if asksAreas {
		if len(l.Areas) > 0 {
			rep.Lines = append(rep.Lines, "负责："+join(l.Areas))
		}
		if len(l.Oversees) > 0 {
			rep.Lines = append(rep.Lines, "分管："+join(l.Oversees))
		}
		if len(l.Liaises) > 0 {
			rep.Lines = append(rep.Lines, "联系："+join(l.Liaises))
		}
		if len(l.Assists) > 0 {
			rep.Lines = append(rep.Lines, "协助："+join(l.Assists))
		}
		if len(rep.Lines) == 0 && l.Text != "" {
			rep.Lines = append(rep.Lines, cut(l.Text, 300))
		}
	} else if post != "" {
		rep.Lines = append(rep.Lines, l.Name+post)
	}
	rep.Cite = lbl(q.en, "来源：", "Source: ") + sourceTitle(l.Source, "区政府领导同志工作分工")
	rep.Turn = &Turn{Leader: l.Name, Intent: IntentDivision}
	return rep
}

func sourceTitle(s kb.Source, fallback string) string {
	t := s.Title
	if t == "" {
		t = fallback
	}
	return fmt.Sprintf("%s（%s:%d）", t, s.File, s.Line)
}

// overseers answers "交通运输局归谁分管".
func (h *Handler) overseers(q *query, unit string) Reply {
	ls := h.b.Overseers(unit)
	if len(ls) == 0 {
		return Reply{Intent: IntentNotFound, NotFound: true,
			Head: fmt.Sprintf("领导分工中未找到分管%s的领导。", unit)}
	}
	rep := Reply{Intent: IntentOverseer}
	var who []string
	var assist []string
	for _, l := range ls {
		s := l.Name
		if l.Post != "" {
			s += "（" + l.Post + "）"
		}
		if assists(l, unit) {
			assist = append(assist, s)
		} else {
			who = append(who, s)
		}
		rep.Sources = append(rep.Sources, l.Source)
	}
	switch {
	case len(who) > 0 && len(assist) > 0:
		rep.Head = fmt.Sprintf(lbl(q.en, "%s由%s分管，%s协助分管。", "%s is overseen by %s, assisted by %s."), unit, strings.Join(who, "、"), strings.Join(assist, "、"))
	case len(who) > 0:
		rep.Head = fmt.Sprintf(lbl(q.en, "%s由%s分管。", "%s is overseen by %s."), unit, strings.Join(who, "、"))
	default:
		rep.Head = fmt.Sprintf("%s由%s协助分管。", unit, strings.Join(assist, "、"))
	}
	rep.Cite = lbl(q.en, "来源：", "Source: ") + sourceTitle(ls[0].Source, "区政府领导同志工作分工")
	return rep
}

// assists reports whether l only 协助分管 unit: it is named in one of l's
// 协助 roles. Both kinds are answered, each for what it is.
func assists(l kb.Leader, unit string) bool {
	for _, a := range l.Assists {
		if strings.Contains(a, unit) {
			return true
		}
	}
	return false
}

// liaisons answers "谁联系三星镇".
func (h *Handler) liaisons(q *query, town string) Reply {
	var who []string
	var src []kb.Source
	for _, l := range h.b.Contents().Leaders {
		for _, t := range l.Liaises {
			if t == town || strings.Contains(t, town) {
				who = append(who, l.Name)
				src = append(src, l.Source)
				break
			}
		}
	}
	if len(who) == 0 {
		return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("领导分工中未找到联系%s的领导。", town)}
	}
	return Reply{Intent: IntentDivision, Head: fmt.Sprintf(lbl(q.en, "联系%s的领导：%s", "Liaison leader for %s: %s"), town, join(who)), Sources: src,
		Cite: lbl(q.en, "来源：", "Source: ") + sourceTitle(src[0], "区政府领导同志工作分工")}
}

// members answers "联席会议召集人是谁", "联席会议有哪些成员".
func (h *Handler) members(q *query) Reply {
	ms := h.b.Contents().Members
	role := ""
	if q.f.hasRole("convener") {
		role = "召集人"
	}
	var lines []string
	var src []kb.Source
	for _, m := range ms {
		if role != "" && !strings.Contains(m.Role, role) {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s（%s）", m.Name, m.Post))
		src = append(src, m.Source)
	}
	if len(lines) == 0 {
		return Reply{Intent: IntentNotFound, NotFound: true, Head: "未找到联席会议的" + role + "。"}
	}
	body := ms[0].Body
	head := fmt.Sprintf("%s%s共%d人：", body, map[bool]string{true: "召集人", false: "成员"}[role != ""], len(lines))
	rep := Reply{Intent: IntentMembers, Head: head, Sources: src, Cite: lbl(q.en, "来源：", "Source: ") + sourceTitle(src[0], body)}
	if len(lines) > h.cfg.PageSize {
		rep.More = fmt.Sprintf("还有%d人未列出。", len(lines)-h.cfg.PageSize)
		lines = lines[:h.cfg.PageSize]
	}
	rep.Lines = lines
	return rep
}

// memberOf answers about a person who is only a joint-meeting member.
func (h *Handler) memberOf(q *query, p string) (Reply, bool) {
	for _, m := range h.b.Contents().Members {
		if m.Name == p {
			return Reply{Intent: IntentMembers, Head: fmt.Sprintf("%s：%s，%s%s。", p, m.Post, m.Body, m.Role),
				Sources: []kb.Source{m.Source}, Cite: lbl(q.en, "来源：", "Source: ") + sourceTitle(m.Source, m.Body)}, true
		}
	}
	return Reply{}, false
}

// mergeReplies joins answers about several entities into one reply, each
// answer's head a line of its own.
func mergeReplies(rs []Reply) Reply {
	if len(rs) == 1 {
		return rs[0]
	}
	out := Reply{Intent: rs[0].Intent, Head: rs[0].Head, Lines: rs[0].Lines, Cite: rs[0].Cite, Sources: rs[0].Sources}
	all := true
	for _, r := range rs[1:] {
		out.Lines = append(out.Lines, r.Head)
		out.Lines = append(out.Lines, r.Lines...)
		out.Sources = append(out.Sources, r.Sources...)
		all = all && r.NotFound
	}
	out.NotFound = rs[0].NotFound && all
	return out
}
