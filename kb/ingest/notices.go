package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"duban/kb"
)

// Notices (002): a collection of government notices, each a title, a
// document number on a line of its own (海政发〔2022〕3号), addressees and a
// body. Extracted: the leaders' division of work (区政府领导同志工作分工),
// joint-meeting members and member units' duties, 任务分工 sections,
// （责任单位：…） clauses, per-town quota tables and dated phases.

// reDocNo matches a document number standing alone on its line.
var reDocNo = regexp.MustCompile(`^\s*\p{Han}{1,10}[〔\[［(（]\d{4}[〕\]］)）]第?\d+号\s*$`)

var reSignDate = regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日$`)

// isNotices reports whether d holds notices: at least one document number
// on a line of its own (citations inside sentences do not count).
func isNotices(d *Document) bool {
	for _, l := range d.Lines {
		if reDocNo.MatchString(l) {
			return true
		}
	}
	return false
}

// A notice is one notice of the collection.
type notice struct {
	title string
	topic string // what its items belong to: 《…》 it issues, or its subject
	line  int    // 1-based line of the title
	start int    // index in Lines of the line after the document number
	end   int    // index in Lines after the body
}

// extractNotices extracts every notice of d.
func extractNotices(d *Document) kb.Contents {
	var c kb.Contents
	tables := cellTables(d)
	for _, n := range splitNotices(d) {
		x := noticeExtractor{d: d, n: n, c: &c}
		for _, t := range tables {
			if l := t.rows[0].line; l > n.start && l <= n.end {
				x.tables = append(x.tables, t)
			}
		}
		x.run()
	}
	statePosts(&c)
	return c
}

// splitNotices cuts d at its document numbers. A notice's title is the one
// to three lines above its number (titles wrap: "区政府关于进一步健全和完善
// 企业上市和" / "新三板挂牌联席会议制度的通知"); its body runs to the next title.
func splitNotices(d *Document) []notice {
	var out []notice
	for i, l := range d.Lines {
		if !reDocNo.MatchString(l) {
			continue
		}
		title, first := noticeTitle(d.Lines, i)
		if title == "" {
			title, first = d.Title, i
		}
		if len(out) > 0 {
			out[len(out)-1].end = first
		}
		out = append(out, notice{title: title, topic: noticeTopic(title), line: first + 1, start: i + 1, end: len(d.Lines)})
	}
	for k := range out {
		if out[k].end < out[k].start {
			out[k].end = out[k].start
		}
	}
	return out
}

// noticeTitle walks up from the document number at index i and returns the
// title with the index of its first line.
func noticeTitle(lines []string, i int) (string, int) {
	var parts []string
	first := i
	for k := i - 1; k >= 0 && k >= i-8 && len(parts) < 3; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" {
			continue
		}
		if reSignDate.MatchString(t) || strings.HasPrefix(lines[k], "\t") || utf8.RuneCountInString(t) > 40 ||
			strings.HasSuffix(t, "。") || strings.HasSuffix(t, "：") || strings.HasSuffix(t, ":") {
			break
		}
		parts = append([]string{t}, parts...)
		first = k
		if j := strings.Index(t, "关于"); j >= 0 && j <= 24 {
			break // 区政府关于…, 关于…: the first line of a title
		}
	}
	return strings.Join(parts, ""), first
}

var reIssued = regexp.MustCompile(`《([^》]+)》`)

// noticeTopic names what a notice is about: the document it issues
// (关于印发《…》的通知), the body it sets up, or its title without the
// 关于…的通知 frame.
func noticeTopic(title string) string {
	if m := reIssued.FindStringSubmatch(title); m != nil {
		return m[1]
	}
	if b := bodyFromTitle(title); b != "" {
		return b
	}
	t := title
	if i := strings.Index(t, "关于"); i >= 0 {
		t = t[i+len("关于"):]
	}
	t = strings.TrimSuffix(t, "的通知")
	t = strings.TrimSuffix(t, "的意见")
	return t
}

// bodySuffixes end the names of bodies whose members a notice lists.
var bodySuffixes = []string{"联席会议", "领导小组", "工作小组", "委员会", "指挥部", "工作专班"}

// bodyFromTitle finds the body a notice sets up: "…健全和完善企业上市和
// 新三板挂牌联席会议制度的通知" → "企业上市和新三板挂牌联席会议".
func bodyFromTitle(title string) string {
	for _, suf := range bodySuffixes {
		i := strings.Index(title, suf)
		if i < 0 {
			continue
		}
		head := title[:i]
		for _, cut := range []string{"关于", "成立", "建立", "调整", "健全", "完善"} {
			if j := strings.LastIndex(head, cut); j >= 0 {
				head = head[j+len(cut):]
			}
		}
		head = strings.TrimPrefix(head, "进一步")
		if head == "" {
			return ""
		}
		return head + suf
	}
	return ""
}

// noticeExtractor holds what the passes over one notice share.
type noticeExtractor struct {
	d      *Document
	n      notice
	c      *kb.Contents
	tables []cellTable // the tables inside the notice
}

func (x *noticeExtractor) run() {
	x.members()
	if strings.Contains(x.n.title, "分工") {
		x.leaders()
	}
	x.duties()
	x.clauses()
	x.phases()
	x.quotas()
	x.appointments()
}

// src cites line (1-based) of the notice.
func (x *noticeExtractor) src(line int) kb.Source {
	return kb.Source{File: x.d.File, Line: line, Title: x.n.title}
}

func (x *noticeExtractor) warn(line int, msg string) {
	x.c.Warnings = append(x.c.Warnings, kb.Warning{Source: x.src(line), Msg: msg})
}

// body returns the notice's lines with their 1-based numbers.
func (x *noticeExtractor) body() (lines []string, first int) {
	return x.d.Lines[x.n.start:x.n.end], x.n.start + 1
}
