package names

import (
	"strings"
	"unicode/utf8"
)

// Administrative prefixes. Any county's documents put a place in front of
// a unit: 如皋市住房和城乡建设局, 青溪县交通运输局, 江苏省南通市如东县财政局,
// 县发展和改革局, 区住建局. The place is not part of the unit's name for an
// official of that place, so it is stripped wherever the rest is still a
// unit; development zones and 管委会 (经济开发区管委会, 海门港新区) are units
// themselves and keep their names.

// placeSuffixes end a place name: 省, 市, 县, 区, 旗 (a banner), and 镇 / 乡
// when the place is named (三星镇).
const placeSuffixes = "省市县区旗镇乡"

// notPlaceEnd lists characters that end a word before 区/市/县 that names
// no place but a unit or an area: 开发区, 高新区, 海门港新区, 园区, 社区,
// 景区, 片区, 城区, 保税区, 度假区, 示范区 ….
const notPlaceEnd = "发新园社景片城税假范验聚业务游贸管心域街厂矿校区市县镇乡局委办"

// notDistrictEnd adds what ends a zone before 区 only: 港区, 湾区 are
// zones, while 连云港市 and 张家港市 are places.
const notDistrictEnd = "港湾"

// provinces are the province-level names a registered company name opens
// with (江苏海晟控股集团有限公司); the curated national table.
var provinces = []string{
	"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
	"福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
	"甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
}

// StripPlace removes the administrative prefixes in front of a unit name,
// nested ones too (江苏省南通市如东县财政局 → 财政局), when what is left is
// still a unit name. A collective (县级相关部门) and a name whose leading
// 市/区 belongs to the word (市场监督管理局, 区域治理现代化指挥中心) are kept.
func StripPlace(s string) string {
	s = Clean(s)
	if IsCollective(s) || keepPrefix[s] || canonical[s] || strings.ContainsRune(s, Mark) {
		return s // 市委办 is a whole name of the curated table
	}
	for {
		rest, ok := stripOne(s)
		if !ok {
			return s
		}
		s = rest
		if canonical[s] {
			return s
		}
	}
}

// stripProvince removes a bare province name in front of a registered
// company name (江苏海晟控股集团有限公司 → 海晟控股集团有限公司) for the
// unit's key; the display keeps it, as the documents write it.
func stripProvince(s string) string {
	for _, p := range provinces {
		if rest, ok := strings.CutPrefix(s, p); ok && !strings.HasPrefix(rest, "省") && isUnitRest(rest) {
			return rest
		}
	}
	return s
}

// stripOne removes the shortest administrative prefix of s, if any.
func stripOne(s string) (string, bool) {
	rs := []rune(s)
	for k := 1; k <= 7 && k < len(rs); k++ {
		if !strings.ContainsRune(placeSuffixes, rs[k-1]) {
			continue
		}
		place, rest := string(rs[:k-1]), string(rs[k:])
		if !isPlaceName(place, rs[k-1]) || !isUnitRest(rest) {
			continue
		}
		return rest, true
	}
	// A bare place without its suffix (海门税务局, 青溪财政局): only when the
	// rest is a unit the curated table knows.
	for k := 2; k <= 3 && k < len(rs); k++ {
		rest := string(rs[k:])
		if isPlaceName(string(rs[:k]), '县') && isKnownUnit(rest) && utf8.RuneCountInString(rest) >= 3 {
			return rest, true
		}
	}
	return s, false
}

// isPlaceName reports whether place (before its suffix) can name a place:
// empty for a bare 市/县/区/省/旗 (县发展和改革局), else 1–5 characters that
// do not end like a zone or an area.
func isPlaceName(place string, suffix rune) bool {
	if place == "" {
		return suffix != '镇' && suffix != '乡'
	}
	rs := []rune(place)
	if len(rs) > 5 {
		return false
	}
	last := rs[len(rs)-1]
	if strings.ContainsRune(notPlaceEnd, last) || (suffix == '区' && strings.ContainsRune(notDistrictEnd, last)) ||
		strings.ContainsAny(place, "、，,（）()和及与的") {
		return false
	}
	return true
}

// isUnitRest reports whether rest, after a prefix, is still a unit name.
func isUnitRest(rest string) bool {
	if utf8.RuneCountInString(rest) < 2 {
		return false
	}
	// 县委办, 市委: the place's party committee is the unit.
	if strings.HasPrefix(rest, "委") && utf8.RuneCountInString(rest) <= 2 {
		return false
	}
	for _, k := range keepAfterPrefix {
		if strings.HasPrefix(rest, k) {
			return false
		}
	}
	// XX镇人民政府 is the town itself; 县人民政府 is the government.
	if strings.HasPrefix(rest, "人民政府") && rest == "人民政府" {
		return false
	}
	return true
}

// isKnownUnit reports whether s is a name of the curated table.
func isKnownUnit(s string) bool {
	if _, ok := aliases[s]; ok {
		return true
	}
	return canonical[s]
}

// canonical holds the short names the curated table maps to.
var canonical = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range aliases {
		m[v] = true
	}
	return m
}()
