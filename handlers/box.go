package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
)

// box answers "科创能力提升行动专栏有哪些项目": the items of the 专栏 whose
// title the question names.
func (h *Handler) box(q *query) (Reply, bool) {
	boxes := h.b.Contents().Boxes
	if len(boxes) == 0 {
		return Reply{}, false
	}
	core := q.f.core()
	terms := h.b.Terms(core)
	if len(terms) == 0 {
		return Reply{}, false
	}
	best, bestCov := -1, 0.0
	for i := range boxes {
		covW, _, n := h.match(h.pre.boxTerms[i], q.f.Text)
		if n >= 2 && covW > bestCov {
			best, bestCov = i, covW
		}
	}
	// The title must be nearly all there: "科创" alone names several boxes.
	if best < 0 || bestCov < 0.8 {
		return Reply{}, false
	}
	b := boxes[best]
	rep := Reply{Intent: IntentKeyword, Head: fmt.Sprintf("专栏“%s”共%d项：", b.Title, len(b.Items)), Sources: []kb.Source{b.Source},
		Cite: fmt.Sprintf("来源：专栏 %s（%s:%d）", b.Title, b.Source.File, b.Source.Line)}
	for i, it := range b.Items {
		if i == h.cfg.PageSize {
			rep.More = fmt.Sprintf("还有%d项未列出。", len(b.Items)-i)
			break
		}
		rep.Lines = append(rep.Lines, fmt.Sprintf("%d. %s", i+1, it)) // in full: the asked figure may be last
	}
	return rep, true
}

// stemUnit finds a unit named by a short form ("教育" for 教体局 via 教育局,
// "卫生" for 卫健委) in questions about who 分管 it; short forms are too
// loose to be read as units elsewhere ("交通先行" is not 交通局).
func (h *Handler) stemUnit(f *Frame) string {
	for _, s := range h.g.units {
		t := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s.text, "局"), "委"), "办")
		if t == s.text || len([]rune(t)) < 2 || strings.HasPrefix(t, "各") {
			continue
		}
		for _, top := range f.Topic {
			if strings.Contains(top, t) {
				return s.canon
			}
		}
	}
	return ""
}
