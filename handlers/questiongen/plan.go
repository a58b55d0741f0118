package questiongen

import (
	"strings"
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
		out = append(out, mk("indicator", "indicator.target", askTarget, repl, Case{Must: []string{in.Target}}))
		if in.Attribute != "" {
			out = append(out, mk("indicator", "indicator.attribute", askAttribute, repl, Case{Must: []string{in.Attribute}}))
		}
		if b := clean(in.Base); b != "" && hasDigit(b) {
			out = append(out, mk("indicator", "indicator.done", askDone, repl, Case{Must: []string{b}}))
		}
	}
	for _, b := range c.Boxes {
		if len(b.Items) == 0 {
			continue
		}
		out = append(out, mk("box", "box.items", askBox, map[string]string{"{title}": b.Title},
			Case{Must: []string{head(b.Items[0], 8)}}))
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
			Case{Any: [][]string{{v + "家", v + "个", "：" + v, v + "项"}}}))
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
