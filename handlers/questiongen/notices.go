package questiongen

import (
	"regexp"
	"strings"
)

var (
	askDutyUnits = []phrasing{
		{"which_units", "{item}是哪些单位负责"},
		{"who", "{item}由谁负责"},
	}
	askUnitDuty = []phrasing{
		{"what", "{unit}在{topic}里负责什么"},
		{"duty", "{topic}中{unit}的职责是什么"},
	}
	askPhase = []phrasing{
		{"when", "{topic}的{phase}是什么时候"},
		{"time", "{phase}从什么时候到什么时候"},
	}
)

// itemNoRE strips the "4." or "（三）" that numbers a duty item.
var itemNoRE = regexp.MustCompile(`^(\d+[.．、]|（[一二三四五六七八九十]+）)`)

// noticeDrafts ask about the duty lists and phases of the notices: which
// units carry out an item, what one unit must do, when a phase runs.
func (g *gen) noticeDrafts() []draft {
	c := g.b.Contents()
	var out []draft
	byText := map[string][]string{}
	var texts []string
	pairs := map[string]int{}
	for _, d := range c.Duties {
		if byText[d.Text] == nil {
			texts = append(texts, d.Text)
		}
		byText[d.Text] = append(byText[d.Text], d.Unit)
		pairs[d.Unit+"|"+d.Topic]++
	}
	for _, t := range texts {
		us := byText[t]
		item := itemNoRE.ReplaceAllString(t, "")
		if i := strings.Index(item, "。"); i > 0 {
			item = item[:i]
		}
		n := len([]rune(item))
		if len(us) < 2 || n < 5 || n > 20 || !strings.Contains(g.corpus, item) {
			continue
		}
		p := askDutyUnits[g.rot("duty_units", len(askDutyUnits))]
		out = append(out, draft{kind: "duty", template: "duty.units." + p.name,
			zh: replace(p.zh, "{item}", item), exp: Case{Any: unitGroups(us, 3)}})
	}
	for _, d := range c.Duties {
		if pairs[d.Unit+"|"+d.Topic] != 1 || len(byText[d.Text]) != 1 || isCollective(d.Unit) {
			continue
		}
		p := askUnitDuty[g.rot("unit_duty", len(askUnitDuty))]
		q := replace(p.zh, "{topic}", shortTopic(d.Topic))
		out = append(out, draft{kind: "duty", template: "duty.unit." + p.name, zh: q, unit: d.Unit,
			exp: Case{Must: []string{head(itemNoRE.ReplaceAllString(d.Text, ""), 8)}, Cite: cite(d.Source)}})
	}
	for _, ph := range c.Phases {
		if ph.From == "" {
			continue
		}
		p := askPhase[g.rot("phase", len(askPhase))]
		q := replace(replace(p.zh, "{topic}", shortTopic(ph.Topic)), "{phase}", ph.Name)
		out = append(out, draft{kind: "phase", template: "phase." + p.name, zh: q,
			exp: Case{Must: []string{clean(ph.From)}, Cite: cite(ph.Source)}})
	}
	return out
}

// shortTopic names a notice as officials do: without 《》, a leading 关于
// and the kind of document (工作方案, 实施意见) at its end.
func shortTopic(t string) string {
	t = strings.TrimPrefix(strings.Trim(t, "《》“”"), "关于")
	for _, s := range []string{"工作方案", "实施方案", "的实施意见", "实施意见", "的通知"} {
		t = strings.TrimSuffix(t, s)
	}
	return t
}
