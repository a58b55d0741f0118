package scheduler

import (
	"testing"
	"time"

	"duban/kb"
)

// fixtureBase is a small knowledge base written for these tests.
//
//	key_tasks 1   住建局, co 交通运输局, 开发区      due 2020-06-30
//	key_tasks 2   各区镇                           due 2020-06-30
//	key_tasks 3   交通局, co 各部门                 due 2020-08-31
//	key_tasks 4   住建局                           长期 (no date)
//	people 1      正余镇                           due 2020-05-31 (a Sunday)
func fixtureBase(t testing.TB) *kb.Base {
	t.Helper()
	src := func(n int) kb.Source {
		return kb.Source{File: "004_fixture.txt", Line: n, Title: "2020年市政府重点工作任务分解表", Row: n}
	}
	recs := []kb.Record{
		{Table: kb.KeyTasks, No: 1, Text: "完成老旧小区改造30个。", LeadLeaders: []string{"张三"}, LeadUnits: []string{"住建局"},
			CoUnits: []string{"交通运输局", "开发区"}, DeadlineText: "6月底前", Due: kb.NewDate(2020, 6, 30), Source: src(1)},
		{Table: kb.KeyTasks, No: 2, Text: "推进农村人居环境整治。", LeadLeaders: []string{"李四"}, LeadUnits: []string{"各区镇"},
			DeadlineText: "6月底前", Due: kb.NewDate(2020, 6, 30), Source: src(2)},
		{Table: kb.KeyTasks, No: 3, Text: "建成城市公交枢纽。", LeadLeaders: []string{"王五"}, LeadUnits: []string{"交通局"},
			CoUnits: []string{"各部门"}, DeadlineText: "8月底前", Due: kb.NewDate(2020, 8, 31), Source: src(3)},
		{Table: kb.KeyTasks, No: 4, Text: "持续推进文明城市长效管理。", LeadUnits: []string{"住建局"}, DeadlineText: "长期", Source: src(4)},
		{Table: kb.PeopleProjects, No: 1, Text: "新建农贸市场1个。", LeadLeaders: []string{"赵六"}, LeadUnits: []string{"正余镇"},
			DeadlineText: "5月底前", Due: kb.NewDate(2020, 5, 31),
			Source: kb.Source{File: "004_fixture.txt", Line: 50, Title: "2020年为民办实事项目任务分解表", Row: 1}},
	}
	b, err := kb.New(kb.Contents{Records: recs})
	if err != nil {
		t.Fatalf("kb.New: %v", err)
	}
	return b
}

// fixtureConfig routes the fixture's units to five chats.
func fixtureConfig() Config {
	return Config{
		Chats: []Chat{
			{Name: "住建群", Type: WeComWebhook, Units: []string{"住建局"}, MentionMobiles: []string{"13800000000"}, MentionUserIDs: []string{"zhang"}, HasCredentials: true},
			{Name: "交通群", Type: DingTalkWebhook, Units: []string{"交通运输局"}, HasCredentials: true},
			{Name: "正余群", Type: WeComWebhook, Units: []string{"正余镇"}, HasCredentials: true},
			{Name: "开发区群", Type: WeComAppChat, Units: []string{"开发区"}, HasCredentials: true},
			{Name: "区镇总群", Type: WeComWebhook, Units: []string{"各区镇"}, HasCredentials: true},
		},
		Reminders: []Rule{{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}},
	}
}

// at is 09:00 in Shanghai on the given day.
func at(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 0, 0, 0, kb.Location)
}
