package ingest

import (
	"strings"
	"testing"
)

// TestCountyPlanIndicators: a county's indicator table titled without 表N
// ("青溪县“十五五”经济社会发展主要指标") is read as the seeds' 表1 is.
func TestCountyPlanIndicators(t *testing.T) {
	c := loadCountyFiles(t, "qx_2025_guihua.txt")
	want := []string{
		"经济发展 1 地区生产总值年均增长 % 6左右 预期性",
		"经济发展 2 研发经费投入强度 % 3.0 预期性",
		"绿色生态 3 单位GDP能耗降低 % 完成市下达任务 约束性",
	}
	if len(c.Indicators) != len(want) {
		t.Fatalf("%d indicators, want %d: %+v", len(c.Indicators), len(want), c.Indicators)
	}
	for i, in := range c.Indicators {
		got := strings.Join([]string{in.Category, itoa(in.No), in.Name, in.Unit, in.Target, in.Attribute}, " ")
		if got != want[i] || in.Table != "青溪县“十五五”经济社会发展主要指标" {
			t.Errorf("indicator %d = %q in %q, want %q", i, got, in.Table, want[i])
		}
	}
}
