package ingest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A fictional county's documents, written to be unlike the seeds in every
// way the seeds happened to fix: another place (青溪县 of 临江市), another
// year (2025), other header words in another order (责任县领导, 责任单位,
// 配合单位, 完成时间), sections as rows spanning the table, no section
// column, a 民生实事 table in a third column order with two text columns,
// unit names with 县/青溪县/临江市 prefixes in full and short forms, and the
// deadline wordings of issue 15. It is rendered as a text export, a .docx
// with real vertical merges (w:vMerge) and spanning rows (w:gridSpan), and
// an .xlsx with merged ranges, and committed under testdata/county so the
// end-to-end tests of cmd/duban read the same files:
//
//	go test ./kb/ingest -run TestCountyFixturesUpToDate -update-county

var updateCounty = flag.Bool("update-county", false, "rewrite testdata/county from the generator")

const countyDir = "testdata/county"

// spanRow marks a section row spanning the table: its text, then spanLeft
// for every other column.
const spanLeft = mergeLeft

type countyTable struct {
	attachment, title string
	header            []string
	rows              [][]string // mergeUp: merged with the cell above; a row of text + spanLeft…: a section row
}

func countyTables() []countyTable {
	s := func(text string) []string { return []string{text, spanLeft, spanLeft, spanLeft, spanLeft, spanLeft} }
	return []countyTable{{
		attachment: "附件1",
		title:      "青溪县2025年县政府重点工作任务分解表",
		header:     []string{"序号", "工作任务", "责任县领导", "责任单位", "配合单位", "完成时间"},
		rows: [][]string{
			s("一、聚力产业强县"),
			{"1", "推进青溪经济开发区扩区调规，\n新增标准厂房20万平方米。", "张明华", "县经济开发区管委会", "县发展和改革局\n县自然资源和规划局", "2025年6月底前"},
			{"2", "实施工业技改项目50个，完成工业投资80亿元。", mergeUp, "县工业和信息化局", "县财政局", "年底前"},
			{"3", "培育省级专精特新企业10家。", mergeUp, mergeUp, "县科学技术局", "三季度末"},
			{"4", "开展招商引资攻坚年活动，签约亿元以上项目30个。", "李建国", "县商务局", "各乡镇（街道）、县级相关部门", "持续推进"},
			s("二、提升城乡品质"),
			{"5", "完成城区老旧小区改造15个。", "王  丽", "县住房和城乡建设局", "青溪县财政局", "6月30日前"},
			{"6", "新改建农村公路60公里。", mergeUp, "县交通运输局", "各乡镇（街道）", "第三季度"},
			{"7", "推进城区污水管网建设。", "王  丽", "县住建局", "县水务局", "分阶段推进，\n12月底前完成主体工程"},
			{"8", "落实河湖长制，巩固水环境治理成效。", "陈志强", "县水务局", "临江市生态环境局青溪分局", "长期坚持"},
			s("三、增进民生福祉"),
			{"9", "新建城区公办幼儿园2所。", "赵红梅", "县教育局", "县住建局", "2025年10月"},
			{"10", "建成口袋公园8个，开展全民健身活动。", mergeUp, "县文化广电和旅游局", "县城市管理局", "6—9月"},
			{"11", "推进县人民医院新院区建设。", "赵红梅", "县卫生健康委员会", "县发改局", "12月底前"},
			{"12", "新增养老床位200张，完善养老服务体系。", "刘  强", "县民政局", "", mergeUp},
		},
	}, {
		attachment: "附件2",
		title:      "青溪县2025年民生实事项目推进表",
		header:     []string{"序号", "项目名称", "主要内容", "完成时间", "牵头单位", "责任领导", "协办单位"},
		rows: [][]string{
			{"1", "城乡居民医保提标", "人均财政补助标准提高30元。", "12月底前", "县医疗保障局", "赵红梅", "县财政局"},
			{"2", "老年助餐服务", "新建社区助餐点10个。", "9月底前", "县民政局", mergeUp, "各乡镇（街道）"},
			{"3", "农村供水改造", "改造农村供水管网100公里。", mergeUp, "县水务局", "陈志强", "青溪县城乡供水有限公司"},
			{"4", "学生视力健康", "为全县中小学生免费开展视力筛查。", "2025年11月30日前", "县教育局\n县卫生健康委员会", "赵红梅", ""},
			{"5", "背街小巷整治", "整治背街小巷20条。", "年底前", "县住房和城乡建设局", "王  丽", "县城管局、县供水公司"},
		},
	}}
}

