package ingest

import (
	"strings"
	"testing"
)

// oddInputs are documents no extractor may panic on: empty, truncated,
// headers without rows, stray TABs, titles without bodies.
var oddInputs = []string{
	"",
	"\n\n\n",
	"\t",
	"\t\n\t\n\n\t",
	"续行\n\t",
	"海政发〔2022〕1号",
	"海政发〔2022〕1号\n海政发〔2022〕2号\n",
	"关于区政府领导同志工作分工的通知\n海政发〔2022〕3号\n张  三：",
	"关于区政府领导同志工作分工的通知\n海政发〔2022〕3号\n张  三：负责\n分管\n联系（",
	"关于…联席会议的通知\n海政发〔2022〕1号\n召 集 人：\n成    员：冯\n斌  ",
	"通知\n海政发〔2022〕1号\n三、任务分工\n（一）区城市管理局。\n（二）：\n（三）、、：牵头",
	"通知\n海政发〔2022〕1号\n（责任单位：）（牵头单位：；配合单位：、）（责任单位：区交通局",
	"通知\n海政发〔2022〕1号\n准备阶段（2022年1月—）测试阶段（2022年13月—99月起）",
	"通知\n海政发〔2022〕1号\n分解表\n\t序号\n\t区镇\n\t数量",
	"通知\n海政发〔2022〕1号\n分解表\n\t序号\n\t区镇\n\t数量\n\n\t\n\t\n\t十四五期间\n\t2022年",
	"通知\n海政发〔2022〕1号\n分解表\n\t区镇\n\n\t合计\n\n\t1\n\t开发区\n\t3\n\t4\n\t5",
	"通知\n海政发〔2022〕1号\n分解表\n\t序号\n\t区镇\n\t甲\n\n\t\n\t\n\n\t全区合计",
	"表1 指标\n\t类别\n\t指标\n\t属性",
	"表1 指标\n\t类别\n\t指标\n\t单位\n\t目标\n\t属性\n\n\t经济",
	"表2 指标\n\t类别\n\t序号\n\t指标\n\t单位\n\t目标\n\t属性\n\n\t\n\t\n\t\n\t\n\t\n\t",
	"表2\n\t序号\n\t指标\n\t属性\n\t目标\n\n\tx\n\t\n\t\n\t",
	"发〔0000〕0号\n\t\n\t镇\n\n\t\n\n\t年", // found by FuzzNoticesAndPlan
	"\t专栏",
	"\t专栏\n\n\t序号\n\t项目",
	"\t专栏12\n\n\n\t专栏 空",
	"（\n（（（\n）（责任单位：（",
	strings.Repeat("\t\n", 1000),
	"\xef\xbb\xbf表1 \n\t\r\n\t类别\r\n",
}

func TestExtractorsOddInputs(t *testing.T) {
	for _, s := range oddInputs {
		d, err := ReadText("odd.txt", []byte(s))
		if err != nil {
			continue
		}
		isNotices(d)
		isPlan(d)
		canon(extractNotices(d))
		extractPlan(d)
	}
	// Documents built by a reader rather than from text.
	docs := []*Document{
		{},
		{Lines: []string{"表1 指标"}, Tables: []Table{{Line: 1}}},
		{Lines: []string{"表1 指标"}, Tables: []Table{{Line: 99, Rows: [][]Cell{{}, {{Text: "类别"}}}}}},
		{Lines: []string{"通知", "海政发〔2022〕1号", "分解表"}, Tables: []Table{{Line: 3, Rows: [][]Cell{
			{{Text: "序号"}, {Text: "区镇"}, {Text: "甲"}}, {{Merged: true}, {Merged: true}}, {}, {{Text: "1"}}}}}},
		{Lines: []string{"表1 指标"}, Tables: []Table{{Line: -5, Rows: [][]Cell{{{Text: "指标"}, {Text: "属性"}, {Text: "目标"}}, {{Text: "a"}}}}}},
	}
	for _, d := range docs {
		isNotices(d)
		isPlan(d)
		canon(extractNotices(d))
		extractPlan(d)
	}
}

func FuzzNoticesAndPlan(f *testing.F) {
	for _, s := range oddInputs {
		f.Add(s)
	}
	for _, name := range []string{"notices_sample.txt", "plan_sample.txt"} {
		f.Add(string(mustFixture(f, name)))
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ReadText("fuzz.txt", []byte(s))
		if err != nil {
			return
		}
		isNotices(d)
		isPlan(d)
		canon(extractNotices(d))
		extractPlan(d)
	})
}
