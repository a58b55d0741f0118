package ingest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// XML shorthands for hand-written document bodies.

func xp(text string) string {
	var d docxBody
	d.para(text)
	return d.String()
}

// xtc is a cell: its paragraphs (lines of text) after the given properties.
func xtc(text, props string) string {
	var ps string
	for _, l := range strings.Split(text, "\n") {
		ps += xp(l)
	}
	return "<w:tc><w:tcPr>" + props + "</w:tcPr>" + ps + "</w:tc>"
}

func xtr(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }

func xtbl(cols int, rows ...string) string {
	return "<w:tbl><w:tblGrid>" + strings.Repeat(`<w:gridCol w:w="100"/>`, cols) + "</w:tblGrid>" +
		strings.Join(rows, "") + "</w:tbl>"
}

const (
	vRestart = `<w:vMerge w:val="restart"/>`
	vCont    = `<w:vMerge/>`
)

func span(n int) string { return fmt.Sprintf(`<w:gridSpan w:val="%d"/>`, n) }

// tableTexts shows a table as text; a Merged cell is prefixed with ^.
func tableTexts(t Table) [][]string {
	var out [][]string
	for _, row := range t.Rows {
		var r []string
		for _, c := range row {
			if c.Merged {
				r = append(r, "^"+c.Text)
			} else {
				r = append(r, c.Text)
			}
		}
		out = append(out, r)
	}
	return out
}

var taskHead = xtr(xtc("序号", ""), xtc("主要任务", ""), xtc("牵头单位", ""))

func TestReadDocx(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		lines  []string
		tables [][][]string
		at     []int // Table.Line of each table
	}{
		{
			name:  "paragraphs, breaks and tabs",
			body:  `<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t xml:space="preserve">丙	丁 </w:t></w:r></w:p><w:p/>`,
			lines: []string{"甲 乙", "丙 丁", ""},
		},
		{
			name: "deletions, field codes and fallbacks are not text",
			body: `<w:p><w:r><w:t>留</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>` +
				`<w:r><w:instrText>PAGE</w:instrText></w:r><w:ins><w:r><w:t>增</w:t></w:r></w:ins></w:p>` +
				`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>` + xp("框") +
				`</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>` + xp("框") +
				`</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r></w:p>`,
			lines: []string{"留增", "", "框", "后"},
		},
		{
			name: "spans and vertical merges",
			body: xp("标题") + xtbl(3,
				xtr(xtc("甲", span(2)), xtc("乙", vRestart)),
				xtr(xtc("丙", ""), xtc("丁", vRestart), xtc("残留", vCont)),
				xtr(xtc("", ""), xtc("", vCont), xtc("", vCont)),
			),
			lines:  []string{"标题"},
			tables: [][][]string{{{"甲", "", "乙"}, {"丙", "丁", "^乙"}, {"", "^丁", "^乙"}}},
			at:     []int{1},
		},
		{
			name: "a merged span copies every column",
			body: xtbl(3,
				xtr(xtc("甲", span(2)+vRestart), xtc("乙", "")),
				xtr(xtc("", span(2)+vCont), xtc("丙", "")),
			),
			tables: [][][]string{{{"甲", "", "乙"}, {"^甲", "^", "丙"}}},
			at:     []int{0},
		},
		{
			name:   "a continuation at the top is a plain cell",
			body:   xtbl(2, xtr(xtc("甲", vCont), xtc("乙", ""))),
			tables: [][][]string{{{"甲", "乙"}}},
			at:     []int{0},
		},
		{
			name: "multi-line cells, grid before, legacy hMerge, short rows",
			body: xtbl(3,
				xtr(xtc("交通局\n\n商务局", ""), xtc("甲", `<w:hMerge w:val="restart"/>`), xtc("", `<w:hMerge/>`)),
				`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>`+xtc("乙", "")+`</w:tr>`,
				xtr(xtc("丙", "")),
			),
			tables: [][][]string{{{"交通局\n商务局", "甲", ""}, {"", "乙", ""}, {"丙", "", ""}}},
			at:     []int{0},
		},
		{
			name: "a nested table is flattened into its cell",
			body: xtbl(2, xtr(
				"<w:tc>"+xp("外")+xtbl(2, xtr(xtc("内一", vRestart), xtc("内二", span(5))))+"</w:tc>",
				xtc("右", ""),
			)),
			tables: [][][]string{{{"外\n内一\n内二", "右"}}},
			at:     []int{0},
		},
		{
			name: "a split task table continues, across a merge",
			body: xp("表") + xtbl(3, taskHead, xtr(xtc("1", ""), xtc("甲", ""), xtc("交通局", vRestart))) +
				xp("") + xtbl(3, xtr(xtc("2", ""), xtc("乙", ""), xtc("", vCont))),
			lines:  []string{"表", ""},
			tables: [][][]string{{{"序号", "主要任务", "牵头单位"}, {"1", "甲", "交通局"}, {"2", "乙", "^交通局"}}},
			at:     []int{1},
		},
		{
			name: "a split task table repeating its header continues",
			body: xtbl(3, taskHead, xtr(xtc("1", ""), xtc("甲", ""), xtc("交通局", ""))) +
				xtbl(3, taskHead, xtr(xtc("2", ""), xtc("乙", ""), xtc("住建局", ""))),
			tables: [][][]string{{{"序号", "主要任务", "牵头单位"}, {"1", "甲", "交通局"}, {"2", "乙", "住建局"}}},
			at:     []int{0},
		},
		{
			name: "text between tables separates them",
			body: xtbl(3, taskHead, xtr(xtc("1", ""), xtc("甲", ""), xtc("交通局", ""))) + xp("附件2") +
				xtbl(3, xtr(xtc("2", ""), xtc("乙", ""), xtc("", vCont))),
			lines:  []string{"附件2"},
			tables: [][][]string{{{"序号", "主要任务", "牵头单位"}, {"1", "甲", "交通局"}}, {{"2", "乙", ""}}},
			at:     []int{0, 1},
		},
		{
			name: "another width or another header separates tables",
			body: xtbl(3, taskHead, xtr(xtc("1", ""), xtc("甲", ""), xtc("交通局", ""))) +
				xtbl(2, xtr(xtc("2", ""), xtc("乙", ""))) +
				xtbl(2, xtr(xtc("3", ""), xtc("丙", ""))) +
				xtbl(3, xtr(xtc("序号", ""), xtc("项目", ""), xtc("牵头领导", ""))),
			tables: [][][]string{
				{{"序号", "主要任务", "牵头单位"}, {"1", "甲", "交通局"}},
				{{"2", "乙"}}, {{"3", "丙"}}, // not task tables: never joined
				{{"序号", "项目", "牵头领导"}},
			},
			at: []int{0, 0, 0, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ReadDocx("t.docx", docxZip(t, tt.body))
			if err != nil {
				t.Fatalf("ReadDocx: %v", err)
			}
			if !reflect.DeepEqual(d.Lines, tt.lines) && len(d.Lines)+len(tt.lines) > 0 {
				t.Errorf("Lines = %q, want %q", d.Lines, tt.lines)
			}
			var got [][][]string
			var at []int
			for _, tb := range d.Tables {
				got = append(got, tableTexts(tb))
				at = append(at, tb.Line)
			}
			if !reflect.DeepEqual(got, tt.tables) {
				t.Errorf("Tables = %q, want %q", got, tt.tables)
			}
			if !reflect.DeepEqual(at, tt.at) {
				t.Errorf("Table.Line = %v, want %v", at, tt.at)
			}
		})
	}
}

