package questiongen

import (
	"strings"

	"duban/kb"
)

// The grammar composes a question from slots — how the record is named,
// what is asked, a closing particle — each with many wordings officials
// use, drawn at random per record. Where the phrasing templates are a few
// fixed sentences a pipeline could learn by heart, the grammar yields
// thousands of combinations, so its accuracy measures understanding.
var (
	gramSubject = []string{"{ref}", "{ref}这项", "{ref}这个任务", "{ref}那条", "{ref}的"}
	gramAsk     = map[string][]string{
		"leader": {"谁牵头", "哪位领导挂帅", "牵头的领导是哪位", "是谁在牵头", "牵头人是谁",
			"由哪位领导牵头", "是哪个领导在抓", "牵头领导叫什么"},
		"unit": {"哪个单位牵头", "牵头部门是哪个", "主要由哪个局负责", "落在哪个单位头上",
			"哪个部门是牵头的", "谁是牵头单位", "归口哪个部门", "主办单位是哪家"},
		"co": {"哪些单位配合", "协同的单位有哪些", "配合部门都有谁", "还要哪些部门一起配合",
			"协办单位是哪些", "有哪些协同部门"},
		"deadline": {"截止日期是哪天", "要求啥时候完成", "时间节点是哪天", "deadline是什么时候",
			"完成期限是哪天", "要在什么时候前弄完", "什么时候到期", "时限要求是什么"},
		"text": {"具体内容是什么", "讲的是哪方面的事", "主要干什么", "任务内容发我看下", "原文怎么写的"},
		"progress": {"进度怎么样", "现在推进到哪一步了", "完成情况如何", "有什么进展",
			"进展汇报一下", "落实得怎么样了"},
	}
	gramEnd = []string{"", "？", "啊", "呢", "哈", "来着", "？谢谢"}
)

// grammarDrafts compose one question per field the record has.
func (g *gen) grammarDrafts(r kb.Record) []draft {
	refs, ok := refForms[r.Table]
	if !ok {
		return nil
	}
	var out []draft
	for _, field := range thenOrder {
		if field == "deadline" || field == "co" || field == "leader" || field == "unit" || field == "progress" {
			exp, ok := fieldExpectation(r, field)
			if !ok {
				continue
			}
			exp.Cite = cite(r.Source)
			out = append(out, draft{kind: string(r.Table), template: "grammar." + field, no: r.No, refs: refs,
				zh: g.compose(field), exp: exp})
		}
	}
	out = append(out, draft{kind: string(r.Table), template: "grammar.text", no: r.No, refs: refs,
		zh: g.compose("text"), exp: Case{Must: []string{head(r.Text, 10)}, Cite: cite(r.Source)}})
	return out
}

func (g *gen) compose(field string) string {
	s := pick(g, gramSubject)
	a := pick(g, gramAsk[field])
	if strings.HasSuffix(s, "的") && !strings.HasPrefix(a, "牵头") && !strings.HasPrefix(a, "具体") &&
		!strings.HasPrefix(a, "进度") && !strings.HasPrefix(a, "完成") && !strings.HasPrefix(a, "截止") &&
		!strings.HasPrefix(a, "时") && !strings.HasPrefix(a, "主") && !strings.HasPrefix(a, "协") && !strings.HasPrefix(a, "配合") {
		s = strings.TrimSuffix(s, "的")
	}
	return s + a + pick(g, gramEnd)
}
