package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"duban/kb"
)

// reHeading matches the numbered headings of government documents:
// 一、…  （一）…  第一章 …  第二节 …  专栏 …
var reHeading = lineRe{regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节篇部分]|专栏|附件\d)`), startsWithRune("一二三四五六七八九十（第专附")}

// reDocTitle matches the title of a document inside a collection: a plan,
// a notice, a set of measures ("全市森林覆盖提升行动方案").
var reDocTitle = lineRe{regexp.MustCompile(`^[^。，；：]*(方案|措施|意见|通知|办法|规划|纲要|制度|分工)$`),
	endsWithAny("方案", "措施", "意见", "通知", "办法", "规划", "纲要", "制度", "分工")}

// reBookmark strips the Word bookmark markers some exports carry.
var reBookmark = regexp.MustCompile(`\[bookmark: [^\]]*\]`)

// passages cuts a document into paragraphs for full-text search: every
// line of text (a table cell counts as a line), each with its nearest
// heading, so a search hit can be cited by document and section.
func passages(d *Document) []kb.Passage {
	var out []kb.Passage
	top, sub := "", ""
	for i, raw := range d.Lines {
		if strings.Contains(raw, "[bookmark: ") { // the regexp only where it can match
			raw = reBookmark.ReplaceAllString(raw, "")
		}
		t := strings.TrimSpace(raw)
		n := utf8.RuneCountInString(t)
		if n < 6 {
			continue
		}
		// Length first: a title or a heading is short, and the patterns
		// cost a scan of the whole line.
		switch {
		case n <= 40 && reDocTitle.MatchString(t) && !reHeading.MatchString(t):
			top, sub = titleAbove(d.Lines, i)+t, ""
		case n <= 40 && reHeading.MatchString(t):
			sub = t
		}
		heading := sub
		if top != "" && sub != "" {
			heading = top + " › " + sub
		} else if top != "" {
			heading = top
		}
		out = append(out, kb.Passage{
			Doc: d.File, Title: d.Title, Heading: heading, Text: t,
			Source: kb.Source{File: d.File, Line: i + 1, Title: d.Title},
		})
	}
	for _, tb := range d.Tables {
		for r, row := range tb.Rows {
			var cells []string
			for _, c := range row {
				if t := strings.TrimSpace(c.Text); t != "" && !c.Merged {
					cells = append(cells, strings.ReplaceAll(t, "\n", " "))
				}
			}
			if t := strings.Join(cells, " | "); utf8.RuneCountInString(t) >= 6 {
				out = append(out, kb.Passage{
					Doc: d.File, Title: d.Title, Heading: tb.Name, Text: t,
					Source: kb.Source{File: d.File, Line: tb.Line, Title: tb.Name, Row: r + 1},
				})
			}
		}
	}
	return out
}

// titleAbove returns the first part of a title wrapped over two lines
// ("全市执业（助理）医师队伍建设" above "提升行动方案"): a short line with no
// sentence punctuation right above, blank lines between allowed.
func titleAbove(lines []string, i int) string {
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" {
			continue
		}
		if n := utf8.RuneCountInString(t); n <= 24 && !strings.ContainsAny(t, "。，；：") && !reHeading.MatchString(t) && !reDocTitle.MatchString(t) {
			return t
		}
		return ""
	}
	return ""
}
