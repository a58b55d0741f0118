package ingest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"duban/kb/names"
)

// Generated layouts: the county's key-task table rewritten in every way a
// county may lay it out — header words from each role's wordings, the
// columns in a random order, an unread 备注 column, sections as spanning
// rows, as a (merged) section column or as headings between tables — and
// rendered as a text export, a .docx and an .xlsx. The reading must not
// change: every generated document gives the hand-written expected
// records of countyWants (a metamorphic test over layouts).

var headerWordings = map[string][]string{
	"no":       {"序号", "编号"},
	"text":     {"工作任务", "任务内容", "主要任务", "重点任务", "工作内容", "主  要  任  务"},
	"leaders":  {"牵头领导", "责任领导", "责任县领导", "分管领导", "牵头县领导", "分管县领导", "牵头\n领导"},
	"units":    {"牵头单位", "责任单位", "主办单位", "牵头部门", "责任部门", "牵头\n单位"},
	"co":       {"协同单位", "配合单位", "协办单位", "参与单位", "责任单位（配合）", "配合部门"},
	"deadline": {"完成时限", "完成时间", "时间节点", "时限要求", "完成\n时限"},
	"remark":   {"备注", "备  注"},
	"section":  {"类别", "重点工作", "领域"},
}

// A layout is one way to lay the table out.
type layout struct {
	order    []string // roles in column order
	words    map[string]string
	sections string // "span", "column" or "headings"
}

func randomLayout(rng *rand.Rand) layout {
	roles := []string{"no", "text", "leaders", "units", "co", "deadline"}
	if rng.IntN(2) == 0 {
		roles = append(roles, "remark")
	}
	l := layout{words: map[string]string{}, sections: []string{"span", "column", "headings"}[rng.IntN(3)]}
	if l.sections == "column" {
		roles = append(roles, "section")
	}
	rng.Shuffle(len(roles), func(i, j int) { roles[i], roles[j] = roles[j], roles[i] })
	l.order = roles
	for _, r := range roles {
		ws := headerWordings[r]
		l.words[r] = ws[rng.IntN(len(ws))]
	}
	// 责任单位 leads only beside a co-units column of another wording.
	if l.words["units"] == "责任单位" && strings.HasPrefix(l.words["co"], "责任单位") {
		l.words["co"] = "配合单位"
	}
	return l
}

func (l layout) String() string {
	var hs []string
	for _, r := range l.order {
		hs = append(hs, strings.ReplaceAll(l.words[r], "\n", ""))
	}
	return l.sections + ":" + strings.Join(hs, "|")
}

// layoutTables renders the county's key-task table (countyTables()[0]) in
// layout l: one table, or one per section for "headings", each with the
// heading above it ("" for none).
func layoutTables(l layout) (headings []string, tables [][][]string) {
	src := countyTables()[0]
	index := map[string]int{"no": 0, "text": 1, "leaders": 2, "units": 3, "co": 4, "deadline": 5}
	header := make([]string, len(l.order))
	for i, r := range l.order {
		header[i] = l.words[r]
	}
	var cur [][]string
	section := ""
	firstInSection := false
	flush := func() {
		if cur != nil {
			tables = append(tables, cur)
		}
	}
	for _, row := range src.rows {
		if len(row) > 1 && row[1] == spanLeft {
			section, firstInSection = row[0], true
			switch l.sections {
			case "span":
				if cur == nil {
					cur = [][]string{header}
				}
				span := []string{section}
				for range l.order[1:] {
					span = append(span, spanLeft)
				}
				cur = append(cur, span)
			case "headings":
				flush()
				headings = append(headings, section)
				cur = [][]string{header}
			case "column":
				if cur == nil {
					cur = [][]string{header}
				}
			}
			continue
		}
		out := make([]string, len(l.order))
		for i, r := range l.order {
			switch r {
			case "remark":
				out[i] = ""
			case "section":
				out[i] = mergeUp
				if firstInSection {
					out[i] = section
				}
			default:
				out[i] = row[index[r]]
			}
		}
		firstInSection = false
		cur = append(cur, out)
	}
	flush()
	if l.sections != "headings" {
		headings = []string{""}
	}
	return headings, tables
}

const layoutTitle = "青溪县2025年县政府重点工作任务分解表"

