package questiongen

import (
	"regexp"
	"strconv"
	"strings"

	"duban/kb"
)

var (
	askTarget = []phrasing{
		{"target", "{plan}{name}目标是多少"},
		{"name_first", "{name}{plan}目标"},
		{"reach", "{plan}期间{name}要达到多少"},
	}
	askAttribute = []phrasing{
		{"which", "{plan}{name}是约束性还是预期性指标"},
		{"attr", "{name}（{plan}）指标属性"},
	}
	askDone = []phrasing{
		{"how_done", "{plan}{name}完成得怎么样"},
		{"actual", "{plan}期间{name}实际完成多少"},
	}
	askBox = []phrasing{
		{"contains", "专栏{title}包括什么"},
		{"what", "{title}专栏有哪些内容"},
	}
	askQuota = []phrasing{
		{"how_many", "{town}{item}是多少"},
		{"have", "{town}{item}任务有几家"},
	}
)

// planDrafts ask for each indicator's target, attribute and (for a
// finished plan) completion, each 专栏's contents and each town's quota.
func (g *gen) planDrafts() []draft {
	c := g.b.Contents()
	var out []draft
	mk := func(kind, template string, ps []phrasing, repl map[string]string, exp Case) draft {
		p := ps[g.rot(template, len(ps))]
		q := p.zh
		for k, v := range repl {
			q = strings.ReplaceAll(q, k, v)
		}
		return draft{kind: kind, template: template + "." + p.name, zh: q, exp: exp}
	}
	seen := map[string]int{}
	for _, in := range c.Indicators {
		seen[planOf(in.Source.Title)+in.Name]++
	}
	for _, in := range c.Indicators {
		plan := planOf(in.Source.Title)
		if plan == "" || seen[plan+in.Name] != 1 {
			continue
		}
		repl := map[string]string{"{plan}": plan, "{name}": in.Name}
		at := cite(in.Source)
		out = append(out, mk("indicator", "indicator.target", askTarget, repl, Case{Must: []string{in.Target}, Cite: at}))
		if in.Attribute != "" {
			out = append(out, mk("indicator", "indicator.attribute", askAttribute, repl, Case{Must: []string{in.Attribute}, Cite: at}))
		}
		if b := clean(in.Base); b != "" && hasDigit(b) {
			out = append(out, mk("indicator", "indicator.done", askDone, repl, Case{Must: []string{b}, Cite: at}))
		}
	}
	out = append(out, g.indicatorTableDrafts(c.Indicators)...)
	for _, b := range c.Boxes {
		if len(b.Items) == 0 {
			continue
		}
		out = append(out, mk("box", "box.items", askBox, map[string]string{"{title}": b.Title},
			Case{Must: []string{head(b.Items[0], 8)}, Cite: cite(b.Source)}))
	}
	quotas := map[string]int{}
	for _, q := range c.Quotas {
		quotas[q.Town+q.Item]++
	}
	for _, q := range c.Quotas {
		if quotas[q.Town+q.Item] != 1 || q.Value == "" {
			continue
		}
		v := clean(q.Value)
		out = append(out, mk("quota", "quota.value", askQuota, map[string]string{"{town}": q.Town, "{item}": q.Item},
			Case{Any: [][]string{{v + "家", v + "个", "：" + v, v + "项"}}, Cite: cite(q.Source)}))
	}
	return out
}

// planOf names the plan an indicator table belongs to, as officials say
// it: 十三五, 十四五.
func planOf(title string) string {
	for _, p := range []string{"十三五", "十四五", "十五五", "十二五"} {
		if strings.Contains(title, p) {
			return p
		}
	}
	return ""
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

var askIndicatorNo = []phrasing{
	{"by_no", "{plan}主要指标第{n}项是什么"},
	{"no_target", "{plan}指标第{n}个目标是多少"},
}

// indicatorTableDrafts ask for an indicator by its number in its plan's
// table (a number qualified by a table, never a key task), and how many
// indicators of each attribute a plan has.
func (g *gen) indicatorTableDrafts(ins []kb.Indicator) []draft {
	var out []draft
	attrs := map[string]int{}
	var keys []string
	for _, in := range ins {
		plan := planOf(in.Source.Title)
		if plan == "" {
			continue
		}
		p := askIndicatorNo[g.rot("indicator_no", len(askIndicatorNo))]
		exp := Case{Must: []string{in.Name}, Cite: cite(in.Source)}
		if p.name == "no_target" {
			exp.Must = []string{in.Target}
		}
		out = append(out, draft{kind: "indicator", template: "indicator.no." + p.name,
			zh: replace(replace(p.zh, "{plan}", plan), "{n}", strconv.Itoa(in.No)), exp: exp})
		k := plan + "|" + in.Attribute
		if attrs[k] == 0 {
			keys = append(keys, k)
		}
		attrs[k]++
	}
	for _, k := range keys {
		plan, attr, _ := strings.Cut(k, "|")
		if attr == "" {
			continue
		}
		n := strconv.Itoa(attrs[k])
		out = append(out, draft{kind: "count", template: "count.attribute",
			zh: plan + attr + "指标有几个", exp: Case{Any: [][]string{{n + "个", n + "项", "共" + n}}}})
	}
	return out
}

var askPlanTarget = []phrasing{
	{"target", "{plan}{year}年的目标是什么"},
	{"reach", "{plan}到{year}年要达到什么"},
}

// planTargetDrafts ask for the dated targets of each action plan, read
// from the paragraph under the plan's 目标 heading ("全市森林覆盖提升行动方案 ›
// 二、目标任务"): the answer comes from that plan, never from a five-year
// plan's indicator of a like name.
func (g *gen) planTargetDrafts() []draft {
	var out []draft
	seen := map[string]bool{}
	for _, ps := range g.b.Contents().Passages {
		parts := strings.Split(ps.Heading, " › ")
		plan, last := parts[0], parts[len(parts)-1]
		if len(parts) < 2 || !strings.Contains(last, "目标") || !strings.HasSuffix(plan, "方案") {
			continue
		}
		for _, c := range strings.FieldsFunc(ps.Text, func(r rune) bool { return r == '；' || r == '。' }) {
			m := yearRE.FindStringSubmatch(c)
			fig := figureIn(c)
			if m == nil || fig == "" || seen[plan+m[1]] {
				continue
			}
			seen[plan+m[1]] = true
			p := askPlanTarget[g.rot("plan_target", len(askPlanTarget))]
			q := replace(replace(p.zh, "{plan}", plan), "{year}", m[1])
			out = append(out, draft{kind: string(kb.Measures2019), template: "plan_target." + p.name, zh: q,
				exp: Case{Must: []string{fig}, Cite: cite(ps.Source)}})
		}
	}
	return out
}

// yearRE finds the year a target clause is dated by (到2020年底, 2019年底前).
var yearRE = regexp.MustCompile(`((?:19|20)\d\d)年`)

// figureIn returns the first figure of a target's text that is not a year
// (18%, 14标台): the part an answer quoting the target cannot leave out.
// "" when the target has none.
func figureIn(s string) string {
	for _, m := range figureRE.FindAllStringSubmatch(s, -1) {
		if m[2] == "年" || m[2] == "—" || m[2] == "-" {
			continue // 2020年, 2019—2020
		}
		return m[1]
	}
	return ""
}

// figureRE is a number with its measure word, and the character after it.
var figureRE = regexp.MustCompile(`(\d+(?:\.\d+)?(?:%|标台|人|家|亿元|万元|亿|万|亩|公里|个|条)?)(.?)`)