// TestMergedHeader: a two-row header whose upper row already names task
// columns (牵头领导 merged down, 责任单位 spanning 牵头单位 | 协同单位).
func TestMergedHeader(t *testing.T) {
	docx := docxZip(t, xp("2020年市政府重点工作任务分解表")+xtbl(5,
		xtr(xtc("序号", vRestart), xtc("主要任务", vRestart), xtc("牵头领导", vRestart), xtc("责任单位", span(2))),
		xtr(xtc("", vCont), xtc("", vCont), xtc("", vCont), xtc("牵头单位", ""), xtc("协同单位", "")),
		xtr(xtc("1", ""), xtc("修路。", ""), xtc("周国强", ""), xtc("交通局", ""), xtc("住建局", "")),
	))
	xlsx := officeXlsx(t, []officeTable{{
		attachment: "Sheet1",
		title:      "2020年市政府重点工作任务分解表",
		header:     []string{"序号", "主要任务", "牵头领导", "责任单位", mergeLeft},
		rows: [][]string{
			{mergeUp, mergeUp, mergeUp, "牵头单位", "协同单位"},
			{"1", "修路。", "周国强", "交通局", "住建局"},
		},
	}})
	for name, data := range map[string][]byte{"h.docx": docx, "h.xlsx": xlsx} {
		t.Run(name, func(t *testing.T) {
			c := loadOne(t, name, data)
			if len(c.Records) != 1 {
				t.Fatalf("%d records, want 1: %+v", len(c.Records), c.Records)
			}
			r := c.Records[0]
			got := []string{strings.Join(r.LeadLeaders, ","), strings.Join(r.LeadUnits, ","), strings.Join(r.CoUnits, ",")}
			if want := []string{"周国强", "交通局", "住建局"}; !reflect.DeepEqual(got, want) {
				t.Errorf("leaders, units, co-units = %q, want %q", got, want)
			}
			if len(c.Warnings) != 0 {
				t.Errorf("warnings: %+v", c.Warnings)
			}
		})
	}
}

// TestDocxLimit: a document part above the bound is an error, not a
// silently truncated document.
func TestDocxLimit(t *testing.T) {
	doc := docxDocument(xp(strings.Repeat("甲", 100)))
	if _, err := parseDocx("x.docx", &docxLimit{r: strings.NewReader(doc), n: 200}); !errors.Is(err, errDocxTooLarge) {
		t.Errorf("parseDocx over the limit: %v, want errDocxTooLarge", err)
	}
	if _, err := parseDocx("x.docx", &docxLimit{r: strings.NewReader(doc), n: int64(len(doc))}); err != nil {
		t.Errorf("parseDocx at the limit: %v", err)
	}
}
