// Package deadline parses the completion-time cells of task tables
// ("8月底前", "全年", "河道疏浚12月底前") into dates, by the rules of DESIGN.md
// "Time": the plan year comes from the document; open-ended terms such as
// "长期" and "持续" have no date and are not an error.
package deadline

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrUnrecognized is returned for a cell no rule understands. The caller
// keeps the text and flags the record (kb check lists it).
var ErrUnrecognized = errors.New("deadline not recognized")

// A Deadline is a parsed completion-time cell.
type Deadline struct {
	Text      string    // the cell as written, whitespace removed
	Qualifier string    // what the date applies to: "河道疏浚" of "河道疏浚12月底前"
	Due       time.Time // zero for open-ended deadlines
	OpenEnded bool      // 长期, 持续, 常态化
	// From is the start of a range ("6—9月" starts 6月1日), zero otherwise.
	From time.Time
}

// ISO returns the due date as "2006-01-02", or "" when there is none.
func (d Deadline) ISO() string {
	if d.Due.IsZero() {
		return ""
	}
	return d.Due.Format(time.DateOnly)
}

var (
	reYearMonth = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(?:份)?(底|末|中旬|上旬|下旬|中|初)?(?:前|之前|以前|完成)?$`)
	reYearEnd   = regexp.MustCompile(`^(?:(\d{4})年)?(?:全年|年内|年底|年末|12月底)(?:前|之前|完成)?$`)
	reQuarter   = regexp.MustCompile(`^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?(?:前|之前)?$`)
	reHalf      = regexp.MustCompile(`^(?:(\d{4})年)?(上|下)半年(?:前|之前)?$`)
	reYearOnly  = regexp.MustCompile(`^(\d{4})年(?:底|末)?(?:前|之前)?$`)
	reDate      = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:前|之前)?$`)
	reTail      = regexp.MustCompile(`((?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?(?:份)?(?:底|末|中旬|上旬|下旬|中|初)?|全年|年内|年底|年末|上半年|下半年|(?:第)?[一二三四1-4]季度(?:末|底)?)(?:前|之前|以前|完成)?)$`)
)

var openEnded = []string{"长期", "持续", "常态化", "长效", "逐年推进", "动态", "每月", "每季度", "每半年", "每年", "定期", "常年",
	"按序时", "按时序", "按进度", "按上级", "根据上级", "常态", "逐步", "分年度", "按年度", "及时", "适时", "随时"}

// reYearWord are a year's own words: 2025年度 is 2025年, 2025年内 its end.
var (
	reYearDu     = regexp.MustCompile(`^(\d{4})年度`)
	reYearWithin = regexp.MustCompile(`^(\d{4})年内`)
)

// yearWords rewrites the words for "this year" into the forms the rules
// read: 今年底 → 年底, 本年度 / 当年 / 年度内 → 年内, 2025年内 → 2025年底.
func yearWords(t string) string {
	for _, p := range []string{"今年", "本年度", "本年", "当年"} {
		if rest, ok := strings.CutPrefix(t, p); ok {
			switch rest {
			case "", "度", "内", "度内", "完成", "内完成":
				return "年内"
			}
			if strings.HasPrefix(rest, "底") || strings.HasPrefix(rest, "末") {
				return "年" + rest
			}
			return rest
		}
	}
	t = strings.Replace(t, "年度内", "年内", 1)
	t = reYearWithin.ReplaceAllString(t, "${1}年底")
	return reYearDu.ReplaceAllString(t, "${1}年")
}

// reDotted is a date written with dots, dashes or slashes: 2025.6.30,
// 2025-06, 2025/6/30, 6.30前.
var reDotted = regexp.MustCompile(`^(?:(\d{4})[.\-/．])?(\d{1,2})(?:[.\-/．](\d{1,2}))?(前|之前|以前|底前|底)?$`)

// dotted rewrites a dotted date into the 年月日 form the rules read:
// "2025.6.30" → "2025年6月30日"; "6.30前" → "6月30日前". A bare number
// ("6") is left alone: it is no date.
func dotted(t string) string {
	m := reDotted.FindStringSubmatch(t)
	if m == nil || (m[1] == "" && m[3] == "") {
		return t
	}
	out := ""
	if m[1] != "" {
		out = m[1] + "年"
	}
	out += m[2] + "月"
	if m[3] != "" {
		out += m[3] + "日"
	}
	return out + m[4]
}