func layoutText(l layout) []byte {
	headings, tables := layoutTables(l)
	var b strings.Builder
	b.WriteString("青溪县人民政府关于印发2025年县政府重点工作任务分解表的通知\n\n" + layoutTitle + "\n\n")
	for k, tb := range tables {
		if headings[k] != "" {
			b.WriteString(headings[k] + "\n")
		}
		for i, row := range tb {
			if i > 0 {
				b.WriteString("\n")
			}
			for _, c := range row {
				switch c {
				case spanLeft:
					continue
				case mergeUp:
					c = ""
				}
				b.WriteString("\t" + c + "\n")
			}
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// layoutTSV renders layout l as Excel's tab-separated text: a row per
// line, quoted cells for line breaks, a section row as its one cell.
func layoutTSV(l layout) []byte {
	headings, tables := layoutTables(l)
	var b strings.Builder
	b.WriteString("青溪县人民政府关于印发2025年县政府重点工作任务分解表的通知\n" + layoutTitle + "\n")
	for k, tb := range tables {
		if headings[k] != "" {
			b.WriteString(headings[k] + "\n")
		}
		for i, row := range tb {
			var cells []string
			for _, c := range row {
				switch {
				case c == spanLeft:
					continue
				case c == mergeUp:
					c = ""
				case i == 0:
					c = strings.ReplaceAll(c, "\n", "") // Excel headers are one line
				case strings.Contains(c, "\n"):
					c = `"` + c + `"`
				}
				cells = append(cells, c)
			}
			b.WriteString(strings.Join(cells, "\t") + "\n")
		}
	}
	return []byte(b.String())
}

func layoutDocx(t testing.TB, l layout) []byte {
	headings, tables := layoutTables(l)
	var d docxBody
	d.para("青溪县人民政府关于印发2025年县政府重点工作任务分解表的通知")
	d.para(layoutTitle)
	for k, tb := range tables {
		if headings[k] != "" {
			d.para(headings[k])
		}
		cells := docxFxRows(tb)
		for i, row := range tb {
			if len(row) > 1 && row[1] == spanLeft {
				cells[i] = []docxFxCell{{text: row[0], span: len(row)}}
			}
		}
		d.table(len(tb[0]), cells, 1)
	}
	return docxZip(t, d.String())
}

func layoutXlsx(t testing.TB, l layout) []byte {
	_, tables := layoutTables(l)
	return officeXlsx(t, []officeTable{{attachment: "附件1", title: layoutTitle, header: tables[0][0], rows: tables[0][1:]}})
}

// TestGeneratedLayouts reads 40 generated layouts in each format.
func TestGeneratedLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2025))
	formats := map[string]int{}
	right := map[string]int{}
	for n := 0; n < 40; n++ {
		l := randomLayout(rng)
		files := map[string][]byte{"g.txt": layoutText(l), "g.docx": layoutDocx(t, l), "g.tsv.txt": layoutTSV(l)}
		if l.sections != "headings" { // a sheet has no headings between tables
			files["g.xlsx"] = layoutXlsx(t, l)
		}
		for name, data := range files {
			c := loadBytes(t, name, data)
			byNo := map[int][]string{}
			for _, r := range c.Records {
				if r.Table == "key_tasks" {
					byNo[r.No] = gotFields(r)
				}
			}
			for _, w := range countyWants {
				if w.table != "key_tasks" {
					continue
				}
				want := w.fields()
				got := byNo[w.no]
				for i := range want {
					formats[name]++
					// Which spelling names a unit depends on the whole
					// document set (住建局 is more frequent in this table
					// alone); the unit itself must be the same.
					if f := countyFields[i]; (f == "lead_units" || f == "co_units") && i < len(got) {
						got[i], want[i] = unitKeys(got[i]), unitKeys(want[i])
					}
					if i < len(got) && got[i] == want[i] {
						right[name]++
					} else {
						t.Errorf("layout %d %s (%s): task %d %s = %q, want %q", n, name, l, w.no, countyFields[i], at(got, i), want[i])
					}
				}
			}
		}
	}
	for _, name := range []string{"g.txt", "g.tsv.txt", "g.docx", "g.xlsx"} {
		t.Logf("generated layouts %s: %d of %d fields right (%.3f)", name, right[name], formats[name], float64(right[name])/float64(formats[name]))
	}
}

// unitKeys maps a 、-joined unit list to the units' keys.
func unitKeys(s string) string {
	if s == "" {
		return s
	}
	var out []string
	for _, u := range strings.Split(s, "、") {
		out = append(out, names.Unit(u))
	}
	return strings.Join(out, "、")
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return fmt.Sprint("<missing>", len(s))
}

// FuzzHeaderRoles: any header row gets one role per cell, each read role
// at most once, and white space inside a header word changes nothing.
func FuzzHeaderRoles(f *testing.F) {
	for _, ws := range headerWordings {
		f.Add(strings.Join(ws, "|"))
	}
	f.Add("序号|工作任务|责任县领导|责任单位|配合单位|完成时间")
	f.Add("类别|序号|指标|单位|目标|属性")
	f.Add("||||")
	f.Fuzz(func(t *testing.T, s string) {
		titles := strings.Split(s, "|")
		cols := roles(titles)
		if len(cols) != len(titles) {
			t.Fatalf("roles(%q) gave %d roles for %d cells", s, len(cols), len(titles))
		}
		seen := map[column]bool{}
		for _, c := range cols {
			if c != colOther && c != colDetail && seen[c] {
				t.Fatalf("roles(%q) = %v: %v twice", s, cols, c)
			}
			seen[c] = true
		}
		for _, ti := range titles {
			spaced := strings.Join(strings.Split(ti, ""), " ")
			if headerColumn(spaced) != headerColumn(ti) {
				t.Fatalf("headerColumn(%q) = %v, headerColumn(%q) = %v", ti, headerColumn(ti), spaced, headerColumn(spaced))
			}
		}
		// The text reader finds a header in the same cells as a table.
		var b strings.Builder
		for _, ti := range titles {
			b.WriteString("\t" + strings.ReplaceAll(ti, "\n", " ") + "\n")
		}
		d, err := ReadText("f.txt", []byte(b.String()))
		if err == nil {
			Extract(d)
		}
	})
}
