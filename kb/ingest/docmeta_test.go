package ingest

import "testing"

func TestDocYearAndPlace(t *testing.T) {
	tests := []struct {
		name       string
		lines      []string
		year       int
		from       string
		place, suf string
	}{
		{"title", []string{"青溪县2025年重点工作任务上半年推进情况", "正文"}, 2025, "title", "", ""},
		{"date line", []string{"关于印发若干措施的通知", "中共某市委  某市人民政府", "2019年10月24日"}, 2019, "date line", "", ""},
		{"Chinese date line", []string{"关于印发实施方案的通知", "如东县人民政府", "二〇二五年二月十八日"}, 2025, "date line", "如东", "县"},
		{"most frequent", []string{"今年以来，全市上下……", "2018年基数", "2019年目标", "2019年完成"}, 2019, "most frequent year in the text", "", ""},
		{"issuing body", []string{"青溪县人民政府关于印发2025年县政府重点工作任务分解表的通知"}, 2025, "title", "青溪", "县"},
		{"no year", []string{"关于做好某项工作的通知"}, 0, "", "", ""},
	}
	for _, tt := range tests {
		d := &Document{File: "x.txt", Lines: tt.lines, NumLines: len(tt.lines)}
		d.Title = guessTitle(tt.lines)
		y, from := docYear(d)
		if y != tt.year || from != tt.from {
			t.Errorf("%s: docYear = %d (%s), want %d (%s)", tt.name, y, from, tt.year, tt.from)
		}
		if tt.place != "" {
			if p, s := docPlaceFull(d); p != tt.place || s != tt.suf {
				t.Errorf("%s: docPlaceFull = %q %q, want %q %q", tt.name, p, s, tt.place, tt.suf)
			}
		}
	}
}
