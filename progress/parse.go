package progress

import (
	"regexp"
	"strings"

	"duban/kb"
	"duban/kb/textnorm"
)

// A Report is a progress message as read by ParseReport.
type Report struct {
	// Nos are the task numbers, in order ("76号、78号已完成" → [76 78]).
	Nos []int
	// Table is the table the message names (实事12号 → PeopleProjects);
	// without one (Scoped false) it is KeyTasks and Resolve looks in every
	// table the chat may report for.
	Table  kb.Table
	Scoped bool
	// State is the reported state; for an Undo, the state of the report to
	// withdraw ("撤销76号完成" → Done), "" for the latest one.
	State kb.State
	Undo  bool
	// Note is the progress note: "已完成招标，9月开工", "已验收", "原因…".
	Note string
	// Extension is the requested new deadline as written ("10月底").
	Extension string
	// Ambiguous asks the bot to confirm before recording: the wording is
	// vague ("76号好了吧") or names no task ("已完成"). State then holds
	// the best guess and Why says what is unclear.
	Ambiguous bool
	Why       string
}

// Reasons a report is ambiguous (Report.Why).
const (
	WhyVague    = "vague"     // 好了吧, 搞定: is it done?
	WhyNoNumber = "no number" // which task?
)

// Patterns. A report starts with the task it is about, optionally after an
// undo word and a "住建局：" prefix; what follows the task says the state.
// Messages that ask rather than tell ("76号完成了吗", "76号进展情况") are
// not reports, so handlers answer them.
var (
	reUnitPrefix = regexp.MustCompile(`^[\p{Han}A-Za-z]{1,12}[:：]\s*`)
	reUndoWord   = regexp.MustCompile(`^(?:撤销|撤回|取消|作废)(?:对|掉)?`)
	reTaskRef    = regexp.MustCompile(`^(实事|为民办实事|民生实事|重点工作|重点任务|南通|补短板措施|补短板|措施)?\s*(?:第)?\s*(\d{1,4}|[零〇一二两三四五六七八九十百]+)\s*(号|项)?\s*(?:任务|工作|项目|事项)?`)
	reMoreRef    = regexp.MustCompile(`^\s*[、,，和及与]\s*(?:第)?\s*(\d{1,4}|[零〇一二两三四五六七八九十百]+)\s*(?:号|项)?\s*(?:任务|工作|项目|事项)?`)
	reQuestion   = regexp.MustCompile(`[吗么?？呢]|什么|何时|哪|多少|怎么|如何|是否|有没有|谁|几时|没有?$|没[?？]?$|情况$`)
	reProgress   = regexp.MustCompile(`^(?:最新)?(?:进展|进度)(?:情况)?\s*(?:[:：]|为|是)?\s*`)
	reExtension  = regexp.MustCompile(`^(?:申请)?(?:延期|推迟|延后|顺延|延长)(?:完成)?(?:到|至)?([^,，。；;！!]*)[,，。；;！!]?\s*(.*)$`)
	reDone       = regexp.MustCompile(`^(已经|已全部|均已|全部|已)?(完成|办结|完工|竣工|落实到位)(了|啦)?`)
	reStarted    = regexp.MustCompile(`^(?:已经?)?(?:开工|启动|开始实施|开始|推进中|正在推进|在推进|实施中|进行中|正在实施)`)
	reNotStarted = regexp.MustCompile(`^(?:尚未|还未|还没|未)(?:开始|启动|开工)`)
	reVague      = regexp.MustCompile(`^(?:好了|搞定|弄好|差不多|完事|基本好了|ok|OK|done)|吧[。.!！]*$`)
	reBareDone   = regexp.MustCompile(`^(?:我们|我单位|本单位|该任务|这项任务|这个任务|此项|任务)?(?:已经|已全部|全部|均已|已)?(?:完成|办结|完工)(?:了|啦)?[。.!！]*$`)
	rePunct      = regexp.MustCompile(`^[,，。；;:：!！、\s]+`)
)

// ParseReport reads a progress report such as "76号已完成",
// "76号完成了，已验收", "76号进展：已完成招标，9月开工",
// "76号延期到10月底，原因…", "撤销76号完成" or "实事12号已完成". It
// reports false for anything else, questions included ("76号完成了吗"),
// so the message goes on to the question handler.
func ParseReport(text string) (Report, bool) {
	s := normalize(text)
	if s == "" {
		return Report{}, false
	}
	if reBareDone.MatchString(s) {
		return Report{State: kb.Done, Ambiguous: true, Why: WhyNoNumber}, true
	}
	undo := false
	if m := reUndoWord.FindString(s); m != "" {
		undo, s = true, strings.TrimSpace(s[len(m):])
	}
	rep, rest, ok := taskRef(s)
	if !ok {
		if m := reUnitPrefix.FindString(s); m != "" {
			rep, rest, ok = taskRef(s[len(m):])
		}
	}
	if !ok {
		return Report{}, false
	}
	rest = strings.TrimPrefix(rest, "的")
	rest = rePunct.ReplaceAllString(rest, "")
	if m := reUndoWord.FindString(rest); m != "" {
		undo, rest = true, strings.TrimSpace(rest[len(m):])
	}
	if undo {
		rep.Undo = true
		switch {
		case strings.Contains(rest, "完成"):
			rep.State = kb.Done
		case strings.Contains(rest, "延期"):
			rep.State = kb.Extension
		case strings.Contains(rest, "进展"), strings.Contains(rest, "进度"):
			rep.State = kb.InProgress
		}
		return rep, true
	}
	if rest == "" || reQuestion.MatchString(rest) {
		return Report{}, false
	}
	return classify(rep, rest)
}

