package questiongen

import (
	"strconv"
	"time"

	"duban/kb"
)

// A window is a time span officials name relative to now.
type window struct {
	name     string // template name
	words    []string
	en       string    // the English question, "" for none
	from, to time.Time // [from, to)
}

// windows returns the spans of the time words of the lexicon, resolved at
// now in Asia/Shanghai.
func windows(now time.Time) []window {
	now = now.In(kb.Location)
	y, m, _ := now.Date()
	day := time.Date(y, m, now.Day(), 0, 0, 0, 0, kb.Location)
	month := func(k int) time.Time { return time.Date(y, m+time.Month(k), 1, 0, 0, 0, 0, kb.Location) }
	q := (int(m) - 1) / 3
	quarter := func(k int) time.Time { return time.Date(y, time.Month(3*(q+k)+1), 1, 0, 0, 0, 0, kb.Location) }
	year := func(mm int) time.Time { return time.Date(y, time.Month(mm), 1, 0, 0, 0, 0, kb.Location) }
	days := func(n int) time.Time { return day.AddDate(0, 0, n+1) }
	return []window{
		{"this_month", []string{"本月", "这个月"}, "which tasks are due this month", month(0), month(1)},
		{"next_month", []string{"下个月", "下月"}, "which tasks are due next month", month(1), month(2)},
		{"last_month", []string{"上个月", "上月"}, "which tasks were due last month", month(-1), month(0)},
		{"this_quarter", []string{"本季度", "这个季度"}, "which tasks are due this quarter", quarter(0), quarter(1)},
		{"next_quarter", []string{"下季度", "下个季度"}, "", quarter(1), quarter(2)},
		{"second_half", []string{"下半年"}, "", year(7), year(13)},
		{"first_half", []string{"上半年"}, "", year(1), year(7)},
		{"by_year_end", []string{"年底前", "今年年底前"}, "which tasks are due by the end of the year", day, year(13)},
		{"within_7_days", []string{"7天内", "一周内"}, "which tasks are due within 7 days", day, days(7)},
		{"within_14_days", []string{"两周内", "14天内"}, "which tasks are due in the next two weeks", day, days(14)},
		{"within_30_days", []string{"30天内", "一个月内"}, "", day, days(30)},
		{"overdue", []string{"已逾期", "已经超期", "过了截止日期还没完成"}, "which tasks are overdue", time.Time{}, day},
		{"within_10_days", []string{"10天内", "十天之内"}, "", day, days(10)},
		{"within_45_days", []string{"45天内", "四十五天以内"}, "which tasks are due within 45 days", day, days(45)},
		{"within_100_days", []string{"100天内", "一百天内"}, "", day, days(100)},
		{"within_150_days", []string{"150天内"}, "", day, days(150)},
	}
}

var askWindow = []phrasing{
	{"due", "{w}到期的任务有哪些"},
	{"finish", "{w}要完成的有哪些"},
	{"which", "哪些任务{w}到期"},
}

// windowDrafts ask which tasks fall due in each time window at now. A
// small result lists every task number; a large one states its count; an
// empty one says there is none.
func (g *gen) windowDrafts(now time.Time) []draft {
	if now.IsZero() {
		return nil
	}
	var out []draft
	for _, w := range windows(now) {
		nos := g.dueIn(w.from, w.to)
		// "年底前到期" may also be read as every task due by year end,
		// overdue ones included; an answer that says which it counts is
		// right either way.
		alt := len(g.dueIn(time.Time{}, w.to))
		for i, word := range w.words {
			p := askWindow[g.rot("window", len(askWindow))]
			exp := Case{}
			switch {
			case len(nos) == 0:
				exp.Any = [][]string{{"没有", "暂无", "无到期", "no task", "none", "nothing"}}
			case len(nos) <= listShown:
				exp.ExpectNos = nos
			default:
				n, a := strconv.Itoa(len(nos)), strconv.Itoa(alt)
				exp.Any = [][]string{{"共" + n, n + "项", n + "个", ":" + n, "共" + a, a + "项", a + "个", ":" + a}}
			}
			d := draft{kind: "window", template: "window." + w.name + "." + p.name,
				zh: replace(p.zh, "{w}", word), exp: exp}
			if i == 0 {
				d.en = w.en
			}
			out = append(out, d)
		}
	}
	return out
}

// dueIn returns the numbers of the records due in [from, to).
func (g *gen) dueIn(from, to time.Time) []int {
	var nos []int
	for _, r := range g.b.Records() {
		if r.Due != nil && !r.Due.Before(from) && r.Due.Before(to) {
			nos = append(nos, r.No)
		}
	}
	return nos
}
