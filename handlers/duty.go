package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
)

// duties answers "金融监管局在上市联席会议里负责什么", "海晟集团在停车泊位施
// 划里负责什么": what a unit must do under the notices (kb.Duty), narrowed
// to the notice the topic names, each duty in full.
func (h *Handler) duties(q *query) (Reply, bool) {
	if len(q.units) == 0 {
		return Reply{}, false
	}
	unit := q.units[0]
	var mine []kb.Duty
	for _, d := range h.b.Contents().Duties {
		if d.Unit == unit {
			mine = append(mine, d)
		}
	}
	if len(mine) == 0 {
		return Reply{}, false
	}
	if terms := h.b.Terms(q.f.core()); len(terms) > 0 {
		best, keep := 0.0, []kb.Duty(nil)
		for _, d := range mine {
			covW, _, _ := h.match(terms, d.Topic+d.Text)
			switch {
			case covW > best+0.01:
				best, keep = covW, []kb.Duty{d}
			case covW >= best-0.01 && covW > 0:
				keep = append(keep, d)
			}
		}
		if best < 0.5 {
			return Reply{}, false
		}
		mine = keep
	}
	rep := Reply{Intent: IntentDuty, Head: fmt.Sprintf("%s的职责（%d条）：", unit, len(mine))}
	for _, d := range mine {
		line := d.Text
		if d.Topic != "" {
			line = "【" + d.Topic + "】" + line
		}
		if d.Role != "" {
			line += "（" + d.Role + "）"
		}
		rep.Lines = append(rep.Lines, line)
		rep.Sources = append(rep.Sources, d.Source)
	}
	rep.Cite = "来源：" + sourceTitle(mine[0].Source, mine[0].Topic)
	return rep, true
}

// dutyByTopic answers "促进人口向小城镇集聚是哪些单位负责" from the duties
// of the notices when one covers the topic better than the best task
// record (score beat): every unit that has that duty.
func (h *Handler) dutyByTopic(q *query, terms []string, beat float64, beatText string) (Reply, bool) {
	ds := h.b.Contents().Duties
	for _, t := range q.f.Topic {
		if len([]rune(t)) >= 2 && !strings.Contains(h.pre.dutyText, t) {
			return Reply{}, false // no duty holds this span: skip them all
		}
	}
	best, text := 0.0, ""
	runs, glued := runsOf(q.f)
	for _, d := range ds {
		if !h.spansIn(q.f, d.Topic+d.Text) {
			continue // cheap, and most duties fail it
		}
		if !h.holdsRuns(runs, d.Topic+d.Text) || !h.holdsGlued(glued, d.Topic+d.Text) {
			continue
		}
		covW, covAll, n := h.match(terms, d.Topic+d.Text)
		if n < min(2, len(terms)) || covAll < 0.5 {
			continue
		}
		if covW > best {
			best, text = covW, d.Text
		}
	}
	// a duty holding the topic as written beats a task that does not
	if best < 0.7 || best <= beat && h.spansIn(q.f, beatText) {
		return Reply{}, false
	}
	var units []string
	var src []kb.Source
	for _, d := range ds {
		if d.Text == text && !hasName(units, d.Unit) {
			units = append(units, d.Unit)
			src = append(src, d.Source)
		}
	}
	rep := Reply{Intent: IntentDuty, Head: "负责单位：" + join(units), Lines: []string{"职责：" + text}, Sources: src}
	rep.Cite = "来源：" + sourceTitle(src[0], "")
	return rep, true
}

// spansIn reports whether every topic span of two or more characters is in
// text as written: a duty answers in place of a task only on firm ground.
func (h *Handler) spansIn(f *Frame, text string) bool {
	for _, t := range f.Topic {
		if len([]rune(t)) >= 2 && !strings.Contains(text, t) {
			return false
		}
	}
	return true
}
