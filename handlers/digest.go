package handlers

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"duban/kb"
)

// IntentDigest is the Reply.Intent of a scheduled reminder digest.
const IntentDigest = "digest"

// digestTitleRunes bounds the short title of a digest line: a reminder
// names the task, the full text is one question away ("76号任务").
const digestTitleRunes = 20

// AllOverdue is the question that lists every overdue task: the closing
// hint of a digest for a chat that speaks for no unit (DigestOptions.All).
const AllOverdue = "已逾期的任务"

// DefaultRecentOverdue is DigestOptions.RecentOverdue when it is zero.
const DefaultRecentOverdue = 5

// Reasons a task is in a chat's digest when the chat is not its own lead.
const (
	ReasonCo     = "协同"    // the chat speaks for a co-unit named in the task
	ReasonShared = "各部门共同" // the task is led by a collective the chat's unit belongs to (the scheduler names it: 各区镇共同)
	// ReasonEscalated marks a task red long enough to go up to the
	// supervision office or the leader who 分管 its lead unit.
	ReasonEscalated = "升级督办"
)

// A DigestItem is one task of a reminder digest.
type DigestItem struct {
	Record *kb.Record // not copied: a digest can list hundreds
	// Co marks a copy sent to a co-unit's chat (协同) rather than to the
	// lead unit's chat; Reason, when set, says so instead.
	Co bool
	// Reason says why the task is in this chat when the chat is not its
	// own lead: ReasonCo or ReasonShared. Empty: the chat's own task.
	Reason string
	// Light is the task's colour as progress.LightOf names it (red,
	// yellow, green, done); empty shows no colour.
	Light string
	// Note is the reported status in force, e.g. "申请延期至10月底（住建局
	// 9月3日）"; empty when nobody has reported.
	Note string
}

func (it DigestItem) reason() string {
	if it.Reason == "" && it.Co {
		return ReasonCo
	}
	return it.Reason
}

// DigestOptions tune DigestOf. The zero value is usable.
type DigestOptions struct {
	// Unit names the chat's unit in the closing hint
	// "发送“住建局的任务”查看全部". Default: the chat's name.
	Unit string
	// All is the question the closing hint offers to see everything, for a
	// chat that speaks for no unit (the 督查办's, a leader's: escalations).
	// Default: Unit + "的任务".
	All string
	// Limit is the size in bytes the rendered digest must fit, the
	// platform's message limit; tasks that do not fit are counted, not
	// listed. Default: 0, no limit.
	Limit int
	// RecentOverdue is how many overdue tasks are listed, the most
	// recently overdue first; the older backlog is counted. Default:
	// DefaultRecentOverdue; negative lists them all.
	RecentOverdue int
	// Tables are the knowledge base's tables (kb.Base.Tables), so a line
	// names its task as answers do (补短板措施第3项). Default: labels from
	// the table IDs alone.
	Tables []kb.TableInfo
}

// A digest groups its tasks by urgency, the most urgent first.
var digestGroups = []struct {
	name string
	max  int // days left at most; groups are tried in order
}{
	{"逾期", -1},
	{"今明两天到期", 1},
	{"7天内到期", 7},
	{"30天内到期", 30},
	{"30天后到期", math.MaxInt32},
}

func groupOf(left int) int {
	for i, g := range digestGroups {
		if left <= g.max {
			return i
		}
	}
	return len(digestGroups) - 1
}

// Digest renders the reminder a chat receives at now with the default
// options and no size limit.
func Digest(chat string, items []DigestItem, now time.Time) Reply {
	return DigestOf(chat, items, now, DigestOptions{})
}

