package questiongen

import (
	"slices"
	"strings"
)

// synonymRows are interchangeable wordings of one ask, one row each, the
// shape of the pipeline's lexicon (one synonym per row, typed) seen from
// the outside. A question with one member rephrased by another means the same.
var synonymRows = [][]string{
	{"什么时候完成", "啥时候完成", "几时完成", "什么时候要完成"},
	{"完成时限", "截止时间", "完成期限", "时间节点"},
	{"配合单位", "协同单位", "协办单位", "配合部门"},
	{"谁牵头", "谁来牵头", "哪个牵头"},
	{"牵头领导", "牵头的领导"},
	{"哪个单位", "哪个部门", "哪家单位"},
	{"进展情况", "进度情况", "推进情况"},
	{"是什么内容", "是啥内容", "主要内容是什么"},
	{"有哪些", "都有哪些", "包括哪些"},
	{"归谁分管", "是谁分管的", "由哪位领导分管"},
	{"分管哪些", "分管的有哪些"},
	{"联系哪些", "挂钩联系哪些"},
	{"目标是多少", "目标值是多少", "要达到多少"},
	{"一共多少项", "总共有几项", "共有多少项"},
	{"重点工作", "重点任务"},
	{"有几项", "有多少项", "是几项"},
	{"负责哪些工作", "分工负责什么", "管哪些工作"},
}

// synonym rephrases base by a unit alias (when the draft names a unit) or
// by another member of a lexicon row; "" when nothing applies.
func (g *gen) synonym(d draft, base string) string {
	if d.unit != "" {
		var alts []string
		for _, a := range aliasesOf(d.unit)[1:] {
			// An alias that is the unit with a prefix only (区交通局) is a
			// weak synonym; prefer real rewordings but take it if alone.
			if a != d.unit {
				alts = append(alts, a)
			}
		}
		if len(alts) > 0 {
			a := pick(g, alts)
			return d.render(style{unit: func(string) string { return a }})
		}
	}
	type sub struct{ from, to string }
	var subs []sub
	for _, row := range synonymRows {
		for _, p := range row {
			if !strings.Contains(base, p) || clashes(base, p, row) {
				continue
			}
			for _, q := range row {
				if q != p {
					subs = append(subs, sub{p, q})
				}
			}
		}
	}
	if len(subs) == 0 {
		return ""
	}
	s := pick(g, subs)
	return strings.Replace(base, s.from, s.to, 1)
}

// clashes reports whether base holds a longer member of row containing p,
// where replacing p would garble the longer one (由谁牵头 → 由由谁牵头).
func clashes(base, p string, row []string) bool {
	return slices.ContainsFunc(row, func(q string) bool {
		return q != p && strings.Contains(q, p) && strings.Contains(base, q)
	})
}

// homophones maps a character to one a pinyin input method offers for the
// same syllable: the typo an official makes by picking the wrong candidate.
var homophones = map[rune]rune{
	'建': '见', '通': '同', '交': '教', '管': '馆', '城': '成', '商': '尚', '务': '物',
	'环': '还', '境': '镜', '政': '正', '资': '咨', '源': '原', '农': '浓', '业': '叶',
	'利': '力', '卫': '为', '健': '件', '民': '明', '财': '才', '审': '申', '计': '记',
	'统': '桶', '文': '闻', '旅': '铝', '改': '该', '科': '可', '技': '记', '工': '公',
	'信': '心', '住': '注', '保': '宝', '医': '依', '司': '思', '公': '工', '安': '按',
	'体': '提', '育': '玉', '教': '叫', '应': '英', '急': '及', '场': '常', '监': '间',
	'税': '水', '发': '法', '展': '战', '社': '设', '人': '仁', '扶': '福', '贫': '频',
	'投': '头', '融': '容', '查': '茶', '督': '都', '宣': '喧', '传': '船',
	'组': '祖', '织': '只', '编': '边', '法': '发', '院': '愿', '检': '减',
	'金': '今', '园': '元', '港': '岗', '镇': '震', '街': '接', '道': '到', '新': '心',
}

// typo misspells unit u by one homophone, never its last character (局,
// 委, 办 carry the kind of unit) and never into another known name.
func (g *gen) typo(u string) string {
	rs := []rune(u)
	var at []int
	for i, r := range rs[:max(len(rs)-1, 0)] {
		if _, ok := homophones[r]; ok {
			at = append(at, i)
		}
	}
	if len(at) == 0 || len(rs) < 3 {
		return ""
	}
	i := pick(g, at)
	rs[i] = homophones[rs[i]]
	t := string(rs)
	if g.knownName(t) {
		return ""
	}
	return t
}

// knownName reports whether s is a unit, alias or person of the base.
func (g *gen) knownName(s string) bool {
	for _, u := range g.b.Units() {
		if slices.Contains(aliasesOf(u), s) {
			return true
		}
	}
	return slices.Contains(g.allPersons, s)
}
