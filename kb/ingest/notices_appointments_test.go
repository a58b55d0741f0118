package ingest

import (
	"strings"
	"testing"
)

func TestAppointments(t *testing.T) {
	text := strings.Join([]string{
		"县政府关于王丽等同志职务任免的通知",
		"青政干〔2025〕3号",
		"各乡镇人民政府，县各委办局：",
		"经研究，决定：",
		"王丽同志任青溪县住房和城乡建设局局长，试用期一年；",
		"任命赵红梅同志为青溪县卫生健康委员会主任；",
		"免去刘强同志青溪县民政局副局长职务。",
		"青溪县人民政府",
		"2025年3月1日",
	}, "\n")
	d, err := ReadText("a.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := Extract(d)
	want := []string{"王丽 任 青溪县住房和城乡建设局局长 试用期一年", "赵红梅 任 青溪县卫生健康委员会主任 ", "刘强 免 青溪县民政局副局长 "}
	if len(c.Appointments) != len(want) {
		t.Fatalf("%d appointments, want %d: %+v", len(c.Appointments), len(want), c.Appointments)
	}
	for i, a := range c.Appointments {
		if got := a.Name + " " + a.Action + " " + a.Post + " " + a.Note; got != want[i] {
			t.Errorf("appointment %d = %q, want %q", i, got, want[i])
		}
		if a.Notice != "县政府关于王丽等同志职务任免的通知" || a.Source.Line != 5+i {
			t.Errorf("appointment %d cited as %q line %d", i, a.Notice, a.Source.Line)
		}
	}
}

// TestSeedAppointments: the 2022 collection's two 任免 notices are records.
func TestSeedAppointments(t *testing.T) {
	c := loadSeeds(t)
	var got []string
	for _, a := range c.Appointments {
		got = append(got, a.Action+a.Name)
	}
	if strings.Join(got, " ") != "任施春伟 任陈冬华 免殷亮 免杨杰" {
		t.Errorf("appointments = %q", got)
	}
}

func TestDocNumberForms(t *testing.T) {
	for _, s := range []string{"海政发〔2022〕1号", "青政发[2025]12号", "青政办发（2025）3号", "青政发〔2025〕第5号", "青政干［2025］2号"} {
		if !reDocNo.MatchString(s) {
			t.Errorf("reDocNo does not match %q", s)
		}
	}
	if reDocNo.MatchString("根据青政发〔2025〕12号文件精神") {
		t.Error("reDocNo matched a sentence citing a number")
	}
}
