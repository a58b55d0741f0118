package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"duban/kb"
	"duban/kb/names"
)

// The division of work among government leaders (区政府领导同志工作分工):
// one paragraph per leader, "宋  涯：负责…工作。" then, after a blank
// line, "分管区…局、…。联系…镇。". A leader's paragraph runs to the next
// leader or to the closing "各副区长负责…" line.

// reLeader matches the start of a leader's paragraph: a padded name, an
// optional remark such as （挂职）, a colon, then a verb of the division.
var reLeader = regexp.MustCompile(`^\s*(\p{Han}[\p{Han} 　]{0,6}\p{Han})\s*(?:[（(]([^）)]{1,8})[）)])?\s*[：:]\s*((?:主持|负责|协助|分管|主管|联系).*)$`)

var (
	reDeputies = regexp.MustCompile(`^各(副[区市县]长)`)
	reHead     = regexp.MustCompile(`^主持([区市县])政府全面工作`)
)

// leaderVerbs start the clauses of a paragraph; 协助 goes first so that
// "协助负责" is not read as "负责".
var leaderVerbs = []string{"协助", "主持", "主管", "负责", "分管", "联系", "挂帅", "统筹"}

func (x *noticeExtractor) leaders() {
	lines, first := x.body()
	deputy := "" // the notice says 各副区长负责分管范围内…, so whoever 分管 is one
	for _, l := range lines {
		if m := reDeputies.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			deputy = m[1]
		}
	}
	for i := 0; i < len(lines); i++ {
		m := reLeader.FindStringSubmatch(lines[i])
		if m == nil || !isPersonName(m[1]) {
			continue
		}
		text := []string{m[3]}
		j := i + 1
		for ; j < len(lines); j++ {
			t := strings.TrimSpace(lines[j])
			if t == "" {
				continue
			}
			if reLeader.MatchString(lines[j]) || strings.HasPrefix(t, "各") || reSignDate.MatchString(t) || isIssuerLine(t) {
				break
			}
			text = append(text, t)
		}
		ld := kb.Leader{Name: names.Clean(m[1]), Text: strings.Join(text, ""), Source: x.src(first + i)}
		parseDivision(&ld)
		// Posts the text implies; extractNotices prefers a post a member
		// list of the same document states.
		switch {
		case m[2] != "":
			ld.Post = m[2] // 挂职: the text gives no other post
		case reHead.MatchString(ld.Text):
			ld.Post = reHead.FindStringSubmatch(ld.Text)[1] + "长" // 主持区政府全面工作
		case deputy != "" && len(ld.Oversees) > 0:
			ld.Post = deputy
		}
		if len(ld.Areas)+len(ld.Oversees)+len(ld.Liaises)+len(ld.Assists) == 0 {
			x.warn(first+i, "leader "+ld.Name+": no duties recognised")
		}
		x.c.Leaders = append(x.c.Leaders, ld)
		i = j - 1
	}
}

// isPersonName reports whether s, without padding, can be a person's name:
// two to four Han characters that are not a role or a heading.
func isPersonName(s string) bool {
	s = names.Clean(s)
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 4 {
		return false
	}
	for _, w := range []string{"单位", "部门", "阶段", "小组", "目标", "对象", "标准", "方式", "职责", "成员", "组长", "召集人", "协调"} {
		if strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// isIssuerLine reports whether t is the issuing office under a notice.
func isIssuerLine(t string) bool {
	return utf8.RuneCountInString(t) <= 20 && (strings.HasSuffix(t, "人民政府") || strings.HasSuffix(t, "政府办公室"))
}

// statePosts gives each leader the post a member list of the same document
// states ("沈旭东  区委副书记，区政府区长"): the division of work names no
// posts, so a stated one beats the one its wording implies.
func statePosts(c *kb.Contents) {
	posts := map[string]string{}
	for _, m := range c.Members {
		if posts[m.Name] == "" && m.Post != "" {
			posts[m.Name] = m.Post
		}
	}
	for i := range c.Leaders {
		if p := posts[c.Leaders[i].Name]; p != "" {
			c.Leaders[i].Post = p
		}
	}
}

// parseDivision fills Areas, Oversees, Liaises and Assists from ld.Text.
func parseDivision(ld *kb.Leader) {
	for _, cl := range divisionClauses(ld.Text) {
		verb, rest := leadingVerb(cl)
		switch verb {
		case "协助":
			v, obj := leadingVerb(rest)
			switch v {
			case "分管", "联系":
				for _, u := range noticeUnits(obj) {
					ld.Assists = append(ld.Assists, v+u)
				}
			case "负责", "主管":
				for _, a := range areaItems(obj) {
					ld.Assists = append(ld.Assists, "负责"+a)
				}
			default:
				ld.Assists = append(ld.Assists, rest)
			}
		case "主持":
			ld.Areas = append(ld.Areas, rest)
		case "负责", "主管":
			ld.Areas = append(ld.Areas, areaItems(rest)...)
		case "分管":
			ld.Oversees = appendUnique(ld.Oversees, noticeUnits(rest)...)
		case "联系":
			ld.Liaises = appendUnique(ld.Liaises, noticeUnits(rest)...)
		case "挂帅", "统筹":
			ld.Areas = append(ld.Areas, cl)
		default:
			if cl != "" {
				ld.Areas = append(ld.Areas, cl)
			}
		}
	}
}

// divisionClauses splits a paragraph into sentences (。；) and a sentence
// at each comma that starts a new verb ("负责科技镇长团工作，协助负责…").
func divisionClauses(text string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(text, func(r rune) bool { return r == '。' || r == '；' || r == ';' }) {
		parts := strings.Split(s, "，")
		cur := parts[0]
		for _, p := range parts[1:] {
			if v, _ := leadingVerb(p); v != "" {
				out = appendTrimmed(out, cur)
				cur = p
			} else {
				cur += "，" + p
			}
		}
		out = appendTrimmed(out, cur)
	}
	return out
}

func leadingVerb(s string) (verb, rest string) {
	s = strings.TrimSpace(s)
	for _, v := range leaderVerbs {
		if strings.HasPrefix(s, v) {
			return v, strings.TrimSpace(s[len(v):])
		}
	}
	return "", s
}

// areaItems splits "生态环境保护、…、对接沪苏协同发展等工作和“菜篮子”工程"
// into its areas.
func areaItems(s string) []string {
	s = strings.Replace(s, "等工作和", "、", 1)
	s = strings.TrimSuffix(s, "等工作")
	s = strings.TrimSuffix(s, "等")
	return splitOutsideBrackets(s)
}

func appendUnique(list []string, items ...string) []string {
	for _, it := range items {
		dup := false
		for _, have := range list {
			if have == it {
				dup = true
				break
			}
		}
		if !dup && it != "" {
			list = append(list, it)
		}
	}
	return list
}
