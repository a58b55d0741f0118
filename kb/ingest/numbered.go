package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban/kb"
	"duban/kb/deadline"
	"duban/kb/names"
)

// The numbered-list genre (001): a progress report on the year's numbered
// key tasks. Each task is a line "23.推进新出海口建设。…" followed by a
// paragraph "进展情况:…" (and any further paragraphs up to the next task),
// under section headings "三、推动江海联动发展…" — or an unnumbered heading
// such as "加强政府自身建设".
//
// The seed names no unit or leader per task: its preamble only says the
// tasks are led by 市政府分管领导 and carried out by 责任部门, so records have
// no lead units unless a task ends with a clause such as "（市交通局牵头负责）",
// read as in the measures genre. Its task texts state no deadlines either;
// a phrase such as "6月底前" or "年底前" in a task text sets Due for the plan
// year (DESIGN.md "Time").

var (
	// reNumTask matches "52. 围绕办好…"; a digit after the dot ("1.5万亿元")
	// is a number, not a task.
	reNumTask = lineRe{regexp.MustCompile(`^(\d{1,4})\s*[.．、]\s*([^\d].*)?$`), startsWithDigit}
	// reNumProgress matches the progress paragraph "进展情况:1-5月，…".
	reNumProgress = lineRe{regexp.MustCompile(`^(?:进展情况|推进情况|完成情况|落实情况|工作进展|目前进展|进展)\s*[:：]\s*(.*)$`), startsWithRune("进推完落工目")}
	// reNumField is a labelled line under a task: 责任单位：县住建局.
	reNumField   = regexp.MustCompile(`^(牵头单位|责任单位|主办单位|牵头部门|配合单位|协同单位|协办单位|责任领导|牵头领导|分管领导|责任县领导|完成时限|完成时间|时间节点)\s*[:：]\s*(.+)$`)
	reNumSection = regexp.MustCompile(`^[一二三四五六七八九十百]+、`)
	// reNumDeadline finds a deadline phrase inside a task text.
	reNumDeadline = regexp.MustCompile(`(?:20\d\d年)?(?:\d{1,2}月底|\d{1,2}月份|全年|年底|年末|上半年|下半年|[一二三四]季度(?:末|底)?|年内)(?:前|之前)?`)
)

func isNumbered(d *Document) bool {
	tasks, progress := 0, 0
	for _, l := range d.Lines {
		t := strings.TrimSpace(l)
		switch {
		case reNumProgress.MatchString(t):
			progress++
		case reNumTask.MatchString(t):
			tasks++
		}
	}
	return progress >= 3 && tasks >= 3
}

func extractNumbered(d *Document) kb.Contents {
	var c kb.Contents
	year, yearFrom := docYear(d)
	place, suffix := docPlaceFull(d)
	id := kb.TableID(kb.KindProgressList, place, year)
	// The title is generated after reading when the document has none:
	// records are re-titled at the end.
	title := d.Title
	warn := func(line, row int, format string, a ...any) {
		c.Warnings = append(c.Warnings, kb.Warning{
			Source: kb.Source{File: d.File, Line: line, Title: title, Row: row},
			Msg:    fmt.Sprintf(format, a...),
		})
	}
	var cur *kb.Record
	inProgress := false
	flush := func() {
		if cur == nil {
			return
		}
		finishNumbered(cur, year, func(format string, a ...any) { warn(cur.Source.Line, cur.No, format, a...) })
		c.Records = append(c.Records, *cur)
		cur = nil
	}
	section := ""
	lastNo := 0
	for i, raw := range d.Lines {
		t := strings.TrimSpace(raw)
		if t == "" || reDateLine.MatchString(t) {
			continue // a date line at the foot is the report's date, not text
		}
		if m := reNumTask.FindStringSubmatch(t); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n > lastNo {
				if n != lastNo+1 {
					warn(i+1, n, "task %d follows task %d: numbers skipped", n, lastNo)
				}
				flush()
				lastNo = n
				cur = &kb.Record{
					Doc: d.File, Table: id, Section: section, No: n, Text: m[2],
					LeadLeaders: []string{}, LeadUnits: []string{}, CoUnits: []string{}, Inherited: []string{},
					Source: kb.Source{File: d.File, Line: i + 1, Title: title, Row: n},
				}
				inProgress = false
				continue
			}
			// A list inside a task or its progress ("1.…" after task 57):
			// kept as text of the task, so nothing is lost, but flagged.
			if cur != nil {
				warn(i+1, n, "line numbered %d after task %d; kept as text of task %d", n, lastNo, lastNo)
			} else {
				warn(i+1, n, "line numbered %d after task %d outside any task; ignored", n, lastNo)
			}
		}
		if m := reNumProgress.FindStringSubmatch(t); m != nil && cur != nil {
			if inProgress {
				cur.Progress += "\n"
			}
			cur.Progress += m[1]
			inProgress = true
			continue
		}
		if m := reNumField.FindStringSubmatch(t); m != nil && cur != nil && !inProgress {
			numField(cur, m[1], m[2])
			continue
		}
		if isNumHeading(t) {
			flush()
			section = t
			continue
		}
		switch {
		case cur == nil:
			// The preamble, or a paragraph between a heading and its first task.
		case inProgress:
			cur.Progress += "\n" + t
		default:
			cur.Text += "\n" + t
		}
	}
	flush()
	if !reYearIn.MatchString(title) || !strings.ContainsAny(title, "任务工作进展") {
		// A report that opens with its text ("今年初，市政府研究确定了100项重
		// 点工作任务") has no title line: name it from what it says.
		title = fmt.Sprintf("%s%s%d年%d项重点工作任务", place, suffix, year, len(c.Records))
		for i := range c.Records {
			c.Records[i].Source.Title = title
		}
		for i := range c.Warnings {
			c.Warnings[i].Source.Title = title
		}
	}
	scope := []string{"进展"}
	if place != "" {
		scope = append(scope, place)
	}
	if year > 0 {
		scope = append(scope, fmt.Sprint(year))
	}
	c.Tables = []kb.TableInfo{{
		ID: id, Kind: kb.KindProgressList, Title: title, Year: year, Place: place,
		Label: place + kb.DefaultLabel(kb.KindProgressList, year), Scope: scope,
		Doc: d.File, Genre: "numbered list with progress", Rows: len(c.Records), YearFrom: yearFrom,
	}}
	return c
}

