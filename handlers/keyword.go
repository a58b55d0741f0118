package handlers

import (
	"fmt"
	"sort"
	"strings"

	"duban/kb"
)

// coverage is the share of terms found in text.
func coverage(terms []string, text string) (float64, int) {
	if len(terms) == 0 {
		return 0, 0
	}
	n := 0
	for _, t := range terms {
		if strings.Contains(text, t) {
			n++
		}
	}
	return float64(n) / float64(len(terms)), n
}

// match measures how well text covers a question's terms: covW weighs each
// term by how rare it is in the documents (terms no document contains are
// left out), covAll counts every term alike, n is how many were found.
func (h *Handler) match(terms []string, text string) (covW, covAll float64, n int) {
	var got, total float64
	for _, t := range terms {
		w := h.weight(t)
		found := strings.Contains(text, t)
		if found {
			n++
			got += w
		}
		total += w
	}
	if len(terms) > 0 {
		covAll = float64(n) / float64(len(terms))
	}
	if total > 0 {
		covW = got / total
	}
	return covW, covAll, n
}

// charCoverage is the share of a keyword's distinct characters that text
// contains: paraphrases keep the telling characters but lose the bigrams
// ("中天钢铁项目" for 中天绿色精品钢项目, "老年人体检" for 老人…体检).
// Each character counts by its rarity in the documents.
func (h *Handler) charCoverage(core, text string) float64 {
	seen := map[rune]bool{}
	var got, total float64
	for _, r := range core {
		if seen[r] || r < 0x4e00 {
			continue
		}
		seen[r] = true
		w := h.charWeight(r)
		total += w
		if strings.ContainsRune(text, r) {
			got += w
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// keyword answers questions about a task named by its content:
// "中天绿色精品钢项目谁负责", "反走私哪个部门管". A record is taken when it
// holds the telling part of the keyword's bigrams, or, failing that, nearly
// all of its characters.
func (h *Handler) keyword(q *query) (Reply, bool) {
	core := q.f.core()
	terms := h.b.Terms(core)
	if len(terms) == 0 {
		return Reply{}, false
	}
	recs, _ := h.b.SearchRecords(core, 40)
	coreRunes := 0
	for _, r := range core {
		if r != ' ' {
			coreRunes++
		}
	}
	recs = filterScope(q, recs)
	type cand struct {
		r     kb.Record
		score float64
	}
	var byTerms, byChars []cand
	runs, glued := runsOf(q.f)
	for _, r := range recs {
		text := targetText(r)
		covW, covAll, n := h.match(terms, text)
		if n < min(2, len(terms)) || !h.holdsRuns(runs, text) || !h.holdsGlued(glued, text) || q.fields&fTarget != 0 && !h.holdsPieces(runs, text) {
			continue
		}
		score := covW
		if len(core) >= 6 && strings.Contains(text, core) {
			score += 0.5 // the whole phrase, not just its bigrams
		}
		for _, p := range q.f.phrases {
			if len(p) >= 9 && strings.Contains(text, p) {
				score += 0.3 // the topic with its noun: 中天绿色精品钢项目
				break
			}
		}
		// a short topic (四个智能, 企业通道) is a phrase: all its pairs must be
		// in the text, else two real words glued together match anything
		short := coreRunes <= 4
		if covW >= 0.7 && covAll >= 0.5 && (!short || covAll == 1) {
			byTerms = append(byTerms, cand{r, score + h.tableBonus(r.Table)})
		} else if cc := h.charCoverage(core, text); !short && cc >= 0.7 && covAll >= 0.25 {
			byChars = append(byChars, cand{r, cc + 0.1*covAll + h.tableBonus(r.Table)})
		}
	}
	cands := byTerms
	if len(cands) == 0 {
		cands = byChars
	}
	// a duty of the notices may fit the topic better than any task
	top, topText := 0.0, ""
	if len(cands) > 0 {
		sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
		top, topText = cands[0].score, targetText(cands[0].r)
	}
	if r, ok := h.dutyByTopic(q, terms, top, topText); ok {
		return r, true
	}
	if len(cands) == 0 {
		return Reply{}, false
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	f := q.fields
	if f == 0 {
		f = fLeader | fUnit
	}
	if f&fTarget != 0 {
		f |= fText
	}
	rep := h.recordReply(q, cands[0].r, f)
	rep.Intent = IntentKeyword
	for _, c := range cands[1:min(len(cands), 4)] {
		if c.score < cands[0].score-0.2 {
			break
		}
		rep.Lines = append(rep.Lines, "另见"+h.tableLabel(c.r.Table, c.r.No, false)+"："+cut(c.r.Text, 30))
		rep.Sources = append(rep.Sources, c.r.Source)
	}
	return rep, true
}

// search is the fallback: the best cited passages, or a plain "not found"
// that names nothing the documents do not say.
func (h *Handler) search(q *query) Reply {
	core := q.f.core()
	terms := h.b.Terms(core)
	var lines []string
	var src []kb.Source
	if len(terms) > 0 {
		for _, hit := range h.b.Search(core, 20) {
			covW, covAll, n := h.match(terms, hit.Passage.Heading+hit.Passage.Text)
			// the index's best passage needs less: a long question's
			// spans hold pairs across word boundaries no text has
			need := 0.6
			if len(lines) == 0 && len(terms) >= 4 {
				need = 0.45
			}
			if covW < need || covAll < 0.5 || n < min(2, len(terms)) {
				continue
			}
			p := hit.Passage
			if h.namesOther(q.f, cut(p.Text, 120)) {
				continue
			}
			lines = append(lines, fmt.Sprintf("・%s（%s）", cut(p.Text, 120), sourceTitle(p.Source, p.Title)))
			src = append(src, p.Source)
			if len(lines) == 3 {
				break
			}
		}
	}
	if len(lines) == 0 {
		head := fmt.Sprintf("未找到与“%s”相关的内容。", cut(strings.TrimSpace(q.raw), 30))
		if q.en {
			head = "Not found: the loaded documents say nothing about this."
		}
		ex := h.examples()
		return Reply{Intent: IntentNotFound, NotFound: true, Head: head,
			Lines: []string{fmt.Sprintf("可以这样问：%d号任务谁牵头；%s牵头哪些任务；%s底前要完成哪些；发送“帮助”查看更多。", ex.no, ex.unit, ex.month)}}
	}
	head := "没有找到对应的任务记录，以下原文可能相关："
	if q.en {
		head = "No task record matches; these passages may help:"
	}
	return Reply{Intent: IntentSearch, Head: head, Lines: lines, Sources: src}
}

// goal answers "森林覆盖提升行动方案的目标是什么": the 目标任务 paragraphs of
// the plan the question names, found by heading.
func (h *Handler) goal(q *query) (Reply, bool) {
	if q.fields&(fTarget|fText) == 0 {
		return Reply{}, false
	}
	core := q.f.core()
	terms := h.b.Terms(core)
	if len(terms) == 0 {
		return Reply{}, false
	}
	var lines []string
	var src []kb.Source
	plan := ""
	best := 0.0
	// Goal paragraphs are few (a 目标任务 section per plan), so every one is
	// weighed by how well its plan's title covers the question.
	runs := distinctRuns(q.f)
	for _, g := range h.pre.goals {
		p, top := g.p, g.top
		cov, _ := coverage(terms, top)
		if cov < 0.6 || cov < best || !h.holdsRuns(runs, top+p.Text) {
			continue
		}
		if cov > best {
			best, lines, src, plan = cov, nil, nil, top
		}
		if len(lines) < 3 {
			lines = append(lines, cut(p.Text, 200))
			src = append(src, p.Source)
		}
	}
	if len(lines) == 0 {
		return Reply{}, false
	}
	return Reply{Intent: IntentKeyword, Head: plan + "的目标任务：", Lines: lines, Sources: src,
		Cite: fmt.Sprintf("来源：%s（%s:%d）", plan, src[0].File, src[0].Line)}, true
}

// tableBonus prefers the current plan's tables when two records match
// about equally well.
func (h *Handler) tableBonus(t kb.Table) float64 {
	if k := h.kindOf(t); k == kb.KindKeyTasks || k == kb.KindPeopleProjects {
		return 0.05
	}
	return 0
}

// weight is the knowledge base's weight of a term, remembered: a question
// weighs the same terms against dozens of records.
func (h *Handler) weight(t string) float64 {
	if w, ok := h.weights.Load(t); ok {
		return w.(float64)
	}
	w := h.b.Weight(t)
	h.weights.Store(t, w)
	return w
}

// charWeight is the knowledge base's weight of a character, remembered.
func (h *Handler) charWeight(r rune) float64 {
	if w, ok := h.weights.Load(r); ok {
		return w.(float64)
	}
	w := h.b.CharWeight(r)
	h.weights.Store(r, w)
	return w
}
