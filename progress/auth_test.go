package progress

import (
	"errors"
	"strings"
	"testing"

	"duban/handlers"
	"duban/kb"
)

// chatText is what the chat reads for a refusal: the sentence handlers
// composes from the error's data (as package report picks it).
func chatText(err error) string {
	var ae *AuthError
	var ue *UnknownTaskError
	var amb *AmbiguousError
	switch {
	case errors.As(err, &ae):
		return handlers.ReportNotAuthorized(ae.Table, ae.No, ae.LeadUnits, ae.ChatUnits).Text()
	case errors.As(err, &ue):
		return handlers.ReportUnknownTask(ue.Table, ue.No, ue.Scoped).Text()
	case errors.As(err, &amb):
		return handlers.ReportAmbiguous(amb.No, amb.Tables).Text()
	}
	return err.Error()
}

func TestResolve(t *testing.T) {
	b := fixtureBase(t)
	tests := []struct {
		name      string
		units     []string
		text      string
		wantTable kb.Table
		wantUnit  string
		wantErr   error
		errHas    string
	}{
		{"lead unit", []string{"住建局"}, "重点工作76号已完成", kb.KeyTasks, "住建局", nil, ""},
		{"alias in config", []string{"住房和城乡建设局"}, "重点工作76号已完成", kb.KeyTasks, "住建局", nil, ""},
		{"one of two leads", []string{"交通局"}, "77号已完成", kb.KeyTasks, "交通局", nil, ""},
		{"collective chat", []string{"各区镇"}, "5号已完成", kb.KeyTasks, "各区镇", nil, ""},
		{"unscoped, one authorized", []string{"教体局"}, "12号已完成", kb.PeopleProjects, "教体局", nil, ""},
		{"co-unit refused", []string{"交通局"}, "重点工作76号已完成", "", "", ErrNotAuthorized, "重点工作第76项由住建局牵头"},
		{"unscoped, two authorized", []string{"住建局"}, "76号已完成", "", "", ErrAmbiguousTask, "重点工作第76项和为民办实事第76项"},
		{"unscoped, none authorized", []string{"教体局"}, "76号已完成", "", "", ErrNotAuthorized, "住建局牵头"},
		{"unconfigured chat", nil, "实事12号已完成", "", "", ErrNotAuthorized, "本群尚未登记"},
		{"no lead units", []string{"住建局"}, "南通76号已完成", "", "", ErrNotAuthorized, "没有列明牵头单位"},
		{"unknown", []string{"住建局"}, "300号已完成", "", "", ErrUnknownTask, "未找到第300项"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := ParseReport(tt.text)
			if !ok {
				t.Fatalf("ParseReport(%q) not a report", tt.text)
			}
			got, err := Resolve(b, tt.units, r)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(chatText(err), tt.errHas) {
					t.Fatalf("Resolve(%v, %q) error = %v, want %v containing %q", tt.units, tt.text, err, tt.wantErr, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%v, %q): %v", tt.units, tt.text, err)
			}
			if len(got) != 1 || got[0].Record.Table != tt.wantTable || got[0].Unit != tt.wantUnit {
				t.Errorf("Resolve(%v, %q) = %+v, want %s by %s", tt.units, tt.text, got, tt.wantTable, tt.wantUnit)
			}
		})
	}
}

func TestAuthorize(t *testing.T) {
	b := fixtureBase(t)
	rec, _ := b.Task(kb.KeyTasks, 76)
	if err := Authorize([]string{"住建局"}, rec); err != nil {
		t.Errorf("lead unit: %v", err)
	}
	err := Authorize([]string{"交通运输局"}, rec)
	var ae *AuthError
	if !errors.As(err, &ae) || len(ae.LeadUnits) != 1 || ae.LeadUnits[0] != "住建局" || ae.ChatUnits[0] != "交通局" {
		t.Errorf("co-unit: %v", err)
	}
}