var (
	// reMonthRange is a range of months: 6—9月, 2025年6月-9月, 6至9月底前.
	reMonthRange = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月?[-—–~～至到](\d{1,2})月(?:底|末)?(?:前|之前|完成)?$`)
	// reYearRange is a range of years: 2025—2027年, 2025年至2027年底.
	reYearRange = regexp.MustCompile(`^(\d{4})年?[-—–~～至到](\d{4})年(?:底|末)?(?:前|之前|完成)?$`)
	// reAnywhere finds a date phrase inside a longer cell:
	// "分阶段推进，12月底前完成主体工程".
	reAnywhere = regexp.MustCompile(`(?:\d{4}年)?(?:\d{1,2}月?[-—–~～至到])?(?:\d{1,2}月(?:\d{1,2}日)?(?:份)?(?:底|末|中旬|上旬|下旬|中|初)?|全年|年内|年底|年末|上半年|下半年|(?:第)?[一二三四1-4]季度(?:末|底)?)(?:前|之前|以前)?|\d{4}年(?:底|末)(?:前|之前)?`)
)

// Parse interprets a completion-time cell of a table planned for year.
func Parse(text string, year int) (Deadline, error) {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, text)
	t = toHalfWidth(t)
	d := Deadline{Text: t}
	t = yearWords(dotted(t))
	if t == "" {
		return d, ErrUnrecognized
	}
	if due, from, ok := parseRange(t, year); ok {
		d.Due, d.From = due, from
		return d, nil
	}
	if due, ok := parseExact(t, year); ok {
		d.Due = due
		return d, nil
	}
	// A qualified deadline: "河道疏浚12月底前" keeps "河道疏浚" as qualifier.
	if m := reTail.FindStringSubmatchIndex(t); m != nil && m[2] > 0 && !countsYears(t, m[2]) {
		if due, ok := parseExact(t[m[2]:], year); ok {
			d.Qualifier = strings.TrimRight(t[:m[2]], "，,：:、")
			d.Due = due
			return d, nil
		}
	}
	// A date inside a sentence ("分阶段推进，12月底前完成主体工程"): the
	// latest date is the deadline, the rest of the cell its qualifier.
	best, at := time.Time{}, []int(nil)
	for _, loc := range reAnywhere.FindAllStringIndex(t, -1) {
		phrase := t[loc[0]:loc[1]]
		if countsYears(t, loc[0]) {
			continue
		}
		due, ok := parseExact(phrase, year)
		if !ok {
			due, _, ok = parseRange(phrase, year)
		}
		if ok && due.After(best) {
			best, at = due, loc
		}
	}
	if at != nil {
		d.Due = best
		d.Qualifier = strings.Trim(t[:at[0]]+t[at[1]:], "，,：:、。；; ")
		return d, nil
	}
	for _, o := range openEnded {
		if strings.HasPrefix(t, o) {
			d.OpenEnded = true
			return d, nil
		}
	}
	return d, ErrUnrecognized
}

// countsYears reports whether the phrase at t[i:] opening with 年 follows
// a number: 三年内 counts years, it sets no date.
func countsYears(t string, i int) bool {
	prev, _ := utf8.DecodeLastRuneInString(t[:i])
	return strings.HasPrefix(t[i:], "年") && strings.ContainsRune("0123456789一二三四五六七八九十两几多", prev)
}

// parseRange reads a range of months or years; the deadline is its end.
func parseRange(t string, year int) (due, from time.Time, ok bool) {
	if m := reMonthRange.FindStringSubmatch(t); m != nil {
		y := year
		if m[1] != "" {
			y, _ = strconv.Atoi(m[1])
		}
		a, _ := strconv.Atoi(m[2])
		b, _ := strconv.Atoi(m[3])
		if a < 1 || b > 12 || a > b {
			return time.Time{}, time.Time{}, false
		}
		return monthEnd(y, b), time.Date(y, time.Month(a), 1, 0, 0, 0, 0, loc), true
	}
	if m := reYearRange.FindStringSubmatch(t); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if a > b {
			return time.Time{}, time.Time{}, false
		}
		return monthEnd(b, 12), time.Date(a, 1, 1, 0, 0, 0, 0, loc), true
	}
	return time.Time{}, time.Time{}, false
}

func parseExact(t string, year int) (time.Time, bool) {
	y := func(s string) int {
		if s == "" {
			return year
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	if m := reYearEnd.FindStringSubmatch(t); m != nil {
		return monthEnd(y(m[1]), 12), true
	}
	if m := reDate.FindStringSubmatch(t); m != nil {
		mo, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		if mo < 1 || mo > 12 || day < 1 || day > daysIn(y(m[1]), mo) {
			return time.Time{}, false
		}
		return time.Date(y(m[1]), time.Month(mo), day, 0, 0, 0, 0, loc), true
	}
	if m := reYearMonth.FindStringSubmatch(t); m != nil {
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return time.Time{}, false
		}
		switch m[3] {
		case "上旬", "初":
			return time.Date(y(m[1]), time.Month(mo), 10, 0, 0, 0, 0, loc), true
		case "中旬", "中":
			return time.Date(y(m[1]), time.Month(mo), 20, 0, 0, 0, 0, loc), true
		}
		return monthEnd(y(m[1]), mo), true
	}
	if m := reQuarter.FindStringSubmatch(t); m != nil {
		q := strings.Index("一二三四", m[2])/3 + 1
		if n, err := strconv.Atoi(m[2]); err == nil {
			q = n
		}
		return monthEnd(y(m[1]), q*3), true
	}
	if m := reHalf.FindStringSubmatch(t); m != nil {
		if m[2] == "上" {
			return monthEnd(y(m[1]), 6), true
		}
		return monthEnd(y(m[1]), 12), true
	}
	if m := reYearOnly.FindStringSubmatch(t); m != nil {
		return monthEnd(y(m[1]), 12), true
	}
	return time.Time{}, false
}

func monthEnd(y, m int) time.Time {
	return time.Date(y, time.Month(m), daysIn(y, m), 0, 0, 0, 0, loc)
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// loc is Asia/Shanghai; a fixed +08:00 is exact for it (no DST since 1991)
// and keeps this leaf free of tzdata.
var loc = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()
