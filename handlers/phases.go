package handlers

import (
	"fmt"

	"duban/kb"
)

// phases answers "停车泊位施划分几个阶段": the dated stages of the campaign
// the topic names, each with its dates.
func (h *Handler) phases(q *query) (Reply, bool) {
	ps := h.b.Contents().Phases
	terms := h.b.Terms(q.f.core())
	if len(ps) == 0 || len(terms) == 0 {
		return Reply{}, false
	}
	best, topic := 0.0, ""
	for _, p := range ps {
		if covW, _, _ := h.match(terms, p.Topic+p.Name+p.Text); covW > best {
			best, topic = covW, p.Topic
		}
	}
	if best < 0.6 {
		return Reply{}, false
	}
	var mine []kb.Phase
	for _, p := range ps {
		if p.Topic == topic {
			mine = append(mine, p)
		}
	}
	rep := Reply{Intent: IntentKeyword, Head: fmt.Sprintf("%s分%d个阶段：", topic, len(mine))}
	for _, p := range mine {
		when := p.From
		if p.To != "" {
			when += "—" + p.To
		}
		rep.Lines = append(rep.Lines, fmt.Sprintf("%s（%s）：%s", p.Name, when, cut(p.Text, 120)))
		rep.Sources = append(rep.Sources, p.Source)
	}
	rep.Cite = "来源：" + sourceTitle(mine[0].Source, topic)
	return rep, true
}
