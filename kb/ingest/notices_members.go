package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"duban/kb"
	"duban/kb/names"
)

// Member lists of joint meetings and working groups:
//
//	召 集 人：沈旭东  区委副书记，区政府区长
//	周国强  区委常委，区政府常务副区长
//	成    员：冯  斌  区政府办公室主任
//	黄钱渠  区考核办专职副主任，
//	区委组织部人才引进科科长
//
// A role line opens a block; each following "name  post" line has the same
// role until the next role line; a post ending in a comma continues on the
// next line. Blank lines between entries do not matter.

var reRoleLine = regexp.MustCompile(`^\s*(\p{Han}[\p{Han} 　]{0,8}\p{Han})\s*[：:]\s*(.*)$`)

// memberRoles are the roles a member list uses.
var memberRoles = map[string]bool{
	"召集人": true, "副召集人": true, "成员": true, "总协调": true, "组长": true, "副组长": true,
	"常务副组长": true, "主任": true, "副主任": true, "秘书长": true, "联络员": true, "总召集人": true,
	"第一召集人": true, "顾问": true, "指挥长": true, "副指挥长": true,
}

var reSetUp = regexp.MustCompile(`设(?:立)?(\p{Han}{2,20}?(?:工作组|小组|推进组|落实组|专班|组))`)

// members reads the member lists of the notice.
func (x *noticeExtractor) members() {
	lines, first := x.body()
	for i := 0; i < len(lines); i++ {
		if k := strings.IndexAny(lines[i], "：:"); k < 0 || k > 48 {
			continue // a role comes first: "召 集 人："
		}
		m := reRoleLine.FindStringSubmatch(lines[i])
		if m == nil || !memberRoles[names.Clean(m[1])] {
			continue
		}
		body := x.memberBody(lines, i)
		role := names.Clean(m[1])
		var last *kb.Member
		add := func(name, post string, line int) {
			x.c.Members = append(x.c.Members, kb.Member{Body: body, Role: role, Name: name, Post: post, Source: x.src(line)})
			last = &x.c.Members[len(x.c.Members)-1]
		}
		if name, post, ok := splitNamePost(m[2]); ok {
			add(name, post, first+i)
		} else {
			x.warn(first+i, "member list: no name after "+role)
		}
		j := i + 1
		for ; j < len(lines); j++ {
			t := strings.TrimSpace(lines[j])
			if t == "" {
				continue
			}
			if rm := reRoleLine.FindStringSubmatch(lines[j]); rm != nil && memberRoles[names.Clean(rm[1])] {
				role = names.Clean(rm[1])
				if name, post, ok := splitNamePost(rm[2]); ok {
					add(name, post, first+j)
				}
				continue
			}
			if last != nil && (strings.HasSuffix(last.Post, "，") || strings.HasSuffix(last.Post, "、")) {
				last.Post += t
				continue
			}
			name, post, ok := splitNamePost(t)
			if !ok {
				break
			}
			add(name, post, first+j)
		}
		i = j - 1
	}
}

// memberBody names the body a member list belongs to: a group the
// paragraph above sets up ("联席会议设上市工作推进落实组"), else the body the
// notice is about.
func (x *noticeExtractor) memberBody(lines []string, i int) string {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" {
			continue
		}
		if m := reSetUp.FindStringSubmatch(t); m != nil {
			return m[1]
		}
		if reNoticeSection.MatchString(t) {
			break
		}
	}
	return x.n.topic
}

// splitNamePost splits "冯  斌  区政府办公室主任" into name and post. Two-character
// names are padded to the width of three, so a one-character first field
// joins the next.
func splitNamePost(s string) (name, post string, ok bool) {
	f := strings.Fields(strings.ReplaceAll(s, "　", " "))
	if len(f) < 2 {
		return "", "", false
	}
	k := 1
	name = f[0]
	if utf8.RuneCountInString(name) == 1 {
		name += f[1]
		k = 2
	}
	if k >= len(f) || !isPersonName(name) || !isAllHan(name) {
		return "", "", false
	}
	post = strings.Join(f[k:], "")
	if strings.Contains(post, "。") || utf8.RuneCountInString(post) > 60 {
		return "", "", false
	}
	return name, post, true
}

func isAllHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}
