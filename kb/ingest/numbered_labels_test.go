package ingest

import (
	"strings"
	"testing"
)

// TestNumberedLabelledLines: a progress report that states each task's
// units, leader and deadline on labelled lines, and words its progress
// 推进情况, reads as one with clauses does.
func TestNumberedLabelledLines(t *testing.T) {
	text := strings.Join([]string{
		"某县2024年重点工作任务推进情况",
		"一、产业发展",
		"1.建设城东污水处理厂。",
		"责任单位：县住建局",
		"配合单位：县财政局、县水务局",
		"责任领导：副县长王丽",
		"完成时限：2024年9月底前",
		"推进情况：主体完工。",
		"2.新建养老服务中心。",
		"牵头单位：县民政局；配合单位：县卫健委",
		"推进情况：已开工。",
		"3.整治背街小巷。（县城管局牵头负责，县住建局配合）",
		"推进情况：完成8条。",
	}, "\n")
	d, err := ReadText("p.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractNumbered(d))
	want := []string{
		"1|建设城东污水处理厂。|王丽|住建局|财政局、水务局|2024-09-30|主体完工。",
		"2|新建养老服务中心。||民政局|卫健委||已开工。",
		"3|整治背街小巷。||城管局|住建局||完成8条。",
	}
	if len(c.Records) != len(want) {
		t.Fatalf("%d records, want %d", len(c.Records), len(want))
	}
	for i, r := range c.Records {
		got := strings.Join([]string{itoa(r.No), r.Text, strings.Join(r.LeadLeaders, "、"), strings.Join(r.LeadUnits, "、"),
			strings.Join(r.CoUnits, "、"), r.Due.ISO(), r.Progress}, "|")
		if got != want[i] {
			t.Errorf("record %d = %q, want %q", i, got, want[i])
		}
	}
}
