package handlers

import (
	"fmt"
	"regexp"
	"strings"

	"duban/kb"
)

var reNumber = regexp.MustCompile(`^[\d.]+$`)

// planAnswers answers indicator targets ("研发经费占比目标") and per-town
// quotas ("开发区十四五期间新增上市企业任务是几家").
func (h *Handler) planAnswers(q *query) (Reply, bool) {
	if r, ok := h.quota(q); ok {
		return r, true
	}
	if r, ok := h.box(q); ok {
		return r, true
	}
	return h.indicator(q)
}

// indicatorSynonyms maps everyday words to the plan's indicator names.
var indicatorSynonyms = strings.NewReplacer("gdp", "地区生产总值", "人均收入", "人均可支配收入", "寿命", "预期寿命", "研发投入", "研发经费", "r&d", "研发经费")

func (h *Handler) indicator(q *query) (Reply, bool) {
	inds := h.b.Contents().Indicators
	f := q.f
	asks := q.fields&(fTarget|fProgress) != 0 || f.Attr != "" || f.hasTable("indicator", "plan") || f.Plan > 0 || f.Count
	if len(inds) == 0 || !asks || q.fields&(fWho|fLeader|fUnit) != 0 {
		return Reply{}, false
	}
	core := indicatorSynonyms.Replace(f.core())
	terms := h.b.Terms(core)
	if len(terms) == 0 {
		return Reply{}, false
	}
	want13 := f.Plan == 13
	best, bestScore := -1, 0.0
	for i, ind := range inds {
		name := indicatorSynonyms.Replace(strings.ToLower(ind.Name)) + ind.Category
		_, n := coverage(terms, name)
		if n == 0 {
			continue
		}
		nameTerms := h.pre.indTerms[i]
		covName, _ := coverage(nameTerms, core)
		score := float64(n) + covName
		is13 := strings.Contains(ind.Source.Title, "十三五") || ind.Table == "表1"
		if is13 == want13 {
			score += 0.5
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return Reply{}, false
	}
	ind := inds[best]
	indName := indicatorSynonyms.Replace(strings.ToLower(ind.Name))
	_, n := coverage(terms, indName)
	covName, _ := coverage(h.pre.indTerms[best], core)
	if n < 2 && covName < 0.5 {
		return Reply{}, false
	}
	// a dated target of an action plan may fit better than any indicator
	// of the five-year plan: the better-covered record answers (the
	// keyword intent), never the other document's indicator
	covInd, _, _ := h.match(terms, indName+ind.Category)
	if h.bestTargetCoverage(terms) > covInd+0.05 {
		return Reply{}, false
	}
	// the question's words that indicator names use must be nearly all
	// in this one's name: 城乡养老增长率 is no indicator, though it shares
	// 城乡养老 with one and 增长率 with others
	var vocab []string
	for _, t := range terms {
		if h.pre.indVocab[t] {
			vocab = append(vocab, t)
		}
	}
	if _, cov, _ := h.match(vocab, indName+ind.Category); cov < 0.75 {
		return Reply{}, false
	}
	// an indicator is asked by its name: most of the run in one piece, the
	// everyday word (寿命) read as the name's (预期寿命)
	name := strings.ToLower(ind.Name) + ind.Category
	for _, r := range distinctRuns(f) {
		if r = strings.ToLower(r); !h.holdsPieces([]string{r}, name) && !h.holdsPieces([]string{indicatorSynonyms.Replace(r)}, name) {
			return Reply{}, false
		}
	}
	return h.indicatorReply(ind), true
}

// indicatorReply states one indicator: target, attribute, what was achieved.
func (h *Handler) indicatorReply(ind kb.Indicator) Reply {
	unit := ""
	if ind.Unit != "" {
		unit = "（" + ind.Unit + "）"
	}
	head := fmt.Sprintf("%s%s：目标 %s", ind.Name, unit, ind.Target)
	var lines []string
	if ind.Base != "" {
		// 表1 reports the 十三五 plan: its Target is the plan's goal and
		// Base what was achieved.
		lines = append(lines, "实际完成："+ind.Base)
	}
	if ind.Attribute != "" {
		head += "；" + ind.Attribute
		if !strings.HasSuffix(ind.Attribute, "性") {
			head += "指标"
		} else {
			head += "指标"
		}
	}
	if ind.Category != "" {
		lines = append(lines, "类别："+ind.Category)
	}
	return Reply{Intent: IntentIndicator, Head: head, Lines: lines, Sources: []kb.Source{ind.Source},
		Cite: "来源：" + sourceTitle(ind.Source, ind.Table)}
}

func (h *Handler) quota(q *query) (Reply, bool) {
	qs := h.b.Contents().Quotas
	if len(qs) == 0 || len(q.units) == 0 {
		return Reply{}, false
	}
	town := q.units[0]
	var mine []kb.Quota
	for _, x := range qs {
		if x.Town == town {
			mine = append(mine, x)
		}
	}
	if len(mine) == 0 {
		return Reply{}, false
	}
	core := q.f.core()
	terms := h.b.Terms(core)
	var lines []string
	var src []kb.Source
	for _, x := range mine {
		if len(terms) > 0 {
			if _, n := coverage(terms, x.Item+x.Topic); n == 0 {
				continue
			}
		}
		v := x.Value
		if reNumber.MatchString(v) && containsAny(x.Item+x.Topic, "企业", "家") {
			v += "家"
		}
		lines = append(lines, fmt.Sprintf("%s：%s", x.Item, v))
		src = append(src, x.Source)
	}
	if len(lines) == 0 {
		return Reply{}, false
	}
	topic := mine[0].Topic
	return Reply{Intent: IntentQuota, Head: fmt.Sprintf("%s（%s）", town, topic), Lines: lines, Sources: src,
		Cite: "来源：" + sourceTitle(src[0], topic)}, true
}

// bestTargetCoverage is how well the best record with dated targets (an
// action plan of the measures) covers the question's terms.
func (h *Handler) bestTargetCoverage(terms []string) float64 {
	best := 0.0
	for _, i := range h.pre.targeted {
		r := h.b.Records()[i]
		if covW, _, _ := h.match(terms, targetText(r)); covW > best {
			best = covW
		}
	}
	return best
}

// targetText is a record's section, text and dated targets, the text a
// question about its goals is matched against.
func targetText(r kb.Record) string {
	s := r.Section + r.Text
	for _, t := range r.Targets {
		s += t.Text
	}
	return s
}

// indicatorNo answers "十三五主要指标第11项是什么", "专栏3有哪些": an
// indicator or a 专栏 by its number, in the plan the question names.
func (h *Handler) indicatorNo(q *query) (Reply, bool) {
	ref := q.f.Refs[0]
	c := h.b.Contents()
	if ref.Scope == "box" {
		for _, b := range c.Boxes {
			if b.No == ref.No {
				rep := Reply{Intent: IntentKeyword, Head: fmt.Sprintf("专栏%d“%s”共%d项：", b.No, b.Title, len(b.Items)), Sources: []kb.Source{b.Source},
					Cite: fmt.Sprintf("来源：专栏 %s（%s:%d）", b.Title, b.Source.File, b.Source.Line)}
				for i, it := range b.Items {
					rep.Lines = append(rep.Lines, fmt.Sprintf("%d. %s", i+1, it))
				}
				return rep, true
			}
		}
		return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("未找到专栏%d：规划共有%d个专栏。", ref.No, len(c.Boxes))}, true
	}
	n := 0
	for _, ind := range c.Indicators {
		if q.f.Plan > 0 && !strings.Contains(ind.Source.Title, planName(q.f.Plan)) {
			continue
		}
		n++
		if ind.No == ref.No {
			return h.indicatorReply(ind), true
		}
	}
	return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("未找到第%d项指标：该指标表共%d项。", ref.No, n)}, true
}