// isNumHeading reports whether t heads a section: "一、坚持产业强市不动摇…",
// or a short line that ends no sentence ("加强政府自身建设").
func isNumHeading(t string) bool {
	if reNumSection.MatchString(t) {
		return true
	}
	if utf8.RuneCountInString(t) > 30 || strings.ContainsAny(t, "。；;:：") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return !strings.ContainsRune("，,、）)", r) && !reNumTask.MatchString(t) && !reNumProgress.MatchString(t)
}

// finishNumbered reads a task's responsibility clause and deadline, and
// flags what is missing.
func finishNumbered(r *kb.Record, year int, warn func(string, ...any)) {
	r.Text = strings.TrimSpace(r.Text)
	if text, clause, ok := trailingClause(r.Text); ok {
		resp := parseClause(clause)
		r.Text = strings.TrimSpace(text)
		if len(r.LeadUnits) == 0 { // a labelled 责任单位 line says it already
			r.LeadUnits, r.Implementers = resp.lead, resp.impl
			r.CoUnits = append(resp.co, r.CoUnits...)
		}
	}
	if r.Text == "" {
		warn("task %d has no text", r.No)
	}
	if r.Progress == "" {
		warn("task %d has no 进展情况", r.No)
	}
	if r.DeadlineText != "" { // a labelled 完成时限 line
		setDue(r, year, func(msg string) { warn("task %d: %s", r.No, msg) })
		return
	}
	datePhrases(r, year, false, warn)
}

// datePhrases sets r's deadline from the latest date phrase of its text
// ("6月底前", "年底前"; "五年内" counts years and sets none). With
// before, only phrases that say 前 count: a measure's "全年目标" is a
// target's span, not a deadline.
func datePhrases(r *kb.Record, year int, before bool, warn func(string, ...any)) {
	var best *deadline.Deadline
	for _, loc := range reNumDeadline.FindAllStringIndex(r.Text, -1) {
		phrase := r.Text[loc[0]:loc[1]]
		if before && !strings.HasSuffix(phrase, "前") {
			continue
		}
		// "五年内", "3年底" count years, they set no date.
		if prev, _ := utf8.DecodeLastRuneInString(r.Text[:loc[0]]); strings.HasPrefix(phrase, "年") &&
			strings.ContainsRune("0123456789一二三四五六七八九十两几多", prev) {
			continue
		}
		if year == 0 && !reYearIn.MatchString(phrase) {
			warn("deadline %q: the document states no year; not dated", phrase)
			r.DeadlineText = phrase
			r.Unparsed = true
			break
		}
		dl, err := deadline.Parse(phrase, year)
		if err != nil || dl.Due.IsZero() {
			continue
		}
		if best == nil || dl.Due.After(best.Due) {
			best = &dl
			r.DeadlineText = phrase
		}
	}
	if best != nil {
		r.Due = kb.NewDate(best.Due.Year(), best.Due.Month(), best.Due.Day())
	}
}

// numField reads a labelled line under a task (责任单位：…, 配合单位：…,
// 责任领导：…, 完成时限：…) into the record.
func numField(r *kb.Record, label, value string) {
	switch {
	case strings.Contains(label, "领导"):
		for _, f := range strings.FieldsFunc(value, func(r rune) bool { return strings.ContainsRune("、，,；; ", r) }) {
			if n := names.Clean(stripPost(f)); n != "" {
				r.LeadLeaders = append(r.LeadLeaders, n)
			}
		}
	case strings.Contains(label, "时"):
		r.DeadlineText = cleanCell(value)
	case isCoLabel(label):
		r.CoUnits = append(r.CoUnits, unitList(value)...)
	default:
		if lead, co, ok := splitRoles(value); ok {
			r.LeadUnits = append(r.LeadUnits, lead...)
			r.CoUnits = append(r.CoUnits, co...)
		} else {
			r.LeadUnits = append(r.LeadUnits, unitList(value)...)
		}
	}
}
