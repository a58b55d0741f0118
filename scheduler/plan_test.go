package scheduler

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// summary renders pushes as chat → ["table#no milestone role", …].
func summary(ps []Push) map[string][]string {
	out := map[string][]string{}
	for _, p := range ps {
		for _, t := range p.Tasks {
			out[p.Chat] = append(out[p.Chat], string(t.Table)+"#"+strconv.Itoa(t.No)+" "+t.Milestone+" "+t.Role)
		}
	}
	return out
}

func TestPlan(t *testing.T) {
	base := fixtureBase(t)
	noCo := fixtureConfig()
	noCo.Reminders[0].CoUnits = false
	twoRules := fixtureConfig()
	twoRules.Reminders = []Rule{
		{Cron: "0 9 * * 1", DaysBefore: []int{30}},
		{Cron: "0 9 * * 1-5", DaysBefore: []int{7}, CoUnits: true},
	}
	collCo := fixtureConfig()
	collCo.Reminders[0].CollectiveCoUnits = true
	decay := fixtureConfig()
	decay.Reminders[0].OverdueIntervals = []int{1, 7, 14, 30}
	decay.Reminders[0].CoUnits = false
	capped := fixtureConfig()
	capped.Reminders[0].OverdueMax = 3
	capped.Reminders[0].CoUnits = false
	tests := []struct {
		name string
		cfg  Config
		now  time.Time
		want map[string][]string
	}{
		{"nothing yet", fixtureConfig(), at(2020, 4, 1), map[string][]string{}},
		{"due-7 of a town task", fixtureConfig(), at(2020, 5, 29), map[string][]string{
			"正余群": {"people_projects#1 due-7 lead"},
		}},
		{"due-30 with co-units and collectives", fixtureConfig(), at(2020, 5, 31), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"交通群":  {"key_tasks#1 due-30 co"},
			"正余群":  {"people_projects#1 due-1 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared", "key_tasks#1 due-30 co"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"co-units off", noCo, at(2020, 5, 31), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"正余群":  {"people_projects#1 due-1 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"first overdue day", fixtureConfig(), at(2020, 6, 1), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"交通群":  {"key_tasks#1 due-30 co"},
			"正余群":  {"people_projects#1 overdue-1 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared", "key_tasks#1 due-30 co"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"last day of the first overdue period", fixtureConfig(), at(2020, 6, 7), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"交通群":  {"key_tasks#1 due-30 co"},
			"正余群":  {"people_projects#1 overdue-1 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared", "key_tasks#1 due-30 co"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"second overdue period", fixtureConfig(), at(2020, 6, 8), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"交通群":  {"key_tasks#1 due-30 co"},
			"正余群":  {"people_projects#1 overdue-2 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared", "key_tasks#1 due-30 co"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"各部门 co-unit fans out to no chat", fixtureConfig(), at(2020, 8, 1), map[string][]string{
			"住建群":  {"key_tasks#1 overdue-5 lead"},
			"交通群":  {"key_tasks#1 overdue-5 co", "key_tasks#3 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-9 lead", "key_tasks#2 overdue-5 shared"},
			"开发区群": {"key_tasks#2 overdue-5 shared", "key_tasks#1 overdue-5 co"},
			"区镇总群": {"key_tasks#2 overdue-5 lead"},
		}},
		{"各部门 co-unit reaches department chats when a rule says so", collCo, at(2020, 8, 1), map[string][]string{
			"住建群":  {"key_tasks#1 overdue-5 lead", "key_tasks#3 due-30 co"},
			"交通群":  {"key_tasks#1 overdue-5 co", "key_tasks#3 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-9 lead", "key_tasks#2 overdue-5 shared"},
			"开发区群": {"key_tasks#2 overdue-5 shared", "key_tasks#1 overdue-5 co"},
			"区镇总群": {"key_tasks#2 overdue-5 lead"},
		}},
		{"two rules: lead takes the latest, co only from its rule", twoRules, at(2020, 6, 5), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-1 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"two rules after due-7", twoRules, at(2020, 6, 25), map[string][]string{
			"住建群":  {"key_tasks#1 due-7 lead"},
			"交通群":  {"key_tasks#1 due-7 co"},
			"正余群":  {"people_projects#1 overdue-1 lead", "key_tasks#2 due-7 shared"},
			"开发区群": {"key_tasks#2 due-7 shared", "key_tasks#1 due-7 co"},
			"区镇总群": {"key_tasks#2 due-7 lead"},
		}},
		// Decaying cadence [1, 7, 14, 30]: overdue reminders start 1, 8, 22,
		// 52, 82 … days after the due date (people 1: 5-31; key tasks: 6-30).
		{"decay: day 7 still the first", decay, at(2020, 6, 7), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-1 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"decay: day 8 the second", decay, at(2020, 6, 8), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-2 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"decay: day 21 still the second, day 22 the third", decay, at(2020, 6, 22), map[string][]string{
			"住建群":  {"key_tasks#1 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-3 lead", "key_tasks#2 due-30 shared"},
			"开发区群": {"key_tasks#2 due-30 shared"},
			"区镇总群": {"key_tasks#2 due-30 lead"},
		}},
		{"decay: the last interval repeats (day 82 is the fifth)", decay, at(2020, 8, 21), map[string][]string{
			"住建群":  {"key_tasks#1 overdue-4 lead"},
			"交通群":  {"key_tasks#3 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-5 lead", "key_tasks#2 overdue-4 shared"},
			"开发区群": {"key_tasks#2 overdue-4 shared"},
			"区镇总群": {"key_tasks#2 overdue-4 lead"},
		}},
		{"capped at 3 overdue reminders", capped, at(2020, 8, 21), map[string][]string{
			"住建群":  {"key_tasks#1 overdue-3 lead"},
			"交通群":  {"key_tasks#3 due-30 lead"},
			"正余群":  {"people_projects#1 overdue-3 lead", "key_tasks#2 overdue-3 shared"},
			"开发区群": {"key_tasks#2 overdue-3 shared"},
			"区镇总群": {"key_tasks#2 overdue-3 lead"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.cfg, base, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := summary(s.Plan(tt.now))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Plan(%s)\n got %v\nwant %v", tt.now.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

func TestPlanPureAndOrdered(t *testing.T) {
	s, err := New(fixtureConfig(), fixtureBase(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := s.Plan(at(2020, 5, 31)), s.Plan(at(2020, 5, 31))
	if !reflect.DeepEqual(a, b) {
		t.Error("Plan is not deterministic")
	}
	var chats []string
	for _, p := range a {
		chats = append(chats, p.Chat)
	}
	if want := []string{"住建群", "交通群", "正余群", "开发区群", "区镇总群"}; !slices.Equal(chats, want) {
		t.Errorf("chats %v, want config order %v", chats, want)
	}
	zj := a[0]
	if want := []string{"13800000000", "zhang"}; !slices.Equal(zj.Reply.Mentions, want) {
		t.Errorf("Mentions = %v, want %v", zj.Reply.Mentions, want)
	}
	if a[1].Reply.Mentions != nil {
		t.Errorf("交通群 has no contacts, Mentions = %v", a[1].Reply.Mentions)
	}
	if !strings.Contains(zj.Text, "重点工作第1项 完成老旧小区改造30个") || !strings.Contains(zj.Text, "还剩30天") {
		t.Errorf("Text = %q", zj.Text)
	}
	if want := []string{"交通局"}; !slices.Equal(a[1].Units, want) {
		t.Errorf("Units = %v, want canonical %v", a[1].Units, want)
	}
	// The whole year never plans the task without a date.
	for d := at(2020, 1, 1); d.Year() == 2020; d = d.AddDate(0, 0, 1) {
		for _, p := range s.Plan(d) {
			for _, tk := range p.Tasks {
				if tk.No == 4 && tk.Table == "key_tasks" {
					t.Fatalf("%s: planned the 长期 task", d.Format(time.DateOnly))
				}
			}
		}
	}
}

func TestPushJSON(t *testing.T) {
	s, err := New(fixtureConfig(), fixtureBase(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s.Plan(at(2020, 5, 31))[:1])
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	if k := keys(got[0]); !slices.Equal(k, []string{"chat", "tasks", "text", "units"}) {
		t.Errorf("push keys %v", k)
	}
	task := got[0]["tasks"].([]any)[0].(map[string]any)
	if k := keys(task); !slices.Equal(k, []string{"due", "milestone", "no", "table"}) {
		t.Errorf("task keys %v", k)
	}
	want := `[{"chat":"住建群","units":["住建局"],"tasks":[{"table":"key_tasks","no":1,"due":"2020-06-30","milestone":"due-30"}],"text":`
	if !strings.HasPrefix(string(b), want) {
		t.Errorf("JSON = %s\nwant prefix %s", b, want)
	}
}

func TestMilestone(t *testing.T) {
	const due = 1000
	tests := []struct {
		name  string
		rule  Rule
		today int
		want  string // "" for none
	}{
		{"before the first", Rule{DaysBefore: []int{30, 7, 1}}, due - 31, ""},
		{"first day", Rule{DaysBefore: []int{30, 7, 1}}, due - 30, "due-30"},
		{"inside the window", Rule{DaysBefore: []int{30, 7, 1}}, due - 8, "due-30"},
		{"unsorted offsets", Rule{DaysBefore: []int{1, 30, 7, 7}}, due - 7, "due-7"},
		{"due day keeps due-1", Rule{DaysBefore: []int{30, 7, 1}}, due, "due-1"},
		{"due-0", Rule{DaysBefore: []int{0}}, due, "due-0"},
		{"no offsets: nothing before", Rule{}, due, ""},
		{"overdue once", Rule{}, due + 1, "overdue-1"},
		{"overdue once, forever", Rule{}, due + 400, "overdue-1"},
		{"repeat: first period", Rule{OverdueEveryDays: 7}, due + 7, "overdue-1"},
		{"repeat: second period", Rule{OverdueEveryDays: 7}, due + 8, "overdue-2"},
		{"repeat: third period", Rule{OverdueEveryDays: 7}, due + 15, "overdue-3"},
		{"daily repeat", Rule{OverdueEveryDays: 1}, due + 3, "overdue-3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := prepare(tt.rule).current(due, tt.today)
			got := ""
			if m.ok {
				got = m.key()
			}
			if got != tt.want {
				t.Errorf("current(day %+d) = %q, want %q", tt.today-due, got, tt.want)
			}
		})
	}
}

func TestDayNumber(t *testing.T) {
	// 23:30 UTC on Dec 31 is already Jan 1 in Shanghai.
	a := dayNumber(time.Date(2020, 12, 31, 23, 30, 0, 0, time.UTC))
	b := dayNumber(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	if a != b {
		t.Errorf("dayNumber: %d != %d", a, b)
	}
	if d := dayNumber(at(2020, 3, 1)) - dayNumber(at(2020, 2, 28)); d != 2 {
		t.Errorf("2020-02-28 → 03-01 = %d days, want 2 (leap year)", d)
	}
}

// TestDigestSaysWhy: a digest line says why the task is in the chat when
// the chat is not its own lead, and carries the task's colour.
func TestDigestSaysWhy(t *testing.T) {
	s, err := New(fixtureConfig(), fixtureBase(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		chat, want string
	}{
		{"住建群", "🟢 重点工作第1项 完成老旧小区改造30个 6月30日 还剩30天\n"},
		{"交通群", "🟢 重点工作第1项 完成老旧小区改造30个 6月30日 还剩30天（协同）"},
		{"正余群", "🟢 重点工作第2项 推进农村人居环境整治 6月30日 还剩30天（各区镇共同）"},
		{"区镇总群", "🟢 重点工作第2项 推进农村人居环境整治 6月30日 还剩30天\n"},
	}
	texts := map[string]string{}
	for _, p := range s.Plan(at(2020, 5, 31)) {
		texts[p.Chat] = p.Text
	}
	for _, tt := range tests {
		t.Run(tt.chat, func(t *testing.T) {
			if !strings.Contains(texts[tt.chat], tt.want) {
				t.Errorf("%s's digest lacks %q:\n%s", tt.chat, tt.want, texts[tt.chat])
			}
		})
	}
}
