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
	persons := q.persons
	if len(persons) == 0 && len(q.units) == 0 && containsAny(q.q, "负责", "分管", "牵头", "联系", "任务", "工作") {
		if p := fuzzy(q.q, h.g.persons, false); p != "" {
			persons = []string{p}
		}
	}
	if len(persons) > 0 {
		p := persons[0]
		wantsTasks := containsAny(q.q, "任务", "重点工作", "实事", "项目", "牵头哪", "牵头的", "哪项", "哪几项", "进度", "task")
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
	asksOverseer := containsAny(q.q, "分管", "归谁", "谁管", "哪个副区长", "哪位副区长", "哪位区长", "哪个区长", "哪位领导管", "哪个领导管", "oversee")
	if len(q.units) > 0 && asksOverseer {
		return h.overseers(q, q.units[0]), true
	}
	if len(q.units) == 0 && strings.Contains(q.q, "分管") && containsAny(q.q, "谁", "哪位", "哪个") {
		if u := h.stemUnit(q.q); u != "" {
			return h.overseers(q, u), true
		}
	}
	if len(q.units) > 0 && containsAny(q.q, "联系") && containsAny(q.q, "谁", "哪位", "哪个") {
		return h.liaisons(q, q.units[0]), true
	}
	if containsAny(q.q, "召集人", "联席会议", "成员") && len(h.b.Contents().Members) > 0 {
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
	asksOversee := containsAny(q.q, "分管")
	asksLiaise := containsAny(q.q, "联系")
	asksAreas := !asksOversee && !asksLiaise
	switch {
	case asksOversee && len(l.Oversees) > 0:
		rep.Head = fmt.Sprintf("%s分管：%s", l.Name, join(l.Oversees))
	case asksLiaise && len(l.Liaises) > 0:
		rep.Head = fmt.Sprintf("%s联系：%s", l.Name, join(l.Liaises))
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
	rep.Cite = "来源：" + sourceTitle(l.Source, "区政府领导同志工作分工")
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
	for _, l := range ls {
		s := l.Name
		if l.Post != "" {
			s += "（" + l.Post + "）"
		}
		who = append(who, s)
		rep.Sources = append(rep.Sources, l.Source)
	}
	rep.Head = fmt.Sprintf("%s由%s分管。", unit, strings.Join(who, "、"))
	rep.Cite = "来源：" + sourceTitle(ls[0].Source, "区政府领导同志工作分工")
	return rep
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
	return Reply{Intent: IntentDivision, Head: fmt.Sprintf("联系%s的领导：%s", town, join(who)), Sources: src,
		Cite: "来源：" + sourceTitle(src[0], "区政府领导同志工作分工")}
}

// members answers "联席会议召集人是谁", "联席会议有哪些成员".
func (h *Handler) members(q *query) Reply {
	ms := h.b.Contents().Members
	role := ""
	if strings.Contains(q.q, "召集人") {
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
	rep := Reply{Intent: IntentMembers, Head: head, Sources: src, Cite: "来源：" + sourceTitle(src[0], body)}
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
				Sources: []kb.Source{m.Source}, Cite: "来源：" + sourceTitle(m.Source, m.Body)}, true
		}
	}
	return Reply{}, false
}
