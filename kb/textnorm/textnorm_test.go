package textnorm

import (
	"fmt"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"第１５６项牵头领导", "第156项牵头领导"},
		{"Who Leads  Task 76？", "who leads task 76?"},
		{"垃圾分類誰牽頭", "垃圾分类谁牵头"},
		{"交通運輸局　負責哪些任務", "交通运输局 负责哪些任务"},
		{"“厕所革命”", `"厕所革命"`},
		{"【实事】第１２项", "[实事]第12项"},
		{"  leading\t\nspace ", "leading space"},
		{"已经是简体的问题", "已经是简体的问题"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Fold(Fold(tt.in)); got != Fold(tt.in) {
			t.Errorf("Fold is not idempotent on %q: %q", tt.in, got)
		}
	}
}

func TestTaskRefsTable(t *testing.T) {
	tests := []struct {
		q    string
		want []int
	}{
		{"76号任务谁牵头", []int{76}},
		{"第六十一项谁牵头", []int{61}},
		{"第156项牵头领导", []int{156}},
		{"任务22的牵头领导有哪几位", []int{22}},
		{"who leads task 58", []int{58}},
		{"#58 due", []int{58}},
		{"no.58 leader", []int{58}},
		{"tasks 3 and 5", []int{3, 5}},
		{"1和3谁牵头", []int{1, 3}},
		{"实事第12件", []int{12}},
		{"第85条", []int{85}},
		{"三号任务", []int{3}},
		{"一百零三号", []int{103}},
		// numbers that are content
		{"85条措施谁牵头", nil},
		{"65周岁以上老人体检", nil},
		{"六十五周岁以上老人体检", nil},
		{"第六部分有哪些任务", nil},
		{"第二阶段什么时候", nil},
		{"重点工作一共几件", nil},
		{"十四五规划目标", nil},
		{"第七次人口普查", nil},
		{"第三季度到期", nil},
		{"三季度末到期", nil},
		{"8月底前要完成哪些", nil},
		{"2019年补短板措施(一)精准脱贫", nil},
		{"重点工作共12项吗", nil},
		{"哪一项最急", nil},
		{"研发经费占比达到3.5%", nil},
		{"5g基站建设", nil},
		{"8月3号到期的", nil},
		{"三星镇联系领导", nil},
		{"两周内到期", nil},
		{"30天内到期", nil},
		{"新增3家上市企业", nil},
		{"第一中学创建四星级高中", nil},
		{"万人发明专利拥有量突破35件谁负责", nil},
		{"实事12项谁负责", []int{12}},
		{"which projects are due before june 30?", nil},
		{"断面第一什么时候完成", nil},
		{"加强\"3+3\"产业细分领域研究", nil},
		{"1-3家律师事务所", nil},
		{"实事第一谁负责", []int{1}},
		{"第二人民医院新院", nil},
		{"第76的牵头单位", []int{76}},
		{"第七十六谁牵头", []int{76}},
	}
	for _, tt := range tests {
		got := TaskRefs(Fold(tt.q))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("TaskRefs(%q) = %v, want %v (numbers %+v)", tt.q, got, tt.want, Numbers(Fold(tt.q)))
		}
	}
}

// cn writes n (1..999) as officials write Chinese numerals.
func cn(n int) string {
	d := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	var b strings.Builder
	if n >= 100 {
		b.WriteString(d[n/100] + "百")
		n %= 100
		if n > 0 && n < 10 {
			b.WriteString("零")
		}
	}
	if n >= 10 {
		if n >= 20 || b.Len() > 0 {
			b.WriteString(d[n/10])
		}
		b.WriteString("十")
		n %= 10
	}
	if n > 0 {
		b.WriteString(d[n])
	}
	return b.String()
}

func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '!' && r <= '~' {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// TestTaskRefsGenerated writes every number 1..300 in every style and
// frame: a reference is found exactly; the same number as content is not.
func TestTaskRefsGenerated(t *testing.T) {
	refFrames := []string{"第%s项谁牵头", "%s号任务什么时候完成", "任务%s配合单位", "请问第%s条的进展", "实事第%s件", "task %s lead", "#%s", "No.%s 谁负责", "%s号"}
	contentFrames := []string{"%s条措施", "%s周岁以上", "第%s部分的任务", "第%s阶段", "第%s次会议", "共%s项", "%s个部门", "%s家企业", "%s天内到期", "达到%s"}
	for n := 1; n <= 300; n++ {
		styles := map[string]string{"arabic": fmt.Sprint(n), "fullwidth": fullWidth(fmt.Sprint(n))}
		styles["chinese"] = cn(n)
		for style, num := range styles {
			for _, f := range refFrames {
				if style == "chinese" && (strings.HasPrefix(f, "task") || strings.HasPrefix(f, "#") || strings.HasPrefix(f, "No")) {
					continue
				}
				q := fmt.Sprintf(f, num)
				if got := TaskRefs(Fold(q)); len(got) != 1 || got[0] != n {
					t.Fatalf("TaskRefs(%q) = %v, want [%d]", q, got, n)
				}
			}
			for _, f := range contentFrames {
				q := fmt.Sprintf(f, num)
				if got := TaskRefs(Fold(q)); len(got) != 0 {
					t.Fatalf("TaskRefs(%q) = %v, want none: the number is content", q, got)
				}
			}
		}
	}
}

func TestNumberKinds(t *testing.T) {
	tests := []struct {
		q    string
		kind Kind
		v    int
		word string
	}{
		{"第六部分", Ordinal, 6, "部分"},
		{"第三季度", Ordinal, 3, "季度"},
		{"十四五", Plan, 14, ""},
		{"2019年", Year, 2019, "年"},
		{"8月底", Date, 8, "月"},
		{"(一)精准脱贫", Item, 1, ""},
		{"(3)", Item, 3, ""},
		{"65周岁", Quantity, 65, "周岁"},
	}
	for _, tt := range tests {
		ns := Numbers(Fold(tt.q))
		if len(ns) == 0 {
			t.Errorf("Numbers(%q) found none", tt.q)
			continue
		}
		n := ns[0]
		if n.Kind != tt.kind || n.Value != tt.v || n.Word != tt.word {
			t.Errorf("Numbers(%q)[0] = %+v, want kind %v value %d word %q", tt.q, n, tt.kind, tt.v, tt.word)
		}
	}
}

func TestWhole(t *testing.T) {
	for q, want := range map[string]int{"七十六": 76, "76？": 76, "一百零三": 103} {
		if v, ok := Whole(q); !ok || v != want {
			t.Errorf("Whole(%q) = %d, %v; want %d", q, v, ok, want)
		}
	}
	for _, q := range []string{"七十六项", "", "谁牵头", "0"} {
		if v, ok := Whole(q); ok {
			t.Errorf("Whole(%q) = %d, want none", q, v)
		}
	}
}

func BenchmarkFoldNumbers(b *testing.B) {
	q := "请问一下，第１５６项和任务76的牵头领导是谁？65周岁以上老人体检归谁管，谢谢"
	for b.Loop() {
		Numbers(Fold(q))
	}
}
