package ingest

import (
	"regexp"
	"strconv"
	"strings"

	"duban/kb/numerals"
)

// Cell wordings counties use beyond a bare name list.

// rePost is a post written beside a leader's name: 副县长王丽, 王丽（副县长）,
// 县委常委、副县长 王丽.
var (
	rePostParen  = regexp.MustCompile(`[（(][^）)]*(?:长|书记|主任|常委|主席|委员|部长|秘书)[^）)]*[）)]`)
	rePostPrefix = regexp.MustCompile(`^(?:[县市区镇]委?(?:常委|副书记|书记)?[、，,]?)*(?:常务)?(?:副)?(?:县长|市长|区长|镇长|乡长|主任|书记|主席|部长|秘书长|调研员|常委)[:：]?\s*`)
)

// stripPost removes a post written beside a leader's name.
func stripPost(s string) string {
	s = rePostParen.ReplaceAllString(s, "")
	t := strings.TrimSpace(s)
	if rest := rePostPrefix.ReplaceAllString(t, ""); rest != t && rest != "" {
		return rest
	}
	return s
}

// reRoleLabel splits a units cell that names its roles itself:
// "牵头单位：县住建局；配合单位：县财政局", "牵头：县住建局 配合：县财政局".
var reRoleLabel = regexp.MustCompile(`(牵头单位|牵头部门|责任单位|主办单位|牵头|配合单位|协同单位|协办单位|参与单位|配合部门|配合|协同|协办)\s*[:：]`)

// reLeadMark marks a unit as the lead inside a list: 县住建局（牵头）.
var reLeadMark = regexp.MustCompile(`[（(](?:牵头|主办|牵头单位)[）)]`)

// splitRoles reads a units cell: the lead units and, when the cell names
// roles itself, the co-units it names. ok is false for a plain list.
func splitRoles(s string) (lead, co []string, ok bool) {
	if locs := reRoleLabel.FindAllStringSubmatchIndex(s, -1); len(locs) > 0 {
		// Units before the first label are the leads of a line that began
		// with its own label (牵头单位：县民政局；配合单位：县卫健委).
		if head := strings.Trim(s[:locs[0][0]], " \t\n；;。，,"); head != "" {
			lead = append(lead, unitList(head)...)
		}
		for k, loc := range locs {
			end := len(s)
			if k+1 < len(locs) {
				end = locs[k+1][0]
			}
			label := s[loc[2]:loc[3]]
			part := strings.Trim(s[loc[1]:end], " \t\n；;。，,")
			if isCoLabel(label) {
				co = append(co, unitList(part)...)
			} else {
				lead = append(lead, unitList(part)...)
			}
		}
		return lead, co, true
	}
	if reLeadMark.MatchString(s) {
		for _, u := range splitUnitText(s) {
			if reLeadMark.MatchString(u) {
				lead = append(lead, unitList(reLeadMark.ReplaceAllString(u, ""))...)
			} else {
				co = append(co, unitList(u)...)
			}
		}
		return lead, co, true
	}
	return nil, nil, false
}

func isCoLabel(l string) bool {
	return strings.Contains(l, "配合") || strings.Contains(l, "协") || strings.Contains(l, "参与")
}

// splitUnitText splits a units cell at list punctuation and line breaks.
func splitUnitText(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,；;/\n", r) })
}

// rowNumber reads a 序号 cell: 12, １２, 12., （十二）, 十二.
func rowNumber(s string) (int, bool) {
	t := strings.TrimRight(cleanCell(toHalf(s)), ".．、")
	t = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(t, "（"), "("), "）")
	t = strings.TrimSuffix(t, ")")
	if n, err := strconv.Atoi(t); err == nil {
		return n, true
	}
	if n, ok := numerals.Parse(t); ok && n > 0 {
		return n, true
	}
	return 0, false
}
