package handlers

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"duban/kb"
)

// IntentBulletin is the Reply.Intent of a weekly or monthly 通报.
const IntentBulletin = "bulletin"

// A BulletinUnit is one lead unit's standing in a 通报.
type BulletinUnit struct {
	Unit  string
	Total int // dated tasks it leads
	Done  int // reported done
	Due   int // due by the report's day, or done: the rate's denominator
	Red   []*kb.Record
}

// Rate is Done over Due; ok is false when nothing was due yet.
func (u BulletinUnit) Rate() (float64, bool) {
	if u.Due == 0 {
		return 0, false
	}
	return float64(u.Done) / float64(u.Due), true
}

// BulletinFigures are the totals a 通报 compares with the previous one.
type BulletinFigures struct {
	At   time.Time `json:"at"`
	Done int       `json:"done"`
	Due  int       `json:"due"`
	Red  int       `json:"red"`
	// Claimed are the done tasks still awaiting review (待审核), counted in
	// Done as reminders count them.
	Claimed int            `json:"claimed,omitempty"`
	Reds    map[string]int `json:"reds,omitempty"` // red tasks by unit
}

// A Bulletin is the content of one 通报.
type Bulletin struct {
	Period string    // "2020年第35周", "2020年8月"
	At     time.Time // the report's moment
	Units  []BulletinUnit
	// Now are this report's totals; Prev the previous report's, nil for
	// the first.
	Now, Prev *BulletinFigures
	// Link is where the full table is (the dashboard or its export), for
	// chats that get no file; Attachment names the file sent after the
	// message, "" for none.
	Link, Attachment string
	// Limit is the platform's message size in bytes; the unit lists are
	// cut to fit it. Default: 0, no limit.
	Limit int
	// Tables name tasks as answers do.
	Tables []kb.TableInfo
}

// bulletinTop is how many units the 逾期最多 line names.
const bulletinTop = 3

// BulletinOf renders a 通报 as one compact message: the totals, the
// completion rate of each unit with something due (lowest first), the red
// tasks by unit, the units with most overdue, and what changed since the
// previous report; the full table is attached or linked.
//
//	督办通报（2020年第35周，截至8月28日）：应完成45项，已完成30项，完成率66.7%；红灯15项。
func BulletinOf(b Bulletin) Reply {
	d := b.At.In(kb.Location)
	now := b.Now
	if now == nil {
		now = &BulletinFigures{}
	}
	head := fmt.Sprintf("督办通报（%s，截至%d月%d日）：应完成%d项，已完成%d项", b.Period, int(d.Month()), d.Day(), now.Due, now.Done)
	if now.Claimed > 0 {
		head += fmt.Sprintf("（含待审核%d项）", now.Claimed)
	}
	if now.Due > 0 {
		head += "，完成率" + percent(now.Done, now.Due)
	}
	head += fmt.Sprintf("；红灯%d项。", now.Red)
	budget := 1 << 30
	if b.Limit > 0 {
		budget = b.Limit*9/10 - len(head) - 400
	}
	lh := &Handler{tables: b.Tables}
	var lines []string
	add := func(title string, items []string, rest string) {
		if len(items) == 0 {
			return
		}
		line := title
		n := 0
		for _, it := range items {
			sep := "、"
			if n == 0 {
				sep = ""
			}
			if len(line)+len(sep)+len(it) > budget/3 && n > 0 {
				break
			}
			line += sep + it
			n++
		}
		if n < len(items) {
			line += fmt.Sprintf("等%d%s", len(items), rest)
		}
		lines = append(lines, line)
	}

	rated := slices.Clone(b.Units)
	rated = slices.DeleteFunc(rated, func(u BulletinUnit) bool { return u.Due == 0 })
	slices.SortStableFunc(rated, func(x, y BulletinUnit) int {
		rx, _ := x.Rate()
		ry, _ := y.Rate()
		return cmp.Or(cmp.Compare(rx, ry), cmp.Compare(y.Due, x.Due), cmp.Compare(x.Unit, y.Unit))
	})
	var rates []string
	for _, u := range rated {
		rates = append(rates, fmt.Sprintf("%s%s（%d/%d）", u.Unit, percent(u.Done, u.Due), u.Done, u.Due))
	}
	add("【完成率】", rates, "个单位")

	red := slices.Clone(b.Units)
	red = slices.DeleteFunc(red, func(u BulletinUnit) bool { return len(u.Red) == 0 })
	slices.SortStableFunc(red, func(x, y BulletinUnit) int {
		return cmp.Or(cmp.Compare(len(y.Red), len(x.Red)), cmp.Compare(x.Unit, y.Unit))
	})
	var reds []string
	for _, u := range red {
		reds = append(reds, fmt.Sprintf("%s%d项（%s）", u.Unit, len(u.Red), redNumbers(lh, u.Red)))
	}
	add("【红灯】", reds, "个单位")
	var top []string
	for i, u := range red {
		if i == bulletinTop {
			break
		}
		top = append(top, fmt.Sprintf("%s%d项", u.Unit, len(u.Red)))
	}
	if len(top) > 0 {
		lines = append(lines, "【逾期最多】"+strings.Join(top, "、"))
	}
	if c := bulletinChanges(b.Now, b.Prev); c != "" {
		lines = append(lines, c)
	}
	r := Reply{Intent: IntentBulletin, Head: head, Lines: lines}
	switch {
	case b.Attachment != "":
		r.More = "完整表格见随后发送的附件：" + b.Attachment
	case b.Link != "":
		r.More = "完整表格：" + b.Link
	}
	return r
}

// redNumbers names a unit's first red tasks: 重点工作第12项、重点工作第76项、….
func redNumbers(lh *Handler, recs []*kb.Record) string {
	var parts []string
	for i, r := range recs {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, lh.tableLabel(r.Table, r.No, false))
	}
	return strings.Join(parts, "、")
}

// bulletinChanges compares with the previous report: 【较上期（8月21日）】
// 新完成3项，红灯+2项，完成率60.0%→66.7%；红灯增加：住建局+2.
func bulletinChanges(now, prev *BulletinFigures) string {
	if now == nil || prev == nil {
		return ""
	}
	p := prev.At.In(kb.Location)
	out := fmt.Sprintf("【较上期（%d月%d日）】新完成%d项，红灯%s项", int(p.Month()), p.Day(), now.Done-prev.Done, signed(now.Red-prev.Red))
	if now.Due > 0 && prev.Due > 0 {
		out += "，完成率" + percent(prev.Done, prev.Due) + "→" + percent(now.Done, now.Due)
	}
	type delta struct {
		unit string
		n    int
	}
	var up []delta
	for u, n := range now.Reds {
		if d := n - prev.Reds[u]; d > 0 {
			up = append(up, delta{u, d})
		}
	}
	slices.SortFunc(up, func(a, b delta) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.unit, b.unit)) })
	if len(up) > 0 {
		var ps []string
		for i, d := range up {
			if i == bulletinTop {
				ps = append(ps, "…")
				break
			}
			ps = append(ps, d.unit+"+"+strconv.Itoa(d.n))
		}
		out += "；红灯增加：" + strings.Join(ps, "、")
	}
	return out
}

// percent is done/due with one decimal: 66.7%.
func percent(done, due int) string {
	return strconv.FormatFloat(float64(done)*100/float64(due), 'f', 1, 64) + "%"
}

// signed is a change with its sign: +2, -1, ±0.
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n == 0:
		return "±0"
	}
	return strconv.Itoa(n)
}
