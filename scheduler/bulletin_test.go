package scheduler

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban/kb"
	"duban/store/memstore"
)

// fileRecorder is a FileSender that keeps what it was given.
type fileRecorder struct {
	mu    sync.Mutex
	names []string
	data  [][]byte
}

func (f *fileRecorder) SendFile(_ context.Context, name string, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names = append(f.names, name)
	f.data = append(f.data, data)
	return nil
}

// TestBulletin checks two weekly 通报 over the fixture against a table
// computed by hand. On Friday 10 July 2020 (ISO week 28):
//
//	task          lead    due     status   light  due by then
//	key_tasks 1   住建局  06-30   推进中    red    yes
//	key_tasks 2   各区镇  06-30   已完成    done   yes
//	key_tasks 3   交通局  08-31   —        green  no
//	people 1      正余镇  05-31   —        red    yes
//	(key_tasks 4 has no date: not counted)
//
// so 应完成 3 (two red, one done), 已完成 1, 33.3%; by unit 住建局 0/1,
// 正余镇 0/1, 各区镇 1/1, 交通局 nothing due (not rated). A week later
// key_tasks 1 is done and people 1 claimed (待审核, counted done as
// reminders count it): 已完成 3 of 3 (含待审核1项), 100.0%, none red;
// changes: 新完成2项, 红灯-2项, 33.3%→100.0%.
func TestBulletin(t *testing.T) {
	c := &clock{t: time.Date(2020, 7, 10, 17, 0, 0, 0, kb.Location)}
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), Now: c.Now, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	status := &fakeStatus{}
	status.set(kb.KeyTasks, 1, kb.Status{State: kb.InProgress, Unit: "住建局", At: at(2020, 7, 1)})
	status.set(kb.KeyTasks, 2, kb.Status{State: kb.Done, Unit: "正余镇", At: at(2020, 6, 29)})
	files := &fileRecorder{}
	cfg := fixtureConfig()
	cfg.Now, cfg.Sleep, cfg.Status = c.Now, (&sleeper{c: c}).Sleep, status.lookup
	cfg.Files = func(chat string) (FileSender, bool) { return files, chat == "住建群" }
	cfg.Bulletins = []Bulletin{
		{Chat: "住建群", Cron: "0 17 * * 5"},
		{Chat: "交通群", Cron: "0 17 * * 5", Link: "https://duban.example/dashboard"},
	}
	p := &fakePusher{now: c.Now}
	s, err := New(cfg, fixtureBase(t), p, st)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.RunBulletins(t.Context(), c.Now())
	if err != nil || rep.Sent != 3 { // two messages and one file
		t.Fatalf("RunBulletins = %+v, %v; want 2 messages and a file sent", rep, err)
	}
	texts := map[string]string{}
	for _, d := range p.deliveries() {
		texts[d.chat] = d.reply.Text()
	}
	first := texts["住建群"]
	for _, want := range []string{
		"督办通报（2020年第28周，截至7月10日）：应完成3项，已完成1项，完成率33.3%；红灯2项。",
		"【完成率】住建局0.0%（0/1）、正余镇0.0%（0/1）、各区镇100.0%（1/1）",
		"【红灯】住建局1项（重点工作第1项）、正余镇1项（为民办实事第1项）",
		"【逾期最多】住建局1项、正余镇1项",
		"完整表格见随后发送的附件：督办通报2020-W28.xlsx",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("first bulletin lacks %q:\n%s", want, first)
		}
	}
	if strings.Contains(first, "交通局") || strings.Contains(first, "较上期") {
		t.Errorf("first bulletin rates a unit with nothing due, or compares with no previous one:\n%s", first)
	}
	if !strings.Contains(texts["交通群"], "完整表格：https://duban.example/dashboard") {
		t.Errorf("a chat without files gets no link:\n%s", texts["交通群"])
	}
	if len(files.names) != 1 || files.names[0] != "督办通报2020-W28.xlsx" {
		t.Fatalf("files sent = %v, want the week's workbook to 住建群", files.names)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(files.data[0]))
	if err != nil {
		t.Fatalf("attached workbook: %v", err)
	}
	rows, _ := wb.GetRows(wb.GetSheetList()[0])
	wb.Close()
	if h := rows[0]; h[len(h)-1] != "灯" || rows[1][len(h)-1] != "红灯" {
		t.Errorf("workbook colour column: header %q, key task 1 %q; want 灯, 红灯", h[len(h)-1], rows[1][len(h)-1])
	}

	// The same week again: nothing; the next week compares.
	if rep, _ := s.RunBulletins(t.Context(), c.Now()); rep.Sent != 0 {
		t.Errorf("same week again: %+v, want nothing sent", rep)
	}
	status.set(kb.KeyTasks, 1, kb.Status{State: kb.Done, Unit: "住建局", At: at(2020, 7, 15)})
	status.set(kb.PeopleProjects, 1, kb.Status{State: kb.Claimed, Unit: "正余镇", At: at(2020, 7, 16)})
	c.Set(time.Date(2020, 7, 17, 17, 0, 0, 0, kb.Location))
	p.reset()
	if _, err := s.RunBulletins(t.Context(), c.Now()); err != nil {
		t.Fatal(err)
	}
	var second string
	for _, d := range p.deliveries() {
		if d.chat == "住建群" {
			second = d.reply.Text()
		}
	}
	for _, want := range []string{
		"督办通报（2020年第29周，截至7月17日）：应完成3项，已完成3项（含待审核1项），完成率100.0%；红灯0项。",
		"【较上期（7月10日）】新完成2项，红灯-2项，完成率33.3%→100.0%",
	} {
		if !strings.Contains(second, want) {
			t.Errorf("second bulletin lacks %q:\n%s", want, second)
		}
	}
}

func TestBulletinConfigRefused(t *testing.T) {
	for _, b := range []Bulletin{
		{Chat: "nowhere", Cron: "0 17 * * 5"},
		{Chat: "住建群", Cron: "0 17 * *"},
		{Chat: "住建群", Cron: "0 17 * * 5", Period: "daily"},
	} {
		cfg := fixtureConfig()
		cfg.Bulletins = []Bulletin{b}
		if _, err := New(cfg, fixtureBase(t), nil, nil); err == nil || !strings.Contains(err.Error(), "bulletins[0]") {
			t.Errorf("New with bulletin %+v: err = %v, want a bulletins[0] error", b, err)
		}
	}
}

func TestBulletinPeriod(t *testing.T) {
	tests := []struct {
		period   string
		now      time.Time
		id, name string
	}{
		{"", time.Date(2020, 8, 28, 17, 0, 0, 0, kb.Location), "2020-W35", "2020年第35周"},
		{"weekly", time.Date(2021, 1, 1, 17, 0, 0, 0, kb.Location), "2020-W53", "2020年第53周"}, // ISO week of the old year
		{"weekly", time.Date(2020, 12, 31, 17, 0, 0, 0, time.UTC), "2020-W53", "2020年第53周"},  // 2021-01-01 01:00 in Shanghai
		{"monthly", time.Date(2020, 9, 1, 9, 0, 0, 0, kb.Location), "2020-09", "2020年9月"},
		{"monthly", time.Date(2020, 8, 31, 16, 30, 0, 0, time.UTC), "2020-09", "2020年9月"}, // already September in Shanghai
	}
	for _, tt := range tests {
		id, name := Bulletin{Period: tt.period}.period(tt.now)
		if id != tt.id || name != tt.name {
			t.Errorf("period %q at %s = %s, %s; want %s, %s", tt.period, tt.now, id, name, tt.id, tt.name)
		}
	}
}
