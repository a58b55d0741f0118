package dashboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/kb"
	"duban/progress"
)

// counts is a group's figures in the order of a 通报 row.
type counts struct {
	Total, Red, Yellow, Green, Done, Undated, Due, Overdue int
	Rate                                                   string
}

func countsOf(g Group) counts {
	return counts{g.Total, g.Lights[progress.LightRed], g.Lights[progress.LightYellow], g.Lights[progress.LightGreen],
		g.Lights[progress.LightDone], g.Lights[progress.LightUndated], g.Due, g.Overdue, g.RateText()}
}

func findGroup(gs []Group, name string) (Group, bool) {
	for _, g := range gs {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

// TestFiguresOnSeeds checks the overview's figures on the seeds with the
// fixture journal (reports) against counts made by hand from the documents.
//
// On 2020-12-20 (yellow window 14 days): 171 of the 173 key tasks are due
// 12月底前 (11 days left), #17 8月底前 and #154 6月底前. Of the 50 实事,
// 48 are due 12月底前, #13 6月底前 and #25 5月底前. 25 of the 85 measures
// are dated: 3 in 2019 (#1, #3, #67), #64 in 2021, 21 in 2020年底. The 100
// Nantong tasks are undated. 住建局 leads key tasks 8 23 37 46 49 66-72 76
// 78 79 99 109 111 115 (19), 实事 7 (6 due 12月底, #25 5月底), measures 10
// (#3 due 2019, 4 due 2020年底, 5 undated).
func TestFiguresOnSeeds(t *testing.T) {
	b := seeds(t)
	d := New(Config{Base: func() *kb.Base { return b }, History: reports().history})
	tests := []struct {
		name   string
		day    time.Time
		filter Filter
		group  string // "" for the total, else a lead unit
		want   counts
	}{
		// key tasks: red #17; done 76 154 3; green 66 (in progress); yellow the rest.
		{"key tasks 12-20", day(12, 20, 0), Filter{Table: kb.KeyTasks}, "",
			counts{173, 1, 168, 1, 3, 0, 4, 1, "75%"}},
		{"住建局 key tasks 12-20", day(12, 20, 0), Filter{Table: kb.KeyTasks}, "住建局",
			counts{19, 0, 17, 1, 1, 0, 1, 0, "100%"}},
		{"交通局 key tasks 12-20", day(12, 20, 0), Filter{Table: kb.KeyTasks}, "交通局",
			counts{10, 0, 9, 0, 1, 0, 1, 0, "100%"}},
		{"项目办 key tasks 12-20", day(12, 20, 0), Filter{Table: kb.KeyTasks}, "项目办",
			counts{6, 1, 5, 0, 0, 0, 1, 1, "0%"}},
		// a section: 九 has 11 key tasks, all due 12月底, none reported.
		{"section 九 12-20", day(12, 20, 0), Filter{Table: kb.KeyTasks, Section: "九、全面加强政府自身建设"}, "",
			counts{11, 0, 11, 0, 0, 0, 0, 0, "—"}},
		// a section and a light: 八 (平安建设) holds #154, done in June.
		{"section 八 done 12-20", day(12, 20, 0), Filter{Section: "八、深化平安建设，彰显社会治理新成效", Light: progress.LightDone}, "",
			counts{1, 0, 0, 0, 1, 0, 1, 0, "100%"}},
		// every table: red 17, 实事13, measures 1 3 67; done 76 154 3, 实事25;
		// green 66 and measure 64 (2021); undated 100 + 60.
		{"all 12-20", day(12, 20, 0), Filter{}, "",
			counts{408, 5, 237, 2, 4, 160, 9, 5, "44.4%"}},
		{"住建局 all 12-20", day(12, 20, 0), Filter{}, "住建局",
			counts{36, 1, 27, 1, 2, 5, 3, 1, "66.7%"}},
		// 12-31: everything of 2020 is due today (yellow or green, not red),
		// and #3's completion was withdrawn on 12-25.
		{"key tasks 12-31", day(12, 31, 0), Filter{Table: kb.KeyTasks}, "",
			counts{173, 1, 169, 1, 2, 0, 173, 1, "1.2%"}},
		// 2021-01-04: every unfinished key task is late.
		{"key tasks 2021-01-04", time.Date(2021, 1, 4, 9, 0, 0, 0, kb.Location), Filter{Table: kb.KeyTasks}, "",
			counts{173, 171, 0, 0, 2, 0, 173, 171, "1.2%"}},
		// before any report: 9月1日, key #76 not done yet, #154 done.
		{"key tasks 09-01", day(9, 1, 0), Filter{Table: kb.KeyTasks}, "",
			counts{173, 1, 0, 171, 1, 0, 2, 1, "50%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := d.compute(context.Background(), b, tt.day, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			g := v.board.Total
			if tt.group != "" {
				var ok bool
				if g, ok = findGroup(v.board.Units, tt.group); !ok {
					t.Fatalf("no unit %s on the board", tt.group)
				}
			}
			if got := countsOf(g); got != tt.want {
				t.Errorf("%s at %s = %+v, want %+v", tt.group, tt.day.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

// TestMostBehindFirst checks the default order: overdue first, then the
// lowest rate.
func TestMostBehindFirst(t *testing.T) {
	b := seeds(t)
	d := New(Config{Base: func() *kb.Base { return b }, History: reports().history})
	v, err := d.compute(context.Background(), b, day(12, 20, 0), Filter{Table: kb.KeyTasks})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.board.Units[0].Name; got != "项目办" {
		t.Errorf("first unit = %s, want 项目办 (the only one with a late key task)", got)
	}
	for i := 1; i < len(v.board.Units); i++ {
		if v.board.Units[i].Overdue > v.board.Units[i-1].Overdue {
			t.Fatalf("unit %d (%s) has more overdue than the one before", i, v.board.Units[i].Name)
		}
	}
}

// TestLeadersFromDivisionOfLabour checks that a task counts for its 牵头领导
// and for the leader who 分管 its lead unit.
func TestLeadersFromDivisionOfLabour(t *testing.T) {
	b := seeds(t)
	d := New(Config{Base: func() *kb.Base { return b }})
	v, err := d.compute(context.Background(), b, day(12, 20, 0), Filter{Leader: "茅敏勇"})
	if err != nil {
		t.Fatal(err)
	}
	var has76 bool
	for _, task := range v.board.Tasks {
		if task.Table == kb.KeyTasks && task.No == 76 {
			has76 = true
			if !contains(task.Leaders(), "周国强") {
				t.Errorf("task 76 leaders %v lack its 牵头领导 周国强", task.Leaders())
			}
		}
	}
	if !has76 {
		t.Errorf("leader 茅敏勇 (分管 住建局) has no key task 76 (住建局)")
	}
	g, ok := findGroup(v.board.Leaders, "茅敏勇")
	if !ok || g.Total != len(v.board.Tasks) {
		t.Errorf("leader group 茅敏勇 = %+v, want all %d filtered tasks", g, len(v.board.Tasks))
	}
}

// TestMonthsAndAhead checks the completion chart and the due-dates count.
func TestMonthsAndAhead(t *testing.T) {
	b := seeds(t)
	d := New(Config{Base: func() *kb.Base { return b }, History: reports().history})
	v, err := d.compute(context.Background(), b, day(11, 20, 0), Filter{Table: kb.KeyTasks})
	if err != nil {
		t.Fatal(err)
	}
	ms := v.board.Months
	if len(ms) != 11 {
		t.Fatalf("months = %d, want 11 (January to November)", len(ms))
	}
	// June: #154 due and done; August: #17 due too; September: #76 done
	// early (counted as due, as the rate counts it); October: #3 done
	// (withdrawn only in December).
	want := map[string]Month{
		"2020-05": {"2020-05", 0, 0}, "2020-06": {"2020-06", 1, 1}, "2020-08": {"2020-08", 2, 1},
		"2020-09": {"2020-09", 3, 2}, "2020-10": {"2020-10", 4, 3}, "2020-11": {"2020-11", 4, 3},
	}
	for _, m := range ms {
		if w, ok := want[m.Month]; ok && m != w {
			t.Errorf("month %s = %+v, want %+v", m.Month, m, w)
		}
	}
	// Ahead of 11-20: the 171 12月底 tasks minus #76 and #3 (done then):
	// 169 next month, none this month; the quarter (Oct–Dec) holds them too.
	a := v.board.Ahead
	if a.ThisMonth != 0 || a.NextMonth != 169 || a.ThisQuarter != 169 {
		t.Errorf("ahead = %d this month, %d next, %d quarter; want 0, 169, 169", a.ThisMonth, a.NextMonth, a.ThisQuarter)
	}
}

func TestSortGroups(t *testing.T) {
	rate := func(f float64) *float64 { return &f }
	mk := func(name string, total, red, yellow, overdue int, r *float64) Group {
		g := *newGroup(name)
		g.Total, g.Overdue, g.Rate = total, overdue, r
		g.Lights[progress.LightRed], g.Lights[progress.LightYellow] = red, yellow
		return g
	}
	gs := []Group{
		mk("甲", 10, 0, 5, 0, nil),
		mk("乙", 3, 2, 0, 2, rate(50)),
		mk("丙", 8, 1, 7, 1, rate(0)),
		mk("丁", 8, 1, 2, 1, rate(0)),
		mk("戊", 20, 0, 1, 0, rate(100)),
	}
	tests := []struct{ key, want string }{
		{"", "乙 丙 丁 戊 甲"},        // behind: overdue, then rate, then yellow
		{"behind", "乙 丙 丁 戊 甲"},  // the same, named
		{"rate", "丁 丙 乙 戊 甲"},    // lowest first, nothing due last; ties by name
		{"overdue", "乙 丁 丙 戊 甲"}, // ties by name (Unicode order)
		{"yellow", "丙 甲 丁 戊 乙"},
		{"total", "戊 甲 丁 丙 乙"},
		{"name", "丁 丙 乙 戊 甲"},
	}
	for _, tt := range tests {
		sorted := append([]Group(nil), gs...)
		sortGroups(sorted, tt.key)
		var names []string
		for _, g := range sorted {
			names = append(names, g.Name)
		}
		if got := strings.Join(names, " "); got != tt.want {
			t.Errorf("sort %q = %s, want %s", tt.key, got, tt.want)
		}
	}
}