// taskRef reads the task numbers at the start of s and returns the rest.
func taskRef(s string) (Report, string, bool) {
	m := reTaskRef.FindStringSubmatchIndex(s)
	if m == nil {
		return Report{}, "", false
	}
	scope := ""
	if m[2] >= 0 {
		scope = s[m[2]:m[3]]
	}
	num := s[m[4]:m[5]]
	marked := m[6] >= 0 || strings.HasPrefix(s[m[0]:], "第") || scope != ""
	cn := num[0] < '0' || num[0] > '9'
	if cn && !marked {
		return Report{}, "", false // 一, 十: words, not task numbers, unless 第/号/项 says so
	}
	n, ok := number(num)
	if !ok || n <= 0 {
		return Report{}, "", false
	}
	if !isTaskRef(s, m[4]) {
		return Report{}, "", false // 85条, 第二阶段, 十四五: content (kb/textnorm)
	}
	rest := s[m[1]:]
	if !marked && !startsReport(rest) {
		return Report{}, "", false // "2020年…", "8月底前…": a date, not a task
	}
	rep := Report{Nos: []int{n}, Table: kb.KeyTasks}
	switch scope {
	case "实事", "为民办实事", "民生实事":
		rep.Table, rep.Scoped = kb.PeopleProjects, true
	case "重点工作", "重点任务":
		rep.Table, rep.Scoped = kb.KeyTasks, true
	case "南通":
		rep.Table, rep.Scoped = kb.Nantong2019, true
	case "补短板措施", "补短板", "措施":
		rep.Table, rep.Scoped = kb.Measures2019, true
	}
	for {
		mm := reMoreRef.FindStringSubmatchIndex(rest)
		if mm == nil {
			break
		}
		n, ok := number(rest[mm[2]:mm[3]])
		if !ok || n <= 0 {
			break
		}
		rep.Nos = append(rep.Nos, n)
		rest = rest[mm[1]:]
	}
	return rep, strings.TrimSpace(rest), true
}

// startsReport reports whether s, following a bare number, begins a state
// word, so "76已完成" is a report and "2020年" is not.
func startsReport(s string) bool {
	s = rePunct.ReplaceAllString(s, "")
	for _, re := range []*regexp.Regexp{reProgress, reExtension, reDone, reStarted, reNotStarted, reVague} {
		if loc := re.FindStringIndex(s); loc != nil && loc[0] == 0 && loc[1] > 0 {
			return true
		}
	}
	return strings.HasPrefix(s, "申请延期")
}

// classify reads the state from what follows the task reference.
func classify(rep Report, rest string) (Report, bool) {
	if m := reProgress.FindString(rest); m != "" {
		note := strings.TrimSpace(rest[len(m):])
		if note == "" {
			return Report{}, false // "76号进展": a question
		}
		rep.State, rep.Note = kb.InProgress, note
		if reBareDone.MatchString(note) {
			rep.State, rep.Note = kb.Done, ""
		}
		return rep, true
	}
	if m := reExtension.FindStringSubmatch(rest); m != nil {
		rep.State = kb.Extension
		rep.Extension = strings.TrimSpace(m[1])
		rep.Note = strings.TrimSpace(m[2])
		return rep, true
	}
	if reVague.MatchString(rest) {
		rep.State, rep.Ambiguous, rep.Why = kb.Done, true, WhyVague
		return rep, true
	}
	if m := reDone.FindStringSubmatch(rest); m != nil {
		after := rest[len(m[0]):]
		switch {
		case after == "" || rePunct.MatchString(after):
			rep.State = kb.Done
			rep.Note = rePunct.ReplaceAllString(after, "")
		case m[1] != "" || m[3] != "":
			// "已完成招标，9月开工": part of the task is done.
			rep.State, rep.Note = kb.InProgress, rest
		default:
			return Report{}, false // "76号完成时限": a question
		}
		return rep, true
	}
	if strings.HasPrefix(rest, "基本完成") {
		rep.State, rep.Note = kb.InProgress, rest
		return rep, true
	}
	if reNotStarted.MatchString(rest) {
		rep.State, rep.Note = kb.NotStarted, rest
		return rep, true
	}
	if reStarted.MatchString(rest) {
		rep.State, rep.Note = kb.InProgress, rest
		return rep, true
	}
	return Report{}, false
}

// isTaskRef asks kb/textnorm, which reads questions' task references too,
// whether the number at byte at of s is a task reference.
func isTaskRef(s string, at int) bool {
	for _, n := range textnorm.Numbers(s) {
		if n.Start <= at && at < n.End {
			return n.Kind == textnorm.Ref
		}
	}
	return false
}
