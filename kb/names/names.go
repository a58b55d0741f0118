// Package names canonicalises the unit (单位) and person names found in task
// documents: padding removed (`姜  勇` → 姜勇), administrative prefixes and
// full official names mapped to the one short name officials use
// (交通运输局, 市交通运输局, 区交通局 → 交通局).
package names

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean removes every kind of white space, including the full-width space
// documents use to pad two-character names to the width of three.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// Collectives are targets that stand for many units at once. They are kept
// as written: a task led by 各区镇 goes to every town's chat.
var Collectives = map[string]bool{
	"各区镇": true, "相关区镇": true, "各部门": true, "相关部门": true, "各有关部门": true,
	"各园区": true, "相关园区": true, "各成员单位": true, "各招商分局": true, "各市长": true,
	"各区镇（街道）": true, "各镇": true, "各区": true, "各有关单位": true, "相关单位": true,
	"各相关部门": true, "区各委办局": true, "市各委办局": true, "各委办局": true,
}

// IsCollective reports whether s names a group of units rather than one:
// 各区镇, 相关部门, 各乡镇（街道）, 县级相关部门, 各有关单位, …成员单位.
func IsCollective(s string) bool {
	s = Clean(s)
	if Collectives[s] {
		return true
	}
	// 县级相关部门, 市级有关单位: a level in front of a collective.
	if rs := []rune(s); len(rs) > 2 && rs[1] == '级' && strings.ContainsRune("省市县区镇乡", rs[0]) {
		s = string(rs[2:])
	}
	for _, p := range []string{"各", "相关", "有关", "其他相关", "其他有关"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return strings.HasSuffix(s, "成员单位")
}

// aliases maps a full or variant name (without 市/区 prefix) to the short
// canonical name the 2020 task tables use. Names that appear only in their
// full form map to themselves implicitly.
var aliases = map[string]string{
	"交通运输局":          "交通局",
	"住房和城乡建设局":       "住建局",
	"住房城乡建设局":        "住建局",
	"卫生健康委员会":        "卫健委",
	"卫生健康委":          "卫健委",
	"卫生和计划生育委员会":     "卫健委",
	"卫健局":            "卫健委",
	"教育体育局":          "教体局",
	"教育局":            "教体局",
	"市场监督管理局":        "市监局",
	"市场监管局":          "市监局",
	"场监督管理局":         "市监局", // "市" eaten as a prefix
	"场监管局":           "市监局",
	"监局":             "市监局",
	"发展和改革委员会":       "发改委",
	"发展改革委":          "发改委",
	"发改局":            "发改委",
	"文化广电和旅游局":       "文广旅局",
	"文化广电旅游局":        "文广旅局",
	"文旅局":            "文广旅局",
	"人力资源和社会保障局":     "人社局",
	"人力资源社会保障局":      "人社局",
	"农业农村局（乡村振兴局）":   "农业农村局",
	"自然资源和规划局":       "自然资源局",
	"生态环境局":          "生态环境局",
	"城市管理局":          "城管局",
	"城市管理局（综合行政执法局）": "城管局",
	"综合行政执法局":        "城管局",
	"行政审批局":          "审批局",
	"科学技术局":          "科技局",
	"医疗保障局":          "医保局",
	"地方金融监督管理局":      "金融监管局",
	"金融监督管理局":        "金融监管局",
	"金融办":            "金融监管局",
	"应急管理局":          "应急管理局",
	"应急局":            "应急管理局",
	"退役军人事务局":        "退役军人事务局",
	"政府办公室":          "政府办",
	"人民政府办公室":        "政府办",
	"机构编制委员会办公室":     "编办",
	"委编办":            "编办",
	"编委办":            "编办",
	"委宣传部":           "宣传部",
	"委组织部":           "组织部",
	"委政法委":           "政法委",
	"政法委员会":          "政法委",
	"委政法委员会":         "政法委",
	"残疾人联合会":         "残联",
	"科学技术协会":         "科协",
	"社会治理现代化指挥中心":    "社管中心",
	"公共资源交易中心":       "交易中心",
	"统计局":            "统计局",
	"税务局":            "税务局",
	"人民银行":           "人行",
	"融媒体中心":          "融媒体中心",
	"水务局":            "水利局",
	"民政局":            "民政局",
	"财政局":            "财政局",
	"司法局（依治办）":       "司法局",
	"商务局（口岸办）":       "商务局",
	"住房和城乡建设局（人防办、地震局）":          "住建局",
	"发展和改革委员会（工业和信息化局、粮食和物资储备局）": "发改委",
	"教育体育局（教育督导室）":               "教体局",
	"市场监督管理局（知识产权局）":             "市监局",
	"政府办公室（研究室、外事办、电子政务中心）":      "政府办",
	"工业和信息化局":                    "工信局",
	"审计局":                        "审计局",
	"信访局":                        "信访局",
	"公安局":                        "公安局",
	"委办公室":                       "市委办",
	"委大督查办":                      "大督查办",
	"地方金融监管局":                    "金融监管局",
	"人民检察院":                      "检察院",
	"人民法院":                       "法院",
	"政府国有资产监督管理办公室":              "国资办",
	"国有资产监督管理办公室":                "国资办",
	"中国人民银行海门支行":                 "人行",
	"人民银行海门支行":                   "人行",
	"经济技术开发区":                    "开发区",
	// Spellings counties use (the national abbreviations officials say).
	"发展和改革局":      "发改委",
	"发展改革局":       "发改委",
	"卫生健康局":       "卫健委",
	"卫生和健康委员会":    "卫健委",
	"大数据管理局":      "数据局",
	"数据资源管理局":     "数据局",
	"政务服务管理办公室":   "政务办",
	"政务服务管理局":     "政务办",
	"机关事务管理局":     "机关事务局",
	"国有资产监督管理委员会": "国资委",
	"经济和信息化局":     "经信局",
	"文化和旅游局":      "文广旅局",
	"文化广电体育和旅游局":  "文广旅局",
	"人民防空办公室":     "人防办",
	"供销合作社联合社":    "供销社",
	"妇女联合会":       "妇联",
	"工商业联合会":      "工商联",
	"城市管理行政执法局":   "城管局",
	"城市管理和综合执法局":  "城管局",
	"自然资源和规划分局":   "自然资源局",
	"自然资源局":       "自然资源局",
	"农业农村局":       "农业农村局",
	"海门经济技术开发区":   "开发区",
}

// keepAfterPrefix lists how names continue when a leading 市/区/县 is part
// of the word itself: 区域治理…, 市场监管…, 市民中心, 县级相关部门.
var keepAfterPrefix = []string{"域", "场", "民中心", "民服务", "级", "直", "属"}

// keepPrefix lists names whose leading 市/区 is part of the name itself.
var keepPrefix = map[string]bool{"市监局": true, "区镇": true}

// Unit returns the key under which a unit name is known: padding and
// administrative prefixes removed (StripPlace), a full or variant official
// name mapped to the short name of the curated table of national
// abbreviations (交通运输局, 市交通运输局, 区交通局 → 交通局), a company's
// registered form reduced (江苏海晟控股集团有限公司 → 海晟控股集团). Two
// spellings with one key are one unit; which spelling a knowledge base
// shows is its documents' own (kb picks the most frequent).
func Unit(s string) string {
	s = Clean(s)
	s = strings.TrimRight(s, "。，、；;,.")
	if s == "" || IsCollective(s) {
		return s
	}
	if place, unit, ok := cutMark(s); ok {
		return place + string(Mark) + Unit(unit) // a place kept (distinct.go)
	}
	if c, ok := aliases[s]; ok {
		return c
	}
	if keepPrefix[s] {
		return s
	}
	base := stripProvince(StripPlace(s))
	// 三星镇人民政府 is the town 三星镇, 海门街道办事处 the 街道.
	if t, ok := strings.CutSuffix(base, "人民政府"); ok && (strings.HasSuffix(t, "镇") || strings.HasSuffix(t, "乡") || strings.HasSuffix(t, "街道")) {
		return t
	}
	if t, ok := strings.CutSuffix(base, "办事处"); ok && strings.HasSuffix(t, "街道") {
		return t
	}
	// 经济开发区管委会 is the 经济开发区 to an official.
	for _, suf := range []string{"管理委员会", "管委会"} {
		if t, ok := strings.CutSuffix(base, suf); ok && strings.HasSuffix(t, "区") && utf8.RuneCountInString(t) >= 3 {
			return Unit(t)
		}
	}
	if c, ok := aliases[base]; ok {
		return c
	}
	// 发展和改革委员会（工业和信息化局…）: the parenthesis lists offices that
	// share the head office; the head office is the unit.
	if i := strings.IndexAny(base, "（("); i > 0 {
		if c, ok := aliases[base[:i]]; ok {
			return c
		}
		base = base[:i]
	}
	return company(base)
}

// company reduces a company's registered name to the name officials use:
// the legal form dropped (有限公司, 有限责任公司, 股份有限公司).
func company(s string) string {
	for _, f := range []string{"股份有限公司", "有限责任公司", "有限公司"} {
		if rest, ok := strings.CutSuffix(s, f); ok && rest != "" {
			if strings.HasSuffix(rest, "集团") {
				return rest
			}
			return rest + "公司"
		}
	}
	return s
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, ss ...string) bool {
	for _, x := range ss {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// Same reports whether a and b name the same unit.
func Same(a, b string) bool { return Unit(a) == Unit(b) }

// Written returns a unit as its document writes it, for display: padding,
// trailing punctuation and administrative prefixes removed, the head
// office of "发展和改革委员会（工业和信息化局…）" kept; collectives as written.
// Unlike Unit it maps no name to another spelling.
func Written(s string) string {
	s = Clean(s)
	s = strings.TrimRight(s, "。，、；;,.")
	if s == "" || IsCollective(s) || keepPrefix[s] {
		return s
	}
	if place, unit, ok := cutMark(s); ok {
		return place + string(Mark) + Written(unit) // a place kept (distinct.go)
	}
	if _, ok := aliases[s]; ok {
		return s
	}
	base := StripPlace(s)
	if t, ok := strings.CutSuffix(base, "人民政府"); ok && (strings.HasSuffix(t, "镇") || strings.HasSuffix(t, "乡") || strings.HasSuffix(t, "街道")) {
		return t
	}
	if t, ok := strings.CutSuffix(base, "办事处"); ok && strings.HasSuffix(t, "街道") {
		return t // 海门街道办事处 is the 街道
	}
	// 县委组织部 leaves 委组织部: the fragment is the curated 组织部.
	if c, ok := aliases[base]; ok && strings.HasPrefix(base, "委") {
		return c
	}
	if i := strings.IndexAny(base, "（("); i > 0 && isHeadOffice(base[:i]) {
		return base[:i]
	}
	return base
}

// isHeadOffice reports whether the text before a parenthesis is a unit of
// its own (住房和城乡建设局 of 住房和城乡建设局（人防办）), not a name
// that the parenthesis completes.
func isHeadOffice(s string) bool {
	for _, suf := range []string{"局", "委", "办", "会", "院", "部", "中心", "公司", "集团", "队", "所", "站", "厅", "处", "室"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// Short returns the short name an official uses for a unit: the curated
// table's name when it knows the unit (住房和城乡建设局 → 住建局), else the
// unit as written (Written).
func Short(s string) string {
	w := Written(s)
	if c, ok := aliases[w]; ok {
		return c
	}
	if k := Unit(s); canonical[k] {
		return k
	}
	return w
}

// IsCurated reports whether the curated table knows s as a full or short
// name of a unit.
func IsCurated(s string) bool { return canonical[Unit(s)] }

// Aliases returns every spelling the curated table knows for the unit c
// (any of its spellings), without prefixes, c itself first.
func Aliases(c string) []string {
	out := []string{c}
	k := Unit(c)
	if k != c {
		out = append(out, k)
	}
	var more []string
	for a, v := range aliases {
		if v == k && a != c && a != k {
			more = append(more, a)
		}
	}
	sort.Strings(more) // map order must not decide an output
	return append(out, more...)
}
