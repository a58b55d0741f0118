package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
)

// countPlan answers "十四五主要指标一共多少个", "约束性指标有几个", "规划里专栏
// 一共有几个": counts over a plan's indicator tables and 专栏, filtered by
// the plan and the attribute the question names.
func (h *Handler) countPlan(q *query) (Reply, bool) {
	f := q.f
	c := h.b.Contents()
	if f.hasTable("box") && !f.hasTable("indicator") && f.Attr == "" {
		if len(c.Boxes) == 0 {
			return Reply{}, false
		}
		rep := Reply{Intent: IntentCount, Head: fmt.Sprintf("规划共有%d个专栏：", len(c.Boxes)), Sources: []kb.Source{c.Boxes[0].Source}}
		for _, b := range c.Boxes {
			rep.Lines = append(rep.Lines, fmt.Sprintf("专栏%d %s", b.No, b.Title))
		}
		return rep, true
	}
	var n int
	var src []kb.Source
	tables := map[string]int{}
	for _, ind := range c.Indicators {
		if f.Plan > 0 && !strings.Contains(ind.Source.Title, planName(f.Plan)) {
			continue
		}
		if f.Attr != "" && !strings.Contains(ind.Attribute, f.Attr) {
			continue
		}
		n++
		tables[ind.Source.Title]++
		if len(src) == 0 {
			src = append(src, ind.Source)
		}
	}
	if n == 0 {
		return Reply{}, false
	}
	what := "指标"
	if f.Attr != "" {
		what = f.Attr + "指标"
	}
	rep := Reply{Intent: IntentCount, Head: fmt.Sprintf("%s共%d个。", what, n), Sources: src}
	for t, k := range tables {
		rep.Lines = append(rep.Lines, fmt.Sprintf("%s：%d个", t, k))
	}
	rep.Cite = "来源：" + sourceTitle(src[0], "")
	return rep, true
}

// planName is how documents name a five-year plan: 十四五 for 14.
func planName(n int) string { return "十" + strings.TrimPrefix(cnNumber(n-10), "") + "五" }
