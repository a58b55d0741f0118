package progress

import (
	"regexp"
	"strconv"

	"duban/kb"
)

// reQuoted finds a task as reminders and answers name it (handlers'
// labels: 重点工作第76项, 为民办实事第12项, 补短板措施第3项).
var reQuoted = regexp.MustCompile(`(为民办实事|民生实事|实事|重点工作|重点任务|补短板措施|措施)第\s*(\d{1,4})\s*项`)

var quotedTables = map[string]kb.Table{
	"为民办实事": kb.PeopleProjects, "民生实事": kb.PeopleProjects, "实事": kb.PeopleProjects,
	"重点工作": kb.KeyTasks, "重点任务": kb.KeyTasks,
	"补短板措施": kb.Measures2019, "措施": kb.Measures2019,
}

// QuotedTask returns the task a quoted message names: a reminder line, or
// an answer about one task. A quote that names several tasks (a whole
// digest) names none, so a reply to it must say which.
func QuotedTask(quote string) (kb.Table, int, bool) {
	var key Key
	for _, m := range reQuoted.FindAllStringSubmatch(quote, -1) {
		no, err := strconv.Atoi(m[2])
		if err != nil || no <= 0 {
			continue
		}
		k := Key{quotedTables[m[1]], no}
		if key.No != 0 && k != key {
			return "", 0, false
		}
		key = k
	}
	return key.Table, key.No, key.No != 0
}

// ParseReportAbout reads text as a report on task (t, no) when text itself
// names no task: a reply quoting a reminder line ("已完成，附照片") binds to
// the quoted task. A text that names its own task is read as it stands.
func ParseReportAbout(text string, t kb.Table, no int) (Report, bool) {
	if r, ok := ParseReport(text); ok && r.Why != WhyNoNumber {
		return r, true
	}
	r, ok := ParseReport(refText(t, no) + normalize(text))
	if !ok {
		return Report{}, false
	}
	return r, true
}

// refText names (t, no) the way ParseReport reads a scoped reference.
func refText(t kb.Table, no int) string {
	n := strconv.Itoa(no)
	switch t {
	case kb.PeopleProjects:
		return "实事" + n + "号"
	case kb.Measures2019:
		return "措施" + n + "号"
	case kb.Nantong2019:
		return "南通" + n + "号"
	}
	return "重点工作" + n + "号"
}
