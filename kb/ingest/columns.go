package ingest

import (
	"regexp"
	"strings"
	"unicode"
)

// Column roles of a task table, recognised by meaning: each county words
// its headers its own way (牵头领导 / 责任县领导 / 分管领导; 牵头单位 / 责任单位
// / 主办单位; 协同单位 / 配合单位 / 协办单位; 完成时限 / 完成时间 / 时间节点),
// puts the columns in its own order, and may or may not have a section
// column.

// column is what a task-table column holds.
type column int

const (
	colOther column = iota
	colSection
	colNo
	colText
	colDetail // a second text column (项目名称 | 建设内容): appended to the text
	colLeaders
	colUnits
	colCo
	colDeadline
	colProgress
)

// String names a column role for kb check and the table registry.
func (c column) String() string {
	switch c {
	case colSection:
		return "section"
	case colNo:
		return "no"
	case colText:
		return "text"
	case colDetail:
		return "detail"
	case colLeaders:
		return "lead_leaders"
	case colUnits:
		return "lead_units"
	case colCo:
		return "co_units"
	case colDeadline:
		return "deadline"
	case colProgress:
		return "progress"
	}
	return "other"
}

// Role words, most telling first. A header is matched on its text with
// white space removed ("牵头\n领导" → 牵头领导).
var (
	reHdrNo       = regexp.MustCompile(`^(?:序号|编号|序|号|项目编号|任务编号|No\.?)$`)
	reHdrCo       = words(`协同|配合|协办|参与|协助|协作|（配合）|\(配合\)|会同`)
	reHdrLeaders  = words(`领导|牵头人|责任人$|负责人$`)
	reHdrUnits    = words(`单位|部门|责任主体|主体|承办|主办|牵头`)
	reHdrDeadline = words(`时限|时间|时间节点|期限|截止|完成时|时序|进度安排`)
	reHdrProgress = words(`进展|推进情况|完成情况|落实情况|进度情况`)
	reHdrSection  = regexp.MustCompile(`^(?:重点工作|重点工作领域|类别|分类|领域|板块|方面|所属领域|项目类别|类型|专项|工作类别|任务类别)$`)
	reHdrText     = words(`任务|内容|项目|事项|工作|措施|目标|名称`)
	// reHdrOther are header words of columns duban does not read (备注,
	// 考核要求); they keep the header run going so cells do not shift.
	reHdrOther = words(`备注|说明|要求|标准|依据|方式|指标|计划|安排|成效|举措|类型|性质|级别|地点|规模|投资|金额|资金|万元|亿元|来源|联系人|电话`)
)

// headerColumn maps a header cell to its role.
func headerColumn(title string) column {
	t := cleanCell(title)
	switch {
	case t == "":
		return colOther
	case reHdrNo.MatchString(t):
		return colNo
	case reHdrProgress.MatchString(t):
		return colProgress
	case reHdrCo.MatchString(t):
		return colCo
	case reHdrLeaders.MatchString(t):
		return colLeaders
	case reHdrSection.MatchString(t):
		return colSection
	case reHdrDeadline.MatchString(t):
		return colDeadline
	case reHdrUnits.MatchString(t) && !strings.Contains(t, "任务") && !strings.Contains(t, "内容") &&
		t != "单位" && !strings.Contains(t, "计量"): // 单位 alone is a unit of measure
		return colUnits
	case reHdrText.MatchString(t):
		return colText
	}
	return colOther
}

// isHeaderWord reports whether a cell can be a header cell: short, no
// sentence punctuation, not a number, and either a role or a known word
// of a column duban does not read.
func isHeaderWord(s string) bool {
	// Most cells are task texts: count their non-space runes before
	// cleanCell copies them.
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			if n++; n > 24 {
				return false
			}
		}
	}
	t := cleanCell(s) // n runes
	if n == 0 || strings.ContainsAny(t, "。；;，,") || isNumberCell(t) {
		return false
	}
	return headerColumn(t) != colOther || reHdrOther.MatchString(t)
}

// isNumberCell reports whether a cell holds only a task number (12, 12.,
// （十二）).
func isNumberCell(s string) bool {
	_, ok := rowNumber(s)
	return ok
}

// roles resolves the roles of a header row. Two lead-unit columns are a
// lead and a co-unit column (牵头单位 | 责任单位 names 责任单位 the co-units;
// 责任单位 | 配合单位 keeps 责任单位 the lead); a second text column is
// detail; a table with a section-like column but no text column reads it
// as the text.
func roles(titles []string) []column {
	cols := make([]column, len(titles))
	for i, t := range titles {
		cols[i] = headerColumn(t)
	}
	units := indexesOf(cols, colUnits)
	if len(units) > 1 {
		lead := units[0]
		for _, i := range units {
			if strings.Contains(cleanCell(titles[i]), "牵头") {
				lead = i
				break
			}
		}
		for _, i := range units {
			if i != lead {
				if len(indexesOf(cols, colCo)) == 0 {
					cols[i] = colCo
				} else {
					cols[i] = colOther
				}
			}
		}
	}
	texts := indexesOf(cols, colText)
	if len(texts) == 0 {
		if s := indexesOf(cols, colSection); len(s) > 0 {
			cols[s[len(s)-1]] = colText
		}
	}
	for k, i := range indexesOf(cols, colText) {
		if k > 0 {
			cols[i] = colDetail
		}
	}
	// One column per role for the rest: a repeated role is ignored.
	seen := map[column]bool{}
	for i, c := range cols {
		if c != colOther && c != colDetail && seen[c] {
			cols[i] = colOther
		}
		seen[c] = true
	}
	return cols
}

func indexesOf(cols []column, c column) []int {
	var out []int
	for i, x := range cols {
		if x == c {
			out = append(out, i)
		}
	}
	return out
}

// isTaskHeader reports whether roles make a task table's header: a text
// column and a lead unit or leader column, and at least three roles.
func isTaskHeader(cols []column) bool {
	seen := map[column]bool{}
	n := 0
	for _, c := range cols {
		if c != colOther && !seen[c] {
			seen[c] = true
			n++
		}
	}
	return seen[colText] && (seen[colUnits] || seen[colLeaders]) && n >= 3
}
