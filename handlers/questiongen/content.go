package questiongen

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"duban/kb"
)

// quantityRE finds a quantity inside a task's text: a number glued to a
// measure word (420个, 150条, 65周岁). A question quoting it names the
// task by its content; reading the number as a task reference is the
// failure this template catches.
var quantityRE = regexp.MustCompile(`\d+(?:\.\d+)?(?:个|条|家|座|所|万人|人次|人|亩|公里|米|周岁|项|件|台|块|套|场|批|户|座)`)

var askQuantity = []phrasing{
	{"which_unit", "{topic}是哪个单位牵头"},
	{"who", "{topic}谁负责"},
}

// quantityDrafts ask about a task by a clause holding a quantity, expecting
// its lead unit and never the lead unit of the task whose number the
// quantity spells.
func (g *gen) quantityDrafts(r kb.Record) []draft {
	if len(r.LeadUnits) == 0 || (r.Table != kb.KeyTasks && r.Table != kb.PeopleProjects) {
		return nil
	}
	for _, c := range clauses(r.Text) {
		m := quantityRE.FindStringIndex(c)
		n := len([]rune(c))
		if m == nil || n < 6 || n > 20 || !g.uniqueInRecords(c) {
			continue
		}
		num, _ := strconv.Atoi(c[m[0] : m[0]+countDigits(c[m[0]:])])
		exp := Case{Any: unitGroups(r.LeadUnits, 2)}
		if o, ok := g.b.Task(kb.KeyTasks, num); ok && o.No != r.No {
			for _, u := range o.LeadUnits {
				if !isCollective(u) && !contains(r.LeadUnits, u) && !contains(r.CoUnits, u) && !strings.Contains(r.Text, u) {
					exp.MustNot = append(exp.MustNot, u)
				}
			}
		}
		exp.Cite = cite(r.Source)
		p := askQuantity[g.rot("quantity", len(askQuantity))]
		return []draft{{kind: string(r.Table), template: "content_number." + p.name,
			zh: strings.ReplaceAll(p.zh, "{topic}", c), exp: exp}}
	}
	return nil
}

func countDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// digitRunRE finds whole numbers (not decimals) in a question's content.
var digitRunRE = regexp.MustCompile(`\d+(?:\.\d+)?`)

// chineseContent writes the integers inside a question's content in
// Chinese numerals (65周岁 → 六十五周岁), as officials who type by voice
// or by habit do; decimals and years stay as they are.
func chineseContent(q string) string {
	return digitRunRE.ReplaceAllStringFunc(q, func(s string) string {
		n, err := strconv.Atoi(s)
		if err != nil || n >= 1900 && n <= 2100 || n >= 10000 {
			return s
		}
		return Chinese(n)
	})
}

var askTwoFields = []phrasing{
	{"who_when", "{ref}谁牵头，什么时候完成"},
	{"when_who", "{ref}什么时候完成 谁牵头的"},
	{"unit_co", "{ref}牵头单位和配合单位分别是哪些"},
}

// twoFieldDrafts ask for two fields of one record at once: both must be in
// the answer.
func (g *gen) twoFieldDrafts(r kb.Record) []draft {
	refs, ok := refForms[r.Table]
	if !ok || r.Table == kb.Nantong2019 {
		return nil
	}
	p := askTwoFields[g.rot("two_fields"+string(r.Table), len(askTwoFields))]
	exp := Case{}
	switch p.name {
	case "unit_co":
		if len(r.LeadUnits) == 0 || len(r.CoUnits) == 0 {
			return nil
		}
		exp.Any = append(unitGroups(r.LeadUnits, 2), unitGroups(r.CoUnits, 2)...)
	default:
		ps := persons(r.LeadLeaders)
		dt := clean(r.DeadlineText)
		if len(ps) == 0 || dt == "" {
			return nil
		}
		exp.Must = ps
		exp.Any = [][]string{{dt, r.Due.ISO()}}
	}
	exp.Cite = cite(r.Source)
	return []draft{{kind: string(r.Table), template: "two_fields." + p.name, zh: p.zh, no: r.No, refs: refs, exp: exp}}
}

// filterDrafts ask for a leader's tasks due by the end of a month: the
// answer lists the intersection, or says there is none, never all of the
// leader's tasks.
func (g *gen) filterDrafts() []draft {
	var out []draft
	byLeader := map[string][]kb.Record{}
	var leaders []string
	for _, r := range g.b.Records() {
		if r.Table != kb.KeyTasks {
			continue
		}
		for _, p := range persons(r.LeadLeaders) {
			if byLeader[p] == nil {
				leaders = append(leaders, p)
			}
			byLeader[p] = append(byLeader[p], r)
		}
	}
	months := map[int]bool{}
	for _, r := range g.b.Records() {
		if r.Table == kb.KeyTasks && r.Due != nil && r.Due.Month() != 12 {
			months[int(r.Due.Month())] = true
		}
	}
	ms := make([]int, 0, len(months))
	for m := range months {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	for _, p := range leaders {
		for _, m := range ms {
			var nos []int
			// "8月底前到期" is due by the end of August: a task due in
			// June is in it too.
			for _, r := range byLeader[p] {
				if r.Due != nil && int(r.Due.Month()) <= m && r.Qualifier == "" {
					nos = append(nos, r.No)
				}
			}
			exp := Case{ExpectNos: nos}
			if len(nos) == 0 {
				// None due that month: say so, and list none of the
				// leader's other tasks.
				exp.Any = [][]string{{"没有"}}
				for _, r := range firstRecords(byLeader[p], 3) {
					exp.MustNot = append(exp.MustNot, "第"+strconv.Itoa(r.No)+"项")
				}
			}
			out = append(out, draft{kind: "list", template: "filter.leader_month",
				zh: p + "牵头的重点工作里" + strconv.Itoa(m) + "月底前到期的有哪些", exp: exp})
		}
	}
	return out
}

func firstRecords(rs []kb.Record, n int) []kb.Record {
	if len(rs) > n {
		return rs[:n]
	}
	return rs
}