// DigestOf renders the reminder a chat receives at now: a head line with
// the counts, then the tasks grouped by urgency (overdue, due within two
// days, 7 days, 30 days, later), one short line each:
//
//	🔴 重点工作第76项 推进城市更新试点工作 12月20日 逾期4天（协同）
//
// Overdue tasks beyond the RecentOverdue most recent ones, and any task
// that would make the digest longer than opt.Limit, are counted in a
// closing line that says how to see them all. Sources name every task the
// digest covers, listed or counted. Mentions are left to the caller.
func DigestOf(chat string, items []DigestItem, now time.Time, opt DigestOptions) Reply {
	today := dayOf(now)
	if opt.Unit == "" {
		opt.Unit = chat
	}
	recent := opt.RecentOverdue
	if recent == 0 {
		recent = DefaultRecentOverdue
	}
	type entry struct {
		i, left int
	}
	groups := make([][]entry, len(digestGroups))
	srcs := make([]kb.Source, 0, len(items))
	recs := make([]*kb.Record, 0, len(items))
	for i, it := range items {
		left := daysLeft(it.Record, today)
		g := groupOf(left)
		groups[g] = append(groups[g], entry{i, left})
		srcs = append(srcs, it.Record.Source)
		recs = append(recs, it.Record)
	}
	// Overdue: the most recent first, so the backlog is what gets counted.
	// Others: the nearest first. Own tasks before copies on the same day.
	for g := range groups {
		slices.SortStableFunc(groups[g], func(a, b entry) int {
			la, lb := a.left, b.left
			if g == 0 {
				la, lb = -la, -lb
			}
			if c := cmp.Compare(la, lb); c != 0 {
				return c
			}
			return cmp.Compare(items[a.i].reason(), items[b.i].reason()) // "" first
		})
	}
	overdue := len(groups[0])
	head := fmt.Sprintf("督办提醒（%s，%d年%d月%d日）：%d项任务", chat,
		today.Year(), int(today.Month()), today.Day(), len(items))
	if overdue > 0 {
		head += fmt.Sprintf("，其中%d项已逾期", overdue)
	}
	cite := digestCite(recs)
	// budget is what the listed lines may take: the limit less the head,
	// the cite, the closing line and markdown's decoration and escapes.
	budget := math.MaxInt
	if opt.Limit > 0 {
		budget = opt.Limit*9/10 - len(head) - len(cite) - 320
	}
	lh := &Handler{tables: opt.Tables} // for its labels only
	var lines []string
	var tasks []TaskAction
	unlisted := make([]int, len(digestGroups))
	full := false
	for g, es := range groups {
		if len(es) == 0 {
			continue
		}
		hdr := fmt.Sprintf("【%s %d项】", digestGroups[g].name, len(es))
		listed := 0
		for k, e := range es {
			if full || (g == 0 && recent >= 0 && k >= recent) {
				break
			}
			l := lh.digestLine(items[e.i], e.left)
			need := len(l) + 1
			if listed == 0 {
				need += len(hdr) + 1
			}
			if need > budget {
				full = true
				break
			}
			budget -= need
			if listed == 0 {
				lines = append(lines, hdr)
			}
			lines = append(lines, l)
			tasks = append(tasks, digestAction(items[e.i], opt.Unit))
			listed++
		}
		unlisted[g] = len(es) - listed
	}
	return Reply{
		Intent:  IntentDigest,
		Head:    head,
		Lines:   lines,
		More:    digestMore(unlisted, cmp.Or(opt.All, opt.Unit+"的任务")),
		Cite:    cite,
		Sources: srcs,
		Tasks:   tasks,
	}
}

// digestAction is a listed task as a card or link offers it.
func digestAction(it DigestItem, unit string) TaskAction {
	r := it.Record
	a := TaskAction{Table: r.Table, No: r.No, Title: shortTitle(r.Text), Light: it.Light, Unit: unit}
	if r.Due != nil {
		a.Due = fmt.Sprintf("%d月%d日", int(r.Due.Time.Month()), r.Due.Time.Day())
	}
	return a
}

// digestMore counts the tasks not listed, by group, and says how to see
// them: 另有12项未列出（逾期更久9项、30天内到期3项），发送“住建局的任务”查看全部.
func digestMore(unlisted []int, all string) string {
	total := 0
	var parts []string
	for g, n := range unlisted {
		if n == 0 {
			continue
		}
		total += n
		name := digestGroups[g].name
		if g == 0 {
			name = "逾期更久"
		}
		parts = append(parts, fmt.Sprintf("%s%d项", name, n))
	}
	if total == 0 {
		return ""
	}
	return fmt.Sprintf("另有%d项未列出（%s），发送“%s”查看全部", total, strings.Join(parts, "、"), all)
}

