package handlers

import (
	"fmt"
	"strings"
	"time"

	"duban/kb"
	"duban/kb/textnorm"
)

// timeWindow reads the due-date window a question asks about: a lexicon
// time word (本月, 下半年, 上个月), a month (8月底前), a quarter (三季度末,
// 第三季度), a span from today (两周内, 30天内) or a status (已逾期). A month
// or a half year without a year means that period of planYear, since
// officials ask "8月底前" about the current plan.
func timeWindow(f *Frame, now time.Time, planYear int) *Window {
	today := dayOf(now)
	// a time word is a due window only in a question about tasks or dates:
	// 今天星期几 is not
	if !(dueCue(f.Text) || f.List || f.Count || f.has(tagGeneric) || f.fields&fDeadline != 0 || len(f.Status) > 0 || len(f.Units) > 0 || len(f.Persons) > 0) {
		return nil
	}
	if f.hasStatus("overdue") {
		return &Window{To: today, Open: true, Label: "已逾期（截至" + today.Format("2006年1月2日") + "）"}
	}
	for _, t := range f.tags {
		if t.kind == tagTime {
			if w := namedWindow(t.value, today, planYear); w != nil {
				return w
			}
		}
	}
	if len(f.Refs) > 0 {
		return nil
	}
	// English months: "due by the end of August", "due in May"
	for i, m := range enMonths {
		if f.English && wordIn(f.Text, m) {
			end := time.Date(planYear, time.Month(i+2), 1, 0, 0, 0, 0, kb.Location)
			return &Window{To: end, Open: true, Label: fmt.Sprintf("%d月底前到期", i+1)}
		}
	}
	for _, t := range f.tags {
		if t.kind != tagNumber {
			continue
		}
		n := t.num
		rest := f.Text[t.end:]
		switch {
		case n.Kind == textnorm.Date && n.Word == "月" && n.Value >= 1 && n.Value <= 12:
			suffix := strings.HasPrefix(rest, "底") || strings.HasPrefix(rest, "末") || strings.HasPrefix(rest, "前") ||
				strings.HasPrefix(rest, "份") || strings.HasPrefix(rest, "中旬") || strings.HasPrefix(rest, "下旬") || strings.HasPrefix(rest, "以前") || strings.HasPrefix(rest, "之前")
			if !suffix && !f.List && f.fields&fDeadline == 0 && !dueCue(f.Text) {
				continue
			}
			end := time.Date(planYear, time.Month(n.Value)+1, 1, 0, 0, 0, 0, kb.Location)
			return &Window{To: end, Open: true, Label: fmt.Sprintf("%d月底前到期", n.Value)}
		case (n.Kind == textnorm.Quantity || n.Kind == textnorm.Ordinal) && (n.Word == "季度" || n.Word == "季") && n.Value >= 1 && n.Value <= 4:
			from := time.Date(planYear, time.Month(3*n.Value-2), 1, 0, 0, 0, 0, kb.Location)
			to := from.AddDate(0, 3, 0)
			if strings.HasPrefix(rest, "末") || strings.HasPrefix(rest, "底") || strings.HasPrefix(rest, "前") || strings.HasPrefix(rest, "以前") {
				return &Window{To: to, Open: true, Label: fmt.Sprintf("%d季度末前到期", n.Value)}
			}
			return &Window{From: from, To: to, Label: fmt.Sprintf("第%d季度到期", n.Value)}
		case n.Kind == textnorm.Quantity && n.Value > 0 && (n.Word == "天" || n.Word == "周" || n.Word == "星期" ||
			n.Word == "个" && hasAnyPrefix(rest, []string{"月", "星期", "礼拜"})):
			week := n.Word == "周" || n.Word == "星期" || n.Word == "个" && !strings.HasPrefix(rest, "月")
			r := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(rest, "月"), "星期"), "礼拜")
			// 两周内, 30天以内, 还有两个星期就到期
			within := hasAnyPrefix(r, []string{"内", "以内", "之内", "里"}) ||
				strings.Contains(f.Text[:t.start], "还有") || hasAnyPrefix(r, []string{"就到期", "后到期", "内到期"})
			if !within {
				continue
			}
			days, unit := n.Value, "天"
			to := today.AddDate(0, 0, days+1)
			switch {
			case week:
				to, unit = today.AddDate(0, 0, 7*days+1), "周"
			case n.Word == "个":
				to, unit = today.AddDate(0, days, 1), "个月"
			}
			return &Window{From: today, To: to, Label: fmt.Sprintf("%d%s内（至%s）到期", days, unit, to.AddDate(0, 0, -1).Format("1月2日"))}
		}
	}
	return nil
}

var enMonths = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// wordIn reports whether w is a whole word of s.
func wordIn(s, w string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], w)
		if k < 0 {
			return false
		}
		k += i
		if (k == 0 || !isASCIILetter(s[k-1])) && (k+len(w) == len(s) || !isASCIILetter(s[k+len(w)])) {
			return true
		}
		i = k + len(w)
	}
}

// dueCue reports whether the question speaks of a due date at all.
func dueCue(s string) bool {
	return containsAny(s, "到期", "完成", "截止", "要办", "办结", "due", "deadline")
}

// namedWindow resolves a lexicon time word.
func namedWindow(v string, today time.Time, planYear int) *Window {
	mstart := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, kb.Location)
	switch v {
	case "today":
		return &Window{From: today, To: today.AddDate(0, 0, 1), Label: "今天到期"}
	case "this_week":
		f := weekStart(today)
		return &Window{From: f, To: f.AddDate(0, 0, 7), Label: "本周到期"}
	case "next_week":
		f := weekStart(today).AddDate(0, 0, 7)
		return &Window{From: f, To: f.AddDate(0, 0, 7), Label: "下周到期"}
	case "this_month":
		return &Window{From: mstart, To: mstart.AddDate(0, 1, 0), Label: fmt.Sprintf("本月（%d月）到期", today.Month())}
	case "next_month":
		f := mstart.AddDate(0, 1, 0)
		return &Window{From: f, To: f.AddDate(0, 1, 0), Label: fmt.Sprintf("下月（%d月）到期", f.Month())}
	case "last_month":
		f := mstart.AddDate(0, -1, 0)
		return &Window{From: f, To: mstart, Label: fmt.Sprintf("上月（%d月）到期", f.Month())}
	case "this_quarter", "next_quarter":
		q := (int(today.Month()) - 1) / 3
		f := time.Date(today.Year(), time.Month(3*q+1), 1, 0, 0, 0, 0, kb.Location)
		label := "本季度"
		if v == "next_quarter" {
			f, label = f.AddDate(0, 3, 0), "下季度"
		}
		return &Window{From: f, To: f.AddDate(0, 3, 0), Label: fmt.Sprintf("%s（%d月至%d月）到期", label, f.Month(), f.AddDate(0, 2, 0).Month())}
	case "h1":
		return &Window{To: time.Date(planYear, 7, 1, 0, 0, 0, 0, kb.Location), Open: true, Label: "上半年到期"}
	case "h2":
		return &Window{From: time.Date(planYear, 7, 1, 0, 0, 0, 0, kb.Location), To: time.Date(planYear+1, 1, 1, 0, 0, 0, 0, kb.Location), Label: "下半年到期"}
	case "year_end":
		return &Window{To: time.Date(planYear+1, 1, 1, 0, 0, 0, 0, kb.Location), Open: true, Label: "年底前到期"}
	}
	return nil
}
