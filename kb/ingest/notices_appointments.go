package ingest

import (
	"regexp"
	"strings"

	"duban/kb"
	"duban/kb/names"
)

// Appointments (任免通知): "施春伟同志任海门区海门港新区农村工作局局长，试用
// 期一年。", "免去殷亮同志海门区海门街道办事处主任职务；", "任命王丽同志为
// 县住房和城乡建设局局长". Each line is one decision about one person.
var (
	reAppoint   = regexp.MustCompile(`^(\p{Han}{2,4})同志任(.+?)(?:[，,](试用期[^；。]*))?[；;。]?$`)
	reAppointAs = regexp.MustCompile(`^任命(\p{Han}{2,4})(?:同志)?为(.+?)(?:[，,](试用期[^；。]*))?[；;。]?$`)
	reDismiss   = regexp.MustCompile(`^免去(\p{Han}{2,4})同志(?:的)?(.+?)职务[；;。]?$`)
)

// appointments reads the notice's 任免 lines.
func (x *noticeExtractor) appointments() {
	lines, first := x.body()
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		a := kb.Appointment{Notice: x.n.title, Source: x.src(first + i)}
		if m := reAppoint.FindStringSubmatch(t); m != nil {
			a.Name, a.Action, a.Post, a.Note = names.Clean(m[1]), "任", m[2], m[3]
		} else if m := reAppointAs.FindStringSubmatch(t); m != nil {
			a.Name, a.Action, a.Post, a.Note = names.Clean(m[1]), "任", m[2], m[3]
		} else if m := reDismiss.FindStringSubmatch(t); m != nil {
			a.Name, a.Action, a.Post = names.Clean(m[1]), "免", m[2]
		} else {
			continue
		}
		x.c.Appointments = append(x.c.Appointments, a)
	}
}