// lightMarks are the colours of the 三色督办 practice as group chats show them.
var lightMarks = map[string]string{"red": "🔴", "yellow": "🟡", "green": "🟢", "done": "✅"}

// digestLine is one task:
// 🔴 重点工作第76项 推进城市更新试点工作 12月20日 逾期4天（协同）｜申请延期至….
func (h *Handler) digestLine(it DigestItem, left int) string {
	r := it.Record
	var b strings.Builder
	b.Grow(160)
	if m := lightMarks[it.Light]; m != "" {
		b.WriteString(m)
		b.WriteByte(' ')
	}
	b.WriteString(h.tableLabel(r.Table, r.No, false))
	if t := shortTitle(r.Text); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if r.Due != nil {
		fmt.Fprintf(&b, " %d月%d日", int(r.Due.Time.Month()), r.Due.Time.Day())
	}
	b.WriteByte(' ')
	b.WriteString(dueStatus(left))
	if why := it.reason(); why != "" {
		b.WriteString("（" + why + "）")
	}
	if it.Note != "" {
		b.WriteString("｜")
		b.WriteString(it.Note)
	}
	return b.String()
}

// shortTitle is a task's opening statement cut to digestTitleRunes: its
// first clause, or its first phrase when that alone says enough.
func shortTitle(text string) string {
	s := firstClause(text)
	if i := strings.IndexAny(s, "，,："); i > 0 && utf8.RuneCountInString(s[:i]) >= 6 {
		s = s[:i]
	}
	return cutRunes(s, digestTitleRunes-1)
}

// dueStatus says how far the deadline is: 还剩7天, 今天到期, 逾期3天.
func dueStatus(left int) string {
	switch {
	case left > 0:
		return fmt.Sprintf("还剩%d天", left)
	case left == 0:
		return "今天到期"
	}
	return fmt.Sprintf("逾期%d天", -left)
}

// firstClause keeps a task text up to its first full stop or semicolon, so
// a long paragraph becomes its opening statement.
func firstClause(s string) string {
	s = noSpace(s)
	if i := strings.IndexAny(s, "。；;"); i > 0 {
		return s[:i]
	}
	return s
}

// noSpace removes white space, which documents leave inside cells
// ("8月\n底前"); most texts have none, and are returned as they are.
func noSpace(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

// cutRunes is cut without converting s to runes.
func cutRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

// digestCite names the tables the tasks come from, once each.
func digestCite(recs []*kb.Record) string {
	var titles []string
	seen := map[string]bool{}
	for _, r := range recs {
		t := tableName(r.Table)
		if r.Source.Title != "" && kindOfID(r.Table) != kb.KindMeasures {
			t = r.Source.Title
		}
		if r.Source.File != "" {
			t += "（" + r.Source.File + "）"
		}
		if !seen[t] {
			seen[t] = true
			titles = append(titles, t)
		}
	}
	if len(titles) == 0 {
		return ""
	}
	return "来源：" + strings.Join(titles, "；")
}

// dayOf is the calendar day of t in Asia/Shanghai, at midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.In(kb.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, kb.Location)
}

// daysLeft counts whole days from today to r's due date, negative once
// overdue. Shanghai has no daylight saving, so days are 24 hours; rounding
// keeps the count exact regardless.
func daysLeft(r *kb.Record, today time.Time) int {
	if r.Due == nil {
		return math.MaxInt32
	}
	return int(math.Round(dayOf(r.Due.Time).Sub(today).Hours() / 24))
}

// EscalationReason is the reason of an escalated task's line in the
// supervision office's or a leader's digest: it names who leads the task,
// since the chat is not theirs (升级督办·住建局).
func EscalationReason(leadUnits []string) string {
	if len(leadUnits) == 0 {
		return ReasonEscalated
	}
	return ReasonEscalated + "·" + join(leadUnits)
}
