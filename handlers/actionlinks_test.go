package handlers

import (
	"strings"
	"testing"

	"duban/kb"
)

func TestWithActionLinks(t *testing.T) {
	r := Reply{Head: "督办提醒", Lines: []string{"重点工作第76项 道路改造"},
		Tasks: []TaskAction{{Table: kb.KeyTasks, No: 76}, {Table: kb.PeopleProjects, No: 12, Verbs: ClaimVerbs}}}
	got := WithActionLinks(r, func(a TaskAction, verb string) string { return "https://d.example/l/" + verb })
	text := Render(got, DingTalkMarkdown)[0]
	for _, w := range []string{"重点工作第76项：[已完成](https://d.example/l/done) [申请延期](https://d.example/l/extend)",
		"为民办实事第12项：[通过（办结）](https://d.example/l/approve) [退回](https://d.example/l/return)"} {
		if !strings.Contains(text, w) {
			t.Errorf("rendered links lack %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "detail") {
		t.Errorf("查看详情 offered as a link:\n%s", text)
	}
	if len(r.Lines) != 1 {
		t.Errorf("the original reply was changed: %q", r.Lines)
	}
	// Metamorphic: a reply without tasks, or without a url, is unchanged.
	plain := Reply{Head: "x", Lines: []string{"a"}}
	if g := WithActionLinks(plain, func(TaskAction, string) string { return "u" }); g.Text() != plain.Text() {
		t.Errorf("reply without tasks changed: %q", g.Text())
	}
	if g := WithActionLinks(r, func(TaskAction, string) string { return "" }); g.Text() != r.Text() {
		t.Errorf("reply with no links changed: %q", g.Text())
	}
}
