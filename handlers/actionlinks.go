package handlers

import "strings"

// WithActionLinks returns r with one line per task of r.Tasks that offers
// its verbs as markdown links, for routes that cannot show buttons (group
// webhooks): "重点工作第76项：[已完成](…) [申请延期](…)". url returns the
// link of a verb on a task, "" to leave it out; 查看详情 is not offered as
// a link (the link page shows only its own action). r.Tasks stay, so a
// card renderer could still use them; the text of the reply before the
// links is unchanged. This is the one place links are put into replies.
func WithActionLinks(r Reply, url func(a TaskAction, verb string) string) Reply {
	if len(r.Tasks) == 0 || url == nil {
		return r
	}
	var lines []string
	for _, a := range r.Tasks {
		var links []string
		for _, v := range a.Offered() {
			if v == "detail" {
				continue
			}
			if u := url(a, v); u != "" {
				links = append(links, "["+VerbLabel(v)+"]("+u+")")
			}
		}
		if len(links) > 0 {
			lines = append(lines, TaskLabel(a.Table, a.No)+"："+strings.Join(links, " "))
		}
	}
	if len(lines) == 0 {
		return r
	}
	out := r
	out.Lines = append(append(append([]string(nil), r.Lines...), "一键办理（点击链接确认）："), lines...)
	return out
}