var countyPreamble = []string{
	"青溪县人民政府关于印发2025年县政府重点工作任务分解表的通知",
	"青政发〔2025〕12号",
	"各乡镇人民政府、街道办事处，县政府各部门、各直属单位：",
	"现将《青溪县2025年县政府重点工作任务分解表》《青溪县2025年民生实事项目推进表》印发给你们，请认真抓好落实。",
	"青溪县人民政府",
	"2025年2月18日",
	"",
}

// countyProgress is the county's mid-year progress report: numbered tasks,
// each with its responsibility clause and a 进展情况 paragraph.
const countyProgress = `青溪县2025年重点工作任务上半年推进情况
今年以来，县政府确定的重点工作任务总体进展顺利，现将上半年推进情况报告如下：
一、聚力产业强县
1.推进青溪经济开发区扩区调规，新增标准厂房20万平方米。（县经济开发区管委会牵头负责，县发展和改革局配合）
进展情况：已完成扩区方案编制，新开工标准厂房12万平方米。
2.实施工业技改项目50个。（县工业和信息化局牵头负责，县财政局按照职责分工负责）
进展情况：已实施技改项目28个，完成工业投资41亿元。
二、提升城乡品质
3.完成城区老旧小区改造15个，6月底前完成设计。（县住房和城乡建设局牵头负责、县财政局配合）
进展情况：已开工9个小区。
4.新改建农村公路60公里。（县交通运输局牵头负责）
进展情况：已完成32公里。
青溪县人民政府办公室
2025年7月10日
`

// countyText renders the tables as a text export.
func countyText(tables []countyTable) []byte {
	var b strings.Builder
	for _, l := range countyPreamble {
		b.WriteString(l + "\n")
	}
	for _, t := range tables {
		fmt.Fprintf(&b, "%s\n%s\n\n", t.attachment, t.title)
		for _, h := range t.header {
			b.WriteString("\t" + h + "\n")
		}
		for _, row := range t.rows {
			b.WriteString("\n")
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

// countyDocx renders the tables as a .docx: vertical merges as w:vMerge,
// section rows as one cell spanning the table (w:gridSpan).
func countyDocx(t testing.TB, tables []countyTable) []byte {
	t.Helper()
	var d docxBody
	for _, l := range countyPreamble {
		d.para(l)
	}
	for _, tb := range tables {
		d.para(tb.attachment)
		d.para(tb.title)
		rows := append([][]string{tb.header}, tb.rows...)
		cells := docxFxRows(rows)
		for i, row := range rows {
			if len(row) > 1 && row[1] == spanLeft {
				cells[i] = []docxFxCell{{text: row[0], span: len(row)}}
			}
		}
		d.table(len(tb.header), cells, 1)
	}
	return docxZip(t, d.String())
}

// countyXlsx renders the tables as a workbook, a sheet per table: the
// title merged across row 1, the header in row 2, merged ranges for the
// vertical merges and the section rows.
func countyXlsx(t testing.TB, tables []countyTable) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, tb := range tables {
		sheet := tb.attachment
		if i == 0 {
			must(t, f.SetSheetName("Sheet1", sheet))
		} else if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		last, _ := excelize.ColumnNumberToName(len(tb.header))
		must(t, f.SetCellValue(sheet, "A1", tb.title))
		must(t, f.MergeCell(sheet, "A1", last+"1"))
		xlsxFxRows(t, f, sheet, 2, append([][]string{tb.header}, tb.rows...))
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// countyFiles is the county's document set in each format.
func countyFiles(t testing.TB) map[string][]byte {
	tables := countyTables()
	return map[string][]byte{
		"qx_2025_renwu.txt":    countyText(tables),
		"qx_2025_renwu.docx":   countyDocx(t, tables),
		"qx_2025_renwu.xlsx":   countyXlsx(t, tables),
		"qx_2025_jinzhan.txt":  []byte(countyProgress),
		"qx_2025_jinzhan.docx": nil, // not written: the report is text only
	}
}

// TestCountyFixturesUpToDate keeps the committed files what the generator
// writes: the text files byte for byte; the .docx and .xlsx (whose zips
// carry timestamps) by reading the same records as freshly generated ones.
func TestCountyFixturesUpToDate(t *testing.T) {
	for name, data := range countyFiles(t) {
		if data == nil {
			continue
		}
		path := filepath.Join(countyDir, name)
		if *updateCounty {
			if err := os.MkdirAll(countyDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./kb/ingest -run TestCountyFixturesUpToDate -update-county)", err)
		}
		if strings.HasSuffix(name, ".txt") {
			if string(have) != string(data) {
				t.Errorf("%s differs from the generator's; rerun with -update-county", path)
			}
			continue
		}
		a, b := loadBytes(t, name, have), loadBytes(t, name, data)
		if len(a.Records) != len(b.Records) {
			t.Errorf("%s: %d records, the generator's file %d; rerun with -update-county", path, len(a.Records), len(b.Records))
		}
	}
}
